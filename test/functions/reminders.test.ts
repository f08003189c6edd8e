/**
 * Reminders by subscribe message, end to end on the local cloud: the user's accept reaches WeChat (the sandbox) and
 * our `reminder.subscribe`; the timer (fired by hand as WeChat would, with no user) finds what is due, spends one
 * subscription per message and sends each event once — twice-fired and overlapping timers included.
 */
import { addDays } from '../../miniprogram/domain/core/dates';
import type {
  ReminderCredits,
  ReminderSweepResult,
  ReminderStatusResult,
} from '../../miniprogram/domain/reminder/contract';
import { REMINDER_KINDS, REMINDER_TEMPLATE_IDS, type ReminderKind } from '../../miniprogram/domain/reminder/reminders';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, shanghaiDay, World, type Car, type Person } from '../helpers/story';
import { defined } from '../helpers/matchers';

jest.setTimeout(60_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'rem');
const realToday = shanghaiDay(Date.now());

interface OutboxMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
}

/** Moves the functions' clock to `days` after today (each test its own days: the sweep runs once a day). */
async function onDay(days: number): Promise<string> {
  await world.setDay(realToday, days);
  return addDays(realToday, days);
}

/** The phone: the user accepts these reminders in wx.requestSubscribeMessage, and the page tells the cloud. */
async function accept(person: Person, kinds: readonly ReminderKind[], times = 1): Promise<ReminderCredits> {
  let credits: ReminderCredits | undefined;
  for (let i = 0; i < times; i += 1) {
    const { status } = await world.sandbox('subscribe', {
      openid: person.openid,
      templateIds: kinds.map((k) => REMINDER_TEMPLATE_IDS[k]),
    });
    expect(status).toBe(200);
    credits = await world.ok<ReminderCredits>('reminder', { action: 'subscribe', kinds }, person.openid);
  }
  return defined(credits);
}

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

async function outbox(person: Person): Promise<OutboxMessage[]> {
  const { body } = await cloud().request<{ messages: OutboxMessage[] }>(
    'GET',
    `/sandbox/outbox?touser=${encodeURIComponent(person.openid)}`,
  );
  return body.messages;
}

const kindsOf = (messages: OutboxMessage[]) =>
  messages.map((m) => REMINDER_KINDS.find((k) => REMINDER_TEMPLATE_IDS[k] === m.templateId) ?? m.templateId).sort();

/** A driver whose licence expires in 60 days, with an own bound car due for inspection in 20. */
async function driverWithDues(day: string): Promise<{ person: Person; car: Car }> {
  const person = await world.driver({ licence: { validUntil: addDays(day, 60) } });
  const car = await world.car(person);
  await world.importVehicles([
    {
      plate: car.plate,
      plateType: car.plateType,
      ownerIdNumber: person.idNumber,
      ownerName: person.name,
      inspectionDue: addDays(day, 20),
    },
  ]);
  await world.bindOwn(car);
  return { person, car };
}

