/** The `reminder` function: the user's one-time subscriptions per reminder kind, and what was sent. */
import type { ReminderCredits, ReminderStatusResult } from '../domain/reminder/contract';
import { type ReminderKind } from '../domain/reminder/reminders';
import { call } from './cloud';

/** Reports the kinds the user accepted in `wx.requestSubscribeMessage`: each accept lets the cloud send one message. */
export function reportSubscriptions(kinds: readonly ReminderKind[]): Promise<ReminderCredits> {
  return call('reminder', 'subscribe', { kinds });
}

export function getReminderStatus(): Promise<ReminderStatusResult> {
  return call('reminder', 'status', {});
}
