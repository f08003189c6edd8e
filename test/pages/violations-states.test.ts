/**
 * @jest-environment jsdom
 */
// Violations page: three tabs with counts (待处理 processable first, 待缴款, 已完成), grouped by car, each card in the
// one state the cloud sent — no eligibility reasons once processed, 去缴款 with the decision, the settled ones say when.
import { loadPage } from '../helpers/simulate';
import { byAction, ok, violation } from './fixtures';

const LIST = 'pages/violation/list/index';

const VIOLATIONS = [
  violation('blocked', { processable: false, reasons: ['FINE_OVER_LIMIT'], fine: 50000 }),
  violation('ready', { fine: 10000, points: 3 }),
  violation('due', {
    status: 'processed',
    processable: false,
    reasons: ['ALREADY_PROCESSED', 'CYCLE_POINTS'],
    state: {
      kind: 'awaitingPayment',
      decisionId: 'dec-9',
      decisionNo: '4501000000000097',
      violationCount: 2,
      fine: 15000,
      surcharge: 0,
      amount: 15000,
      dueDate: '2025-09-20',
      daysLeft: 3,
    },
  }),
  violation('last', {
    plate: '桂AD12345',
    status: 'processed',
    processable: false,
    reasons: ['ALREADY_PROCESSED'],
    state: {
      kind: 'awaitingPayment',
      decisionId: 'dec-8',
      decisionNo: '4501000000000088',
      violationCount: 1,
      fine: 20000,
      surcharge: 0,
      amount: 20000,
      dueDate: '2025-09-17',
      daysLeft: 0,
    },
  }),
  violation('theirs', {
    status: 'processed',
    processable: false,
    reasons: ['ALREADY_PROCESSED'],
    state: { kind: 'processed' },
  }),
  violation('paid', {
    plate: '桂AD12345',
    status: 'paid',
    processable: false,
    reasons: ['ALREADY_PROCESSED', 'CYCLE_POINTS'],
    state: {
      kind: 'paid',
      paidAt: '2025-09-03T10:20:00+08:00',
      decisionNo: '4501000000000079',
      orderId: 'GA450100000000007920250903',
    },
  }),
  violation('window', {
    status: 'processed',
    processable: false,
    reasons: ['ALREADY_PROCESSED'],
    state: { kind: 'processedOffline' },
  }),
  violation('bank', {
    status: 'paid',
    processable: false,
    reasons: ['ALREADY_PROCESSED'],
    state: { kind: 'paidOffline' },
  }),
];

function cloud() {
  return {
    violation: byAction('violation', { list: () => ok({ violations: VIOLATIONS }) }),
  };
}

const ids = (items: unknown) => (items as Array<{ id: string }>).map((r) => r.id);

