/** Store reads: every query operator family through mingo, sort/skip/limit/projection, count, index narrowing, errors. */
import { EJSON } from 'bson';
import { decodeDoc, encodeDoc } from '../../scripts/local-cloud/store/codec';
import { openStore } from '../../scripts/local-cloud/store/index';
import { expectStoreError } from './store-assertions';
import type { Doc, IndexFile, LocalStore } from '../../scripts/local-cloud/store/index';

const INDEXES: IndexFile = {
  collections: {
    cars: {
      indexes: [
        { name: 'plate', keys: { plate: 1, plateType: 1 }, unique: true },
        { name: 'owner', keys: { 'owner.idNumber': 1 } },
        { name: 'at', keys: { at: -1 } },
        { name: 'n', keys: { n: 1 } },
        { name: 'flag', keys: { flag: 1 } },
      ],
    },
  },
};

const D = (s: string): Date => new Date(s);

const CARS: Doc[] = [
  {
    _id: 'c1',
    plate: '桂A10001',
    plateType: '02',
    n: 1,
    flag: true,
    at: D('2020-01-01T00:00:00Z'),
    owner: { idNumber: 'P1', name: '张三' },
    tags: ['red', 'suv'],
    points: [3, 6],
  },
  {
    _id: 'c2',
    plate: '桂A10002',
    plateType: '02',
    n: 2,
    flag: false,
    at: D('2021-06-15T12:30:00.5Z'),
    owner: { idNumber: 'P2', name: '李四' },
    tags: ['blue'],
    points: [],
  },
  {
    _id: 'c3',
    plate: '桂B20003',
    plateType: '01',
    n: 3.5,
    flag: null,
    at: D('1965-03-01T00:00:00Z'),
    owner: { idNumber: 'P1', name: '张三' },
    tags: [],
  },
  {
    _id: 'c4',
    plate: '桂A10004',
    plateType: '52',
    n: '3',
    at: D('2023-12-31T23:59:59.999Z'),
    owner: null,
    tags: ['red'],
  },
  {
    _id: 'c5',
    plate: 'gui-a',
    plateType: '02',
    n: -1,
    wheels: [
      { pos: 'fl', psi: 30 },
      { pos: 'fr', psi: 33 },
    ],
  },
];

let store: LocalStore;

beforeEach(() => {
  store = openStore({ dir: ':memory:', indexes: INDEXES });
  store.insert('cars', CARS);
});
afterEach(() => store.close());

const ids = (filter: Record<string, unknown>, opts = {}): string[] =>
  store.find('cars', filter, opts).map((d) => d._id);
const sortedIds = (filter: Record<string, unknown>): string[] => ids(filter).sort();

