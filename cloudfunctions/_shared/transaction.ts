import { db } from './cloud';
import type { Scope } from './db';
import { DomainError } from '../../miniprogram/domain/core/errors';

declare const transactionBrand: unique symbol;

/**
 * What a use case sees of a transaction: collections bound to it (single-document operations only). Only
 * `inTransaction` hands one out, so a helper that must run inside a transaction cannot be given the plain database.
 */
export type Tx = Scope & { readonly [transactionBrand]: true };

const DEFAULT_ATTEMPTS = 5;

/**
 * Runs `work` in one database transaction, retrying when another transaction wrote the same documents first.
 * wx-server-sdk's own runTransaction retries only conflicts reported at commit; a conflict reported at the write
 * itself reaches us wrapped (errCode -501001 with the cloud's code in the message), so both are recognised here.
 * A DomainError thrown by `work` rolls the transaction back and is rethrown as it is.
 */
export async function inTransaction<T>(work: (tx: Tx) => Promise<T>, attempts = DEFAULT_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      // 0: the SDK retries nothing itself; all retries happen here, where both kinds of conflict are seen.
      return await db.runTransaction(async (scope: Scope) => work(scope as Tx), 0);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (!isConflict(error)) throw error;
      if (attempt >= attempts) throw new DomainError('CONFLICT');
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt, Math.random())));
    }
  }
}

/** The longest wait before a retry: several transactions' time, well inside a function's time limit over 30 tries. */
export const MAX_RETRY_DELAY_MS = 200;

/**
 * How long to wait after the `attempt`-th conflict, given a random number in [0, 1): anywhere up to a ceiling that
 * doubles each time (20, 40, 80, 160 ms, then 200). A burst of callers on one document spreads out after a few
 * conflicts instead of colliding again in lockstep, so fewer attempts are wasted; a first conflict waits at most 20 ms.
 */
export function retryDelayMs(attempt: number, random: number): number {
  const doublings = Number.isFinite(attempt) ? Math.min(Math.max(attempt, 1), 8) : 8;
  const fraction = random > 0 ? Math.min(random, 1) : 0;
  return Math.floor(fraction * Math.min(MAX_RETRY_DELAY_MS, 10 * 2 ** doublings));
}

export function isConflict(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errMsg, message } = error as { code?: unknown; errMsg?: unknown; message?: unknown };
  if (code === 'DATABASE_TRANSACTION_CONFLICT') return true;
  const text = `${typeof errMsg === 'string' ? errMsg : ''} ${typeof message === 'string' ? message : ''}`;
  return text.includes('DATABASE_TRANSACTION_CONFLICT');
}
