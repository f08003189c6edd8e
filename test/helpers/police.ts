/**
 * The police side's credentials for tests, one set per local cloud: an administrator made with the bootstrap secret
 * (or, on a cloud the seed prepared, the demo officers of `<data>/demo-officers.json`), officers holding the roles an
 * action needs, signed in with TOTP codes computed at the local cloud's clock, and an integration key for imports.
 *
 *   const police = policeOf(cloud());
 *   const credential = await police.credentialFor('exportPayments');   // a signed-in finance officer's session
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { ACTION_ACCESS, type ActionAccess, type PoliceRole } from '../../cloudfunctions/_shared/police/access';
import type {
  EnrolmentIssuedResult,
  NewIntegrationKeyResult,
  NewOfficerResult,
  SignInResult,
  StartEnrolmentResult,
} from '../../cloudfunctions/_shared/police/officers/contract';
import type { RunningCloud } from './local-cloud';

/** The password of every officer the helper makes (the policy's 12 characters and more). */
export const OFFICER_PASSWORD = 'Nanning-police-2026!';

export interface OfficerAccount {
  login: string;
  name: string;
  roles: PoliceRole[];
  password: string;
  totpSecret: string;
  /** The last TOTP time step this helper used for the account (the server accepts each step once). */
  lastStep: number | null;
}

type Body = { ok: true; data: unknown } | { ok: false; code: string; message: string };

const PERIOD_MS = 30_000;

/** The file the seed writes (scripts/local-cloud/seed-runner.ts). */
interface DemoOfficers {
  password: string;
  officers: { login: string; name: string; roles: PoliceRole[]; totpSecret: string }[];
  integrationKey: string;
}

/** The time left in a step for its code to reach the server, when the server would take the step before its own. */
const PREVIOUS_STEP_MARGIN_MS = 15_000;

/**
 * The earliest TOTP step after `lastStep` the server accepts at `nowMs` (it takes the current step and either
 * neighbour), or null when all three were used: three sign-ins of one officer in a window need not wait.
 */
export function freshTotpStep(nowMs: number, lastStep: number | null): number | null {
  const current = Math.floor(nowMs / PERIOD_MS);
  const earliest = PERIOD_MS - (nowMs % PERIOD_MS) > PREVIOUS_STEP_MARGIN_MS ? current - 1 : current;
  const step = Math.max(earliest, (lastStep ?? earliest - 1) + 1);
  return step <= current + 1 ? step : null;
}

function totpAt(secret: string, timestampMs: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: timestampMs, period: 30, digits: 6 });
}

export class Police {
  private adminAccount: Promise<OfficerAccount> | null = null;
  private readonly accounts = new Map<string, Promise<OfficerAccount>>();
  private readonly sessions = new Map<string, Promise<string>>();
  private key: Promise<string> | null = null;
  private demo: DemoOfficers | null | undefined;

  constructor(private readonly cloud: RunningCloud) {}

