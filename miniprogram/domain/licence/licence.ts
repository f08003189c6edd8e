/**
 * Driving licence (驾驶证): permitted classes (准驾车型) and validity.
 * A licence may carry several classes written together (`C1E`, `A2D`, `B2E`); each is read separately.
 */

import { daysBetween, toDayNumber, type IsoDate } from '../core/dates';

export const LICENCE_CLASSES = [
  'A1',
  'A2',
  'A3',
  'B1',
  'B2',
  'C1',
  'C2',
  'C3',
  'C4',
  'C5',
  'C6',
  'D',
  'E',
  'F',
  'M',
  'N',
  'P',
] as const;

export type LicenceClass = (typeof LICENCE_CLASSES)[number];

/**
 * Classes that may drive a small car: C1 or higher. C2 (automatic only) is accepted because the plate type does
 * not say whether the car is automatic (an interpretation: docs/RULES.md).
 */
const SMALL_CAR_CLASSES: readonly LicenceClass[] = ['A1', 'A2', 'A3', 'B1', 'B2', 'C1', 'C2'];

export const LICENCE_STATUSES = ['valid', 'expired', 'revoked', 'suspended'] as const;
export type LicenceStatus = (typeof LICENCE_STATUSES)[number];

/** Days before expiry from which the renewal reminder is sent. */
export const RENEWAL_REMINDER_DAYS = 90;

function isLicenceClass(value: unknown): value is LicenceClass {
  return typeof value === 'string' && (LICENCE_CLASSES as readonly string[]).indexOf(value) >= 0;
}

export function isLicenceStatus(value: unknown): value is LicenceStatus {
  return typeof value === 'string' && (LICENCE_STATUSES as readonly string[]).indexOf(value) >= 0;
}

/**
 * Split a class string as the registry writes it (`C1`, `C1E`, `A1A2`, `c1 e`) into classes, or null if any part is
 * not a known class. Two-character classes are matched before one-character ones.
 */
export function parseLicenceClasses(text: string): LicenceClass[] | null {
  if (typeof text !== 'string' || text.length > 32) return null;
  const compact = text.toUpperCase().replace(/[\s,，、/]+/g, '');
  if (compact === '') return null;
  const classes: LicenceClass[] = [];
  let i = 0;
  while (i < compact.length) {
    const two = compact.slice(i, i + 2);
    const one = compact.charAt(i);
    if (isLicenceClass(two)) {
      if (classes.indexOf(two) < 0) classes.push(two);
      i += 2;
    } else if (isLicenceClass(one)) {
      if (classes.indexOf(one) < 0) classes.push(one);
      i += 1;
    } else {
      return null;
    }
  }
  return classes;
}

/** Whether a class string (one class or several written together) includes a small-car class. */
export function mayDriveSmallCar(licenceClass: string): boolean {
  const classes = parseLicenceClasses(licenceClass);
  return classes !== null && classes.some((c) => SMALL_CAR_CLASSES.indexOf(c) >= 0);
}

export interface LicenceValidityFacts {
  readonly status: LicenceStatus;
  /** Last day the licence is valid (inclusive). */
  readonly validUntil: IsoDate;
}

export type LicenceInvalidReason = 'EXPIRED' | 'REVOKED' | 'SUSPENDED';

export type LicenceValidity =
  { readonly valid: true } | { readonly valid: false; readonly reason: LicenceInvalidReason };

/** Valid = status `valid` and `today` not after `validUntil` (the registry's last valid day counts as valid). */
export function licenceValidity(licence: LicenceValidityFacts, today: IsoDate): LicenceValidity {
  if (licence.status === 'revoked') return { valid: false, reason: 'REVOKED' };
  if (licence.status === 'suspended') return { valid: false, reason: 'SUSPENDED' };
  if (licence.status !== 'valid') return { valid: false, reason: 'EXPIRED' };
  if (toDayNumber(today, 'today') > toDayNumber(licence.validUntil, 'validUntil'))
    return { valid: false, reason: 'EXPIRED' };
  return { valid: true };
}

export function isLicenceValid(licence: LicenceValidityFacts, today: IsoDate): boolean {
  return licenceValidity(licence, today).valid;
}

/** Days from today to the last valid day (0 on that day, negative once expired). */
export function daysUntilExpiry(validUntil: IsoDate, today: IsoDate): number {
  return daysBetween(today, validUntil);
}

/** Renewal reminder: within 90 days of expiry (today through validUntil), not once expired. */
export function isRenewalDue(validUntil: IsoDate, today: IsoDate): boolean {
  const days = daysUntilExpiry(validUntil, today);
  return days >= 0 && days <= RENEWAL_REMINDER_DAYS;
}
