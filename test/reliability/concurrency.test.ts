/**
 * Concurrency across the function pool: hundreds of callers at once against one car, one user, shared
 * violations and one decision, over real HTTP into the local cloud's instances. A caller may be told CONFLICT (its
 * retries ran out) — that is an honest answer; the state afterwards must be right regardless, and a CONFLICT retried
 * must eventually go through.
 *
 * Sizes: SCALE.approvals / SCALE.process / SCALE.createAndPay (scale.ts).
 */
import type { DecisionResult, ViolationListResult } from '../../miniprogram/domain/violation/contract';
import type { VehicleListResult } from '../../miniprogram/domain/vehicle/contract';
import type { CreatePaymentResult, PaymentListResult } from '../../miniprogram/domain/payment/contract';
import type { ProfileResult } from '../../miniprogram/domain/account/contract';
import type { RefundQueueResult } from '../../cloudfunctions/_shared/police/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { World, inParallel, tally, type Car, type Failure, type Person, type Reply } from '../helpers/story';
import { seededRandom } from './random';
import { SCALE, timeout } from './scale';
import { StoreReader, type StoredDoc } from './store-reader';

// An owner approving hundreds of drivers starts hundreds of face verifications within the hour. Eight instances per
// function (the default is four) so more transactions overlap and collide.
const INSTANCES = 8;
const cloud = useLocalCloud({ instances: INSTANCES, env: { FACE_VERIFY_STARTS_PER_HOUR: '100000' } }, 60_000);
const actors = new World(cloud, 'rc');
let store: StoreReader;
beforeAll(() => {
  store = new StoreReader(cloud().dataDir);
});
// beforeAll may have failed before the store was opened
afterAll(() => (store as StoreReader | undefined)?.close());

const N = SCALE.approvals;

async function vehicles(person: Person): Promise<VehicleListResult['vehicles']> {
  return (await actors.ok<VehicleListResult>('vehicle', { action: 'list' }, person.openid)).vehicles;
}

function failuresOf(replies: readonly Reply<unknown>[]): Failure[] {
  return replies.filter((r): r is Failure => !r.ok);
}

/** Approvals that ended in CONFLICT are retried (as the page does) until none is left; returns the final answers. */
async function retryConflicts<T>(
  replies: Reply<T>[],
  again: (index: number) => Promise<Reply<T>>,
): Promise<Reply<T>[]> {
  const out = [...replies];
  for (let round = 0; round < 10; round += 1) {
    const conflicted = out.map((r, i) => (!r.ok && r.code === 'CONFLICT' ? i : -1)).filter((i) => i >= 0);
    if (conflicted.length === 0) return out;
    const retried = await Promise.all(conflicted.map((i) => again(i)));
    conflicted.forEach((i, k) => {
      out[i] = retried[k] as Reply<T>;
    });
  }
  throw new Error('CONFLICT after 10 rounds of retries');
}

/** The people of the quota storms: N verified drivers, each owning one car (bound); shared by both tests. */
let crowd: Person[] = [];
let crowdCars: Car[] = [];

beforeAll(
  async () => {
    crowd = await actors.drivers(N);
    crowdCars = await actors.cars(crowd);
    await inParallel(crowdCars, 8, (car) => actors.bindOwn(car));
  },
  timeout(60_000, 300_000),
);

