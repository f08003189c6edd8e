/**
 * Database round trips per action, read from the local cloud's `/stats` (it counts every request a function's SDK
 * makes, by function.action). Calls here run one at a time, so after each call `lastByAction` is that call's.
 * violation.list is 2 requests whatever the number of cars; bindOwn and approve are one transaction; process is one
 * transaction of its own (plus, once per 50 decisions per instance, the small one reserving decision numbers).
 */
import type { ViolationListResult } from '../../miniprogram/domain/violation/contract';
import type { RequestBindingResult } from '../../miniprogram/domain/vehicle/contract';
import type { CreatePaymentResult } from '../../miniprogram/domain/payment/contract';
import type { VerifyIdResult } from '../../miniprogram/domain/account/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Event, type Fn, type Person } from '../helpers/story';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'rt');
const w = () => world;

interface Measured {
  requests: number;
  transactions: number;
  byAction: Record<string, number>;
}

const figures = new Map<string, Measured>();

/** Runs one call and returns what it cost (the call must be the only one in flight). */
async function measure(key: string, run: () => Promise<unknown>): Promise<Measured> {
  await run();
  const trip = (await world.stats()).roundTrips[key];
  if (!trip) throw new Error(`no round trips recorded for ${key}`);
  const byAction = trip.lastByAction;
  const measured = {
    requests: Object.values(byAction).reduce((sum, n) => sum + n, 0),
    transactions: byAction['database.startTransaction'] ?? 0,
    byAction,
  };
  if (!figures.has(key)) figures.set(key, measured);
  return measured;
}

function call(fn: Fn, event: Event, person?: Person): Promise<unknown> {
  return world.ok(fn, event, person?.openid);
}

afterAll(() => {
  const rows = [...figures].map(
    ([key, m]) =>
      `${key.padEnd(28)} ${String(m.requests).padStart(3)} requests, ${m.transactions} transaction(s)  ${JSON.stringify(m.byAction)}`,
  );
  console.log(`database round trips per call (first measured call of each action):\n${rows.join('\n')}`);
});

it("violation.list is 2 database requests with 1 car, 4 cars or 7 (own and others'), with or without the plate filter", async () => {
  const person = await world.driver();
  const first = await world.car(person);
  await world.bindOwn(first);
  await world.violations(first, {}, {});
  expect((await measure('violation.list', () => call('violation', { action: 'list' }, person))).requests).toBe(2);

  for (let i = 0; i < 3; i += 1) {
    const own = await world.car(person, { green: i === 1 });
    await world.bindOwn(own);
    await world.violations(own, {});
  }
  expect((await measure('violation.list', () => call('violation', { action: 'list' }, person))).requests).toBe(2);
  for (let i = 0; i < 3; i += 1) {
    const lent = await world.car(await world.driver());
    await world.bindOther(person, lent);
    await world.violations(lent, {}, {});
  }
  const { violations } = await world.ok<ViolationListResult>('violation', { action: 'list' }, person.openid);
  expect(violations).toHaveLength(2 + 3 + 6);
  expect((await measure('violation.list', () => call('violation', { action: 'list' }, person))).requests).toBe(2);
  expect(
    (await measure('violation.list', () => call('violation', { action: 'list', plate: first.plate }, person))).requests,
  ).toBe(2);
  expect((await world.stats()).roundTrips['violation.list']).toMatchObject({ min: 2, max: 2, maxTransactions: 0 });
});

it('bindOwn and approve are one transaction each; process is one transaction for the decision', async () => {
  const owner = await world.driver();
  const car = await world.car(owner);
  expect((await measure('vehicle.bindOwn', () => world.bindOwn(car))).transactions).toBe(1);
  const drivers = [await world.driver(), await world.driver()];
  for (const driver of drivers) {
    const requestId = await world.request(driver, car);
    const verifyId = await world.authorize(owner, requestId);
    expect((await measure('vehicle.approve', () => world.approve(owner, requestId, verifyId))).transactions).toBe(1);
  }
  const ids = await world.violations(car, ...Array.from({ length: 6 }, () => ({})));
  const perCall: number[] = [];
  const requestsPerCall: number[] = [];
  for (const id of ids) {
    const m = await measure('violation.process', () => world.process(owner, [id]));
    perCall.push(m.transactions);
    requestsPerCall.push(m.requests);
  }
  // Calls run one at a time on one warm instance: its first decision also reserved a block of 50 numbers.
  expect(perCall.slice(1)).toEqual(perCall.slice(1).map(() => 1));
  expect(perCall[0]).toBeLessThanOrEqual(2);
  const stats = (await world.stats()).roundTrips;
  expect(stats['vehicle.bindOwn']?.maxTransactions).toBe(1);
  expect(stats['vehicle.approve']?.maxTransactions).toBe(1);
  console.log(
    `violation.process per call: transactions ${JSON.stringify(perCall)}, requests ${JSON.stringify(requestsPerCall)} (maxTransactions ${stats['violation.process']?.maxTransactions})`,
  );
});

