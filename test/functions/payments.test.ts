/**
 * `payment` and `payCallback`, with WeChat Pay played by the local cloud's pay sandbox: the amount is the server's
 * (fine + the late surcharge from day 16, floored per day, capped at the fine), the callback settles only what
 * queryOrder confirms, replays and forgeries change nothing, a wrong amount or a second payment is kept and queued
 * for refund, `status` reconciles a lost callback; and the bank's `exportPayments` / `refundQueue`.
 */
import type { ViolationRow } from '../../scripts/seed/nanning';
import type { ViolationItem, ViolationListResult } from '../../miniprogram/domain/violation/contract';
import type {
  CreatePaymentResult,
  PaymentStatusResult,
  PaymentListResult,
} from '../../miniprogram/domain/payment/contract';
import type { RefundQueueResult, ExportPaymentsResult } from '../../cloudfunctions/_shared/police/contract';
import { pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, shanghaiDay, World, type Decided, type Person } from '../helpers/story';
import { match } from '../helpers/matchers';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'pay');
const w = () => world;

let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  restoreEnv = pointSdkAt(cloud());
});
afterAll(() => restoreEnv?.());

afterEach(async () => {
  if (world.clockOffsetMs !== 0) await world.setClock(0);
});

/** A driver who processed their own car's violations (one batch): the decision to pay. */
const decided = (...violations: Partial<ViolationRow>[]): Promise<Decided> =>
  world.decided(violations.length ? violations : [{}]);

function create(person: Person, decisionId: string, extra: Record<string, unknown> = {}): Promise<CreatePaymentResult> {
  return world.ok<CreatePaymentResult>('payment', { action: 'create', decisionId, ...extra }, person.openid);
}

function status(person: Person, orderId: string): Promise<PaymentStatusResult> {
  return world.ok<PaymentStatusResult>('payment', { action: 'status', orderId }, person.openid);
}

async function violationsOf(person: Person): Promise<readonly ViolationItem[]> {
  return (await world.ok<ViolationListResult>('violation', { action: 'list' }, person.openid)).violations;
}

async function refunds(): Promise<RefundQueueResult['refunds']> {
  return (await world.admin<RefundQueueResult>('refundQueue')).refunds;
}

/** The pay sandbox's record of an order (what WeChat Pay knows), read through the real SDK. */
function sandboxOrders() {
  return sdk().database().collection('sandbox_pay');
}

