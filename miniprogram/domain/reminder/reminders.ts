/**
 * Reminders by subscribe message (订阅消息): what is due for a driver on a day, each with a key that names the event
 * so it is sent once, and the message WeChat's template takes.
 *
 * Template ids come from the mini program's console (公众平台 → 功能 → 订阅消息). The ids below are the project's
 * placeholders, used as they are by the local cloud's sandbox: replace them with the real ones when deploying (the
 * page asks for them and the cloud function sends with them, both from this one table).
 */

import { messagePage, ROUTES } from '../routes';
import { addDays, daysBetween, shanghaiDate, type IsoDate } from '../core/dates';
import { formatYuan, PAYMENT_PERIOD_DAYS, SURCHARGE_PERCENT_PER_DAY } from '../violation/fees';
import { RENEWAL_REMINDER_DAYS } from '../licence/licence';

export const REMINDER_KINDS = [
  'newViolation',
  'licenceRenewal',
  'inspectionDue',
  'fineSurcharge',
  'moveCar',
  'refund',
] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * The kinds the daily sweep sends; `moveCar` goes out at once when someone asks (the server's move-car use case),
 * `refund` once WeChat Pay confirms a refund.
 */
export const SWEPT_REMINDER_KINDS: readonly ReminderKind[] = [
  'newViolation',
  'licenceRenewal',
  'inspectionDue',
  'fineSurcharge',
];

export function isReminderKind(value: unknown): value is ReminderKind {
  return typeof value === 'string' && (REMINDER_KINDS as readonly string[]).indexOf(value) >= 0;
}

export const REMINDER_TEMPLATE_IDS: Readonly<Record<ReminderKind, string>> = {
  newViolation: 'GUIA-TMPL-NEW-VIOLATION',
  licenceRenewal: 'GUIA-TMPL-LICENCE-RENEWAL',
  inspectionDue: 'GUIA-TMPL-INSPECTION-DUE',
  fineSurcharge: 'GUIA-TMPL-FINE-SURCHARGE',
  moveCar: 'GUIA-TMPL-MOVE-CAR',
  refund: 'GUIA-TMPL-REFUND',
};

export const REMINDER_TITLES: Readonly<Record<ReminderKind, string>> = {
  newViolation: '新违法记录提醒',
  licenceRenewal: '驾驶证换证提醒',
  inspectionDue: '机动车年检提醒',
  fineSurcharge: '罚款缴纳期限提醒',
  moveCar: '挪车通知',
  refund: '退款到账通知',
};

export function reminderKindOfTemplate(templateId: string): ReminderKind | null {
  return REMINDER_KINDS.find((kind) => REMINDER_TEMPLATE_IDS[kind] === templateId) ?? null;
}

/** Vehicle inspection: remind within this many days of the due date. */
export const INSPECTION_REMINDER_DAYS = 30;
/** A missed timer run still catches an event this many days late; after that it is no longer news. */
const REMINDER_CATCH_UP_DAYS = 3;
/** New violations: imported within this many days (and after the car was bound). */
export const NEW_VIOLATION_WINDOW_DAYS = 7;
/** A sweep run's budget when the platform did not say the function's time limit. */
export const SWEEP_DEFAULT_BUDGET_MS = 40_000;
/** Time kept back from the function's limit for the group of subscribers in flight and the progress write. */
const SWEEP_RESERVE_MS = 15_000;

/**
 * A sweep run stops starting new subscribers after this long, well inside the function's time limit, so it is never
 * killed between a claim and its send (that would spend a subscription on a message nobody got); the next run resumes.
 */
export function sweepBudgetMs(timeLimitMs: number | null): number {
  if (timeLimitMs === null || !Number.isFinite(timeLimitMs) || timeLimitMs <= 0) return SWEEP_DEFAULT_BUDGET_MS;
  return Math.max(timeLimitMs / 2, timeLimitMs - SWEEP_RESERVE_MS);
}

/** Most one-time subscriptions the cloud keeps per template and user (each accept in WeChat allows one message). */
export const MAX_REMINDER_CREDITS = 50;

export interface ReminderFacts {
  readonly licence: { readonly validUntil: IsoDate } | null;
  readonly cars: readonly {
    readonly vehicleId: string;
    readonly plate: string;
    readonly inspectionDue: IsoDate | null;
  }[];
  /** Unprocessed violations of the bound cars, with when the registry first sent them and when the car was bound (instants). */
  readonly violations: readonly {
    readonly violationId: string;
    readonly plate: string;
    readonly occurredAt: string;
    readonly place: string;
    readonly behaviour: string;
    readonly fine: number;
    readonly points: number;
    readonly receivedAt: string;
    readonly boundAt: string;
  }[];
  /** The driver's unpaid decisions. */
  readonly unpaidDecisions: readonly {
    readonly decisionId: string;
    readonly decisionNo: string;
    readonly decidedOn: IsoDate;
    readonly fine: number;
  }[];
}

/** WeChat template values: `{ key: { value } }`. */
export type TemplateData = Readonly<Record<string, { readonly value: string }>>;

export interface DueReminder {
  readonly kind: ReminderKind;
  /** Names the event: the same event never gets a second message. */
  readonly key: string;
  readonly data: TemplateData;
  /** The page the message opens. */
  readonly page: string;
}

/** WeChat's limits: thing ≤ 20 characters, car_number ≤ 8, phrase ≤ 5; longer values make the send fail. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function within(days: number, limit: number): boolean {
  return days >= 0 && days <= limit;
}

/** `2026-11-24T09:30:00+08:00` → `2026-11-24 09:30` (WeChat's time keyword). */
function templateTime(instant: string): string {
  return instant.slice(0, 16).replace('T', ' ');
}

/** Everything due for one driver on `today`, in a stable order. */
export function dueReminders(facts: ReminderFacts, today: IsoDate): DueReminder[] {
  const due: DueReminder[] = [];
  for (const v of facts.violations) {
    // Only news since the car was bound (to the instant: that morning's arrivals were on the list they bound it from).
    const received = Date.parse(v.receivedAt);
    if (
      !(received >= Date.parse(v.boundAt)) ||
      !within(daysBetween(shanghaiDate(received), today), NEW_VIOLATION_WINDOW_DAYS)
    )
      continue;
    due.push({
      kind: 'newViolation',
      key: `violation:${v.violationId}`,
      page: messagePage(ROUTES.violations),
      data: {
        car_number1: { value: clip(v.plate, 8) },
        time2: { value: templateTime(v.occurredAt) },
        thing3: { value: clip(v.behaviour, 20) },
        thing4: { value: clip(v.place, 20) },
        thing5: { value: clip(`罚款${formatYuan(v.fine, { symbol: false })}元，记${v.points}分`, 20) },
      },
    });
  }
  if (facts.licence && within(daysBetween(today, facts.licence.validUntil), RENEWAL_REMINDER_DAYS)) {
    due.push({
      kind: 'licenceRenewal',
      key: `licence:${facts.licence.validUntil}`,
      page: messagePage(ROUTES.licence),
      data: {
        date1: { value: facts.licence.validUntil },
        thing2: { value: clip('驾驶证即将到期，请及时换证', 20) },
      },
    });
  }
  for (const car of facts.cars) {
    if (car.inspectionDue === null || !within(daysBetween(today, car.inspectionDue), INSPECTION_REMINDER_DAYS))
      continue;
    due.push({
      kind: 'inspectionDue',
      key: `inspection:${car.vehicleId}:${car.inspectionDue}`,
      page: messagePage(ROUTES.vehicles),
      data: {
        car_number1: { value: clip(car.plate, 8) },
        date2: { value: car.inspectionDue },
        thing3: { value: clip('请在检验有效期内完成年检', 20) },
      },
    });
  }
  for (const d of facts.unpaidDecisions) {
    // Day 15 is the last day of the fine alone; from day 16 the surcharge accrues.
    const lastDay = addDays(d.decidedOn, PAYMENT_PERIOD_DAYS);
    if (!within(daysBetween(lastDay, today), REMINDER_CATCH_UP_DAYS)) continue;
    due.push({
      kind: 'fineSurcharge',
      key: `surcharge:${d.decisionId}`,
      page: messagePage(ROUTES.receipts),
      data: {
        character_string1: { value: d.decisionNo },
        amount2: { value: `${formatYuan(d.fine, { symbol: false })}元` },
        date3: { value: lastDay },
        thing4: { value: clip(`逾期每日加处罚款${SURCHARGE_PERCENT_PER_DAY}%`, 20) },
      },
    });
  }
  return due;
}
