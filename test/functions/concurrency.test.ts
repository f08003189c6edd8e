/**
 * Races through the function pool over real HTTP: many callers at once on one car, one driver, shared violations and
 * one decision. A caller may be told CONFLICT (the retries ran out); the final state must be right regardless.
 */
import type { ViolationListResult } from '../../miniprogram/domain/violation/contract';
import type { VehicleListResult } from '../../miniprogram/domain/vehicle/contract';
import type { CreatePaymentResult, PaymentStatusResult } from '../../miniprogram/domain/payment/contract';
import type { ProfileResult } from '../../miniprogram/domain/account/contract';
import type { RefundQueueResult } from '../../cloudfunctions/_shared/police/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Car, type Failure, type Person, type Reply } from '../helpers/story';

jest.setTimeout(60_000);
// One owner approving 50 requests starts 50 face verifications within the hour (the default allows 10 an hour).
const cloud = useLocalCloud({ env: { FACE_VERIFY_STARTS_PER_HOUR: '200' } });
const world = new World(cloud, 'con');
const w = () => world;

afterEach(async () => {
  if (world.clockOffsetMs !== 0) await world.setClock(0);
});

const CALLERS = 50;

function codes(replies: Reply<unknown>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const reply of replies) {
    const key = reply.ok ? 'ok' : reply.code;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function failures(replies: Reply<unknown>[]): Failure[] {
  return replies.filter((r): r is Failure => !r.ok);
}

async function vehicles(person: Person): Promise<VehicleListResult['vehicles']> {
  return (await world.ok<VehicleListResult>('vehicle', { action: 'list' }, person.openid)).vehicles;
}

it(`${CALLERS} simultaneous approvals for one car never leave more than 3 non-owner drivers bound`, async () => {
  const owner = await world.driver();
  const car = await world.car(owner);
  await world.bindOwn(car);
  const drivers = await world.drivers(CALLERS);
  // Every request is made while the car has room, so all of them reach the owner.
  const requestIds = await Promise.all(drivers.map((d) => world.request(d, car)));
  const verifyIds = await Promise.all(requestIds.map((id) => world.authorize(owner, id)));
  const replies = await Promise.all(requestIds.map((id, i) => world.approve(owner, id, verifyIds[i] ?? '')));

  const approved = replies.filter((r) => r.ok).length;
  for (const failure of failures(replies)) expect(['VEHICLE_QUOTA_EXCEEDED', 'CONFLICT']).toContain(failure.code);
  expect(approved).toBeGreaterThanOrEqual(1);
  expect(approved).toBeLessThanOrEqual(3);
  // Both sides agree: the car's drivers are exactly the drivers who have the car.
  const carDrivers = (await vehicles(owner))[0]?.drivers ?? [];
  expect(carDrivers).toHaveLength(approved);
  const holding: string[] = [];
  for (const d of drivers) {
    const binding = (await vehicles(d)).find((v) => v.plate === car.plate);
    if (binding?.bindingId) holding.push(binding.bindingId);
  }
  expect(holding.sort()).toEqual(carDrivers.map((d) => d.bindingId).sort());
  console.log(`approvals for one car: ${JSON.stringify(codes(replies))}`);
});

it(`${CALLERS} simultaneous requests + approvals for one driver never leave them more than 3 others' cars`, async () => {
  const driver = await world.driver();
  const owners = await world.drivers(CALLERS);
  const cars: Car[] = owners.map((owner) => ({ plate: world.newPlate(), plateType: '02', owner }));
  await world.importVehicles(
    cars.map((c) => ({
      plate: c.plate,
      plateType: c.plateType,
      ownerIdNumber: c.owner.idNumber,
      ownerName: c.owner.name,
    })),
  );
  await Promise.all(cars.map((c) => world.bindOwn(c)));

  const replies = await Promise.all(
    cars.map(async (car): Promise<Reply<unknown>> => {
      const requested = await world.call<{ requestId: string }>(
        'vehicle',
        { action: 'requestBinding', plate: car.plate, plateType: car.plateType, ownerName: car.owner.name },
        driver.openid,
      );
      if (!requested.ok) return requested;
      const verifyId = await world.authorize(car.owner, requested.data.requestId);
      return world.approve(car.owner, requested.data.requestId, verifyId);
    }),
  );
  const bound = replies.filter((r) => r.ok).length;
  for (const failure of failures(replies)) expect(['DRIVER_QUOTA_EXCEEDED', 'CONFLICT']).toContain(failure.code);
  expect(bound).toBeGreaterThanOrEqual(1);
  expect(bound).toBeLessThanOrEqual(3);
  const others = (await vehicles(driver)).filter((v) => v.relation === 'other');
  expect(others).toHaveLength(bound);
  // Each car the driver holds lists them; no other car does.
  for (const car of cars) {
    const drivers = (await vehicles(car.owner))[0]?.drivers ?? [];
    expect({ plate: car.plate, drivers: drivers.length }).toEqual({
      plate: car.plate,
      drivers: others.some((v) => v.plate === car.plate) ? 1 : 0,
    });
  }
  console.log(`requests + approvals for one driver: ${JSON.stringify(codes(replies))}`);
});

it('concurrent process calls sharing violations: each violation is processed once, and its points are added once', async () => {
  const owner = await world.driver();
  const car = await world.car(owner);
  await world.bindOwn(car);
  const drivers = await world.drivers(3);
  for (const d of drivers) await world.bindOther(d, car);
  const people = [owner, ...drivers];
  const ids = await world.violations(
    car,
    ...Array.from({ length: 8 }, (_, i) => ({ points: i % 2 === 0 ? 1 : 3, fine: 5_000 + i })),
  );
  const at = (i: number) => ids[i % ids.length] ?? '';
  const batches = Array.from({ length: 24 }, (_, k) => (k % 3 === 0 ? [at(k)] : [at(k), at(k + 1), at(k + 3)]));

  const replies = await Promise.all(
    batches.map((batch, k) => world.process(people[k % people.length] as Person, batch)),
  );
  for (const failure of failures(replies)) expect(['NOT_PROCESSABLE', 'CONFLICT']).toContain(failure.code);
  const decisions = replies.flatMap((r, k) =>
    r.ok ? [{ by: people[k % people.length] as Person, decision: r.data }] : [],
  );
  expect(decisions.length).toBeGreaterThan(0);

  // The decisions are disjoint, and every processed violation belongs to exactly one of them.
  const decidedBy = new Map<string, { decisionId: string; by: Person }>();
  for (const { decision, by } of decisions) {
    for (const id of decision.violationIds ?? []) {
      expect(decidedBy.has(id)).toBe(false);
      decidedBy.set(id, { decisionId: decision.decisionId, by });
    }
  }
  // each driver of the car sees every record processed once, and the decision number only of their own decisions
  for (const person of people) {
    const { violations } = await world.ok<ViolationListResult>('violation', { action: 'list' }, person.openid);
    for (const v of violations) {
      const decided = decidedBy.get(v.id);
      if (decided?.by === person) expect(v).toMatchObject({ status: 'processed', decisionId: decided.decisionId });
      else if (decided) expect(v).not.toHaveProperty('decisionId');
      expect(v).toMatchObject({ status: decided ? 'processed' : 'unprocessed' });
    }
  }
  expect(new Set(decisions.map((d) => d.decision.decisionNo)).size).toBe(decisions.length);
  // Each person's licence carries exactly the points of their own decisions.
  for (const person of people) {
    const expected = decisions.filter((d) => d.by === person).reduce((sum, d) => sum + (d.decision.points ?? 0), 0);
    const profile = await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid);
    expect({ person: person.openid, points: profile.licence?.cyclePoints }).toEqual({
      person: person.openid,
      points: expected,
    });
  }
  console.log(
    `process with shared violations: ${JSON.stringify(codes(replies))}, ${decidedBy.size}/${ids.length} violations decided`,
  );
});

