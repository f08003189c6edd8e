/**
 * The police side's accounts on the local cloud: sign-in with password and TOTP, sessions that time out, are
 * revoked or end with the account, roles per action, integration keys, the bootstrap secret, and brute force on
 * one account. Every attack gets a clear code and changes nothing (the store is hashed before and after). The clock
 * only ever moves forward in this file: TOTP steps used in the future cannot be used again.
 */
import { randomBytes } from 'node:crypto';
import { useLocalCloud } from '../helpers/local-cloud';
import { OFFICER_PASSWORD, policeOf, type OfficerAccount } from '../helpers/police';
import { inParallel, tally, World, type Event, type Reply } from '../helpers/story';
import { match } from '../helpers/matchers';
import { StoreReader } from '../reliability/store-reader';
import type {
  MeResult,
  EnrolmentIssuedResult,
  NewIntegrationKeyResult,
  OfficerItem,
  OfficerListResult,
  ReadAuditResult,
} from '../../cloudfunctions/_shared/police/officers/contract';
import type { PoliceRole } from '../../cloudfunctions/_shared/police/access';

jest.setTimeout(120_000);
const cloud = useLocalCloud({}, 60_000);
const world = new World(cloud, 'of');
const police = () => policeOf(cloud());
let store: StoreReader;
beforeAll(async () => {
  store = new StoreReader(cloud().dataDir);
  // the administrator, the role officers and the key exist before any test hashes the store
  await police().integrationKey();
  await police().credentialFor('exportPayments');
});
afterAll(() => (store as StoreReader | undefined)?.close());

let clockMs = 0;
/** Moves the functions' clock forward only (a TOTP step once used stays used). */
async function advance(ms: number): Promise<void> {
  clockMs += ms;
  await world.setClock(clockMs);
}

function admin<T>(event: Event): Promise<Reply<T>> {
  return world.call<T>('admin', event);
}

let made = 0;
/** A new officer with these roles, made by the administrator and enrolled with `password`; not signed in. */
async function newOfficer(roles: PoliceRole[], password = OFFICER_PASSWORD): Promise<OfficerAccount> {
  made += 1;
  const login = `officer${made}-${randomBytes(3).toString('hex')}`;
  const created = await world.admin<EnrolmentIssuedResult>('createOfficer', { login, name: '韦警官', roles });
  expect(created).not.toHaveProperty('totpSecret');
  const account = { login, name: '韦警官', roles, password, totpSecret: '', lastStep: null };
  return police().enrol(account, created.temporaryPassword ?? '');
}

/** A fresh TOTP code: the clock moves on one step first, so signing one officer in twice need not wait 30 s. */
async function freshCode(account: OfficerAccount): Promise<string> {
  await advance(30_000);
  return police().nextCode(account);
}

async function signedIn(account: OfficerAccount): Promise<string> {
  await advance(30_000);
  return (await police().signIn(account)).sessionToken;
}

/** The whole store's hash around `run`: a refused call must not change it. */
async function unchanged(run: () => Promise<void>): Promise<void> {
  const before = store.digest();
  await run();
  expect(store.digest().hash).toBe(before.hash);
}

