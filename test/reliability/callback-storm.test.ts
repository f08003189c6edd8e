/**
 * Callback storm: SCALE.storm payment notifications at once, mixing genuine payments, replays, wrong amounts,
 * unknown orders, notifications that arrive before the payment or after a later one, forged events from clients and
 * malformed ones. WeChat Pay is the local cloud's pay sandbox: `POST /sandbox/pay/<outTradeNo>` records what the payer
 * paid and delivers the notification to payCallback as WeChat does (again = a replay; `totalFee` = WeChat collected
 * another amount). A notification answered with anything but `{ errcode: 0 }` is sent again, as WeChat would.
 *
 * The truth to check against is WeChat's side (what the sandbox says it collected per order), not the order in which
 * the storm happened to run: every collected order must end settled from it, every decision paid at most once.
 */
import type { DecisionResult } from '../../miniprogram/domain/violation/contract';
import type { CreatePaymentResult, PaymentListResult } from '../../miniprogram/domain/payment/contract';
import type { RefundQueueResult } from '../../cloudfunctions/_shared/police/contract';
import { pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { World, inParallel, shanghaiDay, type Car, type Person } from '../helpers/story';
import { seededRandom } from './random';
import { SCALE, timeout } from './scale';
import { StoreReader, type StoredDoc } from './store-reader';

const cloud = useLocalCloud({}, 60_000);
const actors = new World(cloud, 'cb');
let store: StoreReader;
let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  store = new StoreReader(cloud().dataDir);
  restoreEnv = pointSdkAt(cloud());
});
afterAll(() => {
  // beforeAll may have failed before the store was opened
  (store as StoreReader | undefined)?.close();
  restoreEnv?.();
});

const ACK = { errcode: 0, errmsg: 'OK' };
const RETRY = { errcode: 1, errmsg: 'retry later' };

interface Order {
  payer: Person;
  decisionId: string;
  outTradeNo: string;
  orderId: string;
  amount: number;
  /** normal: WeChat collects the amount; wrong: WeChat collects another amount; never: the payer never pays. */
  role: 'normal' | 'wrong' | 'never';
  wrongFee: number;
}

type Kind = 'genuine' | 'wrongAmount' | 'replay' | 'unknownOrder' | 'forgedEarly' | 'malformed';
const MIX: Array<[Kind, number]> = [
  ['genuine', 25],
  ['wrongAmount', 10],
  ['replay', 35],
  ['unknownOrder', 10],
  ['forgedEarly', 15],
  ['malformed', 5],
];

