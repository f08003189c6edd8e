/**
 * Calendar dates as `YYYY-MM-DD` strings and day numbers (days since 1970-01-01), by pure arithmetic.
 * Never JS local time: the mini program and the cloud run in different time zones, the rules are in Asia/Shanghai
 * (UTC+8 all year, no daylight saving since 1991), so an instant becomes a date only through `shanghaiDate`.
 */

import { DomainError } from './errors';

/** A calendar date `YYYY-MM-DD` (years 0000–9999). */
export type IsoDate = string;

export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const MS_PER_DAY = 86_400_000;
/** Asia/Shanghai is UTC+8 without daylight saving. */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    year >= 0 &&
    year <= 9999 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** `YYYY-MM-DD` that names a real day (no 30 Feb), or null. */
export function parseIsoDate(text: string): CivilDate | null {
  const match = ISO_DATE.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return isRealDate(year, month, day) ? { year, month, day } : null;
}

export function isIsoDate(value: unknown): value is IsoDate {
  return typeof value === 'string' && parseIsoDate(value) !== null;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function formatIsoDate(date: CivilDate): IsoDate {
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayNumberFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Inverse of dayNumberFromCivil (H. Hinnant's civil_from_days). */
export function civilFromDayNumber(dayNumber: number): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Day number of a `YYYY-MM-DD`; a malformed or unreal date is a DomainError naming `field`. */
export function toDayNumber(date: IsoDate, field = 'date'): number {
  const civil = parseIsoDate(date);
  if (civil === null) {
    throw new DomainError('INVALID_ARGUMENT', `日期“${date}”格式有误，应为 YYYY-MM-DD 的真实日期。`, { field });
  }
  return dayNumberFromCivil(civil.year, civil.month, civil.day);
}

export function fromDayNumber(dayNumber: number): IsoDate {
  return formatIsoDate(civilFromDayNumber(dayNumber));
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to, 'to') - toDayNumber(from, 'from');
}

/** -1, 0 or 1; `YYYY-MM-DD` strings of valid dates compare like their day numbers. */
export function compareIsoDates(a: IsoDate, b: IsoDate): number {
  const diff = toDayNumber(a, 'a') - toDayNumber(b, 'b');
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

/** The Asia/Shanghai calendar date of an instant (epoch milliseconds) — how the cloud function derives "today". */
export function shanghaiDate(epochMs: number): IsoDate {
  return fromDayNumber(Math.floor((epochMs + SHANGHAI_OFFSET_MS) / MS_PER_DAY));
}

/** An instant as Asia/Shanghai wall-clock ISO 8601 with offset: `2025-03-01T08:05:09+08:00`. */
export function shanghaiDateTime(epochMs: number): string {
  const local = Math.floor(epochMs) + SHANGHAI_OFFSET_MS;
  const dayNumber = Math.floor(local / MS_PER_DAY);
  const secondOfDay = Math.floor((local - dayNumber * MS_PER_DAY) / 1000);
  const hh = Math.floor(secondOfDay / 3600);
  const mm = Math.floor((secondOfDay % 3600) / 60);
  const ss = secondOfDay % 60;
  return `${fromDayNumber(dayNumber)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}+08:00`;
}

/** An instant to the millisecond as Asia/Shanghai ISO 8601: `2025-03-01T08:05:09.250+08:00` (watermarks compare it). */
export function shanghaiInstant(epochMs: number): string {
  const whole = shanghaiDateTime(epochMs);
  const millis = ((Math.floor(epochMs) % 1000) + 1000) % 1000;
  return `${whole.slice(0, 19)}.${pad(millis, 3)}${whole.slice(19)}`;
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Epoch milliseconds of an ISO 8601 date-time, or null if malformed or unreal.
 * Without an offset the wall clock is read as Asia/Shanghai (the police registry's local time).
 */
export function parseInstant(text: string): number | null {
  if (text.length > 40) return null;
  const m = ISO_DATE_TIME.exec(text);
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (!isRealDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const offsetMs = parseOffset(m[8]);
  if (offsetMs === null) return null;
  const wallMs =
    dayNumberFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  return wallMs - offsetMs;
}

function parseOffset(text: string | undefined): number | null {
  if (text === undefined) return SHANGHAI_OFFSET_MS;
  if (text === 'Z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 14 || minutes > 59) return null;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** WeChat Pay's `timeEnd` (`yyyyMMddHHmmss`, Beijing time) as epoch milliseconds, or null. */
export function parseCompactShanghaiTime(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (m === null) return null;
  return parseInstant(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
}
