/**
 * Enrolment on the local cloud: an officer an administrator makes or resets signs in with a temporary password
 * alone, gets an enrolment session that opens nothing but enrolment, and leaves it with their own password and TOTP.
 * The clock only ever moves forward in this file: TOTP steps used in the future cannot be used again.
 */
import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { useLocalCloud } from '../helpers/local-cloud';
import { OFFICER_PASSWORD, policeOf, type OfficerAccount } from '../helpers/police';
import { World, type Event, type Reply } from '../helpers/story';
import type {
  EnrolmentIssuedResult,
  ResetOfficerResult,
  SignInResult,
  StartEnrolmentResult,
} from '../../cloudfunctions/_shared/police/officers/contract';
import type { PoliceRole } from '../../cloudfunctions/_shared/police/access';

jest.setTimeout(120_000);
const cloud = useLocalCloud({}, 60_000);
const world = new World(cloud, 'en');
const police = () => policeOf(cloud());
beforeAll(async () => {
  await police().credentialFor('listOfficers');
});

let clockMs = 0;
async function advance(ms: number): Promise<void> {
  clockMs += ms;
  await world.setClock(clockMs);
}

function admin<T>(event: Event): Promise<Reply<T>> {
  return world.call<T>('admin', event);
}

async function must<T>(event: Event): Promise<T> {
  const reply = await admin<T>(event);
  if (!reply.ok) throw new Error(`admin.${String(event['action'])} failed: ${JSON.stringify(reply)}`);
  return reply.data;
}

let made = 0;
/** A new officer made by the administrator: the answer carries the temporary password, never a secret. */
async function created(roles: PoliceRole[] = ['finance']): Promise<{ login: string; temporary: string }> {
  made += 1;
  const login = `enrol${made}-${randomBytes(3).toString('hex')}`;
  const answer = await world.admin<EnrolmentIssuedResult>('createOfficer', { login, name: '韦警官', roles });
  expect(answer).toEqual({
    officer: { login, name: '韦警官', roles },
    mustEnrol: true,
    temporaryPassword: answer.temporaryPassword,
  });
  expect(answer.temporaryPassword).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
  return { login, temporary: answer.temporaryPassword ?? '' };
}

async function enrolmentSession(login: string, password: string): Promise<SignInResult> {
  return must<SignInResult>({ action: 'signIn', login, password });
}

async function codeAt(secret: string, offsetSteps = 0): Promise<string> {
  const now = await police().nowMs();
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now + offsetSteps * 30_000 });
}

