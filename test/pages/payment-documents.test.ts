/**
 * @jest-environment jsdom
 */
// The 处罚决定书 and the 电子缴款凭证 pages, the tappable 缴款记录, and the links the confirm and result pages give.
import { loadPage } from '../helpers/simulate';
import { byAction, decisionDetail, fail, ok, order, paymentReceipt } from './fixtures';

const DECISION = 'pages/payment/decision/index';
const RECEIPT = 'pages/payment/receipt/index';
const RECEIPTS = 'pages/payment/receipts/index';
const CONFIRM = 'pages/payment/confirm/index';
const RESULT = 'pages/payment/result/index';

describe('处罚决定书 page', () => {
  it('asks for the one decision and shows the person, the facts, the penalty, the deadline and the appeal rights', async () => {
    const page = await loadPage(DECISION, {
      query: { decisionId: 'dec-1' },
      cloud: { violation: byAction('violation', { decision: () => ok(decisionDetail()) }) },
    });
    expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'decision', decisionId: 'dec-1' } }]);
    expect(page.text('#decision-no')).toContain('4501000000000123');
    expect(page.text('#status')).toContain('未缴款');
    expect(page.text('#person')).toContain('李*');
    expect(page.text('#id-number')).toContain('450***********1234');
    const first = page.text('#violation-v1');
    for (const shown of ['机动车违反禁令标志指示的', '2025-08-20 08:05', '民族大道与古城路交叉口', '桂A12345', '13440'])
      expect(first).toContain(shown);
    expect(first).toContain('第九十条');
    expect(first).toContain('¥200.00 · 3 分');
    // a record without code or legal basis shows neither label
    expect(page.text('#violation-v2')).not.toContain('违法代码');
    expect(page.text('#fine')).toContain('¥250.00');
    expect(page.text('#points')).toContain('7 分');
    expect(page.text('#amount')).toBe('¥250.00');
    expect(page.has('#surcharge')).toBe(false);
    expect(page.text('#deadline')).toContain('2025-09-17（含当日）');
    expect(page.text('#late-rule')).toContain('自第 16 日起每日按罚款数额的 3% 加处罚款');
    expect(page.text('#pay-counter')).toContain('银行网点柜台');
    expect(page.text('#appeal')).toContain('六十日内依法申请行政复议');
    expect(page.text('#appeal')).toContain('六个月内依法向人民法院提起行政诉讼');
    expect(page.has('#receipt')).toBe(false);

    await page.tap('#pay');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/pages/payment/confirm/index?decisionId=dec-1&decisionNo=4501000000000123&amount=25000&points=7&count=2&dueDate=2025-09-17',
      }),
    );
  });

  it("a late decision shows today's surcharge the server computed", async () => {
    const page = await loadPage(DECISION, {
      query: { decisionId: 'dec-1' },
      cloud: {
        violation: byAction('violation', {
          decision: () => ok(decisionDetail({ surcharge: 750, amount: 25_750 })),
        }),
      },
    });
    expect(page.text('#amount')).toBe('¥257.50');
    expect(page.text('#surcharge')).toContain('含罚款 ¥250.00，加处罚款 ¥7.50');
    expect(page.text('#due')).toContain('已超过缴款期限 2025-09-17');
  });

  it('a decision paid online says when and leads to its receipt, with nothing left to pay', async () => {
    const page = await loadPage(DECISION, {
      query: { decisionId: 'dec-1' },
      cloud: {
        violation: byAction('violation', {
          decision: () =>
            ok(
              decisionDetail({
                status: 'paid',
                amount: 0,
                paidAt: '2025-09-03T10:00:00+08:00',
                paidOrderId: 'ord-1',
                paidVia: 'wechat',
              }),
            ),
        }),
      },
    });
    expect(page.text('#status')).toContain('已缴款');
    expect(page.has('#due-today')).toBe(false);
    expect(page.has('#pay')).toBe(false);
    expect(page.text('#paid-at')).toContain('2025-09-03 10:00');
    expect(page.text('#paid-via')).toContain('微信支付');
    await page.tap('#receipt');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/payment/receipt/index?orderId=ord-1' }),
    );
  });

  it("someone else's decision gets the server's refusal and nothing of the decision", async () => {
    const page = await loadPage(DECISION, {
      query: { decisionId: 'dec-x' },
      cloud: { violation: () => fail('NOT_FOUND', '处罚决定书不存在。') },
    });
    expect(page.text('#load-error')).toContain('处罚决定书不存在。');
    expect(page.has('#decision-no')).toBe(false);
    expect(page.has('#pay')).toBe(false);
  });
});