describe('creating the order', () => {
  it("the amount is computed by the server (the client's amount is ignored); one order per decision per day; params for wx.requestPayment", async () => {
    const { person, decision } = await decided({ fine: 15_000 }, { fine: 5_000 });
    const order = await create(person, decision.decisionId, { amount: 1, totalFee: 1, fine: 1 });
    expect(order).toMatchObject({ amount: 20_000, fine: 20_000, surcharge: 0 });
    expect(order.outTradeNo).toMatch(/^[0-9A-Za-z_-]{1,32}$/);
    expect(order.outTradeNo).toContain(decision.decisionNo);
    expect(order.payment).toMatchObject({
      package: match.stringMatching(/^prepay_id=/),
      signType: match.any(String),
      timeStamp: match.any(String),
      nonceStr: match.any(String),
      paySign: match.any(String),
    });
    // Again the same day: the same order.
    expect(await create(person, decision.decisionId)).toMatchObject({
      orderId: order.orderId,
      outTradeNo: order.outTradeNo,
      amount: 20_000,
    });
    expect(await status(person, order.orderId)).toMatchObject({
      orderId: order.orderId,
      status: 'unpaid',
      amount: 20_000,
    });
    const { orders } = await world.ok<PaymentListResult>('payment', { action: 'list' }, person.openid);
    expect(orders).toEqual([
      expect.objectContaining({
        orderId: order.orderId,
        decisionId: decision.decisionId,
        decisionNo: decision.decisionNo,
        amount: 20_000,
        status: 'unpaid',
      }),
    ]);
  });

  it('late surcharge: none through day 15; 3 % of the fine a day from day 16; never more than the fine', async () => {
    const { person, decision } = await decided({ fine: 20_000, points: 3 });
    const due = async (day: number): Promise<CreatePaymentResult> => {
      await world.setDay(decision.decisionDate ?? '', day);
      return create(person, decision.decisionId);
    };
    expect(await due(15)).toMatchObject({ amount: 20_000, surcharge: 0 });
    expect((await violationsOf(person))[0]?.surcharge).toBe(0);
    expect(await due(16)).toMatchObject({ amount: 20_600, surcharge: 600 });
    expect((await violationsOf(person))[0]?.surcharge).toBe(600);
    expect(await due(17)).toMatchObject({ amount: 21_200, surcharge: 1_200 });
    // Day 48: 33 charged days = 19 800; day 49 would be 20 400, capped at the fine.
    expect(await due(48)).toMatchObject({ amount: 39_800, surcharge: 19_800 });
    expect(await due(49)).toMatchObject({ amount: 40_000, surcharge: 20_000 });
    expect(await due(400)).toMatchObject({ amount: 40_000, surcharge: 20_000 });
    expect((await violationsOf(person))[0]?.surcharge).toBe(20_000);
  });

  it("each day's surcharge is floored to the fen (3 % of 50.50 yuan = 1.515 yuan → 151 fen a day)", async () => {
    const { person, decision } = await decided({ fine: 5_050 });
    await world.setDay(decision.decisionDate ?? '', 16);
    expect(await create(person, decision.decisionId)).toMatchObject({ amount: 5_201, surcharge: 151 });
    await world.setDay(decision.decisionDate ?? '', 18);
    expect(await create(person, decision.decisionId)).toMatchObject({ amount: 5_503, surcharge: 453 });
  });

  it('nobody else can pay, read or list a decision or order: NOT_FOUND (a driver of the same car included)', async () => {
    const { person, car, decision } = await decided({});
    const order = await create(person, decision.decisionId);
    const sharing = await world.driver();
    await world.bindOther(sharing, car);
    const stranger = await world.driver();
    for (const other of [sharing, stranger]) {
      expect(
        (await world.fails('payment', { action: 'create', decisionId: decision.decisionId }, other.openid)).code,
      ).toBe('NOT_FOUND');
      expect((await world.fails('payment', { action: 'status', orderId: order.orderId }, other.openid)).code).toBe(
        'NOT_FOUND',
      );
      expect((await world.ok<PaymentListResult>('payment', { action: 'list' }, other.openid)).orders).toEqual([]);
    }
    expect((await world.fails('payment', { action: 'create', decisionId: 'f'.repeat(32) }, person.openid)).code).toBe(
      'NOT_FOUND',
    );
    expect(
      (await world.fails('payment', { action: 'status', orderId: 'GA0000000000000000' }, person.openid)).code,
    ).toBe('NOT_FOUND');
  });

  it('WeChat Pay refusing the order is INTERNAL (nothing is paid), and the driver is told to retry', async () => {
    const { person, decision } = await decided({});
    // Someone else's order already holds the number WeChat Pay will be asked for, at another amount.
    const outTradeNo = `GA${decision.decisionNo}${shanghaiDay(Date.now()).replaceAll('-', '')}`;
    const taken = await sdk().cloudPay.unifiedOrder({
      body: 'x',
      outTradeNo,
      spbillCreateIp: '127.0.0.1',
      subMchId: '1900000109',
      totalFee: 1,
      envId: 'local',
      functionName: 'payCallback',
    });
    expect(taken.resultCode).toBe('SUCCESS');
    const refused = await world.fails('payment', { action: 'create', decisionId: decision.decisionId }, person.openid);
    expect(refused.code).toBe('INTERNAL');
    expect((await violationsOf(person))[0]?.status).toBe('processed');
  });
});

