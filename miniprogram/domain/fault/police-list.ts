/**
 * How the police's fault list is cut into pages and days: a report belongs to the Asia/Shanghai day it was filed on,
 * and its `createdAt` (ISO 8601 in UTC, as the cloud writes it) is compared as text with the day's bounds in the
 * same form.
 */
import { SHANGHAI_OFFSET_MS, toDayNumber, type IsoDate } from '../core/dates';
import { badField } from '../core/fields';

/** Reports on one page of the police's list. */
export const MAX_FAULT_PAGE = 100;
/** Deepest offset a page may start at: past it, narrow the filters. */
export const MAX_FAULT_OFFSET = 10_000;

const MS_PER_DAY = 86_400_000;

/** The first instant of a Shanghai day, written as the cloud writes `createdAt`. */
function dayStartIso(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY - SHANGHAI_OFFSET_MS).toISOString();
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