describe('query operators (mingo semantics)', () => {
  test('comparison: $eq $ne $gt $gte $lt $lte $in $nin, type bracketing', () => {
    expect(sortedIds({ n: 1 })).toEqual(['c1']);
    expect(sortedIds({ n: { $eq: 2 } })).toEqual(['c2']);
    expect(sortedIds({ n: { $gt: 1 } })).toEqual(['c2', 'c3']); // the string '3' is not a number
    expect(sortedIds({ n: { $gte: 1, $lt: 3.5 } })).toEqual(['c1', 'c2']);
    expect(sortedIds({ n: { $lte: 2 } })).toEqual(['c1', 'c2', 'c5']);
    expect(sortedIds({ n: { $in: [1, '3'] } })).toEqual(['c1', 'c4']);
    expect(sortedIds({ n: { $nin: [1, 2, 3.5] } })).toEqual(['c4', 'c5']);
    expect(sortedIds({ n: { $ne: 1 } })).toEqual(['c2', 'c3', 'c4', 'c5']);
    expect(sortedIds({ n: '3' })).toEqual(['c4']);
    expect(sortedIds({ n: 3 })).toEqual([]);
    expect(sortedIds({ plate: { $gte: '桂B' } })).toEqual(['c3']);
    expect(sortedIds({ plate: { $lt: '桂' } })).toEqual(['c5']);
  });

  test('booleans and null vs missing', () => {
    expect(sortedIds({ flag: true })).toEqual(['c1']);
    expect(sortedIds({ flag: false })).toEqual(['c2']);
    expect(sortedIds({ flag: null })).toEqual(['c3', 'c4', 'c5']); // null matches missing too
    expect(sortedIds({ flag: { $exists: false } })).toEqual(['c4', 'c5']);
    expect(sortedIds({ flag: { $in: [null, true] } })).toEqual(['c1', 'c3', 'c4', 'c5']);
    expect(sortedIds({ n: { $in: [true] } })).toEqual([]); // 1 is not true
  });

  test('logical: $and $or $nor $not', () => {
    expect(sortedIds({ $or: [{ n: 1 }, { plate: 'gui-a' }] })).toEqual(['c1', 'c5']);
    expect(sortedIds({ $and: [{ plateType: '02' }, { n: { $gt: 1 } }] })).toEqual(['c2']);
    expect(sortedIds({ $nor: [{ plateType: '02' }, { n: '3' }] })).toEqual(['c3']);
    expect(sortedIds({ n: { $not: { $gt: 1 } } })).toEqual(['c1', 'c4', 'c5']);
    expect(sortedIds({ $or: [{ plate: '桂A10001' }, { 'owner.idNumber': 'P2' }] })).toEqual(['c1', 'c2']);
  });

  test('element: $exists $type', () => {
    expect(sortedIds({ wheels: { $exists: true } })).toEqual(['c5']);
    expect(sortedIds({ n: { $type: 'string' } })).toEqual(['c4']);
    expect(sortedIds({ n: { $type: 'number' } })).toEqual(['c1', 'c2', 'c3', 'c5']);
    expect(sortedIds({ at: { $type: 'date' } })).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(sortedIds({ owner: { $type: 'null' } })).toEqual(['c4']);
  });

  test('array: $all $elemMatch $size, element equality', () => {
    expect(sortedIds({ tags: 'red' })).toEqual(['c1', 'c4']);
    expect(sortedIds({ tags: { $all: ['red', 'suv'] } })).toEqual(['c1']);
    expect(sortedIds({ tags: { $size: 0 } })).toEqual(['c3']);
    expect(sortedIds({ wheels: { $elemMatch: { pos: 'fr', psi: { $gt: 31 } } } })).toEqual(['c5']);
    expect(sortedIds({ 'wheels.psi': 30 })).toEqual(['c5']);
    expect(sortedIds({ 'wheels.1.pos': 'fr' })).toEqual(['c5']);
    expect(sortedIds({ points: { $gt: 5 } })).toEqual(['c1']);
    expect(sortedIds({ tags: ['blue'] })).toEqual(['c2']);
  });

  test('evaluation: $regex (string and RegExp, options) $mod $expr', () => {
    expect(sortedIds({ plate: /^桂A/ })).toEqual(['c1', 'c2', 'c4']);
    expect(sortedIds({ plate: { $regex: '^GUI', $options: 'i' } })).toEqual(['c5']);
    expect(sortedIds({ plate: { $regex: /0[34]$/ } })).toEqual(['c3', 'c4']);
    expect(sortedIds({ n: { $mod: [2, 0] } })).toEqual(['c2']);
    expect(sortedIds({ $expr: { $gt: ['$n', 1.5] } })).toContain('c2');
  });

  test('bitwise operators (on integers)', () => {
    store.insert('bits', [
      { _id: 'two', n: 2 },
      { _id: 'three', n: 3 },
      { _id: 'eight', n: 8 },
      { _id: 'minus', n: -1 },
    ]);
    const bits = (f: Record<string, unknown>): string[] =>
      store
        .find('bits', f)
        .map((d) => d._id)
        .sort();
    expect(bits({ n: { $bitsAllSet: [1] } })).toEqual(['minus', 'three', 'two']);
    expect(bits({ n: { $bitsAllClear: 3 } })).toEqual(['eight']);
    expect(bits({ n: { $bitsAnySet: [0, 3] } })).toEqual(['eight', 'minus', 'three']);
    expect(bits({ n: { $bitsAnyClear: [0] } })).toEqual(['eight', 'two']);
  });

  test('dotted paths into sub-documents and null parents', () => {
    expect(sortedIds({ 'owner.idNumber': 'P1' })).toEqual(['c1', 'c3']);
    expect(sortedIds({ 'owner.name': { $in: ['李四'] } })).toEqual(['c2']);
    expect(sortedIds({ 'owner.idNumber': null })).toEqual(['c4', 'c5']);
    expect(sortedIds({ owner: { idNumber: 'P2', name: '李四' } })).toEqual(['c2']);
  });

  test('dates compare as dates (equality, ranges, before 1970, milliseconds)', () => {
    expect(sortedIds({ at: D('2020-01-01T00:00:00Z') })).toEqual(['c1']);
    expect(sortedIds({ at: { $gt: D('2021-01-01') } })).toEqual(['c2', 'c4']);
    expect(sortedIds({ at: { $lt: D('2020-01-01') } })).toEqual(['c3']);
    expect(sortedIds({ at: { $gte: D('2021-06-15T12:30:00.5Z'), $lte: D('2021-06-15T12:30:00.5Z') } })).toEqual(['c2']);
    expect(sortedIds({ at: { $in: [D('2023-12-31T23:59:59.999Z'), D('1965-03-01')] } })).toEqual(['c3', 'c4']);
    const [c2] = store.find('cars', { _id: 'c2' });
    expect(c2?.['at']).toBeInstanceOf(Date);
    expect((c2?.['at'] as Date).toISOString()).toBe('2021-06-15T12:30:00.500Z');
  });

  test('unknown and disabled operators are answered with their names', () => {
    expectStoreError(() => store.find('cars', { n: { $foo: 1 } }), 'UNSUPPORTED', /\$foo/);
    expectStoreError(() => store.find('cars', { $bar: 1 }), 'UNSUPPORTED', /\$bar/);
    expectStoreError(() => store.find('cars', { $where: 'this.n > 1' }), 'UNSUPPORTED', /\$where/);
    expectStoreError(() => store.find('nothing', { n: { $near: [1, 2] } }), 'UNSUPPORTED', /\$near/);
    expectStoreError(() => store.find('cars', { $and: 5 }), 'INVALID', /\$and/);
    expectStoreError(() => store.find('cars', { plate: { $regex: '(' } }), 'INVALID');
    expectStoreError(() => store.find('cars', [] as unknown as Record<string, unknown>), 'INVALID', /filter/);
  });
});

