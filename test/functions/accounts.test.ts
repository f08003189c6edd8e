/**
 * `user`: registration, real-name + face verification (getVerifyId → the phone → queryVerifyInfo), the profile, and
 * the identity move; and every action of every function refusing a caller who is not registered / not verified.
 */
import { makeIdNumber } from '../../scripts/seed/nanning';
import { keyOf } from '../../cloudfunctions/_shared/ids';
import { pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Event, type Fn, type Person } from '../helpers/story';
import type {
  VerifyIdResult,
  ConfirmFaceVerifyResult,
  RegisterResult,
  ProfileResult,
} from '../../miniprogram/domain/account/contract';
import type { VehicleListResult } from '../../miniprogram/domain/vehicle/contract';

const cloud = useLocalCloud();
const world = new World(cloud, 'acc');
const w = () => world;

afterEach(async () => {
  if (world.clockOffsetMs !== 0) await world.setClock(0);
});

function startVerify(person: Person, openid = person.openid, idNumber = person.idNumber): Promise<VerifyIdResult> {
  return world.ok<VerifyIdResult>(
    'user',
    { action: 'startFaceVerify', name: person.name, idNumber, purpose: 'real-person' },
    openid,
  );
}

function confirm(verifyId: string, openid: string) {
  return world.call<ConfirmFaceVerifyResult>('user', { action: 'confirmFaceVerify', verifyId }, openid);
}

describe('register', () => {
  it('is idempotent per openid: created once, then found', async () => {
    const person = world.newPerson();
    const first = await world.ok<RegisterResult>('user', { action: 'register' }, person.openid);
    const second = await world.ok<RegisterResult>('user', { action: 'register' }, person.openid);
    expect(first).toEqual({ registered: true, created: true, verified: false });
    expect(second).toEqual({ registered: true, created: false, verified: false });
  });

  it('needs the openid WeChat injects: a call without one is UNAUTHENTICATED, whatever the event says', async () => {
    const failure = await world.fails('user', {
      action: 'register',
      openid: 'o-forged',
      userInfo: { openId: 'o-forged' },
    });
    expect(failure.code).toBe('UNAUTHENTICATED');
    // The forged openid in the event did not register anyone.
    expect((await world.fails('user', { action: 'profile' }, 'o-forged')).code).toBe('UNAUTHENTICATED');
  });
});

