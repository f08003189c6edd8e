/**
 * Reminders: the user's one-time subscriptions (one message each), and the daily sweep that finds what is due and
 * sends each event once. "Once" holds under a doubled or overlapping timer because every message is first claimed in
 * a transaction that creates its log document (fixed id per user and event) and spends the subscription; only the
 * run that committed the claim sends. A crash between claim and send loses that message rather than doubling it.
 */
import { addDays, type IsoDate } from '../../../miniprogram/domain/core/dates';
import {
  dueReminders,
  MAX_REMINDER_CREDITS,
  NEW_VIOLATION_WINDOW_DAYS,
  REMINDER_KINDS,
  REMINDER_TEMPLATE_IDS,
  REMINDER_TITLES,
  SWEEP_DEFAULT_BUDGET_MS,
  SWEPT_REMINDER_KINDS,
  type DueReminder,
  type ReminderFacts,
  type ReminderKind,
} from '../../../miniprogram/domain/reminder/reminders';
import { command } from '../cloud';
import { nowIso, nowMs, today } from '../clock';
import { COLLECTIONS } from '../collections';
import { database, find, getById, setById, updateById } from '../db';
import { keyOf } from '../ids';
import { cloudMessages, ERRCODE_NO_SUBSCRIPTION, MessageSendError, type MessagePort } from '../ports/messages';
import type {
  BindingEntry,
  DecisionDoc,
  ReminderLogDoc,
  ReminderSweepDoc,
  SubscriptionDoc,
  VehicleDoc,
  ViolationDoc,
} from '../records';
import { inTransaction } from '../transaction';
import { loadCaller, requireRegistered } from '../account/caller';
import type {
  ReminderCredits,
  ReminderStatusResult,
  ReminderSweepResult,
} from '../../../miniprogram/domain/reminder/contract';

const SENT_LIST_LIMIT = 20;
/** Subscribers read per page of the sweep. */
const SWEEP_PAGE = 50;
/** Subscribers reminded at once within a page. */
const SWEEP_PARALLEL = 8;
function noCredits(): Record<ReminderKind, number> {
  return Object.fromEntries(REMINDER_KINDS.map((kind) => [kind, 0])) as Record<ReminderKind, number>;
}

function creditsOf(doc: SubscriptionDoc | null): Record<ReminderKind, number> {
  const credits = noCredits();
  // The record is read as it is stored: older ones may lack a kind, or the credits altogether.
  const stored: Partial<Record<ReminderKind, unknown>> | undefined = doc?.credits;
  for (const kind of REMINDER_KINDS) credits[kind] = Math.max(0, Number(stored?.[kind] ?? 0) || 0);
  return credits;
}

/** What the sweep may still send: messages sent on demand (moveCar) do not make a user worth visiting. */
function total(credits: Record<ReminderKind, number>): number {
  return SWEPT_REMINDER_KINDS.reduce((sum, kind) => sum + credits[kind], 0);
}

/** Each accept in `wx.requestSubscribeMessage` lets the cloud send one message of that template. */
export async function subscribe(openid: string, kinds: readonly ReminderKind[]): Promise<ReminderCredits> {
  await requireRegistered(openid);
  return inTransaction(async (tx) => {
    const credits = creditsOf(await getById<SubscriptionDoc>(tx, COLLECTIONS.reminderSubscriptions, openid));
    for (const kind of kinds) credits[kind] = Math.min(MAX_REMINDER_CREDITS, credits[kind] + 1);
    await setById(tx, COLLECTIONS.reminderSubscriptions, openid, {
      credits,
      total: total(credits),
      updatedAt: nowIso(),
    });
    return { credits };
  });
}

