/**
 * Fines and the late surcharge (加处罚款, 行政处罚法 第72条). All amounts are integer fen.
 *
 * Day counting (Asia/Shanghai calendar days): the decision date is day 0; days 1–15 are the payment period with no
 * surcharge; day 16 is the first charged day. On day d the surcharge is (d − 15) × floor(3% × fine), capped at the fine.
 * E.g. decision 2025-03-01: pay by 2025-03-16 (day 15) for the fine alone; on 2025-03-17 (day 16) 3% is added.
 * For a batch decision the surcharge is computed once on the decision's total fine.
 */

import { toDayNumber, type IsoDate } from '../core/dates';
import { DomainError } from '../core/errors';

/** The largest fine (fen) a violation may carry to be processed online: 200 yuan. */
export const ONLINE_FINE_LIMIT_FEN = 20_000;
/** Days after the decision in which the fine alone is due. */
export const PAYMENT_PERIOD_DAYS = 15;
/** Surcharge per charged day, as a percentage of the fine. */
export const SURCHARGE_PERCENT_PER_DAY = 3;
/** A sanity bound for one fine or one decision's total (1,000,000 yuan), so arithmetic stays exact. */
export const MAX_AMOUNT_FEN = 100_000_000;

export function isValidFen(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_AMOUNT_FEN;
}

function requireFen(value: number, field: string): number {
  if (!isValidFen(value)) {
    throw new DomainError('INVALID_ARGUMENT', '金额有误：应为不小于 0 的整数（单位：分）。', { field });
  }
  return value;
}

/** One charged day's surcharge: 3% of the fine, rounded down to the fen. */
export function dailySurcharge(fine: number): number {
  return Math.floor((requireFen(fine, 'fine') * SURCHARGE_PERCENT_PER_DAY) / 100);
}

/** Charged days on day `daysSinceDecision` (0 up to day 15, 1 on day 16, …); negative days (clock skew) charge 0. */
export function chargedDays(daysSinceDecision: number): number {
  if (!Number.isFinite(daysSinceDecision)) {
    throw new DomainError('INVALID_ARGUMENT', '天数有误。', { field: 'daysSinceDecision' });
  }
  return Math.max(0, Math.floor(daysSinceDecision) - PAYMENT_PERIOD_DAYS);
}

/** The surcharge on day `daysSinceDecision` after the decision date. */
export function surchargeAfterDays(fine: number, daysSinceDecision: number): number {
  const perDay = dailySurcharge(fine);
  const days = chargedDays(daysSinceDecision);
  return Math.min(fine, days * perDay);
}

/** The surcharge owed on `today` for a decision dated `decisionDate`. */
export function lateSurcharge(fine: number, decisionDate: IsoDate, today: IsoDate): number {
  return surchargeAfterDays(fine, toDayNumber(today, 'today') - toDayNumber(decisionDate, 'decisionDate'));
}

/** Fine + surcharge on `today`: what the payment order is created for. */
export function amountDue(fine: number, decisionDate: IsoDate, today: IsoDate): number {
  return fine + lateSurcharge(fine, decisionDate, today);
}

/** Split of what is due, for display. */
export interface AmountBreakdown {
  readonly fine: number;
  readonly surcharge: number;
  readonly total: number;
  readonly chargedDays: number;
}

export function amountBreakdown(fine: number, decisionDate: IsoDate, today: IsoDate): AmountBreakdown {
  const days = toDayNumber(today, 'today') - toDayNumber(decisionDate, 'decisionDate');
  const surcharge = surchargeAfterDays(fine, days);
  return { fine, surcharge, total: fine + surcharge, chargedDays: chargedDays(days) };
}

/** Sum of fines (fen), each checked; the total is checked against the sanity bound too. */
export function sumFen(amounts: readonly number[]): number {
  let total = 0;
  amounts.forEach((amount, i) => {
    total += requireFen(amount, `amounts[${i}]`);
  });
  return requireFen(total, 'total');
}

/** `¥200.00`; negative amounts as `-¥1.50`. Integer arithmetic only. */
export function formatYuan(fen: number, options: { readonly symbol?: boolean } = {}): string {
  if (!Number.isSafeInteger(fen)) {
    throw new DomainError('INVALID_ARGUMENT', '金额有误：应为整数（单位：分）。', { field: 'fen' });
  }
  const abs = Math.abs(fen);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return `${fen < 0 ? '-' : ''}${options.symbol === false ? '' : '¥'}${text}`;
}

/** Parse a yuan amount (`200`, `200.5`, `200.05`, `¥1,200.00`) into fen exactly, or null. */
export function parseYuanToFen(text: string): number | null {
  if (typeof text !== 'string' || text.length > 32) return null;
  const m = /^(?:¥|￥)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (m === null) return null;
  const yuan = Number((m[1] ?? '').replace(/,/g, ''));
  const cents = Number((m[2] ?? '').padEnd(2, '0'));
  const fen = yuan * 100 + cents;
  return isValidFen(fen) ? fen : null;
}
