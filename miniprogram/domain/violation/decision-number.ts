/**
 * Decision numbers (处罚决定书编号): 16 digits = Nanning's area code 450100 + 9-digit sequence + 1 check digit.
 *
 * Check digit: the Damm algorithm (H. M. Damm, 2004) over the first 15 digits. Start with interim 0; for each
 * digit d, interim = TABLE[interim][d]; the check digit is the final interim, so a valid number runs to 0 over all 16
 * digits. The table is a totally anti-symmetric quasigroup of order 10, which detects every single-digit error and
 * every transposition of adjacent digits (Luhn misses 09↔90) with one digit and no letters.
 */

import { DomainError } from '../core/errors';

const DECISION_AREA_CODE = '450100';
const DECISION_SEQUENCE_DIGITS = 9;
const DECISION_NUMBER_LENGTH = 16;
const MAX_DECISION_SEQUENCE = 999_999_999;

/** Damm's quasigroup (row: interim digit, column: next digit). */
export const DAMM_TABLE: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

function dammInterim(digits: string): number {
  let interim = 0;
  for (let i = 0; i < digits.length; i += 1) {
    interim = DAMM_TABLE[interim]?.[Number(digits.charAt(i))] ?? 0;
  }
  return interim;
}

/** The Damm check digit of a digit string (null if it contains anything but digits). */
export function dammCheckDigit(digits: string): number | null {
  if (!/^\d*$/.test(digits)) return null;
  return dammInterim(digits);
}

/** Whether a digit string (payload + its check digit) passes Damm's check. */
export function isDammValid(digits: string): boolean {
  return /^\d+$/.test(digits) && dammInterim(digits) === 0;
}

/** `450100` + the 9-digit zero-padded sequence + check digit. The sequence is a counter, so a bad one is a bug. */
export function formatDecisionNumber(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0 || sequence > MAX_DECISION_SEQUENCE) {
    throw new DomainError('INTERNAL', undefined, { field: 'sequence', limit: MAX_DECISION_SEQUENCE });
  }
  const payload = DECISION_AREA_CODE + String(sequence).padStart(DECISION_SEQUENCE_DIGITS, '0');
  return payload + String(dammInterim(payload));
}

export function isValidDecisionNumber(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length === DECISION_NUMBER_LENGTH &&
    value.slice(0, 6) === DECISION_AREA_CODE &&
    isDammValid(value)
  );
}

/** The sequence of a valid decision number, or null. */
export function decisionSequence(value: unknown): number | null {
  if (!isValidDecisionNumber(value)) return null;
  return Number(value.slice(6, 6 + DECISION_SEQUENCE_DIGITS));
}