export async function reminderStatus(openid: string): Promise<ReminderStatusResult> {
  await requireRegistered(openid);
  const [subscription, log] = await Promise.all([
    getById<SubscriptionDoc>(database, COLLECTIONS.reminderSubscriptions, openid),
    find<ReminderLogDoc>(
      COLLECTIONS.reminderLog,
      { openid },
      { orderBy: [['claimedAt', 'desc']], limit: SENT_LIST_LIMIT },
    ),
  ]);
  return {
    credits: creditsOf(subscription),
    sent: log.map((entry) => ({
      id: entry._id,
      kind: entry.kind,
      title: REMINDER_TITLES[entry.kind],
      status: entry.status,
      at: entry.doneAt ?? entry.claimedAt,
    })),
  };
}
/** What is known about one subscriber today; null when they are not (or no longer) a verified person. */
async function factsOf(openid: string, day: IsoDate): Promise<ReminderFacts | null> {
  const { person, licence } = await loadCaller(openid);
  if (!person) return null;
  const bindings = person.bindings;
  const vehicleIds = bindings.map((b) => b.vehicleId);
  // A binding without its time (older records) counts from the day's start, as the day-level rule did.
  const boundAt = new Map(
    bindings.map((b) => [b.vehicleId, (b as Partial<BindingEntry>).since ?? `${day}T00:00:00+08:00`]),
  );
  const since = `${addDays(day, -NEW_VIOLATION_WINDOW_DAYS)}T00:00:00+08:00`;
  const [vehicles, violations, decisions] = await Promise.all([
    vehicleIds.length
      ? find<VehicleDoc>(COLLECTIONS.vehicles, { _id: command.in(vehicleIds) }, { limit: vehicleIds.length })
      : [],
    vehicleIds.length
      ? find<ViolationDoc>(
          COLLECTIONS.violations,
          {
            vehicleId: command.in(vehicleIds),
            status: 'unprocessed',
            receivedAt: command.gte(new Date(Date.parse(since)).toISOString()),
          },
          // vehicleId_receivedAt serves it: only the last days' arrivals are read, however long a car's record is
          { orderBy: [['receivedAt', 'desc']], limit: 100 },
        )
      : [],
    find<DecisionDoc>(
      COLLECTIONS.decisions,
      { personId: person._id, status: 'unpaid' },
      { orderBy: [['decidedAt', 'desc']], limit: 100 },
    ),
  ]);
  return {
    licence: licence ? { validUntil: licence.validUntil } : null,
    cars: vehicles.map((v) => ({ vehicleId: v._id, plate: v.plate, inspectionDue: v.inspectionDue })),
    violations: violations.map((v) => ({
      violationId: v._id,
      plate: v.plate,
      occurredAt: v.occurredAt,
      place: v.place,
      behaviour: v.behaviour,
      fine: v.fine,
      points: v.points,
      receivedAt: v.receivedAt ?? '',
      boundAt: boundAt.get(v.vehicleId) ?? `${day}T00:00:00+08:00`,
    })),
    unpaidDecisions: decisions.map((d) => ({
      decisionId: d._id,
      decisionNo: d.decisionNo,
      decidedOn: d.decidedOn,
      fine: d.fine,
    })),
  };
}

type Claim = 'claimed' | 'already' | 'noCredit';

/** One log entry per user and event: its fixed id is what keeps an event to one message. */
function logIdOf(openid: string, reminder: DueReminder): string {
  return keyOf(`${openid}|${reminder.key}`);
}

/** Creates the event's log entry and spends one subscription, atomically; only one run can do it for an event. */
function claim(openid: string, reminder: DueReminder, logId: string): Promise<Claim> {
  return inTransaction(async (tx): Promise<Claim> => {
    if (await getById<ReminderLogDoc>(tx, COLLECTIONS.reminderLog, logId)) return 'already';
    const subscription = await getById<SubscriptionDoc>(tx, COLLECTIONS.reminderSubscriptions, openid);
    const credits = creditsOf(subscription);
    if (credits[reminder.kind] <= 0) return 'noCredit';
    credits[reminder.kind] -= 1;
    const entry: Omit<ReminderLogDoc, '_id'> = {
      openid,
      kind: reminder.kind,
      key: reminder.key,
      status: 'claimed',
      claimedAt: nowIso(),
      doneAt: null,
      errcode: null,
    };
    await setById(tx, COLLECTIONS.reminderLog, logId, entry);
    await updateById(tx, COLLECTIONS.reminderSubscriptions, openid, {
      credits,
      total: total(credits),
      updatedAt: nowIso(),
    });
    return 'claimed';
  });
}

