/**
 * Scoring cycle (记分周期, 公安部令第163号, in force 2022-04-01): 12 months from the licence's first-issue date,
 * repeating; 12 points is full marks.
 *
 * Convention: cycle k starts on the k-th anniversary of the first-issue date and ends (inclusive) the day before the
 * next one starts. Twelve-month steps keep the month, so month-end days (31 Jan, 30 Apr…) always exist; the only
 * missing anniversary is 29 February in a common year, where the cycle starts on 1 March (so the cycle before it
 * ends on 28 February, the month's last day — as the Civil Code reckons a period with no corresponding day).
 * Example, first issue 2020-02-29: 2020-02-29…2021-02-28, 2021-03-01…2022-02-28, …, 2024-02-29…2025-02-28.
 */

import {
  dayNumberFromCivil,
  formatIsoDate,
  fromDayNumber,
  isLeapYear,
  parseIsoDate,
  type IsoDate,
} from '../core/dates';
import { DomainError } from '../core/errors';

export const FULL_MARKS = 12;
/** Points a violation can carry under Order 163. */
export const POINT_VALUES: readonly number[] = [12, 9, 6, 3, 1];
/** Also 0: a fine-only violation. */
export const ALLOWED_VIOLATION_POINTS: readonly number[] = [0, 1, 3, 6, 9, 12];

export function isAllowedPointValue(points: unknown): points is number {
  return typeof points === 'number' && ALLOWED_VIOLATION_POINTS.indexOf(points) >= 0;
}

export interface ScoringCycle {
  /** First day of the cycle (inclusive). */
  readonly start: IsoDate;
  /** Last day of the cycle (inclusive). */
  readonly end: IsoDate;
  /** 0 for the cycle that starts on the first-issue date. */
  readonly index: number;
}

function parseOrThrow(date: IsoDate, field: string): { year: number; month: number; day: number } {
  const civil = parseIsoDate(date);
  if (civil === null) {
    throw new DomainError('INVALID_ARGUMENT', `日期“${date}”格式有误，应为 YYYY-MM-DD 的真实日期。`, { field });
  }
  return civil;
}

/** Day number of the start of cycle `index` for a first-issue month/day. */
function cycleStartDay(firstYear: number, month: number, day: number, index: number): number {
  const year = firstYear + index;
  if (month === 2 && day === 29 && !isLeapYear(year)) return dayNumberFromCivil(year, 3, 1);
  return dayNumberFromCivil(year, month, day);
}

/**
 * The cycle `index` (0-based) of a licence first issued on `firstIssueDate`.
 */
export function scoringCycleAt(firstIssueDate: IsoDate, index: number): ScoringCycle {
  const first = parseOrThrow(firstIssueDate, 'firstIssueDate');
  if (!Number.isInteger(index) || index < 0 || first.year + index + 1 > 9999) {
    throw new DomainError('INVALID_ARGUMENT', '记分周期序号有误。', { field: 'index' });
  }
  const start = cycleStartDay(first.year, first.month, first.day, index);
  const nextStart = cycleStartDay(first.year, first.month, first.day, index + 1);
  return { start: fromDayNumber(start), end: fromDayNumber(nextStart - 1), index };
}

/**
 * The cycle containing `today`. A first-issue date after today (registry data ahead of the clock) yields the first
 * cycle rather than failing, so a profile page still renders.
 */
export function scoringCycle(firstIssueDate: IsoDate, today: IsoDate): ScoringCycle {
  const first = parseOrThrow(firstIssueDate, 'firstIssueDate');
  const now = parseOrThrow(today, 'today');
  const todayNumber = dayNumberFromCivil(now.year, now.month, now.day);
  let index = Math.max(0, now.year - first.year);
  // the anniversary in today's year may still be ahead: then today belongs to the previous cycle
  while (index > 0 && cycleStartDay(first.year, first.month, first.day, index) > todayNumber) index -= 1;
  return scoringCycleAt(formatIsoDate(first), index);
}

/** Points left before full marks (never negative; carried-over points can exceed 12). */
export function pointsRemaining(cyclePoints: number): number {
  return Math.max(0, FULL_MARKS - cyclePoints);
}

/** Whether adding `points` to the cycle's points stays below full marks — the online-processing limit. */
export function staysBelowFullMarks(cyclePoints: number, points: number): boolean {
  return cyclePoints + points < FULL_MARKS;
}
