/**
 * Property: index narrowing never changes an answer. Random documents with awkward values (numbers vs
 * strings, booleans, null vs missing, dates before 1970, emoji and private-use characters, arrays) are
 * queried through the engine (indexed) and through mingo over every document; the ids must agree.
 */
import fc from 'fast-check';
import { find, Query } from 'mingo';
import { openStore } from '../../scripts/local-cloud/store/index';
import type { Doc, LocalStore } from '../../scripts/local-cloud/store/index';

const scalar = fc.oneof(
  fc.constantFrom<unknown>(
    0,
    1,
    -1,
    2,
    1.5,
    2 ** 53,
    2 ** 60,
    -(2 ** 60),
    1e-7,
    true,
    false,
    null,
    '',
    '0',
    '1',
    'a',
    'ab',
    'b',
    'B',
    '桂A',
    '桂A1',
    '😀',
    '\uE000',
    '\uFFFF',
    'a\u0000b',
  ),
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom('a', 'b', '桂', 'A', '1', '😀', '\uE001').chain((c) => fc.constantFrom(c, c + 'x', 'x' + c)),
  fc.constantFrom(
    new Date('1965-01-01T00:00:00Z'),
    new Date('1970-01-01T00:00:00Z'),
    new Date('2020-01-01T00:00:00Z'),
    new Date('2020-01-01T00:00:00.001Z'),
    new Date('0001-01-01T00:00:00Z'),
  ),
);
const value = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.record({ x: scalar }) },
);

const docArb = fc.record({ a: value, b: value, c: fc.oneof(fc.record({ d: value }), value) }, { requiredKeys: [] });

const fieldArb = fc.constantFrom('a', 'b', 'c.d');
const predicate = fc.oneof(
  scalar,
  scalar.map((v) => ({ $eq: v })),
  fc.array(scalar, { maxLength: 4 }).map((v) => ({ $in: v })),
  fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), scalar).map(([op, v]) => ({ [op]: v })),
  fc.tuple(scalar, scalar).map(([lo, hi]) => ({ $gte: lo, $lt: hi })),
  fc.constantFrom('^a', '^桂', '^ab?', '^A', '^😀', '^\uE000', '^a|b').map((s) => ({ $regex: s })),
  fc.constantFrom(/^a/, /^桂A/, /^a/i).map((r) => r),
);
const clause = fc.tuple(fieldArb, predicate).map(([f, p]) => ({ [f]: p }));
const filterArb = fc.oneof(
  clause,
  fc.tuple(clause, clause).map(([x, y]) => ({ ...x, ...y })),
  fc.array(clause, { minLength: 1, maxLength: 3 }).map((cs) => ({ $or: cs })),
  fc.array(clause, { minLength: 1, maxLength: 3 }).map((cs) => ({ $and: cs })),
);

let store: LocalStore;
let docs: Doc[];

beforeAll(() => {
  const indexes = [
    { name: 'a', keys: { a: 1 as const } },
    { name: 'b_cd', keys: { b: 1 as const, 'c.d': -1 as const } },
    { name: 'cd', keys: { 'c.d': 1 as const } },
  ];
  store = openStore({ dir: ':memory:', indexes: { collections: { p: { indexes }, arrays: { indexes } } } });
  docs = fc
    .sample(docArb, { numRuns: 400, seed: 42 })
    .map((d, i): Doc => ({ _id: `d${String(i).padStart(3, '0')}`, ...d }));
  // The arrays go to another collection, so the main one stays narrowable (arrays switch narrowing off per path).
  store.insert(
    'p',
    docs.filter(
      (d) =>
        !Object.values(d).some(Array.isArray) && !Array.isArray((d['c'] as Record<string, unknown> | undefined)?.['d']),
    ),
  );
  store.insert('arrays', docs);
});
afterAll(() => store.close());

test('indexed answers equal mingo over all documents', () => {
  const pDocs = store.find('p', {});
  expect(pDocs.length).toBeGreaterThan(200);
  let narrowed = 0;
  fc.assert(
    fc.property(filterArb, (filter) => {
      const q = new Query(filter);
      const expected = pDocs
        .filter((d) => q.test(d))
        .map((d) => d._id)
        .sort();
      const got = store
        .find('p', filter)
        .map((d) => d._id)
        .sort();
      if (store.explain('p', filter).index !== null) narrowed++;
      expect(got).toEqual(expected);
      expect(store.count('p', filter)).toBe(expected.length);
    }),
    { numRuns: 600, seed: 7 },
  );
  expect(narrowed).toBeGreaterThan(300); // the property really exercised the SQL side
});