describe('credentials', () => {
  it('no, wrong, malformed or forged credentials are FORBIDDEN, and write nothing', async () => {
    const me = await world.driver({ licence: null });
    const forged = [
      undefined,
      '',
      'ps_',
      `ps_${randomBytes(32).toString('base64url')}`,
      `pk_0123456789abcdef_${randomBytes(32).toString('base64url')}`,
      `pk_${randomBytes(8).toString('hex')}`,
      cloud().adminToken,
      12345,
      { $ne: null },
      'x'.repeat(10_000),
    ];
    await unchanged(async () => {
      for (const credential of forged)
        for (const openid of [undefined, me.openid]) {
          const event = { action: 'exportPayments', from: '2026-01-01', to: '2026-01-31', credential };
          expect(await world.call('admin', event, openid)).toEqual({
            ok: false,
            code: 'FORBIDDEN',
            message: '您没有权限进行此操作。',
          });
        }
      // the bootstrap secret opens nothing but bootstrapOfficer
      expect(
        await admin({ action: 'exportPayments', from: '2026-01-01', to: '2026-01-31', adminToken: cloud().adminToken }),
      ).toMatchObject({ code: 'FORBIDDEN' });
      // an unknown action is refused for want of a credential before the parser would name it
      expect(await admin({ action: 'dropEverything' })).toMatchObject({ code: 'FORBIDDEN' });
    });
    const session = await police().credentialFor('me');
    expect(await admin({ action: 'dropEverything', credential: session })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'action' },
    });
  });

  it('an officer without the role, and an integration key outside the imports, are FORBIDDEN', async () => {
    const finance = await police().credentialFor('exportPayments');
    const key = await police().integrationKey();
    await unchanged(async () => {
      for (const [action, credential, params] of [
        ['listFaults', finance, { status: 'submitted' }],
        ['importDrivers', finance, { rows: [] }],
        ['createOfficer', finance, { login: 'mallory', name: '张三', roles: ['admin'], password: OFFICER_PASSWORD }],
        ['readAudit', finance, { limit: 10 }],
        ['exportPayments', key, { from: '2026-01-01', to: '2026-01-31' }],
        ['refundQueue', key, {}],
        ['me', key, {}],
        ['createIntegrationKey', key, { name: 'mine' }],
      ] as const) {
        expect({ action, reply: await admin({ action, credential, ...params }) }).toEqual({
          action,
          reply: { ok: false, code: 'FORBIDDEN', message: '您没有权限进行此操作。' },
        });
      }
    });
    expect(await admin({ action: 'importDrivers', credential: key, rows: [] })).toMatchObject({ ok: true });
    expect(
      await admin({ action: 'exportPayments', credential: finance, from: '2026-01-01', to: '2026-01-31' }),
    ).toMatchObject({ ok: true });
  });

  it('integration keys: shown once, rotated (the old one stops at once), revoked', async () => {
    const made = await world.admin<NewIntegrationKeyResult>('createIntegrationKey', { name: '车管所系统' });
    expect(made.key).toMatch(/^pk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const listed = await world.admin<{ keys: { keyId: string }[] }>('listIntegrationKeys');
    expect(JSON.stringify(listed)).not.toContain(made.key.slice(20));
    expect(listed.keys).toContainEqual(match.objectContaining({ keyId: made.item.keyId, state: 'active' }));
    expect(await admin({ action: 'importGuides', credential: made.key, rows: [] })).toMatchObject({ ok: true });
    const rotated = await world.admin<NewIntegrationKeyResult>('rotateIntegrationKey', { keyId: made.item.keyId });
    expect(await admin({ action: 'importGuides', credential: made.key, rows: [] })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await admin({ action: 'importGuides', credential: rotated.key, rows: [] })).toMatchObject({ ok: true });
    await world.admin('revokeIntegrationKey', { keyId: made.item.keyId });
    expect(await admin({ action: 'importGuides', credential: rotated.key, rows: [] })).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await world.adminCall('revokeIntegrationKey', { keyId: made.item.keyId })).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
  });
});

describe('the bootstrap secret', () => {
  it('is refused once an active administrator exists, and writes nothing', async () => {
    await unchanged(async () => {
      for (const adminToken of [cloud().adminToken, 'wrong', undefined]) {
        const reply = await admin({
          action: 'bootstrapOfficer',
          ...(adminToken === undefined ? {} : { adminToken }),
          login: 'second-root',
          name: '张三',
          password: OFFICER_PASSWORD,
        });
        expect(reply).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      }
    });
  });
});

