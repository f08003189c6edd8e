/**
 * The pure rules of officer accounts: logins, the password policy, role sets, account states, how sign-in failures
 * slow and then lock an account or a source, and how long a session lives. No clock, no I/O: instants are passed in.
 */
import { POLICE_ROLES, type ActionAccess, type PoliceRole } from '../access';

export const OFFICER_STATES = ['active', 'locked', 'disabled'] as const;
export type OfficerState = (typeof OFFICER_STATES)[number];

/** A login as typed: surrounding spaces dropped, lower case; 3–32 of a-z 0-9 . _ - starting with a letter. */
const LOGIN_PATTERN = /^[a-z][a-z0-9._-]{2,31}$/;

export function normaliseLogin(text: string): string | null {
  const login = text.trim().toLowerCase();
  return LOGIN_PATTERN.test(login) ? login : null;
}

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

export type PasswordProblem = 'TOO_SHORT' | 'TOO_LONG' | 'CONTAINS_LOGIN';

/** Length in characters (a 4-byte character counts once), at least 12, at most 128, and not containing the login. */
export function passwordProblem(password: string, login: string): PasswordProblem | null {
  const length = Array.from(password).length;
  if (length < PASSWORD_MIN_LENGTH) return 'TOO_SHORT';
  if (length > PASSWORD_MAX_LENGTH) return 'TOO_LONG';
  if (login !== '' && password.toLowerCase().includes(login.toLowerCase())) return 'CONTAINS_LOGIN';
  return null;
}

export const PASSWORD_PROBLEM_MESSAGES: Readonly<Record<PasswordProblem, string>> = {
  TOO_SHORT: `密码至少 ${PASSWORD_MIN_LENGTH} 个字符。`,
  TOO_LONG: `密码最多 ${PASSWORD_MAX_LENGTH} 个字符。`,
  CONTAINS_LOGIN: '密码不能包含登录名。',
};

/** The roles as a set in POLICE_ROLES order, or null if one is unknown or none is given. */
export function normaliseRoles(roles: readonly string[]): PoliceRole[] | null {
  if (roles.length === 0) return null;
  if (roles.some((role) => !(POLICE_ROLES as readonly string[]).includes(role))) return null;
  return POLICE_ROLES.filter((role) => roles.includes(role));
}

/** An officer may call an action whose roles they hold any of; an action naming no role is open to every officer. */
export function rolesAllow(held: readonly PoliceRole[], access: ActionAccess): boolean {
  return access.roles.length === 0 || access.roles.some((role) => held.includes(role));
}

export type StateChange = 'disable' | 'enable' | 'lock' | 'unlock';

/** The state after a change, or null when the change does not apply (a locked account is reopened only by unlock). */
export function nextState(from: OfficerState, change: StateChange): OfficerState | null {
  switch (change) {
    case 'disable':
      return from === 'disabled' ? null : 'disabled';
    case 'enable':
      return from === 'disabled' ? 'active' : null;
    case 'lock':
      return from === 'active' ? 'locked' : null;
    case 'unlock':
      return from === 'locked' ? 'active' : null;
  }
}

/** What updateOfficer's `state` asks for, as a change from the current state; null = nothing to do. */
export function changeTo(from: OfficerState, to: 'active' | 'disabled'): StateChange | null {
  if (from === to) return null;
  return to === 'disabled' ? 'disable' : 'enable';
}

/** Whether an officer counts as an administrator who can act: the admin role on an active account. */
function isActiveAdmin(officer: { readonly roles: readonly PoliceRole[]; readonly state: OfficerState }): boolean {
  return officer.state === 'active' && officer.roles.includes('admin');
}

/** The active administrators after one officer's change: the caller refuses a change that leaves none. */
export function activeAdminsAfter(
  current: readonly string[],
  login: string,
  after: { readonly roles: readonly PoliceRole[]; readonly state: OfficerState },
): string[] {
  const others = current.filter((l) => l !== login);
  return isActiveAdmin(after) ? [...others, login].sort() : others;
}

/** Sign-in failures of one login: the first ones free, then a wait that doubles, then locked until an admin unlocks. */
export interface LoginAttempts {
  readonly failures: number;
  /** Not before this instant (ms); 0 when free. */
  readonly blockedUntilMs: number;
  readonly locked: boolean;
}

export const NO_LOGIN_ATTEMPTS: LoginAttempts = { failures: 0, blockedUntilMs: 0, locked: false };
export const FREE_SIGN_IN_FAILURES = 3;
export const SIGN_IN_BASE_DELAY_MS = 30_000;
export const LOCK_AFTER_SIGN_IN_FAILURES = 10;

export type SignInGate =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly locked: true }
  | { readonly allowed: false; readonly locked: false; readonly retryAfterSeconds: number };

export function loginGate(state: LoginAttempts, nowMs: number): SignInGate {
  if (state.locked) return { allowed: false, locked: true };
  if (nowMs >= state.blockedUntilMs) return { allowed: true };
  return { allowed: false, locked: false, retryAfterSeconds: Math.ceil((state.blockedUntilMs - nowMs) / 1000) };
}