describe('电子缴款凭证 page', () => {
  it('asks for the order and shows amount, time, unit, WeChat transaction id, order and decision numbers', async () => {
    const page = await loadPage(RECEIPT, {
      query: { orderId: 'ord-1' },
      cloud: { violation: byAction('violation', { receipt: () => ok(paymentReceipt('ord-1')) }) },
    });
    expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'receipt', orderId: 'ord-1' } }]);
    expect(page.text('#amount')).toBe('¥257.50');
    expect(page.text('#split')).toContain('含罚款 ¥250.00，加处罚款 ¥7.50');
    expect(page.text('#paid-at')).toContain('2025-09-18 09:01');
    expect(page.text('#unit')).toContain('南宁市公安局交通警察支队');
    expect(page.text('#transaction-id')).toContain('4200001234202509181234567890');
    expect(page.text('#out-trade-no')).toContain('GA450100000000012320250918');
    expect(page.text('#decision')).toContain('4501000000000123');

    await page.tap('#decision');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/payment/decision/index?decisionId=dec-1' }),
    );
  });

  it('my unpaid order says kindly there is no receipt yet and offers 去缴款 for its decision', async () => {
    let answers = 0;
    const page = await loadPage(RECEIPT, {
      query: { orderId: 'ord-2' },
      cloud: {
        violation: byAction('violation', {
          receipt: () => {
            answers += 1;
            return answers === 1
              ? fail('ORDER_NOT_PAID', '该笔订单尚未缴款成功，没有电子缴款凭证。', { decisionId: 'dec-1' })
              : ok(paymentReceipt('ord-2'));
          },
        }),
      },
    });
    expect(page.text('#not-paid')).toContain('该笔订单尚未缴款成功，没有电子缴款凭证。');
    expect(page.has('#load-error')).toBe(false);
    expect(page.has('#transaction-id')).toBe(false);
    await page.tap('#pay');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/payment/confirm/index?decisionId=dec-1' }),
    );
    await page.tap('#receipts');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/payment/receipts/index' }),
    );
    // paid meanwhile: asking again shows the receipt
    await page.tap('#retry');
    expect(page.has('#not-paid')).toBe(false);
    expect(page.text('#amount')).toBe('¥257.50');
  });

  it('an order whose money went back has no 去缴款: the sentence and the receipts list', async () => {
    const page = await loadPage(RECEIPT, {
      query: { orderId: 'ord-3' },
      cloud: {
        violation: () => fail('ORDER_NOT_PAID', '该笔支付未用于缴纳罚款（将原路退回或已退回），没有电子缴款凭证。'),
      },
    });
    expect(page.text('#not-paid')).toContain('将原路退回');
    expect(page.has('#pay')).toBe(false);
    expect(page.has('#receipts')).toBe(true);
  });

  it("someone else's order shows the server's sentence, as one that does not exist", async () => {
    const page = await loadPage(RECEIPT, {
      query: { orderId: 'ord-4' },
      cloud: { violation: () => fail('NOT_FOUND', '缴款订单不存在。') },
    });
    expect(page.text('#load-error')).toContain('缴款订单不存在。');
    expect(page.has('#not-paid')).toBe(false);
    expect(page.has('#pay')).toBe(false);
  });
});

