/**
 * Driver-credit certificates (驾驶人信用证明): a verified driver's record frozen at the moment they ask, checkable by
 * anyone holding its number and code for 30 days, revocable by the driver. Wrong codes slow down and then lock the
 * number for the one who gives them (an account, else an address, else all anonymous calls), so a stranger cannot
 * lock the number for anyone else; a ceiling on everyone's wrong codes for a number stops guessing spread over many
 * accounts, and never applies to the certificate's holder. A verifier that keeps getting wrong answers across
 * numbers is refused for the day. An unknown number is answered exactly like a wrong code.
 *
 * Every counter (certificates per driver a day, wrong codes per verifier and number, per number, per verifier a day)
 * is a fixed-id document read and written in the one transaction that records the certificate or the wrong try
 * (daily-quota.ts), so a burst cannot slip past them.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  afterFailure,
  attemptGate,
  certificateSnapshot,
  certificateStatus,
  CERTIFICATE_VALID_MS,
  codeFromBytes,
  currentAttempts,
  dailyFailureLimits,
  formatCertificateNumber,
  formatCode,
  MAX_CERTIFICATES_PER_DAY,
  NO_ATTEMPTS,
  normaliseCode,
  PER_NUMBER,
  PER_VERIFIER,
  verifierKey,
  verifierOf,
  type AttemptState,
  type Verifier,
} from '../../../miniprogram/domain/certificate/certificate';
import type { IsoDate } from '../../../miniprogram/domain/core/dates';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { maskIdNumber, maskName } from '../../../miniprogram/domain/account/id-number';
import { licenceValidity } from '../../../miniprogram/domain/licence/licence';
import { pointsHistory } from '../../../miniprogram/domain/licence/points';
import { audit } from '../audit';
import { nowIso, nowMs, today } from '../clock';
import { COLLECTIONS } from '../collections';
import { checkDailyQuota, dailyQuota, takeDailySlot, type DailyQuota } from '../daily-quota';
import { database, find, getById, setById, updateById } from '../db';
import { keyOf } from '../ids';
import type { CertificateAttemptDoc, CertificateDoc } from '../records';
import { inTransaction, type Tx } from '../transaction';
import { loadCaller, requireVerified } from '../account/caller';
import { personDecisions, storedPoints } from '../licence/points';
import type {
  CertificateItem,
  CertificateDetail,
  CertificateListResult,
  VerifyCertificateParams,
  CertificateVerification,
} from '../../../miniprogram/domain/certificate/contract';

const LIST_LIMIT = 50;
const NUMBER_ATTEMPTS = 5;
/** A burst of issues by one driver queues on their day's counter: each waits its turn rather than failing busy. */
const ISSUE_ATTEMPTS = 12;
/** Parallel guesses at one number, or by one verifier, queue on its counters: each waits its turn, not failing busy. */
const VERIFY_ATTEMPTS = 30;

function item(doc: CertificateDoc, now: number): CertificateItem {
  const view: CertificateItem = {
    number: doc.number,
    status: certificateStatus({ revoked: doc.revokedAt !== null, expiresAtMs: doc.expiresAtMs }, now),
    issuedAt: doc.issuedAt,
    expiresAt: doc.expiresAt,
  };
  return doc.revokedAt ? { ...view, revokedAt: doc.revokedAt } : view;
}

function detail(doc: CertificateDoc, now: number): CertificateDetail {
  return { ...item(doc, now), code: formatCode(doc.code), snapshot: doc.snapshot };
}

function newCode(): string {
  for (;;) {
    const code = codeFromBytes(randomBytes(32));
    if (code) return code;
  }
}

function issueQuota(personId: string, day: IsoDate): DailyQuota {
  return dailyQuota({
    collection: COLLECTIONS.dailyQuotas,
    purpose: 'certificateIssue',
    subject: personId,
    day,
    limit: MAX_CERTIFICATES_PER_DAY,
    message: `每天最多申请 ${MAX_CERTIFICATES_PER_DAY} 份信用证明，请使用已申请的证明。`,
  });
}

/** A number nobody holds, checked in `tx`: a (rare) collision draws again instead of overwriting a certificate. */
async function unusedNumber(tx: Tx, on: IsoDate): Promise<string> {
  for (let attempt = 1; attempt <= NUMBER_ATTEMPTS; attempt += 1) {
    const number = formatCertificateNumber(on, randomBytes(4).readUInt32BE(0));
    if (!(await getById<CertificateDoc>(tx, COLLECTIONS.certificates, number))) return number;
  }
  throw new DomainError('CONFLICT', '证明编号生成失败，请稍后重试。');
}