describe('sign-in', () => {
  it('answers a session, the officer and when it ends; me tells the same', async () => {
    const account = await newOfficer(['finance', 'audit']);
    const now = await police().nowMs();
    const reply = await police().signIn(account);
    expect(reply).toEqual({
      sessionToken: match.stringMatching(/^ps_[A-Za-z0-9_-]{43}$/),
      expiresAt: match.any(String),
      idleExpiresAt: match.any(String),
      officer: { login: account.login, name: '韦警官', roles: ['finance', 'audit'] },
      mustEnrol: false,
    });
    expect(Date.parse(reply.expiresAt) - now).toBeGreaterThan(11.9 * 3_600_000);
    expect(Date.parse(reply.idleExpiresAt) - now).toBeLessThanOrEqual(30 * 60_000 + 5_000);
    const me = await admin<MeResult>({ action: 'me', credential: reply.sessionToken });
    expect(me).toMatchObject({ ok: true, data: { officer: reply.officer, expiresAt: reply.expiresAt } });
  });

  it('a replayed sign-in (the same TOTP code) fails and opens nothing', async () => {
    const account = await newOfficer(['finance']);
    const totp = await freshCode(account);
    const event = { action: 'signIn', login: account.login, password: account.password, totp };
    expect(await admin(event)).toMatchObject({ ok: true });
    expect(await admin(event)).toEqual({
      ok: false,
      code: 'SIGN_IN_FAILED',
      message: '账号、密码或动态验证码不正确。',
    });
    // two sign-ins racing with one fresh code: one session
    const racer = await newOfficer(['finance']);
    const fresh = await freshCode(racer);
    const raced = await Promise.all(
      Array.from({ length: 6 }, () =>
        admin({ action: 'signIn', login: racer.login, password: racer.password, totp: fresh }),
      ),
    );
    expect(tally(raced)['ok']).toBe(1);
  });

  it('an unknown login and a wrong password get the identical answer, count and wait alike', async () => {
    const account = await newOfficer(['finance']);
    const tries = async (login: string, password: string): Promise<Reply<unknown>[]> => {
      const replies: Reply<unknown>[] = [];
      for (let i = 0; i < 4; i += 1) replies.push(await admin({ action: 'signIn', login, password, totp: '123456' }));
      return replies;
    };
    const wrong = await tries(account.login, 'not-the-password-1');
    const unknown = await tries(`nobody-${randomBytes(3).toString('hex')}`, account.password);
    expect(unknown).toEqual(wrong);
    expect(wrong.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
      'SIGN_IN_FAILED',
      'SIGN_IN_FAILED',
      'SIGN_IN_FAILED',
      'RATE_LIMITED',
    ]);
    expect(wrong[3]).toMatchObject({ details: { retryAfterSeconds: 30 } });
    // the right password waits too while the login is slowed
    expect(
      await admin({
        action: 'signIn',
        login: account.login,
        password: account.password,
        totp: await police().nextCode(account),
      }),
    ).toMatchObject({ code: 'RATE_LIMITED' });
    const trail = await world.auditSince(new Date(Date.now() + clockMs - 120_000).toISOString());
    const failed = trail.filter((e) => e.action === 'admin.signInFailed');
    expect(failed.filter((e) => e.target === `officers/${account.login}`)).toHaveLength(3);
    expect(failed.filter((e) => e.target.startsWith('officers/nobody-'))).toHaveLength(3);
    expect(JSON.stringify(trail)).not.toContain(account.password);
  });

  it('50 concurrent wrong passwords on one account: at most 10 are let through, then ACCOUNT_LOCKED until unlocked', async () => {
    const victim = await newOfficer(['finance']);
    const session = await signedIn(victim);
    const codes: Record<string, number> = {};
    let letThrough = 0;
    for (let round = 0; round < 12; round += 1) {
      const replies = await inParallel(Array.from({ length: 50 }), 50, () =>
        admin({ action: 'signIn', login: victim.login, password: `wrong-password-${round}`, totp: '000000' }),
      );
      for (const [code, n] of Object.entries(tally(replies))) codes[code] = (codes[code] ?? 0) + n;
      letThrough += tally(replies)['SIGN_IN_FAILED'] ?? 0;
      if (replies.every((r) => !r.ok && r.code === 'ACCOUNT_LOCKED')) break;
      // past any wait (at most 32 minutes before the 10th), without signing anyone's code twice
      await advance(3_600_000);
    }
    expect(letThrough).toBe(10);
    expect(codes['ok']).toBeUndefined();
    const right = { action: 'signIn', login: victim.login, password: victim.password };
    await unchanged(async () => {
      expect(await admin({ ...right, totp: await freshCode(victim) })).toEqual({
        ok: false,
        code: 'ACCOUNT_LOCKED',
        message: '账号因多次登录失败已被锁定，请联系管理员解锁。',
      });
    });
    // the lock ended the session the officer had
    expect(await admin({ action: 'me', credential: session })).toMatchObject({ code: 'SESSION_EXPIRED' });
    const listed = await world.admin<OfficerListResult>('listOfficers');
    expect(listed.officers.find((o) => o.login === victim.login)?.state).toBe('locked');
    expect(await world.adminCall('updateOfficer', { login: victim.login, state: 'active' })).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
    expect(await world.admin<OfficerItem>('unlockOfficer', { login: victim.login })).toMatchObject({ state: 'active' });
    expect(await admin({ ...right, totp: await freshCode(victim) })).toMatchObject({ ok: true });
  });
});