  /** A raw `admin` call's body (HTTP 200 expected). */
  async call(event: Record<string, unknown>): Promise<Body> {
    const reply = await this.cloud.call<Body>('admin', event);
    if (reply.status !== 200) throw new Error(`admin answered HTTP ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  async must<T>(event: Record<string, unknown>): Promise<T> {
    const body = await this.call(event);
    if (!body.ok) throw new Error(`admin.${String(event['action'])} failed: ${JSON.stringify(body)}`);
    return body.data as T;
  }

  /** An action as the administrator; a session the moved clock ended is signed in again once. */
  private async asAdmin<T>(event: Record<string, unknown>): Promise<T> {
    const credential = await this.session(await this.admin());
    const body = await this.call({ ...event, credential });
    if (!body.ok && body.code === 'SESSION_EXPIRED') {
      await this.forget(credential);
      return this.must<T>({ ...event, credential: await this.session(await this.admin()) });
    }
    if (!body.ok) throw new Error(`admin.${String(event['action'])} failed: ${JSON.stringify(body)}`);
    return body.data as T;
  }

  /** The functions' clock (the sandbox may have moved it). */
  async nowMs(): Promise<number> {
    const reply = await this.cloud.request<{ now: string }>('GET', '/sandbox/clock');
    return Date.parse(reply.body.now);
  }

  /** A code the server has not seen for this account: the earliest step it accepts now, else the next window's. */
  async nextCode(account: OfficerAccount): Promise<string> {
    for (let waited = 0; ; waited += 1) {
      // a step used while the clock was moved further ahead cannot be used again until real time passes it
      if (waited > 45) throw new Error(`${account.login} used a TOTP step of a later clock; sign in another officer`);
      const now = await this.nowMs();
      const step = freshTotpStep(now, account.lastStep);
      if (step !== null) {
        account.lastStep = step;
        return totpAt(account.totpSecret, step * PERIOD_MS);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, PERIOD_MS - (now % PERIOD_MS) + 50)));
    }
  }

  async signIn(account: OfficerAccount): Promise<SignInResult> {
    return this.must<SignInResult>({
      action: 'signIn',
      login: account.login,
      password: account.password,
      totp: await this.nextCode(account),
    });
  }

  private demoOfficers(): DemoOfficers | null {
    if (this.demo === undefined) {
      const file = path.join(this.cloud.dataDir, 'demo-officers.json');
      this.demo = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoOfficers) : null;
    }
    return this.demo;
  }

  private async makeAdmin(): Promise<OfficerAccount> {
    const demo = this.demoOfficers();
    if (demo !== null) {
      const found = demo.officers.find((o) => o.roles.includes('admin'));
      if (!found) throw new Error('demo-officers.json names no administrator');
      // the seed signed in with the current step: start after it
      const step = Math.floor((await this.nowMs()) / PERIOD_MS);
      return { ...found, password: demo.password, lastStep: step };
    }
    const made = await this.must<NewOfficerResult>({
      action: 'bootstrapOfficer',
      adminToken: this.cloud.adminToken,
      login: 'test-admin',
      name: '测试管理员',
      password: OFFICER_PASSWORD,
    });
    return {
      login: made.officer.login,
      name: made.officer.name,
      roles: [...made.officer.roles],
      password: OFFICER_PASSWORD,
      totpSecret: made.totpSecret,
      lastStep: null,
    };
  }

  /** The administrator (made on first use). */
  admin(): Promise<OfficerAccount> {
    this.adminAccount ??= this.makeAdmin();
    return this.adminAccount;
  }

  /** An officer holding exactly these roles (made by the administrator on first use). */
  officer(roles: readonly PoliceRole[]): Promise<OfficerAccount> {
    const id = [...roles].sort().join('+');
    let account = this.accounts.get(id);
    if (!account) {
      account = this.makeOfficer(roles);
      this.accounts.set(id, account);
    }
    return account;
  }

  private async makeOfficer(roles: readonly PoliceRole[]): Promise<OfficerAccount> {
    const demo = this.demoOfficers();
    const seeded = demo?.officers.find(
      (o) => o.roles.length === roles.length && roles.every((r) => o.roles.includes(r)),
    );
    if (demo && seeded) {
      // the seed signed demo-admin in with the current step and enrolled the others with the one before
      const step = Math.floor((await this.nowMs()) / PERIOD_MS);
      return { ...seeded, password: demo.password, lastStep: seeded.roles.includes('admin') ? step : step - 1 };
    }
    const login = `test-${[...roles].sort().join('-').toLowerCase()}`.slice(0, 32);
    const made = await this.asAdmin<EnrolmentIssuedResult>({ action: 'createOfficer', login, name: '测试警员', roles });
    return this.enrol(
      { login, name: '测试警员', roles: [...roles], password: OFFICER_PASSWORD, totpSecret: '', lastStep: null },
      made.temporaryPassword ?? '',
    );
  }

  /**
   * Signs in with the temporary password and enrols: a fresh secret, the account's password as the new one, and a
   * code of the secret. Answers the account with its secret (the completion's session is left to time out).
   */
  async enrol(account: OfficerAccount, temporaryPassword: string): Promise<OfficerAccount> {
    const enrolment = await this.must<SignInResult>({
      action: 'signIn',
      login: account.login,
      password: temporaryPassword,
    });
    const secret = await this.must<StartEnrolmentResult>({
      action: 'startEnrolment',
      credential: enrolment.sessionToken,
    });
    const enrolled: OfficerAccount = { ...account, totpSecret: secret.totpSecret, lastStep: null };
    await this.must<SignInResult>({
      action: 'completeEnrolment',
      credential: enrolment.sessionToken,
      newPassword: account.password,
      totp: await this.nextCode(enrolled),
    });
    return enrolled;
  }

  /** A signed-in session of the account (signed in once, then reused until forgotten). */
  session(account: OfficerAccount): Promise<string> {
    let session = this.sessions.get(account.login);
    if (!session) {
      session = this.signIn(account).then((r) => r.sessionToken);
      this.sessions.set(account.login, session);
      session.catch(() => this.sessions.delete(account.login));
    }
    return session;
  }

  /** Drops a session that the server said was over (timed out, signed out), so the next use signs in again. */
  async forget(credential: string): Promise<void> {
    for (const [login, session] of this.sessions) {
      if ((await session.catch(() => null)) === credential) this.sessions.delete(login);
    }
  }

  /** The integration key (made by the administrator on first use, or the seed's). */
  integrationKey(): Promise<string> {
    this.key ??= (async () => {
      const demo = this.demoOfficers();
      if (demo) return demo.integrationKey;
      const made = await this.asAdmin<NewIntegrationKeyResult>({
        action: 'createIntegrationKey',
        name: 'test-imports',
      });
      return made.key;
    })();
    return this.key;
  }

  /** The credential an action needs: the integration key where one may be used, else an officer with its role. */
  async credentialFor(action: string): Promise<string> {
    const table: Readonly<Record<string, ActionAccess>> = ACTION_ACCESS;
    const access = Object.prototype.hasOwnProperty.call(table, action) ? table[action] : undefined;
    if (access?.integration) return this.integrationKey();
    const role = access?.roles[0];
    return this.session(role === undefined || role === 'admin' ? await this.admin() : await this.officer([role]));
  }
}

const police = new Map<string, Police>();

/** The one Police of a running local cloud (its url and data folder name it). */
export function policeOf(cloud: RunningCloud): Police {
  const id = `${cloud.url}|${cloud.dataDir}`;
  let found = police.get(id);
  if (!found) {
    found = new Police(cloud);
    police.set(id, found);
  }
  return found;
}
