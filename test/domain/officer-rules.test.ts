import {
  activeAdminsAfter,
  afterSignInFailure,
  changeTo,
  ENROLMENT_SESSION_MS,
  enrolmentSessionLive,
  FREE_SIGN_IN_FAILURES,
  LOCK_AFTER_SIGN_IN_FAILURES,
  loginGate,
  nextState,
  NO_LOGIN_ATTEMPTS,
  normaliseLogin,
  normaliseRoles,
  passwordProblem,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  readCursor,
  rolesAllow,
  SESSION_ABSOLUTE_MS,
  SESSION_IDLE_MS,
  sessionEndsAt,
  sessionLive,
  TEMPORARY_PASSWORD_ALPHABET,
  TEMPORARY_PASSWORD_GROUP_LENGTH,
  TEMPORARY_PASSWORD_GROUPS,
  temporaryPasswordOf,
  sessionNeedsTouch,
  SESSION_TOUCH_MS,
  SIGN_IN_BASE_DELAY_MS,
  SOURCE_FAILURES_PER_WINDOW,
  SOURCE_WINDOW_MS,
  sourceGate,
  totpStepFresh,
  type LoginAttempts,
} from '../../cloudfunctions/_shared/police/officers/rules';
import { ACTION_ACCESS } from '../../cloudfunctions/_shared/police/access';

describe('logins', () => {
  it('are trimmed and lower-cased; 3–32 characters starting with a letter', () => {
    expect(normaliseLogin('  Demo-Admin ')).toBe('demo-admin');
    expect(normaliseLogin('abc')).toBe('abc');
    expect(normaliseLogin('ab')).toBeNull();
    expect(normaliseLogin(`a${'b'.repeat(31)}`)).toHaveLength(32);
    expect(normaliseLogin(`a${'b'.repeat(32)}`)).toBeNull();
    expect(normaliseLogin('1abc')).toBeNull();
    expect(normaliseLogin('张三丰')).toBeNull();
    expect(normaliseLogin('a b c')).toBeNull();
    expect(normaliseLogin('')).toBeNull();
  });
});

describe('the password policy', () => {
  it('wants at least 12 characters, counting a 4-byte character once', () => {
    expect(passwordProblem('x'.repeat(PASSWORD_MIN_LENGTH - 1), 'li')).toBe('TOO_SHORT');
    expect(passwordProblem('x'.repeat(PASSWORD_MIN_LENGTH), 'li')).toBeNull();
    expect(passwordProblem('𠀀'.repeat(PASSWORD_MIN_LENGTH - 1), 'li')).toBe('TOO_SHORT');
    expect(passwordProblem('', 'li')).toBe('TOO_SHORT');
  });

  it('allows at most 128 characters', () => {
    expect(passwordProblem('x'.repeat(PASSWORD_MAX_LENGTH), 'li')).toBeNull();
    expect(passwordProblem('x'.repeat(PASSWORD_MAX_LENGTH + 1), 'li')).toBe('TOO_LONG');
  });

  it('refuses a password that is or contains the login, whatever the case', () => {
    expect(passwordProblem('demo-admin-2026', 'demo-admin')).toBe('CONTAINS_LOGIN');
    expect(passwordProblem('DEMO-ADMIN!!', 'demo-admin')).toBe('CONTAINS_LOGIN');
    expect(passwordProblem('demo-admi-2026', 'demo-admin')).toBeNull();
  });
});

describe('roles', () => {
  it('are a set in the fixed order, every one known, at least one', () => {
    expect(normaliseRoles(['admin', 'finance', 'admin'])).toEqual(['finance', 'admin']);
    expect(normaliseRoles([])).toBeNull();
    expect(normaliseRoles(['finance', 'root'])).toBeNull();
    expect(normaliseRoles(['constructor'])).toBeNull();
  });

  it('open an action to an officer holding any of its roles; no roles named opens it to every officer', () => {
    expect(rolesAllow(['finance'], ACTION_ACCESS.exportPayments)).toBe(true);
    expect(rolesAllow(['admin'], ACTION_ACCESS.exportPayments)).toBe(false);
    expect(rolesAllow(['dataImport', 'audit'], ACTION_ACCESS.readAudit)).toBe(true);
    expect(rolesAllow(['audit'], ACTION_ACCESS.me)).toBe(true);
  });

  it("give integration keys the registry's imports and exports only, never an account action", () => {
    const open = Object.entries(ACTION_ACCESS)
      .filter(([, access]) => access.integration)
      .map(([action]) => action);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((action) => action.startsWith('import') || action.startsWith('export'))).toBe(true);
  });
});