describe('violations page: states and tabs', () => {
  it('counts each tab and lists 待处理 by car, processable first', async () => {
    const page = await loadPage(LIST, { cloud: cloud() });
    const stages = page.text('#stage');
    expect(stages).toContain('待处理（2）');
    expect(stages).toContain('待缴款（2）');
    expect(stages).toContain('已完成（4）');
    expect(ids(page.data['items'])).toEqual(['ready', 'blocked']);
    expect(page.text('#group-ready')).toBe('桂A12345 · 2 条');
    expect(page.text('#state-ready')).toBe('可网上处理');
    expect(page.has('#pick-ready')).toBe(true);
    expect(page.text('#state-blocked')).toBe('不能网上处理');
    expect(page.text('#reasons-blocked')).toContain('请携带驾驶证、行驶证到交警窗口处理');
    expect(page.has('#submit')).toBe(true);
  });

  it('待缴款: the decision, today’s amount, the deadline and days left, and 去缴款 with the decision id', async () => {
    const page = await loadPage(LIST, { cloud: cloud() });
    await page.emit('#stage', 'change', { value: 'unpaid' });
    expect(ids(page.data['items'])).toEqual(['due', 'last']);
    const due = page.text('#violation-due');
    for (const part of ['已处理待缴款', '决定书编号4501000000000097', '今日应缴¥150.00', '2025-09-20（还剩 3 天）']) {
      expect(due).toContain(part);
    }
    expect(due).toContain('本决定书含 2 条违法，一次缴清');
    // no eligibility sentence on a processed violation, nor a surcharge line before day 16
    expect(due).not.toContain('不能网上处理');
    expect(due).not.toContain('12 分');
    expect(due).not.toContain('滞纳金');
    expect(page.text('#violation-last')).toContain('2025-09-17（今天是最后一天）');
    expect(page.has('#submit')).toBe(false);

    await page.tap('#pay-due');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/pages/payment/confirm/index?decisionId=dec-9&decisionNo=4501000000000097&amount=15000&count=2&dueDate=2025-09-20',
      }),
    );
  });

  it('an overdue decision says how late and that the surcharge runs', async () => {
    const late = violation('late', {
      status: 'processed',
      processable: false,
      state: {
        kind: 'awaitingPayment',
        decisionId: 'dec-7',
        decisionNo: '4501000000000070',
        violationCount: 1,
        fine: 20000,
        surcharge: 600,
        amount: 20600,
        dueDate: '2025-09-16',
        daysLeft: -1,
      },
    });
    const page = await loadPage(LIST, {
      cloud: {
        violation: byAction('violation', { list: () => ok({ violations: [late] }) }),
      },
    });
    await page.emit('#stage', 'change', { value: 'unpaid' });
    const text = page.text('#violation-late');
    expect(text).toContain('今日应缴¥206.00');
    expect(text).toContain('其中滞纳金¥6.00');
    expect(text).toContain('2025-09-16（已逾期 1 天）');
    expect(text).toContain('逾期每日加处罚款数额的 3%');
  });

  it('已完成: paid with when and its own receipt, processed by another driver without a number, window and bank', async () => {
    const page = await loadPage(LIST, { cloud: cloud() });
    await page.emit('#stage', 'change', { value: 'done' });
    expect(ids(page.data['items'])).toEqual(['theirs', 'window', 'bank', 'paid']);
    expect(page.text('#state-paid')).toBe('已缴款');
    expect(page.text('#settled-paid')).toContain('2025-09-03 10:20 缴款成功');
    expect(page.text('#settled-paid')).toContain('4501000000000079');
    expect(page.text('#receipt-paid')).toBe('查看缴款凭证');
    await page.tap('#receipt-paid');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/payment/receipt/index?orderId=GA450100000000007920250903' }),
    );
    expect(page.has('#receipts-paid')).toBe(false);

    expect(page.text('#state-theirs')).toBe('已处理');
    expect(page.text('#violation-theirs')).not.toMatch(/决定书|4501/);
    expect(page.text('#state-window')).toBe('已在窗口处理');
    expect(page.text('#state-bank')).toBe('已缴款（银行）');
    for (const id of ['theirs', 'paid', 'window', 'bank']) {
      expect([id, page.text(`#violation-${id}`)]).not.toEqual([id, expect.stringContaining('不能网上处理')]);
      expect(page.has(`#reasons-${id}`)).toBe(false);
    }
    expect(page.has('#submit')).toBe(false);
  });

  it('a tab with nothing in it says so; the car filter keeps the tab and recounts', async () => {
    const page = await loadPage(LIST, { cloud: cloud() });
    await page.emit('#filter', 'change', { value: '桂AD12345' });
    expect(page.text('#stage')).toContain('待处理（0）');
    expect(page.text('#filter-empty')).toContain('没有待处理的违法记录');
    await page.emit('#stage', 'change', { value: 'unpaid' });
    expect(ids(page.data['items'])).toEqual(['last']);
    expect(page.has('#group-last')).toBe(false);
  });
});
