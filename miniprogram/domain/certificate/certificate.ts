/**
 * The driver-credit certificate (驾驶人信用证明): a snapshot of a driver's record an employer can check with the
 * certificate's number and verification code, and the rule that slows down and then locks guessing.
 */

import { addDays, compareIsoDates, type IsoDate } from '../core/dates';
import { amountDue } from '../violation/fees';

/** A certificate is valid for 30 days from the moment it is issued. */
export const CERTIFICATE_VALID_DAYS = 30;
export const CERTIFICATE_VALID_MS = CERTIFICATE_VALID_DAYS * 86_400_000;
/** Most certificates one driver may request in a day (each is a snapshot; more adds nothing). */
export const MAX_CERTIFICATES_PER_DAY = 5;

/** Verification codes: 12 characters without look-alikes (no 0 O 1 I L), ~59 bits; shown as XXXX-XXXX-XXXX. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const CODE_LENGTH = 12;

/** Certificate numbers: `XY` + issue date (yyyyMMdd) + 8 digits. */
export const CERTIFICATE_NUMBER_PATTERN = /^XY\d{16}$/;

export function formatCertificateNumber(issuedOn: IsoDate, serial: number): string {
  return `XY${issuedOn.replace(/-/g, '')}${String(serial % 100_000_000).padStart(8, '0')}`;
}

/** Random bytes → a code; `bytes` must hold at least CODE_LENGTH values (each byte picks one character, unbiased). */
export function codeFromBytes(bytes: ArrayLike<number>): string | null {
  // 248 = 8 × 31: bytes at or above it would bias the draw, so they are skipped.
  let code = '';
  for (let i = 0; i < bytes.length && code.length < CODE_LENGTH; i += 1) {
    const byte = bytes[i] ?? 255;
    if (byte < 248) code += CODE_ALPHABET.charAt(byte % CODE_ALPHABET.length);
  }
  return code.length === CODE_LENGTH ? code : null;
}

export function formatCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-');
}

/** What a person types: spaces, dashes and lower case are forgiven; null when it cannot be a code. */
export function normaliseCode(text: string): string | null {
  const code = text.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== CODE_LENGTH) return null;
  for (const ch of code) if (CODE_ALPHABET.indexOf(ch) < 0) return null;
  return code;
}
export interface CertificateSnapshot {
  /** Masked (`张*`). */
  readonly name: string;
  /** Masked (`450***********123X`). */
  readonly idNumber: string;
  readonly licenceClass: string;
  readonly licenceStatus: string;
  readonly licenceValidUntil: IsoDate;
  readonly cycleStart: IsoDate;
  readonly cycleEnd: IsoDate;
  readonly cyclePoints: number;
  /**
   * Of `cyclePoints`, those the registry counts that no online decision here explains (processed at a counter, on the
   * spot…), so the violations listed below may add up to less. Absent on certificates issued before it was recorded.
   */
  readonly otherPoints?: number;
  /** Violations in the 12 months before the snapshot, by kind (behaviour), most frequent first. */
  readonly violationsByKind: readonly { readonly behaviour: string; readonly count: number; readonly points: number }[];
  readonly violationCount: number;
  readonly unpaidCount: number;
  /** What the unpaid fines come to on the snapshot's day, with surcharges (fen). */
  readonly unpaidAmount: number;
  /** The day the snapshot was taken. */
  readonly asOf: IsoDate;
}

export interface SnapshotInputs {
  readonly name: string;
  readonly idNumber: string;
  readonly licence: { readonly class: string; readonly status: string; readonly validUntil: IsoDate };
  /** `points` as user.points counts them; `otherPoints` its share from other channels (pointsHistory's otherPoints). */
  readonly cycle: {
    readonly start: IsoDate;
    readonly end: IsoDate;
    readonly points: number;
    readonly otherPoints: number;
  };
  /** The driver's decisions (online only): every violation they accepted, with whether its fine is paid. */
  readonly decisions: readonly {
    readonly decidedOn: IsoDate;
    readonly fine: number;
    readonly paid: boolean;
    readonly items: readonly { readonly occurredAt: string; readonly behaviour: string; readonly points: number }[];
  }[];
}