describe('account states', () => {
  it('move only along the allowed changes', () => {
    expect(nextState('active', 'disable')).toBe('disabled');
    expect(nextState('locked', 'disable')).toBe('disabled');
    expect(nextState('disabled', 'disable')).toBeNull();
    expect(nextState('disabled', 'enable')).toBe('active');
    expect(nextState('locked', 'enable')).toBeNull();
    expect(nextState('active', 'lock')).toBe('locked');
    expect(nextState('disabled', 'lock')).toBeNull();
    expect(nextState('locked', 'unlock')).toBe('active');
    expect(nextState('active', 'unlock')).toBeNull();
  });

  it('read an asked-for state as a change, none when it is already so', () => {
    expect(changeTo('active', 'active')).toBeNull();
    expect(changeTo('active', 'disabled')).toBe('disable');
    expect(changeTo('locked', 'active')).toBe('enable');
  });

  it('count the active administrators after a change', () => {
    expect(activeAdminsAfter(['a', 'b'], 'a', { roles: ['admin'], state: 'disabled' })).toEqual(['b']);
    expect(activeAdminsAfter(['a'], 'a', { roles: ['finance'], state: 'active' })).toEqual([]);
    expect(activeAdminsAfter([], 'c', { roles: ['admin', 'audit'], state: 'active' })).toEqual(['c']);
    expect(activeAdminsAfter(['b'], 'a', { roles: ['admin'], state: 'locked' })).toEqual(['b']);
  });
});

describe('sign-in failures of one login', () => {
  const T = 1_800_000_000_000;
  const fail = (times: number): LoginAttempts => {
    let state = NO_LOGIN_ATTEMPTS;
    for (let i = 0; i < times; i += 1) state = afterSignInFailure(state, T);
    return state;
  };

  it('are free up to the 3rd, then each try waits 30 s, 60 s, 120 s…', () => {
    expect(loginGate(fail(FREE_SIGN_IN_FAILURES - 1), T)).toEqual({ allowed: true });
    expect(fail(FREE_SIGN_IN_FAILURES).blockedUntilMs).toBe(T + SIGN_IN_BASE_DELAY_MS);
    expect(fail(FREE_SIGN_IN_FAILURES + 1).blockedUntilMs).toBe(T + 2 * SIGN_IN_BASE_DELAY_MS);
    expect(loginGate(fail(FREE_SIGN_IN_FAILURES), T)).toEqual({ allowed: false, locked: false, retryAfterSeconds: 30 });
    expect(loginGate(fail(FREE_SIGN_IN_FAILURES), T + SIGN_IN_BASE_DELAY_MS)).toEqual({ allowed: true });
    expect(loginGate(fail(FREE_SIGN_IN_FAILURES), T + 1)).toMatchObject({ retryAfterSeconds: 30 });
  });

  it('lock the login at the 10th, for good', () => {
    expect(fail(LOCK_AFTER_SIGN_IN_FAILURES - 1).locked).toBe(false);
    expect(fail(LOCK_AFTER_SIGN_IN_FAILURES).locked).toBe(true);
    expect(loginGate(fail(LOCK_AFTER_SIGN_IN_FAILURES), T + 365 * 86_400_000)).toEqual({
      allowed: false,
      locked: true,
    });
  });
});

describe('sign-in failures of one source', () => {
  const T = 1_800_000_000_000;

  it('allow 30 an hour, then wait for the hour to end', () => {
    expect(sourceGate(null, T)).toEqual({ current: { windowStartMs: T, failures: 0 }, retryAfterSeconds: null });
    const almost = { windowStartMs: T, failures: SOURCE_FAILURES_PER_WINDOW - 1 };
    expect(sourceGate(almost, T + 1000).retryAfterSeconds).toBeNull();
    const full = { windowStartMs: T, failures: SOURCE_FAILURES_PER_WINDOW };
    expect(sourceGate(full, T + 1000).retryAfterSeconds).toBe(3599);
    expect(sourceGate(full, T + SOURCE_WINDOW_MS)).toEqual({
      current: { windowStartMs: T + SOURCE_WINDOW_MS, failures: 0 },
      retryAfterSeconds: null,
    });
  });

  it('start again when the clock went back before the window', () => {
    expect(sourceGate({ windowStartMs: T, failures: 99 }, T - 1).current.failures).toBe(0);
  });
});

