/**
 * Writes through the real wx-server-sdk against the local cloud: every update operator we rely on (the document after
 * the update equals both the hand-worked MongoDB answer and mingo's updater on the same document), doc().set/update/
 * remove/get, where().update/remove on many documents, add of one and of many, db.serverDate().
 */
import { update as mingoUpdate } from 'mingo';
import { useSdkOnLocalCloud, type AddManyResult, type Command } from '../helpers/local-cloud';
import { match } from '../helpers/matchers';

const { db } = useSdkOnLocalCloud();
const MINGO = { idKey: '_id', useStrictMode: true } as const;

type Doc = { _id: string } & Record<string, unknown>;

const BASE = {
  n: 10,
  price: 2.5,
  name: '张三',
  owner: { city: 'Nanning', zone: 3 },
  tags: ['a', 'b', 'c'],
  nums: [5, 1, 4, 2],
  items: [
    { k: 'a', v: 1 },
    { k: 'b', v: 2 },
  ],
  at: new Date('2024-05-01T08:00:00Z'),
};

/** A deep copy. (Not structuredClone: it makes Dates of another realm, which mingo inside jest takes for objects.) */
function clone<T>(v: T): T {
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v !== null && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
  return v;
}

let seq = 0;
/** A fresh copy of BASE under a new _id, so every case starts from the same document. */
async function fresh(coll = 'updates'): Promise<string> {
  const _id = `u${(seq += 1)}`;
  await db()
    .collection(coll)
    .add({ data: { _id, ...clone(BASE) } });
  return _id;
}

async function read(id: string, coll = 'updates'): Promise<Doc> {
  const { data } = (await db().collection(coll).doc(id).get()) as { data: Doc };
  return data;
}

type UpdateCase = [
  name: string,
  data: (_: Command) => Record<string, unknown>,
  mongo: Record<string, unknown>,
  changed: Record<string, unknown>,
];