describe('sessions', () => {
  it('end after 30 idle minutes, slide with use, and end after 12 hours whatever', async () => {
    const account = await newOfficer(['audit']);
    const idle = await signedIn(account);
    await advance(20 * 60_000);
    expect(await admin({ action: 'me', credential: idle })).toMatchObject({ ok: true });
    await advance(20 * 60_000);
    // 40 minutes after sign-in, 20 after its last use
    expect(await admin({ action: 'me', credential: idle })).toMatchObject({ ok: true });
    await advance(31 * 60_000);
    await unchanged(async () => {
      expect(await admin({ action: 'me', credential: idle })).toEqual({
        ok: false,
        code: 'SESSION_EXPIRED',
        message: '登录已过期，请重新登录。',
      });
    });
    const busy = await signedIn(account);
    for (let minutes = 0; minutes < 12 * 60; minutes += 25) {
      expect(await admin({ action: 'me', credential: busy })).toMatchObject({ ok: true });
      await advance(25 * 60_000);
    }
    expect(await admin({ action: 'me', credential: busy })).toMatchObject({ code: 'SESSION_EXPIRED' });
  });

  it('sign-out ends that session only', async () => {
    const account = await newOfficer(['audit']);
    const first = await signedIn(account);
    const second = await signedIn(account);
    expect(await admin({ action: 'signOut', credential: first })).toEqual({ ok: true, data: { signedOut: true } });
    expect(await admin({ action: 'me', credential: first })).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(await admin({ action: 'signOut', credential: first })).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(await admin({ action: 'me', credential: second })).toMatchObject({ ok: true });
  });

  it("a disabled officer's old session is over, and stays over when the account is enabled again", async () => {
    const account = await newOfficer(['finance']);
    const session = await signedIn(account);
    await world.admin('updateOfficer', { login: account.login, state: 'disabled' });
    const event = { action: 'exportPayments', from: '2026-01-01', to: '2026-01-31', credential: session };
    await unchanged(async () => {
      expect(await admin(event)).toMatchObject({ code: 'SESSION_EXPIRED' });
    });
    // a disabled account cannot sign in: answered like a wrong password
    expect(
      await admin({
        action: 'signIn',
        login: account.login,
        password: account.password,
        totp: await freshCode(account),
      }),
    ).toMatchObject({ code: 'SIGN_IN_FAILED' });
    await world.admin('updateOfficer', { login: account.login, state: 'active' });
    expect(await admin(event)).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(await admin({ ...event, credential: await signedIn(account) })).toMatchObject({ ok: true });
  });

  it('a role taken away ends the sessions that carried it', async () => {
    const account = await newOfficer(['finance', 'audit']);
    const session = await signedIn(account);
    await world.admin('updateOfficer', { login: account.login, roles: ['audit'] });
    expect(await admin({ action: 'me', credential: session })).toMatchObject({ code: 'SESSION_EXPIRED' });
    const again = await signedIn(account);
    expect(
      await admin({ action: 'exportPayments', from: '2026-01-01', to: '2026-01-31', credential: again }),
    ).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('a password change ends every session; the wrong current password changes nothing', async () => {
    const account = await newOfficer(['audit']);
    const one = await signedIn(account);
    const two = await signedIn(account);
    const next = 'a-brand-new-passphrase';
    expect(await admin({ action: 'changePassword', credential: one, current: 'not-my-password', next })).toMatchObject({
      code: 'SIGN_IN_FAILED',
    });
    expect(
      await admin({ action: 'changePassword', credential: one, current: account.password, next: 'short' }),
    ).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'next' },
    });
    expect(await admin({ action: 'changePassword', credential: one, current: account.password, next })).toEqual({
      ok: true,
      data: { sessionsEnded: true },
    });
    for (const session of [one, two])
      expect(await admin({ action: 'me', credential: session })).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(
      await admin({
        action: 'signIn',
        login: account.login,
        password: account.password,
        totp: await freshCode(account),
      }),
    ).toMatchObject({ code: 'SIGN_IN_FAILED' });
    expect(await signedIn({ ...account, password: next })).toMatch(/^ps_/);
  });
});

