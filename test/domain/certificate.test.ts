import {
  formatCertificateNumber,
  codeFromBytes,
  CODE_LENGTH,
  CODE_ALPHABET,
  formatCode,
  normaliseCode,
  certificateStatus,
  type AttemptState,
  NO_ATTEMPTS,
  afterFailure,
  attemptGate,
  BASE_DELAY_MS,
  LOCK_AFTER_FAILURES,
  LOCK_MS,
  currentAttempts,
  dailyFailureLimits,
  MAX_ANONYMOUS_FAILURES_PER_DAY,
  MAX_FAILURES_PER_CALLER_PER_DAY,
  NUMBER_LOCK_AFTER_FAILURES,
  PER_NUMBER,
  PER_VERIFIER,
  verifierKey,
  verifierOf,
  certificateSnapshot,
  twelveMonthsBefore,
} from '../../miniprogram/domain/certificate/certificate';

describe('numbers and codes', () => {
  it('formats numbers as XY + date + 8 digits', () => {
    expect(formatCertificateNumber('2026-11-24', 42)).toBe('XY2026112400000042');
    expect(formatCertificateNumber('2026-11-24', 4_294_967_295)).toBe('XY2026112494967295');
  });

  it('draws codes from the alphabet without bias, skipping bytes ≥ 248', () => {
    const bytes = [0, 30, 31, 247, 248, 255, 1, 2, 3, 4, 5, 6, 7, 8];
    const code = codeFromBytes(bytes);
    expect(code).toHaveLength(CODE_LENGTH);
    expect(
      code?.startsWith(
        `${CODE_ALPHABET[0]}${CODE_ALPHABET[30]}${CODE_ALPHABET[0]}${CODE_ALPHABET[247 % 31]}${CODE_ALPHABET[1]}`,
      ),
    ).toBe(true);
    expect(codeFromBytes([248, 249, 250])).toBeNull();
  });

  it('forgives dashes, spaces and lower case; refuses look-alikes and wrong lengths', () => {
    expect(formatCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
    expect(normaliseCode('abcd-efgh-jkmn')).toBe('ABCDEFGHJKMN');
    expect(normaliseCode(' ABCD EFGH JKMN ')).toBe('ABCDEFGHJKMN');
    expect(normaliseCode('ABCD-EFGH-JKM0')).toBeNull(); // 0 is not in the alphabet
    expect(normaliseCode('ABCD-EFGH-JKM')).toBeNull();
    expect(normaliseCode('')).toBeNull();
  });
});

describe('status', () => {
  it('is valid until the expiry instant, expired from it, revoked whatever the time', () => {
    expect(certificateStatus({ revoked: false, expiresAtMs: 1000 }, 999)).toBe('valid');
    expect(certificateStatus({ revoked: false, expiresAtMs: 1000 }, 1000)).toBe('expired');
    expect(certificateStatus({ revoked: true, expiresAtMs: 1000 }, 0)).toBe('revoked');
  });
});

describe('guessing is slowed down, then locked', () => {
  const t0 = 1_000_000_000;
  const fail = (times: number, policy = PER_VERIFIER): AttemptState => {
    let state = NO_ATTEMPTS;
    for (let i = 0; i < times; i += 1) state = afterFailure(state, t0, policy);
    return state;
  };

  it('answers the first wrong codes at once', () => {
    expect(attemptGate(fail(0), t0, PER_VERIFIER)).toEqual({ allowed: true });
    expect(attemptGate(fail(2), t0, PER_VERIFIER)).toEqual({ allowed: true });
  });

  it('then makes each try wait 30 s, 60 s, 120 s…', () => {
    expect(attemptGate(fail(3), t0, PER_VERIFIER)).toEqual({ allowed: false, locked: false, retryAfterSeconds: 30 });
    expect(attemptGate(fail(4), t0, PER_VERIFIER)).toEqual({ allowed: false, locked: false, retryAfterSeconds: 60 });
    expect(attemptGate(fail(3), t0 + BASE_DELAY_MS, PER_VERIFIER)).toEqual({ allowed: true });
  });

  it('locks the number for that verifier for a day at the 10th wrong code, then starts over', () => {
    const locked = fail(LOCK_AFTER_FAILURES);
    expect(attemptGate(locked, t0, PER_VERIFIER)).toMatchObject({
      allowed: false,
      locked: true,
      retryAfterSeconds: LOCK_MS / 1000,
    });
    expect(attemptGate(fail(LOCK_AFTER_FAILURES - 1), t0, PER_VERIFIER)).toMatchObject({ locked: false });
    expect(currentAttempts(locked, t0 + LOCK_MS - 1, PER_VERIFIER)).toBe(locked);
    expect(currentAttempts(locked, t0 + LOCK_MS, PER_VERIFIER)).toEqual(NO_ATTEMPTS);
  });

  it('never slows everyone down on a number, and locks it for a day only at the ceiling', () => {
    expect(PER_NUMBER.lockAfter).toBe(NUMBER_LOCK_AFTER_FAILURES);
    expect(NUMBER_LOCK_AFTER_FAILURES).toBeGreaterThan(LOCK_AFTER_FAILURES * 5);
    expect(fail(0, PER_NUMBER)).toEqual(NO_ATTEMPTS);
    expect(fail(NUMBER_LOCK_AFTER_FAILURES - 1, PER_NUMBER)).toEqual({
      failures: NUMBER_LOCK_AFTER_FAILURES - 1,
      blockedUntilMs: 0,
    });
    expect(attemptGate(fail(NUMBER_LOCK_AFTER_FAILURES - 1, PER_NUMBER), t0, PER_NUMBER)).toEqual({ allowed: true });
    const locked = fail(NUMBER_LOCK_AFTER_FAILURES, PER_NUMBER);
    expect(attemptGate(locked, t0, PER_NUMBER)).toEqual({
      allowed: false,
      locked: true,
      retryAfterSeconds: LOCK_MS / 1000,
    });
    expect(currentAttempts(locked, t0 + LOCK_MS, PER_NUMBER)).toEqual(NO_ATTEMPTS);
    // a count stored under the earlier per-number rule (10, with a wait) is no lock under the ceiling
    const earlier = fail(LOCK_AFTER_FAILURES);
    expect(attemptGate(earlier, t0, PER_NUMBER)).toMatchObject({ allowed: false, locked: false });
    expect(afterFailure(earlier, t0, PER_NUMBER)).toEqual({ failures: LOCK_AFTER_FAILURES + 1, blockedUntilMs: 0 });
  });
});

describe('verifiers', () => {
  it('counts an account by its openid, a call without one by its address, else all such calls together', () => {
    expect(verifierOf('o-1', '1.2.3.4')).toEqual({ kind: 'account', openid: 'o-1' });
    expect(verifierOf('', '1.2.3.4')).toEqual({ kind: 'address', ip: '1.2.3.4' });
    expect(verifierOf('', '')).toEqual({ kind: 'anonymous' });
    expect(verifierOf('', null)).toEqual({ kind: 'anonymous' });
    const keys = [verifierOf('o-1', null), verifierOf('', '1.2.3.4'), verifierOf('', null)].map(verifierKey);
    expect(new Set(keys).size).toBe(3);
    // an openid that looks like an address is still that account
    expect(verifierKey(verifierOf('1.2.3.4', null))).not.toBe(verifierKey(verifierOf('', '1.2.3.4')));
  });

  it("caps an account's wrong answers a day; a call without one by its address and by the shared anonymous cap", () => {
    expect(dailyFailureLimits(verifierOf('o-1', null))).toEqual([
      { subject: 'account|o-1', limit: MAX_FAILURES_PER_CALLER_PER_DAY },
    ]);
    expect(dailyFailureLimits(verifierOf('', '1.2.3.4'))).toEqual([
      { subject: 'address|1.2.3.4', limit: MAX_FAILURES_PER_CALLER_PER_DAY },
      { subject: 'anonymous', limit: MAX_ANONYMOUS_FAILURES_PER_DAY },
    ]);
    expect(dailyFailureLimits(verifierOf('', null))).toEqual([
      { subject: 'anonymous', limit: MAX_ANONYMOUS_FAILURES_PER_DAY },
    ]);
    expect(MAX_ANONYMOUS_FAILURES_PER_DAY).toBeGreaterThan(MAX_FAILURES_PER_CALLER_PER_DAY);
  });
});

describe('snapshot', () => {
  const inputs = {
    name: '李*',
    idNumber: '450***********123X',
    licence: { class: 'C1', status: 'valid', validUntil: '2030-01-01' },
    cycle: { start: '2026-06-10', end: '2027-06-09', points: 4, otherPoints: 1 },
    decisions: [
      {
        decidedOn: '2026-11-01',
        fine: 20000,
        paid: false,
        items: [
          { occurredAt: '2026-10-20T08:00:00+08:00', behaviour: '闯红灯', points: 6 },
          { occurredAt: '2026-10-21T08:00:00+08:00', behaviour: '超速', points: 3 },
        ],
      },
      {
        decidedOn: '2026-01-01',
        fine: 5000,
        paid: true,
        items: [{ occurredAt: '2025-11-25T08:00:00+08:00', behaviour: '超速', points: 3 }],
      }, // day one of the 12 months
      {
        decidedOn: '2025-12-01',
        fine: 5000,
        paid: true,
        items: [{ occurredAt: '2025-11-24T23:59:00+08:00', behaviour: '违停', points: 0 }],
      }, // a day too old
    ],
  };

  it('counts the last 12 months by kind, most frequent first, and the unpaid fines with surcharge', () => {
    const snapshot = certificateSnapshot(inputs, '2026-11-24');
    expect(snapshot.violationsByKind).toEqual([
      { behaviour: '超速', count: 2, points: 6 },
      { behaviour: '闯红灯', count: 1, points: 6 },
    ]);
    // decided 2026-11-01: day 23 on 11-24, eight days of 3 % surcharge
    expect(snapshot).toMatchObject({
      violationCount: 3,
      unpaidCount: 1,
      unpaidAmount: 20000 + 8 * 600,
      cyclePoints: 4,
      otherPoints: 1,
      name: '李*',
      asOf: '2026-11-24',
    });
    expect(certificateSnapshot(inputs, '2026-11-16').unpaidAmount).toBe(20000); // day 15: the fine alone
    expect(certificateSnapshot(inputs, '2026-11-17').unpaidAmount).toBe(20000 + 600); // day 16: 3 %
  });

  it('starts the 12 months the day after the same date a year back (1 March after a 29 February)', () => {
    expect(twelveMonthsBefore('2026-11-24')).toBe('2025-11-25');
    expect(twelveMonthsBefore('2028-02-29')).toBe('2027-03-01');
    expect(twelveMonthsBefore('2027-03-01')).toBe('2026-03-02');
    expect(twelveMonthsBefore('2026-01-01')).toBe('2025-01-02');
  });
});