/** After a refusal WeChat gave: the user had no subscription left (our count is reset), or any other (refunded). */
async function settleFailure(openid: string, kind: ReminderKind, errcode: number): Promise<void> {
  await inTransaction(async (tx) => {
    const credits = creditsOf(await getById<SubscriptionDoc>(tx, COLLECTIONS.reminderSubscriptions, openid));
    credits[kind] = errcode === ERRCODE_NO_SUBSCRIPTION ? 0 : Math.min(MAX_REMINDER_CREDITS, credits[kind] + 1);
    await updateById(tx, COLLECTIONS.reminderSubscriptions, openid, {
      credits,
      total: total(credits),
      updatedAt: nowIso(),
    });
  });
}

interface Tally {
  sent: number;
  failed: number;
  skippedNoCredit: number;
  alreadySent: number;
  userErrors: number;
}

/** What became of one message: sent, already claimed for this event, no subscription left, or refused/unknown. */
export type Delivery = 'sent' | 'already' | 'noCredit' | 'failed';

/** Claims the event (one log entry, one subscription spent) and sends it: the one way every reminder goes out. */
async function deliver(openid: string, reminder: DueReminder, messages: MessagePort): Promise<Delivery> {
  const logId = logIdOf(openid, reminder);
  const claimed = await claim(openid, reminder, logId);
  if (claimed !== 'claimed') return claimed;
  try {
    await messages.send({
      touser: openid,
      templateId: REMINDER_TEMPLATE_IDS[reminder.kind],
      page: reminder.page,
      data: reminder.data,
    });
    await updateById(database, COLLECTIONS.reminderLog, logId, { status: 'sent', doneAt: nowIso() });
    return 'sent';
  } catch (error) {
    const errcode = error instanceof MessageSendError ? error.errcode : null;
    await updateById(database, COLLECTIONS.reminderLog, logId, { status: 'failed', doneAt: nowIso(), errcode });
    // An unknown outcome (timeout) may have reached the phone: it is neither refunded nor retried.
    if (errcode !== null) await settleFailure(openid, reminder.kind, errcode);
    else console.error('[reminder] send outcome unknown', reminder.key, error);
    return 'failed';
  }
}

/**
 * One message now, outside the sweep (a move-car notice): the same claim, credit and log as the sweep's, so an
 * event `key` never goes out twice and the user's status page lists it with the others.
 */
export function sendReminderNow(
  openid: string,
  reminder: DueReminder,
  messages: MessagePort = cloudMessages,
): Promise<Delivery> {
  return deliver(openid, reminder, messages);
}

async function remindOne(openid: string, day: IsoDate, messages: MessagePort, tally: Tally): Promise<void> {
  const [facts, subscription] = await Promise.all([
    factsOf(openid, day),
    getById<SubscriptionDoc>(database, COLLECTIONS.reminderSubscriptions, openid),
  ]);
  if (!facts) return;
  const due = dueReminders(facts, day);
  if (due.length === 0) return;
  // Two reads settle most events without a transaction: those already told, and kinds with no subscription left
  // (a car with a hundred new violations and one subscription costs one claim, not a hundred); the claim re-checks.
  const told = new Set(
    (
      await find<ReminderLogDoc>(
        COLLECTIONS.reminderLog,
        { _id: command.in(due.map((r) => logIdOf(openid, r))) },
        { limit: due.length, fields: { _id: true } },
      )
    ).map((d) => d._id),
  );
  const credits = creditsOf(subscription);
  for (const reminder of due) {
    if (told.has(logIdOf(openid, reminder))) {
      tally.alreadySent += 1;
      continue;
    }
    if (credits[reminder.kind] <= 0) {
      tally.skippedNoCredit += 1;
      continue;
    }
    const delivery = await deliver(openid, reminder, messages);
    if (delivery === 'sent' || delivery === 'failed') credits[reminder.kind] -= 1;
    if (delivery === 'already') tally.alreadySent += 1;
    if (delivery === 'noCredit') tally.skippedNoCredit += 1;
    if (delivery === 'sent') tally.sent += 1;
    if (delivery === 'failed') tally.failed += 1;
  }
}