describe('sort, skip, limit, projection, count', () => {
  test('multi-key sort with dotted paths', () => {
    expect(ids({ plateType: '02' }, { sort: { 'owner.idNumber': -1, n: 1 } })).toEqual(['c2', 'c1', 'c5']);
    expect(ids({}, { sort: { plateType: 1, n: -1 } })).toEqual(['c3', 'c2', 'c1', 'c5', 'c4']);
  });

  test('mixed types sort in Mongo order (missing/null < numbers < strings < objects < booleans < dates)', () => {
    store.insert('mixed', [
      { _id: 'date', x: D('2020-01-01') },
      { _id: 'bool', x: true },
      { _id: 'obj', x: { a: 1 } },
      { _id: 'str', x: 'a' },
      { _id: 'num', x: 5 },
      { _id: 'null', x: null },
      { _id: 'missing' },
    ]);
    const order = store.find('mixed', {}, { sort: { x: 1 } }).map((d) => d._id);
    expect(order.slice(0, 2).sort()).toEqual(['missing', 'null']);
    expect(order.slice(2)).toEqual(['num', 'str', 'obj', 'bool', 'date']);
    const desc = store.find('mixed', {}, { sort: { x: -1 } }).map((d) => d._id);
    expect(desc.slice(0, 5)).toEqual(['date', 'bool', 'obj', 'str', 'num']);
  });

  test('skip and limit, with and without sort (limit 0 = no limit)', () => {
    expect(ids({}, { sort: { _id: 1 }, skip: 1, limit: 2 })).toEqual(['c2', 'c3']);
    expect(ids({}, { sort: { _id: -1 }, limit: 1 })).toEqual(['c5']);
    expect(ids({}, { limit: 2 })).toHaveLength(2);
    expect(ids({}, { skip: 4 })).toHaveLength(1);
    expect(ids({}, { limit: 0 })).toHaveLength(5);
    expect(ids({}, { skip: 10 })).toEqual([]);
    expectStoreError(() => ids({}, { limit: -1 }), 'INVALID', /limit/);
    expectStoreError(() => ids({}, { skip: 1.5 }), 'INVALID', /skip/);
    expectStoreError(() => ids({}, { sort: { n: 2 } }), 'INVALID', /sort/);
  });

  test('projection: inclusion, exclusion, dotted, _id rules', () => {
    const [inc] = store.find('cars', { _id: 'c1' }, { projection: { plate: 1, 'owner.name': 1 } });
    expect(inc).toEqual({ _id: 'c1', plate: '桂A10001', owner: { name: '张三' } });
    const [noId] = store.find('cars', { _id: 'c1' }, { projection: { plate: 1, _id: 0 } });
    expect(noId).toEqual({ plate: '桂A10001' });
    const [exc] = store.find('cars', { _id: 'c2' }, { projection: { owner: 0, tags: 0, points: 0, at: 0 } });
    expect(exc).toEqual({ _id: 'c2', plate: '桂A10002', plateType: '02', n: 2, flag: false });
    const sorted = store.find('cars', { plateType: '02' }, { sort: { n: -1 }, limit: 2, projection: { n: 1 } });
    expect(sorted).toEqual([
      { _id: 'c2', n: 2 },
      { _id: 'c1', n: 1 },
    ]);
    expectStoreError(() => store.find('cars', {}, { projection: { a: 1, b: 0 } }), 'INVALID', /projection/);
  });

  test('count', () => {
    expect(store.count('cars', {})).toBe(5);
    expect(store.count('cars', { plateType: '02' })).toBe(3);
    expect(store.count('cars', { 'owner.idNumber': 'P1' })).toBe(2);
    expect(store.count('absent', {})).toBe(0);
    expect(store.find('absent', { a: 1 })).toEqual([]);
  });

  test('returned documents are copies', () => {
    const [c1] = store.find('cars', { _id: 'c1' });
    (c1 as Doc)['plate'] = 'changed';
    expect(store.find('cars', { _id: 'c1' })[0]?.['plate']).toBe('桂A10001');
  });
});

