/**
 * The reminder sweep at the edges of a run: the function's time limit (here WeChat's default, 3 s) sets the run's
 * budget, so a run stops in time and the next resumes, every event still sent once; and a subscriber whose record
 * breaks the sweep is skipped while the others are reminded and the day completes. Its own local cloud.
 */
import { addDays } from '../../miniprogram/domain/core/dates';
import { REMINDER_TEMPLATE_IDS } from '../../miniprogram/domain/reminder/reminders';
import { personIdOf } from '../../cloudfunctions/_shared/ids';
import { pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { shanghaiDay, World, type Person } from '../helpers/story';
import type { ReminderSweepResult } from '../../miniprogram/domain/reminder/contract';
import { defined } from '../helpers/matchers';

jest.setTimeout(120_000);
const TIME_LIMIT_MS = 3_000;
const cloud = useLocalCloud({ timeLimitMs: TIME_LIMIT_MS });
const world = new World(cloud, 'swp');
const realToday = shanghaiDay(Date.now());

/** Fired as WeChat fires it; a run killed at the time limit answers 500 here and fails the test. */
async function fire(): Promise<ReminderSweepResult> {
  const { status, body } = await cloud().request<{ ok: boolean; data: ReminderSweepResult }>(
    'POST',
    '/timers/reminder/daily',
    '{}',
    { 'content-type': 'application/json' },
  );
  if (status !== 200 || !body.ok)
    throw new Error(`timer answered ${status}: ${JSON.stringify(body)}\n${world.logTail()}`);
  return body.data;
}

async function messagesTo(person: Person): Promise<string[]> {
  const { body } = await cloud().request<{ messages: { templateId: string }[] }>(
    'GET',
    `/sandbox/outbox?touser=${encodeURIComponent(person.openid)}`,
  );
  return body.messages.map((m) => m.templateId);
}

/** Drivers whose licence expires within 90 days of `day`, each having accepted the renewal reminder once. */
async function subscribedDrivers(count: number, day: string): Promise<Person[]> {
  const people: Person[] = [];
  // a few at a time: registration under the short time limit on a busy machine
  for (let i = 0; i < count; i += 10)
    people.push(...(await world.drivers(Math.min(10, count - i), { validUntil: addDays(day, 60) })));
  for (const person of people) {
    await world.sandbox('subscribe', { openid: person.openid, templateIds: [REMINDER_TEMPLATE_IDS.licenceRenewal] });
    await world.ok('reminder', { action: 'subscribe', kinds: ['licenceRenewal'] }, person.openid);
  }
  return people;
}

describe('reminder sweep runs', () => {
  it('takes its budget from the function time limit, and every reminder goes out once with no run killed', async () => {
    await world.setDay(realToday, 3);
    const day = addDays(realToday, 3);
    const people = await subscribedDrivers(40, day);
    const runs: ReminderSweepResult[] = [];
    while (!runs.at(-1)?.complete && runs.length < 40) runs.push(await fire());
    // half of WeChat's 3 s default, not the 40 s a run allows itself when the platform does not say
    expect(runs.map((run) => run.budgetMs)).toEqual(runs.map(() => TIME_LIMIT_MS / 2));
    expect(runs.at(-1)).toMatchObject({ day, complete: true, userErrors: 0 });
    expect(runs.reduce((sum, run) => sum + run.sent, 0)).toBe(people.length);
    for (const person of people) expect(await messagesTo(person)).toEqual([REMINDER_TEMPLATE_IDS.licenceRenewal]);
  });

  it('a subscriber whose record breaks the sweep is skipped and counted; the others are reminded and the day completes', async () => {
    await world.setDay(realToday, 5);
    const day = addDays(realToday, 5);
    const [broken, ...others] = await subscribedDrivers(4, day);
    const restore = pointSdkAt(cloud());
    try {
      // a record the sweep cannot read (bindings not a list): the sweep must not stop at it
      await sdk()
        .database()
        .collection('people')
        .doc(personIdOf(defined(broken).idNumber))
        .update({ data: { bindings: 'broken' } });
    } finally {
      restore();
    }
    const runs: ReminderSweepResult[] = [];
    while (!runs.at(-1)?.complete && runs.length < 10) runs.push(await fire());
    expect(runs.at(-1)?.complete).toBe(true);
    expect(runs.reduce((sum, run) => sum + run.userErrors, 0)).toBe(1);
    expect(await messagesTo(defined(broken))).toEqual([]);
    for (const person of others) expect(await messagesTo(person)).toEqual([REMINDER_TEMPLATE_IDS.licenceRenewal]);
  });
});