// `changed`: the fields that differ from BASE afterwards (undefined = removed), worked out by hand from MongoDB's manual.
const CASES: UpdateCase[] = [
  ['plain fields are $set', () => ({ n: 11, extra: 'x' }), { $set: { n: 11, extra: 'x' } }, { n: 11, extra: 'x' }],
  [
    'a nested object merges by dotted path',
    () => ({ owner: { zone: 4 } }),
    { $set: { 'owner.zone': 4 } },
    { owner: { city: 'Nanning', zone: 4 } },
  ],
  [
    '_.set replaces the nested object',
    (_) => ({ owner: _.set({ zone: 4 }) }),
    { $set: { owner: { zone: 4 } } },
    { owner: { zone: 4 } },
  ],
  [
    'dotted path into an array element',
    () => ({ 'tags.1': 'B' }),
    { $set: { 'tags.1': 'B' } },
    { tags: ['a', 'B', 'c'] },
  ],
  ['inc', (_) => ({ n: _.inc(-3) }), { $inc: { n: -3 } }, { n: 7 }],
  ['inc a missing field creates it', (_) => ({ count: _.inc(2) }), { $inc: { count: 2 } }, { count: 2 }],
  [
    'inc inside a nested object',
    (_) => ({ owner: { zone: _.inc(1) } }),
    { $inc: { 'owner.zone': 1 } },
    { owner: { city: 'Nanning', zone: 4 } },
  ],
  ['mul', (_) => ({ price: _.mul(4) }), { $mul: { price: 4 } }, { price: 10 }],
  ['min lowers', (_) => ({ n: _.min(3) }), { $min: { n: 3 } }, { n: 3 }],
  ['min keeps', (_) => ({ n: _.min(30) }), { $min: { n: 30 } }, {}],
  ['max raises', (_) => ({ n: _.max(30) }), { $max: { n: 30 } }, { n: 30 }],
  [
    'max on a date',
    (_) => ({ at: _.max(new Date('2025-01-01T00:00:00Z')) }),
    { $max: { at: new Date('2025-01-01T00:00:00Z') } },
    { at: new Date('2025-01-01T00:00:00Z') },
  ],
  ['remove (unset)', (_) => ({ name: _.remove() }), { $unset: { name: '' } }, { name: undefined }],
  [
    'remove a nested field',
    (_) => ({ owner: { city: _.remove() } }),
    { $unset: { 'owner.city': '' } },
    { owner: { zone: 3 } },
  ],
  ['push one', (_) => ({ tags: _.push('d') }), { $push: { tags: 'd' } }, { tags: ['a', 'b', 'c', 'd'] }],
  [
    'push several',
    (_) => ({ tags: _.push(['d', 'e']) }),
    { $push: { tags: { $each: ['d', 'e'] } } },
    { tags: ['a', 'b', 'c', 'd', 'e'] },
  ],
  [
    'push with position',
    (_) => ({ tags: _.push({ each: ['x'], position: 1 }) }),
    { $push: { tags: { $each: ['x'], $position: 1 } } },
    { tags: ['a', 'x', 'b', 'c'] },
  ],
  [
    'push with sort and slice',
    (_) => ({ nums: _.push({ each: [3], sort: -1, slice: 3 }) }),
    { $push: { nums: { $each: [3], $sort: -1, $slice: 3 } } },
    { nums: [5, 4, 3] },
  ],
  ['push onto a missing field', (_) => ({ fresh: _.push('x') }), { $push: { fresh: 'x' } }, { fresh: ['x'] }],
  ['pull a value', (_) => ({ tags: _.pull('b') }), { $pull: { tags: 'b' } }, { tags: ['a', 'c'] }],
  ['pull by condition', (_) => ({ nums: _.pull(_.gte(4)) }), { $pull: { nums: { $gte: 4 } } }, { nums: [1, 2] }],
  [
    'pull objects matching',
    (_) => ({ items: _.pull({ k: 'a' }) }),
    { $pull: { items: { k: 'a' } } },
    { items: [{ k: 'b', v: 2 }] },
  ],
  ['pullAll', (_) => ({ tags: _.pullAll(['a', 'c', 'z']) }), { $pullAll: { tags: ['a', 'c', 'z'] } }, { tags: ['b'] }],
  [
    'addToSet a new value',
    (_) => ({ tags: _.addToSet('d') }),
    { $addToSet: { tags: 'd' } },
    { tags: ['a', 'b', 'c', 'd'] },
  ],
  ['addToSet a present value', (_) => ({ tags: _.addToSet('a') }), { $addToSet: { tags: 'a' } }, {}],
  [
    'addToSet $each',
    (_) => ({ tags: _.addToSet({ $each: ['c', 'd', 'd'] }) }),
    { $addToSet: { tags: { $each: ['c', 'd', 'd'] } } },
    { tags: ['a', 'b', 'c', 'd'] },
  ],
  ['pop', (_) => ({ tags: _.pop() }), { $pop: { tags: 1 } }, { tags: ['a', 'b'] }],
  ['shift', (_) => ({ tags: _.shift() }), { $pop: { tags: -1 } }, { tags: ['b', 'c'] }],
  [
    'unshift',
    (_) => ({ tags: _.unshift('y', 'z') }),
    { $push: { tags: { $each: ['y', 'z'], $position: 0 } } },
    { tags: ['y', 'z', 'a', 'b', 'c'] },
  ],
  [
    'rename',
    (_) => ({ name: _.rename('fullName') }),
    { $rename: { name: 'fullName' } },
    { name: undefined, fullName: '张三' },
  ],
  [
    'several operators at once',
    (_) => ({ n: _.inc(1), tags: _.push('d'), name: _.remove(), seen: true }),
    { $inc: { n: 1 }, $push: { tags: 'd' }, $unset: { name: '' }, $set: { seen: true } },
    { n: 11, tags: ['a', 'b', 'c', 'd'], name: undefined, seen: true },
  ],
];

describe.each(CASES)('update: %s', (_name, data, mongo, changed) => {
  it('gives the MongoDB answer (by hand and by mingo)', async () => {
    const id = await fresh();
    const res = (await db()
      .collection('updates')
      .doc(id)
      .update({ data: data(db().command) })) as { stats: { updated: number } };
    const expected: Record<string, unknown> = Object.fromEntries(
      Object.entries<unknown>({ _id: id, ...clone(BASE), ...changed }).filter(([, value]) => value !== undefined),
    );

    const viaMingo: Record<string, unknown> = { _id: id, ...clone(BASE) };
    mingoUpdate(viaMingo, mongo, [], {}, { queryOptions: MINGO });
    expect(viaMingo).toEqual(expected);

    expect(await read(id)).toEqual(expected);
    expect(res.stats.updated).toBe(Object.keys(changed).length === 0 ? 0 : 1);
  });
});

describe('db.serverDate()', () => {
  it('in an update is the server clock (with its offset)', async () => {
    const id = await fresh();
    const before = Date.now();
    await db()
      .collection('updates')
      .doc(id)
      .update({ data: { seenAt: db().serverDate(), later: db().serverDate({ offset: 60_000 }) } });
    const after = Date.now();
    const doc = await read(id);
    expect(doc['seenAt']).toBeInstanceOf(Date);
    const seen = (doc['seenAt'] as Date).getTime();
    expect(seen).toBeGreaterThanOrEqual(before - 5);
    expect(seen).toBeLessThanOrEqual(after + 5);
    expect((doc['later'] as Date).getTime() - seen).toBeGreaterThanOrEqual(59_990);
    expect((doc['later'] as Date).getTime() - seen).toBeLessThanOrEqual(60_010);
  });

  it('in add()', async () => {
    const res = (await db()
      .collection('updates')
      .add({ data: { createdAt: db().serverDate() } })) as { _id: string };
    const doc = await read(res._id);
    expect(Math.abs((doc['createdAt'] as Date).getTime() - Date.now())).toBeLessThan(5_000);
  });
});