describe('index narrowing', () => {
  test('declared indexes and _id narrow; EXPLAIN shows the index', () => {
    expect(store.explain('cars', { plate: '桂A10001', plateType: '02' }).index).toBe('plate');
    expect(store.explain('cars', { plate: '桂A10001', plateType: '02' }).queryPlan.join(' ')).toMatch(
      /USING INDEX ix:cars:plate/,
    );
    expect(store.explain('cars', { 'owner.idNumber': { $in: ['P1', 'P2'] } }).index).toBe('owner');
    expect(store.explain('cars', { at: { $gte: D('2020-01-01') } }).queryPlan.join(' ')).toMatch(
      /USING INDEX ix:cars:at/,
    );
    expect(store.explain('cars', { _id: 'c1', n: 5 }).queryPlan.join(' ')).toMatch(/USING INDEX sqlite_autoindex/);
    expect(store.explain('cars', { plate: /^桂A/ }).index).toBe('plate');
    expect(store.explain('cars', { $or: [{ n: 1 }, { plate: 'x' }] }).index).toBe('n|plate');
    expect(store.explain('cars', { $or: [{ n: 1 }, { plateType: 'x' }] }).index).toBeNull();
    expect(store.explain('cars', { plateType: '02' }).index).toBeNull(); // not a leading key
    expect(store.explain('cars', { n: { $ne: 1 } }).index).toBeNull();
    expect(store.explain('cars', { plate: /^桂A/i }).index).toBeNull();
  });

  test('unindexed queries are counted by shape; empty filters are full listings', () => {
    store.find('cars', { plateType: '02', flag2: 1 });
    store.count('cars', { plateType: '01' });
    store.find('cars', { plate: 'x' });
    store.find('cars', {});
    store.aggregate('cars', [{ $match: { tags: 'red' } }]);
    store.update('cars', { color: 'red' }, { $set: { x: 1 } }, { multi: true, upsert: false, replace: false });
    store.remove('cars', { color: 'red' }, { multi: true });
    const st = store.stats();
    expect(st.unindexedQueries).toBe(5); // { plate: 'x' } was narrowed by the plate index
    expect(st.unindexedShapes).toEqual({
      'cars {flag2,plateType}': 1,
      'cars {plateType}': 1,
      'cars {tags}': 1,
      'cars {color}': 2,
    });
    expect(st.fullListings).toBe(1);
    expect(st.collections).toEqual({ cars: 5 });
  });

  test('an array on an indexed path stops narrowing by that path (no dropped matches)', () => {
    expect(store.explain('cars', { n: 7 }).index).toBe('n');
    store.insert('cars', [{ _id: 'arr', plate: 'Z', plateType: 'Z', n: [7, 8] }]);
    expect(store.explain('cars', { n: 7 }).index).toBeNull();
    expect(sortedIds({ n: 7 })).toEqual(['arr']);
    expect(sortedIds({ n: { $gt: 7.5 } })).toEqual(['arr']);
  });

  test('loose SQL narrowing never decides: numbers vs strings, booleans vs 1/0, dates vs strings', () => {
    store.insert('cars', [
      { _id: 'one', plate: 'P', plateType: 'one', n: 1, flag: 1 },
      { _id: 'str', plate: 'P', plateType: 'str', n: '1', flag: 'true', at: '2021-01-01' },
    ]);
    expect(sortedIds({ n: 1 })).toEqual(['c1', 'one']);
    expect(sortedIds({ n: '1' })).toEqual(['str']);
    expect(sortedIds({ flag: true })).toEqual(['c1']);
    expect(sortedIds({ flag: 1 })).toEqual(['one']);
    expect(sortedIds({ at: { $gte: D('2021-01-01') } })).toEqual(['c2', 'c4']);
    expect(sortedIds({ at: { $gte: '2021' } })).toEqual(['str']);
  });
});

