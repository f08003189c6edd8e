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

/** The order `violation.process` opened with the decision, and when it was handed over. */
interface HandedOrder {
  readonly decisionId: string;
  readonly at: number;
  readonly order: CreatePaymentResult;
}

const ORDER_KEY = 'handedOrder';

/** A prepay is good until the end of its day; a handed order older than this is left for the server to open anew. */
const ORDER_FRESH_MS = 10 * 60_000;

function isHandedOrder(value: unknown): value is HandedOrder {
  if (typeof value !== 'object' || value === null) return false;
  const kept = value as Partial<HandedOrder>;
  return typeof kept.decisionId === 'string' && typeof kept.at === 'number' && typeof kept.order === 'object';
}

/** In storage, not memory: it reaches the payment page however it is opened, and is taken once. */
export function handOverOrder(decisionId: string, order: CreatePaymentResult): void {
  const kept: HandedOrder = { decisionId, at: Date.now(), order };
  wx.setStorageSync(ORDER_KEY, kept);
}

/** The order handed over for `decisionId`, once; null when none (the page then asks the server to open it). */
export function takeOrder(decisionId: string): CreatePaymentResult | null {
  const kept: unknown = wx.getStorageSync(ORDER_KEY);
  if (!isHandedOrder(kept) || kept.decisionId !== decisionId) return null;
  wx.removeStorageSync(ORDER_KEY);
  return Date.now() - kept.at < ORDER_FRESH_MS ? kept.order : null;
}
