/**
 * `moveCar` on the local cloud: the owner found through the registry and told by subscribe message (the sandbox
 * outbox), neither side seeing the other; owners who cannot be reached; one's own car; the owner's answer; rate
 * limits per requester and per plate, sequential and as concurrent bursts; the record of every request.
 */
import { MOVE_CAR_ANSWER_WINDOW_MS } from '../../miniprogram/domain/move-car/move-car';
import { REMINDER_TEMPLATE_IDS } from '../../miniprogram/domain/reminder/reminders';
import { personIdOf } from '../../cloudfunctions/_shared/ids';
import { pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Car, type Person, type Reply } from '../helpers/story';
import type {
  MoveCarRequestView,
  IncomingMoveCarResult,
  MoveCarListResult,
} from '../../miniprogram/domain/move-car/contract';
import type { ReminderStatusResult } from '../../miniprogram/domain/reminder/contract';
import { defined, match } from '../helpers/matchers';

jest.setTimeout(90_000);
// More instances than the default 4, so a burst really runs at once.
const cloud = useLocalCloud({ instances: 8 });
const world = new World(cloud, 'mc');

const MIN = 60_000;
const TEMPLATE = REMINDER_TEMPLATE_IDS.moveCar;

interface OutboxMessage {
  touser: string;
  templateId: string;
  page?: string;
  data: Record<string, { value: string }>;
}

interface RequestRecord {
  _id: string;
  requesterPersonId: string;
  ownerPersonId: string;
  plate: string;
  outcome: string;
  unreachableReason: string | null;
  reply: string | null;
}

/** Puts the functions' clock at `iso` (a wall-clock instant; real seconds keep ticking from there). */
async function at(iso: string, plusMs = 0): Promise<void> {
  await world.setClock(Date.parse(iso) + plusMs - Date.now());
}

/** The owner taps 允许 for move-car notices: WeChat's credit (sandbox) and ours (`reminder.subscribe`). */
async function subscribe(owner: Person, times = 1): Promise<void> {
  for (let i = 0; i < times; i += 1) {
    expect((await world.sandbox('subscribe', { openid: owner.openid, templateIds: [TEMPLATE] })).status).toBe(200);
    await world.ok('reminder', { action: 'subscribe', kinds: ['moveCar'] }, owner.openid);
  }
}

function request(requester: Person, plate: string, place?: string): Promise<Reply<MoveCarRequestView>> {
  return world.call<MoveCarRequestView>(
    'moveCar',
    { action: 'request', plate, ...(place === undefined ? {} : { place }) },
    requester.openid,
  );
}

async function outbox(person: Person): Promise<OutboxMessage[]> {
  const { body } = await cloud().request<{ messages: OutboxMessage[] }>(
    'GET',
    `/sandbox/outbox?touser=${encodeURIComponent(person.openid)}&templateId=${TEMPLATE}`,
  );
  return body.messages;
}

/** The records of moveCarRequests, read through the real SDK as the police's tooling would. */
async function records(filter: Record<string, unknown>): Promise<RequestRecord[]> {
  const restore = pointSdkAt(cloud());
  try {
    const { data } = await sdk().database().collection('moveCarRequests').where(filter).limit(100).get();
    return data as RequestRecord[];
  } finally {
    restore();
  }
}

/** An owner with a registered car who uses the app and accepted `credits` move-car notices. */
async function subscribedOwner(credits = 1): Promise<{ owner: Person; car: Car }> {
  const owner = await world.driver();
  const car = await world.car(owner);
  if (credits > 0) await subscribe(owner, credits);
  return { owner, car };
}

