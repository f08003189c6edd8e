/**
 * Crash safety: `kill -9` of the local cloud while drivers stream processing and payments, then a restart
 * on the same data folder. After each crash:
 *   - every acknowledged change is there: each decision a driver was told about exists with exactly its violations;
 *     each payment WeChat Pay's notification was acknowledged for is paid (order, decision, violations);
 *   - no half-processed batch: every decision's violations all carry it, no violation points to a missing decision,
 *     each licence marks its holder's latest decision and its points are exactly the sum of its holder's decisions;
 *   - no paid order without its decision paid, and a paid decision has exactly one paid order;
 *   - nothing lost: a payment WeChat collected whose notification died with the process is settled by
 *     `payment.status` after the restart (it asks WeChat Pay).
 * Rounds: SCALE.crashRounds kills, each at a random moment once the streams are well under way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalCloud, type RunningCloud } from '../helpers/local-cloud';
import { World, inParallel, type Car, type Person } from '../helpers/story';
import { seededRandom } from './random';
import { SCALE, timeout } from './scale';
import { StoreReader, type StoredDoc } from './store-reader';
import type { ProfileResult } from '../../miniprogram/domain/account/contract';
import type { CreatePaymentResult, PaymentListResult } from '../../miniprogram/domain/payment/contract';
import type { DecisionResult } from '../../miniprogram/domain/violation/contract';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'reliability-crash-'));
let running: RunningCloud | undefined;
const cloud = (): RunningCloud => {
  if (!running) throw new Error('the local cloud is not running');
  return running;
};
const actors = new World(cloud, 'cr');
const store = new StoreReader(dataDir);

beforeAll(async () => {
  running = await startLocalCloud({ dataDir });
}, 30_000);
afterAll(async () => {
  store.close();
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Driver {
  person: Person;
  car: Car;
  /** Violations not yet put into a batch by the stream. */
  queue: Array<{ id: string; points: number }>;
}

interface Acked {
  decisions: Map<string, { person: Person; violationIds: string[]; points: number }>;
  /** outTradeNo → decisionId, for payments whose notification WeChat saw acknowledged. */
  paid: Map<string, string>;
  /** Orders created (acknowledged), by person. */
  orders: Array<{ person: Person; orderId: string; decisionId: string }>;
}

const acked: Acked = { decisions: new Map(), paid: new Map(), orders: [] };

type DecisionDoc = StoredDoc & {
  personId: string;
  decidedAt: string;
  items: Array<{ violationId: string; points: number }>;
  points: number;
  status: string;
  paidOrderId: string | null;
};
type ViolationDoc = StoredDoc & { status: string; decisionId?: string; vehicleId: string };
type OrderDoc = StoredDoc & { decisionId: string; status: string; amount: number; openid: string };
type PersonDoc = StoredDoc & { idNumber: string; openid: string | null };
type DriverDoc = StoredDoc & { cyclePoints: number; lastOnlineDecisionAtMs?: number };

/** One driver's stream: process a batch, create its order, pay it; until the queue is empty or the cloud dies. */
async function stream(d: Driver, random: ReturnType<typeof seededRandom>, stats: { ops: number }): Promise<void> {
  try {
    while (d.queue.length > 0) {
      const batch = d.queue.splice(0, 1 + random.int(3));
      const processed = await actors.process(
        d.person,
        batch.map((v) => v.id),
      );
      if (!processed.ok) continue;
      stats.ops += 1;
      acked.decisions.set(processed.data.decisionId, {
        person: d.person,
        violationIds: batch.map((v) => v.id),
        points: processed.data.points ?? 0,
      });
      if (random.int(4) === 0) continue; // some decisions stay unpaid
      const order = await actors.call<CreatePaymentResult>(
        'payment',
        { action: 'create', decisionId: processed.data.decisionId },
        d.person.openid,
      );
      if (!order.ok) continue;
      stats.ops += 1;
      acked.orders.push({ person: d.person, orderId: order.data.orderId, decisionId: processed.data.decisionId });
      const report = await actors.pay(order.data.outTradeNo);
      if (report.body.acknowledged) {
        stats.ops += 1;
        acked.paid.set(order.data.outTradeNo, processed.data.decisionId);
      }
    }
  } catch {
    // The process died under us: whatever was in flight is unacknowledged.
  }
}

