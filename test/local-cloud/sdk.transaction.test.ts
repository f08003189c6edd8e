/**
 * Transactions through the real wx-server-sdk against the local cloud: commit, rollback, a write conflict between two
 * open transactions, the SDK's own retry of a conflict reported at commit, snapshot reads, and concurrent
 * read-modify-write increments of one counter (in this process through the project's own retry helper,
 * cloudfunctions/_shared/transaction.ts, and from function instances) that never commit a stale read.
 */
import type { DB as SdkDB } from 'wx-server-sdk';
import { FIXTURE_FUNCTIONS, useSdkOnLocalCloud } from '../helpers/local-cloud';
import { match } from '../helpers/matchers';

// Function instances start cold (each loads wx-server-sdk): generous per-test time on a busy 2-core machine.
jest.setTimeout(20_000);
const { cloud, db } = useSdkOnLocalCloud({ functions: FIXTURE_FUNCTIONS });

type Doc = { _id: string } & Record<string, unknown>;

async function read(coll: string, id: string): Promise<Doc | null> {
  const { data } = (await db().collection(coll).where({ _id: id }).get()) as { data: Doc[] };
  return data[0] ?? null;
}

const C = 'tx';

beforeAll(async () => {
  await db()
    .collection(C)
    .add({ data: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((_id) => ({ _id, v: 1 })) });
});

it('commit: every write of the callback lands together, and runTransaction answers the callback value', async () => {
  const result: unknown = await db().runTransaction(async (tx) => {
    const { data } = (await tx.collection(C).doc('a').get()) as { data: Doc };
    await tx
      .collection(C)
      .doc('a')
      .update({ data: { v: (data['v'] as number) + 1 } });
    await tx
      .collection(C)
      .doc('b')
      .set({ data: { v: 10, replaced: true } });
    await tx.collection(C).add({ data: { _id: 'tx-new', v: 1 } });
    await tx.collection(C).doc('c').remove();
    return 'done';
  });
  expect(result).toBe('done');
  expect(await read(C, 'a')).toEqual({ _id: 'a', v: 2 });
  expect(await read(C, 'b')).toEqual({ _id: 'b', v: 10, replaced: true });
  expect(await read(C, 'tx-new')).toEqual({ _id: 'tx-new', v: 1 });
  expect(await read(C, 'c')).toBeNull();
});

it('commit: set() of a new document and add() without an _id inside a transaction', async () => {
  const ids = await db().runTransaction(async (tx) => {
    await tx
      .collection(C)
      .doc('tx-set')
      .set({ data: { v: 'set' } });
    const added = (await tx.collection(C).add({ data: { v: 'generated' } })) as { _id: string };
    // Removed and added again in the same transaction: the add wins.
    await tx.collection(C).doc('tx-set').remove();
    await tx.collection(C).add({ data: { _id: 'tx-set', v: 'again' } });
    return added._id;
  });
  expect(ids).toMatch(/^[0-9a-f]{32}$/);
  expect(await read(C, ids)).toEqual({ _id: ids, v: 'generated' });
  expect(await read(C, 'tx-set')).toEqual({ _id: 'tx-set', v: 'again' });
});

it('rollback: a callback that throws leaves nothing behind, and its error reaches the caller', async () => {
  await expect(
    db().runTransaction(async (tx) => {
      await tx
        .collection(C)
        .doc('d')
        .update({ data: { v: 99 } });
      await tx.collection(C).add({ data: { _id: 'never', v: 1 } });
      await tx.collection(C).doc('e').remove();
      throw new Error('changed my mind');
    }),
  ).rejects.toThrow('changed my mind');
  expect(await read(C, 'd')).toEqual({ _id: 'd', v: 1 });
  expect(await read(C, 'never')).toBeNull();
  expect(await read(C, 'e')).toEqual({ _id: 'e', v: 1 });
  expect(
    (await cloud().request<{ store: { openTransactions: number } }>('GET', '/stats')).body.store.openTransactions,
  ).toBe(0);
});

