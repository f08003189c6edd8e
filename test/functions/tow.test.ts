/**
 * `tow` on the local cloud: a bound car's current tow with the yard and fee; any other plate answered exactly like a
 * bound car with no tow; released tows gone and never brought back by an older export; `importTows` rows.
 */
import type { TowQueryResult } from '../../miniprogram/domain/tow/contract';
import type { TowRow, ImportResult } from '../../cloudfunctions/_shared/police/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Car } from '../helpers/story';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'tw');
const w = () => world;

const NO_TOW = { ok: false, code: 'NOT_FOUND', message: '未查询到该车辆被拖移的记录。' };
let n = 0;

function towRow(car: Pick<Car, 'plate' | 'plateType'>, fields: Partial<TowRow> = {}): TowRow {
  n += 1;
  return {
    towId: `TW${String(n).padStart(6, '0')}`,
    plate: car.plate,
    plateType: car.plateType,
    towedAt: '2026-11-20T21:40:00+08:00',
    yardName: '青秀区清障停车场',
    yardAddress: '南宁市青秀区竹溪大道 258 号',
    latitude: 22.82463,
    longitude: 108.35811,
    fee: 30_000,
    yardHours: '24 小时',
    yardPhone: '0771-5550188',
    status: 'towed',
    ...fields,
  };
}

async function importTows(rows: unknown[]): Promise<ImportResult> {
  return world.admin<ImportResult>('importTows', { rows });
}

function query(openid: string, plate: string) {
  return world.call<TowQueryResult>('tow', { action: 'query', plate }, openid);
}

describe('tow.query', () => {
  it('answers the current tow of one of my cars: where, when, how much, when open', async () => {
    const me = await world.driver();
    const car = await world.car(me);
    await world.bindOwn(car);
    expect(await query(me.openid, car.plate)).toEqual(NO_TOW);

    const row = towRow(car);
    expect(await importTows([row])).toEqual({ inserted: 1, updated: 0, errors: [] });
    expect(await query(me.openid, car.plate.toLowerCase())).toEqual({
      ok: true,
      data: {
        tow: {
          plate: car.plate,
          plateType: '02',
          towedAt: '2026-11-20T21:40:00+08:00',
          yardName: row.yardName,
          yardAddress: row.yardAddress,
          latitude: row.latitude,
          longitude: row.longitude,
          fee: 30_000,
          yardHours: '24 小时',
          yardPhone: '0771-5550188',
        },
      },
    });
  });

  it('another car is NOT_FOUND, answered exactly like a car of mine with no tow', async () => {
    const me = await world.driver();
    const stranger = await world.driver();
    const mine = await world.car(me);
    const theirs = await world.car(stranger, { green: true });
    await world.bindOwn(mine);
    await world.bindOwn(theirs, stranger.openid);
    await importTows([towRow(theirs, { fee: 45_000 })]);

    const mineWithout = await query(me.openid, mine.plate);
    const theirsWith = await query(me.openid, theirs.plate);
    const unknown = await query(me.openid, world.newPlate());
    expect(mineWithout).toEqual(NO_TOW);
    expect(theirsWith).toEqual(mineWithout);
    expect(unknown).toEqual(mineWithout);
    // …while its owner sees it
    expect(await query(stranger.openid, theirs.plate)).toMatchObject({ ok: true, data: { tow: { fee: 45_000 } } });
  });

  it("a car I may drive with its owner's consent counts as mine; after unbinding it does not", async () => {
    const owner = await world.driver();
    const driver = await world.driver();
    const car = await world.car(owner);
    await world.bindOther(driver, car);
    await importTows([towRow(car)]);
    expect(await query(driver.openid, car.plate)).toMatchObject({ ok: true, data: { tow: { plate: car.plate } } });
    await world.ok('vehicle', { action: 'unbind', plate: car.plate }, driver.openid);
    expect(await query(driver.openid, car.plate)).toEqual(NO_TOW);
  });

  it('only a car still at the yard: released is gone, the newest tow wins, an older export never un-releases', async () => {
    const me = await world.driver();
    const car = await world.car(me);
    await world.bindOwn(car);
    const earlier = towRow(car, { towedAt: '2026-10-01T09:00:00+08:00', yardName: '江南区清障停车场' });
    const later = towRow(car, { towedAt: '2026-11-21T09:00:00+08:00', yardName: '兴宁区清障停车场' });
    await importTows([earlier, later]);
    expect(await query(me.openid, car.plate)).toMatchObject({
      ok: true,
      data: { tow: { yardName: '兴宁区清障停车场' } },
    });

    expect(
      await importTows([
        { ...later, status: 'released' },
        { ...earlier, status: 'released' },
      ]),
    ).toEqual({ inserted: 0, updated: 2, errors: [] });
    expect(await query(me.openid, car.plate)).toEqual(NO_TOW);
    // yesterday's export, still saying "towed", arrives late
    expect(await importTows([later])).toMatchObject({ errors: [] });
    expect(await query(me.openid, car.plate)).toEqual(NO_TOW);
  });

  it('needs a verified user; a malformed or foreign plate is refused before anything is looked up', async () => {
    const unverified = await world.driver({ verified: false });
    expect(await query(unverified.openid, '桂A12345')).toMatchObject({ ok: false, code: 'NOT_VERIFIED' });
    expect(await query('o-tw-stranger', '桂A12345')).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    const me = await world.driver();
    expect(await query(me.openid, '桂B12345')).toMatchObject({ ok: false, code: 'PLATE_NOT_SUPPORTED' });
    expect(await world.call('tow', { action: 'query' }, me.openid)).toMatchObject({
      ok: false,
      code: 'INVALID_ARGUMENT',
    });
  });
});

describe('importTows', () => {
  it('reports each bad row and applies the others', async () => {
    const car = { plate: world.newPlate(), plateType: '02' as const };
    const result = await importTows([
      towRow(car, { towedAt: '2099-01-01T00:00:00+08:00' }),
      towRow(car, { plate: '桂B12345' }),
      towRow(car, { fee: 12.5 }),
      towRow(car, { latitude: 0, longitude: 0 }),
      towRow(car, { yardPhone: '请拨打' }),
      towRow(car),
    ]);
    expect(result.inserted).toBe(1);
    expect(result.errors.map((e) => [e.row, e.code, e.field])).toEqual([
      [0, 'INVALID_ARGUMENT', 'rows[0].towedAt'],
      [1, 'PLATE_NOT_SUPPORTED', 'rows[1].plate'],
      [2, 'INVALID_ARGUMENT', 'rows[2].fee'],
      [3, 'INVALID_ARGUMENT', 'rows[3].latitude'],
      [4, 'INVALID_ARGUMENT', 'rows[4].yardPhone'],
    ]);
    expect(await world.call('admin', { action: 'importTows', rows: [towRow(car)] })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
  });
});

finalChecks(w);
