/** Store writes: each update operator, upsert, replace, unique indexes, refusals that name the operator, no partial writes. */
import { openStore, StoreError } from '../../scripts/local-cloud/store/index';
import { expectStoreError } from './store-assertions';
import type { Doc, LocalStore, UpdateOptions } from '../../scripts/local-cloud/store/index';

const ONE: UpdateOptions = { multi: false, upsert: false, replace: false };
const MANY: UpdateOptions = { multi: true, upsert: false, replace: false };
const UPSERT: UpdateOptions = { multi: false, upsert: true, replace: false };

let store: LocalStore;
beforeEach(() => {
  store = openStore({
    dir: ':memory:',
    indexes: {
      collections: {
        users: { indexes: [{ name: 'openid', keys: { openid: 1 }, unique: true }] },
        vehicles: { indexes: [{ name: 'plate', keys: { plate: 1, plateType: 1 }, unique: true }] },
      },
    },
  });
});
afterEach(() => store.close());

/** Applies one update to a fresh document and returns the stored result. */
function after(doc: Record<string, unknown>, update: Record<string, unknown>): Doc | undefined {
  store.remove('t', {}, { multi: true });
  store.insert('t', [{ _id: 'x', ...doc }]);
  store.update('t', { _id: 'x' }, update, ONE);
  return store.find('t', { _id: 'x' })[0];
}