describe('real-name + face verification', () => {
  it('passes: the profile is verified, masked, and linked to the licence found by ID number', async () => {
    const person = world.newPerson();
    await world.importDrivers([
      world.licenceRow(person, { licenceClass: 'C1', cyclePoints: 3, firstIssueDate: '2015-03-01' }),
    ]);
    await world.ok('user', { action: 'register' }, person.openid);
    const before = await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid);
    expect(before).toEqual({ verified: false, name: null, idNumber: null, licence: null });

    const { verifyId, expiresIn } = await startVerify(person);
    expect(expiresIn).toBe(3600);
    await world.face(verifyId, true);
    const confirmed = await confirm(verifyId, person.openid);
    expect(confirmed).toEqual({
      ok: true,
      data: {
        verified: true,
        name: `${person.name.charAt(0)}**`,
        idNumber: `450***********${person.idNumber.slice(-4)}`,
      },
    });

    const profile = await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid);
    expect(profile).toMatchObject({
      verified: true,
      name: `${person.name.charAt(0)}**`,
      idNumber: `450***********${person.idNumber.slice(-4)}`,
    });
    expect(profile.licence).toMatchObject({
      class: 'C1',
      cyclePoints: 3,
      status: 'valid',
      validUntil: '2035-03-01',
      cycleStart: '2026-03-01',
      cycleEnd: '2027-02-28',
    });
  });

  it('a verified person without a licence in the registry has licence: null', async () => {
    const person = await world.driver({ licence: null });
    expect(await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid)).toMatchObject({
      verified: true,
      licence: null,
    });
  });

  it('accepts a lower-case x check character and normalises it to X (the licence is still found)', async () => {
    let idNumber = '';
    for (let seq = 1; !idNumber.endsWith('X'); seq += 1) idNumber = makeIdNumber('450102', '1985-06-01', seq);
    const person: Person = { ...world.newPerson(), idNumber };
    world.people.push(person);
    await world.importDrivers([world.licenceRow(person)]);
    await world.ok('user', { action: 'register' }, person.openid);
    const { verifyId } = await startVerify(person, person.openid, idNumber.toLowerCase());
    await world.face(verifyId, true);
    await world.ok('user', { action: 'confirmFaceVerify', verifyId }, person.openid);
    const profile = await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid);
    expect(profile.idNumber).toMatch(/^450\*{11}\d{3}X$/);
    expect(profile.licence).not.toBeNull();
  });

  it('refuses an ID number that fails GB 11643 before asking WeChat (INVALID_ARGUMENT with the reason)', async () => {
    const person = world.newPerson();
    await world.ok('user', { action: 'register' }, person.openid);
    const wrongCheck = person.idNumber.slice(0, 17) + (person.idNumber.endsWith('0') ? '1' : '0');
    const checksum = await world.fails(
      'user',
      { action: 'startFaceVerify', name: person.name, idNumber: wrongCheck, purpose: 'real-person' },
      person.openid,
    );
    expect(checksum).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'idNumber', reasons: ['CHECKSUM'] } });
    const future = makeIdNumber('450103', '2099-01-01', 1);
    const born = await world.fails(
      'user',
      { action: 'startFaceVerify', name: person.name, idNumber: future, purpose: 'real-person' },
      person.openid,
    );
    expect(born).toMatchObject({ code: 'INVALID_ARGUMENT', details: { reasons: ['BIRTH_DATE_FUTURE'] } });
    const badPurpose = await world.fails(
      'user',
      { action: 'startFaceVerify', name: person.name, idNumber: person.idNumber, purpose: 'other' },
      person.openid,
    );
    expect(badPurpose).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'purpose' } });
  });

  it('a failed face is FACE_VERIFY_FAILED, and that verifyId is spent', async () => {
    const person = world.newPerson();
    await world.ok('user', { action: 'register' }, person.openid);
    const { verifyId } = await startVerify(person);
    await world.face(verifyId, false);
    expect((await confirm(verifyId, person.openid)) as unknown).toMatchObject({
      ok: false,
      code: 'FACE_VERIFY_FAILED',
    });
    expect((await confirm(verifyId, person.openid)) as unknown).toMatchObject({
      ok: false,
      code: 'FACE_VERIFY_FAILED',
    });
    expect((await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid)).verified).toBe(false);
  });

  it('confirming before the face scan happened is FACE_VERIFY_FAILED (WeChat has no verify_ret 10000)', async () => {
    const person = world.newPerson();
    await world.ok('user', { action: 'register' }, person.openid);
    const { verifyId } = await startVerify(person);
    expect((await confirm(verifyId, person.openid)) as unknown).toMatchObject({
      ok: false,
      code: 'FACE_VERIFY_FAILED',
    });
    expect((await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid)).verified).toBe(false);
  });

  it('a verifyId is used once: confirming it again is FACE_VERIFY_FAILED', async () => {
    const person = world.newPerson();
    await world.ok('user', { action: 'register' }, person.openid);
    const { verifyId } = await startVerify(person);
    await world.face(verifyId, true);
    await world.ok('user', { action: 'confirmFaceVerify', verifyId }, person.openid);
    const again = await world.fails('user', { action: 'confirmFaceVerify', verifyId }, person.openid);
    expect(again.code).toBe('FACE_VERIFY_FAILED');
  });

  it('a verifyId binds to the openid that asked: another account presenting it is FORBIDDEN and is not verified', async () => {
    const victim = world.newPerson();
    const thief = world.newPerson();
    await world.ok('user', { action: 'register' }, victim.openid);
    await world.ok('user', { action: 'register' }, thief.openid);
    const { verifyId } = await startVerify(victim);
    await world.face(verifyId, true);
    expect((await world.fails('user', { action: 'confirmFaceVerify', verifyId }, thief.openid)).code).toBe('FORBIDDEN');
    expect((await world.ok<ProfileResult>('user', { action: 'profile' }, thief.openid)).verified).toBe(false);
    // The owner of the verifyId can still use it.
    await world.ok('user', { action: 'confirmFaceVerify', verifyId }, victim.openid);
  });

  it('an unknown verifyId is NOT_FOUND; a malformed one is INVALID_ARGUMENT', async () => {
    const person = world.newPerson();
    await world.ok('user', { action: 'register' }, person.openid);
    expect(
      (await world.fails('user', { action: 'confirmFaceVerify', verifyId: 'SANDBOX-made-up' }, person.openid)).code,
    ).toBe('NOT_FOUND');
    expect(
      (await world.fails('user', { action: 'confirmFaceVerify', verifyId: 'has spaces and <b>' }, person.openid)).code,
    ).toBe('INVALID_ARGUMENT');
  });

  it('a verifyId expires after an hour: VERIFY_EXPIRED', async () => {
    const person = world.newPerson();
    await world.ok('user', { action: 'register' }, person.openid);
    const { verifyId } = await startVerify(person);
    await world.face(verifyId, true);
    await world.setClock(3_601_000);
    expect((await world.fails('user', { action: 'confirmFaceVerify', verifyId }, person.openid)).code).toBe(
      'VERIFY_EXPIRED',
    );
  });

  it('one account may start 10 face verifications an hour; the 11th is RATE_LIMITED, and an hour later it may again', async () => {
    const person = world.newPerson();
    await world.ok('user', { action: 'register' }, person.openid);
    for (let i = 0; i < 10; i += 1) await startVerify(person);
    const limited = await world.fails(
      'user',
      { action: 'startFaceVerify', name: person.name, idNumber: person.idNumber, purpose: 'real-person' },
      person.openid,
    );
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 3600 } });
    await world.setClock(3_601_000);
    await startVerify(person);
  });
});

