/**
 * Refunds paid back through WeChat Pay (the local cloud's pay sandbox): queued by settling or asked by an officer,
 * approved by another, sent once however many approvals, retries and notifications race, confirmed only by
 * queryRefund, retried under the same out_refund_no, and shown to the driver in 缴款记录 with a message once done.
 */
import type { CreatePaymentResult, OrderItem, PaymentListResult } from '../../miniprogram/domain/payment/contract';
import { REMINDER_TEMPLATE_IDS } from '../../miniprogram/domain/reminder/reminders';
import type { ListRefundsResult, RefundRow } from '../../cloudfunctions/_shared/payment/refunds/contract';
import type { RefundQueueResult } from '../../cloudfunctions/_shared/police/contract';
import { pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, inParallel, tally, World, type Person } from '../helpers/story';
import { policeOf } from '../helpers/police';

jest.setTimeout(60_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'rf');
const w = () => world;

let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  restoreEnv = pointSdkAt(cloud());
});
afterAll(() => restoreEnv?.());

const TEMPLATE = REMINDER_TEMPLATE_IDS.refund;

interface Paid {
  person: Person;
  order: CreatePaymentResult;
  /** What WeChat Pay collected (fen). */
  collected: number;
}

/** A driver pays a 100-yuan decision, WeChat Pay collecting `collected` fen (anything else than 10000 queues a refund). */
async function paid(collected = 10_000): Promise<Paid> {
  const { person, decision } = await world.decided([{ fine: 10_000 }]);
  const order = await world.ok<CreatePaymentResult>(
    'payment',
    { action: 'create', decisionId: decision.decisionId },
    person.openid,
  );
  const { status } = await world.pay(order.outTradeNo, { result: 'SUCCESS', totalFee: collected });
  expect(status).toBe(200);
  return { person, order, collected };
}

/** The driver allows one refund notice: WeChat's credit (sandbox) and ours. */
async function subscribe(person: Person): Promise<void> {
  expect((await world.sandbox('subscribe', { openid: person.openid, templateIds: [TEMPLATE] })).status).toBe(200);
  await world.ok('reminder', { action: 'subscribe', kinds: ['refund'] }, person.openid);
}

async function notices(person: Person): Promise<{ data: Record<string, { value: string }>; page?: string }[]> {
  const { body } = await cloud().request<{ messages: { data: Record<string, { value: string }>; page?: string }[] }>(
    'GET',
    `/sandbox/outbox?touser=${encodeURIComponent(person.openid)}&templateId=${TEMPLATE}`,
  );
  return body.messages;
}

async function myOrder(person: Person, orderId: string): Promise<OrderItem | undefined> {
  const { orders } = await world.ok<PaymentListResult>('payment', { action: 'list' }, person.openid);
  return orders.find((o) => o.orderId === orderId);
}

async function refundOf(refundId: string): Promise<RefundRow | undefined> {
  const { refunds } = await world.admin<ListRefundsResult>('listRefunds', { limit: 200 });
  return refunds.find((r) => r.refundId === refundId);
}

async function outcome(outTradeNo: string, result: string): Promise<void> {
  expect((await world.sandbox(`pay/${outTradeNo}/refund-outcome`, { result })).status).toBe(200);
}

/** What WeChat Pay knows: its refunds of the order, and how many refund calls it got. */
async function wechat(outTradeNo: string): Promise<{ refunds: Record<string, unknown>[]; calls: number }> {
  const db = sdk().database();
  const [{ data: refunds }, { data: order }] = await Promise.all([
    db.collection('sandbox_refunds').where({ outTradeNo }).get(),
    db.collection('sandbox_pay').doc(outTradeNo).get(),
  ]);
  const record = (Array.isArray(order) ? order[0] : order) as { refundCalls?: number } | undefined;
  return { refunds, calls: record?.refundCalls ?? 0 };
}

async function fireTimer(): Promise<unknown> {
  const { status, body } = await cloud().request<{ ok: boolean; data: unknown }>(
    'POST',
    '/timers/admin/refunds',
    '{}',
    {
      'content-type': 'application/json',
    },
  );
  if (status !== 200 || !body.ok) throw new Error(`timer answered ${status}: ${JSON.stringify(body)}`);
  return body.data;
}