describe('quotas under a storm of requests and approvals', () => {
  it(
    `${N} drivers asking for one car while the owner approves: never more than 3 non-owner drivers, and both sides agree`,
    async () => {
      const owner = await actors.driver();
      const car = await actors.car(owner);
      await actors.bindOwn(car);
      const early = crowd.slice(0, N / 2);
      const late = crowd.slice(N / 2);
      // Half the crowd asked while the car was free; the owner has passed a face scan for each of their requests.
      const earlyRequests = await Promise.all(early.map((d) => actors.request(d, car)));
      const earlyFaces = await inParallel(earlyRequests, 16, (id) => actors.authorize(owner, id));

      // The storm: every early approval and every late request (each approved the moment it is made), all at once.
      const lateOutcome = new Map<number, { requestId: string; verifyId: string }>();
      const storm = await Promise.all([
        ...earlyRequests.map((id, i) => actors.approve(owner, id, earlyFaces[i] ?? '')),
        ...late.map(async (driver, i): Promise<Reply<{ bindingId: string }>> => {
          const requested = await actors.call<{ requestId: string }>(
            'vehicle',
            { action: 'requestBinding', plate: car.plate, plateType: car.plateType, ownerName: owner.name },
            driver.openid,
          );
          if (!requested.ok) return requested;
          const verifyId = await actors.authorize(owner, requested.data.requestId);
          lateOutcome.set(i, { requestId: requested.data.requestId, verifyId });
          return actors.approve(owner, requested.data.requestId, verifyId);
        }),
      ]);
      console.log(`one car, first storm: ${JSON.stringify(tally(storm))}`);
      for (const failure of failuresOf(storm)) expect(['VEHICLE_QUOTA_EXCEEDED', 'CONFLICT']).toContain(failure.code);
      expect(storm.filter((r) => r.ok).length).toBeLessThanOrEqual(3);

      // CONFLICT means "try again": retried, the car fills to exactly 3 and no further.
      const requestOf = (i: number) =>
        i < early.length
          ? { requestId: earlyRequests[i] ?? '', verifyId: earlyFaces[i] ?? '' }
          : lateOutcome.get(i - early.length);
      const settled = await retryConflicts(storm, (i) => {
        const r = requestOf(i);
        if (!r) throw new Error(`no request for ${i}`);
        return actors.approve(owner, r.requestId, r.verifyId);
      });
      expect(settled.filter((r) => r.ok)).toHaveLength(3);

      const checkBothSides = async (): Promise<string[]> => {
        const carDrivers = (await vehicles(owner)).find((v) => v.plate === car.plate)?.drivers ?? [];
        const holding: string[] = [];
        await inParallel(crowd, 8, async (d) => {
          const binding = (await vehicles(d)).find((v) => v.plate === car.plate);
          if (binding?.bindingId) holding.push(binding.bindingId);
        });
        expect(carDrivers.length).toBeLessThanOrEqual(3);
        expect([...holding].sort()).toEqual(carDrivers.map((d) => d.bindingId).sort());
        // And in the store itself: the car's slot document and the people's bindings.
        const slot = store
          .all<StoredDoc & { drivers: unknown[] }>('vehicleDrivers')
          .find((d) => d._id === `02_${car.plate}`);
        expect(slot?.drivers.length ?? 0).toBe(carDrivers.length);
        const people = store.all<StoredDoc & { bindings: Array<{ plate: string; relation: string }> }>('people');
        expect(
          people.filter((p) => p.bindings.some((b) => b.plate === car.plate && b.relation === 'other')),
        ).toHaveLength(carDrivers.length);
        return carDrivers.map((d) => d.bindingId);
      };
      const bound = await checkBothSides();
      expect(bound).toHaveLength(3);

      // The owner revokes one driver while every refused request is approved again at once: exactly one gets the slot.
      // A refused approval rolled back, so its face verification was not spent: the owner's page reuses it.
      const refreshed = settled
        .flatMap((r, i) => (r.ok ? [] : [requestOf(i)]))
        .filter((r): r is { requestId: string; verifyId: string } => r !== undefined);
      const revoked = await actors.call(
        'vehicle',
        { action: 'revoke', plate: car.plate, bindingId: bound[0] },
        owner.openid,
      );
      expect(revoked.ok).toBe(true);
      const second = await Promise.all(refreshed.map((r) => actors.approve(owner, r.requestId, r.verifyId)));
      const secondSettled = await retryConflicts(second, (k) =>
        actors.approve(owner, refreshed[k]?.requestId ?? '', refreshed[k]?.verifyId ?? ''),
      );
      console.log(`one car, after a revoke: ${JSON.stringify(tally(secondSettled))}`);
      expect(secondSettled.filter((r) => r.ok)).toHaveLength(1);
      expect(await checkBothSides()).toHaveLength(3);
    },
    timeout(60_000, 300_000),
  );

  it(
    `one driver asking ${N} owners at once while each approves at once: never more than 3 others' cars`,
    async () => {
      const driver = await actors.driver();
      const pending = new Map<number, { requestId: string; verifyId: string }>();
      const storm = await Promise.all(
        crowdCars.map(async (car, i): Promise<Reply<{ bindingId: string }>> => {
          const requested = await actors.call<{ requestId: string }>(
            'vehicle',
            { action: 'requestBinding', plate: car.plate, plateType: car.plateType, ownerName: car.owner.name },
            driver.openid,
          );
          if (!requested.ok) return requested;
          const verifyId = await actors.authorize(car.owner, requested.data.requestId);
          pending.set(i, { requestId: requested.data.requestId, verifyId });
          return actors.approve(car.owner, requested.data.requestId, verifyId);
        }),
      );
      console.log(`one driver, storm: ${JSON.stringify(tally(storm))}`);
      for (const failure of failuresOf(storm)) expect(['DRIVER_QUOTA_EXCEEDED', 'CONFLICT']).toContain(failure.code);
      const settled = await retryConflicts(storm, (i) => {
        const p = pending.get(i);
        if (!p) throw new Error('no request');
        return actors.approve(crowdCars[i]?.owner as Person, p.requestId, p.verifyId);
      });
      expect(settled.filter((r) => r.ok)).toHaveLength(3);

      const checkBothSides = async (): Promise<string[]> => {
        const others = (await vehicles(driver)).filter((v) => v.relation === 'other');
        expect(others.length).toBeLessThanOrEqual(3);
        const listing = await inParallel(crowdCars, 8, async (car) => ({
          plate: car.plate,
          drivers: ((await vehicles(car.owner)).find((v) => v.plate === car.plate)?.drivers ?? []).length,
        }));
        const plates = new Set(others.map((v) => v.plate));
        for (const { plate, drivers } of listing)
          expect({ plate, drivers }).toEqual({ plate, drivers: plates.has(plate) ? 1 : 0 });
        return others.map((v) => v.plate);
      };
      const held = await checkBothSides();
      expect(held).toHaveLength(3);

      // The driver lets one car go while every owner whose approval was refused approves again: exactly one more.
      const unbound = await actors.call('vehicle', { action: 'unbind', plate: held[0] }, driver.openid);
      expect(unbound.ok).toBe(true);
      const waiting = [...pending.entries()].filter(([i]) => !settled[i]?.ok && crowdCars[i]?.plate !== held[0]);
      const second = await Promise.all(
        waiting.map(([i, p]) => actors.approve(crowdCars[i]?.owner as Person, p.requestId, p.verifyId)),
      );
      const secondSettled = await retryConflicts(second, (k) => {
        const [i, p] = waiting[k] as [number, { requestId: string; verifyId: string }];
        return actors.approve(crowdCars[i]?.owner as Person, p.requestId, p.verifyId);
      });
      console.log(`one driver, after an unbind: ${JSON.stringify(tally(secondSettled))}`);
      expect(secondSettled.filter((r) => r.ok)).toHaveLength(1);
      expect(await checkBothSides()).toHaveLength(3);
    },
    timeout(60_000, 300_000),
  );
});