describe('paying', () => {
  it('WeChat Pay reports the payment: the callback answers errcode 0, the order and the decision are paid, and paying again is ALREADY_PAID', async () => {
    const { person, decision, ids } = await decided({ fine: 10_000 }, { fine: 5_000 });
    const order = await create(person, decision.decisionId);
    const paid = await world.pay(order.outTradeNo);
    expect(paid.body).toMatchObject({ acknowledged: true, reply: { errcode: 0, errmsg: 'OK' } });
    expect(await status(person, order.orderId)).toMatchObject({
      status: 'paid',
      amount: 15_000,
      paidAt: match.stringMatching(/\+08:00$/),
    });
    const seen = await violationsOf(person);
    for (const id of ids)
      expect(seen.find((v) => v.id === id)).toMatchObject({
        status: 'paid',
        surcharge: 0,
        decisionNo: decision.decisionNo,
      });
    expect(
      (await world.fails('payment', { action: 'create', decisionId: decision.decisionId }, person.openid)).code,
    ).toBe('ALREADY_PAID');
    const { orders } = await world.ok<PaymentListResult>('payment', { action: 'list' }, person.openid);
    expect(orders).toEqual([
      expect.objectContaining({ orderId: order.orderId, status: 'paid', decisionNo: decision.decisionNo }),
    ]);
  });

  it('a replayed notification changes nothing (and is acknowledged)', async () => {
    const { person, decision } = await decided({});
    const order = await create(person, decision.decisionId);
    await world.pay(order.outTradeNo);
    const first = await status(person, order.orderId);
    const before = await refunds();
    for (let i = 0; i < 3; i += 1)
      expect((await world.pay(order.outTradeNo)).body).toMatchObject({ acknowledged: true });
    expect(await status(person, order.orderId)).toEqual(first);
    expect(await refunds()).toEqual(before);
  });

  it('a failed payment (FAIL) leaves the order unpaid; paying afterwards works', async () => {
    const { person, decision } = await decided({});
    const order = await create(person, decision.decisionId);
    expect((await world.pay(order.outTradeNo, { result: 'FAIL' })).body).toMatchObject({ delivered: false });
    expect((await status(person, order.orderId)).status).toBe('unpaid');
    expect(await create(person, decision.decisionId)).toMatchObject({ orderId: order.orderId });
    await world.pay(order.outTradeNo);
    expect((await status(person, order.orderId)).status).toBe('paid');
  });

  it('WeChat recording another amount: the order is amount_mismatch, the decision stays unpaid, a refund is queued, and the driver can pay again', async () => {
    const { person, decision } = await decided({ fine: 10_000 });
    const order = await create(person, decision.decisionId);
    expect((await world.pay(order.outTradeNo, { result: 'SUCCESS', totalFee: 9_999 })).body).toMatchObject({
      acknowledged: true,
    });
    expect((await status(person, order.orderId)).status).toBe('amount_mismatch');
    expect((await violationsOf(person))[0]?.status).toBe('processed');
    expect(await refunds()).toContainEqual(
      expect.objectContaining({
        outTradeNo: order.outTradeNo,
        amount: 9_999,
        transactionId: match.stringMatching(/^4200/),
      }),
    );

    const retry = await create(person, decision.decisionId);
    expect(retry.outTradeNo).not.toBe(order.outTradeNo);
    expect(retry.amount).toBe(10_000);
    await world.pay(retry.outTradeNo);
    expect((await status(person, retry.orderId)).status).toBe('paid');
    expect((await status(person, order.orderId)).status).toBe('amount_mismatch');
    expect((await violationsOf(person))[0]?.status).toBe('paid');
  });

  it('a notification that cannot be settled now (the order is held by another writer) is not acknowledged, so WeChat sends it again; the resend settles it', async () => {
    const { person, decision } = await decided({});
    const order = await create(person, decision.decisionId);
    const holder = await sdk().database().startTransaction();
    await holder
      .collection('orders')
      .doc(order.outTradeNo)
      .update({ data: { heldBy: 'another writer' } });
    const first = await world.pay(order.outTradeNo);
    await holder.rollback();
    expect(first.body).toMatchObject({ acknowledged: false, reply: { errcode: 1 } });
    expect((await violationsOf(person))[0]?.status).toBe('processed');
    // WeChat's retry (the sandbox sends the same notification again).
    expect((await world.pay(order.outTradeNo)).body).toMatchObject({ acknowledged: true, reply: { errcode: 0 } });
    expect((await violationsOf(person))[0]?.status).toBe('paid');
  });

  it('a forged callback (any client can call payCallback) for an unpaid order changes nothing', async () => {
    const { person, decision } = await decided({ fine: 10_000 });
    const order = await create(person, decision.decisionId);
    const forged = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: order.outTradeNo,
      transactionId: '4200000000202611240000000000',
      totalFee: order.amount,
      timeEnd: '20261124120000',
      subOpenid: person.openid,
    };
    for (const openid of [person.openid, undefined]) {
      expect(await world.call('payCallback', forged, openid)).toEqual({ errcode: 0, errmsg: 'OK' });
    }
    expect(await world.call('payCallback', { returnCode: 'SUCCESS', outTradeNo: '../../etc' }, person.openid)).toEqual({
      errcode: 0,
      errmsg: 'OK',
    });
    expect(await world.call('payCallback', 'not even an object')).toEqual({
      errcode: 0,
      errmsg: 'OK',
    });
    expect((await status(person, order.orderId)).status).toBe('unpaid');
    expect((await violationsOf(person))[0]?.status).toBe('processed');
    expect((await refunds()).map((r) => r.outTradeNo)).not.toContain(order.outTradeNo);
  });

  it('an unknown outTradeNo is acknowledged; one WeChat Pay confirms as paid is recorded and queued for refund', async () => {
    expect(
      await world.call('payCallback', {
        returnCode: 'SUCCESS',
        resultCode: 'SUCCESS',
        outTradeNo: 'GA9999999999999999',
        totalFee: 100,
      }),
    ).toEqual({ errcode: 0, errmsg: 'OK' });
    // An order WeChat Pay has but the app never made (here made straight through the SDK), then paid.
    const outTradeNo = 'GAUNKNOWN0000000000000001';
    await sdk().cloudPay.unifiedOrder({
      body: 'x',
      outTradeNo,
      spbillCreateIp: '127.0.0.1',
      subMchId: '1900000109',
      totalFee: 4_321,
      envId: 'local',
      functionName: 'payCallback',
    });
    expect((await world.pay(outTradeNo)).body).toMatchObject({ acknowledged: true });
    expect(await refunds()).toContainEqual(expect.objectContaining({ outTradeNo, amount: 4_321 }));
  });

  it('a payment for a decision already paid (an older order paid later) is paid_unmatched and queued for refund', async () => {
    const { person, decision } = await decided({ fine: 10_000 });
    const yesterday = await create(person, decision.decisionId);
    await world.setDay(decision.decisionDate ?? '', 1);
    const today = await create(person, decision.decisionId);
    expect(today.outTradeNo).not.toBe(yesterday.outTradeNo);
    await world.pay(today.outTradeNo);
    expect((await status(person, today.orderId)).status).toBe('paid');
    expect((await world.pay(yesterday.outTradeNo)).body).toMatchObject({ acknowledged: true });
    expect((await status(person, yesterday.orderId)).status).toBe('paid_unmatched');
    expect(await refunds()).toContainEqual(
      expect.objectContaining({ outTradeNo: yesterday.outTradeNo, amount: 10_000 }),
    );
    expect((await status(person, today.orderId)).status).toBe('paid');
  });
});