describe('one ID number, one account', () => {
  it('verifying the same ID number from a second openid moves the person (and their bindings and inbox) there and detaches the first', async () => {
    const person = await world.driver();
    const own = await world.car(person);
    await world.bindOwn(own);
    const lender = await world.driver();
    const lent = await world.car(lender);
    await world.bindOther(person, lent);
    // Someone asks the person for their car; the person starts the authorisation on the first account.
    const asker = await world.driver();
    const requestId = await world.request(asker, own);
    const staleVerifyId = await world.authorize(person, requestId);

    const movedAt = new Date().toISOString();
    const second = `${person.openid}-new-phone`;
    await world.ok('user', { action: 'register' }, second);
    const { verifyId } = await startVerify(person, second);
    await world.face(verifyId, true);
    const moved = await world.ok<ConfirmFaceVerifyResult>('user', { action: 'confirmFaceVerify', verifyId }, second);
    expect(moved.movedFromAnotherAccount).toBe(true);
    // The move is audited: from which account to which.
    expect((await world.auditSince(movedAt)).filter((a) => a.action === 'person.moved')).toEqual([
      expect.objectContaining({ openid: second, before: { openid: person.openid }, after: { openid: second } }),
    ]);

    const vehicles = await world.ok<VehicleListResult>('vehicle', { action: 'list' }, second);
    expect(vehicles.vehicles.map((v) => [v.plate, v.relation]).sort()).toEqual(
      [
        [lent.plate, 'other'],
        [own.plate, 'own'],
      ].sort(),
    );
    const inbox = await world.ok<{ incoming: Array<{ requestId: string; status: string }> }>(
      'vehicle',
      { action: 'listRequests' },
      second,
    );
    expect(inbox.incoming).toEqual([expect.objectContaining({ requestId, status: 'pending' })]);

    // The first account is detached: registered, no longer verified, and can no longer act for the person.
    expect(await world.ok<ProfileResult>('user', { action: 'profile' }, person.openid)).toEqual({
      verified: false,
      name: null,
      idNumber: null,
      licence: null,
    });
    for (const [fn, event] of [
      ['vehicle', { action: 'list' }],
      ['violation', { action: 'list' }],
      ['vehicle', { action: 'approve', requestId, verifyId: staleVerifyId }],
    ] as Array<[Fn, Event]>) {
      expect((await world.fails(fn, event, person.openid)).code).toBe('NOT_VERIFIED');
    }
    // The face the first account passed does not approve from the second: a verifyId belongs to the openid that asked.
    expect((await world.fails('vehicle', { action: 'approve', requestId, verifyId: staleVerifyId }, second)).code).toBe(
      'FORBIDDEN',
    );
    const fresh = await world.ok<VerifyIdResult>('vehicle', { action: 'startAuthorize', requestId }, second);
    await world.face(fresh.verifyId, true);
    await world.ok('vehicle', { action: 'approve', requestId, verifyId: fresh.verifyId }, second);
    const owned = await world.ok<VehicleListResult>('vehicle', { action: 'list' }, second);
    expect(owned.vehicles.find((v) => v.plate === own.plate)?.drivers).toHaveLength(1);
  });
});