describe('moveCar.request', () => {
  it('notifies a subscribed owner by subscribe message; the requester sees the outcome, the owner the request, neither the other', async () => {
    await at('2026-12-01T09:00:00+08:00');
    const requester = await world.driver();
    const { owner, car } = await subscribedOwner();
    const answer = await request(requester, car.plate.replace('桂A', '桂a'), '东门停车场出口');
    expect(answer).toEqual({
      ok: true,
      data: {
        requestId: match.any(String),
        plate: car.plate,
        place: '东门停车场出口',
        createdAt: match.any(String),
        outcome: 'notified',
      },
    });
    if (!answer.ok) return;
    const { requestId } = answer.data;

    const [message, ...more] = await outbox(owner);
    expect(more).toEqual([]);
    expect(message).toMatchObject({
      touser: owner.openid,
      templateId: TEMPLATE,
      page: `pages/move-car/incoming/index?requestId=${requestId}`,
    });
    expect(message?.data['car_number1']).toEqual({ value: car.plate });
    expect(message?.data['thing2']).toEqual({ value: '东门停车场出口' });
    // the message says nothing about who asked
    expect(JSON.stringify(message)).not.toContain(requester.openid);

    // the owner's credit was spent, and the notice is in their reminder log
    const status = await world.ok<ReminderStatusResult>('reminder', { action: 'status' }, owner.openid);
    expect(status.credits.moveCar).toBe(0);
    expect(status.sent[0]).toMatchObject({ kind: 'moveCar', title: '挪车通知', status: 'sent' });

    const incoming = await world.ok<IncomingMoveCarResult>('moveCar', { action: 'incoming' }, owner.openid);
    expect(incoming.requests).toEqual([
      { requestId, plate: car.plate, place: '东门停车场出口', createdAt: answer.data.createdAt, answerable: true },
    ]);

    const answered = await world.ok('moveCar', { action: 'answer', requestId, reply: 'coming' }, owner.openid);
    expect(answered).toMatchObject({ requestId, reply: 'coming', replyText: '马上到', answerable: true });
    const seen = await world.ok<MoveCarRequestView>('moveCar', { action: 'status', requestId }, requester.openid);
    expect(seen).toEqual({
      ...answer.data,
      outcome: 'answered',
      reply: 'coming',
      replyText: '马上到',
      answeredAt: match.any(String),
    });
    const mine = await world.ok<MoveCarListResult>('moveCar', { action: 'mine' }, requester.openid);
    expect(mine.requests).toEqual([seen]);

    // the other person's account never appears in what either side was told
    const requesterSaw = JSON.stringify([answer, seen, mine]);
    const ownerSaw = JSON.stringify([incoming, answered, message]);
    for (const secret of [owner.openid, owner.name, owner.idNumber]) expect(requesterSaw).not.toContain(secret);
    for (const secret of [requester.openid, requester.name, requester.idNumber]) expect(ownerSaw).not.toContain(secret);
  });

  it('an owner who cannot be reached — never registered, no subscription left, car not registered — is the same answer: call 122', async () => {
    await at('2026-12-02T09:00:00+08:00');
    const requester = await world.driver();
    const stranger = world.newPerson(); // in the registry, never used the app
    await world.importDrivers([world.licenceRow(stranger)]);
    const strangersCar = await world.car(stranger);
    const { owner: unsubscribed, car: unsubscribedCar } = await subscribedOwner(0);
    const unknownPlate = world.newPlate();

    const answers = [];
    for (const plate of [strangersCar.plate, unsubscribedCar.plate, unknownPlate]) {
      const reply = await request(requester, plate);
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      expect(Object.keys(reply.data).sort()).toEqual(['createdAt', 'outcome', 'place', 'plate', 'requestId']);
      expect(reply.data.outcome).toBe('unreachable');
      answers.push(reply.data);
    }
    expect(await outbox(unsubscribed)).toEqual([]);

    // the record says why, for the police; the requester was never told
    const kept = await records({ requesterPersonId: personIdOf(requester.idNumber) });
    expect(kept.map((r) => [r.plate, r.outcome, r.unreachableReason]).sort()).toEqual(
      [
        [strangersCar.plate, 'unreachable', 'notRegistered'],
        [unsubscribedCar.plate, 'unreachable', 'noSubscription'],
        [unknownPlate, 'unreachable', 'noVehicle'],
      ].sort(),
    );

    // the owner still finds the request in the app and may answer it
    const incoming = await world.ok<IncomingMoveCarResult>('moveCar', { action: 'incoming' }, unsubscribed.openid);
    expect(incoming.requests.map((r) => r.requestId)).toEqual([answers[1]?.requestId]);
    await world.ok(
      'moveCar',
      { action: 'answer', requestId: answers[1]?.requestId, reply: 'tenMinutes' },
      unsubscribed.openid,
    );
    expect(
      await world.ok<MoveCarRequestView>(
        'moveCar',
        { action: 'status', requestId: answers[1]?.requestId },
        requester.openid,
      ),
    ).toMatchObject({
      outcome: 'answered',
      replyText: '10 分钟内到',
    });
  });

  it('one’s own car is refused with OWN_VEHICLE and costs nothing of the quota; only verified users may ask', async () => {
    await at('2026-12-03T09:00:00+08:00');
    const { owner, car } = await subscribedOwner();
    for (let i = 0; i < 4; i += 1) {
      expect(await request(owner, car.plate)).toEqual({
        ok: false,
        code: 'OWN_VEHICLE',
        message: '这是您本人名下的车辆，不能给自己发送挪车通知。',
      });
    }
    expect(await outbox(owner)).toEqual([]);
    const others = [world.newPlate(), world.newPlate(), world.newPlate()];
    for (const plate of others) expect((await request(owner, plate)).ok).toBe(true);

    const unverified = await world.driver({ verified: false });
    expect(await world.fails('moveCar', { action: 'request', plate: car.plate }, unverified.openid)).toMatchObject({
      code: 'NOT_VERIFIED',
    });
    expect(await world.fails('moveCar', { action: 'request', plate: car.plate }, 'o-mc-nobody')).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(await world.fails('moveCar', { action: 'request', plate: '粤B12345' }, owner.openid)).toMatchObject({
      code: 'PLATE_NOT_SUPPORTED',
    });
  });

  it('only the owner answers, only within 2 hours; a request of someone else is NOT_FOUND to everyone else', async () => {
    await at('2026-12-04T09:00:00+08:00');
    const requester = await world.driver();
    const bystander = await world.driver();
    const { owner, car } = await subscribedOwner();
    const made = await request(requester, car.plate);
    if (!made.ok) throw new Error(JSON.stringify(made));
    const { requestId } = made.data;
    for (const who of [requester, bystander]) {
      expect(await world.fails('moveCar', { action: 'answer', requestId, reply: 'coming' }, who.openid)).toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    expect(await world.fails('moveCar', { action: 'status', requestId }, bystander.openid)).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await world.fails('moveCar', { action: 'status', requestId }, owner.openid)).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(
      (await world.ok<IncomingMoveCarResult>('moveCar', { action: 'incoming' }, bystander.openid)).requests,
    ).toEqual([]);

    await at('2026-12-04T09:00:00+08:00', MOVE_CAR_ANSWER_WINDOW_MS + MIN);
    const incoming = await world.ok<IncomingMoveCarResult>('moveCar', { action: 'incoming' }, owner.openid);
    expect(incoming.requests[0]).toMatchObject({ requestId, answerable: false });
    expect(await world.fails('moveCar', { action: 'answer', requestId, reply: 'coming' }, owner.openid)).toMatchObject({
      code: 'REQUEST_EXPIRED',
    });
  });
});

