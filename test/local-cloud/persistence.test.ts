/**
 * The local cloud keeps its data on disk: everything survives a restart, and `kill -9` in the middle of a stream of
 * writes loses no acknowledged write (a write whose reply arrived is there after restart; writes in flight may or
 * may not be). Writes go through the real wx-server-sdk in this process.
 */
import { FIXTURE_INDEXES, pointSdkAt, sdk, startLocalCloud, type DB, type RunningCloud } from '../helpers/local-cloud';
import { match } from '../helpers/matchers';

type Doc = { _id: string } & Record<string, unknown>;

let cloud: RunningCloud;
let restoreEnv: () => void;
let db: DB;

beforeAll(async () => {
  cloud = await startLocalCloud({ indexes: FIXTURE_INDEXES });
  restoreEnv = pointSdkAt(cloud);
  db = sdk().database();
}, 30_000);

afterAll(async () => {
  // Unset when beforeAll failed.
  await (cloud as RunningCloud | undefined)?.stop();
  (restoreEnv as (() => void) | undefined)?.();
});

async function all(coll: string): Promise<Doc[]> {
  const out: Doc[] = [];
  for (;;) {
    const { data } = (await db.collection(coll).orderBy('_id', 'asc').skip(out.length).limit(1000).get()) as {
      data: Doc[];
    };
    out.push(...data);
    if (data.length < 1000) return out;
  }
}

it('a restart keeps every document, type and index; a transaction left open is not committed', async () => {
  const docs: Doc[] = [
    {
      _id: 'p1',
      at: new Date('2024-01-02T03:04:05.678Z'),
      nested: { a: [1, { b: null }] },
      s: '桂A12345',
      f: 1.25,
      yes: true,
    },
    { _id: 'p2', big: 2 ** 40, neg: -7, empty: {}, list: [] },
  ];
  await db.collection('persist').add({ data: docs });
  await db
    .collection('persist')
    .doc('p2')
    .update({ data: { neg: db.command.inc(-1) } });
  await db.collection('drivers').add({ data: { _id: 'd1', idNumber: '450102199001011234' } });
  const open = await db.startTransaction();
  await open.collection('persist').add({ data: { _id: 'uncommitted' } });
  await open
    .collection('persist')
    .doc('p1')
    .update({ data: { s: 'changed in an open transaction' } });

  await cloud.restart();

  expect(await all('persist')).toEqual([docs[0], { ...docs[1], neg: -8 }]);
  // The declared unique index on drivers.idNumber still holds after the restart.
  await expect(
    db.collection('drivers').add({ data: { _id: 'd2', idNumber: '450102199001011234' } }),
  ).rejects.toMatchObject({
    errMsg: match.stringContaining('DUPLICATE'),
  });
  // The old transaction died with the process.
  await expect(open.commit()).rejects.toBeTruthy();
  expect(await all('persist')).toEqual([docs[0], { ...docs[1], neg: -8 }]);
}, 30_000);

it('kill -9 during a stream of writes loses no acknowledged write', async () => {
  const WRITERS = 6;
  const acked = new Set<string>();
  const attempted = new Set<string>();
  const lastAckedK = new Array<number>(WRITERS).fill(0);
  const lastTriedK = new Array<number>(WRITERS).fill(0);
  let killed = false;

  // Each writer: add a new document, then move its counter document to k; stop at the first failure.
  const writer = async (w: number): Promise<void> => {
    for (let k = 1; !killed; k += 1) {
      const _id = `w${w}-${String(k).padStart(5, '0')}`;
      try {
        attempted.add(_id);
        await db.collection('stream').add({ data: { _id, w, k, at: new Date() } });
        acked.add(_id);
        lastTriedK[w] = k;
        await db.collection('counters').doc(`c${w}`).set({ data: { k } });
        lastAckedK[w] = k;
      } catch {
        return;
      }
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
  // Kill once a good number of writes has been acknowledged, while all writers are still busy.
  while (acked.size < 300) await new Promise((resolve) => setTimeout(resolve, 5));
  await cloud.kill('SIGKILL');
  killed = true;
  await Promise.all(writers);
  const ackedAtKill = acked.size;

  await cloud.restart();

  const stored = await all('stream');
  const storedIds = new Set(stored.map((d) => d._id));
  const lost = [...acked].filter((id) => !storedIds.has(id));
  expect(lost).toEqual([]);
  // Nothing appears that was never sent, and at most the writes in flight (one per writer) are there unacknowledged.
  expect(stored.filter((d) => !attempted.has(d._id))).toEqual([]);
  expect(stored.length - ackedAtKill).toBeLessThanOrEqual(WRITERS);
  for (const d of stored)
    expect(d).toEqual({
      _id: d._id,
      w: Number(d._id.slice(1, d._id.indexOf('-'))),
      k: Number(d._id.slice(d._id.indexOf('-') + 1)),
      at: match.any(Date),
    });
  for (let w = 0; w < WRITERS; w += 1) {
    const data = (
      await db
        .collection('counters')
        .where({ _id: `c${w}` })
        .get()
    ).data as Array<{ k: number }>;
    const k = data[0]?.k ?? 0;
    expect(k).toBeGreaterThanOrEqual(lastAckedK[w] ?? 0);
    expect(k).toBeLessThanOrEqual(lastTriedK[w] ?? 0);
  }
  // And the restarted cloud takes writes again.
  await db.collection('stream').add({ data: { _id: 'after-restart' } });
  expect((await db.collection('stream').doc('after-restart').get()).data).toEqual({ _id: 'after-restart' });
}, 60_000);