describe('a refund settling queued', () => {
  it('approved, it is paid back in the sandbox, the driver sees 已退款 with amount and time, and gets one message', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const { person, order, collected } = await paid(100);
    await subscribe(person);
    const queued = await refundOf(order.outTradeNo);
    expect(queued).toMatchObject({
      status: 'queued',
      amount: collected,
      requestedBy: 'system',
      outRefundNo: `RF${order.outTradeNo}`,
      attempts: 0,
    });
    expect((await myOrder(person, order.orderId))?.refund).toEqual({
      status: 'refunding',
      label: '退款中',
      amount: 100,
    });

    const done = await world.admin<RefundRow>('approveRefund', { refundId: order.outTradeNo });
    expect(done).toMatchObject({ status: 'refunded', approvedBy: 'officer:test-finance', attempts: 1, failure: null });
    expect(done.wechatRefundId).toMatch(/^50/);
    expect(done.refundedAt).toMatch(/\+08:00$/);

    const { refunds, calls } = await wechat(order.outTradeNo);
    expect(calls).toBe(1);
    expect(refunds).toEqual([
      expect.objectContaining({ _id: `RF${order.outTradeNo}`, refundFee: collected, status: 'SUCCESS' }),
    ]);

    expect((await myOrder(person, order.orderId))?.refund).toEqual({
      status: 'refunded',
      label: '已退款',
      amount: 100,
      refundedAt: done.refundedAt,
    });
    const sent = await notices(person);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.page).toBe('pages/payment/receipts/index');
    expect(sent[0]?.data['amount2']).toEqual({ value: '1.00元' });

    const trail = (await world.auditSince(from)).filter((a) => a.target === `refunds/${order.outTradeNo}`);
    expect(trail.map((a) => [a.action, a.before])).toEqual([
      ['refund.queue', null],
      ['refund.approve', 'queued'],
      ['refund.send', 'approved'],
      ['refund.confirm', 'refunding'],
    ]);

    // still listed by the old refundQueue while queued only
    const { refunds: stillQueued } = await world.admin<RefundQueueResult>('refundQueue');
    expect(stillQueued.map((r) => r.outTradeNo)).not.toContain(order.outTradeNo);
  });

  it('20 approvals at once: one is sent to WeChat Pay, once', async () => {
    const { order } = await paid(9_000);
    const replies = await inParallel(Array.from({ length: 20 }), 20, () =>
      world.adminCall<RefundRow>('approveRefund', { refundId: order.outTradeNo }),
    );
    const counts = tally(replies);
    expect(counts['ok']).toBe(1);
    expect((counts['INVALID_TRANSITION'] ?? 0) + (counts['CONFLICT'] ?? 0)).toBe(19);
    const { refunds, calls } = await wechat(order.outTradeNo);
    expect(calls).toBe(1);
    expect(refunds).toHaveLength(1);
    expect(await refundOf(order.outTradeNo)).toMatchObject({ status: 'refunded', attempts: 1 });
  });

  it('a refund notification replayed 100 times: one change of state, one message; forged ones change nothing', async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    const { person, order } = await paid(12_000);
    await subscribe(person);
    await subscribe(person);
    await outcome(order.outTradeNo, 'PROCESSING');
    expect(await world.admin<RefundRow>('approveRefund', { refundId: order.outTradeNo })).toMatchObject({
      status: 'refunding',
    });
    expect((await myOrder(person, order.orderId))?.refund?.label).toBe('退款中');

    // A forgery before WeChat Pay is done: queryRefund still says PROCESSING.
    const forged = await world.call<unknown>('payCallback', {
      returnCode: 'SUCCESS',
      outRefundNo: `RF${order.outTradeNo}`,
      refundStatus: 'SUCCESS',
    });
    expect(forged).toEqual({ errcode: 0, errmsg: 'OK' });
    expect(await refundOf(order.outTradeNo)).toMatchObject({ status: 'refunding' });

    await outcome(order.outTradeNo, 'SUCCESS');
    const { body } = await world.sandbox(`pay/${order.outTradeNo}/refund-notify`, { times: 100 });
    expect(body).toMatchObject({ sandbox: true, delivered: 100, acknowledged: 100 });

    expect(await refundOf(order.outTradeNo)).toMatchObject({ status: 'refunded' });
    const trail = (await world.auditSince(from)).filter((a) => a.target === `refunds/${order.outTradeNo}`);
    expect(trail.filter((a) => a.action === 'refund.confirm')).toHaveLength(1);
    expect(await notices(person)).toHaveLength(1);
    expect((await wechat(order.outTradeNo)).calls).toBe(1);
  });

  it('still refunding when the answer is lost: the timer asks WeChat Pay and settles it', async () => {
    const { order } = await paid(8_000);
    await outcome(order.outTradeNo, 'PROCESSING');
    await world.admin('approveRefund', { refundId: order.outTradeNo });
    expect(await fireTimer()).toMatchObject({ checked: expect.any(Number) as number, settled: 0 });
    expect(await refundOf(order.outTradeNo)).toMatchObject({ status: 'refunding' });
    await outcome(order.outTradeNo, 'SUCCESS');
    await fireTimer();
    expect(await refundOf(order.outTradeNo)).toMatchObject({ status: 'refunded' });
    // syncRefund on a refunded one answers it as it is
    expect(await world.admin<RefundRow>('syncRefund', { refundId: order.outTradeNo })).toMatchObject({
      status: 'refunded',
    });
  });
});

