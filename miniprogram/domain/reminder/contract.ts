/** The reminder contract (`reminder` function): subscribe-message credits and what was sent. */

import type { IsoDate } from '../core/dates';
import type { Action, EmptyParams } from '../core/envelope';
import type { ReminderKind } from './reminders';

export interface SubscribeParams {
  /** The reminders the user accepted in `wx.requestSubscribeMessage` (each accept allows one message). */
  readonly kinds: readonly ReminderKind[];
}

export interface ReminderCredits {
  /** Messages the cloud may still send, per kind. */
  readonly credits: Readonly<Record<ReminderKind, number>>;
}

export interface SentReminderItem {
  readonly id: string;
  readonly kind: ReminderKind;
  readonly title: string;
  readonly status: 'sent' | 'failed' | 'claimed';
  readonly at: string;
}

export interface ReminderStatusResult extends ReminderCredits {
  /** The newest reminders sent to this account. */
  readonly sent: readonly SentReminderItem[];
}

/** What one run of the reminders timer did (also its return value, logged by the cloud). */
export interface ReminderSweepResult {
  readonly day: IsoDate;
  readonly users: number;
  readonly sent: number;
  readonly failed: number;
  /** Due, but the user had no subscription left for that kind. */
  readonly skippedNoCredit: number;
  /** Due, already sent (or being sent) by an earlier or overlapping run. */
  readonly alreadySent: number;
  /** Subscribers whose reminders could not be worked out this run (logged); the sweep went on past them. */
  readonly userErrors: number;
  /** The day's sweep reached the last subscriber. */
  readonly complete: boolean;
  /** How long this run allowed itself (from the function's time limit): past it, the next run resumes. */
  readonly budgetMs: number;
}

/** The `reminder` function's actions. */
export interface ReminderActions {
  readonly subscribe: Action<SubscribeParams, ReminderCredits>;
  readonly status: Action<EmptyParams, ReminderStatusResult>;
}