describe('缴款记录 entries can be tapped', () => {
  /** An order that never paid: no paidAt. */
  function unsettled(orderId: string, overrides: Parameters<typeof order>[1]) {
    const { paidAt: _neverPaid, ...rest } = order(orderId, overrides);
    return rest;
  }

  function receipts() {
    const orders = [
      order('paid-1'),
      unsettled('open-1', { status: 'unpaid', decisionId: 'dec-open' }),
      unsettled('closed-1', { status: 'closed', decisionId: 'dec-closed' }),
    ];
    return loadPage(RECEIPTS, { cloud: { violation: byAction('violation', { payments: () => ok({ orders }) }) } });
  }

  it('paid → its receipt; open → the cashier; closed shows 已关闭 and leads to its decision', async () => {
    const page = await receipts();
    expect(page.text('#receipt-closed-1')).toContain('已关闭');
    expect(page.text('#receipt-closed-1')).not.toContain('未支付');

    await page.tap('#receipt-paid-1');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/payment/receipt/index?orderId=paid-1' }),
    );
    await page.tap('#receipt-open-1');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/payment/confirm/index?decisionId=dec-open&decisionNo=4501000000012345' }),
    );
    await page.tap('#receipt-closed-1');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/payment/decision/index?decisionId=dec-closed' }),
    );
    expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'payments' } }]);
  });

  it('every entry leads to its 决定书, and its link says what the entry opens, each without also opening the entry', async () => {
    const page = await receipts();
    await page.tap('#decision-paid-1');
    expect(page.wx.navigateTo).toHaveBeenCalledTimes(1);
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/payment/decision/index?decisionId=d-paid-1' }),
    );
    expect(page.text('#next-paid-1')).toBe('缴款凭证');
    expect(page.text('#next-open-1')).toBe('去缴款');
    expect(page.has('#next-closed-1')).toBe(false);
    await page.tap('#next-open-1');
    expect(page.wx.navigateTo).toHaveBeenCalledTimes(2);
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/payment/confirm/index?decisionId=dec-open&decisionNo=4501000000012345' }),
    );
  });
});

describe('confirm and result pages lead to the documents', () => {
  it("opened from the list with the decision alone, the confirm page shows the server's amount of today", async () => {
    const page = await loadPage(CONFIRM, {
      query: { decisionId: 'dec-1', decisionNo: '4501000000000123' },
      cloud: {
        violation: byAction('violation', {
          decision: () => ok(decisionDetail({ surcharge: 750, amount: 25_750 })),
        }),
      },
    });
    expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'decision', decisionId: 'dec-1' } }]);
    expect(page.text('#amount')).toBe('¥257.50');
    expect(page.text('#split')).toContain('加处罚款 ¥7.50');
    expect(page.text('#due')).toContain('已超过缴款期限 2025-09-17');
    // past the deadline a reminder before it makes no sense
    expect(page.has('#remind-surcharge')).toBe(false);
    await page.tap('#decision-no');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/payment/decision/index?decisionId=dec-1' }),
    );
  });

  describe('result', () => {
    beforeEach(() => jest.useFakeTimers({ advanceTimers: true }));
    afterEach(() => jest.useRealTimers());

    it('a paid order shows the amount first and leads to the receipt and the decision', async () => {
      const page = await loadPage(RESULT, {
        query: { orderId: 'ord-1', amount: '25750' },
        cloud: {
          violation: byAction('violation', {
            payStatus: () =>
              ok({
                orderId: 'ord-1',
                status: 'paid',
                amount: 25_750,
                paidAt: '2025-09-18T09:01:00+08:00',
                decisionId: 'dec-1',
                decisionNo: '4501000000000123',
              }),
          }),
        },
      });
      await jest.advanceTimersByTimeAsync(100);
      await page.settle();
      expect(page.text('#amount')).toBe('¥257.50');
      expect(page.text('#decision')).toContain('4501000000000123');

      await page.tap('#receipt');
      expect(page.wx.redirectTo).toHaveBeenCalledWith(
        expect.objectContaining({ url: '/pages/payment/receipt/index?orderId=ord-1' }),
      );
      await page.tap('#decision');
      expect(page.wx.navigateTo).toHaveBeenCalledWith(
        expect.objectContaining({ url: '/pages/payment/decision/index?decisionId=dec-1' }),
      );
    });

    it('an order that did not pay offers no receipt', async () => {
      const page = await loadPage(RESULT, {
        query: { orderId: 'ord-1' },
        cloud: { violation: byAction('violation', { payStatus: () => ok({ orderId: 'ord-1', status: 'closed' }) }) },
      });
      await jest.advanceTimersByTimeAsync(100);
      await page.settle();
      expect(page.text('#outcome')).toContain('订单已关闭');
      expect(page.has('#receipt')).toBe(false);
    });
  });
});
