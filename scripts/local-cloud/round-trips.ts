/**
 * Counts the database round trips each invocation makes, grouped by function and the event's `action`,
 * so a change that adds a query to a hot path shows up in /stats and in the benchmark.
 */
interface Running {
  key: string;
  requests: number;
  transactions: number;
  byAction: Record<string, number>;
}

export interface RoundTripSummary {
  calls: number;
  /** database requests per call */
  min: number;
  max: number;
  mean: number;
  /** transactions started per call, at most and on average (retries after a conflict count) */
  maxTransactions: number;
  meanTransactions: number;
  /** SDK actions seen in the last call, e.g. { 'database.getDocument': 2 } */
  lastByAction: Record<string, number>;
}

/** Distinct function.action entries kept; beyond it new ones are not counted. */
const MAX_KEYS = 500;

export class RoundTripStats {
  private readonly running = new Map<string, Running>();
  private readonly totals = new Map<string, RoundTripSummary & { sum: number; transactionSum: number }>();

  begin(invocationId: string, functionName: string, event: unknown): void {
    const raw = typeof event === 'object' && event !== null ? (event as { action?: unknown }).action : undefined;
    // Clients choose the action string: only action-like names get their own entry, so /stats cannot be inflated.
    const action =
      raw === undefined ? '-' : typeof raw === 'string' && /^[A-Za-z][A-Za-z0-9]{0,39}$/.test(raw) ? raw : '(invalid)';
    if (!this.totals.has(`${functionName}.${action}`) && this.totals.size >= MAX_KEYS) return;
    this.running.set(invocationId, { key: `${functionName}.${action}`, requests: 0, transactions: 0, byAction: {} });
  }

  count(invocationId: string, body: unknown): void {
    const run = this.running.get(invocationId);
    if (!run) return;
    const action = typeof body === 'object' && body !== null ? String((body as { action?: unknown }).action) : '?';
    if (!action.startsWith('database.')) return;
    run.requests += 1;
    if (action === 'database.startTransaction') run.transactions += 1;
    run.byAction[action] = (run.byAction[action] ?? 0) + 1;
  }

  end(invocationId: string): void {
    const run = this.running.get(invocationId);
    if (!run) return;
    this.running.delete(invocationId);
    const total = this.totals.get(run.key) ?? {
      calls: 0,
      min: Infinity,
      max: 0,
      mean: 0,
      sum: 0,
      maxTransactions: 0,
      meanTransactions: 0,
      transactionSum: 0,
      lastByAction: {},
    };
    total.calls += 1;
    total.sum += run.requests;
    total.min = Math.min(total.min, run.requests);
    total.max = Math.max(total.max, run.requests);
    total.mean = total.sum / total.calls;
    total.maxTransactions = Math.max(total.maxTransactions, run.transactions);
    total.transactionSum += run.transactions;
    total.meanTransactions = total.transactionSum / total.calls;
    total.lastByAction = run.byAction;
    this.totals.set(run.key, total);
  }

  summary(): Record<string, RoundTripSummary> {
    const out: Record<string, RoundTripSummary> = {};
    for (const [key, { sum: _sum, transactionSum: _transactions, ...rest }] of this.totals) out[key] = rest;
    return out;
  }
}