/**
 * The state once one more attempt is counted as failed: free up to the 3rd failure, then 30 s, 60 s, 120 s…
 * before the next try, locked at the 10th. A try is counted before its password is checked, so concurrent tries
 * queue behind the wait; a success resets the count.
 */
export function afterSignInFailure(state: LoginAttempts, nowMs: number): LoginAttempts {
  const failures = state.failures + 1;
  if (failures >= LOCK_AFTER_SIGN_IN_FAILURES) return { failures, blockedUntilMs: 0, locked: true };
  if (failures < FREE_SIGN_IN_FAILURES) return { failures, blockedUntilMs: 0, locked: false };
  return {
    failures,
    blockedUntilMs: nowMs + SIGN_IN_BASE_DELAY_MS * 2 ** (failures - FREE_SIGN_IN_FAILURES),
    locked: false,
  };
}

/** Failed sign-ins from one source (an address, or every direct call together) within the current hour. */
export interface SourceAttempts {
  readonly windowStartMs: number;
  readonly failures: number;
}

export const SOURCE_WINDOW_MS = 3_600_000;
export const SOURCE_FAILURES_PER_WINDOW = 30;

/** The source's count for `nowMs` (a window that ran out starts again), and how long to wait if it is full. */
export function sourceGate(
  state: SourceAttempts | null,
  nowMs: number,
): { readonly current: SourceAttempts; readonly retryAfterSeconds: number | null } {
  const current =
    state === null || nowMs >= state.windowStartMs + SOURCE_WINDOW_MS || nowMs < state.windowStartMs
      ? { windowStartMs: nowMs, failures: 0 }
      : state;
  const full = current.failures >= SOURCE_FAILURES_PER_WINDOW;
  return {
    current,
    retryAfterSeconds: full ? Math.max(1, Math.ceil((current.windowStartMs + SOURCE_WINDOW_MS - nowMs) / 1000)) : null,
  };
}

/** A session ends 30 minutes after its last use or 12 hours after sign-in, whichever comes first. */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** The last use is written at most once a minute, so a burst of calls does not rewrite the session each time. */
export const SESSION_TOUCH_MS = 60_000;

export interface SessionTimes {
  readonly createdAtMs: number;
  readonly lastSeenAtMs: number;
}

export function sessionEndsAt(session: SessionTimes): { readonly idleMs: number; readonly absoluteMs: number } {
  return {
    idleMs: Math.min(session.lastSeenAtMs + SESSION_IDLE_MS, session.createdAtMs + SESSION_ABSOLUTE_MS),
    absoluteMs: session.createdAtMs + SESSION_ABSOLUTE_MS,
  };
}

export function sessionLive(session: SessionTimes, nowMs: number): boolean {
  return nowMs < sessionEndsAt(session).idleMs;
}

export function sessionNeedsTouch(session: SessionTimes, nowMs: number): boolean {
  return nowMs - session.lastSeenAtMs >= SESSION_TOUCH_MS;
}

/** An enrolment session (temporary password, no second factor yet) is short and opens only the enrolment actions. */
export const ENROLMENT_SESSION_MS = 15 * 60_000;

/** Whether an enrolment session begun at `createdAtMs` still works at `nowMs` (at the exact end it is over). */
export function enrolmentSessionLive(createdAtMs: number, nowMs: number): boolean {
  return nowMs >= createdAtMs && nowMs < createdAtMs + ENROLMENT_SESSION_MS;
}

/** Letters and digits that cannot be misread when an administrator reads a temporary password out (no 0 O 1 l I). */
export const TEMPORARY_PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const TEMPORARY_PASSWORD_GROUPS = 4;
export const TEMPORARY_PASSWORD_GROUP_LENGTH = 4;

/** A temporary password from random alphabet indexes: groups of four joined by '-', e.g. `k7Qm-2xPa-…`. */
export function temporaryPasswordOf(indexes: readonly number[]): string {
  const size = TEMPORARY_PASSWORD_GROUPS * TEMPORARY_PASSWORD_GROUP_LENGTH;
  if (indexes.length !== size) throw new RangeError(`need ${size} indexes`);
  const chars = indexes.map((i) => {
    const char = TEMPORARY_PASSWORD_ALPHABET[i];
    if (char === undefined) throw new RangeError(`index ${i} outside the alphabet`);
    return char;
  });
  const groups: string[] = [];
  for (let g = 0; g < TEMPORARY_PASSWORD_GROUPS; g += 1)
    groups.push(chars.slice(g * TEMPORARY_PASSWORD_GROUP_LENGTH, (g + 1) * TEMPORARY_PASSWORD_GROUP_LENGTH).join(''));
  return groups.join('-');
}

/** A TOTP code is accepted once: its time step must come after the last one this officer used. */
export function totpStepFresh(step: number, lastStep: number | null): boolean {
  return lastStep === null || step > lastStep;
}

/** The audit trail's page cursor `after`: the last instant shown and how many entries of that instant were shown. */
const AUDIT_CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|(\d{1,6})$/;

export function readCursor(text: string): { at: string; seen: number } | null {
  const match = AUDIT_CURSOR.exec(text);
  return match === null ? null : { at: match[1] ?? '', seen: Number(match[2]) };
}