it('concurrent payment.create, status and callbacks on one decision: exactly one paid order, any other payment queued for refund', async () => {
  const person = await world.driver();
  const car = await world.car(person);
  await world.bindOwn(car);
  const ids = await world.violations(car, { fine: 10_000 }, { fine: 2_500 });
  const processed = await world.process(person, ids);
  if (!processed.ok) throw new Error(JSON.stringify(processed));
  const { decisionId, decisionDate } = processed.data;
  const create = () => world.call<CreatePaymentResult>('payment', { action: 'create', decisionId }, person.openid);

  // Day 0: ten creates at once make one order.
  const day0 = await Promise.all(Array.from({ length: 10 }, create));
  for (const failure of failures(day0)) expect(failure.code).toBe('CONFLICT');
  const first = day0.find((r): r is { ok: true; data: CreatePaymentResult } => r.ok)?.data;
  if (!first) throw new Error(`no order: ${JSON.stringify(codes(day0))}`);
  for (const r of day0) if (r.ok) expect(r.data.orderId).toBe(first.orderId);

  // Day 1: new creates race the payment of yesterday's order, its notifications and status polls.
  await world.setDay(decisionDate ?? '', 1);
  const status = (orderId: string) =>
    world.call<PaymentStatusResult>('payment', { action: 'status', orderId }, person.openid);
  const raced = await Promise.all([
    ...Array.from({ length: 5 }, create),
    ...Array.from({ length: 3 }, () => world.pay(first.outTradeNo).then(() => null)),
    status(first.orderId),
    status(first.orderId),
  ]);
  const second = raced.find(
    (r): r is { ok: true; data: CreatePaymentResult } =>
      r !== null && r.ok && 'outTradeNo' in r.data && r.data.outTradeNo !== first.outTradeNo,
  )?.data;
  if (second)
    await Promise.all([
      ...Array.from({ length: 3 }, () => world.pay(second.outTradeNo)),
      status(second.orderId),
      status(first.orderId),
    ]);

  const orders = [first, ...(second ? [second] : [])];
  const finals = await Promise.all(
    orders.map(
      async (o) =>
        (await world.ok<PaymentStatusResult>('payment', { action: 'status', orderId: o.orderId }, person.openid))
          .status,
    ),
  );
  expect(finals.filter((s) => s === 'paid')).toHaveLength(1);
  for (const s of finals) expect(['paid', 'paid_unmatched']).toContain(s);
  const { refunds } = await world.admin<RefundQueueResult>('refundQueue');
  orders.forEach((o, i) => {
    const queued = refunds.filter((r) => r.outTradeNo === o.outTradeNo);
    expect(queued).toHaveLength(finals[i] === 'paid_unmatched' ? 1 : 0);
  });
  const { violations } = await world.ok<ViolationListResult>('violation', { action: 'list' }, person.openid);
  for (const v of violations) expect(v.status).toBe('paid');
  console.log(`create + callbacks on one decision: orders ${JSON.stringify(finals)}`);
});

finalChecks(w);