describe('sessions', () => {
  const T = 1_800_000_000_000;

  it('end 30 minutes after their last use', () => {
    const session = { createdAtMs: T, lastSeenAtMs: T };
    expect(sessionLive(session, T + SESSION_IDLE_MS - 1)).toBe(true);
    expect(sessionLive(session, T + SESSION_IDLE_MS)).toBe(false);
  });

  it('end 12 hours after sign-in however busy', () => {
    const busy = { createdAtMs: T, lastSeenAtMs: T + SESSION_ABSOLUTE_MS - 1000 };
    expect(sessionEndsAt(busy).idleMs).toBe(T + SESSION_ABSOLUTE_MS);
    expect(sessionLive(busy, T + SESSION_ABSOLUTE_MS - 1)).toBe(true);
    expect(sessionLive(busy, T + SESSION_ABSOLUTE_MS)).toBe(false);
  });

  it('write their last use at most once a minute', () => {
    const session = { createdAtMs: T, lastSeenAtMs: T };
    expect(sessionNeedsTouch(session, T + SESSION_TOUCH_MS - 1)).toBe(false);
    expect(sessionNeedsTouch(session, T + SESSION_TOUCH_MS)).toBe(true);
  });
});

describe('TOTP codes and audit pages', () => {
  it('accept a time step once', () => {
    expect(totpStepFresh(100, null)).toBe(true);
    expect(totpStepFresh(101, 100)).toBe(true);
    expect(totpStepFresh(100, 100)).toBe(false);
    expect(totpStepFresh(99, 100)).toBe(false);
  });

  it('read the page cursor', () => {
    expect(readCursor('2026-12-07T01:02:03.004Z|2')).toEqual({ at: '2026-12-07T01:02:03.004Z', seen: 2 });
    expect(readCursor('2026-12-07T01:02:03Z|2')).toBeNull();
    expect(readCursor('2026-12-07T01:02:03.004Z|')).toBeNull();
    expect(readCursor('x')).toBeNull();
  });
});

describe('enrolment', () => {
  it('an enrolment session lives 15 minutes: at the start, just before the end, not at the end or before it began', () => {
    expect(ENROLMENT_SESSION_MS).toBe(15 * 60_000);
    expect(enrolmentSessionLive(1_000, 1_000)).toBe(true);
    expect(enrolmentSessionLive(1_000, 1_000 + ENROLMENT_SESSION_MS - 1)).toBe(true);
    expect(enrolmentSessionLive(1_000, 1_000 + ENROLMENT_SESSION_MS)).toBe(false);
    expect(enrolmentSessionLive(1_000, 999)).toBe(false);
  });

  it('a temporary password is four groups of four unambiguous characters that meet the policy', () => {
    const size = TEMPORARY_PASSWORD_GROUPS * TEMPORARY_PASSWORD_GROUP_LENGTH;
    const first = temporaryPasswordOf(Array.from({ length: size }, () => 0));
    expect(first).toBe('aaaa-aaaa-aaaa-aaaa');
    const last = temporaryPasswordOf(Array.from({ length: size }, () => TEMPORARY_PASSWORD_ALPHABET.length - 1));
    expect(last).toBe('9999-9999-9999-9999');
    expect(passwordProblem(first, 'officer')).toBeNull();
    expect(TEMPORARY_PASSWORD_ALPHABET).not.toMatch(/[0O1lI]/);
  });

  it('refuses a wrong number of indexes or one outside the alphabet', () => {
    expect(() => temporaryPasswordOf([])).toThrow(RangeError);
    expect(() => temporaryPasswordOf(Array.from({ length: 17 }, () => 0))).toThrow(RangeError);
    const outside = Array.from({ length: 16 }, () => 0);
    outside[5] = TEMPORARY_PASSWORD_ALPHABET.length;
    expect(() => temporaryPasswordOf(outside)).toThrow(RangeError);
    outside[5] = -1;
    expect(() => temporaryPasswordOf(outside)).toThrow(RangeError);
  });
});
