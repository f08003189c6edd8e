// The refund life cycle's pure rules: moves, the two-person rule, the whole amount, out_refund_no, what the driver
// reads, WeChat Pay's answers and the message once the money is back.
import { DomainError } from '../../miniprogram/domain/core/errors';
import { REMINDER_TEMPLATE_IDS } from '../../miniprogram/domain/reminder/reminders';
import {
  checkApprover,
  checkRefundAmount,
  confirmationMove,
  driverRefund,
  isRefundStatus,
  nextStatus,
  outRefundNoFor,
  outTradeNoOfRefund,
  refundNotice,
  requireMove,
  sendIsLost,
  REFUND_STATUSES,
  SYSTEM_REQUESTER,
  UNKNOWN_SEND_GRACE_MS,
  type RefundMove,
  type RefundStatus,
} from '../../cloudfunctions/_shared/payment/refunds/rules';

function codeOf(run: () => unknown): string | null {
  try {
    run();
    return null;
  } catch (error) {
    return error instanceof DomainError ? error.code : 'not a DomainError';
  }
}

describe('moves', () => {
  const allowed: Record<RefundMove, Partial<Record<RefundStatus, RefundStatus>>> = {
    approve: { queued: 'approved' },
    send: { approved: 'refunding' },
    retry: { failed: 'refunding' },
    confirm: { refunding: 'refunded', failed: 'refunded' },
    fail: { refunding: 'failed' },
  };

  it.each(Object.keys(allowed) as RefundMove[])(
    '%s goes only where the life cycle allows, from every status',
    (move) => {
      for (const from of REFUND_STATUSES) {
        const to = allowed[move][from] ?? null;
        expect(nextStatus(from, move)).toBe(to);
        if (to === null) expect(codeOf(() => requireMove(from, move))).toBe('INVALID_TRANSITION');
        else expect(requireMove(from, move)).toBe(to);
      }
    },
  );

  it('refunded is final: nothing moves it', () => {
    for (const move of Object.keys(allowed) as RefundMove[]) expect(nextStatus('refunded', move)).toBeNull();
  });

  it('an INVALID_TRANSITION says in Chinese what is allowed', () => {
    expect(() => requireMove('refunding', 'approve')).toThrow('只有待审批的退款可以审批。');
    expect(() => requireMove('queued', 'retry')).toThrow('只有退款失败的记录可以重试。');
  });

  it('knows its statuses, and nothing else', () => {
    for (const status of REFUND_STATUSES) expect(isRefundStatus(status)).toBe(true);
    for (const value of ['', 'QUEUED', 'paid', null, undefined, 1, {}]) expect(isRefundStatus(value)).toBe(false);
  });
});

describe('two people per refund', () => {
  it('the one who asked cannot approve; another officer, or anyone for a refund settling queued, can', () => {
    expect(codeOf(() => checkApprover('officer:7', 'officer:7'))).toBe('SAME_OFFICER');
    expect(codeOf(() => checkApprover('bootstrap', 'bootstrap'))).toBe('SAME_OFFICER');
    expect(codeOf(() => checkApprover('officer:7', 'officer:8'))).toBeNull();
    expect(codeOf(() => checkApprover(SYSTEM_REQUESTER, 'bootstrap'))).toBeNull();
    expect(() => checkApprover('officer:7', 'officer:7')).toThrow('同一笔退款的申请人和审批人不能是同一人。');
  });
});

describe('the amount is the whole of what was collected', () => {
  it.each([
    ['0', 0],
    ['collected - 1', 19_999],
    ['collected + 1', 20_001],
    ['a fraction of a fen', 19_999.5],
    ['negative', -20_000],
    ['not a number', Number.NaN],
  ])('%s → AMOUNT_MISMATCH, naming the collected amount', (_label, amount) => {
    expect(codeOf(() => checkRefundAmount(amount, 20_000))).toBe('AMOUNT_MISMATCH');
    expect(() => checkRefundAmount(amount, 20_000)).toThrow('200.00 元（20000 分）');
  });

  it('exactly the collected amount passes, down to 1 fen', () => {
    expect(codeOf(() => checkRefundAmount(20_000, 20_000))).toBeNull();
    expect(codeOf(() => checkRefundAmount(1, 1))).toBeNull();
  });
});

