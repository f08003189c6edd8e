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
  function fail(times: number): AttemptState {
    let state = NO_ATTEMPTS;
    for (let i = 0; i < times; i += 1) state = afterFailure(state, t0);
    return state;
  }

  it('answers the first wrong codes at once', () => {
    expect(attemptGate(fail(0), t0)).toEqual({ allowed: true });
    expect(attemptGate(fail(2), t0)).toEqual({ allowed: true });
  });

  it('then makes each try wait 30 s, 60 s, 120 s…', () => {
    expect(attemptGate(fail(3), t0)).toEqual({ allowed: false, locked: false, retryAfterSeconds: 30 });
    expect(attemptGate(fail(4), t0)).toEqual({ allowed: false, locked: false, retryAfterSeconds: 60 });
    expect(attemptGate(fail(3), t0 + BASE_DELAY_MS)).toEqual({ allowed: true });
  });

  it('locks the number for a day at the 10th wrong code, then starts over', () => {
    const locked = fail(LOCK_AFTER_FAILURES);
    expect(attemptGate(locked, t0)).toMatchObject({ allowed: false, locked: true, retryAfterSeconds: LOCK_MS / 1000 });
    expect(attemptGate(fail(LOCK_AFTER_FAILURES - 1), t0)).toMatchObject({ locked: false });
    expect(currentAttempts(locked, t0 + LOCK_MS - 1)).toBe(locked);
    expect(currentAttempts(locked, t0 + LOCK_MS)).toEqual(NO_ATTEMPTS);
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