describe('documents', () => {
  test('generated _id is 32 hex characters; given _ids are kept', () => {
    const [id] = store.insert('x', [{ a: 1 }]);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(store.insert('x', [{ _id: 'mine', a: 2 }])).toEqual(['mine']);
    expectStoreError(() => store.insert('x', [{ _id: 5 }]), 'INVALID', /_id/);
  });

  test('field names: NUL, $-prefix, dots and prototype names are refused', () => {
    expectStoreError(() => store.insert('x', [{ 'a\u0000b': 1 }]), 'INVALID', /NUL/);
    expectStoreError(() => store.insert('x', [{ $set: 1 }]), 'INVALID', /\$set/);
    expectStoreError(() => store.insert('x', [{ 'a.b': 1 }]), 'INVALID', /a\.b/);
    expectStoreError(
      () => store.insert('x', [JSON.parse('{"__proto__": {"polluted": 1}}') as Record<string, unknown>]),
      'INVALID',
      /__proto__/,
    );
    expectStoreError(() => store.insert('x', [{ nested: { constructor: 1 } }]), 'INVALID', /constructor/);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(store.count('x', {})).toBe(0);
  });

  test('values: undefined fields dropped, non-JSON values refused', () => {
    const [id] = store.insert('x', [{ a: undefined, b: [undefined, 1], c: -0 }]);
    expect(store.find('x', { _id: id })[0]).toEqual({ _id: id, b: [null, 1], c: 0 });
    expectStoreError(() => store.insert('x', [{ a: NaN }]), 'INVALID', /NaN/);
    expectStoreError(() => store.insert('x', [{ a: /re/ }]), 'INVALID', /RegExp/);
    expectStoreError(() => store.insert('x', [{ a: new Map() }]), 'INVALID', /Map/);
    expectStoreError(() => store.insert('x', [{ a: new Date(Number.NaN) }]), 'INVALID', /date/);
    expectStoreError(() => store.insert('x', [{ a: new Date('+010000-01-01T00:00:00Z') }]), 'INVALID', /date/);
    expectStoreError(() => store.insert('x', [{ a: 10n }]), 'INVALID', /bigint/);
  });

  test('stored text is relaxed EJSON that bson parses to the same document', () => {
    const doc = {
      _id: 'e',
      d: D('2020-01-01T00:00:00Z'),
      old: D('1901-05-06T07:08:09.010Z'),
      n: 1.5,
      s: 'x"\\y',
      a: [1, { b: null }],
      o: { k: true },
    };
    const text = encodeDoc(doc);
    expect(text).toContain('"d":{"$date":"2020-01-01T00:00:00.000Z"}');
    expect(EJSON.parse(text, { relaxed: true })).toEqual(doc);
    expect(decodeDoc(text)).toEqual(doc);
    expect(decodeDoc(EJSON.stringify(doc, { relaxed: true }))).toEqual(doc);
  });

  test('collection names are checked', () => {
    expectStoreError(() => store.insert('sqlite_master', [{ a: 1 }]), 'INVALID', /reserved/);
    expectStoreError(() => store.insert('', [{ a: 1 }]), 'INVALID', /collection/);
    store.insert('名字 with "quotes"', [{ _id: 'q' }]);
    expect(store.count('名字 with "quotes"', {})).toBe(1);
  });
});

describe('projection operators', () => {
  test('sort on a field the projection leaves out; $slice and $elemMatch projections', () => {
    expect(store.find('cars', { plateType: '02' }, { sort: { n: -1 }, projection: { plate: 1, _id: 0 } })).toEqual([
      { plate: '桂A10002' },
      { plate: '桂A10001' },
      { plate: 'gui-a' },
    ]);
    expect(store.find('cars', { _id: 'c1' }, { projection: { tags: { $slice: 1 }, plate: 1 } })).toEqual([
      { _id: 'c1', plate: '桂A10001', tags: ['red'] },
    ]);
    expect(store.find('cars', { _id: 'c5' }, { projection: { wheels: { $elemMatch: { psi: { $gt: 31 } } } } })).toEqual(
      [{ _id: 'c5', wheels: [{ pos: 'fr', psi: 33 }] }],
    );
  });
});
