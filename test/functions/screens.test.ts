/**
 * Screen-shaped answers on the local cloud: each is the same as the calls it replaces (the server stays the one
 * authority), home fits in 1 KB, and `violation` answers the payment desk by the payment function's own use cases.
 */
import type { ProfileResult } from '../../miniprogram/domain/account/contract';
import type { HomeResult } from '../../miniprogram/domain/home/contract';
import type { LicenceScreenResult, PointsHistoryResult } from '../../miniprogram/domain/licence/contract';
import type {
  CreatePaymentResult,
  PaymentListResult,
  PaymentStatusResult,
} from '../../miniprogram/domain/payment/contract';
import type {
  ListRequestsResult,
  VehicleListResult,
  VehicleScreenResult,
} from '../../miniprogram/domain/vehicle/contract';
import type { ProcessResult, ViolationListResult } from '../../miniprogram/domain/violation/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Person } from '../helpers/story';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'sc');
const w = () => world;

/** The envelope's size as it crosses the network: what `wx.cloud.callFunction` brings back. */
async function answerBytes(fn: 'user', action: string, person: Person): Promise<number> {
  const data = await world.ok<unknown>(fn, { action }, person.openid);
  return Buffer.byteLength(JSON.stringify({ ok: true, data }));
}

it('vehicle.screen is vehicle.list and vehicle.listRequests in one answer', async () => {
  const me = await world.driver();
  const own = await world.car(me);
  await world.bindOwn(own);
  const lent = await world.car(await world.driver());
  await world.request(me, lent);

  const screen = await world.ok<VehicleScreenResult>('vehicle', { action: 'screen' }, me.openid);
  const list = await world.ok<VehicleListResult>('vehicle', { action: 'list' }, me.openid);
  const requests = await world.ok<ListRequestsResult>('vehicle', { action: 'listRequests' }, me.openid);
  expect(screen).toEqual({ vehicles: list.vehicles, requests });
  expect(screen.vehicles.map((v) => v.plate)).toEqual([own.plate]);
  expect(screen.requests.outgoing.map((r) => r.plate)).toEqual([lent.plate]);

  const stranger = await world.driver({ verified: false });
  expect(await world.fails('vehicle', { action: 'screen' }, stranger.openid)).toMatchObject({ code: 'NOT_VERIFIED' });
});

it('user.licence is the profile with the points history; without a licence or verification the history is null', async () => {
  const me = await world.driver();
  const car = await world.car(me);
  await world.bindOwn(car);
  const ids = await world.violations(car, { fine: 10_000, points: 3 });
  expect((await world.process(me, ids)).ok).toBe(true);

  const screen = await world.ok<LicenceScreenResult>('user', { action: 'licence' }, me.openid);
  expect(screen).toEqual({
    profile: await world.ok<ProfileResult>('user', { action: 'profile' }, me.openid),
    history: await world.ok<PointsHistoryResult>('user', { action: 'points' }, me.openid),
  });
  expect(screen.history?.cyclePoints).toBe(3);
  expect(screen.profile.licence?.cyclePoints).toBe(3);

  const unlicensed = await world.driver({ licence: null });
  expect(await world.ok<LicenceScreenResult>('user', { action: 'licence' }, unlicensed.openid)).toMatchObject({
    profile: { verified: true, licence: null },
    history: null,
  });
  const unverified = await world.driver({ verified: false });
  expect(await world.ok<LicenceScreenResult>('user', { action: 'licence' }, unverified.openid)).toMatchObject({
    profile: { verified: false },
    history: null,
  });
});

it("violation.list's cycle points are the profile's: the list page needs no profile call", async () => {
  const me = await world.driver({ licence: { cyclePoints: 4 } });
  const car = await world.car(me);
  await world.bindOwn(car);
  await world.violations(car, {});
  const list = await world.ok<ViolationListResult>('violation', { action: 'list' }, me.openid);
  const profile = await world.ok<ProfileResult>('user', { action: 'profile' }, me.openid);
  expect(list.cyclePoints).toBe(profile.licence?.cyclePoints);
  expect(list.cyclePoints).toBe(4);
});

it("process with pay answers the decision and today's order; the violation function pays, polls and lists it", async () => {
  const me = await world.driver();
  const car = await world.car(me);
  await world.bindOwn(car);
  const ids = await world.violations(car, { fine: 15_000, points: 3 }, { fine: 5_000, points: 1 });

  const processed = await world.ok<ProcessResult>(
    'violation',
    { action: 'process', violationIds: ids, pay: true },
    me.openid,
  );
  expect(processed.order).toMatchObject({ amount: 20_000, fine: 20_000, surcharge: 0 });
  const order = processed.order as CreatePaymentResult;
  // the same open order whichever way it is asked for again today
  const again = await world.ok<CreatePaymentResult>(
    'violation',
    { action: 'pay', decisionId: processed.decisionId },
    me.openid,
  );
  expect(again.orderId).toBe(order.orderId);
  const viaPayment = await world.ok<CreatePaymentResult>(
    'payment',
    { action: 'create', decisionId: processed.decisionId },
    me.openid,
  );
  expect(viaPayment.orderId).toBe(order.orderId);

  expect((await world.pay(order.outTradeNo)).status).toBe(200);
  const status = await world.ok<PaymentStatusResult>(
    'violation',
    { action: 'payStatus', orderId: order.orderId },
    me.openid,
  );
  expect(status).toEqual(
    await world.ok<PaymentStatusResult>('payment', { action: 'status', orderId: order.orderId }, me.openid),
  );
  expect(status).toMatchObject({ status: 'paid', amount: 20_000, decisionId: processed.decisionId });
  const payments = await world.ok<PaymentListResult>('violation', { action: 'payments' }, me.openid);
  expect(payments).toEqual(await world.ok<PaymentListResult>('payment', { action: 'list' }, me.openid));
  expect(payments.orders.map((o) => [o.orderId, o.status])).toEqual([[order.orderId, 'paid']]);
  expect(await world.ok<unknown>('violation', { action: 'receipt', orderId: order.orderId }, me.openid)).toMatchObject({
    orderId: order.orderId,
    amount: 20_000,
  });

  // without pay, process answers the decision alone, as before
  const more = await world.violations(car, { fine: 5_000, points: 1 });
  const plain = await world.ok<ProcessResult>('violation', { action: 'process', violationIds: more }, me.openid);
  expect(plain.order).toBeUndefined();
  // another's order is not found through the desk either
  const other = await world.driver();
  expect(await world.fails('violation', { action: 'payStatus', orderId: order.orderId }, other.openid)).toMatchObject({
    code: 'NOT_FOUND',
  });
});

it('home on app start is one answer of at most 1 KB for a busy driver', async () => {
  const me = await world.driver();
  for (let i = 0; i < 4; i += 1) {
    const car = await world.car(me, { green: i % 2 === 1 });
    await world.bindOwn(car);
    const ids = await world.violations(car, {}, {});
    if (i === 0) expect((await world.process(me, ids.slice(0, 1))).ok).toBe(true);
  }
  const lent = await world.car(await world.driver());
  await world.request(me, lent);
  const summary = await world.ok<HomeResult>('user', { action: 'home' }, me.openid);
  expect(summary.carCount).toBe(4);
  expect(summary.todos.unpaid).toHaveLength(1);
  const bytes = await answerBytes('user', 'home', me);
  process.stdout.write(`user.home for 4 cars, 7 to process, 1 unpaid: ${bytes} bytes\n`);
  expect(bytes).toBeLessThanOrEqual(1024);
});

finalChecks(w);
