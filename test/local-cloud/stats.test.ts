/**
 * GET /health and GET /stats: database round trips counted per function.action (what a function's SDK calls cost),
 * and unindexedQueries counting every query that no declared index serves (test/fixtures/local-cloud/indexes.json).
 */
import { FIXTURE_FUNCTIONS, FIXTURE_INDEXES, useLocalCloud } from '../helpers/local-cloud';

// Function instances start cold (each loads wx-server-sdk): generous per-test time on a busy 2-core machine.
jest.setTimeout(20_000);
const cloud = useLocalCloud({ functions: FIXTURE_FUNCTIONS, indexes: FIXTURE_INDEXES });

interface Stats {
  store: {
    unindexedQueries: number;
    unindexedShapes: Record<string, number>;
    openTransactions: number;
    collections: Record<string, number>;
  };
  roundTrips: Record<
    string,
    {
      calls: number;
      min: number;
      max: number;
      mean: number;
      maxTransactions: number;
      lastByAction: Record<string, number>;
    }
  >;
}

const stats = async (): Promise<Stats> => (await cloud().request<Stats>('GET', '/stats')).body;

type Step = Record<string, unknown>;
async function run(action: string, steps: Step[]): Promise<void> {
  const { status, body } = await cloud().call('sdk', { action, steps }, 'o-stats');
  expect({ status, body }).toMatchObject({ status: 200 });
}

it('/health answers ok once functions and database are up', async () => {
  const { status, body } = await cloud().request<{ ok: boolean; functions: string[]; store: unknown }>(
    'GET',
    '/health',
  );
  expect(status).toBe(200);
  expect(body.ok).toBe(true);
  expect(body.functions).toContain('whoami');
  expect(body.store).toMatchObject({ openTransactions: 0 });
});

it('round trips are counted per function.action, with the SDK actions of the last call', async () => {
  await run('seed', [
    {
      op: 'add',
      coll: 'drivers',
      data: [
        { idNumber: 'A1', name: '张三' },
        { idNumber: 'B2', name: '李四' },
      ],
    },
  ]);
  await run('lookup', [
    { op: 'get', coll: 'drivers', where: { idNumber: 'A1' } },
    { op: 'count', coll: 'drivers', where: { idNumber: 'B2' } },
  ]);
  await run('lookup', [{ op: 'get', coll: 'drivers', where: { idNumber: 'A1' } }]);
  await run('bump', [
    { op: 'add', coll: 'counters', data: { _id: 'k', n: 0 } },
    { op: 'increment', coll: 'counters', id: 'k', field: 'n' },
  ]);
  const { roundTrips } = await stats();
  expect(roundTrips['sdk.seed']).toMatchObject({
    calls: 1,
    min: 1,
    max: 1,
    maxTransactions: 0,
    lastByAction: { 'database.insertDocument': 1 },
  });
  expect(roundTrips['sdk.lookup']).toMatchObject({
    calls: 2,
    min: 1,
    max: 2,
    mean: 1.5,
    lastByAction: { 'database.getDocument': 1 },
  });
  // add + start + get + update + commit
  expect(roundTrips['sdk.bump']).toMatchObject({
    calls: 1,
    max: 5,
    maxTransactions: 1,
    lastByAction: {
      'database.insertDocument': 1,
      'database.startTransaction': 1,
      'database.getDocument': 1,
      'database.modifyDocument': 1,
      'database.commitTransaction': 1,
    },
  });
});

it('unindexedQueries counts exactly the queries no declared index serves, and names their shape', async () => {
  await run('seedViolations', [
    {
      op: 'add',
      coll: 'violations',
      data: [
        { plate: '桂A1', status: 'unprocessed', owner: { city: 'Nanning' } },
        { plate: '桂A2', status: 'paid', owner: { city: 'Liuzhou' } },
      ],
    },
  ]);
  const served: Step[] = [
    { op: 'get', coll: 'drivers', where: { idNumber: 'A1' } },
    { op: 'get', coll: 'violations', where: { plate: '桂A1', status: 'unprocessed' } },
    { op: 'get', coll: 'violations', where: { plate: '桂A1' } },
    { op: 'count', coll: 'violations', where: { 'owner.city': 'Nanning' } },
    { op: 'get', coll: 'drivers', where: { _id: 'whatever' } },
  ];
  const before = await stats();
  await run('served', served);
  const middle = await stats();
  expect(middle.store.unindexedQueries).toBe(before.store.unindexedQueries);

  await run('unserved', [
    { op: 'get', coll: 'drivers', where: { name: '张三' } },
    { op: 'count', coll: 'violations', where: { status: 'paid' } },
    { op: 'get', coll: 'drivers', where: { name: '李四' } },
  ]);
  const after = await stats();
  expect(after.store.unindexedQueries).toBe(before.store.unindexedQueries + 3);
  expect(
    (after.store.unindexedShapes['drivers {name}'] ?? 0) - (before.store.unindexedShapes['drivers {name}'] ?? 0),
  ).toBe(2);
  expect(
    (after.store.unindexedShapes['violations {status}'] ?? 0) -
      (before.store.unindexedShapes['violations {status}'] ?? 0),
  ).toBe(1);
});