describe('who may call what', () => {
  /** Every action of every user-facing function, with well-formed params that point at real records of someone else. */
  async function everyAction(): Promise<Array<[Fn, Event]>> {
    const owner = await world.driver();
    const car = await world.car(owner);
    await world.bindOwn(car);
    const [violationId] = await world.violations(car, {});
    const decision = await world.process(owner, [violationId ?? '']);
    if (!decision.ok) throw new Error('process failed');
    const order = await world.ok<{ orderId: string }>(
      'payment',
      { action: 'create', decisionId: decision.data.decisionId },
      owner.openid,
    );
    const asker = await world.driver();
    const requestId = await world.request(asker, car);
    const verifyId = await world.authorize(owner, requestId);
    const someone = world.newPerson();
    return [
      ['user', { action: 'profile' }],
      ['user', { action: 'startFaceVerify', name: someone.name, idNumber: someone.idNumber, purpose: 'real-person' }],
      ['user', { action: 'confirmFaceVerify', verifyId }],
      ['vehicle', { action: 'list' }],
      ['vehicle', { action: 'bindOwn', plate: car.plate, plateType: car.plateType }],
      ['vehicle', { action: 'requestBinding', plate: car.plate, plateType: car.plateType, ownerName: owner.name }],
      ['vehicle', { action: 'listRequests' }],
      ['vehicle', { action: 'startAuthorize', requestId }],
      ['vehicle', { action: 'approve', requestId, verifyId }],
      ['vehicle', { action: 'reject', requestId }],
      ['vehicle', { action: 'unbind', plate: car.plate }],
      ['vehicle', { action: 'revoke', plate: car.plate, bindingId: 'b0000000000000000000000000000000' }],
      ['violation', { action: 'list' }],
      ['violation', { action: 'list', plate: car.plate }],
      ['violation', { action: 'process', violationIds: [violationId] }],
      ['payment', { action: 'create', decisionId: decision.data.decisionId }],
      ['payment', { action: 'status', orderId: order.orderId }],
      ['payment', { action: 'list' }],
    ];
  }

  it('a caller who never registered is UNAUTHENTICATED on every action (and so is a call with no openid)', async () => {
    const actions = await everyAction();
    for (const [fn, event] of actions) {
      const stranger = await world.call(fn, event, 'o-acc-never-registered');
      expect({ fn, action: event['action'], reply: stranger }).toMatchObject({
        reply: { ok: false, code: 'UNAUTHENTICATED' },
      });
      const anonymous = await world.call(fn, event);
      expect({ fn, action: event['action'], reply: anonymous }).toMatchObject({
        reply: { ok: false, code: 'UNAUTHENTICATED' },
      });
    }
  });

  it('a registered caller who has not passed verification is NOT_VERIFIED on every vehicle, violation and payment action', async () => {
    const actions = await everyAction();
    const unverified = await world.driver({ verified: false });
    for (const [fn, event] of actions.filter(([fn]) => fn !== 'user')) {
      const reply = await world.call(fn, event, unverified.openid);
      expect({ fn, action: event['action'], reply }).toMatchObject({ reply: { ok: false, code: 'NOT_VERIFIED' } });
    }
    // The user function itself serves them: that is how they get verified.
    expect((await world.ok<ProfileResult>('user', { action: 'profile' }, unverified.openid)).verified).toBe(false);
  });

  it('unknown actions and missing or mistyped params are INVALID_ARGUMENT, naming the field', async () => {
    const person = await world.driver();
    const cases: Array<[Fn, Event, string]> = [
      ['user', {}, 'action'],
      ['user', { action: 'deleteEverything' }, 'action'],
      ['user', { action: 'toString' }, 'action'],
      ['user', { action: 'startFaceVerify', name: person.name, purpose: 'real-person' }, 'idNumber'],
      [
        'user',
        { action: 'startFaceVerify', name: '<script>', idNumber: person.idNumber, purpose: 'real-person' },
        'name',
      ],
      ['vehicle', { action: 'bindOwn', plate: '桂A12345' }, 'plateType'],
      ['vehicle', { action: 'approve', requestId: 'r1' }, 'verifyId'],
      ['vehicle', { action: 'startAuthorize', requestId: { $ne: null } }, 'requestId'],
      ['violation', { action: 'process', violationIds: 'V1' }, 'violationIds'],
      ['violation', { action: 'process', violationIds: [] }, 'violationIds'],
      ['violation', { action: 'process', violationIds: ['V1', 'V1'] }, 'violationIds[1]'],
      ['violation', { action: 'process', violationIds: Array.from({ length: 21 }, (_, i) => `V${i}`) }, 'violationIds'],
      ['payment', { action: 'create', decisionId: 12 }, 'decisionId'],
      ['payment', { action: 'status' }, 'orderId'],
    ];
    for (const [fn, event, field] of cases) {
      const reply = await world.call(fn, event, person.openid);
      expect({ fn, event, reply }).toMatchObject({
        reply: { ok: false, code: 'INVALID_ARGUMENT', details: { field } },
      });
    }
  });
});

