/**
 * How the police's fault list is cut into pages and days: a report belongs to the Asia/Shanghai day it was filed on,
 * and its `createdAt` (ISO 8601 in UTC, as the cloud writes it) is compared as text with the day's bounds in the
 * same form.
 */
import { fromDayNumber, SHANGHAI_OFFSET_MS, toDayNumber, type IsoDate } from '../core/dates';
import { badField } from '../core/fields';

/** Reports on one page of the police's list. */
export const MAX_FAULT_PAGE = 100;
/** Deepest offset a page may start at: past it, narrow the filters. */
export const MAX_FAULT_OFFSET = 10_000;

/** The UTC hour a Shanghai day starts at, on the calendar day before (UTC+8 keeps no daylight saving). */
const DAY_START_UTC_HOUR = 24 - SHANGHAI_OFFSET_MS / 3_600_000;

/** The first instant of a Shanghai day, written as the cloud writes `createdAt` (toISOString's form). */
function dayStartIso(dayNumber: number): string {
  return `${fromDayNumber(dayNumber - 1)}T${String(DAY_START_UTC_HOUR).padStart(2, '0')}:00:00.000Z`;
}

export interface CreatedAtBounds {
  /** Inclusive. */
  readonly from?: string;
  /** Exclusive: the start of the day after `to`. */
  readonly before?: string;
}

/** `createdAt` bounds for the days `from` through `to` (either may be open); `to` before `from` is refused. */
export function createdAtBounds(from: IsoDate | undefined, to: IsoDate | undefined): CreatedAtBounds {
  const first = from === undefined ? undefined : toDayNumber(from, 'from');
  const last = to === undefined ? undefined : toDayNumber(to, 'to');
  if (first !== undefined && last !== undefined && last < first) throw badField('to', '结束日期不能早于开始日期。');
  return {
    ...(first === undefined ? {} : { from: dayStartIso(first) }),
    ...(last === undefined ? {} : { before: dayStartIso(last + 1) }),
  };
}
