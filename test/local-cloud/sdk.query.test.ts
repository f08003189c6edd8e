/**
 * Queries through the real wx-server-sdk against the local cloud, each answer compared with what MongoDB semantics
 * give for the same documents: mingo (our reference implementation of them) runs the equivalent filter in memory.
 * The Mongo filter beside each SDK call is what the cloud database makes of it (the SDK flattens nested objects
 * into dotted paths, and field-level and/or into top-level $and/$or).
 */
import { Aggregator, Query } from 'mingo';
import type { DB as SdkDB } from 'wx-server-sdk';
import { useSdkOnLocalCloud, type AddManyResult, type Command, type DB } from '../helpers/local-cloud';

const { cloud, db } = useSdkOnLocalCloud();
const MINGO = { idKey: '_id', useStrictMode: true } as const;

type Doc = { _id: string } & Record<string, unknown>;

/** 40 documents with the shapes our data has, and the awkward cases: missing fields, null, a string among numbers, arrays. */
const DOCS: Doc[] = Array.from({ length: 40 }, (_, i) => {
  const doc: Doc = { _id: `v${String(i).padStart(2, '0')}` };
  if (i % 7 !== 0) doc['n'] = ((i * 37) % 23) - 5;
  if (i % 11 === 3) doc['n'] = null;
  if (i === 5) doc['n'] = '12';
  if (i === 6) doc['n'] = 2.5;
  doc['plate'] = `桂${'ABCK'[i % 4] ?? 'A'}${10000 + ((i * 7919) % 90000)}`;
  doc['plateType'] = i % 3 === 0 ? '01' : '02';
  doc['status'] = ['unprocessed', 'processed', 'paid'][i % 3];
  doc['owner'] = i % 5 === 4 ? null : { name: `车主${i}`, city: i % 2 ? 'Nanning' : 'Liuzhou', zone: { code: i % 6 } };
  if (i % 4 !== 0) doc['tags'] = ['red', 'suv', 'ev', 'old'].filter((_, k) => (i >> k) & 1);
  if (i % 3 === 0)
    doc['items'] = [
      { k: 'a', v: i },
      { k: 'b', v: i % 5 },
    ];
  doc['at'] = new Date(Date.UTC(2024, i % 12, 1 + (i % 28), i % 24));
  if (i % 2) doc['flag'] = i % 3 === 0;
  doc['fine'] = (i % 8) * 5000;
  return doc;
});

const COLL = 'queries';

beforeAll(async () => {
  const res = (await db().collection(COLL).add({ data: DOCS })) as AddManyResult;
  expect(res._ids).toEqual(DOCS.map((d) => d._id));
});