describe('documents', () => {
  const C = 'docs';

  it('add() of one generates a 32-hex _id; add() of many answers the ids in order', async () => {
    const one = (await db()
      .collection(C)
      .add({ data: { kind: 'one' } })) as { _id: string };
    expect(one._id).toMatch(/^[0-9a-f]{32}$/);
    const many = (await db()
      .collection(C)
      .add({ data: [{ _id: 'm1', kind: 'many' }, { kind: 'many' }, { _id: 'm3', kind: 'many' }] })) as AddManyResult;
    expect(many._ids).toHaveLength(3);
    expect(many._ids[0]).toBe('m1');
    expect(many._ids[2]).toBe('m3');
    const { total } = (await db().collection(C).where({ kind: 'many' }).count()) as { total: number };
    expect(total).toBe(3);
  });

  it('add() of an existing _id fails and writes nothing of the batch', async () => {
    await db()
      .collection(C)
      .add({ data: { _id: 'dup', v: 1 } });
    await expect(
      db()
        .collection(C)
        .add({ data: { _id: 'dup', v: 2 } }),
    ).rejects.toMatchObject({ errMsg: match.stringMatching(/dup/) });
    await expect(
      db()
        .collection(C)
        .add({
          data: [
            { _id: 'batch-new', v: 1 },
            { _id: 'dup', v: 3 },
          ],
        }),
    ).rejects.toBeTruthy();
    expect(await read('dup', C)).toEqual({ _id: 'dup', v: 1 });
    const { total } = (await db().collection(C).where({ _id: 'batch-new' }).count()) as { total: number };
    expect(total).toBe(0);
  });

  it('doc().set() replaces the whole document, or creates it with that _id', async () => {
    await db()
      .collection(C)
      .add({ data: { _id: 's1', a: 1, b: { c: 2 } } });
    const replaced = (await db()
      .collection(C)
      .doc('s1')
      .set({ data: { b: { d: 3 }, e: [1] } })) as { stats: { updated: number; created: number } };
    expect(replaced.stats).toEqual({ updated: 1, created: 0 });
    expect(await read('s1', C)).toEqual({ _id: 's1', b: { d: 3 }, e: [1] });
    const created = (await db()
      .collection(C)
      .doc('s2')
      .set({ data: { a: 'new' } })) as { _id: string; stats: { updated: number; created: number } };
    expect(created.stats).toEqual({ updated: 0, created: 1 });
    expect(await read('s2', C)).toEqual({ _id: 's2', a: 'new' });
  });

  it('doc().update() of a missing document changes nothing and creates nothing', async () => {
    const res = (await db()
      .collection(C)
      .doc('absent')
      .update({ data: { a: 1 } })) as { stats: { updated: number } };
    expect(res.stats.updated).toBe(0);
    const { total } = (await db().collection(C).where({ _id: 'absent' }).count()) as { total: number };
    expect(total).toBe(0);
  });

  it('doc().get() of a missing document is an error naming it (as the cloud answers)', async () => {
    await expect(db().collection(C).doc('absent').get()).rejects.toMatchObject({
      errMsg: match.stringContaining('absent does not exist'),
    });
  });

  it('doc().remove() removes one', async () => {
    await db()
      .collection(C)
      .add({ data: { _id: 'r1' } });
    const res = (await db().collection(C).doc('r1').remove()) as { stats: { removed: number } };
    expect(res.stats.removed).toBe(1);
    const again = (await db().collection(C).doc('r1').remove()) as { stats: { removed: number } };
    expect(again.stats.removed).toBe(0);
  });

  it('where().update() changes every match; where().remove() removes every match', async () => {
    const _ = db().command;
    await db()
      .collection('multi')
      .add({ data: Array.from({ length: 30 }, (_x, i) => ({ _id: `w${i}`, i, group: i % 3 })) });
    const upd = (await db()
      .collection('multi')
      .where({ group: 1 })
      .update({ data: { touched: true, i: _.inc(100) } })) as { stats: { updated: number } };
    expect(upd.stats.updated).toBe(10);
    const { data } = (await db().collection('multi').where({ touched: true }).orderBy('i', 'asc').get()) as {
      data: Doc[];
    };
    expect(data.map((d) => d['i'])).toEqual(Array.from({ length: 10 }, (_x, k) => 100 + 3 * k + 1));
    const rem = (await db()
      .collection('multi')
      .where({ group: _.in([0, 2]) })
      .remove()) as { stats: { removed: number } };
    expect(rem.stats.removed).toBe(20);
    const { total } = (await db().collection('multi').count()) as { total: number };
    expect(total).toBe(10);
  });
});
