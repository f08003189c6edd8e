import { DomainError } from '../../miniprogram/domain/core/errors';
import {
  DISTRICT_BOUNDS,
  DISTRICT_OUTLINES,
  districtOf,
  FAULT_DISTRICTS,
  type FaultDistrict,
} from '../../miniprogram/domain/fault/districts';
import { createdAtBounds } from '../../miniprogram/domain/fault/police-list';

describe('districtOf', () => {
  it.each<[string, number, number, FaultDistrict]>([
    ['民族大道与竹溪大道交叉口', 22.8154, 108.3921, 'qingxiu'],
    ['朝阳广场', 22.817, 108.3222, 'xingning'],
    ['南宁站', 22.826, 108.315, 'xixiangtang'],
    ['江南万达', 22.782, 108.285, 'jiangnan'],
    ['五象广场', 22.76, 108.39, 'liangqing'],
    ['邕宁区政府', 22.758, 108.52, 'yongning'],
    ['武鸣城区', 23.16, 108.275, 'wuming'],
    ['宾阳县城', 23.22, 108.81, 'outlying'],
  ])('%s is in its district', (_place, latitude, longitude, district) => {
    expect(districtOf({ latitude, longitude })).toBe(district);
  });

  it('a point just either side of a shared edge falls on each side', () => {
    // the meridian 108.318 between 西乡塘 and 兴宁, north of the river
    expect(districtOf({ latitude: 22.9, longitude: 108.3179 })).toBe('xixiangtang');
    expect(districtOf({ latitude: 22.9, longitude: 108.3181 })).toBe('xingning');
    // the map's western edge: just inside, just outside
    expect(districtOf({ latitude: 22.9, longitude: DISTRICT_BOUNDS.west + 0.0001 })).toBe('xixiangtang');
    expect(districtOf({ latitude: 22.9, longitude: DISTRICT_BOUNDS.west - 0.0001 })).toBe('outlying');
  });

  it('malformed coordinates are outlying, never an error', () => {
    expect(districtOf({ latitude: Number.NaN, longitude: 108.3 })).toBe('outlying');
    expect(districtOf({ latitude: 95, longitude: 108.3 })).toBe('outlying');
    expect(districtOf({ latitude: 0, longitude: 0 })).toBe('outlying');
  });

  it('every outline lies inside the map box and each district is reached by a grid of points over it', () => {
    for (const ring of Object.values(DISTRICT_OUTLINES)) {
      for (const [lon, lat] of ring) {
        expect(lon).toBeGreaterThanOrEqual(DISTRICT_BOUNDS.west);
        expect(lon).toBeLessThanOrEqual(DISTRICT_BOUNDS.east);
        expect(lat).toBeGreaterThanOrEqual(DISTRICT_BOUNDS.south);
        expect(lat).toBeLessThanOrEqual(DISTRICT_BOUNDS.north);
      }
    }
    const seen = new Set<FaultDistrict>();
    for (let lon = DISTRICT_BOUNDS.west + 0.0037; lon < DISTRICT_BOUNDS.east; lon += 0.02)
      for (let lat = DISTRICT_BOUNDS.south + 0.0041; lat < DISTRICT_BOUNDS.north; lat += 0.02)
        seen.add(districtOf({ latitude: lat, longitude: lon }));
    expect([...seen].sort()).toEqual([...FAULT_DISTRICTS].sort());
  });
});

describe('createdAtBounds', () => {
  it('a Shanghai day starts at 16:00 UTC the day before; `to` is exclusive of the next day', () => {
    expect(createdAtBounds('2026-03-01', '2026-03-01')).toEqual({
      from: '2026-02-28T16:00:00.000Z',
      before: '2026-03-01T16:00:00.000Z',
    });
    expect(createdAtBounds(undefined, '2026-12-31')).toEqual({ before: '2026-12-31T16:00:00.000Z' });
    expect(createdAtBounds('2024-02-29', undefined)).toEqual({ from: '2024-02-28T16:00:00.000Z' });
    expect(createdAtBounds(undefined, undefined)).toEqual({});
  });

  it('refuses an end before the start, and a date that is not one', () => {
    const error = (() => {
      try {
        createdAtBounds('2026-03-02', '2026-03-01');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'to' } });
    expect(() => createdAtBounds('2026-02-30', undefined)).toThrow(DomainError);
  });
});
