/**
 * @jest-environment jsdom
 */
// Confirm and pay (the server's amount, WeChat Pay with its parameters), the result page's bounded polling, receipts.
import { loadPage } from '../helpers/simulate';
import { byAction, fail, ok, order } from './fixtures';

const CONFIRM = 'pages/payment/confirm/index';
const RESULT = 'pages/payment/result/index';
const RECEIPTS = 'pages/payment/receipts/index';

const DECISION_QUERY = {
  decisionId: 'dec-1',
  decisionNo: '4501000000000123',
  amount: '25000',
  points: '7',
  count: '2',
  dueDate: '2025-09-17',
};
const WX_PAYMENT = {
  timeStamp: '1756800000',
  nonceStr: 'n0nce',
  package: 'prepay_id=wx123',
  signType: 'MD5',
  paySign: 'SIGN',
};
const CREATED = {
  orderId: 'ord-1',
  outTradeNo: 'GA450100000000012320250902',
  amount: 25750,
  fine: 25000,
  surcharge: 750,
  payment: WX_PAYMENT,
};

describe('confirm and pay page', () => {
  it("shows the decision, creates the order, pays with the server's parameters and opens the result", async () => {
    const page = await loadPage(CONFIRM, {
      query: DECISION_QUERY,
      cloud: { violation: byAction('violation', { pay: () => ok(CREATED) }) },
    });
    expect(page.text('#decision-no')).toContain('4501000000000123');
    expect(page.text('#count')).toContain('2 条');
    expect(page.text('#points')).toContain('7 分');
    expect(page.text('#amount')).toContain('¥250.00');
    expect(page.text('#due')).toContain('2025-09-17');

    await page.tap('#pay');

    expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'pay', decisionId: 'dec-1' } }]);
    expect(page.wx.requestPayment).toHaveBeenCalledWith(expect.objectContaining(WX_PAYMENT));
    // the amount shown is now the server's, surcharge included
    expect(page.text('#amount')).toContain('¥257.50');
    expect(page.text('#surcharge')).toContain('¥7.50');
    expect(page.wx.redirectTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/payment/result/index?orderId=ord-1&amount=25750' }),
    );
  });

  it('pays the order processing handed over without a call, and opens it itself once that is spent', async () => {
    const page = await loadPage(CONFIRM, {
      query: DECISION_QUERY,
      storage: { handedOrder: { decisionId: 'dec-1', at: Date.now(), order: CREATED } },
      wx: {
        requestPayment: jest.fn((o: { fail: (e: unknown) => void }) =>
          o.fail({ errMsg: 'requestPayment:fail cancel' }),
        ),
      },
      cloud: { violation: byAction('violation', { pay: () => ok(CREATED) }) },
    });
    await page.tap('#pay');
    expect(page.cloudCalls).toEqual([]);
    expect(page.wx.requestPayment).toHaveBeenCalledWith(expect.objectContaining(WX_PAYMENT));
    expect(page.storage.has('handedOrder')).toBe(false);

    // taken once: the next try asks the server, which answers today's same open order
    await page.tap('#pay');
    expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'pay', decisionId: 'dec-1' } }]);
  });

  it("an order handed over for another decision, or too long ago, is not paid: the server's is", async () => {
    for (const handedOrder of [
      { decisionId: 'dec-2', at: Date.now(), order: CREATED },
      { decisionId: 'dec-1', at: Date.now() - 11 * 60_000, order: CREATED },
    ]) {
      const page = await loadPage(CONFIRM, {
        query: DECISION_QUERY,
        storage: { handedOrder },
        cloud: { violation: byAction('violation', { pay: () => ok(CREATED) }) },
      });
      await page.tap('#pay');
      expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'pay', decisionId: 'dec-1' } }]);
    }
  });

  it('a cancelled cashier stays here with a sentence', async () => {
    const page = await loadPage(CONFIRM, {
      query: DECISION_QUERY,
      wx: {
        requestPayment: jest.fn((o: { fail: (e: unknown) => void }) =>
          o.fail({ errMsg: 'requestPayment:fail cancel' }),
        ),
      },
      cloud: { violation: byAction('violation', { pay: () => ok(CREATED) }) },
    });
    await page.tap('#pay');
    expect(page.text('#error')).toContain('您已取消支付');
    expect(page.wx.redirectTo).not.toHaveBeenCalled();
    expect(page.data['paying']).toBe(false);
  });

  it('an already paid decision says so and points to the receipts', async () => {
    const page = await loadPage(CONFIRM, {
      query: DECISION_QUERY,
      cloud: { violation: byAction('violation', { pay: () => fail('ALREADY_PAID') }) },
    });
    await page.tap('#pay');
    expect(page.text('#error')).toContain('该处罚决定书已经缴款，无需重复缴纳。');
    expect(page.wx.requestPayment).not.toHaveBeenCalled();
    await page.tap('#receipts');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/payment/receipts/index' }));
  });

  it('a network failure when ordering is a friendly sentence', async () => {
    const page = await loadPage(CONFIRM, {
      query: DECISION_QUERY,
      cloud: {
        violation: () => {
          throw new Error('request:fail timeout');
        },
      },
    });
    await page.tap('#pay');
    expect(page.text('#error')).toContain('网络不给力');
  });

  it('without a decision it says where to start', async () => {
    const page = await loadPage(CONFIRM, { cloud: {} });
    expect(page.text('#missing')).toContain('没有找到要缴款的处罚决定书');
  });
});

