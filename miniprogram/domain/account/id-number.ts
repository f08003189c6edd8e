/**
 * Resident ID number (GB 11643-1999, 18 characters), checked locally before any call to WeChat:
 * 6-digit area code, 8-digit birth date (a real date, not after `today`), 3-digit sequence, 1 check character.
 * Only what the rules state (docs/RULES.md) is checked: the area code must be 6 digits, not a known region (codes change over time).
 */

import { dayNumberFromCivil, formatIsoDate, isRealDate, toDayNumber, type IsoDate } from '../core/dates';

export type IdNumberFailureReason =
  | 'FORMAT' // not 17 digits + a digit or X after trimming
  | 'BIRTH_DATE_INVALID' // no such day, e.g. 30 February
  | 'BIRTH_DATE_FUTURE' // after today
  | 'CHECKSUM'; // the 18th character does not match the first 17

export const ID_NUMBER_FAILURE_MESSAGES: Readonly<Record<IdNumberFailureReason, string>> = {
  FORMAT: '身份证号码应为 18 位：前 17 位是数字，最后一位是数字或字母 X。',
  BIRTH_DATE_INVALID: '身份证号码中的出生日期不是一个真实的日期，请核对。',
  BIRTH_DATE_FUTURE: '身份证号码中的出生日期晚于今天，请核对。',
  CHECKSUM: '身份证号码校验位不正确，请逐位核对后重新输入。',
};

export interface ValidIdNumber {
  readonly ok: true;
  /** Upper-case X, no surrounding spaces. */
  readonly idNumber: string;
  readonly areaCode: string;
  readonly birthDate: IsoDate;
  readonly sequence: string;
  /** An odd sequence is a man, even a woman (GB 11643-1999 §4.5). */
  readonly sex: 'male' | 'female';
}

export interface InvalidIdNumber {
  readonly ok: false;
  readonly reason: IdNumberFailureReason;
  readonly message: string;
}

export type IdNumberCheck = ValidIdNumber | InvalidIdNumber;

/** Weights of the first 17 digits (2^(18-i) mod 11). */
const ID_CHECK_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character indexed by (weighted sum mod 11). */
const ID_CHECK_CHARS = '10X98765432';

const ID_SHAPE = /^\d{17}[\dX]$/;

/** Trim and upper-case the optional trailing x; does not validate. */
function normaliseIdNumber(input: string): string {
  return input.trim().toUpperCase();
}

/** The check character for the first 17 digits, or null if they are not 17 digits. */
export function idCheckChar(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) {
    sum += Number(first17.charAt(i)) * (ID_CHECK_WEIGHTS[i] ?? 0);
  }
  return ID_CHECK_CHARS.charAt(sum % 11);
}

function invalid(reason: IdNumberFailureReason): InvalidIdNumber {
  return { ok: false, reason, message: ID_NUMBER_FAILURE_MESSAGES[reason] };
}

/** Full local check. `today` is the Asia/Shanghai date the caller takes as now (birth on `today` is allowed). */
export function checkIdNumber(input: string, today: IsoDate): IdNumberCheck {
  const todayNumber = toDayNumber(today, 'today');
  if (typeof input !== 'string' || input.length > 64) return invalid('FORMAT');
  const idNumber = normaliseIdNumber(input);
  if (!ID_SHAPE.test(idNumber)) return invalid('FORMAT');
  const year = Number(idNumber.slice(6, 10));
  const month = Number(idNumber.slice(10, 12));
  const day = Number(idNumber.slice(12, 14));
  if (!isRealDate(year, month, day)) return invalid('BIRTH_DATE_INVALID');
  if (dayNumberFromCivil(year, month, day) > todayNumber) return invalid('BIRTH_DATE_FUTURE');
  if (idCheckChar(idNumber.slice(0, 17)) !== idNumber.charAt(17)) return invalid('CHECKSUM');
  const sequence = idNumber.slice(14, 17);
  return {
    ok: true,
    idNumber,
    areaCode: idNumber.slice(0, 6),
    birthDate: formatIsoDate({ year, month, day }),
    sequence,
    sex: Number(sequence) % 2 === 1 ? 'male' : 'female',
  };
}

export function isValidIdNumber(input: string, today: IsoDate): boolean {
  return checkIdNumber(input, today).ok;
}

/** `450***********123X`: first 3 and last 4 kept; anything of 7 characters or fewer is masked whole. */
export function maskIdNumber(idNumber: string): string {
  const chars = Array.from(normaliseIdNumber(idNumber));
  if (chars.length <= 7) return '*'.repeat(chars.length);
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

/** `张*`, `欧阳**`: first character kept, one `*` per remaining character; a one-character name becomes `*`. */
export function maskName(name: string): string {
  // Array.from counts characters outside the BMP (rare surname characters) as one
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return (chars[0] ?? '') + '*'.repeat(chars.length - 1);
}
