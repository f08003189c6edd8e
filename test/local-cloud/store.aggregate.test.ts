/** Store aggregate: mingo's stages ($match narrowed by indexes, $group, $lookup narrowed by the foreign key, ...). */
import { openStore } from '../../scripts/local-cloud/store/index';
import { expectStoreError } from './store-assertions';
import type { LocalStore } from '../../scripts/local-cloud/store/index';

let store: LocalStore;
beforeEach(() => {
  store = openStore({
    dir: ':memory:',
    indexes: {
      collections: {
        violations: { indexes: [{ name: 'plate', keys: { plate: 1, status: 1 } }] },
        vehicles: { indexes: [{ name: 'plate', keys: { plate: 1 }, unique: true }] },
      },
    },
  });
  store.insert('vehicles', [
    { _id: 'car1', plate: 'A1', owner: 'P1', color: 'red' },
    { _id: 'car2', plate: 'A2', owner: 'P2', color: 'blue' },
    { _id: 'car3', plate: 'A3', owner: 'P1', color: 'red' },
  ]);
  store.insert('violations', [
    {
      _id: 'v1',
      plate: 'A1',
      status: 'unpaid',
      fine: 200,
      points: 3,
      at: new Date('2024-01-01'),
      tags: ['speed', 'night'],
    },
    { _id: 'v2', plate: 'A1', status: 'paid', fine: 100, points: 1, at: new Date('2024-02-01'), tags: ['park'] },
    { _id: 'v3', plate: 'A2', status: 'unpaid', fine: 50, points: 0, at: new Date('2024-03-01'), tags: [] },
    { _id: 'v4', plate: 'A3', status: 'unpaid', fine: 150, points: 2, at: new Date('2024-04-01'), tags: ['speed'] },
  ]);
});
afterEach(() => store.close());

test('$match $group ($sum $avg $max $push) $sort', () => {
  const out = store.aggregate('violations', [
    { $match: { status: 'unpaid' } },
    {
      $group: {
        _id: '$plate',
        total: { $sum: '$fine' },
        avg: { $avg: '$points' },
        last: { $max: '$at' },
        ids: { $push: '$_id' },
        n: { $sum: 1 },
      },
    },
    { $sort: { total: -1 } },
  ]);
  expect(out).toEqual([
    { _id: 'A1', total: 200, avg: 3, last: new Date('2024-01-01'), ids: ['v1'], n: 1 },
    { _id: 'A3', total: 150, avg: 2, last: new Date('2024-04-01'), ids: ['v4'], n: 1 },
    { _id: 'A2', total: 50, avg: 0, last: new Date('2024-03-01'), ids: ['v3'], n: 1 },
  ]);
});

test('$project $addFields $unwind $skip $limit $count', () => {
  expect(
    store.aggregate('violations', [
      { $unwind: '$tags' },
      { $group: { _id: '$tags', n: { $sum: 1 } } },
      { $sort: { n: -1, _id: 1 } },
      { $limit: 2 },
    ]),
  ).toEqual([
    { _id: 'speed', n: 2 },
    { _id: 'night', n: 1 },
  ]);
  expect(
    store.aggregate('violations', [
      { $sort: { fine: 1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $project: { _id: 0, fine: 1, double: { $multiply: ['$fine', 2] } } },
    ]),
  ).toEqual([
    { fine: 100, double: 200 },
    { fine: 150, double: 300 },
  ]);
  expect(
    store.aggregate('violations', [
      { $match: { fine: { $gte: 100 } } },
      { $addFields: { big: { $gt: ['$fine', 120] } } },
      { $match: { big: true } },
      { $count: 'n' },
    ]),
  ).toEqual([{ n: 2 }]);
});

test('$lookup (localField/foreignField, narrowed to the local values) and $lookup with a pipeline', () => {
  const joined = store.aggregate('vehicles', [
    { $match: { owner: 'P1' } },
    { $lookup: { from: 'violations', localField: 'plate', foreignField: 'plate', as: 'violations' } },
    { $project: { plate: 1, n: { $size: '$violations' } } },
    { $sort: { plate: 1 } },
  ]);
  expect(joined).toEqual([
    { _id: 'car1', plate: 'A1', n: 2 },
    { _id: 'car3', plate: 'A3', n: 1 },
  ]);
  // The foreign side was fetched through its index: no unindexed query was counted for it.
  expect(store.stats().unindexedShapes).toEqual({ 'vehicles {owner}': 1 });

  const reverse = store.aggregate('violations', [
    { $match: { _id: { $in: ['v3', 'v4'] } } },
    { $lookup: { from: 'vehicles', localField: 'plate', foreignField: 'plate', as: 'car' } },
    { $unwind: '$car' },
    { $project: { _id: 1, color: '$car.color' } },
    { $sort: { _id: 1 } },
  ]);
  expect(reverse).toEqual([
    { _id: 'v3', color: 'blue' },
    { _id: 'v4', color: 'red' },
  ]);

  const piped = store.aggregate('vehicles', [
    { $match: { plate: 'A1' } },
    {
      $lookup: {
        from: 'violations',
        let: { p: '$plate' },
        pipeline: [{ $match: { $expr: { $eq: ['$plate', '$$p'] } } }, { $match: { status: 'paid' } }],
        as: 'paid',
      },
    },
    { $project: { paid: '$paid._id' } },
  ]);
  expect(piped).toEqual([{ _id: 'car1', paid: ['v2'] }]);
});

test('$lookup on a missing local field matches foreign documents without the field (Mongo rule)', () => {
  store.insert('a', [{ _id: 'x' }]);
  store.insert('b', [{ _id: 'y' }, { _id: 'z', k: 1 }]);
  expect(store.aggregate('a', [{ $lookup: { from: 'b', localField: 'k', foreignField: 'k', as: 'j' } }])).toEqual([
    { _id: 'x', j: [{ _id: 'y' }] },
  ]);
});

test('unknown stages, writing stages and malformed pipelines are refused by name', () => {
  expectStoreError(() => store.aggregate('violations', [{ $foo: {} }]), 'UNSUPPORTED', /\$foo/);
  expectStoreError(
    () => store.aggregate('violations', [{ $group: { _id: null, x: { $bar: 1 } } }]),
    'UNSUPPORTED',
    /\$bar/,
  );
  expectStoreError(() => store.aggregate('violations', [{ $out: 'copy' }]), 'UNSUPPORTED', /\$out/);
  expectStoreError(
    () => store.aggregate('violations', [{ $facet: { a: [{ $merge: 'x' }] } }]),
    'UNSUPPORTED',
    /\$merge/,
  );
  expectStoreError(() => store.aggregate('violations', [{ $match: {}, $limit: 1 }]), 'INVALID', /exactly one/);
  expectStoreError(
    () =>
      store.aggregate('violations', [{ $group: { _id: null, f: { $function: { body: 'x', args: [], lang: 'js' } } } }]),
    'UNSUPPORTED',
  );
  expectStoreError(() => store.aggregate('violations', {} as unknown as Record<string, unknown>[]), 'INVALID', /array/);
});

test('aggregate on a missing collection is empty', () => {
  expect(store.aggregate('nothing', [{ $match: { a: 1 } }])).toEqual([]);
  expect(store.aggregate('nothing', [{ $group: { _id: '$a', n: { $sum: 1 } } }])).toEqual([]);
});
