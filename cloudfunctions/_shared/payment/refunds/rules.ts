/**
 * A refund's life cycle, decided here and nowhere else (pure: no I/O, no clock). Money WeChat Pay collected that
 * cannot pay a decision is queued; a 财务 officer other than the one who asked approves it; it is sent to WeChat Pay
 * (refunding) and ends refunded once WeChat Pay confirms, or failed, from where it is retried under the same
 * out_refund_no. The amount is always the whole of what WeChat Pay collected for the payment.
 */
import { DomainError } from '../../../../miniprogram/domain/core/errors';
import type { OrderRefund } from '../../../../miniprogram/domain/payment/contract';
import { clip, type DueReminder } from '../../../../miniprogram/domain/reminder/reminders';
import { messagePage, ROUTES } from '../../../../miniprogram/domain/routes';
import { formatYuan, isValidFen } from '../../../../miniprogram/domain/violation/fees';

export const REFUND_STATUSES = ['queued', 'approved', 'refunding', 'refunded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export function isRefundStatus(value: unknown): value is RefundStatus {
  return typeof value === 'string' && (REFUND_STATUSES as readonly string[]).includes(value);
}

/** Who asked for a refund that settling a payment queued by itself. */
export const SYSTEM_REQUESTER = 'system';

export type RefundMove = 'approve' | 'send' | 'retry' | 'confirm' | 'fail';

const MOVES: Readonly<Record<RefundMove, { readonly from: readonly RefundStatus[]; readonly to: RefundStatus }>> = {
  approve: { from: ['queued'], to: 'approved' },
  send: { from: ['approved'], to: 'refunding' },
  retry: { from: ['failed'], to: 'refunding' },
  // A refund marked failed may still have gone through (a send whose answer was lost): WeChat Pay's word wins.
  confirm: { from: ['refunding', 'failed'], to: 'refunded' },
  fail: { from: ['refunding'], to: 'failed' },
};

const REFUSED: Readonly<Record<RefundMove, string>> = {
  approve: '只有待审批的退款可以审批。',
  send: '只有已审批的退款可以发起。',
  retry: '只有退款失败的记录可以重试。',
  confirm: '该退款尚未发起，不能确认到账。',
  fail: '只有退款中的记录可以标记失败。',
};

/** The status `move` leads to from `from`, or null when the move is not allowed there. */
export function nextStatus(from: RefundStatus, move: RefundMove): RefundStatus | null {
  const rule = MOVES[move];
  return rule.from.includes(from) ? rule.to : null;
}

/** As nextStatus, but a move not allowed is INVALID_TRANSITION with a sentence the officer understands. */
export function requireMove(from: RefundStatus, move: RefundMove): RefundStatus {
  const to = nextStatus(from, move);
  if (to === null) throw new DomainError('INVALID_TRANSITION', REFUSED[move]);
  return to;
}

const OUT_TRADE_NO = /^[0-9A-Za-z_-]{1,32}$/;
const REFUND_PREFIX = 'RF';

/** WeChat Pay refunds an out_refund_no at most once, so the number is fixed by the payment: a retry is the same refund. */
export function outRefundNoFor(outTradeNo: string): string {
  if (!OUT_TRADE_NO.test(outTradeNo)) throw new DomainError('INVALID_ARGUMENT', '商户订单号格式有误。');
  return `${REFUND_PREFIX}${outTradeNo}`;
}

/** The payment an out_refund_no belongs to, or null when it is not one of ours. */
export function outTradeNoOfRefund(outRefundNo: string): string | null {
  if (!outRefundNo.startsWith(REFUND_PREFIX)) return null;
  const outTradeNo = outRefundNo.slice(REFUND_PREFIX.length);
  return OUT_TRADE_NO.test(outTradeNo) ? outTradeNo : null;
}

/** Two people for every refund: the approver is not the one who asked (a refund settling queued has no such person). */
export function checkApprover(requestedBy: string, approver: string): void {
  if (requestedBy === approver) throw new DomainError('SAME_OFFICER');
}

/** A refund pays back exactly what WeChat Pay collected for the payment, never part of it nor more. */
export function checkRefundAmount(requested: number, collected: number): void {
  if (!isValidFen(requested) || requested !== collected)
    throw new DomainError(
      'AMOUNT_MISMATCH',
      `退款金额必须等于该笔实际缴款金额 ${formatYuan(collected, { symbol: false })} 元（${collected} 分）。`,
    );
}

/** What WeChat Pay says of a refund (queryRefund); NOT_FOUND: it has none under that out_refund_no. */
export type WeChatRefundState = 'SUCCESS' | 'PROCESSING' | 'CHANGE' | 'REFUNDCLOSE' | 'NOT_FOUND' | 'UNKNOWN';

/** The move WeChat Pay's answer calls for; null while it is still processing or said nothing usable. */
export function confirmationMove(state: WeChatRefundState): 'confirm' | 'fail' | null {
  if (state === 'SUCCESS') return 'confirm';
  if (state === 'CHANGE' || state === 'REFUNDCLOSE') return 'fail';
  return null;
}

/**
 * How long a refund sent with an unknown outcome waits before WeChat Pay's "no such refund" counts as failed: the
 * send may still be on its way. Failing it early is safe anyway, since a retry resends the same out_refund_no.
 */
export const UNKNOWN_SEND_GRACE_MS = 120_000;

/** Whether WeChat Pay not knowing the refund means the send never reached it. */
export function sendIsLost(state: WeChatRefundState, sentAtMs: number | null, nowMs: number): boolean {
  return state === 'NOT_FOUND' && (sentAtMs === null || nowMs - sentAtMs >= UNKNOWN_SEND_GRACE_MS);
}

const REFUND_LABELS = { refunding: '退款中', refunded: '已退款' } as const;

/** What the driver sees of a refund of their payment: in progress until WeChat Pay confirmed it, then done. */
export function driverRefund(refund: {
  readonly status: RefundStatus;
  readonly amount: number;
  readonly refundedAt?: string | null | undefined;
}): OrderRefund {
  if (refund.status !== 'refunded')
    return { status: 'refunding', label: REFUND_LABELS.refunding, amount: refund.amount };
  const done = { status: 'refunded' as const, label: REFUND_LABELS.refunded, amount: refund.amount };
  return refund.refundedAt ? { ...done, refundedAt: refund.refundedAt } : done;
}

/** The subscribe message once the money is back: one per payment (its key), opening the payment records. */
export function refundNotice(refund: {
  readonly outTradeNo: string;
  readonly decisionNo: string | null;
  readonly amount: number;
  /** ISO 8601 with +08:00. */
  readonly refundedAt: string;
}): DueReminder {
  return {
    kind: 'refund',
    key: `refund:${refund.outTradeNo}`,
    page: messagePage(ROUTES.receipts),
    data: {
      character_string1: { value: clip(refund.decisionNo ?? refund.outTradeNo, 32) },
      amount2: { value: `${formatYuan(refund.amount, { symbol: false })}元` },
      time3: { value: refund.refundedAt.slice(0, 16).replace('T', ' ') },
      thing4: { value: clip('已原路退回您的微信支付账户', 20) },
    },
  };
}