const byId = (a: { _id: string }, b: { _id: string }): number => (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

function reference(filter: Record<string, unknown>): Doc[] {
  return (new Query(filter, MINGO).find(DOCS).all() as Doc[]).sort(byId);
}

async function viaSdk(where: SdkDB.IQueryCondition): Promise<Doc[]> {
  const { data } = (await db().collection(COLL).where(where).limit(1000).get()) as { data: Doc[] };
  return [...data].sort(byId);
}

type Case = [name: string, sdkWhere: (db: DB, _: Command) => SdkDB.IQueryCondition, mongo: Record<string, unknown>];

const CASES: Case[] = [
  ['plain equality', () => ({ status: 'paid' }), { status: 'paid' }],
  ['implicit and of two fields', () => ({ status: 'paid', plateType: '01' }), { status: 'paid', plateType: '01' }],
  ['eq', (_db, _) => ({ n: _.eq(3) }), { n: { $eq: 3 } }],
  ['eq null matches null and missing', (_db, _) => ({ n: _.eq(null) }), { n: null }],
  ['neq (missing fields match)', (_db, _) => ({ n: _.neq(3) }), { n: { $ne: 3 } }],
  ['gt (numbers only: no string, null or missing)', (_db, _) => ({ n: _.gt(3) }), { n: { $gt: 3 } }],
  ['gte', (_db, _) => ({ n: _.gte(3) }), { n: { $gte: 3 } }],
  ['lt', (_db, _) => ({ n: _.lt(3) }), { n: { $lt: 3 } }],
  ['lte with a fraction', (_db, _) => ({ n: _.lte(2.5) }), { n: { $lte: 2.5 } }],
  ['gt a string compares strings only', (_db, _) => ({ n: _.gt('1') }), { n: { $gt: '1' } }],
  ['in', (_db, _) => ({ n: _.in([1, 2, 17]) }), { n: { $in: [1, 2, 17] } }],
  ['in with null matches missing', (_db, _) => ({ n: _.in([1, null]) }), { n: { $in: [1, null] } }],
  ['in of nothing', (_db, _) => ({ n: _.in([]) }), { n: { $in: [] } }],
  ['nin', (_db, _) => ({ n: _.nin([1, 2, 17]) }), { n: { $nin: [1, 2, 17] } }],
  ['exists true', (_db, _) => ({ n: _.exists(true) }), { n: { $exists: true } }],
  ['exists false', (_db, _) => ({ tags: _.exists(false) }), { tags: { $exists: false } }],
  ['field-level and', (_db, _) => ({ n: _.gt(0).and(_.lt(10)) }), { $and: [{ n: { $gt: 0 } }, { n: { $lt: 10 } }] }],
  ['field-level or', (_db, _) => ({ n: _.lt(0).or(_.gt(15)) }), { $or: [{ n: { $lt: 0 } }, { n: { $gt: 15 } }] }],
  [
    '_.and of conditions',
    (_db, _) => _.and([{ status: 'paid' }, { n: _.gte(0) }]),
    { $and: [{ status: 'paid' }, { n: { $gte: 0 } }] },
  ],
  [
    '_.or of conditions',
    (_db, _) => _.or([{ status: 'paid' }, { 'owner.city': 'Nanning' }]),
    { $or: [{ status: 'paid' }, { 'owner.city': 'Nanning' }] },
  ],
  [
    '_.or with arguments',
    (_db, _) => _.or({ n: _.lt(0) }, { flag: true }),
    { $or: [{ n: { $lt: 0 } }, { flag: true }] },
  ],
  ['_.nor', (_db, _) => _.nor([{ status: 'paid' }, { n: _.gt(5) }]), { $nor: [{ status: 'paid' }, { n: { $gt: 5 } }] }],
  ['not (missing fields match)', (_db, _) => ({ n: _.not(_.gt(5)) }), { n: { $not: { $gt: 5 } } }],
  [
    'and inside or',
    (_db, _) => _.or([_.and([{ status: 'paid' }, { flag: true }]), { n: null }]),
    { $or: [{ $and: [{ status: 'paid' }, { flag: true }] }, { n: null }] },
  ],
  ['db.RegExp', (d) => ({ plate: d.RegExp({ regexp: '^桂A', options: '' }) }), { plate: /^桂A/ }],
  ['db.RegExp case-insensitive', (d) => ({ plate: d.RegExp({ regexp: '^桂k', options: 'i' }) }), { plate: /^桂k/i }],
  ['regex literal', () => ({ plate: /^桂[BC]\d+7$/ }), { plate: /^桂[BC]\d+7$/ }],
  [
    'not a regex (a JS literal: see below for db.RegExp)',
    (_db, _) => ({ plate: _.not(/^桂a/i) }),
    { plate: { $not: /^桂a/i } },
  ],
  ['dotted path', () => ({ 'owner.city': 'Nanning' }), { 'owner.city': 'Nanning' }],
  ['nested object = dotted paths', () => ({ owner: { city: 'Liuzhou' } }), { 'owner.city': 'Liuzhou' }],
  [
    'deeper nested object with a command',
    (_db, _) => ({ owner: { zone: { code: _.gte(3) } } }),
    { 'owner.zone.code': { $gte: 3 } },
  ],
  ['whole field null', (_db, _) => ({ owner: _.eq(null) }), { owner: null }],
  ['array contains', () => ({ tags: 'suv' }), { tags: 'suv' }],
  ['array element by index', () => ({ 'tags.0': 'suv' }), { 'tags.0': 'suv' }],
  ['array in', (_db, _) => ({ tags: _.in(['ev', 'old']) }), { tags: { $in: ['ev', 'old'] } }],
  ['all', (_db, _) => ({ tags: _.all(['red', 'ev']) }), { tags: { $all: ['red', 'ev'] } }],
  ['size', (_db, _) => ({ tags: _.size(2) }), { tags: { $size: 2 } }],
  [
    'elemMatch',
    (_db, _) => ({ items: _.elemMatch({ k: 'b', v: _.gte(3) }) }),
    { items: { $elemMatch: { k: 'b', v: { $gte: 3 } } } },
  ],
  ['path through an array of objects', (_db, _) => ({ 'items.v': _.gt(30) }), { 'items.v': { $gt: 30 } }],
  ['mod', (_db, _) => ({ fine: _.mod(10000, 5000) }), { fine: { $mod: [10000, 5000] } }],
  ['boolean', () => ({ flag: true }), { flag: true }],
  ['neq a boolean', (_db, _) => ({ flag: _.neq(true) }), { flag: { $ne: true } }],
  ['by _id', () => ({ _id: 'v07' }), { _id: 'v07' }],
  ['_id in', (_db, _) => ({ _id: _.in(['v01', 'v39', 'nope']) }), { _id: { $in: ['v01', 'v39', 'nope'] } }],
  [
    'date range',
    (_db, _) => ({ at: _.gte(new Date('2024-06-01T00:00:00Z')).and(_.lt(new Date('2024-09-01T00:00:00Z'))) }),
    { $and: [{ at: { $gte: new Date('2024-06-01T00:00:00Z') } }, { at: { $lt: new Date('2024-09-01T00:00:00Z') } }] },
  ],
  ['date eq', () => ({ at: new Date(Date.UTC(2024, 3, 4, 3)) }), { at: new Date(Date.UTC(2024, 3, 4, 3)) }],
  ['everything', () => ({}), {}],
];

describe.each(CASES)('%s', (_name, sdkWhere, mongo) => {
  it('get() answers what MongoDB semantics give', async () => {
    const expected = reference(mongo);
    const got = await viaSdk(sdkWhere(db(), db().command));
    expect(got).toEqual(expected);
  });
  it('count() too', async () => {
    const { total } = (await db().collection(COLL).where(sdkWhere(db(), db().command)).count()) as { total: number };
    expect(total).toBe(reference(mongo).length);
  });
});

it('the comparison is not vacuous: most cases select some but not all documents', () => {
  const partial = CASES.filter(([, , mongo]) => {
    const n = reference(mongo).length;
    return n > 0 && n < DOCS.length;
  });
  expect(partial.length).toBeGreaterThanOrEqual(CASES.length - 3);
});

it('db.serverDate() in a filter is the server clock plus the offset', async () => {
  const _ = db().command;
  const boundary = Date.UTC(2024, 6, 1, 0, 30); // no document is at half past
  const got = await viaSdk({ at: _.gt(db().serverDate({ offset: boundary - Date.now() })) });
  expect(got).toEqual(reference({ at: { $gt: new Date(boundary) } }));
  expect(got.length).toBeGreaterThan(0);
  expect(got.length).toBeLessThan(DOCS.length);
});

it('the SDK itself drops a db.RegExp inside _.not (it sends {plate: {}}, which matches nothing): use a JS regex there', async () => {
  const _ = db().command;
  expect(await viaSdk({ plate: _.not(db().RegExp({ regexp: '^桂A' })) })).toEqual(reference({ plate: {} }));
  expect(reference({ plate: {} })).toEqual([]);
});

it('documents come back as stored: Dates as Date, nested objects, arrays, null', async () => {
  const { data } = (await db().collection(COLL).doc('v03').get()) as { data: Doc };
  expect(data).toEqual(DOCS[3]);
  expect(data['at']).toBeInstanceOf(Date);
});

describe('ordering', () => {
  const cases: [string, Array<[string, 'asc' | 'desc']>, Record<string, 1 | -1>][] = [
    [
      'one key ascending',
      [
        ['fine', 'asc'],
        ['_id', 'asc'],
      ],
      { fine: 1, _id: 1 },
    ],
    ['one key descending', [['at', 'desc']], { at: -1 }],
    [
      'two keys',
      [
        ['status', 'asc'],
        ['fine', 'desc'],
        ['_id', 'desc'],
      ],
      { status: 1, fine: -1, _id: -1 },
    ],
    [
      'mixed types in the key: missing and null first, numbers, then strings',
      [
        ['n', 'asc'],
        ['_id', 'asc'],
      ],
      { n: 1, _id: 1 },
    ],
    [
      'a dotted key',
      [
        ['owner.zone.code', 'desc'],
        ['_id', 'asc'],
      ],
      { 'owner.zone.code': -1, _id: 1 },
    ],
  ];
  it.each(cases)('%s', async (_name, orderBy, sort) => {
    let q = db().collection(COLL).where({});
    for (const [field, dir] of orderBy) q = q.orderBy(field, dir);
    const { data } = (await q.limit(1000).get()) as { data: Doc[] };
    const expected = new Query({}, MINGO).find(DOCS).sort(sort).all();
    expect(data.map((d) => d._id)).toEqual(expected.map((d) => (d as Doc)._id));
  });

  it('orderBy with a filter, skip and limit pages like Mongo', async () => {
    const _ = db().command;
    const expected = new Query({ n: { $gte: 0 } }, MINGO).find(DOCS).sort({ n: -1, _id: 1 }).all() as Doc[];
    const pages: string[] = [];
    for (let skip = 0; skip < expected.length; skip += 7) {
      const { data } = (await db()
        .collection(COLL)
        .where({ n: _.gte(0) })
        .orderBy('n', 'desc')
        .orderBy('_id', 'asc')
        .skip(skip)
        .limit(7)
        .get()) as { data: Doc[] };
      expect(data.length).toBe(Math.min(7, expected.length - skip));
      pages.push(...data.map((d) => d._id));
    }
    expect(pages).toEqual(expected.map((d) => d._id));
  });
});

describe('field projection', () => {
  const cases: [string, Record<string, boolean>, Record<string, 0 | 1>][] = [
    ['include', { plate: true, fine: true }, { plate: 1, fine: 1 }],
    ['include a dotted path', { 'owner.city': true }, { 'owner.city': 1 }],
    ['exclude', { owner: false, items: false, at: false }, { owner: 0, items: 0, at: 0 }],
    ['exclude _id', { _id: false, plate: true }, { _id: 0, plate: 1 }],
  ];
  it.each(cases)('%s', async (_name, field, projection) => {
    const { data } = (await db()
      .collection(COLL)
      .where({ status: 'paid' })
      .orderBy('_id', 'asc')
      .field(field)
      .get()) as { data: Doc[] };
    const expected = new Query({ status: 'paid' }, MINGO).find(DOCS, projection).sort({ _id: 1 }).all();
    // _id: 0 leaves nothing to sort by in the reference: compare as sets of documents then.
    if (projection['_id'] === 0)
      expect(new Set(data.map((d) => JSON.stringify(d)))).toEqual(new Set(expected.map((d) => JSON.stringify(d))));
    else expect(data).toEqual(expected);
  });

  it('doc().field() too', async () => {
    const { data } = (await db().collection(COLL).doc('v01').field({ plate: true }).get()) as { data: Doc };
    expect(data).toEqual({ _id: 'v01', plate: DOCS[1]?.['plate'] });
  });
});

describe('paging limits', () => {
  const PAGED = 'paging';
  const N = 1100;
  beforeAll(async () => {
    const docs = Array.from({ length: N }, (_, i) => ({ _id: `p${String(i).padStart(4, '0')}`, i }));
    await db().collection(PAGED).add({ data: docs });
  });

  it('the SDK asks for 100 by default, and gets 100', async () => {
    const { data } = (await db().collection(PAGED).get()) as { data: unknown[] };
    expect(data).toHaveLength(100);
  });

  it('limit(1000) gets 1000, skip(1000) the rest, count() all of them', async () => {
    const first = (await db().collection(PAGED).orderBy('i', 'asc').limit(1000).get()).data as Array<{ i: number }>;
    const rest = (await db().collection(PAGED).orderBy('i', 'asc').skip(1000).limit(1000).get()).data as Array<{
      i: number;
    }>;
    expect(first.map((d) => d.i)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(rest.map((d) => d.i)).toEqual(Array.from({ length: N - 1000 }, (_, i) => 1000 + i));
    expect(((await db().collection(PAGED).count()) as { total: number }).total).toBe(N);
  });

  it('the server itself caps a request at 1000 and defaults to 100 (asked directly, past the SDK)', async () => {
    const ask = async (extra: Record<string, unknown>) => {
      const { body } = await cloud().request<{ data: { list: string[]; limit: number } }>(
        'POST',
        '/admin',
        JSON.stringify({ action: 'database.getDocument', collectionName: PAGED, query: '{}', ...extra }),
        { 'content-type': 'application/json' },
      );
      return body.data;
    };
    expect((await ask({ limit: 5000 })).list).toHaveLength(1000);
    expect((await ask({})).list).toHaveLength(100);
    expect((await ask({ limit: 3, offset: 1098 })).list).toHaveLength(2);
  });
});

describe('aggregate', () => {
  const CARS = 'agg_cars';
  beforeAll(async () => {
    await db()
      .collection(CARS)
      .add({
        data: ['01', '02'].map((plateType) => ({
          _id: `car-${plateType}`,
          plateType,
          label: plateType === '01' ? '大型汽车' : '小型汽车',
        })),
      });
  });

  async function compare(
    build: (agg: SdkDB.Aggregate, $: Command['aggregate'], _: Command) => SdkDB.Aggregate,
    pipeline: Record<string, unknown>[],
    foreign: Record<string, Doc[]> = {},
  ): Promise<void> {
    const $ = db().command.aggregate;
    const { list } = (await build(db().collection(COLL).aggregate(), $, db().command).end()) as { list: unknown[] };
    const expected = new Aggregator(pipeline, {
      ...MINGO,
      collectionResolver: (name: string) => foreign[name] ?? [],
    }).run(DOCS);
    expect(list).toEqual(expected);
  }

  it('match + group + sort', () =>
    compare(
      (agg, $, _) =>
        agg
          .match({ n: _.gte(0) })
          .group({ _id: '$status', total: $.sum('$fine'), count: $.sum(1), maxN: $.max('$n'), avg: $.avg('$fine') })
          .sort({ _id: 1 }),
      [
        { $match: { n: { $gte: 0 } } },
        {
          $group: {
            _id: '$status',
            total: { $sum: '$fine' },
            count: { $sum: 1 },
            maxN: { $max: '$n' },
            avg: { $avg: '$fine' },
          },
        },
        { $sort: { _id: 1 } },
      ],
    ));

  it('match + project + sort + skip + limit', () =>
    compare(
      (agg, $) =>
        agg
          .match({ status: 'unprocessed' })
          .project({ _id: 1, plate: 1, yuan: $.divide(['$fine', 100]) })
          .sort({ yuan: -1, _id: 1 })
          .skip(2)
          .limit(5),
      [
        { $match: { status: 'unprocessed' } },
        { $project: { _id: 1, plate: 1, yuan: { $divide: ['$fine', 100] } } },
        { $sort: { yuan: -1, _id: 1 } },
        { $skip: 2 },
        { $limit: 5 },
      ],
    ));

  it('unwind + group', () =>
    compare(
      (agg, $) =>
        agg
          .unwind('$tags')
          .group({ _id: '$tags', count: $.sum(1) })
          .sort({ count: -1, _id: 1 }),
      [{ $unwind: '$tags' }, { $group: { _id: '$tags', count: { $sum: 1 } } }, { $sort: { count: -1, _id: 1 } }],
    ));

  it('lookup + unwind + project', async () => {
    const { data: cars } = (await db().collection(CARS).get()) as { data: Doc[] };
    await compare(
      (agg) =>
        agg
          .match({ fine: 0 })
          .lookup({ from: CARS, localField: 'plateType', foreignField: 'plateType', as: 'kind' })
          .unwind('$kind')
          .project({ _id: 1, label: '$kind.label' })
          .sort({ _id: 1 }),
      [
        { $match: { fine: 0 } },
        { $lookup: { from: CARS, localField: 'plateType', foreignField: 'plateType', as: 'kind' } },
        { $unwind: '$kind' },
        { $project: { _id: 1, label: '$kind.label' } },
        { $sort: { _id: 1 } },
      ],
      { [CARS]: cars },
    );
  });

  it('count', () =>
    compare(
      (agg, _$, _) => agg.match({ 'owner.city': 'Nanning', n: _.exists(true) }).count('total'),
      [{ $match: { 'owner.city': 'Nanning', n: { $exists: true } } }, { $count: 'total' }],
    ));
});
