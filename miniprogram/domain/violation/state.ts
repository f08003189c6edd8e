/**
 * The one state a violation is in for the driver who looks at it: from its registry status, its eligibility and,
 * when the caller processed it online, their decision. The list shows this state and nothing that contradicts it.
 */

import { addDays, daysBetween, type IsoDate } from '../core/dates';
import type { Eligibility, EligibilityReason, ViolationStatus } from './eligibility';
import { amountBreakdown, PAYMENT_PERIOD_DAYS } from './fees';

/** Stable values, in the order the list's tabs read them: extend, never rename. */
export const VIOLATION_STATE_KINDS = [
  'processable',
  'notProcessable',
  'awaitingPayment',
  'processed',
  'paid',
  'processedOffline',
  'paidOffline',
] as const;
export type ViolationStateKind = (typeof VIOLATION_STATE_KINDS)[number];

export type ViolationState =
  /** 可网上处理. */
  | { readonly kind: 'processable' }
  /** 不能网上处理: not processed yet, with every reason (their texts say what to do instead). */
  | { readonly kind: 'notProcessable'; readonly reasons: readonly EligibilityReason[] }
  /** 已处理待缴款: the caller's own online decision, unpaid; amounts are the whole decision's, today. */
  | {
      readonly kind: 'awaitingPayment';
      readonly decisionId: string;
      readonly decisionNo: string;
      /** How many violations the decision covers (one payment for all). */
      readonly violationCount: number;
      readonly fine: number;
      /** Late surcharge today on the decision's total fine. */
      readonly surcharge: number;
      /** fine + surcharge: what a payment order created today is for. */
      readonly amount: number;
      /** Last day to pay the fine alone (decision date + 15). */
      readonly dueDate: IsoDate;
      /** Days from today to dueDate: 0 on the last day, negative once the surcharge runs. */
      readonly daysLeft: number;
    }
  /** 已处理: another driver's online decision, unpaid; their decision is theirs to see. */
  | { readonly kind: 'processed' }
  /** 已缴款 online; when, the number and the order that paid it (its receipt) only for the caller's own decision. */
  | { readonly kind: 'paid'; readonly paidAt?: string; readonly decisionNo?: string; readonly orderId?: string }
  /** 已在窗口处理: the registry says processed, by no online decision. */
  | { readonly kind: 'processedOffline' }
  /** 已缴款（银行）: the registry says paid, at a bank; when, as the bank dated it (else the caller's decision's record). */
  | { readonly kind: 'paidOffline'; readonly paidAt?: string };

/** The caller's own online decision that covers the violation. */
export interface OwnDecisionFacts {
  readonly decisionId: string;
  readonly decisionNo: string;
  readonly decidedOn: IsoDate;
  /** The decision's total fine, fen: the surcharge is computed once on it. */
  readonly fine: number;
  readonly violationCount: number;
  readonly status: 'unpaid' | 'paid';
  readonly paidAt: string | null;
  readonly paidVia: 'wechat' | 'registry' | null;
  /** The order that paid it online: the violation links to that order's receipt. */
  readonly paidOrderId?: string | null;
}

export interface ViolationStateFacts {
  readonly status: ViolationStatus;
  readonly eligibility: Eligibility;
  /** Processed online, by whoever: the violation carries a decision. */
  readonly decidedOnline: boolean;
  /** That decision, when it is the caller's; null for another driver's (or none). */
  readonly ownDecision: OwnDecisionFacts | null;
  /** When the bank took this violation's fine, as the registry reported it; absent or null when it did not say. */
  readonly bankPaidAt?: string | null;
}

function withPaidAt<T extends object>(state: T, paidAt: string | null): T & { paidAt?: string } {
  return paidAt === null || paidAt === '' ? state : { ...state, paidAt };
}

function paidOnline(
  decisionNo: string,
  orderId: string | null,
): { kind: 'paid'; decisionNo: string; orderId?: string } {
  return orderId === null || orderId === '' ? { kind: 'paid', decisionNo } : { kind: 'paid', decisionNo, orderId };
}

export function violationState(facts: ViolationStateFacts, today: IsoDate): ViolationState {
  const { status, eligibility, decidedOnline, ownDecision } = facts;
  if (status === 'unprocessed') {
    return eligibility.processable ? { kind: 'processable' } : { kind: 'notProcessable', reasons: eligibility.reasons };
  }
  if (ownDecision !== null) {
    if (ownDecision.status === 'paid') {
      return ownDecision.paidVia === 'registry'
        ? withPaidAt({ kind: 'paidOffline' as const }, ownDecision.paidAt)
        : withPaidAt(paidOnline(ownDecision.decisionNo, ownDecision.paidOrderId ?? null), ownDecision.paidAt);
    }
    // The bank reported this one paid while the decision is not yet complete: nothing more is owed for it here.
    if (status === 'paid') return withPaidAt({ kind: 'paidOffline' as const }, facts.bankPaidAt ?? null);
    const due = amountBreakdown(ownDecision.fine, ownDecision.decidedOn, today);
    const dueDate = addDays(ownDecision.decidedOn, PAYMENT_PERIOD_DAYS);
    return {
      kind: 'awaitingPayment',
      decisionId: ownDecision.decisionId,
      decisionNo: ownDecision.decisionNo,
      violationCount: ownDecision.violationCount,
      fine: due.fine,
      surcharge: due.surcharge,
      amount: due.total,
      dueDate,
      daysLeft: daysBetween(today, dueDate),
    };
  }
  if (decidedOnline) return status === 'paid' ? { kind: 'paid' } : { kind: 'processed' };
  return status === 'paid'
    ? withPaidAt({ kind: 'paidOffline' as const }, facts.bankPaidAt ?? null)
    : { kind: 'processedOffline' };
}

/** The list's three tabs: what the driver can still do something about first. */
export const VIOLATION_TABS = ['pending', 'unpaid', 'done'] as const;
export type ViolationTab = (typeof VIOLATION_TABS)[number];

export function violationTab(kind: ViolationStateKind): ViolationTab {
  if (kind === 'processable' || kind === 'notProcessable') return 'pending';
  if (kind === 'awaitingPayment') return 'unpaid';
  return 'done';
}