describe('payment result page', () => {
  beforeEach(() => jest.useFakeTimers({ advanceTimers: true }));
  afterEach(() => jest.useRealTimers());

  it('polls the order until the callback has landed, then shows it paid', async () => {
    let polls = 0;
    const page = await loadPage(RESULT, {
      query: { orderId: 'ord-1', amount: '25750' },
      cloud: {
        violation: byAction('violation', {
          payStatus: () => {
            polls += 1;
            return ok(
              polls < 3
                ? { orderId: 'ord-1', status: 'unpaid' }
                : { orderId: 'ord-1', status: 'paid', amount: 25750, paidAt: '2025-09-02T09:01:00+08:00' },
            );
          },
        }),
      },
    });
    expect(page.text('#checking')).toContain('正在确认缴款结果');

    await jest.advanceTimersByTimeAsync(5000);
    await page.settle();

    expect(page.cloudCalls.map((c) => c.data)).toEqual(Array(3).fill({ action: 'payStatus', orderId: 'ord-1' }));
    expect(page.text('#outcome')).toContain('缴款成功');
    expect(page.text()).toContain('¥257.50');
    expect(page.text()).toContain('2025-09-02 09:01');
  });

  it('stops after a bounded wait and says it is slow; asking again polls again', async () => {
    const page = await loadPage(RESULT, {
      query: { orderId: 'ord-1' },
      cloud: { violation: byAction('violation', { payStatus: () => ok({ orderId: 'ord-1', status: 'unpaid' }) }) },
    });
    await jest.advanceTimersByTimeAsync(60_000);
    await page.settle();
    const polled = page.cloudCalls.length;
    expect(polled).toBe(10);
    expect(page.text('#slow')).toContain('请勿重复支付');

    await jest.advanceTimersByTimeAsync(60_000);
    expect(page.cloudCalls.length).toBe(polled);

    await page.tap('#check-again');
    await jest.advanceTimersByTimeAsync(100);
    await page.settle();
    expect(page.cloudCalls.length).toBe(polled + 1);
    expect(page.has('#checking')).toBe(true);
  });

  it('keeps polling through a network blip; says how an amount mismatch ended', async () => {
    let polls = 0;
    const page = await loadPage(RESULT, {
      query: { orderId: 'ord-1' },
      cloud: {
        violation: byAction('violation', {
          payStatus: () => {
            polls += 1;
            if (polls === 1) throw new Error('request:fail');
            return ok({ orderId: 'ord-1', status: 'amount_mismatch' });
          },
        }),
      },
    });
    await jest.advanceTimersByTimeAsync(2000);
    await page.settle();
    expect(polls).toBe(2);
    expect(page.text('#outcome')).toContain('支付金额与订单不一致');
  });

  it('stops polling when the page is left', async () => {
    const page = await loadPage(RESULT, {
      query: { orderId: 'ord-1' },
      cloud: { violation: byAction('violation', { payStatus: () => ok({ orderId: 'ord-1', status: 'unpaid' }) }) },
    });
    await page.settle();
    const before = page.cloudCalls.length;
    page.unload();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(page.cloudCalls.length).toBe(before);
  });

  it("an order that is not the caller's is a final answer", async () => {
    const page = await loadPage(RESULT, { query: { orderId: 'ord-x' }, cloud: { violation: () => fail('NOT_FOUND') } });
    await jest.advanceTimersByTimeAsync(100);
    await page.settle();
    expect(page.text('#error')).toContain('未找到相关记录');
    expect(page.cloudCalls.length).toBe(1);
  });
});

describe('receipts page', () => {
  it('lists orders with amount, status and time, a page at a time', async () => {
    const orders = Array.from({ length: 25 }, (_, i) => order(`o${i}`));
    const { paidAt: _neverPaid, ...unsettled } = order('o1');
    orders[1] = { ...unsettled, status: 'amount_mismatch' };
    const page = await loadPage(RECEIPTS, {
      cloud: { violation: byAction('violation', { payments: () => ok({ orders }) }) },
    });
    expect(page.text('#receipt-o0')).toContain('决定书 4501000000012345');
    expect(page.text('#receipt-o0')).toContain('¥200.00');
    expect(page.text('#receipt-o0')).toContain('已缴款');
    expect(page.text('#receipt-o0')).toContain('缴款时间 2025-09-02 09:01');
    expect(page.text('#receipt-o1')).toContain('金额异常，待核实');
    expect((page.data['receipts'] as unknown[]).length).toBe(20);

    await page.tap('#more');
    expect((page.data['receipts'] as unknown[]).length).toBe(25);
    expect(page.has('#more')).toBe(false);
  });

  it('empty and failing states', async () => {
    const empty = await loadPage(RECEIPTS, {
      cloud: { violation: byAction('violation', { payments: () => ok({ orders: [] }) }) },
    });
    expect(empty.text('#empty')).toContain('暂无缴款记录');

    const failing = await loadPage(RECEIPTS, { cloud: { violation: () => fail('INTERNAL') } });
    expect(failing.text('#load-error')).toContain('系统出了点问题，请稍后重试。');
  });
});