it('rollback: transaction.rollback(reason) writes nothing and rejects with the reason', async () => {
  await expect(
    db().runTransaction(async (tx) => {
      await tx
        .collection(C)
        .doc('d')
        .update({ data: { v: 42 } });
      await tx.rollback('not today');
    }),
  ).rejects.toBe('not today');
  expect(await read(C, 'd')).toEqual({ _id: 'd', v: 1 });
});

it('conflict: a write to a document another open transaction wrote fails at once; the first one still commits', async () => {
  const first = await db().startTransaction();
  const second = await db().startTransaction();
  await first
    .collection(C)
    .doc('f')
    .update({ data: { v: 'first' } });
  const failure = await second
    .collection(C)
    .doc('f')
    .update({ data: { v: 'second' } })
    .then(
      () => null,
      (error: unknown) => error,
    );
  expect(failure).not.toBeNull();
  expect(JSON.stringify(failure, Object.getOwnPropertyNames(failure))).toContain('DATABASE_TRANSACTION_CONFLICT');
  await first.commit();
  expect(await read(C, 'f')).toEqual({ _id: 'f', v: 'first' });
  // The conflicted transaction is over: nothing of it can commit.
  await expect(second.commit()).rejects.toBeTruthy();
  expect(await read(C, 'f')).toEqual({ _id: 'f', v: 'first' });
});

it('conflict: two open transactions adding the same _id: the second fails at once', async () => {
  const first = await db().startTransaction();
  const second = await db().startTransaction();
  await first.collection(C).add({ data: { _id: 'both', by: 'first' } });
  await expect(second.collection(C).add({ data: { _id: 'both', by: 'second' } })).rejects.toMatchObject({
    errMsg: match.stringContaining('DATABASE_TRANSACTION_CONFLICT'),
  });
  await first.commit();
  expect(await read(C, 'both')).toEqual({ _id: 'both', by: 'first' });
});

it('conflict: a write after another transaction committed a change since our snapshot fails too (no lost update)', async () => {
  const slow = await db().startTransaction();
  const { data } = (await slow.collection(C).doc('g').get()) as { data: Doc };
  await db().runTransaction(async (tx) => {
    await tx
      .collection(C)
      .doc('g')
      .update({ data: { v: 5 } });
  });
  await expect(
    slow
      .collection(C)
      .doc('g')
      .update({ data: { v: (data['v'] as number) + 1 } }),
  ).rejects.toMatchObject({
    errMsg: match.stringContaining('DATABASE_TRANSACTION_CONFLICT'),
  });
  expect(await read(C, 'g')).toEqual({ _id: 'g', v: 5 });
});

it("the SDK's runTransaction retries a conflict reported at commit, and the retry commits", async () => {
  await db()
    .collection(C)
    .add({ data: { _id: 'retry', v: 0 } });
  let attempts = 0;
  const result: unknown = await db().runTransaction(async (tx) => {
    attempts += 1;
    const { data } = (await tx.collection(C).doc('retry').get()) as { data: Doc };
    await tx
      .collection(C)
      .doc('retry')
      .update({ data: { v: (data['v'] as number) + 1, attempt: attempts } });
    // A plain write lands between our write and our commit (first attempt only): our commit must conflict.
    if (attempts === 1)
      await db()
        .collection(C)
        .doc('retry')
        .update({ data: { v: 100 } });
    return attempts;
  });
  expect(result).toBe(2);
  expect(await read(C, 'retry')).toEqual({ _id: 'retry', v: 101, attempt: 2 });
});