describe('out_refund_no', () => {
  it('is fixed by the payment, so a retry is the same refund, and leads back to it', () => {
    expect(outRefundNoFor('GA450100000000012320261207')).toBe('RFGA450100000000012320261207');
    expect(outRefundNoFor('GA1')).toBe(outRefundNoFor('GA1'));
    expect(outTradeNoOfRefund(outRefundNoFor('GA1R2'))).toBe('GA1R2');
  });

  it('fits WeChat Pay for the longest outTradeNo (32 → 34 of 64) and refuses a malformed one', () => {
    const longest = 'A'.repeat(32);
    expect(outRefundNoFor(longest)).toHaveLength(34);
    for (const bad of ['', 'A'.repeat(33), 'GA 1', 'GA/1', '订单'])
      expect(codeOf(() => outRefundNoFor(bad))).toBe('INVALID_ARGUMENT');
  });

  it('an out_refund_no that is not ours names no payment', () => {
    for (const other of ['', 'RF', 'XXGA1', `RF${'A'.repeat(33)}`, 'RFGA/1'])
      expect(outTradeNoOfRefund(other)).toBeNull();
  });
});

describe("WeChat Pay's answer", () => {
  it('SUCCESS confirms, CHANGE and REFUNDCLOSE fail, anything else waits', () => {
    expect(confirmationMove('SUCCESS')).toBe('confirm');
    expect(confirmationMove('CHANGE')).toBe('fail');
    expect(confirmationMove('REFUNDCLOSE')).toBe('fail');
    expect(confirmationMove('PROCESSING')).toBeNull();
    expect(confirmationMove('NOT_FOUND')).toBeNull();
    expect(confirmationMove('UNKNOWN')).toBeNull();
  });

  it('"no such refund" means the send was lost only once the grace has passed', () => {
    const sent = 1_000_000;
    expect(sendIsLost('NOT_FOUND', sent, sent)).toBe(false);
    expect(sendIsLost('NOT_FOUND', sent, sent + UNKNOWN_SEND_GRACE_MS - 1)).toBe(false);
    expect(sendIsLost('NOT_FOUND', sent, sent + UNKNOWN_SEND_GRACE_MS)).toBe(true);
    expect(sendIsLost('NOT_FOUND', null, sent)).toBe(true);
    expect(sendIsLost('PROCESSING', sent, sent + UNKNOWN_SEND_GRACE_MS * 10)).toBe(false);
  });
});

describe('what the driver sees', () => {
  it('退款中 until WeChat Pay confirmed, then 已退款 with the amount and time', () => {
    for (const status of ['queued', 'approved', 'refunding', 'failed'] as const)
      expect(driverRefund({ status, amount: 15_000 })).toEqual({
        status: 'refunding',
        label: '退款中',
        amount: 15_000,
      });
    expect(driverRefund({ status: 'refunded', amount: 15_000, refundedAt: '2026-12-07T10:20:30+08:00' })).toEqual({
      status: 'refunded',
      label: '已退款',
      amount: 15_000,
      refundedAt: '2026-12-07T10:20:30+08:00',
    });
    expect(driverRefund({ status: 'refunded', amount: 1, refundedAt: null })).toEqual({
      status: 'refunded',
      label: '已退款',
      amount: 1,
    });
  });

  it('the message: one per payment, its template, the amount and time, within WeChat’s lengths', () => {
    const notice = refundNotice({
      outTradeNo: 'GA1',
      decisionNo: '4501000000000123',
      amount: 20_050,
      refundedAt: '2026-12-07T10:20:30+08:00',
    });
    expect(notice.kind).toBe('refund');
    expect(notice.key).toBe('refund:GA1');
    expect(REMINDER_TEMPLATE_IDS[notice.kind]).toBe('GUIA-TMPL-REFUND');
    expect(notice.page).toBe('pages/payment/receipts/index');
    expect(notice.data).toEqual({
      character_string1: { value: '4501000000000123' },
      amount2: { value: '200.50元' },
      time3: { value: '2026-12-07 10:20' },
      thing4: { value: '已原路退回您的微信支付账户' },
    });
    const unknown = refundNotice({
      outTradeNo: 'GA2',
      decisionNo: null,
      amount: 0,
      refundedAt: '2026-12-07T10:20:30+08:00',
    });
    expect(unknown.data['character_string1']).toEqual({ value: 'GA2' });
  });
});
