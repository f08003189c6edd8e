/**
 * A found document is answered with its stored text rather than encoded again: whatever way it is read (a page, an
 * index-ordered page, a projection, inside a transaction, after an update), the SDK must get back exactly what was
 * written, dates before 1970 and awkward numbers included.
 */
import { useSdkOnLocalCloud } from '../helpers/local-cloud';

const { db } = useSdkOnLocalCloud();

const C = 'foundText';
const DOCS = [
  {
    _id: 'a',
    at: new Date('1969-07-20T20:17:40.000Z'),
    n: -0.5,
    big: 2 ** 53 - 1,
    text: '桂A·12345 "quoted" \\ slash',
    nested: { list: [1, 'two', { when: new Date('2026-01-01T00:00:00.000Z') }], empty: {}, none: null },
  },
  { _id: 'b', at: new Date('2026-05-01T08:00:00.123Z'), n: 1e21, big: -7, text: '', nested: { list: [], none: null } },
];

beforeAll(async () => {
  await db().collection(C).add({ data: DOCS });
});

type Found = { _id: string } & Record<string, unknown>;

async function all(query: () => Promise<unknown>): Promise<Found[]> {
  return ((await query()) as { data: Found[] }).data;
}

it('a page, and a page in index order, answer the documents as written', async () => {
  expect(await all(() => db().collection(C).where({}).get())).toEqual(DOCS);
  expect(await all(() => db().collection(C).orderBy('at', 'desc').get())).toEqual([DOCS[1], DOCS[0]]);
});

it('a projection answers only the fields asked for', async () => {
  const found = await all(() => db().collection(C).where({ _id: 'a' }).field({ at: true }).get());
  expect(found).toEqual([{ _id: 'a', at: DOCS[0]?.at }]);
});

it('inside a transaction and after an update, the document read is the current one', async () => {
  await db()
    .collection(C)
    .doc('b')
    .update({ data: { big: 8 } });
  const inTx = await db().runTransaction(async (tx) => {
    await tx
      .collection(C)
      .doc('a')
      .update({ data: { n: 2 } });
    return ((await tx.collection(C).doc('a').get()) as { data: Found }).data;
  });
  expect(inTx).toEqual({ ...DOCS[0], n: 2 });
  expect(await all(() => db().collection(C).where({ _id: 'b' }).get())).toEqual([{ ...DOCS[1], big: 8 }]);
});