it('reads inside a transaction see its snapshot (and its own writes), not later commits', async () => {
  await db()
    .collection(C)
    .add({
      data: [
        { _id: 's1', v: 1 },
        { _id: 's2', v: 1 },
      ],
    });
  const tx = await db().startTransaction();
  expect(((await tx.collection(C).doc('s1').get()) as { data: Doc }).data).toEqual({ _id: 's1', v: 1 });
  await db()
    .collection(C)
    .doc('s1')
    .update({ data: { v: 2 } });
  await db()
    .collection(C)
    .doc('s2')
    .update({ data: { v: 2 } });
  await db()
    .collection(C)
    .add({ data: { _id: 's3', v: 2 } });
  // Both the document read before and the one first read now are as they were when the transaction began.
  expect(((await tx.collection(C).doc('s1').get()) as { data: Doc }).data).toEqual({ _id: 's1', v: 1 });
  expect(((await tx.collection(C).doc('s2').get()) as { data: Doc }).data).toEqual({ _id: 's2', v: 1 });
  await expect(tx.collection(C).doc('s3').get()).rejects.toMatchObject({
    errMsg: match.stringContaining('does not exist'),
  });
  await tx.collection(C).add({ data: { _id: 's4', v: 'mine' } });
  expect(((await tx.collection(C).doc('s4').get()) as { data: Doc }).data).toEqual({ _id: 's4', v: 'mine' });
  expect(await read(C, 's4')).toBeNull();
  await tx.rollback();
  expect(await read(C, 's4')).toBeNull();
});

describe('concurrent read-modify-write increments of one counter', () => {
  it('20 at once in this process, through cloudfunctions/_shared/transaction.ts: every committed increment counted once', async () => {
    await db()
      .collection('counters')
      .add({ data: { _id: 'inproc', n: 0 } });
    // Loaded now, after the env points the SDK at the local cloud (the module initialises the SDK when loaded).
    const { inTransaction } = await import('../../cloudfunctions/_shared/transaction');
    const increment = () =>
      inTransaction(async (tx) => {
        const counters = tx.collection('counters') as SdkDB.CollectionReference;
        const data = (await counters.doc('inproc').get()).data as { n: number };
        await counters.doc('inproc').update({ data: { n: data.n + 1 } });
        return data.n + 1;
      }, 50);
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => increment()));
    const values = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    // No two increments read the same value: each committed one saw the one before it.
    expect([...values].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await read('counters', 'inproc')).toEqual({ _id: 'inproc', n: 20 });
  });

  it('20 at once from function instances (4 workers), each retrying on conflict: the count is exact', async () => {
    await db()
      .collection('counters')
      .add({ data: { _id: 'fn', n: 0 } });
    const calls = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        cloud().call<{ results: Array<{ value: number; attempts: number }> }>(
          'sdk',
          { steps: [{ op: 'increment', coll: 'counters', id: 'fn', field: 'n' }] },
          `o-inc-${i}`,
        ),
      ),
    );
    expect(calls.map((c) => c.status)).toEqual(Array.from({ length: 20 }, () => 200));
    const values = calls.map((c) => c.body.results[0]?.value ?? -1).sort((x, y) => x - y);
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await read('counters', 'fn')).toEqual({ _id: 'fn', n: 20 });
  });

  it("the SDK's own runTransaction (3 retries at commit) never commits a stale read either", async () => {
    await db()
      .collection('counters')
      .add({ data: { _id: 'sdk', n: 0 } });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        db().runTransaction(async (tx) => {
          const data = (await tx.collection('counters').doc('sdk').get()).data as { n: number };
          await tx
            .collection('counters')
            .doc('sdk')
            .update({ data: { n: data.n + 1 } });
          return data.n + 1;
        }),
      ),
    );
    const committed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    // Conflicts at the write are not retried by the SDK (that is why our functions retry themselves): some fail.
    expect(committed.length).toBeGreaterThan(0);
    expect([...committed].sort((x, y) => x - y)).toEqual(Array.from({ length: committed.length }, (_, i) => i + 1));
    expect(await read('counters', 'sdk')).toEqual({ _id: 'sdk', n: committed.length });
    for (const r of results)
      if (r.status === 'rejected')
        expect(JSON.stringify(r.reason, Object.getOwnPropertyNames(r.reason))).toContain(
          'DATABASE_TRANSACTION_CONFLICT',
        );
  });
});
