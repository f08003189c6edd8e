/**
 * @jest-environment jsdom
 */
// 缴款记录 shows a payment being paid back as the server words it (退款中 / 已退款), with the amount and, once done,
// the time; the reminder settings offer the refund notice.
import { loadPage } from '../helpers/simulate';
import { byAction, ok, order } from './fixtures';

const RECEIPTS = 'pages/payment/receipts/index';

function receipts() {
  const orders = [
    order('paid-1'),
    order('twice-1', {
      status: 'paid_unmatched',
      amount: 15_000,
      refund: { status: 'refunding', label: '退款中', amount: 15_000 },
    }),
    order('wrong-1', {
      status: 'amount_mismatch',
      amount: 20_000,
      refund: { status: 'refunded', label: '已退款', amount: 100, refundedAt: '2025-09-03T10:20:30+08:00' },
    }),
  ];
  return loadPage(RECEIPTS, { cloud: { violation: byAction('violation', { payments: () => ok({ orders }) }) } });
}

describe('缴款记录 and refunds', () => {
  it('a refunded payment shows 已退款 with the amount paid back and when; one in progress 退款中', async () => {
    const page = await receipts();
    expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'payments' } }]);

    const done = page.text('#receipt-wrong-1');
    expect(done).toContain('已退款');
    expect(done).not.toContain('金额异常');
    expect(page.text('#refund-wrong-1')).toBe('已退款 ¥1.00，退款时间 2025-09-03 10:20');

    const pending = page.text('#receipt-twice-1');
    expect(pending).toContain('退款中');
    expect(pending).not.toContain('待退回');
    expect(page.text('#refund-twice-1')).toBe('退款中 ¥150.00，原路退回微信支付');

    // a payment with nothing to pay back shows no refund line
    expect(page.has('#refund-paid-1')).toBe(false);
    expect(page.text('#receipt-paid-1')).toContain('已缴款');
  });

  it('the label is the server’s: a new word from the server is shown as it is', async () => {
    const orders = [order('x-1', { refund: { status: 'refunding', label: '退款审核中', amount: 20_000 } })];
    const page = await loadPage(RECEIPTS, {
      cloud: { violation: byAction('violation', { payments: () => ok({ orders }) }) },
    });
    expect(page.text('#receipt-x-1')).toContain('退款审核中');
  });
});

describe('reminder settings', () => {
  it('offers the refund notice on its own button, asking WeChat for its one template', async () => {
    const credits = { newViolation: 0, licenceRenewal: 0, inspectionDue: 0, fineSurcharge: 0, moveCar: 0, refund: 1 };
    const page = await loadPage('pages/reminder/settings/index', {
      cloud: { reminder: byAction('reminder', { status: () => ok({ credits, sent: [] }) }) },
    });
    expect(page.text('#kind-refund')).toContain('退款到账通知');
    expect(page.text('#kind-refund')).toContain('剩余 1 条');
    expect(page.text('#subscribe-refund')).toContain('开启退款到账通知');
  });
});