/** The first day of the 12 months that end on `today`. */
export function twelveMonthsBefore(today: IsoDate): IsoDate {
  const year = Number(today.slice(0, 4)) - 1;
  const monthDay = today.slice(5);
  // 29 February a year back does not exist: the window then starts on 1 March
  return monthDay === '02-29' ? `${year}-03-01` : addDays(`${year}-${monthDay}`, 1);
}

export function certificateSnapshot(inputs: SnapshotInputs, today: IsoDate): CertificateSnapshot {
  const from = twelveMonthsBefore(today);
  const kinds = new Map<string, { count: number; points: number }>();
  let violationCount = 0;
  for (const decision of inputs.decisions) {
    for (const item of decision.items) {
      const on = item.occurredAt.slice(0, 10);
      if (compareIsoDates(on, from) < 0 || compareIsoDates(on, today) > 0) continue;
      const kind = kinds.get(item.behaviour) ?? { count: 0, points: 0 };
      kind.count += 1;
      kind.points += item.points;
      kinds.set(item.behaviour, kind);
      violationCount += 1;
    }
  }
  const unpaid = inputs.decisions.filter((d) => !d.paid);
  return {
    name: inputs.name,
    idNumber: inputs.idNumber,
    licenceClass: inputs.licence.class,
    licenceStatus: inputs.licence.status,
    licenceValidUntil: inputs.licence.validUntil,
    cycleStart: inputs.cycle.start,
    cycleEnd: inputs.cycle.end,
    cyclePoints: inputs.cycle.points,
    otherPoints: inputs.cycle.otherPoints,
    violationsByKind: [...kinds.entries()]
      .map(([behaviour, k]) => ({ behaviour, count: k.count, points: k.points }))
      .sort((a, b) => b.count - a.count || (a.behaviour < b.behaviour ? -1 : a.behaviour > b.behaviour ? 1 : 0)),
    violationCount,
    unpaidCount: unpaid.length,
    unpaidAmount: unpaid.reduce((sum, d) => sum + amountDue(d.fine, d.decidedOn, today), 0),
    asOf: today,
  };
}
export type CertificateStatus = 'valid' | 'expired' | 'revoked';

export function certificateStatus(
  cert: { readonly revoked: boolean; readonly expiresAtMs: number },
  nowMs: number,
): CertificateStatus {
  if (cert.revoked) return 'revoked';
  return nowMs < cert.expiresAtMs ? 'valid' : 'expired';
}

export const CERTIFICATE_STATUS_TEXT: Readonly<Record<CertificateStatus, string>> = {
  valid: '有效',
  expired: '已过期',
  revoked: '已撤销',
};
/** The wait after the first slowed try, doubling each time. */
export const BASE_DELAY_MS = 30_000;
/** Wrong codes one verifier may give for one number; at this one the number is locked for that verifier. */
export const LOCK_AFTER_FAILURES = 10;
/**
 * Wrong codes from everyone together for one number, at which it is locked for all but its holder: far above what
 * honest typos reach, it only stops guessing spread over many accounts (59-bit codes: a few hundred guesses are
 * nothing to them), and it never delays anyone before that.
 */
export const NUMBER_LOCK_AFTER_FAILURES = 100;
export const LOCK_MS = 24 * 3_600_000;
/** Wrong answers one WeChat account, or one network address without one, may get in a day, across all numbers. */
export const MAX_FAILURES_PER_CALLER_PER_DAY = 30;
/** Wrong answers all calls without a WeChat identity may get together in a day (the address can be forged). */
export const MAX_ANONYMOUS_FAILURES_PER_DAY = 100;

export interface AttemptState {
  readonly failures: number;
  /** Not before this instant (ms); 0 when free. */
  readonly blockedUntilMs: number;
}

export const NO_ATTEMPTS: AttemptState = { failures: 0, blockedUntilMs: 0 };