describe('administration', () => {
  it('the last active administrator can be neither disabled nor stripped of the role', async () => {
    const root = await police().admin();
    // a live administrator's session first: signing in again inside the check would be a write
    await world.admin('me');
    await unchanged(async () => {
      for (const change of [{ state: 'disabled' }, { roles: ['finance'] }])
        expect(await world.adminCall('updateOfficer', { login: root.login, ...change })).toMatchObject({
          code: 'INVALID_TRANSITION',
          message: '至少要保留一名在用的管理员。',
        });
    });
    const deputy = await newOfficer(['admin']);
    expect(await world.admin<OfficerItem>('updateOfficer', { login: deputy.login, state: 'disabled' })).toMatchObject({
      state: 'disabled',
    });
    expect(await world.adminCall('updateOfficer', { login: root.login, state: 'disabled' })).toMatchObject({
      code: 'INVALID_TRANSITION',
    });
  });

  it('refuses a taken login, a weak password, unknown roles; lists officers without secrets', async () => {
    const account = await newOfficer(['finance']);
    for (const [params, field] of [
      [{ login: account.login, name: '李四', roles: ['finance'], password: OFFICER_PASSWORD }, 'login'],
      [{ login: 'newbie', name: '李四', roles: ['finance'], password: 'short' }, 'password'],
      [{ login: 'newbie', name: '李四', roles: ['finance'], password: 'newbie-is-my-password' }, 'password'],
      [{ login: 'newbie', name: '李四', roles: ['root'], password: OFFICER_PASSWORD }, 'roles'],
      [{ login: 'newbie', name: '李四', roles: [], password: OFFICER_PASSWORD }, 'roles'],
    ] as const)
      expect(await world.adminCall('createOfficer', params)).toMatchObject({
        code: 'INVALID_ARGUMENT',
        details: { field },
      });
    const listed = await world.admin<OfficerListResult>('listOfficers');
    expect(listed.officers).toContainEqual(
      match.objectContaining({ login: account.login, roles: ['finance'], state: 'active' }),
    );
    const text = JSON.stringify(listed);
    expect(text).not.toContain(account.totpSecret);
    expect(text).not.toMatch(/scrypt|passwordHash|totpSecret/);
  });

  it('a reset password ends the sessions; the officer enrols again with the one the admin chose', async () => {
    const account = await newOfficer(['audit']);
    const session = await signedIn(account);
    await world.admin('resetOfficerPassword', { login: account.login, password: 'reset-by-the-admin-1' });
    expect(await admin({ action: 'me', credential: session })).toMatchObject({ code: 'SESSION_EXPIRED' });
    await advance(30_000);
    const again = await police().enrol({ ...account, password: 'chosen-by-the-officer-2' }, 'reset-by-the-admin-1');
    expect(await signedIn(again)).toMatch(/^ps_/);
  });
});

describe('the audit trail', () => {
  it('names the actor of every police call, never a secret, and reads back a page at a time', async () => {
    const finance = await newOfficer(['finance']);
    const financeSession = await signedIn(finance);
    for (let i = 0; i < 5; i += 1)
      expect(
        await admin({ action: 'exportPayments', credential: financeSession, from: '2026-01-01', to: '2026-01-31' }),
      ).toMatchObject({ ok: true });
    const label = `officer:${finance.login}`;
    const auditor = await signedIn(await newOfficer(['audit']));
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const reply = await admin<ReadAuditResult>({
        action: 'readAudit',
        credential: auditor,
        actor: label,
        limit: 2,
        ...(after === undefined ? {} : { after }),
      });
      if (!reply.ok) throw new Error(JSON.stringify(reply));
      seen.push(...reply.data.entries.map((e) => `${e.action}:${e.id}`));
      for (const entry of reply.data.entries)
        expect(entry.actor).toEqual({ label, login: finance.login, name: '韦警官' });
      if (reply.data.next === null) break;
      after = reply.data.next;
    }
    // the enrolment, the sign-in and five exports, newest first, none twice
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    expect(seen.slice(0, 5).every((s) => s.startsWith('police.exportPayments:'))).toBe(true);
    expect(seen.slice(5).map((s) => s.split(':')[0])).toEqual([
      'admin.signIn',
      'police.completeEnrolment',
      'police.startEnrolment',
      'admin.signInToEnrol',
    ]);
    const all = await admin<ReadAuditResult>({ action: 'readAudit', credential: auditor, limit: 200 });
    const text = JSON.stringify(all);
    expect(text).not.toContain(OFFICER_PASSWORD);
    expect(text).not.toMatch(/ps_[A-Za-z0-9_-]{43}|pk_[0-9a-f]{16}_/);
    expect(text).not.toContain(financeSession);
    expect(text).not.toContain(finance.totpSecret);
  });
});

describe('whole file', () => {
  it('every query the functions made was served by a declared index (unindexedQueries = 0)', async () => {
    const { store: stats } = await world.stats();
    expect(stats.unindexedShapes).toEqual({});
    expect(stats.unindexedQueries).toBe(0);
  });
});
