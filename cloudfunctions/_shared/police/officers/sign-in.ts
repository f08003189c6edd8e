/**
 * Signing in and out. Every try is first claimed on its login's counter and its source's counter in one transaction
 * (counted as failed until proven otherwise), so concurrent guesses queue behind the wait and the lock; only then is
 * the password checked. An unknown login has a counter like any other and costs the same scrypt: its answer and its
 * behaviour are those of a wrong password. An officer who must enrol signs in with the temporary password alone and
 * gets a short enrolment session.
 */
import { DomainError } from '../../../../miniprogram/domain/core/errors';
import { audit, type AuditActor } from '../../audit';
import { nowIso, nowMs } from '../../clock';
import { COLLECTIONS } from '../../collections';
import { database, getById, setById, updateById, type NewDoc } from '../../db';
import type { OfficerDoc, OfficerSessionDoc, SignInAttemptDoc } from '../../records';
import { inTransaction, type Tx } from '../../transaction';
import type { Caller } from '../../handler';
import type { SignInParams, SignInResult, SignedOutResult } from './contract';
import { newSessionToken, passwordMatches, sha256Hex, totpStepOf } from './credentials';
import {
  afterSignInFailure,
  ENROLMENT_SESSION_MS,
  loginGate,
  LOCK_AFTER_SIGN_IN_FAILURES,
  NO_LOGIN_ATTEMPTS,
  nextState,
  sessionEndsAt,
  sourceGate,
  totpStepFresh,
  type LoginAttempts,
  type SourceAttempts,
} from './rules';
import { adminsAfter, saveAdmins } from './admins';

/** Concurrent tries on one login collide on its counter; they should queue, not fail with CONFLICT. */
const CLAIM_ATTEMPTS = 12;

const ANONYMOUS: AuditActor = { label: 'anonymous' };

/** Where a try comes from: the HTTP client's address, or every direct invocation together. */
export function sourceOf(caller: Caller): string {
  const ip = caller.http?.sourceIp;
  return typeof ip === 'string' && ip !== '' ? `ip:${ip}` : 'direct';
}

function loginCounterId(login: string): string {
  return `login:${login}`;
}

function sourceCounterId(source: string): string {
  return `source:${sha256Hex(source).slice(0, 32)}`;
}

function loginAttemptsOf(doc: SignInAttemptDoc | null): LoginAttempts {
  return doc === null
    ? NO_LOGIN_ATTEMPTS
    : { failures: doc.failures ?? 0, blockedUntilMs: doc.blockedUntilMs ?? 0, locked: doc.locked === true };
}

function sourceAttemptsOf(doc: SignInAttemptDoc | null): SourceAttempts | null {
  return doc === null ? null : { windowStartMs: doc.windowStartMs ?? 0, failures: doc.failures ?? 0 };
}

/**
 * Claims one try of `login` from `source`: refused (ACCOUNT_LOCKED, RATE_LIMITED) without writing anything, or
 * counted as a failure on both counters before the password is checked. Used by sign-in and by password changes.
 */
export async function claimAttempt(login: string, source: string): Promise<void> {
  await inTransaction(async (tx) => {
    const now = nowMs();
    const loginDoc = await getById<SignInAttemptDoc>(tx, COLLECTIONS.signInAttempts, loginCounterId(login));
    const attempts = loginAttemptsOf(loginDoc);
    const gate = loginGate(attempts, now);
    if (!gate.allowed) {
      if (gate.locked) throw new DomainError('ACCOUNT_LOCKED');
      throw new DomainError('RATE_LIMITED', `登录失败次数较多，请 ${gate.retryAfterSeconds} 秒后再试。`, {
        retryAfterSeconds: gate.retryAfterSeconds,
      });
    }
    const sourceDoc = await getById<SignInAttemptDoc>(tx, COLLECTIONS.signInAttempts, sourceCounterId(source));
    const sources = sourceGate(sourceAttemptsOf(sourceDoc), now);
    if (sources.retryAfterSeconds !== null)
      throw new DomainError('RATE_LIMITED', `登录失败次数过多，请 ${sources.retryAfterSeconds} 秒后再试。`, {
        retryAfterSeconds: sources.retryAfterSeconds,
      });
    const at = nowIso();
    await setById(tx, COLLECTIONS.signInAttempts, loginCounterId(login), {
      ...afterSignInFailure(attempts, now),
      updatedAt: at,
    });
    await setById(tx, COLLECTIONS.signInAttempts, sourceCounterId(source), {
      windowStartMs: sources.current.windowStartMs,
      failures: sources.current.failures + 1,
      updatedAt: at,
    });
  }, CLAIM_ATTEMPTS);
}

/** The claimed try was right: the login's count starts again and the source gets its try back. */
async function releaseAttempt(tx: Tx, login: string, source: string): Promise<void> {
  const at = nowIso();
  await setById(tx, COLLECTIONS.signInAttempts, loginCounterId(login), { ...NO_LOGIN_ATTEMPTS, updatedAt: at });
  const sourceDoc = await getById<SignInAttemptDoc>(tx, COLLECTIONS.signInAttempts, sourceCounterId(source));
  if (sourceDoc !== null && (sourceDoc.failures ?? 0) > 0)
    await updateById(tx, COLLECTIONS.signInAttempts, sourceDoc._id, { failures: (sourceDoc.failures ?? 1) - 1 });
}