export async function issueCertificate(openid: string): Promise<CertificateDetail> {
  const caller = await requireVerified(openid);
  if (!caller.licence) throw new DomainError('LICENCE_NOT_FOUND');
  const personId = caller.person._id;
  const on = today();
  const quota = issueQuota(personId, on);
  // Early answer before reading the record; the slot taken in the transaction below is what counts.
  await checkDailyQuota(database, quota);
  const decisions = await personDecisions(personId);
  // Points as user.points shows them, with the share no online decision explains (counter, on-the-spot processing).
  const points = pointsHistory(storedPoints(caller.licence), on, decisions);
  const snapshot = certificateSnapshot(
    {
      name: maskName(caller.person.name),
      idNumber: maskIdNumber(caller.person.idNumber),
      // A licence past its validUntil is expired whatever the registry's status field still says.
      licence: {
        class: caller.licence.licenceClass,
        status: licenceValidity(caller.licence, on).valid
          ? 'valid'
          : caller.licence.status === 'valid'
            ? 'expired'
            : caller.licence.status,
        validUntil: caller.licence.validUntil,
      },
      cycle: {
        start: points.cycle.start,
        end: points.cycle.end,
        points: points.points,
        otherPoints: points.otherPoints,
      },
      decisions: decisions.map((d) => ({
        decidedOn: d.decidedOn,
        fine: d.doc.fine,
        paid: d.paidOn !== null,
        items: d.doc.items,
      })),
    },
    on,
  );
  const issuedMs = nowMs();
  const doc = await inTransaction(async (tx): Promise<CertificateDoc> => {
    await takeDailySlot(tx, quota);
    const number = await unusedNumber(tx, on);
    const fresh: CertificateDoc = {
      _id: number,
      number,
      code: newCode(),
      personId,
      openid,
      issuedAt: new Date(issuedMs).toISOString(),
      issuedOn: on,
      expiresAt: new Date(issuedMs + CERTIFICATE_VALID_MS).toISOString(),
      expiresAtMs: issuedMs + CERTIFICATE_VALID_MS,
      revokedAt: null,
      snapshot,
    };
    await setById(tx, COLLECTIONS.certificates, number, fresh);
    return fresh;
  }, ISSUE_ATTEMPTS);
  return detail(doc, issuedMs);
}

export async function listCertificates(openid: string): Promise<CertificateListResult> {
  const caller = await requireVerified(openid);
  const docs = await find<CertificateDoc>(
    COLLECTIONS.certificates,
    { personId: caller.person._id },
    { orderBy: [['issuedAt', 'desc']], limit: LIST_LIMIT },
  );
  const now = nowMs();
  return { certificates: docs.map((doc) => item(doc, now)) };
}

/** The caller's own certificate; anyone else's is answered as not found. */
async function ownCertificate(openid: string, number: string): Promise<CertificateDoc> {
  const caller = await requireVerified(openid);
  const doc = await getById<CertificateDoc>(database, COLLECTIONS.certificates, number);
  if (!doc || doc.personId !== caller.person._id) throw new DomainError('NOT_FOUND', '未找到该信用证明。');
  return doc;
}

export async function certificateDetail(openid: string, number: string): Promise<CertificateDetail> {
  return detail(await ownCertificate(openid, number), nowMs());
}

export async function revokeCertificate(openid: string, number: string): Promise<CertificateItem> {
  await ownCertificate(openid, number);
  return inTransaction(async (tx) => {
    const doc = await getById<CertificateDoc>(tx, COLLECTIONS.certificates, number);
    if (!doc) throw new DomainError('NOT_FOUND', '未找到该信用证明。');
    if (doc.revokedAt !== null) return item(doc, nowMs());
    const revokedAt = nowIso();
    await updateById(tx, COLLECTIONS.certificates, number, { revokedAt });
    await audit(tx, {
      openid,
      action: 'certificate.revoke',
      target: `certificates/${number}`,
      before: 'active',
      after: 'revoked',
    });
    return item({ ...doc, revokedAt }, nowMs());
  });
}

function sameCode(stored: string, given: string | null): boolean {
  const a = Buffer.from(stored);
  const b = Buffer.from(given ?? '');
  // Compared in constant time; a length mismatch still does the same work against itself.
  return timingSafeEqual(a, b.length === a.length ? b : a) && b.length === a.length;
}

function attemptsOf(doc: CertificateAttemptDoc | null): AttemptState {
  if (!doc) return NO_ATTEMPTS;
  // The record is read as it is stored, whatever its fields hold.
  const stored: Partial<Record<keyof AttemptState, unknown>> = doc;
  return { failures: Number(stored.failures) || 0, blockedUntilMs: Number(stored.blockedUntilMs) || 0 };
}

type Outcome = { match: true; doc: CertificateDoc } | { match: false; locked: boolean };

/** Who asks: the WeChat account ('' for none) and, for a call over HTTP, the address the gateway saw. */
export interface VerifyCaller {
  readonly openid: string;
  readonly sourceIp: string | null;
}