it(
  `${SCALE.storm} payment callbacks: each decision paid once, mismatches flagged and refunded, every callback recorded and acknowledged`,
  async () => {
    const random = seededRandom('callback storm');
    const decisionsWanted = Math.max(5, Math.round(SCALE.storm / 20));
    const payers = await actors.drivers(decisionsWanted);
    const cars = await actors.cars(payers);
    await inParallel(cars, 8, (car) => actors.bindOwn(car));
    const decisions = await inParallel(cars, 8, async (car: Car) => {
      const ids = await actors.violations(
        car,
        { fine: 5_000 + random.int(10_000) },
        { fine: 1_000 + random.int(5_000), points: 0 },
      );
      const reply = await actors.process(car.owner, ids);
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      return { payer: car.owner, decisionId: reply.data.decisionId };
    });
    // Every decision has today's order; half have yesterday's too, still open at WeChat (an old page paid later).
    // The decisions were made yesterday (day 0); the storm happens today (day 1).
    const orders: Order[] = [];
    const createFor = async (d: { payer: Person; decisionId: string }): Promise<void> => {
      const o = await actors.ok<CreatePaymentResult>(
        'payment',
        { action: 'create', decisionId: d.decisionId },
        d.payer.openid,
      );
      const roll = orders.length % 10;
      const role = roll < 2 ? 'wrong' : roll === 2 ? 'never' : 'normal';
      const wrongFee = o.amount + (random.int(2) === 0 ? 1 : -1) * (1 + random.int(500));
      orders.push({
        payer: d.payer,
        decisionId: d.decisionId,
        outTradeNo: o.outTradeNo,
        orderId: o.orderId,
        amount: o.amount,
        role,
        wrongFee,
      });
    };
    await inParallel(
      decisions.filter((_, i) => i % 2 === 0),
      8,
      createFor,
    );
    await actors.setDays(1);
    await inParallel(decisions, 8, createFor);

    // Orders WeChat Pay has but the app never made (made straight through the SDK's cloudPay): paying one is an
    // "unknown order" that WeChat confirms — recorded and queued for refund, never matched to a decision.
    const ghosts: Order[] = [];
    for (let i = 0; i < Math.max(3, Math.round(SCALE.storm / 100)); i += 1) {
      const outTradeNo = `GAGHOST${String(i).padStart(10, '0')}`;
      const amount = 1_000 + random.int(5_000);
      await sdk().cloudPay.unifiedOrder({
        body: 'ghost',
        outTradeNo,
        spbillCreateIp: '127.0.0.1',
        subMchId: '1900000109',
        totalFee: amount,
        envId: 'local',
        functionName: 'payCallback',
      });
      ghosts.push({
        payer: payers[0] as Person,
        decisionId: '',
        outTradeNo,
        orderId: outTradeNo,
        amount,
        role: 'normal',
        wrongFee: amount,
      });
    }
    const notificationsBefore = store.count('payNotifications');
    const plan: Kind[] = [];
    for (const [kind, weight] of MIX)
      for (let i = 0; i < Math.round((SCALE.storm * weight) / 100); i += 1) plan.push(kind);
    while (plan.length < SCALE.storm) plan.push('replay');
    plan.length = SCALE.storm;
    // Fisher-Yates with the seeded generator: the delivery order is random (out of order by construction).
    for (let i = plan.length - 1; i > 0; i -= 1) {
      const j = random.int(i + 1);
      [plan[i], plan[j]] = [plan[j] as Kind, plan[i] as Kind];
    }

    const payable = orders.filter((o) => o.role !== 'never');
    /** What the payer's phone pays: WeChat collects the first one; later ones re-send the notification. */
    const payment = (o: Order) =>
      o.role === 'wrong' ? { result: 'SUCCESS', totalFee: o.wrongFee } : { result: 'SUCCESS' };
    let delivered = 0;
    let resent = 0;
    let errcode1 = 0;
    const unacknowledged: string[] = [];
    /** One notification through WeChat Pay (the sandbox), resent until acknowledged as WeChat does. */
    const viaWechat = async (order: Order, body: Record<string, unknown>): Promise<void> => {
      for (let attempt = 0; attempt < 30; attempt += 1) {
        const { status, body: report } = await actors.pay(order.outTradeNo, attempt === 0 ? body : payment(order));
        expect(status).toBe(200);
        if (report.delivered) delivered += 1;
        if (report.acknowledged) return;
        expect(report.reply).toEqual(RETRY);
        errcode1 += 1;
        resent += 1;
        await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)));
      }
      unacknowledged.push(order.outTradeNo);
    };
    /** A notification straight to payCallback, as any client (or WeChat's resend of an old one) may send it. */
    const direct = async (event: unknown, openid?: string): Promise<void> => {
      for (let attempt = 0; attempt < 30; attempt += 1) {
        const reply = await actors.call('payCallback', event, openid);
        delivered += 1;
        if (JSON.stringify(reply) === JSON.stringify(ACK)) return;
        expect(reply).toEqual(RETRY);
        errcode1 += 1;
        resent += 1;
        await new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1)));
      }
      unacknowledged.push(JSON.stringify(event).slice(0, 80));
    };
    const successEvent = (order: Order, totalFee: number, n: number) => ({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: order.outTradeNo,
      transactionId: `42000000${String(n).padStart(10, '0')}`,
      totalFee,
      timeEnd: '20260101120000',
      subOpenid: order.payer.openid,
    });

    const started = Date.now();
    await inParallel(plan, 50, async (kind, n) => {
      const order = random.pick(
        kind === 'forgedEarly' || kind === 'unknownOrder' || kind === 'malformed' ? orders : payable,
      );
      switch (kind) {
        case 'genuine':
          return viaWechat(order, payment(order));
        case 'wrongAmount':
          // A notification whose totalFee differs from what WeChat collected (payCallback must ask queryOrder).
          return viaWechat(order, { result: 'SUCCESS', totalFee: order.wrongFee + 7 });
        case 'replay':
          // A replay of whatever WeChat has for the order; before any payment it is the payment itself.
          return viaWechat(order, payment(order));
        case 'unknownOrder':
          // Half: an order nobody has (WeChat included); half: one WeChat has and collects, that the app never made.
          if (n % 2 === 0)
            return direct({
              ...successEvent(order, order.amount, n),
              outTradeNo: `GA${String(9_000_000_000_000_000 + n)}20260101`,
            });
          return viaWechat(random.pick(ghosts), { result: 'SUCCESS' });
        case 'forgedEarly':
          // A success notification for an order, from a client or arriving before/after WeChat's own: trusted for nothing.
          return direct(successEvent(order, order.amount, n), random.int(2) === 0 ? order.payer.openid : undefined);
        case 'malformed':
          return direct(
            random.pick([
              { returnCode: 'SUCCESS' },
              { outTradeNo: { $ne: null } },
              { returnCode: 'SUCCESS', outTradeNo: order.outTradeNo, totalFee: -1 },
              'SUCCESS',
              null,
            ]),
          );
      }
    });
    const ms = Date.now() - started;
    console.log(
      `callback storm: ${plan.length} planned, ${delivered} delivered (${resent} resent after errcode 1) in ${ms} ms, ${orders.length} orders of ${decisions.length} decisions`,
    );
    expect(unacknowledged).toEqual([]);

    // WeChat's side: what it collected for each order.
    const wechat = new Map(
      store.all<StoredDoc & { tradeState: string; paidFee?: number }>('sandbox_pay').map((o) => [o._id, o]),
    );
    const stored = new Map(
      store
        .all<StoredDoc & { status: string; paidFee: number | null; createdOn: string }>('orders')
        .map((o) => [o._id, o]),
    );
    const { refunds } = await actors.admin<RefundQueueResult>('refundQueue');
    const refundsOf = (outTradeNo: string) => refunds.filter((r) => r.outTradeNo === outTradeNo).map((r) => r.amount);
    let paidDecisions = 0;
    let mismatched = 0;
    let unmatched = 0;
    for (const d of decisions) {
      const mine = orders.filter((o) => o.decisionId === d.decisionId);
      const statuses = mine.map((o) => ({ order: o.outTradeNo, status: stored.get(o.outTradeNo)?.status }));
      const paid = statuses.filter((s) => s.status === 'paid');
      expect(paid.length).toBeLessThanOrEqual(1);
      const rightAmount = mine.filter(
        (o) => wechat.get(o.outTradeNo)?.tradeState === 'SUCCESS' && wechat.get(o.outTradeNo)?.paidFee === o.amount,
      );
      // Paid exactly once if WeChat collected the right amount for any of its orders, else not paid.
      expect({ decision: d.decisionId, paid: paid.length }).toEqual({
        decision: d.decisionId,
        paid: rightAmount.length > 0 ? 1 : 0,
      });
      const detail = await actors.ok<DecisionResult>(
        'violation',
        { action: 'decision', decisionId: d.decisionId },
        d.payer.openid,
      );
      expect(detail.status).toBe(paid.length ? 'paid' : 'unpaid');
      if (paid.length) paidDecisions += 1;
      for (const o of mine) {
        const atWechat = wechat.get(o.outTradeNo);
        const status = stored.get(o.outTradeNo)?.status;
        const seen = { order: o.outTradeNo, status, refunds: refundsOf(o.outTradeNo) };
        if (atWechat?.tradeState !== 'SUCCESS') {
          expect(seen).toEqual({ ...seen, status: 'unpaid', refunds: [] });
        } else if (atWechat.paidFee !== o.amount) {
          mismatched += 1;
          expect(seen).toEqual({ ...seen, status: 'amount_mismatch', refunds: [atWechat.paidFee] });
        } else if (status === 'paid') {
          expect(seen).toEqual({ ...seen, refunds: [] });
        } else {
          unmatched += 1;
          expect(seen).toEqual({ ...seen, status: 'paid_unmatched', refunds: [atWechat.paidFee] });
        }
      }
    }
    // Ghost orders WeChat collected: each recorded as an unknown order and queued for refund of what was collected.
    let unknownCollected = 0;
    for (const ghost of ghosts) {
      const atWechat = wechat.get(ghost.outTradeNo);
      if (atWechat?.tradeState !== 'SUCCESS') continue;
      unknownCollected += 1;
      expect({
        order: ghost.outTradeNo,
        refunds: refundsOf(ghost.outTradeNo),
        inOrders: stored.has(ghost.outTradeNo),
      }).toEqual({ order: ghost.outTradeNo, refunds: [atWechat.paidFee], inOrders: false });
    }
    expect(unknownCollected).toBeGreaterThan(0);
    // What each payer sees agrees with the store; an unpaid order of an earlier day is shown closed (WeChat closed it).
    const functionsToday = shanghaiDay(Date.now() + actors.clockOffsetMs);
    const shown = (o: { status: string; createdOn: string } | undefined) =>
      o?.status === 'unpaid' && o.createdOn < functionsToday ? 'closed' : o?.status;
    for (const payer of payers.slice(0, 10)) {
      const { orders: listed } = await actors.ok<PaymentListResult>('payment', { action: 'list' }, payer.openid);
      for (const o of listed)
        expect({ order: o.outTradeNo, status: o.status }).toEqual({
          order: o.outTradeNo,
          status: shown(stored.get(o.outTradeNo)),
        });
    }
    // Nothing lost: every delivered notification is recorded, each with its outcome; the outcomes add up.
    const notifications = store.all<StoredDoc & { outcome: string; receivedAt: string }>('payNotifications');
    expect(notifications.length - notificationsBefore).toBe(delivered);
    const audit = store.all<StoredDoc & { action: string; after: unknown }>('audit');
    const outcomes: Record<string, number> = {};
    for (const n of notifications) outcomes[n.outcome] = (outcomes[n.outcome] ?? 0) + 1;
    console.log(
      `callback storm outcomes: ${JSON.stringify(outcomes)}; ${paidDecisions} decisions paid, ${mismatched} amount mismatches, ${unmatched} paid twice, ${unknownCollected} unknown orders collected (refunds queued for all three)`,
    );
    expect(outcomes['received'] ?? 0).toBe(0);
    expect(outcomes['paid'] ?? 0).toBe(paidDecisions);
    expect(outcomes['amount_mismatch'] ?? 0).toBe(mismatched);
    expect(outcomes['paid_unmatched'] ?? 0).toBe(unmatched);
    expect(outcomes['error'] ?? 0).toBe(errcode1);
    // A ghost is settled once (unknown_order, refund queued); its resends are replays that change nothing.
    expect(outcomes['unknown_order'] ?? 0).toBe(unknownCollected);
    expect(audit.filter((a) => a.action === 'payment.unknown')).toHaveLength(unknownCollected);
    expect(refunds.filter((r) => r.outTradeNo.startsWith('GAGHOST'))).toHaveLength(unknownCollected);
    expect(audit.filter((a) => a.action === 'payment.settle' && a.after === 'paid')).toHaveLength(paidDecisions);
    expect(actors.leaks()).toEqual([]);
    await actors.setDays(0);
  },
  timeout(60_000, 600_000),
);
