import {
  distanceMetres,
  EARTH_RADIUS_METRES,
  isValidCoordinates,
  isInChina,
  formatDistance,
  sortByDistance,
} from '../../miniprogram/domain/core/geo';

const PINYIN = new Intl.Collator('zh-Hans-CN-u-co-pinyin').compare;
/** Nanning's Chaoyang Square and the city's vehicle office, GCJ-02. */
const CHAOYANG = { latitude: 22.81673, longitude: 108.31866 };

describe('distanceMetres (haversine)', () => {
  it('is 0 from a point to itself, anywhere', () => {
    expect(distanceMetres(CHAOYANG, CHAOYANG)).toBe(0);
    expect(distanceMetres({ latitude: 90, longitude: 0 }, { latitude: 90, longitude: 135 })).toBeCloseTo(0, 6);
    expect(distanceMetres({ latitude: 0, longitude: 180 }, { latitude: 0, longitude: -180 })).toBeCloseTo(0, 6);
  });

  it('antipodes are half the circumference apart (no NaN from rounding)', () => {
    const half = Math.PI * EARTH_RADIUS_METRES;
    expect(distanceMetres({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(half, 3);
    expect(distanceMetres({ latitude: 90, longitude: 0 }, { latitude: -90, longitude: 0 })).toBeCloseTo(half, 3);
    const d = distanceMetres(CHAOYANG, { latitude: -CHAOYANG.latitude, longitude: CHAOYANG.longitude - 180 });
    expect(d).toBeCloseTo(half, 3);
  });

  it('matches known distances and is symmetric', () => {
    // one degree of latitude ≈ 111.2 km
    expect(distanceMetres({ latitude: 22, longitude: 108 }, { latitude: 23, longitude: 108 })).toBeCloseTo(111_195, -1);
    // Nanning → Guilin ≈ 340 km as the crow flies
    const guilin = { latitude: 25.2736, longitude: 110.29 };
    const there = distanceMetres(CHAOYANG, guilin) ?? 0;
    expect(there / 1000).toBeGreaterThan(330);
    expect(there / 1000).toBeLessThan(350);
    expect(distanceMetres(guilin, CHAOYANG)).toBeCloseTo(there, 6);
  });

  it('is null for malformed coordinates', () => {
    const bad: unknown[] = [
      { latitude: 91, longitude: 0 },
      { latitude: -90.0001, longitude: 0 },
      { latitude: 0, longitude: 180.5 },
      { latitude: Number.NaN, longitude: 0 },
      { latitude: 0, longitude: Number.POSITIVE_INFINITY },
      { latitude: '22.8', longitude: 108.3 },
      { latitude: 22.8 },
      null,
      'here',
    ];
    for (const point of bad) {
      expect(isValidCoordinates(point)).toBe(false);
      expect(distanceMetres(point as never, CHAOYANG)).toBeNull();
      expect(distanceMetres(CHAOYANG, point as never)).toBeNull();
    }
    expect(isValidCoordinates({ latitude: 90, longitude: -180 })).toBe(true);
  });

  it('isInChina catches points outside China and latitude/longitude swapped', () => {
    expect(isInChina(CHAOYANG)).toBe(true);
    expect(isInChina({ latitude: CHAOYANG.longitude, longitude: CHAOYANG.latitude })).toBe(false);
    expect(isInChina({ latitude: 51.5, longitude: -0.12 })).toBe(false);
  });
});

describe('formatDistance', () => {
  it('metres to 10 m under a kilometre, one decimal under 100 km, whole km beyond', () => {
    expect(formatDistance(0)).toBe('0 米');
    expect(formatDistance(4)).toBe('0 米');
    expect(formatDistance(856)).toBe('860 米');
    expect(formatDistance(994)).toBe('990 米');
    expect(formatDistance(995)).toBe('1.0 公里');
    expect(formatDistance(3249)).toBe('3.2 公里');
    expect(formatDistance(99_949)).toBe('99.9 公里');
    expect(formatDistance(99_950)).toBe('100 公里');
    expect(formatDistance(342_600)).toBe('343 公里');
  });

  it('is empty for no distance', () => {
    for (const value of [null, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(formatDistance(value)).toBe('');
  });
});

describe('sortByDistance', () => {
  const offices = [
    { name: '西乡塘大队', latitude: 22.838, longitude: 108.291 },
    { name: '青秀大队', latitude: 22.817, longitude: 108.396 },
    { name: '江南大队', latitude: 22.789, longitude: 108.298 },
    { name: '兴宁大队', latitude: 22.8415, longitude: 108.3761 },
  ];

  it('nearest first from the origin, each with its distance', () => {
    const sorted = sortByDistance(offices, { latitude: 22.816, longitude: 108.395 }, PINYIN);
    expect(sorted.map((s) => s.item.name)).toEqual(['青秀大队', '兴宁大队', '江南大队', '西乡塘大队']);
    const distances = sorted.map((s) => s.distance ?? -1);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(distances[0]).toBeLessThan(200);
  });

  it('without an origin (or with a malformed one): pinyin order of the names, no distances', () => {
    for (const origin of [null, { latitude: 95, longitude: 0 }]) {
      const sorted = sortByDistance(offices, origin, PINYIN);
      expect(sorted.map((s) => s.item.name)).toEqual(['江南大队', '青秀大队', '西乡塘大队', '兴宁大队']);
      expect(sorted.every((s) => s.distance === null)).toBe(true);
    }
  });

  it('ties by name, then input order; malformed places last', () => {
    const here = { latitude: 22.8, longitude: 108.3 };
    const same = { latitude: 22.81, longitude: 108.31 };
    const items = [
      { name: '乙站', ...same },
      { name: '坏坐标', latitude: 200, longitude: 108 },
      { name: '甲站', ...same },
      { name: '甲站', ...same, id: 2 },
      { name: '阿站', latitude: 22.9, longitude: 108.4 },
    ];
    const sorted = sortByDistance(items, here, PINYIN);
    expect(sorted.map((s) => s.item.name)).toEqual(['甲站', '甲站', '乙站', '阿站', '坏坐标']);
    expect(sorted[1]?.item).toBe(items[3]);
    expect(sorted[0]?.distance).toBe(sorted[2]?.distance);
    expect(sorted[4]?.distance).toBeNull();
  });

  it('Node here collates Chinese in pinyin order', () => {
    expect(new Intl.Collator('zh-Hans-CN-u-co-pinyin').resolvedOptions().locale).toMatch(/^zh/);
    expect(['邕宁', '阿里', '武鸣', '良庆'].sort(PINYIN)).toEqual(['阿里', '良庆', '武鸣', '邕宁']);
  });
});