describe('enrolment', () => {
  it('the temporary password alone opens a 15-minute session that reaches only enrolment', async () => {
    const { login, temporary } = await created();
    const now = await police().nowMs();
    const session = await enrolmentSession(login, temporary);
    expect(session).toMatchObject({ mustEnrol: true, officer: { login, roles: ['finance'] } });
    expect(Date.parse(session.expiresAt) - now).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    for (const action of ['listRefunds', 'me', 'signOut', 'changePassword', 'listOfficers', 'noSuchAction'])
      expect(await admin({ action, credential: session.sessionToken, limit: 10 })).toMatchObject({
        ok: false,
        code: 'FORBIDDEN',
      });
    // and a normal session cannot reach enrolment
    const finance = await world.credentialFor('listRefunds');
    expect(await admin({ action: 'startEnrolment', credential: finance })).toMatchObject({ code: 'FORBIDDEN' });
    // a code typed alongside is ignored; a wrong temporary password is the usual answer
    expect(await admin({ action: 'signIn', login, password: temporary, totp: '123456' })).toMatchObject({ ok: true });
    expect(await admin({ action: 'signIn', login, password: `${temporary}x` })).toEqual({
      ok: false,
      code: 'SIGN_IN_FAILED',
      message: '账号、密码或动态验证码不正确。',
    });
  });

  it('refuses a wrong code, a weak or unchanged password and a code before the QR; then enrols', async () => {
    const { login, temporary } = await created();
    const { sessionToken } = await enrolmentSession(login, temporary);
    const complete = (newPassword: string, totp: string) =>
      admin({ action: 'completeEnrolment', credential: sessionToken, newPassword, totp });
    expect(await complete(OFFICER_PASSWORD, '123456')).toMatchObject({ code: 'INVALID_TRANSITION' });
    const { totpSecret, otpauthUri } = await must<StartEnrolmentResult>({
      action: 'startEnrolment',
      credential: sessionToken,
    });
    expect(otpauthUri).toMatch(new RegExp(`^otpauth://totp/.*${login}.*secret=${totpSecret}`));
    const wrong = (await codeAt(totpSecret)) === '000000' ? '000001' : '000000';
    expect(await complete(OFFICER_PASSWORD, wrong)).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'totp' },
    });
    expect(await complete('short', await codeAt(totpSecret))).toMatchObject({ details: { field: 'newPassword' } });
    expect(await complete(temporary, await codeAt(totpSecret))).toMatchObject({ details: { field: 'newPassword' } });

    const code = await codeAt(totpSecret);
    const done = await must<SignInResult>({
      action: 'completeEnrolment',
      credential: sessionToken,
      newPassword: OFFICER_PASSWORD,
      totp: code,
    });
    expect(done).toMatchObject({ mustEnrol: false, officer: { login } });
    expect(await admin({ action: 'listRefunds', credential: done.sessionToken, limit: 10 })).toMatchObject({
      ok: true,
    });
    // replays: the enrolment session is over, the temporary password and the completion's code open nothing
    expect(await complete(OFFICER_PASSWORD, code)).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(await admin({ action: 'signIn', login, password: temporary })).toMatchObject({ code: 'SIGN_IN_FAILED' });
    expect(await admin({ action: 'signIn', login, password: OFFICER_PASSWORD, totp: code })).toMatchObject({
      code: 'SIGN_IN_FAILED',
    });
    // without a code the enrolled officer is refused like any wrong answer
    expect(await admin({ action: 'signIn', login, password: OFFICER_PASSWORD })).toMatchObject({
      code: 'SIGN_IN_FAILED',
    });
    await advance(30_000);
    expect(
      await admin({ action: 'signIn', login, password: OFFICER_PASSWORD, totp: await codeAt(totpSecret) }),
    ).toMatchObject({
      ok: true,
      data: { mustEnrol: false },
    });
  });

  it('a second QR replaces the first; an enrolment session ends after 15 minutes', async () => {
    const { login, temporary } = await created();
    const { sessionToken } = await enrolmentSession(login, temporary);
    const first = await must<StartEnrolmentResult>({ action: 'startEnrolment', credential: sessionToken });
    const second = await must<StartEnrolmentResult>({ action: 'startEnrolment', credential: sessionToken });
    expect(second.totpSecret).not.toBe(first.totpSecret);
    expect(
      await admin({
        action: 'completeEnrolment',
        credential: sessionToken,
        newPassword: OFFICER_PASSWORD,
        totp: await codeAt(first.totpSecret),
      }),
    ).toMatchObject({ details: { field: 'totp' } });
    await advance(15 * 60_000);
    expect(await admin({ action: 'startEnrolment', credential: sessionToken })).toMatchObject({
      code: 'SESSION_EXPIRED',
    });
  });

  it('wrong temporary passwords count like any sign-in: 3 free, then a wait', async () => {
    const { login, temporary } = await created();
    for (let i = 0; i < 3; i += 1)
      expect(await admin({ action: 'signIn', login, password: 'not-the-temporary-one' })).toMatchObject({
        code: 'SIGN_IN_FAILED',
      });
    expect(await admin({ action: 'signIn', login, password: temporary })).toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 30 },
    });
  });
});

describe('resets', () => {
  it("resetting the TOTP ends the officer's sessions and sends them through enrolment again", async () => {
    const { login, temporary } = await created(['audit']);
    const enrolled: OfficerAccount = await police().enrol(
      { login, name: '韦警官', roles: ['audit'], password: OFFICER_PASSWORD, totpSecret: '', lastStep: null },
      temporary,
    );
    await advance(30_000);
    const session = (await police().signIn(enrolled)).sessionToken;
    const reset = await world.admin<ResetOfficerResult>('resetOfficerTotp', { login });
    expect(reset).toMatchObject({ login, mustEnrol: true });
    expect(reset).not.toHaveProperty('totpSecret');
    expect(await admin({ action: 'readAudit', credential: session, limit: 1 })).toMatchObject({
      code: 'SESSION_EXPIRED',
    });
    // the old password and code open nothing; the new temporary password opens enrolment
    await advance(30_000);
    expect(
      await admin({ action: 'signIn', login, password: OFFICER_PASSWORD, totp: await codeAt(enrolled.totpSecret) }),
    ).toMatchObject({ code: 'SIGN_IN_FAILED' });
    const again = await enrolmentSession(login, reset.temporaryPassword ?? '');
    expect(again.mustEnrol).toBe(true);
  });

  it('an administrator may choose the temporary password; it is not answered back', async () => {
    const { login } = await created();
    const reset = await world.admin<ResetOfficerResult>('resetOfficerPassword', {
      login,
      password: 'chosen-by-admin-77',
    });
    expect(reset).not.toHaveProperty('temporaryPassword');
    expect((await enrolmentSession(login, 'chosen-by-admin-77')).mustEnrol).toBe(true);
    expect(await world.adminCall('resetOfficerTotp', { login: 'nobody-here' })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