describe('a refund that fails', () => {
  it('refused by WeChat Pay → failed → retried → refunded, with the same out_refund_no', async () => {
    const { person, order } = await paid(5_000);
    await outcome(order.outTradeNo, 'FAIL');
    const failed = await world.admin<RefundRow>('approveRefund', { refundId: order.outTradeNo });
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.failure).toContain('余额不足');
    expect((await wechat(order.outTradeNo)).refunds).toHaveLength(0);
    expect((await myOrder(person, order.orderId))?.refund?.label).toBe('退款中');

    await outcome(order.outTradeNo, 'SUCCESS');
    const retried = await world.admin<RefundRow>('retryRefund', { refundId: order.outTradeNo });
    expect(retried).toMatchObject({ status: 'refunded', attempts: 2, outRefundNo: failed.outRefundNo, failure: null });
    const { refunds, calls } = await wechat(order.outTradeNo);
    expect(calls).toBe(2);
    expect(refunds.map((r) => r['_id'])).toEqual([failed.outRefundNo]);
  });

  it('accepted, then closed by the bank (REFUNDCLOSE) → failed; the retry resends the same number', async () => {
    const { order } = await paid(6_000);
    await outcome(order.outTradeNo, 'REFUNDCLOSE');
    const failed = await world.admin<RefundRow>('approveRefund', { refundId: order.outTradeNo });
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed.failure).toContain('REFUNDCLOSE');
    await outcome(order.outTradeNo, 'SUCCESS');
    expect(await world.admin<RefundRow>('retryRefund', { refundId: order.outTradeNo })).toMatchObject({
      status: 'refunded',
      outRefundNo: failed.outRefundNo,
    });
    expect((await wechat(order.outTradeNo)).refunds).toHaveLength(1);
  });

  it('retries racing: one resend', async () => {
    const { order } = await paid(7_000);
    await outcome(order.outTradeNo, 'FAIL');
    await world.admin('approveRefund', { refundId: order.outTradeNo });
    await outcome(order.outTradeNo, 'SUCCESS');
    const replies = await inParallel(Array.from({ length: 10 }), 10, () =>
      world.adminCall<RefundRow>('retryRefund', { refundId: order.outTradeNo }),
    );
    expect(tally(replies)['ok']).toBe(1);
    expect((await wechat(order.outTradeNo)).calls).toBe(2);
  });
});

