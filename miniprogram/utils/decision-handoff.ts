/**
 * The violations a decision covers, handed from the violations page to the payment page in memory: the contract
 * has no "get decision" action, and a query string is no place for a list. Opened later (from a card, a restart),
 * the payment page shows what its query carries instead.
 */
import type { CreatePaymentResult } from '../domain/payment/contract';

export interface DecidedViolation {
  readonly id: string;
  readonly plate: string;
  readonly time: string;
  readonly behaviour: string;
  readonly fine: string;
  readonly points: number;
}

const decided = new Map<string, readonly DecidedViolation[]>();

export function handOverDecision(decisionId: string, violations: readonly DecidedViolation[]): void {
  decided.set(decisionId, violations);
}

export function takeDecision(decisionId: string): readonly DecidedViolation[] {
  return decided.get(decisionId) ?? [];
}

const ORDER_KEY = 'handedOrder';

/** In storage, not memory: it reaches the payment page however that is opened; taken once, for ten minutes. */
export function handOverOrder(decisionId: string, order: CreatePaymentResult): void {
  wx.setStorageSync(ORDER_KEY, { decisionId, at: Date.now(), order });
}

/** The order handed over for `decisionId`, or null: the page then asks the server to open it. */
export function takeOrder(decisionId: string): CreatePaymentResult | null {
  const kept = wx.getStorageSync<{ decisionId?: string; at?: number; order?: CreatePaymentResult } | ''>(ORDER_KEY);
  if (kept === '' || kept.decisionId !== decisionId || kept.order === undefined) return null;
  wx.removeStorageSync(ORDER_KEY);
  return Date.now() - (kept.at ?? 0) < 600_000 ? kept.order : null;
}