test('with arrays on indexed paths answers still equal mingo', () => {
  const sdocs = store.find('arrays', {});
  expect(store.explain('arrays', { a: 1 }).index).toBeNull(); // arrays on every path: nothing narrows any more
  fc.assert(
    fc.property(filterArb, (filter) => {
      const q = new Query(filter);
      const expected = sdocs
        .filter((d) => q.test(d))
        .map((d) => d._id)
        .sort();
      expect(
        store
          .find('arrays', filter)
          .map((d) => d._id)
          .sort(),
      ).toEqual(expected);
    }),
    { numRuns: 200, seed: 11 },
  );
});

describe('sort + limit read in index order', () => {
  const norm = (d: Doc): string => {
    const v = d['k'];
    return v instanceof Date ? `D${v.toISOString()}` : v === undefined ? 'null' : JSON.stringify(v);
  };
  const classes: Record<string, fc.Arbitrary<unknown>> = {
    num: fc.oneof(fc.integer({ min: -20, max: 20 }), fc.constantFrom(0.5, -0.5, 2 ** 60, 1e-9, null)),
    str: fc.constantFrom('', 'a', 'ab', 'B', '{x', '|', '桂A', '桂B', '😀', '\uE000', '\uFFFF', 'zz', null),
    date: fc.constantFrom(
      new Date('1960-01-01'),
      new Date('2020-01-01'),
      new Date('2020-01-01T00:00:00.001Z'),
      new Date('2030-05-05'),
      null,
    ),
    mixed: fc.constantFrom(1, 'a', true, false, 0, { o: 1 }, new Date('2020-01-01'), null, '{"$date":"x'),
    numbool: fc.constantFrom(-3, 1, 2, 5, 9, 12, true, false, null),
    dateobj: fc.constantFrom(new Date('2020-01-01'), new Date('1999-01-01'), new Date('2001-01-01'), { z: 1 }),
  };
  let s: LocalStore;
  const all: Record<string, Doc[]> = {};
  beforeAll(() => {
    s = openStore({
      dir: ':memory:',
      indexes: {
        collections: Object.fromEntries(
          Object.keys(classes).map((c) => [c, { indexes: [{ name: 'k', keys: { k: 1 as const } }] }]),
        ),
      },
    });
    for (const [c, arb] of Object.entries(classes)) {
      const docs = fc.sample(fc.record({ k: arb, g: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: ['g'] }), {
        numRuns: 150,
        seed: c.length,
      });
      s.insert(
        c,
        docs.map((d, i) => ({ _id: `${c}${i}`, ...d })),
      );
      all[c] = s.find(c, {});
    }
  });
  afterAll(() => s.close());

  test('the page equals mingo sorting every document, for each value class', () => {
    const before = s.stats().sortedByIndex;
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(classes)),
        fc.constantFrom(1 as const, -1 as const),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 12 }),
        fc.oneof(
          fc.constant({}),
          fc.integer({ min: 0, max: 3 }).map((g) => ({ g })),
        ),
        (c, dir, skip, limit, filter) => {
          const expected = find<Doc>(all[c] ?? [], filter)
            .sort({ k: dir })
            .skip(skip)
            .limit(limit)
            .all()
            .map(norm);
          expect(s.find(c, filter, { sort: { k: dir }, skip, limit }).map(norm)).toEqual(expected);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
    expect(s.stats().sortedByIndex - before).toBeGreaterThan(50); // the single-class collections used the index order
  });

  test('inside a transaction the buffered documents take part', () => {
    const tx = s.beginTransaction();
    s.insert(
      'num',
      [
        { _id: 'tx-low', k: -100, g: 0 },
        { _id: 'tx-high', k: 100, g: 0 },
      ],
      tx,
    );
    s.update('num', { k: { $gte: 5 } }, { $set: { k: -50 } }, { multi: false, upsert: false, replace: false }, tx);
    const view = s.find('num', {}, {}, tx);
    for (const dir of [1, -1] as const) {
      const expected = find<Doc>(view, {}).sort({ k: dir }).skip(0).limit(5).all().map(norm);
      expect(s.find('num', {}, { sort: { k: dir }, limit: 5 }, tx).map(norm)).toEqual(expected);
    }
    s.abort(tx);
  });
});