describe('update operators', () => {
  test('$set (top level, dotted, creating parents, array index) and $unset', () => {
    expect(after({ a: 1 }, { $set: { a: 2, 'b.c': 3 } })).toEqual({ _id: 'x', a: 2, b: { c: 3 } });
    expect(after({ arr: [1, 2] }, { $set: { 'arr.1': 9 } })).toEqual({ _id: 'x', arr: [1, 9] });
    expect(after({ a: 1, b: { c: 1, d: 2 } }, { $unset: { a: '', 'b.c': '', missing: '' } })).toEqual({
      _id: 'x',
      b: { d: 2 },
    });
    expect(after({ d: new Date(0) }, { $set: { d: new Date('2024-05-06T07:08:09.123Z') } })?.['d']).toEqual(
      new Date('2024-05-06T07:08:09.123Z'),
    );
  });

  test('$inc $mul $min $max (numbers and dates)', () => {
    expect(after({ n: 1, f: 1.5 }, { $inc: { n: 2, f: -0.5, fresh: 3 } })).toEqual({ _id: 'x', n: 3, f: 1, fresh: 3 });
    expect(after({ n: 3 }, { $mul: { n: 2, fresh: 5 } })).toEqual({ _id: 'x', n: 6, fresh: 0 });
    expect(after({ lo: 5, hi: 5 }, { $min: { lo: 3 }, $max: { hi: 9 } })).toEqual({ _id: 'x', lo: 3, hi: 9 });
    expect(after({ d: new Date('2020-01-01') }, { $max: { d: new Date('2021-01-01') } })?.['d']).toEqual(
      new Date('2021-01-01'),
    );
    expect(after({ d: new Date('2020-01-01') }, { $min: { d: new Date('2021-01-01') } })?.['d']).toEqual(
      new Date('2020-01-01'),
    );
  });

  test('$rename', () => {
    expect(after({ a: 1, b: { c: 2 } }, { $rename: { a: 'z', 'b.c': 'b.d' } })).toEqual({
      _id: 'x',
      z: 1,
      b: { d: 2 },
    });
    expect(after({ a: 1 }, { $rename: { missing: 'y' } })).toEqual({ _id: 'x', a: 1 });
  });

  test('$push with $each $position $slice $sort; $addToSet with $each', () => {
    expect(after({ a: [1] }, { $push: { a: 2, fresh: 'x' } })).toEqual({ _id: 'x', a: [1, 2], fresh: ['x'] });
    expect(after({ a: [1, 2] }, { $push: { a: { $each: [5, 6], $position: 0 } } })?.['a']).toEqual([5, 6, 1, 2]);
    expect(after({ a: [1, 2, 3] }, { $push: { a: { $each: [4], $slice: -2 } } })?.['a']).toEqual([3, 4]);
    expect(after({ a: [3, 1] }, { $push: { a: { $each: [2], $sort: 1 } } })?.['a']).toEqual([1, 2, 3]);
    expect(after({ a: [{ k: 2 }] }, { $push: { a: { $each: [{ k: 1 }], $sort: { k: 1 } } } })?.['a']).toEqual([
      { k: 1 },
      { k: 2 },
    ]);
    expect(after({ a: [1] }, { $addToSet: { a: { $each: [1, 2, 2, 3] } } })?.['a']).toEqual([1, 2, 3]);
    expect(after({ a: [{ k: 1 }] }, { $addToSet: { a: { k: 1 } } })?.['a']).toEqual([{ k: 1 }]);
  });

  test('$pull (value and condition) $pullAll $pop', () => {
    expect(after({ a: [1, 2, 3, 2] }, { $pull: { a: 2 } })?.['a']).toEqual([1, 3]);
    expect(after({ a: [1, 5, 7] }, { $pull: { a: { $gte: 5 } } })?.['a']).toEqual([1]);
    expect(after({ a: [{ k: 1, v: 1 }, { k: 2 }] }, { $pull: { a: { k: 1 } } })?.['a']).toEqual([{ k: 2 }]);
    expect(after({ a: [1, 2, 3, 2] }, { $pullAll: { a: [2, 3] } })?.['a']).toEqual([1]);
    expect(after({ a: [1, 2, 3] }, { $pop: { a: 1 } })?.['a']).toEqual([1, 2]);
    expect(after({ a: [1, 2, 3] }, { $pop: { a: -1 } })?.['a']).toEqual([2, 3]);
  });

  test('positional $ and $[]', () => {
    store.insert('t', [
      {
        _id: 'p',
        items: [
          { k: 'a', n: 1 },
          { k: 'b', n: 1 },
        ],
      },
    ]);
    store.update('t', { _id: 'p', 'items.k': 'b' }, { $inc: { 'items.$.n': 5 } }, ONE);
    store.update('t', { _id: 'p' }, { $set: { 'items.$[].seen': true } }, ONE);
    expect(store.find('t', { _id: 'p' })[0]?.['items']).toEqual([
      { k: 'a', n: 1, seen: true },
      { k: 'b', n: 6, seen: true },
    ]);
  });

  test('matched vs updated counts; multi', () => {
    store.insert('t', [
      { _id: '1', g: 1, n: 0 },
      { _id: '2', g: 1, n: 5 },
      { _id: '3', g: 2, n: 0 },
    ]);
    expect(store.update('t', { g: 1 }, { $set: { n: 5 } }, MANY)).toEqual({ matched: 2, updated: 1 });
    expect(store.update('t', { g: 1 }, { $inc: { n: 1 } }, ONE)).toEqual({ matched: 1, updated: 1 });
    expect(store.update('t', { g: 9 }, { $inc: { n: 1 } }, MANY)).toEqual({ matched: 0, updated: 0 });
    expect(store.find('t', {}, { sort: { _id: 1 } }).map((d) => d['n'])).toEqual([6, 5, 0]);
    expect(store.update('absent', { g: 1 }, { $set: { n: 1 } }, MANY)).toEqual({ matched: 0, updated: 0 });
  });
});

