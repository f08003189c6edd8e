/**
 * "At most N a day" that holds under any concurrency. Each subject has one counter document per Nanning day with a
 * fixed id; it is read, checked and written in the same transaction that records the thing counted. Parallel
 * requests then all write that one document, so the cloud lets one commit at a time and the others retry (see
 * inTransaction) and see the new count: no more than N ever commit, however many arrive at once.
 */
import type { IsoDate } from '../../miniprogram/domain/core/dates';
import { DomainError } from '../../miniprogram/domain/core/errors';
import { nowIso, today } from './clock';
import { getById, setById, type Scope } from './db';
import type { DailyQuotaDoc } from './records';
import type { Tx } from './transaction';

export interface DailyQuota {
  readonly collection: string;
  /** The counter document: `<purpose>_<subject>_<day>`. */
  readonly id: string;
  readonly day: IsoDate;
  readonly limit: number;
  /** What the user reads when the day's quota is used up (RATE_LIMITED). */
  readonly message: string;
}

/** The quota of `subject` (a person id, a key of an openid…) for `purpose` on `day` (Asia/Shanghai; today by default). */
export function dailyQuota(options: {
  collection: string;
  purpose: string;
  subject: string;
  limit: number;
  message: string;
  day?: IsoDate;
}): DailyQuota {
  const day = options.day ?? today();
  return {
    collection: options.collection,
    id: `${options.purpose}_${options.subject}_${day}`,
    day,
    limit: options.limit,
    message: options.message,
  };
}

async function usedOf(scope: Scope, quota: DailyQuota): Promise<number> {
  const doc = await getById<DailyQuotaDoc>(scope, quota.collection, quota.id);
  return Number(doc?.count) || 0;
}

/**
 * Throws RATE_LIMITED when the day's quota is used up. In a transaction it holds for that transaction; outside one it
 * is only an early answer (before costly work), and the takeDailySlot that follows decides.
 */
export async function checkDailyQuota(scope: Scope, quota: DailyQuota): Promise<void> {
  if ((await usedOf(scope, quota)) >= quota.limit)
    throw new DomainError('RATE_LIMITED', quota.message, { limit: quota.limit });
}

/** Uses one of the day's `limit`, or throws RATE_LIMITED; call it inside the transaction that records the thing counted. */
export async function takeDailySlot(tx: Tx, quota: DailyQuota): Promise<void> {
  const used = await usedOf(tx, quota);
  if (used >= quota.limit) throw new DomainError('RATE_LIMITED', quota.message, { limit: quota.limit });
  await setById(tx, quota.collection, quota.id, { day: quota.day, count: used + 1, updatedAt: nowIso() });
}