describe('the same driver asking many times', () => {
  it('ten racing requests of one driver for one car, all approved at once, bind the car once', async () => {
    const owner = await actors.driver();
    const car = await actors.car(owner);
    await actors.bindOwn(car);
    const driver = await actors.driver();
    const requests = await Promise.all(Array.from({ length: 10 }, () => actors.request(driver, car)));
    const faces = await inParallel(requests, 10, (id) => actors.authorize(owner, id));
    const replies = await Promise.all(requests.map((id, i) => actors.approve(owner, id, faces[i] ?? '')));
    const settled = await retryConflicts(replies, (i) => actors.approve(owner, requests[i] ?? '', faces[i] ?? ''));
    console.log(
      `one driver's duplicate requests: ${new Set(requests).size} distinct of ${requests.length}; approvals ${JSON.stringify(tally(settled))}`,
    );
    // racing requests meet on the driver's lock for the car: one request in the owner's inbox, whoever asked first;
    // a second approval of it finds it decided (NOT_FOUND)
    expect(new Set(requests).size).toBe(1);
    for (const failure of failuresOf(settled)) expect(['ALREADY_BOUND', 'NOT_FOUND']).toContain(failure.code);
    expect(settled.filter((r) => r.ok)).toHaveLength(1);
    expect((await vehicles(driver)).filter((v) => v.plate === car.plate)).toHaveLength(1);
    expect((await vehicles(owner)).find((v) => v.plate === car.plate)?.drivers).toHaveLength(1);
  });
});

