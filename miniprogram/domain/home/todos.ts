/**
 * Which dates make a home to-do: a car's inspection and the driver's licence, both from the day the reminder would
 * announce them (30 and 90 days ahead) and on past the date, since an overdue inspection or an expired licence
 * needs doing more, not less. Pure: the server applies it with its own today.
 */

import { isIsoDate, daysBetween, type IsoDate } from '../core/dates';
import { RENEWAL_REMINDER_DAYS, type LicenceStatus } from '../licence/licence';
import { INSPECTION_REMINDER_DAYS } from '../reminder/reminders';

/** `daysLeft`: 0 on the last valid day, negative once past it. */
export interface DateTodo {
  readonly state: 'dueSoon' | 'overdue';
  readonly daysLeft: number;
}

/** Due soon within the reminder's window, overdue from the day after `inspectionDue`; a malformed date says nothing. */
export function inspectionTodo(inspectionDue: IsoDate, today: IsoDate): DateTodo | null {
  if (!isIsoDate(inspectionDue) || !isIsoDate(today)) return null;
  const daysLeft = daysBetween(today, inspectionDue);
  if (daysLeft < 0) return { state: 'overdue', daysLeft };
  return daysLeft <= INSPECTION_REMINDER_DAYS ? { state: 'dueSoon', daysLeft } : null;
}

/**
 * Renewal due within 90 days of `validUntil`, expired from the day after it or whenever the registry says `expired`;
 * a revoked or suspended licence is not renewed, so it is no renewal to-do.
 */
export function licenceTodo(
  licence: { readonly validUntil: IsoDate; readonly status: LicenceStatus },
  today: IsoDate,
): DateTodo | null {
  if (licence.status === 'revoked' || licence.status === 'suspended') return null;
  if (!isIsoDate(licence.validUntil) || !isIsoDate(today)) return null;
  const daysLeft = daysBetween(today, licence.validUntil);
  if (daysLeft < 0 || licence.status === 'expired') return { state: 'overdue', daysLeft };
  return daysLeft <= RENEWAL_REMINDER_DAYS ? { state: 'dueSoon', daysLeft } : null;
}