/** The verifier's daily caps on wrong answers; keys name the verifier without storing its openid or address. */
function verifyQuotas(verifier: Verifier): DailyQuota[] {
  return dailyFailureLimits(verifier).map((limit) =>
    dailyQuota({
      collection: COLLECTIONS.verifyCallers,
      purpose: 'verify',
      subject: keyOf(`verify-caller|${limit.subject}`),
      limit: limit.limit,
      message: '今日核验错误次数过多，请明天再试。',
    }),
  );
}

/** certificateAttempts/<number>_<key>: one verifier's wrong codes for one number. */
function verifierAttemptsId(number: string, verifier: Verifier): string {
  return `${number}_${keyOf(`certificate-verifier|${verifierKey(verifier)}`)}`;
}

/** The certificate when the caller is the person it was issued to (on the account it was issued to, or the one they moved to). */
async function ownCertificateOf(openid: string, number: string): Promise<CertificateDoc | null> {
  if (openid === '') return null;
  const doc = await getById<CertificateDoc>(database, COLLECTIONS.certificates, number);
  if (!doc) return null;
  if (doc.openid === openid) return doc;
  return (await loadCaller(openid)).person?._id === doc.personId ? doc : null;
}

function verification(doc: CertificateDoc): CertificateVerification {
  // Revoked: the driver withdrew it, so only that fact is shared.
  return { ...item(doc, nowMs()), snapshot: doc.revokedAt === null ? doc.snapshot : null };
}

/** What an employer checks: no registration needed, any WeChat account, but wrong answers are counted. */
export async function verifyCertificate(
  from: VerifyCaller,
  params: VerifyCertificateParams,
): Promise<CertificateVerification> {
  const code = normaliseCode(params.code);
  // Its holder always gets an answer: nobody's guessing can lock them out of their own certificate.
  const own = await ownCertificateOf(from.openid, params.number);
  if (own) {
    if (!sameCode(own.code, code)) throw new DomainError('CERTIFICATE_MISMATCH');
    return verification(own);
  }
  const verifier = verifierOf(from.openid, from.sourceIp);
  const quotas = verifyQuotas(verifier);
  const attemptsId = verifierAttemptsId(params.number, verifier);
  const outcome = await inTransaction(async (tx): Promise<Outcome> => {
    // The caps are read here and a wrong answer counted here, so parallel guesses cannot pass them.
    for (const quota of quotas) await checkDailyQuota(tx, quota);
    const now = nowMs();
    const everyone = currentAttempts(
      attemptsOf(await getById<CertificateAttemptDoc>(tx, COLLECTIONS.certificateAttempts, params.number)),
      now,
      PER_NUMBER,
    );
    const ceiling = attemptGate(everyone, now, PER_NUMBER);
    // Only the ceiling's lock counts here (a count stored under the earlier rule may carry a short wait).
    if (!ceiling.allowed && ceiling.locked)
      throw new DomainError(
        'CERTIFICATE_LOCKED',
        '该证明编号近期核验错误次数过多，已暂停核验 24 小时，请联系证明持有人。',
        {
          retryAfterSeconds: ceiling.retryAfterSeconds,
        },
      );
    const mine = currentAttempts(
      attemptsOf(await getById<CertificateAttemptDoc>(tx, COLLECTIONS.certificateAttempts, attemptsId)),
      now,
      PER_VERIFIER,
    );
    const gate = attemptGate(mine, now, PER_VERIFIER);
    if (!gate.allowed) {
      if (gate.locked)
        throw new DomainError('CERTIFICATE_LOCKED', undefined, { retryAfterSeconds: gate.retryAfterSeconds });
      throw new DomainError('RATE_LIMITED', `核验错误次数较多，请 ${gate.retryAfterSeconds} 秒后再试。`, {
        retryAfterSeconds: gate.retryAfterSeconds,
      });
    }
    const doc = await getById<CertificateDoc>(tx, COLLECTIONS.certificates, params.number);
    if (doc && sameCode(doc.code, code)) {
      if (mine.failures > 0)
        await setById(tx, COLLECTIONS.certificateAttempts, attemptsId, { ...NO_ATTEMPTS, updatedAt: nowIso() });
      return { match: true, doc };
    }
    const nextMine = afterFailure(mine, now, PER_VERIFIER);
    const nextEveryone = afterFailure(everyone, now, PER_NUMBER);
    await setById(tx, COLLECTIONS.certificateAttempts, attemptsId, { ...nextMine, updatedAt: nowIso() });
    await setById(tx, COLLECTIONS.certificateAttempts, params.number, { ...nextEveryone, updatedAt: nowIso() });
    for (const quota of quotas) await takeDailySlot(tx, quota);
    return {
      match: false,
      locked: nextMine.failures >= PER_VERIFIER.lockAfter || nextEveryone.failures >= PER_NUMBER.lockAfter,
    };
  }, VERIFY_ATTEMPTS);
  if (!outcome.match) throw new DomainError(outcome.locked ? 'CERTIFICATE_LOCKED' : 'CERTIFICATE_MISMATCH');
  return verification(outcome.doc);
}