describe(`${SCALE.process} simultaneous process calls sharing violations`, () => {
  it(
    "each violation is processed once, by one whole decision, and its points reach the processor's licence once",
    async () => {
      const random = seededRandom('process storm');
      const [ownerA, ownerB] = await actors.drivers(2);
      const [carA, carB] = await actors.cars([ownerA as Person, ownerB as Person]);
      await actors.bindOwn(carA as Car);
      await actors.bindOwn(carB as Car);
      const drivers = await actors.drivers(3);
      for (const d of drivers) {
        await actors.bindOther(d, carA as Car);
        await actors.bindOther(d, carB as Car);
      }
      const perCar = Math.max(10, Math.round(SCALE.process / 3));
      // 0 or 1 point each: a processor can take many before the cycle's 12 (POINTS_LIMIT still happens, and is fine).
      const fields = () =>
        Array.from({ length: perCar }, () => ({
          points: random.int(3) === 0 ? 1 : 0,
          fine: 1_000 + random.int(9_000),
        }));
      const idsA = await actors.violations(carA as Car, ...fields());
      const idsB = await actors.violations(carB as Car, ...fields());
      const processors: Array<{ person: Person; sees: string[] }> = [
        { person: ownerA as Person, sees: idsA },
        { person: ownerB as Person, sees: idsB },
        ...drivers.map((person) => ({ person, sees: [...idsA, ...idsB] })),
      ];
      const calls = Array.from({ length: SCALE.process }, () => {
        const processor = random.pick(processors);
        const batch = new Set<string>();
        const size = 1 + random.int(4);
        while (batch.size < size) batch.add(random.pick(processor.sees));
        return { processor, batch: [...batch] };
      });

      const replies = await Promise.all(calls.map((c) => actors.process(c.processor.person, c.batch)));
      console.log(`process storm: ${JSON.stringify(tally(replies))}`);
      for (const failure of failuresOf(replies))
        expect(['NOT_PROCESSABLE', 'POINTS_LIMIT', 'CONFLICT']).toContain(failure.code);
      const decisions = replies.flatMap((r, i) =>
        r.ok
          ? [
              {
                by: calls[i]?.processor.person as Person,
                batch: calls[i]?.batch ?? [],
                decision: r.data,
              },
            ]
          : [],
      );
      expect(decisions.length).toBeGreaterThan(0);

      // Disjoint decisions; each answered batch is exactly the decision's violations.
      const decidedBy = new Map<string, string>();
      for (const { decision, batch } of decisions) {
        expect([...(decision.violationIds ?? [])].sort()).toEqual([...batch].sort());
        for (const id of batch) {
          expect({ id, twice: decidedBy.has(id) }).toEqual({ id, twice: false });
          decidedBy.set(id, decision.decisionId);
        }
      }
      expect(new Set(decisions.map((d) => d.decision.decisionNo)).size).toBe(decisions.length);
      // Every violation: processed by its one decision, or untouched.
      const stored = store
        .all<StoredDoc & { status: string; decisionId?: string }>('violations')
        .filter((v) => decidedBy.has(v._id) || [...idsA, ...idsB].includes(v._id));
      expect(stored).toHaveLength(idsA.length + idsB.length);
      for (const v of stored) {
        if (decidedBy.has(v._id))
          expect({ id: v._id, status: v.status, decisionId: v.decisionId }).toEqual({
            id: v._id,
            status: 'processed',
            decisionId: decidedBy.get(v._id),
          });
        else
          expect({ id: v._id, status: v.status, decisionId: v.decisionId }).toEqual({
            id: v._id,
            status: 'unprocessed',
            decisionId: undefined,
          });
      }
      // Each decision as its processor reads it lists exactly its violations; nobody else can read it.
      for (const { by, decision, batch } of decisions) {
        const detail = await actors.ok<DecisionResult>(
          'violation',
          { action: 'decision', decisionId: decision.decisionId },
          by.openid,
        );
        expect(detail.violations.map((v) => v.id).sort()).toEqual([...batch].sort());
      }
      // No decision exists that no caller was told about (a rolled-back batch leaves none).
      const storedDecisions = store
        .all<StoredDoc & { items: Array<{ violationId: string }> }>('decisions')
        .filter((d) => d.items.some((i) => decidedBy.has(i.violationId) || [...idsA, ...idsB].includes(i.violationId)));
      expect(storedDecisions.map((d) => d._id).sort()).toEqual(decisions.map((d) => d.decision.decisionId).sort());
      // Points: each processor's licence carries exactly the points of their own decisions.
      for (const { person } of processors) {
        const expected = decisions.filter((d) => d.by === person).reduce((sum, d) => sum + (d.decision.points ?? 0), 0);
        const profile = await actors.ok<ProfileResult>('user', { action: 'profile' }, person.openid);
        expect({ person: person.openid, points: profile.licence?.cyclePoints }).toEqual({
          person: person.openid,
          points: expected,
        });
      }
      const { violations } = await actors.ok<ViolationListResult>(
        'violation',
        { action: 'list' },
        (drivers[0] as Person).openid,
      );
      expect(violations.filter((v) => v.status === 'processed')).toHaveLength(decidedBy.size);
      console.log(
        `process storm: ${decisions.length} decisions, ${decidedBy.size}/${idsA.length + idsB.length} violations decided`,
      );
    },
    timeout(60_000, 300_000),
  );
});