/**
 * The claimed try was wrong (it stays counted): at the 10th failure the account, if there is one, is locked and its
 * sessions end. Audited for known and unknown logins alike.
 */
export async function recordFailure(login: string, source: string, action: string): Promise<void> {
  await inTransaction(async (tx) => {
    const counter = loginAttemptsOf(
      await getById<SignInAttemptDoc>(tx, COLLECTIONS.signInAttempts, loginCounterId(login)),
    );
    const officer = await getById<OfficerDoc>(tx, COLLECTIONS.officers, login);
    const locks = counter.failures >= LOCK_AFTER_SIGN_IN_FAILURES && officer !== null;
    const locked = officer !== null && locks ? nextState(officer.state, 'lock') : null;
    if (officer !== null && locked !== null) {
      await updateById(tx, COLLECTIONS.officers, officer._id, {
        state: locked,
        epoch: officer.epoch + 1,
        updatedAt: nowIso(),
      });
      await saveAdmins(tx, await adminsAfter(tx, login, { roles: officer.roles, state: locked }));
    }
    await audit(tx, {
      openid: '',
      action,
      target: `officers/${login}`,
      before: null,
      after: { source, failures: counter.failures, ...(locked === null ? {} : { state: locked }) },
      actor: ANONYMOUS,
    });
  });
}

async function refuse(login: string, source: string): Promise<never> {
  await recordFailure(login, source, 'admin.signInFailed');
  throw new DomainError('SIGN_IN_FAILED');
}

/** A new session of `officer` (an enrolment session when it must enrol), written in the caller's transaction. */
export async function openSession(tx: Tx, officer: OfficerDoc, epoch: number, now: number): Promise<SignInResult> {
  const token = newSessionToken();
  const mustEnrol = officer.mustEnrol === true;
  const doc: NewDoc<OfficerSessionDoc> = {
    officerId: officer._id,
    epoch,
    createdAtMs: now,
    lastSeenAtMs: now,
    revoked: false,
    ...(mustEnrol ? { purpose: 'enrolment' as const } : {}),
  };
  await setById(tx, COLLECTIONS.officerSessions, sha256Hex(token), doc);
  const ends = mustEnrol
    ? { absoluteMs: now + ENROLMENT_SESSION_MS, idleMs: now + ENROLMENT_SESSION_MS }
    : sessionEndsAt({ createdAtMs: now, lastSeenAtMs: now });
  return {
    sessionToken: token,
    expiresAt: new Date(ends.absoluteMs).toISOString(),
    idleExpiresAt: new Date(ends.idleMs).toISOString(),
    officer: { login: officer.login, name: officer.name, roles: officer.roles },
    mustEnrol,
  };
}

/** The time step of the code when it is right and unused; null also when the officer has not enrolled yet. */
function acceptedStep(officer: OfficerDoc, code: string | undefined, now: number): number | null {
  if (officer.mustEnrol === true || code === undefined) return null;
  const step = totpStepOf(officer.totpSecret, code, now);
  return step !== null && totpStepFresh(step, officer.lastTotpStep) ? step : null;
}

export async function signIn(params: SignInParams, caller: Caller): Promise<SignInResult> {
  const source = sourceOf(caller);
  await claimAttempt(params.login, source);
  const officer = await getById<OfficerDoc>(database, COLLECTIONS.officers, params.login);
  const passwordOk = await passwordMatches(params.password, officer?.passwordHash ?? null);
  if (officer === null || !passwordOk || officer.state === 'disabled') return refuse(params.login, source);
  if (officer.state === 'locked') throw new DomainError('ACCOUNT_LOCKED');
  // An officer who must enrol has no code yet: the temporary password alone opens an enrolment session.
  const enrolling = officer.mustEnrol === true;
  const step = enrolling ? null : acceptedStep(officer, params.totp, nowMs());
  if (!enrolling && step === null) return refuse(params.login, source);

  const now = nowMs();
  const session = await inTransaction(async (tx) => {
    // Re-read: a concurrent sign-in with the same code, a reset or a lock meanwhile, wins over this one.
    const current = await getById<OfficerDoc>(tx, COLLECTIONS.officers, params.login);
    if (current === null || current.state !== 'active' || current.epoch !== officer.epoch)
      throw new DomainError('SIGN_IN_FAILED');
    if (step !== null) {
      if (!totpStepFresh(step, current.lastTotpStep)) return null;
      await updateById(tx, COLLECTIONS.officers, current._id, { lastTotpStep: step });
    }
    await releaseAttempt(tx, params.login, source);
    await audit(tx, {
      openid: '',
      action: enrolling ? 'admin.signInToEnrol' : 'admin.signIn',
      target: `officers/${current._id}`,
      before: null,
      after: { source },
      actor: { label: `officer:${current._id}`, login: current.login, name: current.name },
    });
    return openSession(tx, current, current.epoch, now);
  });
  if (session === null) return refuse(params.login, source);
  return session;
}

/** Ends the caller's own session; the token stops working at once. */
export async function signOut(sessionId: string): Promise<SignedOutResult> {
  await updateById(database, COLLECTIONS.officerSessions, sessionId, { revoked: true });
  return { signedOut: true };
}