describe('rate limits', () => {
  it('a requester: 3 in 10 minutes, then RATE_LIMITED with the wait; 10 a day, then until midnight', async () => {
    const start = '2026-12-10T09:00:00+08:00';
    const requester = await world.driver();
    const plates = Array.from({ length: 11 }, () => world.newPlate());
    await at(start);
    for (const plate of plates.slice(0, 3)) expect((await request(requester, plate)).ok).toBe(true);
    const fourth = await request(requester, defined(plates[3]));
    expect(fourth).toMatchObject({ ok: false, code: 'RATE_LIMITED', details: { limit: 3 } });
    if (fourth.ok) return;
    expect(fourth.message).toContain('挪车通知发送太频繁');
    expect(fourth.details?.retryAfterSeconds).toBeGreaterThan(9 * 60);
    expect(fourth.details?.retryAfterSeconds).toBeLessThanOrEqual(10 * 60);

    // windows later, up to 10 in the day
    let sent = 3;
    for (let window = 1; sent < 10; window += 1) {
      await at(start, window * 11 * MIN);
      for (let i = 0; i < 3 && sent < 10; i += 1, sent += 1)
        expect((await request(requester, defined(plates[sent]))).ok).toBe(true);
    }
    await at(start, 5 * 11 * MIN);
    const eleventh = await request(requester, defined(plates[10]));
    expect(eleventh).toMatchObject({ ok: false, code: 'RATE_LIMITED', details: { limit: 10 } });
    if (eleventh.ok) return;
    expect(eleventh.message).toContain('10 次上限');
    const untilMidnight = (Date.parse('2026-12-11T00:00:00+08:00') - Date.parse(start) - 5 * 11 * MIN) / 1000;
    expect(Math.abs((eleventh.details?.retryAfterSeconds ?? 0) - untilMidnight)).toBeLessThan(60);
    // the next day it starts again
    await at('2026-12-11T08:00:00+08:00');
    expect((await request(requester, defined(plates[10]))).ok).toBe(true);
    expect(await records({ requesterPersonId: personIdOf(requester.idNumber) })).toHaveLength(11);
  });

  it('a plate: 1 in 5 minutes whoever asks, 6 a day', async () => {
    const start = '2026-12-12T09:00:00+08:00';
    const requesters = await world.drivers(7);
    const { owner, car } = await subscribedOwner(10);
    await at(start);
    expect((await request(defined(requesters[0]), car.plate)).ok).toBe(true);
    await at(start, 2 * MIN);
    const second = await request(defined(requesters[1]), car.plate);
    expect(second).toMatchObject({ ok: false, code: 'RATE_LIMITED', details: { limit: 1 } });
    if (second.ok) return;
    expect(second.message).toContain('该车辆刚刚已被通知挪车');
    expect(second.details?.retryAfterSeconds).toBeGreaterThan(2 * 60);
    expect(second.details?.retryAfterSeconds).toBeLessThanOrEqual(3 * 60 + 5);

    for (let i = 1; i < 6; i += 1) {
      await at(start, i * 5 * MIN + i * 10_000);
      expect((await request(defined(requesters[i]), car.plate)).ok).toBe(true);
    }
    await at(start, 6 * 5 * MIN + 60_000);
    const seventh = await request(defined(requesters[6]), car.plate);
    expect(seventh).toMatchObject({ ok: false, code: 'RATE_LIMITED', details: { limit: 6 } });
    expect(await outbox(owner)).toHaveLength(6);
  });

  it('a concurrent burst from one requester: exactly 3 go through, the rest are RATE_LIMITED, and exactly 3 are recorded', async () => {
    await at('2026-12-14T09:00:00+08:00');
    const requester = await world.driver();
    const plates = Array.from({ length: 12 }, () => world.newPlate());
    const replies = await Promise.all(plates.map((plate) => request(requester, plate)));
    expect(replies.filter((r) => r.ok)).toHaveLength(3);
    expect(replies.filter((r) => !r.ok).map((r) => r.code)).toEqual(Array(9).fill('RATE_LIMITED'));
    const mine = await world.ok<MoveCarListResult>('moveCar', { action: 'mine' }, requester.openid);
    expect(mine.requests).toHaveLength(3);
    const okPlates = replies.flatMap((r) => (r.ok ? [r.data.plate] : []));
    expect(mine.requests.map((r) => r.plate).sort()).toEqual(okPlates.sort());
    expect(await records({ requesterPersonId: personIdOf(requester.idNumber) })).toHaveLength(3);
  });

  it('a concurrent burst at one plate from many requesters: exactly one owner message', async () => {
    await at('2026-12-15T09:00:00+08:00');
    const requesters = await world.drivers(8);
    const { owner, car } = await subscribedOwner(8);
    const replies = await Promise.all(requesters.map((r) => request(r, car.plate)));
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(replies.filter((r) => !r.ok && r.code === 'RATE_LIMITED')).toHaveLength(7);
    expect(await outbox(owner)).toHaveLength(1);
    expect(await records({ ownerPersonId: personIdOf(owner.idNumber) })).toHaveLength(1);
  });
});

finalChecks(() => world);
