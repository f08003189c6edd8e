/** Parsers of the `reminder` function's actions. */

import { badField } from '../../../miniprogram/domain/core/fields';
import type { ReminderActions } from '../../../miniprogram/domain/reminder/contract';
import { type ReminderKind, REMINDER_KINDS, isReminderKind } from '../../../miniprogram/domain/reminder/reminders';
import type { Parsers } from '../parse/fields';
import type { FieldReader } from '../parse/reader';

function readReminderKinds(reader: FieldReader): ReminderKind[] {
  const kinds = reader.stringArray('kinds', { minItems: 1, maxItems: REMINDER_KINDS.length * 2, item: { max: 32 } });
  const unknown = kinds.findIndex((kind) => !isReminderKind(kind));
  if (unknown >= 0) throw badField(`${reader.path('kinds')}[${unknown}]`, '不支持的提醒类型。');
  return [...new Set(kinds)].filter(isReminderKind);
}

export const reminderParsers: Parsers<ReminderActions> = {
  subscribe: (r) => ({ kinds: readReminderKinds(r) }),
  status: () => ({}),
};