/** Every invariant of the store, read straight from the SQLite file, and the acknowledged changes through the functions. */
async function checkAfterRestart(drivers: readonly Driver[], round: number): Promise<string> {
  const decisions = store.all<DecisionDoc>('decisions');
  const violations = new Map(store.all<ViolationDoc>('violations').map((v) => [v._id, v]));
  const orders = store.all<OrderDoc>('orders');
  const people = store.all<PersonDoc>('people');
  const licences = new Map(store.all<DriverDoc>('drivers').map((l) => [l._id, l]));
  const decisionById = new Map(decisions.map((d) => [d._id, d]));

  // Acknowledged decisions are there, whole.
  for (const [decisionId, a] of acked.decisions) {
    const decision = decisionById.get(decisionId);
    expect({ round, decisionId, found: decision !== undefined }).toEqual({ round, decisionId, found: true });
    expect(decision?.items.map((i) => i.violationId).sort()).toEqual([...a.violationIds].sort());
  }
  // No half-processed batch, no orphan.
  for (const decision of decisions) {
    for (const item of decision.items) {
      const v = violations.get(item.violationId);
      expect({
        round,
        decision: decision._id,
        violation: item.violationId,
        decisionId: v?.decisionId,
        status: v?.status,
      }).toEqual({
        round,
        decision: decision._id,
        violation: item.violationId,
        decisionId: decision._id,
        status: decision.status === 'paid' ? 'paid' : 'processed',
      });
    }
  }
  for (const v of violations.values()) {
    if (v.decisionId)
      expect({ round, violation: v._id, decisionExists: decisionById.has(v.decisionId) }).toEqual({
        round,
        violation: v._id,
        decisionExists: true,
      });
    else
      expect({ round, violation: v._id, status: v.status }).toEqual({ round, violation: v._id, status: 'unprocessed' });
  }
  // Points: each licence keeps the registry's 0 and marks its latest online decision, so every decision is counted.
  for (const person of people) {
    const licence = licences.get(person.idNumber);
    const own = decisions.filter((d) => d.personId === person._id);
    const latest = own.length ? Math.max(...own.map((d) => Date.parse(d.decidedAt))) : undefined;
    const marked = licence?.lastOnlineDecisionAtMs;
    expect({
      round,
      person: person._id,
      registry: licence?.cyclePoints,
      marksLatest: (marked ?? -1) >= (latest ?? -1),
    }).toEqual({
      round,
      person: person._id,
      registry: 0,
      marksLatest: true,
    });
  }
  // Payments: no paid order without its decision paid; a paid decision has exactly its one paid order.
  for (const order of orders) {
    if (order.status === 'paid')
      expect({
        round,
        order: order._id,
        decision: decisionById.get(order.decisionId)?.status,
        paidOrderId: decisionById.get(order.decisionId)?.paidOrderId,
      }).toEqual({ round, order: order._id, decision: 'paid', paidOrderId: order._id });
  }
  for (const decision of decisions) {
    const paidOrders = orders.filter((o) => o.decisionId === decision._id && o.status === 'paid');
    expect({ round, decision: decision._id, paidOrders: paidOrders.length }).toEqual({
      round,
      decision: decision._id,
      paidOrders: decision.status === 'paid' ? 1 : 0,
    });
  }
  // Acknowledged payments are paid, as the drivers see them.
  for (const [outTradeNo, decisionId] of acked.paid) {
    const a = acked.decisions.get(decisionId);
    const detail = await actors.ok<DecisionResult>('violation', { action: 'decision', decisionId }, a?.person.openid);
    expect({ round, outTradeNo, decision: detail.status }).toEqual({ round, outTradeNo, decision: 'paid' });
    const { orders: listed } = await actors.ok<PaymentListResult>('payment', { action: 'list' }, a?.person.openid);
    expect({ round, outTradeNo, order: listed.find((o) => o.outTradeNo === outTradeNo)?.status }).toEqual({
      round,
      outTradeNo,
      order: 'paid',
    });
  }
  // Nothing lost: a payment WeChat collected is settled after the restart by payment.status asking WeChat Pay.
  const collected = store
    .all<StoredDoc & { tradeState: string }>('sandbox_pay')
    .filter((p) => p.tradeState === 'SUCCESS');
  let recovered = 0;
  for (const p of collected) {
    const order = orders.find((o) => o._id === p._id);
    if (!order || order.status !== 'unpaid') continue;
    const status = await actors.ok<{ status: string }>('payment', { action: 'status', orderId: p._id }, order.openid);
    expect({ round, order: p._id, status: status.status }).toEqual({ round, order: p._id, status: 'paid' });
    recovered += 1;
  }
  // The drivers' points are exactly the sum of their own decisions.
  for (const d of drivers) {
    const profile = await actors.ok<ProfileResult>('user', { action: 'profile' }, d.person.openid);
    const person = people.find((p) => p.openid === d.person.openid);
    const expected = decisions.filter((x) => x.personId === person?._id).reduce((sum, x) => sum + x.points, 0);
    expect({ round, person: person?._id, points: profile.licence?.cyclePoints }).toEqual({
      round,
      person: person?._id,
      points: expected,
    });
  }
  const notifications = store.all<StoredDoc & { outcome: string }>('payNotifications');
  return `${decisions.length} decisions (${acked.decisions.size} acknowledged), ${orders.filter((o) => o.status === 'paid').length} paid orders (${acked.paid.size} acknowledged), ${recovered} collected payments settled after the restart, ${notifications.filter((n) => n.outcome === 'received').length}/${notifications.length} notifications left "received" by the crash`;
}