describe('reminders', () => {
  it('sends what is due once per event, spending one subscription each, and never again on a second run', async () => {
    const day = await onDay(1);
    const { person, car } = await driverWithDues(day);
    await accept(person, ['newViolation', 'licenceRenewal', 'inspectionDue']);
    await world.violations(car, { behaviour: '机动车违反禁止标线指示的' });

    const first = await fire();
    expect(first).toMatchObject({ day, complete: true });
    const sent = await outbox(person);
    expect(kindsOf(sent)).toEqual(['inspectionDue', 'licenceRenewal', 'newViolation']);
    const violationMessage = sent.find((m) => m.templateId === REMINDER_TEMPLATE_IDS.newViolation);
    expect(violationMessage?.data['car_number1']).toEqual({ value: car.plate });
    expect(violationMessage?.page).toBe('pages/violation/list/index');

    // doubled timer: the day is done, nothing more goes out
    expect(await fire()).toMatchObject({ users: 0, sent: 0, complete: true });
    expect(await outbox(person)).toHaveLength(3);

    const status = await world.ok<ReminderStatusResult>('reminder', { action: 'status' }, person.openid);
    expect(status.credits).toEqual({
      newViolation: 0,
      licenceRenewal: 0,
      inspectionDue: 0,
      fineSurcharge: 0,
      moveCar: 0,
      refund: 0,
    });
    expect(status.sent.map((s) => s.status)).toEqual(['sent', 'sent', 'sent']);

    // next day, new subscriptions: the same events are not news again
    await onDay(2);
    await accept(person, ['licenceRenewal', 'inspectionDue']);
    expect(await fire()).toMatchObject({ sent: 0, alreadySent: 3 }); // the violation is still news, but was told
    expect(await outbox(person)).toHaveLength(3);
  });

  it('overlapping timers send each event exactly once', async () => {
    const day = await onDay(10);
    const people = await Promise.all(Array.from({ length: 6 }, () => driverWithDues(day)));
    for (const { person } of people) await accept(person, ['licenceRenewal', 'inspectionDue']);
    const runs = await Promise.all([fire(), fire(), fire()]);
    expect(runs.reduce((sum, r) => sum + r.sent, 0)).toBe(people.length * 2);
    for (const { person } of people) expect(kindsOf(await outbox(person))).toEqual(['inspectionDue', 'licenceRenewal']);
  });

  it('a fine entering its surcharge period: reminded on day 15 after the decision', async () => {
    const day = await onDay(20);
    const { person, car } = await driverWithDues(day);
    const [id] = await world.violations(car, {});
    const processed = await world.process(person, [defined(id)]);
    if (!processed.ok) throw new Error(JSON.stringify(processed));
    await accept(person, ['fineSurcharge']);
    await fire(); // day 0: not yet
    expect(await outbox(person)).toEqual([]);
    await onDay(20 + 15);
    await fire();
    const [message] = await outbox(person);
    expect(message?.templateId).toBe(REMINDER_TEMPLATE_IDS.fineSurcharge);
    expect(message?.data['character_string1']).toEqual({ value: processed.data.decisionNo });
    expect(message?.data['date3']).toEqual({ value: addDays(day, 15) });
  });

  it('sends nothing without a subscription, and nothing for a car no longer bound', async () => {
    const day = await onDay(40);
    const unsubscribed = await driverWithDues(day);
    const { person, car } = await driverWithDues(day);
    await accept(person, ['newViolation', 'inspectionDue']);
    await world.ok('vehicle', { action: 'unbind', plate: car.plate }, person.openid);
    await world.violations(car, {});
    await world.violations(unsubscribed.car, {});
    await fire();
    expect(await outbox(unsubscribed.person)).toEqual([]);
    // neither the unbound car's new violation nor its inspection (due in 20 days) reaches the former driver
    expect(await outbox(person)).toEqual([]);
    // the subscriptions are still there for later
    const { credits } = await world.ok<ReminderStatusResult>('reminder', { action: 'status' }, person.openid);
    expect([credits.newViolation, credits.inspectionDue]).toEqual([1, 1]);
  });

  it('when WeChat says the user has no subscription (43101), nothing is sent and our count is reset', async () => {
    const day = await onDay(50);
    const { person } = await driverWithDues(day);
    // the page reported an accept the phone never made
    await world.ok('reminder', { action: 'subscribe', kinds: ['licenceRenewal'] }, person.openid);
    const run = await fire();
    expect(run.failed).toBeGreaterThanOrEqual(1);
    expect(await outbox(person)).toEqual([]);
    const status = await world.ok<ReminderStatusResult>('reminder', { action: 'status' }, person.openid);
    expect(status.credits.licenceRenewal).toBe(0);
    expect(status.sent[0]).toMatchObject({ kind: 'licenceRenewal', status: 'failed' });
  });

  it('refuses a timer event sent by a mini-program user, and typed errors for bad kinds', async () => {
    await onDay(0);
    const person = await world.driver();
    expect((await world.fails('reminder', { Type: 'Timer', TriggerName: 'daily' }, person.openid)).code).toBe(
      'FORBIDDEN',
    );
    expect(await world.fails('reminder', { action: 'subscribe', kinds: ['spam'] }, person.openid)).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'kinds[0]' },
    });
    expect(
      (await world.fails('reminder', { action: 'subscribe', kinds: ['licenceRenewal'] }, 'o-rem-nobody')).code,
    ).toBe('UNAUTHENTICATED');
    // repeated accepts add up, to a cap
    const credits = await world.ok<ReminderCredits>(
      'reminder',
      { action: 'subscribe', kinds: ['licenceRenewal', 'licenceRenewal'] },
      person.openid,
    );
    expect(credits.credits.licenceRenewal).toBe(1);
  });
});

finalChecks(() => world);
