/**
 * Clear errors on the SDK's /admin endpoint: what the local cloud does not support is refused with a message naming
 * it (never a silent wrong answer), and a malformed request is refused without touching data. Unsupported operators
 * are sent by the real wx-server-sdk; malformed requests are sent by hand, since the SDK would not send them.
 */
import type { DB as SdkDB } from 'wx-server-sdk';
import { useSdkOnLocalCloud, type Command, type DB } from '../helpers/local-cloud';
import { match } from '../helpers/matchers';

const { cloud, db } = useSdkOnLocalCloud();

type Doc = { _id: string } & Record<string, unknown>;
const C = 'guarded';
const ORIGINAL: Doc[] = [
  { _id: 'g1', n: 1, tags: ['a'] },
  { _id: 'g2', n: 2, tags: ['b'] },
  { _id: 'g3', n: 3, tags: [] },
];

/** Every test starts from ORIGINAL, so one refused-but-applied request shows in its own test only. */
beforeEach(async () => {
  await db().collection(C).where({}).remove();
  await db().collection(C).add({ data: ORIGINAL });
});

/** Operators the SDK sends that its d.ts does not type (or types narrower): sent here to see them refused. */
interface Unsupported extends Command {
  geoWithin(options: SdkDB.IGeoWithinCommandOptions | { centerSphere: unknown[] }): SdkDB.DatabaseQueryCommand;
  jsonSchema(schema: Record<string, unknown>): SdkDB.DatabaseLogicCommand;
  bit(operation: number | { and?: number; or?: number; xor?: number }): SdkDB.DatabaseUpdateCommand;
  in(values: unknown): SdkDB.DatabaseQueryCommand;
}

async function snapshot(): Promise<Doc[]> {
  const { data } = (await db().collection(C).orderBy('_id', 'asc').limit(1000).get()) as { data: Doc[] };
  return data;
}

/** After every test: whatever was refused, the collection is exactly as it was. */
afterEach(async () => {
  expect(await snapshot()).toEqual(ORIGINAL);
});

async function admin(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return cloud().request<Record<string, unknown>>('POST', '/admin', text, { 'content-type': 'application/json' });
}

describe('unsupported, named in the answer', () => {
  it('an action the local cloud does not implement', async () => {
    const { status, body } = await admin({ action: 'database.dropCollection', collectionName: C });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      code: 'UNSUPPORTED_ACTION',
      message: match.stringContaining('database.dropCollection'),
    });
  });

  const unsupported: [string, string, (d: DB, _: Unsupported) => Promise<unknown>][] = [
    [
      'geo query (geoNear)',
      '$nearSphere',
      (d, _) =>
        d
          .collection(C)
          .where({ loc: _.geoNear({ geometry: new d.Geo.Point(108.3, 22.8), maxDistance: 10 }) })
          .get(),
    ],
    [
      'geo query (geoWithin)',
      '$geoWithin',
      (d, _) =>
        d
          .collection(C)
          .where({ loc: _.geoWithin({ centerSphere: [[108.3, 22.8], 0.1] }) })
          .get(),
    ],
    [
      '$jsonSchema',
      '$jsonSchema',
      (d, _) =>
        d
          .collection(C)
          .where(_.jsonSchema({ required: ['n'] }))
          .get(),
    ],
    [
      'update operator $bit',
      '$bit',
      (d, _) =>
        d
          .collection(C)
          .doc('g1')
          .update({ data: { n: _.bit({ and: 1 }) } }),
    ],
    [
      'update operator $bit on many',
      '$bit',
      (d, _) =>
        d
          .collection(C)
          .where({ n: _.gt(0) })
          .update({ data: { n: _.bit({ or: 4 }) } }),
    ],
    [
      'regular expression flag x (extended), which JS cannot honour',
      "flag 'x'",
      (d) =>
        d
          .collection(C)
          .where({ _id: d.RegExp({ regexp: 'g 1', options: 'x' }) })
          .get(),
    ],
    [
      'aggregate stage $geoNear',
      '$geoNear',
      (d) =>
        d
          .collection(C)
          .aggregate()
          .geoNear({ near: new d.Geo.Point(108.3, 22.8), distanceField: 'd', spherical: true })
          .end(),
    ],
  ];
  it.each(unsupported)('%s', async (_name, operator, run) => {
    const error = await run(db(), db().command as Unsupported).then(
      () => null,
      (e: unknown) => e as { errMsg?: string },
    );
    expect(error).not.toBeNull();
    expect(error?.errMsg).toContain(operator);
  });

  it('an unknown query operator sent by hand', async () => {
    const { body } = await admin({
      action: 'database.getDocument',
      collectionName: C,
      query: JSON.stringify({ n: { $frobnicate: 1 } }),
    });
    expect(body).toMatchObject({ code: match.any(String), message: match.stringContaining('$frobnicate') });
  });

  it('an unknown update operator sent by hand (on every document) changes nothing', async () => {
    const { body } = await admin({
      action: 'database.modifyDocument',
      collectionName: C,
      query: '{}',
      multi: true,
      data: JSON.stringify({ $set: { n: 0 }, $frobnicate: { n: 1 } }),
    });
    expect(body).toMatchObject({ code: match.any(String), message: match.stringContaining('$frobnicate') });
  });

  it('an aggregate stage that would write ($out)', async () => {
    const { body } = await admin({
      action: 'database.aggregateDocuments',
      collectionName: C,
      stages: [{ stageKey: '$out', stageValue: JSON.stringify('copy') }],
    });
    expect(body).toMatchObject({ code: match.any(String), message: match.stringContaining('$out') });
  });
});