describe('replace and upsert', () => {
  test('replace keeps _id; an _id change or an operator in the replacement is refused', () => {
    store.insert('t', [{ _id: 'r', a: 1, b: 2 }]);
    expect(store.update('t', { _id: 'r' }, { c: 3 }, { multi: false, upsert: false, replace: true })).toEqual({
      matched: 1,
      updated: 1,
    });
    expect(store.find('t', { _id: 'r' })).toEqual([{ _id: 'r', c: 3 }]);
    store.update('t', { _id: 'r' }, { _id: 'r', d: 4 }, { multi: false, upsert: false, replace: true });
    expect(store.find('t', { _id: 'r' })).toEqual([{ _id: 'r', d: 4 }]);
    expectStoreError(
      () => store.update('t', { _id: 'r' }, { _id: 'other' }, { multi: false, upsert: false, replace: true }),
      'INVALID',
      /_id/,
    );
    expectStoreError(
      () => store.update('t', { _id: 'r' }, { $set: { a: 1 } }, { multi: false, upsert: false, replace: true }),
      'INVALID',
      /\$set/,
    );
  });

  test('upsert builds the document from filter equalities plus the update', () => {
    const r = store.update(
      't',
      { kind: 'counter', 'meta.scope': 'global', n: { $gt: 5 }, $and: [{ region: { $eq: 'nn' } }] },
      { $inc: { value: 1 }, $set: { at: new Date(0) } },
      UPSERT,
    );
    expect(r.matched).toBe(0);
    expect(r.upsertedId).toMatch(/^[0-9a-f]{32}$/);
    expect(store.find('t', { _id: r.upsertedId })[0]).toEqual({
      _id: r.upsertedId,
      kind: 'counter',
      meta: { scope: 'global' },
      region: 'nn',
      value: 1,
      at: new Date(0),
    });
    expect(store.update('t', { kind: 'counter' }, { $inc: { value: 1 } }, UPSERT)).toEqual({ matched: 1, updated: 1 });
    expect(store.find('t', { kind: 'counter' })[0]?.['value']).toBe(2);
  });

  test('upsert takes _id from the filter; replace-upsert keeps the replacement', () => {
    expect(store.update('t', { _id: 'seq' }, { $inc: { n: 1 } }, UPSERT).upsertedId).toBe('seq');
    expect(store.update('t', { _id: 'doc' }, { a: 1 }, { multi: false, upsert: true, replace: true }).upsertedId).toBe(
      'doc',
    );
    expect(store.find('t', {}, { sort: { _id: 1 } })).toEqual([
      { _id: 'doc', a: 1 },
      { _id: 'seq', n: 1 },
    ]);
  });

  test('upsert into a unique key that exists answers DUPLICATE_KEY', () => {
    store.insert('users', [{ openid: 'o1', name: 'a' }]);
    expectStoreError(
      () => store.update('users', { openid: 'o1', name: 'b' }, { $set: { x: 1 } }, UPSERT),
      'DUPLICATE_KEY',
      /openid/,
    );
  });
});

