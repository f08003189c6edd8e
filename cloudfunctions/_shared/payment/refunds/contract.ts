/** The police side's refund actions (`admin`, role 财务): list, ask, approve, retry, and ask WeChat Pay now. */
import type { RefundStatus } from './rules';

/** Most refunds one listRefunds page holds. */
export const MAX_REFUND_PAGE = 200;

export interface ListRefundsParams {
  /** Only refunds in this status; all when absent. */
  readonly status?: RefundStatus;
  /** 1 to MAX_REFUND_PAGE. */
  readonly limit: number;
  /** The `next` of the previous page: refunds come in refundId order. */
  readonly after?: string;
}

/** One refund as the finance officers see it. */
export interface RefundRow {
  /** The payment's outTradeNo: one refund per payment. */
  readonly refundId: string;
  readonly outTradeNo: string;
  readonly transactionId: string;
  readonly outRefundNo: string;
  /** Fen: the whole amount WeChat Pay collected. */
  readonly amount: number;
  readonly reason: string;
  readonly status: RefundStatus;
  readonly queuedAt: string;
  /** An officer (actorLabel) or 'system' when settling the payment queued it. */
  readonly requestedBy: string;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly attempts: number;
  readonly sentAt: string | null;
  /** WeChat Pay's refund id once it took the refund. */
  readonly wechatRefundId: string | null;
  readonly refundedAt: string | null;
  readonly failure: string | null;
}

export interface ListRefundsResult {
  readonly refunds: readonly RefundRow[];
  /** Pass as `after` for the next page; null on the last. */
  readonly next: string | null;
}

export interface RequestRefundParams {
  readonly outTradeNo: string;
  /** Fen; must equal what WeChat Pay collected for the order. */
  readonly amount: number;
  readonly reason: string;
}

export interface RefundIdParams {
  readonly refundId: string;
}