describe('unused face verifications', () => {
  /** The verification record as stored (the functions never answer with it). */
  async function stored(verifyId: string): Promise<Record<string, unknown>> {
    const restore = pointSdkAt(cloud());
    try {
      return (await sdk().database().collection('verifications').doc(keyOf(verifyId)).get()).data;
    } finally {
      restore();
    }
  }

  async function firePurge(): Promise<{ purged: number }> {
    const { status, body } = await cloud().request<{ ok: boolean; data: { purged: number } }>(
      'POST',
      '/timers/user/purge',
      '{}',
      { 'content-type': 'application/json' },
    );
    expect({ status, ok: body.ok }).toEqual({ status: 200, ok: true });
    return body.data;
  }

  it('drop the typed ID number, name and hash an hour after they expired; a used one and a live one are left as they are', async () => {
    const abandoned = world.newPerson();
    await world.ok('user', { action: 'register' }, abandoned.openid);
    const left = await startVerify(abandoned);
    const finished = await world.driver();
    const live = world.newPerson();
    await world.ok('user', { action: 'register' }, live.openid);

    expect(await stored(left.verifyId)).toMatchObject({
      idNumber: abandoned.idNumber,
      name: abandoned.name,
      personalData: true,
    });
    await world.setClock(((left.expiresIn ?? 3_600) + 3_600) * 1000 - 60_000); // a minute short of expiry + 1 h
    await firePurge();
    expect(await stored(left.verifyId)).toMatchObject({ idNumber: abandoned.idNumber, personalData: true });

    await world.setClock(((left.expiresIn ?? 3_600) + 3_600) * 1000 + 60_000);
    const liveVerify = await startVerify(live);
    expect((await firePurge()).purged).toBeGreaterThanOrEqual(1);
    expect(await stored(left.verifyId)).toMatchObject({
      idNumber: '',
      name: '',
      certHash: '',
      personalData: false,
      usedAt: null,
    });
    expect(await stored(liveVerify.verifyId)).toMatchObject({ idNumber: live.idNumber, personalData: true });
    // the finished one had dropped the ID number when it was used; the person's record is untouched
    expect((await world.ok<ProfileResult>('user', { action: 'profile' }, finished.openid)).verified).toBe(true);
    // an abandoned start still counts towards the hourly limit of its account: the record stays
    expect(await stored(left.verifyId)).toMatchObject({ openid: abandoned.openid });
  });

  it("the purge is the timer's alone: a mini-program user sending the timer event is FORBIDDEN", async () => {
    const person = await world.driver();
    const reply = await world.call(
      'user',
      { Type: 'Timer', TriggerName: 'purge', Time: new Date().toISOString() },
      person.openid,
    );
    expect(reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});

finalChecks(w);