describe('an officer asks for a refund', () => {
  it('of a paid order: the amount must be what WeChat Pay collected, and nothing is written otherwise', async () => {
    const { order } = await paid();
    const from = new Date(Date.now() - 1000).toISOString();
    for (const amount of [0, 9_999, 10_001])
      expect(
        await world.adminFails('requestRefund', { outTradeNo: order.outTradeNo, amount, reason: '重复缴款' }),
      ).toMatchObject({ code: 'AMOUNT_MISMATCH', message: expect.stringContaining('100.00 元') as string });
    expect(await refundOf(order.outTradeNo)).toBeUndefined();
    expect((await world.auditSince(from)).filter((a) => a.target === `refunds/${order.outTradeNo}`)).toEqual([]);

    const asked = await world.admin<RefundRow>('requestRefund', {
      outTradeNo: order.outTradeNo,
      amount: 10_000,
      reason: '已在银行缴款，重复缴纳',
    });
    expect(asked).toMatchObject({ status: 'queued', amount: 10_000, requestedBy: 'officer:test-finance' });
    // one refund per payment
    expect(
      await world.adminFails('requestRefund', { outTradeNo: order.outTradeNo, amount: 10_000, reason: '再次申请' }),
    ).toMatchObject({ code: 'INVALID_TRANSITION' });
  });

  it('the one who asked cannot approve it (SAME_OFFICER), and nothing is sent', async () => {
    const { order } = await paid();
    await world.admin('requestRefund', { outTradeNo: order.outTradeNo, amount: 10_000, reason: '重复缴款' });
    expect(await world.adminFails('approveRefund', { refundId: order.outTradeNo })).toMatchObject({
      code: 'SAME_OFFICER',
      message: '同一笔退款的申请人和审批人不能是同一人。',
    });
    expect(await refundOf(order.outTradeNo)).toMatchObject({ status: 'queued', approvedBy: null });
    expect((await wechat(order.outTradeNo)).calls).toBe(0);

    // a second finance officer approves it, and it is paid back once
    const police = policeOf(cloud());
    const second = await police.session(await police.officer(['finance', 'audit']));
    const approved = await world.call<RefundRow>('admin', {
      action: 'approveRefund',
      credential: second,
      refundId: order.outTradeNo,
    });
    expect(approved).toMatchObject({ ok: true, data: { status: 'refunded', requestedBy: 'officer:test-finance' } });
    expect((await wechat(order.outTradeNo)).calls).toBe(1);
  });

  it('of an order not paid: INVALID_TRANSITION; of no order: NOT_FOUND', async () => {
    const { person, decision } = await world.decided([{ fine: 10_000 }]);
    const order = await world.ok<CreatePaymentResult>(
      'payment',
      { action: 'create', decisionId: decision.decisionId },
      person.openid,
    );
    expect(
      await world.adminFails('requestRefund', { outTradeNo: order.outTradeNo, amount: 10_000, reason: '误操作' }),
    ).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(
      await world.adminFails('requestRefund', { outTradeNo: 'GA0000000000000000', amount: 1, reason: '无' }),
    ).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('moves the life cycle does not allow', () => {
  it('retry or sync of a queued refund, approval of a refunded one, an unknown refund, a malformed call', async () => {
    const { order } = await paid(3_000);
    const id = { refundId: order.outTradeNo };
    expect(await world.adminFails('retryRefund', id)).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await world.adminFails('syncRefund', id)).toMatchObject({ code: 'INVALID_TRANSITION' });
    await world.admin('approveRefund', id);
    expect(await world.adminFails('approveRefund', id)).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await world.adminFails('retryRefund', id)).toMatchObject({ code: 'INVALID_TRANSITION' });
    expect(await world.adminFails('approveRefund', { refundId: 'GA-none' })).toMatchObject({ code: 'NOT_FOUND' });
    expect(await world.adminFails('listRefunds', { limit: 0 })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'limit' },
    });
    expect(await world.adminFails('listRefunds', { limit: 10, status: 'paid' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'status' },
    });
  });

  it('listRefunds pages by refund id and filters by status', async () => {
    const a = await paid(1_000);
    const b = await paid(2_000);
    const all: RefundRow[] = [];
    let after: string | null = null;
    do {
      const page: ListRefundsResult = await world.admin<ListRefundsResult>('listRefunds', {
        limit: 2,
        status: 'queued',
        ...(after === null ? {} : { after }),
      });
      expect(page.refunds.length).toBeLessThanOrEqual(2);
      all.push(...page.refunds);
      after = page.next;
    } while (after !== null);
    const ids = all.map((r) => r.refundId);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining([a.order.outTradeNo, b.order.outTradeNo]));
    expect(all.every((r) => r.status === 'queued')).toBe(true);
  });
});

finalChecks(w);