describe(`${SCALE.createAndPay} simultaneous creates and callbacks on one decision`, () => {
  it(
    'exactly one paid order; every other payment WeChat collected is kept and queued for refund; every callback recorded and acknowledged',
    async () => {
      const random = seededRandom('create + pay storm');
      const person = await actors.driver();
      const car = await actors.car(person);
      await actors.bindOwn(car);
      const ids = await actors.violations(car, { fine: 10_000 }, { fine: 2_500 });
      const processed = await actors.process(person, ids);
      if (!processed.ok) throw new Error(JSON.stringify(processed));
      const { decisionId } = processed.data;
      const create = () => actors.call<CreatePaymentResult>('payment', { action: 'create', decisionId }, person.openid);
      // Orders of three earlier days, still open at WeChat (pages left open on three phones).
      const stale: CreatePaymentResult[] = [];
      for (const day of [0, 1, 2]) {
        await actors.setDays(day);
        const order = await create();
        if (!order.ok) throw new Error(JSON.stringify(order));
        stale.push(order.data);
      }
      await actors.setDays(3);
      const notificationsBefore = store.count('payNotifications');
      let deliveries = 0;
      let retries = 0;
      /** Pays (or re-sends) through the sandbox, resending an unacknowledged notification as WeChat would. */
      const payAndConfirm = async (outTradeNo: string): Promise<void> => {
        for (let attempt = 0; ; attempt += 1) {
          const { status, body } = await actors.pay(outTradeNo);
          expect(status).toBe(200);
          if (body.delivered) deliveries += 1;
          if (body.acknowledged) return;
          expect(body.reply).toEqual({ errcode: 1, errmsg: 'retry later' });
          retries += 1;
          if (attempt > 20) throw new Error(`${outTradeNo}: never acknowledged`);
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
        }
      };
      const forgedReplies: unknown[] = [];
      const creates: Reply<CreatePaymentResult>[] = [];
      const kinds = ['create', 'payStale', 'status', 'forged'] as const;
      await Promise.all(
        Array.from({ length: SCALE.createAndPay }, async (_, i) => {
          const kind = kinds[i % kinds.length];
          const order = random.pick(stale);
          if (kind === 'create') {
            const reply = await create();
            creates.push(reply);
            if (reply.ok) await payAndConfirm(reply.data.outTradeNo);
          } else if (kind === 'payStale') {
            await payAndConfirm(order.outTradeNo);
          } else if (kind === 'status') {
            await actors.ok('payment', { action: 'status', orderId: order.orderId }, person.openid);
          } else {
            // Anyone can call payCallback: a forged success for any order, with a made-up transaction.
            const reply = await actors.call(
              'payCallback',
              {
                returnCode: 'SUCCESS',
                resultCode: 'SUCCESS',
                outTradeNo: order.outTradeNo,
                totalFee: order.amount,
                transactionId: `4200${i}`,
                timeEnd: '20260101000000',
              },
              person.openid,
            );
            forgedReplies.push(reply);
            deliveries += 1;
          }
        }),
      );
      console.log(
        `create + pay storm: creates ${JSON.stringify(tally(creates))}, ${deliveries} notifications (${retries} resent after errcode 1)`,
      );
      for (const failure of failuresOf(creates)) expect(['ALREADY_PAID', 'CONFLICT']).toContain(failure.code);
      for (const reply of forgedReplies) expect(reply).toEqual({ errcode: 0, errmsg: 'OK' });
      const todays = new Set(creates.flatMap((r) => (r.ok ? [r.data.outTradeNo] : [])));
      expect(todays.size).toBeLessThanOrEqual(1);

      // The outcome, as the driver sees it and as stored.
      const { orders } = await actors.ok<PaymentListResult>('payment', { action: 'list' }, person.openid);
      const mine = orders.filter((o) => o.decisionId === decisionId);
      expect(mine.filter((o) => o.status === 'paid')).toHaveLength(1);
      const paid = mine.find((o) => o.status === 'paid');
      const decision = await actors.ok<DecisionResult>('violation', { action: 'decision', decisionId }, person.openid);
      expect(decision.status).toBe('paid');
      const storedDecision = store
        .all<StoredDoc & { paidOrderId: string }>('decisions')
        .find((d) => d._id === decisionId);
      expect(storedDecision?.paidOrderId).toBe(paid?.orderId);
      const { violations } = await actors.ok<ViolationListResult>('violation', { action: 'list' }, person.openid);
      for (const v of violations) expect(v.status).toBe('paid');
      // Money: every order WeChat collected is the paid one or paid_unmatched with a refund of what was collected.
      const collected = store
        .all<StoredDoc & { tradeState: string; paidFee?: number }>('sandbox_pay')
        .filter((o) => mine.some((m) => m.outTradeNo === o._id));
      const { refunds } = await actors.admin<RefundQueueResult>('refundQueue');
      for (const order of mine) {
        const atWechat = collected.find((c) => c._id === order.outTradeNo);
        const refund = refunds.filter((r) => r.outTradeNo === order.outTradeNo);
        if (atWechat?.tradeState === 'SUCCESS') {
          expect({ order: order.outTradeNo, status: order.status }).toEqual({
            order: order.outTradeNo,
            status: order === paid ? 'paid' : 'paid_unmatched',
          });
          expect(refund.map((r) => r.amount)).toEqual(order === paid ? [] : [atWechat.paidFee]);
        } else {
          // An unpaid order of an earlier day is shown closed (it expired at midnight); today's stays unpaid.
          const earlier = stale.some((s) => s.outTradeNo === order.outTradeNo);
          expect({ order: order.outTradeNo, status: order.status, refunds: refund.length }).toEqual({
            order: order.outTradeNo,
            status: earlier ? 'closed' : 'unpaid',
            refunds: 0,
          });
        }
      }
      // Nothing lost: every notification is on record, and none is left half-handled.
      const notifications = store.all<StoredDoc & { outcome: string }>('payNotifications');
      expect(notifications.length - notificationsBefore).toBe(deliveries);
      expect(notifications.filter((n) => n.outcome === 'received')).toEqual([]);
      const audit = store.all<StoredDoc & { action: string; after: unknown; target: string }>('audit');
      expect(
        audit.filter(
          (a) =>
            a.action === 'payment.settle' &&
            a.after === 'paid' &&
            mine.some((o) => a.target === `orders/${o.outTradeNo}`),
        ),
      ).toHaveLength(1);
      await actors.setDays(0);
    },
    timeout(60_000, 300_000),
  );
});

describe('whole file', () => {
  it('the storms made transactions collide and retry (how many, per action, from /stats)', async () => {
    const { body } = await cloud().request<{
      roundTrips: Record<string, { calls: number; maxTransactions: number; meanTransactions: number }>;
    }>('GET', '/stats');
    const lines = ['vehicle.approve', 'violation.process', 'payment.create', 'payCallback.-'].map((key) => {
      const r = body.roundTrips[key];
      return r
        ? `${key}: ${r.calls} calls, transactions per call mean ${r.meanTransactions.toFixed(2)}, max ${r.maxTransactions}`
        : `${key}: -`;
    });
    console.log(
      `transactions (a retry after a conflict counts): instances per function ${INSTANCES}\n${lines.join('\n')}`,
    );
    expect(body.roundTrips['vehicle.approve']?.calls ?? 0).toBeGreaterThan(0);
  });

  it('no response carried an unmasked ID number or a full name', () => {
    expect(actors.leaks()).toEqual([]);
  });
});