/** How wrong codes are met: the first `freeAttempts` at once, then waits doubling from 30 s, locked at `lockAfter`. */
export interface AttemptPolicy {
  readonly freeAttempts: number;
  readonly lockAfter: number;
}

/** One verifier on one number: 3 at once, then 30 s, 60 s, 120 s…, the 10th locks it for that verifier for a day. */
export const PER_VERIFIER: AttemptPolicy = { freeAttempts: 3, lockAfter: LOCK_AFTER_FAILURES };
/** Everyone on one number: never slowed (a stranger must not delay the honest), locked at the 100th for a day. */
export const PER_NUMBER: AttemptPolicy = {
  freeAttempts: NUMBER_LOCK_AFTER_FAILURES,
  lockAfter: NUMBER_LOCK_AFTER_FAILURES,
};

export type AttemptGate =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly locked: boolean; readonly retryAfterSeconds: number };

export function attemptGate(state: AttemptState, nowMs: number, policy: AttemptPolicy): AttemptGate {
  if (nowMs >= state.blockedUntilMs) return { allowed: true };
  return {
    allowed: false,
    locked: state.failures >= policy.lockAfter,
    retryAfterSeconds: Math.ceil((state.blockedUntilMs - nowMs) / 1000),
  };
}

/** The state after a wrong code: free, then 30 s, 60 s, 120 s…, then locked for a day. */
export function afterFailure(state: AttemptState, nowMs: number, policy: AttemptPolicy): AttemptState {
  const failures = state.failures + 1;
  if (failures >= policy.lockAfter) return { failures, blockedUntilMs: nowMs + LOCK_MS };
  if (failures < policy.freeAttempts) return { failures, blockedUntilMs: 0 };
  return { failures, blockedUntilMs: nowMs + BASE_DELAY_MS * 2 ** (failures - policy.freeAttempts) };
}

/** A lock that has run out starts the count again; a shorter wait keeps the count. */
export function currentAttempts(state: AttemptState, nowMs: number, policy: AttemptPolicy): AttemptState {
  return state.failures >= policy.lockAfter && nowMs >= state.blockedUntilMs ? NO_ATTEMPTS : state;
}

/** Whom wrong codes are counted against: the WeChat account; without one, the network address; else all such calls. */
export type Verifier =
  | { readonly kind: 'account'; readonly openid: string }
  | { readonly kind: 'address'; readonly ip: string }
  | { readonly kind: 'anonymous' };

export function verifierOf(openid: string, sourceIp: string | null): Verifier {
  if (openid !== '') return { kind: 'account', openid };
  if (sourceIp !== null && sourceIp !== '') return { kind: 'address', ip: sourceIp };
  return { kind: 'anonymous' };
}

/** The verifier as a counter's subject (the server stores only a hash of it). */
export function verifierKey(verifier: Verifier): string {
  switch (verifier.kind) {
    case 'account':
      return `account|${verifier.openid}`;
    case 'address':
      return `address|${verifier.ip}`;
    case 'anonymous':
      return 'anonymous';
  }
}

export interface DailyFailureLimit {
  /** What the day's counter is kept for. */
  readonly subject: string;
  readonly limit: number;
}

/**
 * The daily caps on wrong answers a verifier's call counts against: an account's own; a call without one, its
 * address's (when known) and the one all such calls share, so forging addresses does not lift the cap.
 */
export function dailyFailureLimits(verifier: Verifier): readonly DailyFailureLimit[] {
  const shared: DailyFailureLimit = { subject: 'anonymous', limit: MAX_ANONYMOUS_FAILURES_PER_DAY };
  switch (verifier.kind) {
    case 'account':
      return [{ subject: verifierKey(verifier), limit: MAX_FAILURES_PER_CALLER_PER_DAY }];
    case 'address':
      return [{ subject: verifierKey(verifier), limit: MAX_FAILURES_PER_CALLER_PER_DAY }, shared];
    case 'anonymous':
      return [shared];
  }
}
