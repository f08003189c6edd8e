/**
 * The violations a decision covers, handed from the violations page to the payment page in memory: the contract
 * has no "get decision" action, and a query string is no place for a list. Opened later (from a card, a restart),
 * the payment page shows what its query carries instead.
 */
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