it('the cost of every other action (figures for the notes)', async () => {
  const person = world.newPerson();
  await world.importDrivers([world.licenceRow(person)]);
  await measure('user.register', () => call('user', { action: 'register' }, person));
  let verifyId = '';
  await measure('user.startFaceVerify', async () => {
    verifyId = (
      await world.ok<VerifyIdResult>(
        'user',
        { action: 'startFaceVerify', name: person.name, idNumber: person.idNumber, purpose: 'real-person' },
        person.openid,
      )
    ).verifyId;
  });
  await world.face(verifyId, true);
  await measure('user.confirmFaceVerify', () => call('user', { action: 'confirmFaceVerify', verifyId }, person));
  await measure('user.profile', () => call('user', { action: 'profile' }, person));

  const owner = await world.driver();
  const car = await world.car(owner);
  await world.bindOwn(car);
  let requestId = '';
  await measure('vehicle.requestBinding', async () => {
    requestId = (
      await world.ok<RequestBindingResult>(
        'vehicle',
        { action: 'requestBinding', plate: car.plate, plateType: car.plateType, ownerName: owner.name },
        person.openid,
      )
    ).requestId;
  });
  await measure('vehicle.listRequests', () => call('vehicle', { action: 'listRequests' }, owner));
  await measure('vehicle.reject', () => call('vehicle', { action: 'reject', requestId }, owner));
  const bindingId = await world.bindOther(person, car);
  await measure('vehicle.list', () => call('vehicle', { action: 'list' }, owner));
  await measure('vehicle.startAuthorize', async () => {
    const again = await world.request(await world.driver(), car);
    await call('vehicle', { action: 'startAuthorize', requestId: again }, owner);
  });
  await measure('vehicle.revoke', () => call('vehicle', { action: 'revoke', plate: car.plate, bindingId }, owner));
  await world.bindOther(person, car);
  await measure('vehicle.unbind', () => call('vehicle', { action: 'unbind', plate: car.plate }, person));

  const [id] = await world.violations(car, {});
  const decision = await world.process(owner, [id ?? '']);
  if (!decision.ok) throw new Error(JSON.stringify(decision));
  let order: CreatePaymentResult | undefined;
  await measure('payment.create', async () => {
    order = await world.ok<CreatePaymentResult>(
      'payment',
      { action: 'create', decisionId: decision.data.decisionId },
      owner.openid,
    );
  });
  const outTradeNo = order?.outTradeNo ?? '';
  await measure('payment.status', () => call('payment', { action: 'status', orderId: outTradeNo }, owner));
  await measure('payCallback.-', () => world.pay(outTradeNo));
  await measure('payment.list', () => call('payment', { action: 'list' }, owner));
  await measure('admin.refundQueue', () => world.admin('refundQueue'));
  await measure('admin.exportPayments', () => world.admin('exportPayments', { from: '2026-01-01', to: '2026-12-31' }));
  await measure('admin.importViolations', () => world.importViolations([world.violationRow(car)]));

  // Reads stay single requests; every write is one transaction.
  expect(figures.get('user.profile')).toMatchObject({ requests: 1, transactions: 0 });
  expect(figures.get('vehicle.list')?.transactions).toBe(0);
  expect(figures.get('payment.list')).toMatchObject({ requests: 3, transactions: 0 });
  for (const key of [
    'user.register',
    'user.confirmFaceVerify',
    'vehicle.requestBinding',
    'vehicle.reject',
    'vehicle.revoke',
    'vehicle.unbind',
    'payment.create',
    'payCallback.-',
    'admin.importViolations',
  ]) {
    expect({ key, transactions: figures.get(key)?.transactions }).toEqual({ key, transactions: 1 });
  }
});

finalChecks(w);