describe('paid elsewhere', () => {
  /** The registry (fed by the bank) reports the decision's violations paid at a bank counter. */
  async function paidAtBank(d: Decided): Promise<void> {
    const seen = await violationsOf(d.person);
    const rows = d.ids.map((id) => {
      const v = seen.find((item) => item.id === id);
      return world.violationRow(d.car, {
        violationId: id,
        occurredAt: v?.occurredAt ?? '',
        fine: v?.fine ?? 0,
        points: v?.points ?? 0,
        behaviour: v?.behaviour ?? '',
        place: v?.place ?? '',
        status: 'paid',
      });
    });
    await world.importViolations(rows);
  }

  it('a decision the bank reports paid cannot be paid online again: ALREADY_PAID', async () => {
    const d = await decided({ fine: 10_000 }, { fine: 5_000 });
    await paidAtBank(d);
    for (const v of await violationsOf(d.person)) expect(v.status).toBe('paid');
    expect(
      (await world.fails('payment', { action: 'create', decisionId: d.decision.decisionId }, d.person.openid)).code,
    ).toBe('ALREADY_PAID');
  });

  it('an online payment of an order made before the bank payment is paid_unmatched and queued for refund', async () => {
    const d = await decided({ fine: 10_000 });
    const order = await create(d.person, d.decision.decisionId);
    await paidAtBank(d);
    expect((await world.pay(order.outTradeNo)).body).toMatchObject({ acknowledged: true });
    expect((await status(d.person, order.orderId)).status).toBe('paid_unmatched');
    expect(await refunds()).toContainEqual(expect.objectContaining({ outTradeNo: order.outTradeNo, amount: 10_000 }));
  });
});