export interface SweepOptions {
  messages?: MessagePort;
  budgetMs?: number;
}

/**
 * One run of the daily sweep: subscribers with something left, in id order, from where today's sweep stopped.
 * Overlapping runs may visit the same users; the claims keep every event to one message.
 */
export async function sweepReminders(options: SweepOptions = {}): Promise<ReminderSweepResult> {
  const messages = options.messages ?? cloudMessages;
  const budgetMs = options.budgetMs ?? SWEEP_DEFAULT_BUDGET_MS;
  const deadline = nowMs() + budgetMs;
  const day = today();
  const tally: Tally = { sent: 0, failed: 0, skippedNoCredit: 0, alreadySent: 0, userErrors: 0 };
  const progress = await getById<ReminderSweepDoc>(database, COLLECTIONS.reminderSweeps, day);
  if (progress?.complete) return { day, users: 0, ...tally, complete: true, budgetMs };
  let cursor = progress?.cursor ?? '';
  let users = 0;
  let complete = false;
  while (!complete && nowMs() < deadline) {
    const page = await find<SubscriptionDoc>(
      COLLECTIONS.reminderSubscriptions,
      { total: command.gt(0), _id: command.gt(cursor) },
      { orderBy: [['_id', 'asc']], limit: SWEEP_PAGE, fields: { _id: true } },
    );
    let finishedPage = true;
    // A few subscribers at a time: each is mostly waiting on the database and WeChat, and claims keep them apart.
    for (let i = 0; i < page.length; i += SWEEP_PARALLEL) {
      if (nowMs() >= deadline) {
        finishedPage = false;
        break;
      }
      const group = page.slice(i, i + SWEEP_PARALLEL);
      const outcomes = await Promise.allSettled(
        group.map((subscriber) => remindOne(subscriber._id, day, messages, tally)),
      );
      // One subscriber whose record breaks the sweep (or a conflict past its retries) must not stop everyone after them.
      outcomes.forEach((outcome, k) => {
        if (outcome.status === 'fulfilled') return;
        tally.userErrors += 1;
        console.error('[reminder] sweep skipped a subscriber', group[k]?._id, outcome.reason);
      });
      cursor = group[group.length - 1]?._id ?? cursor;
      users += group.length;
    }
    complete = finishedPage && page.length < SWEEP_PAGE;
    await saveProgress(day, cursor, complete);
  }
  return { day, users, ...tally, complete, budgetMs };
}

async function saveProgress(day: IsoDate, cursor: string, complete: boolean): Promise<void> {
  // $max keeps the furthest cursor when overlapping runs save out of order (ids compare as strings).
  const patch = {
    cursor: (command.max as unknown as (value: string) => unknown)(cursor),
    updatedAt: nowIso(),
    ...(complete ? { complete: true } : {}),
  };
  const updated = await updateById(database, COLLECTIONS.reminderSweeps, day, patch);
  if (updated === 0) {
    const existing = await getById<ReminderSweepDoc>(database, COLLECTIONS.reminderSweeps, day);
    if (!existing) await setById(database, COLLECTIONS.reminderSweeps, day, { cursor, complete, updatedAt: nowIso() });
  }
}
