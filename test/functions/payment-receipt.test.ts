/**
 * The 电子缴款凭证 (`payment.receipt`) and the 处罚决定书 (`violation.decision`) on the local cloud: a receipt only for
 * the caller's own paid order, with WeChat Pay's transaction id; an order WeChat closed at midnight shows closed while
 * its decision stays payable; the decision names the person masked and each violation's place.
 */
import type {
  CreatePaymentResult,
  PaymentListResult,
  PaymentReceiptResult,
} from '../../miniprogram/domain/payment/contract';
import type { DecisionResult } from '../../miniprogram/domain/violation/contract';
import { pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { World, type Person } from '../helpers/story';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'rcpt');

let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  restoreEnv = pointSdkAt(cloud());
});
afterAll(() => restoreEnv?.());

afterEach(async () => {
  if (world.clockOffsetMs !== 0) await world.setClock(0);
});

function create(person: Person, decisionId: string): Promise<CreatePaymentResult> {
  return world.ok<CreatePaymentResult>('payment', { action: 'create', decisionId }, person.openid);
}

function receipt(person: Person, orderId: string): Promise<PaymentReceiptResult> {
  return world.ok<PaymentReceiptResult>('payment', { action: 'receipt', orderId }, person.openid);
}

describe('payment.receipt', () => {
  it("the caller's own paid order: amount, paid at, WeChat's transaction id, order and decision numbers, collecting unit", async () => {
    const { person, decision } = await world.decided([{ fine: 15_000 }, { fine: 5_000 }]);
    const order = await create(person, decision.decisionId);
    await world.pay(order.outTradeNo);
    const wechat = await sdk().cloudPay.queryOrder({ subMchId: '1900000109', outTradeNo: order.outTradeNo });

    const shown = await receipt(person, order.orderId);

    expect(shown.paidAt).toMatch(/\+08:00$/);
    expect(shown).toEqual({
      orderId: order.orderId,
      outTradeNo: order.outTradeNo,
      transactionId: wechat.transactionId,
      amount: 20_000,
      fine: 20_000,
      surcharge: 0,
      paidAt: shown.paidAt,
      decisionId: decision.decisionId,
      decisionNo: decision.decisionNo,
      collectingUnit: '南宁市公安局交通警察支队',
    });
    expect(shown.transactionId).toMatch(/\S{8,}/);
  });

  it("someone else's order is refused as not found, a driver of the same car included", async () => {
    const { person, car, decision } = await world.decided([{}]);
    const order = await create(person, decision.decisionId);
    await world.pay(order.outTradeNo);
    const sharing = await world.driver();
    await world.bindOther(sharing, car);
    const stranger = await world.driver();
    for (const other of [sharing, stranger]) {
      const refused = await world.fails('payment', { action: 'receipt', orderId: order.orderId }, other.openid);
      expect(refused.code).toBe('NOT_FOUND');
      expect(refused.message).toBe('缴款订单不存在。');
    }
  });

  it('an unpaid order of mine has no receipt yet: ORDER_NOT_PAID naming the decision to pay; not mine: NOT_FOUND', async () => {
    const { person, decision } = await world.decided([{}]);
    const order = await create(person, decision.decisionId);
    const refused = await world.fails('payment', { action: 'receipt', orderId: order.orderId }, person.openid);
    expect(refused).toEqual({
      ok: false,
      code: 'ORDER_NOT_PAID',
      message: '该笔订单尚未缴款成功，没有电子缴款凭证。',
      details: { decisionId: decision.decisionId },
    });
    const stranger = await world.driver();
    const hidden = await world.fails('payment', { action: 'receipt', orderId: order.orderId }, stranger.openid);
    expect(hidden).toMatchObject({ code: 'NOT_FOUND', message: '缴款订单不存在。' });
    expect(hidden.details).toBeUndefined();
  });
});

describe('an order WeChat closed at midnight', () => {
  it('shows closed in the list and its status; the decision stays unpaid and is paid on a new order', async () => {
    const { person, decision } = await world.decided([{ fine: 10_000 }]);
    const first = await create(person, decision.decisionId);
    await world.setDay(decision.decisionDate ?? '', 1);

    const { orders } = await world.ok<PaymentListResult>('payment', { action: 'list' }, person.openid);
    expect(orders).toEqual([expect.objectContaining({ orderId: first.orderId, status: 'closed' })]);
    expect(
      await world.ok<{ status: string }>('payment', { action: 'status', orderId: first.orderId }, person.openid),
    ).toMatchObject({ status: 'closed' });
    const refused = await world.fails('payment', { action: 'receipt', orderId: first.orderId }, person.openid);
    expect(refused).toMatchObject({ code: 'ORDER_NOT_PAID', message: '该笔订单尚未缴款成功，没有电子缴款凭证。' });

    const detail = await world.ok<DecisionResult>(
      'violation',
      { action: 'decision', decisionId: decision.decisionId },
      person.openid,
    );
    expect(detail).toMatchObject({ status: 'unpaid', amount: 10_000 });
    const second = await create(person, decision.decisionId);
    expect(second.orderId).not.toBe(first.orderId);
    await world.pay(second.outTradeNo);
    expect((await receipt(person, second.orderId)).amount).toBe(10_000);
  });
});

describe('violation.decision for the 处罚决定书', () => {
  it('names the person masked and each violation with its place; once paid online, the order behind it', async () => {
    const { person, decision } = await world.decided([{ fine: 20_000, points: 3, place: '民族大道与古城路交叉口' }]);
    const before = await world.ok<DecisionResult>(
      'violation',
      { action: 'decision', decisionId: decision.decisionId },
      person.openid,
    );
    expect(before.personName).toMatch(/^.\*+$/u);
    expect(before.idNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    expect(before.violations).toEqual([
      expect.objectContaining({ place: '民族大道与古城路交叉口', fine: 20_000, points: 3 }),
    ]);
    expect(before.paidOrderId).toBeUndefined();

    const order = await create(person, decision.decisionId);
    await world.pay(order.outTradeNo);
    const after = await world.ok<DecisionResult>(
      'violation',
      { action: 'decision', decisionId: decision.decisionId },
      person.openid,
    );
    expect(after).toMatchObject({ status: 'paid', amount: 0, paidOrderId: order.orderId, paidVia: 'wechat' });
  });

  it("someone else's decision is refused as today: NOT_FOUND", async () => {
    const { decision } = await world.decided([{}]);
    const stranger = await world.driver();
    const refused = await world.fails(
      'violation',
      { action: 'decision', decisionId: decision.decisionId },
      stranger.openid,
    );
    expect(refused).toMatchObject({ code: 'NOT_FOUND', message: '处罚决定书不存在。' });
  });
});