describe('refusals name the operator, and nothing is half-written', () => {
  beforeEach(() =>
    store.insert('t', [
      { _id: 'a', n: 1, s: 'str', arr: [1], o: { k: 1 } },
      { _id: 'b', n: 'two', arr: 'no' },
    ]),
  );

  test('unsupported or unknown operators', () => {
    expectStoreError(() => store.update('t', { _id: 'a' }, { $bit: { n: { and: 1 } } }, ONE), 'UNSUPPORTED', /\$bit/);
    expectStoreError(
      () => store.update('t', { _id: 'a' }, { $currentDate: { d: true } }, ONE),
      'UNSUPPORTED',
      /\$currentDate/,
    );
    expectStoreError(() => store.update('t', { _id: 'a' }, { $foo: { n: 1 } }, ONE), 'UNSUPPORTED', /\$foo/);
    expectStoreError(
      () => store.update('t', { _id: 'a' }, { $set: { 'arr.$[el]': 1 } }, ONE),
      'UNSUPPORTED',
      /\$\[el\]/,
    );
    expectStoreError(
      () => store.update('t', { _id: 'a' }, { $push: { arr: { $each: [1], $foo: 1 } } }, ONE),
      'UNSUPPORTED',
      /\$foo/,
    );
  });

  test('malformed updates', () => {
    expectStoreError(() => store.update('t', { _id: 'a' }, {}, ONE), 'INVALID', /no operators/);
    expectStoreError(() => store.update('t', { _id: 'a' }, { n: 2 }, ONE), 'INVALID', /'n'/);
    expectStoreError(() => store.update('t', { _id: 'a' }, { $set: 5 }, ONE), 'INVALID', /\$set/);
    expectStoreError(() => store.update('t', { _id: 'a' }, { $inc: { n: 'x' } }, ONE), 'INVALID', /\$inc/);
    expectStoreError(() => store.update('t', { _id: 'a' }, { $pop: { arr: 2 } }, ONE), 'INVALID', /\$pop/);
    expectStoreError(() => store.update('t', { _id: 'a' }, { $set: { _id: 'z' } }, ONE), 'INVALID', /_id/);
    expectStoreError(
      () => store.update('t', { _id: 'a' }, { $set: { n: 1 }, $inc: { n: 1 } }, ONE),
      'INVALID',
      /conflict/,
    );
    expectStoreError(() => store.update('t', { _id: 'a' }, { $set: { 'a..b': 1 } }, ONE), 'INVALID', /empty field/);
    expectStoreError(
      () => store.update('t', { _id: 'a' }, { $set: { 'x.__proto__.y': 1 } }, ONE),
      'INVALID',
      /__proto__/,
    );
    expectStoreError(
      () => store.update('t', { _id: 'a' }, { $set: { 'constructor.y': 1 } }, ONE),
      'INVALID',
      /constructor/,
    );
    expectStoreError(() => store.update('t', { _id: 'a' }, { $set: { v: { $x: 1 } } }, ONE), 'INVALID', /\$x/);
    expectStoreError(() => store.update('t', { _id: 'a' }, { $rename: { n: 'n' } }, ONE), 'INVALID', /\$rename/);
    store.update('t', { _id: 'a' }, { $set: { _id: 'a', n: 7 } }, ONE); // $set of _id to itself is allowed
    expect(store.find('t', { _id: 'a' })[0]?.['n']).toBe(7);
  });

  test('type errors against the document (which mingo would silently skip)', () => {
    expectStoreError(
      () => store.update('t', { _id: 'a' }, { $inc: { s: 1 } }, ONE),
      'INVALID',
      /\$inc.*non-numeric string/,
    );
    expectStoreError(() => store.update('t', { _id: 'a' }, { $mul: { o: 2 } }, ONE), 'INVALID', /\$mul/);
    expectStoreError(() => store.update('t', { _id: 'a' }, { $push: { s: 1 } }, ONE), 'INVALID', /\$push.*non-array/);
    expectStoreError(() => store.update('t', { _id: 'a' }, { $addToSet: { n: 1 } }, ONE), 'INVALID', /\$addToSet/);
    expectStoreError(() => store.update('t', { _id: 'a' }, { $pull: { o: 1 } }, ONE), 'INVALID', /\$pull/);
    expectStoreError(
      () => store.update('t', { _id: 'a' }, { $set: { 's.deeper': 1 } }, ONE),
      'INVALID',
      /cannot create field 'deeper'/,
    );
    expectStoreError(
      () => store.update('t', { _id: 'a' }, { $set: { 'arr.length': 1 } }, ONE),
      'INVALID',
      /cannot create field 'length'/,
    );
  });

  test('a multi update failing on its second document changes nothing', () => {
    expectStoreError(() => store.update('t', {}, { $inc: { n: 1 } }, MANY), 'INVALID', /\$inc/);
    expect(store.find('t', {}, { sort: { _id: 1 } }).map((d) => d['n'])).toEqual([1, 'two']);
    expectStoreError(() => store.update('t', {}, { $push: { arr: 9 } }, MANY), 'INVALID');
    expect(store.find('t', { _id: 'a' })[0]?.['arr']).toEqual([1]);
  });

  test('an insert batch with one bad document inserts nothing', () => {
    expectStoreError(() => store.insert('t', [{ _id: 'c' }, { _id: 'a' }]), 'DUPLICATE_KEY', /a/);
    expectStoreError(() => store.insert('t', [{ _id: 'd' }, { bad: NaN }]), 'INVALID');
    expectStoreError(() => store.insert('t', [{ _id: 'e' }, { _id: 'e' }]), 'DUPLICATE_KEY', /e/);
    expect(store.count('t', {})).toBe(2);
  });
});