describe('malformed requests are refused and touch nothing', () => {
  it('a body that is not JSON: HTTP 400', async () => {
    const { status, body } = await admin(
      '{"action":"database.removeDocument","collectionName":"guarded","query":"{}","multi":true',
    );
    expect(status).toBe(400);
    expect(body).toMatchObject({ errCode: 'INVALID_JSON' });
  });

  const malformed: [string, Record<string, unknown> | unknown[]][] = [
    ['a JSON array instead of an object', [{ action: 'database.removeDocument' }]],
    ['no action', { collectionName: C, query: '{}' }],
    ['an action that is not a string', { action: 7, collectionName: C }],
    [
      'a collection name that is not a string',
      { action: 'database.removeDocument', collectionName: ['guarded'], query: '{}', multi: true },
    ],
    [
      'a query that is an object, not an EJSON string',
      { action: 'database.removeDocument', collectionName: C, query: { _id: 'g1' }, multi: false },
    ],
    [
      'a query that is not valid EJSON',
      { action: 'database.removeDocument', collectionName: C, query: '{"_id": ', multi: true },
    ],
    [
      'a query that is an EJSON array',
      { action: 'database.removeDocument', collectionName: C, query: '[]', multi: true },
    ],
    [
      'a query with a malformed operator',
      { action: 'database.removeDocument', collectionName: C, query: JSON.stringify({ n: { $in: 5 } }), multi: true },
    ],
    [
      'multi that is not a boolean',
      { action: 'database.removeDocument', collectionName: C, query: JSON.stringify({ n: { $gte: 2 } }), multi: 'yes' },
    ],
    [
      'upsert that is not a boolean',
      {
        action: 'database.modifyDocument',
        collectionName: C,
        query: JSON.stringify({ _id: 'g9' }),
        data: JSON.stringify({ $set: { n: 9 } }),
        upsert: 'true',
      },
    ],
    [
      'insert data that is not an array',
      { action: 'database.insertDocument', collectionName: C, data: JSON.stringify({ _id: 'g4' }) },
    ],
    [
      'insert data with one bad document among good ones',
      { action: 'database.insertDocument', collectionName: C, data: [JSON.stringify({ _id: 'g4' }), '{"_id":'] },
    ],
    [
      'insert data with a document that is an array',
      { action: 'database.insertDocument', collectionName: C, data: [JSON.stringify({ _id: 'g4' }), '[1]'] },
    ],
    [
      'update data that is not an object',
      { action: 'database.modifyDocument', collectionName: C, query: '{}', multi: true, data: '5' },
    ],
    [
      'update data mixing operators and fields',
      {
        action: 'database.modifyDocument',
        collectionName: C,
        query: '{}',
        multi: true,
        data: JSON.stringify({ $set: { n: 0 }, n: 1 }),
      },
    ],
    [
      'an update of _id',
      {
        action: 'database.modifyDocument',
        collectionName: C,
        query: '{}',
        multi: true,
        data: JSON.stringify({ $set: { _id: 'x' } }),
      },
    ],
    [
      '$inc by a string',
      {
        action: 'database.modifyDocument',
        collectionName: C,
        query: '{}',
        multi: true,
        data: JSON.stringify({ $inc: { n: 'one' } }),
      },
    ],
    [
      'a field name that reaches the prototype',
      {
        action: 'database.modifyDocument',
        collectionName: C,
        query: '{}',
        multi: true,
        data: '{"$set":{"__proto__":{"polluted":true}}}',
      },
    ],
    ['a negative limit', { action: 'database.getDocument', collectionName: C, query: '{}', limit: -1 }],
    ['a fractional offset', { action: 'database.getDocument', collectionName: C, query: '{}', offset: 1.5 }],
    [
      'an order that is not 1 or -1',
      { action: 'database.getDocument', collectionName: C, query: '{}', order: JSON.stringify({ n: 'up' }) },
    ],
    [
      'a transactionId that is not a string',
      { action: 'database.removeDocument', collectionName: C, query: '{}', multi: true, transactionId: 12 },
    ],
    [
      'a transactionId that does not exist',
      {
        action: 'database.removeDocument',
        collectionName: C,
        query: '{}',
        multi: true,
        transactionId: 'not-a-transaction',
      },
    ],
    [
      'aggregate stages that are not an array',
      { action: 'database.aggregateDocuments', collectionName: C, stages: '[]' },
    ],
    [
      'an invalid regular expression',
      {
        action: 'database.removeDocument',
        collectionName: C,
        query: JSON.stringify({ _id: { $regularExpression: { pattern: '(', options: '' } } }),
        multi: true,
      },
    ],
  ];
  it.each(malformed)('%s', async (_name, request) => {
    const { status, body } = await admin(request);
    // The SDK's protocol answers errors with HTTP 200 and { code, message }: the SDK turns them into its errors.
    expect(status).toBe(200);
    expect(body).toMatchObject({ code: match.any(String), message: match.any(String) });
    expect(body['data']).toBeUndefined();
  });

  it('nothing reached Object.prototype', () => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('the SDK rejects a malformed call as its error, and the data stays', async () => {
    await expect(
      db()
        .collection(C)
        .where({ n: (db().command as Unsupported).in(5) })
        .remove(),
    ).rejects.toMatchObject({ errMsg: match.any(String) });
  });
});