it(
  `kill -9 during a stream of processing and payments (${SCALE.crashRounds} round${SCALE.crashRounds > 1 ? 's' : ''}): every acknowledged change survives, no half batch, no paid order without its decision`,
  async () => {
    const random = seededRandom('crash');
    const perRound = 8;
    const people = await actors.drivers(SCALE.crashDrivers);
    const cars = await actors.cars(people);
    await inParallel(cars, 8, (car) => actors.bindOwn(car));
    const drivers: Driver[] = await inParallel(cars, 4, async (car) => {
      const fields = Array.from({ length: perRound * SCALE.crashRounds }, (_, i) => ({
        points: i % 7 === 3 ? 1 : 0,
        fine: 1_000 + random.int(9_000),
      }));
      const ids = await actors.violations(car, ...fields);
      return { person: car.owner, car, queue: ids.map((id, i) => ({ id, points: fields[i]?.points ?? 0 })) };
    });

    const reports: string[] = [];
    for (let round = 1; round <= SCALE.crashRounds; round += 1) {
      const stats = { ops: 0 };
      const roundQueues = drivers.map((d) => ({ ...d, queue: d.queue.splice(0, perRound) }));
      const streams = Promise.all(roundQueues.map((d) => stream(d, random, stats)));
      // Kill once the streams are well under way: after a random share of the work has been acknowledged.
      const killAfter = Math.max(3, Math.floor(drivers.length * (1 + random.int(3))));
      const started = Date.now();
      while (stats.ops < killAfter && Date.now() - started < 20_000)
        await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, random.int(40)));
      const opsAtKill = stats.ops;
      const msAtKill = Date.now() - started;
      store.close();
      await cloud().kill('SIGKILL');
      await streams;
      await cloud().restart();
      const report = await checkAfterRestart(drivers, round);
      reports.push(
        `round ${round}: killed after ${opsAtKill} acknowledged operations (${msAtKill} ms into the round); after restart ${report}`,
      );
    }
    console.log(`crash safety:\n${reports.join('\n')}`);
    expect(acked.decisions.size).toBeGreaterThan(0);
    expect(actors.leaks()).toEqual([]);
  },
  timeout(60_000, 600_000),
);