describe('unique indexes', () => {
  test('insert and update violating a unique index answer DUPLICATE_KEY and change nothing', () => {
    store.insert('vehicles', [
      { _id: 'v1', plate: '桂A1', plateType: '02' },
      { _id: 'v2', plate: '桂A1', plateType: '01' },
    ]);
    expectStoreError(
      () =>
        store.insert('vehicles', [
          { plate: '桂A9', plateType: '02' },
          { plate: '桂A1', plateType: '02' },
        ]),
      'DUPLICATE_KEY',
      /unique index plate/,
    );
    expect(store.count('vehicles', {})).toBe(2);
    expectStoreError(
      () => store.update('vehicles', { _id: 'v2' }, { $set: { plateType: '02' } }, ONE),
      'DUPLICATE_KEY',
      /plate/,
    );
    expectStoreError(
      () => store.update('vehicles', {}, { $set: { plate: 'same', plateType: 'same' } }, MANY),
      'DUPLICATE_KEY',
    );
    expect(store.find('vehicles', {}, { sort: { _id: 1 } }).map((d) => d['plateType'])).toEqual(['02', '01']);
  });

  test('documents without the key do not collide (SQLite NULLs are distinct)', () => {
    store.insert('users', [{ name: 'a' }, { name: 'b' }]);
    expect(store.count('users', {})).toBe(2);
  });
});

describe('remove', () => {
  test('one or many, by filter', () => {
    store.insert('t', [{ g: 1 }, { g: 1 }, { g: 2 }]);
    expect(store.remove('t', { g: 1 }, { multi: false })).toBe(1);
    expect(store.remove('t', { g: { $gte: 1 } }, { multi: true })).toBe(2);
    expect(store.count('t', {})).toBe(0);
    expect(store.remove('absent', {}, { multi: true })).toBe(0);
  });
});

test('collection sizes in stats follow every committed write and ignore failed ones', () => {
  const sizes = (): Record<string, number> => store.stats().collections;
  store.insert('users', [{ openid: 'a' }, { openid: 'b' }]);
  expect(sizes()).toEqual({ users: 2 });
  store.update('users', { openid: 'c' }, { $set: { n: 1 } }, UPSERT);
  expect(() => store.insert('users', [{ openid: 'd' }, { openid: 'a' }])).toThrow(StoreError);
  expect(sizes()).toEqual({ users: 3 });
  const tx = store.beginTransaction();
  store.insert('users', [{ openid: 'e' }], tx);
  store.remove('users', { openid: { $in: ['a', 'b'] } }, { multi: true }, tx);
  expect(sizes()).toEqual({ users: 3 });
  store.commit(tx);
  expect(sizes()).toEqual({ users: 2 });
  const t2 = store.beginTransaction();
  store.insert('users', [{ openid: 'f' }], t2);
  store.remove('users', { openid: 'c' }, { multi: false });
  store.insert('users', [{ openid: 'f' }]);
  expect(() => store.commit(t2)).toThrow(StoreError);
  expect(sizes()).toEqual({ users: 2 });
  expect(store.count('users', {})).toBe(2);
  store.remove('users', {}, { multi: true });
  expect(sizes()).toEqual({ users: 0 });
});

test('$rename through arrays is refused', () => {
  store.insert('t', [{ _id: 'r', arr: [{ a: 1 }], o: { a: 1 } }]);
  expect(() => store.update('t', { _id: 'r' }, { $rename: { 'arr.0.a': 'b' } }, ONE)).toThrow(/inside an array/);
  expect(() => store.update('t', { _id: 'r' }, { $rename: { 'o.a': 'arr.0.b' } }, ONE)).toThrow(/array/);
  store.update('t', { _id: 'r' }, { $rename: { 'o.a': 'o2.b' } }, ONE);
  expect(store.find('t', { _id: 'r' })[0]).toEqual({ _id: 'r', arr: [{ a: 1 }], o: {}, o2: { b: 1 } });
});