describe('sort + limit on a compound index whose leading path the filter pins ($in or equality)', () => {
  const AT = [
    new Date('2024-01-01T00:00:00Z'),
    new Date('2024-02-01T00:00:00Z'),
    new Date('2024-02-01T00:00:00.001Z'),
    new Date('2023-06-01T00:00:00Z'),
    new Date('1969-12-31T00:00:00Z'),
  ];
  const VEHICLES = ['v1', 'v2', 'v3', 'v4'];
  let s: LocalStore;
  let all: Doc[];
  const ids = (list: Doc[]): string[] => list.map((d) => d._id);
  const expectedPage = (docs: Doc[], filter: Record<string, unknown>, dir: 1 | -1, skip: number, limit: number) =>
    ids(find<Doc>(docs, filter).sort({ occurredAt: dir }).skip(skip).limit(limit).all());
  const merged = (): number => s.stats().sortedByIndexPrefix;

  beforeAll(() => {
    const indexes = [
      { name: 'vehicleId_occurredAt', keys: { vehicleId: 1 as const, occurredAt: -1 as const } },
      { name: 'vehicleId_receivedAt', keys: { vehicleId: 1 as const, receivedAt: -1 as const } },
    ];
    s = openStore({
      dir: ':memory:',
      indexes: { collections: { v: { indexes }, mixed: { indexes }, fooled: { indexes } } },
    });
    const docs = fc
      .sample(
        fc.record(
          {
            vehicleId: fc.constantFrom(...VEHICLES),
            // Few distinct dates: ties on the sort key across and within vehicles; null and missing too.
            occurredAt: fc.oneof(
              { weight: 8, arbitrary: fc.constantFrom(...AT) },
              { weight: 1, arbitrary: fc.constant(null) },
            ),
            receivedAt: fc.constantFrom(...AT),
            status: fc.constantFrom('open', 'paid'),
            fine: fc.integer({ min: 0, max: 5 }),
          },
          { requiredKeys: ['vehicleId', 'receivedAt', 'status', 'fine'] },
        ),
        { numRuns: 120, seed: 5 },
      )
      // Ids out of insertion order, so neither _id nor rowid order can pass for the other.
      .map((d, i): Doc => ({ _id: `x${String((i * 37) % 120).padStart(3, '0')}`, ...d }));
    s.insert('v', docs);
    s.insert('mixed', [...docs, { _id: 'odd', vehicleId: 'v2', occurredAt: '2024-03-01', status: 'open', fine: 1 }]);
    // A string with a date's stored text: the probe takes it for a date, the row read proves otherwise.
    const fake = '{"$date":"2024-01-15T00:00:00.000Z"}';
    s.insert('fooled', [...docs, { _id: 'fake', vehicleId: 'v2', occurredAt: fake, status: 'open', fine: 1 }]);
    all = s.find('v', {});
  });
  afterAll(() => s.close());

  test('the page (ids, ties included) equals mingo sorting every document in table order', () => {
    const before = merged();
    let runs = 0;
    fc.assert(
      fc.property(
        fc.subarray([...VEHICLES, 'v9'], { minLength: 1, maxLength: 5 }),
        fc.constantFrom('plain', '$eq', '$in', '$and'),
        fc.constantFrom(1 as const, -1 as const),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 60 }),
        fc.option(
          fc.constantFrom<Record<string, unknown>>({ status: 'open' }, { fine: { $gte: 3 } }, { status: { $ne: 'x' } }),
          { nil: undefined },
        ),
        (vehicles, form, dir, skip, limit, extra) => {
          const [first] = vehicles;
          const pin = form === 'plain' ? first : form === '$eq' ? { $eq: first } : { $in: vehicles };
          const base = form === '$and' ? { $and: [{ vehicleId: pin }] } : { vehicleId: pin };
          const filter = { ...base, ...extra };
          const got = ids(s.find('v', filter, { sort: { occurredAt: dir }, skip, limit }));
          expect({ filter, dir, skip, limit, got }).toEqual({
            filter,
            dir,
            skip,
            limit,
            got: expectedPage(all, filter, dir, skip, limit),
          });
          runs++;
        },
      ),
      { numRuns: 300, seed: 9 },
    );
    expect(merged() - before).toBe(runs); // every one of them merged the pinned runs
  });

  test('k = 1 by equality and k = 3 by $in, with a value that has no rows', () => {
    for (const filter of [{ vehicleId: 'v2' }, { vehicleId: { $in: ['v1', 'v9', 'v3'] } }, { vehicleId: 'v9' }]) {
      const before = merged();
      for (const limit of [1, 5, 200]) {
        expect(ids(s.find('v', filter, { sort: { occurredAt: -1 }, limit }))).toEqual(
          expectedPage(all, filter, -1, 0, limit),
        );
      }
      expect(merged() - before).toBe(3);
    }
    expect(s.find('v', { vehicleId: 'v9' }, { sort: { occurredAt: 1 }, limit: 3 })).toEqual([]);
  });

  test('null and missing sort values come first ascending and last descending', () => {
    const filter = { vehicleId: { $in: ['v1', 'v2'] } };
    const nulls = all.filter((d) => ['v1', 'v2'].includes(d['vehicleId'] as string) && d['occurredAt'] == null);
    expect(nulls.length).toBeGreaterThan(1);
    expect(nulls.some((d) => !('occurredAt' in d))).toBe(true);
    const asc = s.find('v', filter, { sort: { occurredAt: 1 }, limit: nulls.length });
    expect(ids(asc).sort()).toEqual(ids(nulls).sort());
    const desc = s.find('v', filter, { sort: { occurredAt: -1 }, limit: 200 });
    expect(ids(desc.slice(-nulls.length)).sort()).toEqual(ids(nulls).sort());
  });

  test('a sort value of another type falls back to sorting every match', () => {
    const mixedAll = s.find('mixed', {});
    const before = merged();
    // The slow path keeps ties in whatever order SQLite's narrowing scan gives: compare the sort values only.
    const key = (d: Doc | undefined): string => JSON.stringify(d?.['occurredAt'] ?? null);
    const byId = new Map(mixedAll.map((d) => [d._id, d]));
    for (const filter of [{ vehicleId: { $in: ['v1', 'v2'] } }, { vehicleId: 'v2' }]) {
      for (const dir of [1, -1] as const) {
        const got = s.find('mixed', filter, { sort: { occurredAt: dir }, limit: 7 });
        expect(got.map(key)).toEqual(expectedPage(mixedAll, filter, dir, 0, 7).map((id) => key(byId.get(id))));
      }
    }
    expect(merged() - before).toBe(0); // the probe saw the string among the dates
    const fooledAll = s.find('fooled', {});
    for (const dir of [1, -1] as const) {
      const got = s.find('fooled', { vehicleId: { $in: ['v1', 'v2'] } }, { sort: { occurredAt: dir }, limit: 200 });
      const want = expectedPage(fooledAll, { vehicleId: { $in: ['v1', 'v2'] } }, dir, 0, 200);
      expect(got.map(key)).toEqual(want.map((id) => key(fooledAll.find((d) => d._id === id))));
    }
    expect(merged() - before).toBe(0); // reading the string stopped the merge
    // Runs that hold only dates still merge.
    const filter = { vehicleId: { $in: ['v1', 'v3'] } };
    expect(ids(s.find('mixed', filter, { sort: { occurredAt: -1 }, limit: 7 }))).toEqual(
      expectedPage(mixedAll, filter, -1, 0, 7),
    );
    expect(merged() - before).toBe(1);
  });

  test('inside a transaction its pending inserts and updates take part', () => {
    const tx = s.beginTransaction();
    s.insert(
      'v',
      [
        { _id: 'tx-new', vehicleId: 'v1', occurredAt: new Date('2030-01-01T00:00:00Z'), status: 'open', fine: 1 },
        { _id: 'tx-tie', vehicleId: 'v3', occurredAt: AT[1] ?? null, status: 'open', fine: 1 },
        { _id: 'tx-other', vehicleId: 'v4', occurredAt: new Date('2031-01-01T00:00:00Z'), status: 'open', fine: 1 },
      ],
      tx,
    );
    // Moves one row of v1 to the very end, and one of v3 out of the pinned set.
    const one = { multi: false, upsert: false, replace: false };
    s.update(
      'v',
      { vehicleId: 'v1', occurredAt: { $ne: null } },
      { $set: { occurredAt: new Date('1900-01-01') } },
      one,
      tx,
    );
    s.update('v', { vehicleId: 'v3' }, { $set: { vehicleId: 'v4' } }, one, tx);
    const view = s.find('v', {}, {}, tx);
    const before = merged();
    for (const dir of [1, -1] as const) {
      for (const filter of [{ vehicleId: { $in: ['v1', 'v3'] } }, { vehicleId: 'v1', status: 'open' }]) {
        for (const [skip, limit] of [
          [0, 3],
          [2, 10],
          [0, 200],
        ] as const) {
          expect(ids(s.find('v', filter, { sort: { occurredAt: dir }, skip, limit }, tx))).toEqual(
            expectedPage(view, filter, dir, skip, limit),
          );
        }
      }
    }
    expect(merged() - before).toBe(12);
    s.abort(tx);
    // The committed data did not change.
    const filter = { vehicleId: { $in: ['v1', 'v3'] } };
    expect(ids(s.find('v', filter, { sort: { occurredAt: -1 }, limit: 5 }))).toEqual(
      expectedPage(all, filter, -1, 0, 5),
    );
  });
});