describe('reconciliation', () => {
  it('payment.status asks WeChat Pay: a payment whose notification never got through shows paid', async () => {
    const { person, decision } = await decided({});
    const order = await create(person, decision.decisionId);
    // The notification cannot be delivered: WeChat Pay's record points at a callback function that does not exist.
    await sandboxOrders()
      .doc(order.outTradeNo)
      .update({ data: { functionName: 'payCallbackGone' } });
    const paid = await world.pay(order.outTradeNo);
    expect(paid.body).toMatchObject({ acknowledged: false });
    expect((await violationsOf(person))[0]?.status).toBe('processed');
    expect(await status(person, order.orderId)).toMatchObject({ status: 'paid', paidAt: match.any(String) });
    expect((await violationsOf(person))[0]?.status).toBe('paid');
  });

  it("the bank's export lists paid orders by payment day (Asia/Shanghai); the refund queue lists what must go back", async () => {
    const { person, decision } = await decided({ fine: 12_300 });
    const order = await create(person, decision.decisionId);
    await world.pay(order.outTradeNo);
    const day = shanghaiDay(Date.now());
    const { payments } = await world.admin<ExportPaymentsResult>('exportPayments', { from: day, to: day });
    expect(payments).toContainEqual({
      orderId: order.orderId,
      outTradeNo: order.outTradeNo,
      transactionId: match.stringMatching(/^4200/),
      decisionNo: decision.decisionNo,
      amount: 12_300,
      status: 'paid',
      paidAt: match.stringMatching(new RegExp(`^${day}T`)),
      paidFee: 12_300,
      collectingUnit: '南宁市公安局交通警察支队',
      refundStatus: null,
    });
    // A payment of the wrong amount is in the export too, with what was actually collected (and in the refund queue).
    const short = await decided({ fine: 8_000 });
    const shortOrder = await create(short.person, short.decision.decisionId);
    await world.pay(shortOrder.outTradeNo, { result: 'SUCCESS', totalFee: 7_000 });
    const again = await world.admin<ExportPaymentsResult>('exportPayments', { from: day, to: day });
    expect(again.payments).toContainEqual(
      expect.objectContaining({
        outTradeNo: shortOrder.outTradeNo,
        amount: 8_000,
        paidFee: 7_000,
        status: 'amount_mismatch',
        // what happened to the money: the refund settling queued
        refundStatus: 'queued',
      }),
    );
    expect(await refunds()).toContainEqual(
      expect.objectContaining({ outTradeNo: shortOrder.outTradeNo, amount: 7_000 }),
    );
    const earlier = await world.admin<ExportPaymentsResult>('exportPayments', { from: '2026-01-01', to: '2026-01-31' });
    expect(earlier.payments).toEqual([]);
    expect(
      (
        await world.fails('admin', {
          action: 'exportPayments',
          credential: await world.credentialFor('exportPayments'),
          from: day,
          to: '2026-01-01',
        })
      ).code,
    ).toBe('INVALID_ARGUMENT');
    // Nothing paid properly is queued for refund.
    expect((await refunds()).map((r) => r.outTradeNo)).not.toContain(order.outTradeNo);
  });
});

finalChecks(w);
