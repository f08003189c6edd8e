/**
 * Asking for reminders by subscribe message (订阅消息): WeChat's panel → the kinds the user accepted → the cloud
 * keeps one message per accept. WeChat opens the panel only from a tap (base library ≥ 2.8.2), so call
 * `askReminders` synchronously inside the tap handler, before anything is awaited.
 */
import {
  REMINDER_KINDS,
  REMINDER_TEMPLATE_IDS,
  REMINDER_TITLES,
  reminderKindOfTemplate,
  type ReminderKind,
} from '../domain/reminder/reminders';
import { errorMessage } from '../services/errors';
import { reportSubscriptions } from '../services/reminder';

/** Templates one panel may hold: 3 on older WeChat clients (5 on newer), so never more than 3. */
const MAX_TEMPLATES_PER_ASK = 3;

export type AskOutcome =
  /** The cloud recorded the accepted kinds; `credits` = messages it may now send, per kind. */
  | {
      readonly status: 'subscribed';
      readonly accepted: readonly ReminderKind[];
      readonly credits: Readonly<Record<ReminderKind, number>>;
    }
  /** Nothing accepted: refused, the panel closed, subscriptions switched off, or a WeChat too old. Not an error. */
  | { readonly status: 'declined' }
  /** Accepted in WeChat, but the cloud could not record it (network, not registered). */
  | { readonly status: 'failed'; readonly accepted: readonly ReminderKind[]; readonly message: string };

/** WeChat's answer (template id → 'accept' | 'reject' | 'ban' | 'filter'), or null when it failed or is missing. */
function requestTemplates(tmplIds: readonly string[]): Promise<Readonly<Record<string, string>> | null> {
  // the executor runs at once, so wx.requestSubscribeMessage is still called inside the caller's tap
  return new Promise((resolve) => {
    try {
      wx.requestSubscribeMessage({
        tmplIds: tmplIds.slice(),
        success: (res) => resolve(res),
        fail: () => resolve(null),
      });
    } catch {
      resolve(null);
    }
  });
}

/** The asked kinds WeChat says the user accepted, in REMINDER_KINDS order. */
function acceptedKinds(answer: Readonly<Record<string, string>>, asked: readonly ReminderKind[]): ReminderKind[] {
  const accepted = new Set<ReminderKind>();
  Object.keys(answer).forEach((templateId) => {
    const kind = reminderKindOfTemplate(templateId);
    if (kind !== null && answer[templateId] === 'accept' && asked.indexOf(kind) >= 0) accepted.add(kind);
  });
  return REMINDER_KINDS.filter((kind) => accepted.has(kind));
}

/** Shows WeChat's panel for `kinds` (the first 3), then reports what was accepted. Never rejects. */
export function askReminders(kinds: readonly ReminderKind[]): Promise<AskOutcome> {
  const asked = kinds.filter((kind, i) => kinds.indexOf(kind) === i).slice(0, MAX_TEMPLATES_PER_ASK);
  return requestTemplates(asked.map((kind) => REMINDER_TEMPLATE_IDS[kind])).then(
    async (answer): Promise<AskOutcome> => {
      const accepted = answer === null ? [] : acceptedKinds(answer, asked);
      if (accepted.length === 0) return { status: 'declined' };
      try {
        const { credits } = await reportSubscriptions(accepted);
        return { status: 'subscribed', accepted, credits };
      } catch (error: unknown) {
        return { status: 'failed', accepted, message: errorMessage(error) };
      }
    },
  );
}

function reminderTitles(kinds: readonly ReminderKind[]): string {
  return kinds.map((kind) => REMINDER_TITLES[kind]).join('、');
}

/** One sentence for the page's notice strip, and its theme. */
export function askOutcomeNotice(outcome: AskOutcome): {
  readonly text: string;
  readonly theme: 'success' | 'info' | 'error';
} {
  switch (outcome.status) {
    case 'subscribed':
      return {
        text: `已开启${reminderTitles(outcome.accepted)}，到时将通过微信服务通知提醒您一次。`,
        theme: 'success',
      };
    case 'declined':
      return { text: '未开启提醒。您可以随时在“提醒设置”中开启。', theme: 'info' };
    case 'failed':
      return { text: `提醒未能开启：${outcome.message}`, theme: 'error' };
  }
}
