/** Registration, real-name + real-person (face) verification, and the profile. */
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { maskIdNumber, maskName } from '../../../miniprogram/domain/account/id-number';
import { isRenewalDue, licenceValidity, mayDriveSmallCar } from '../../../miniprogram/domain/licence/licence';
import type { IsoDate } from '../../../miniprogram/domain/core/dates';
import type { EffectivePoints } from '../../../miniprogram/domain/licence/points';
import { audit } from '../audit';
import { command } from '../cloud';
import { nowIso, nowMs, today } from '../clock';
import { COLLECTIONS } from '../collections';
import { count, database, getById, setById, updateById, updateWhere, type NewDoc } from '../db';
import { keyOf, newId, personIdOf } from '../ids';
import { certHashOf, wechatFaceVerify, type Cert, type FaceVerifyPort } from '../ports/face';
import { WechatApiError } from '../ports/wechat-http';
import type { DriverDoc, PersonDoc, UserDoc, VerificationDoc } from '../records';
import { inTransaction, type Tx } from '../transaction';
import { loadCaller, requireRegistered } from './caller';
import { pointsOn } from '../licence/points';
import type {
  RegisterResult,
  ProfileResult,
  VerifyIdResult,
  StartFaceVerifyParams,
  ConfirmFaceVerifyParams,
  ConfirmFaceVerifyResult,
} from '../../../miniprogram/domain/account/contract';
import type { LicenceView } from '../../../miniprogram/domain/licence/contract';

/**
 * Face verifications one account may start per hour: each costs the police a paid WeChat call. An owner approving
 * many drivers (a company car pool) needs more: FACE_VERIFY_STARTS_PER_HOUR, set on the function, raises it.
 */
const DEFAULT_VERIFY_STARTS_PER_HOUR = 10;

function verifyStartsPerHour(): number {
  const configured = Number(process.env['FACE_VERIFY_STARTS_PER_HOUR']);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : DEFAULT_VERIFY_STARTS_PER_HOUR;
}

export async function register(openid: string): Promise<RegisterResult> {
  if (!openid) throw new DomainError('UNAUTHENTICATED');
  return inTransaction(async (tx) => {
    const existing = await getById<UserDoc>(tx, COLLECTIONS.users, openid);
    if (existing) return { registered: true, created: false, verified: existing.personId !== null };
    await setById(tx, COLLECTIONS.users, openid, { registeredAt: nowIso(), personId: null });
    await audit(tx, { openid, action: 'user.register', target: `users/${openid}`, before: null, after: 'registered' });
    return { registered: true, created: true, verified: false };
  });
}

function licenceView(licence: DriverDoc, points: EffectivePoints, on: IsoDate): LicenceView {
  const { cycle } = points;
  return {
    class: licence.licenceClass,
    cyclePoints: points.points,
    cycleStart: cycle.start,
    cycleEnd: cycle.end,
    validUntil: licence.validUntil,
    status: licence.status,
    valid: licenceValidity(licence, on).valid,
    mayDriveSmallCar: mayDriveSmallCar(licence.licenceClass),
    renewalDue: isRenewalDue(licence.validUntil, on),
  };
}

export async function profile(openid: string): Promise<ProfileResult> {
  const { user, person, licence } = await loadCaller(openid);
  if (!user) throw new DomainError('UNAUTHENTICATED');
  const on = today();
  return {
    verified: person !== null,
    name: person ? maskName(person.name) : null,
    idNumber: person ? maskIdNumber(person.idNumber) : null,
    licence: licence && person ? licenceView(licence, await pointsOn(licence, person._id, on), on) : null,
  };
}

/** Starts a face verification for `cert` on behalf of `openid`; the verifyId is stored so only this openid can use it. */
export async function startVerification(
  openid: string,
  cert: Cert,
  purpose: VerificationDoc['purpose'],
  requestId: string | null,
  face: FaceVerifyPort = wechatFaceVerify,
): Promise<VerifyIdResult> {
  const hourAgo = new Date(nowMs() - 3_600_000).toISOString();
  if ((await count(COLLECTIONS.verifications, { openid, createdAt: command.gte(hourAgo) })) >= verifyStartsPerHour()) {
    throw new DomainError('RATE_LIMITED', '人脸识别发起太频繁，请一小时后再试。', { retryAfterSeconds: 3600 });
  }
  const outSeqNo = `GA${newId().slice(0, 24)}`;
  let started: { verifyId: string; expiresIn: number };
  try {
    started = await face.getVerifyId(outSeqNo, cert, openid);
  } catch (error) {
    if (error instanceof WechatApiError)
      throw new DomainError('FACE_VERIFY_FAILED', '暂时无法发起人脸识别，请稍后重试。');
    throw error;
  }
  const doc: NewDoc<VerificationDoc> = {
    verifyId: started.verifyId,
    openid,
    purpose,
    requestId,
    name: cert.name,
    // Kept only until the verification is used: it becomes the person's record or is dropped.
    idNumber: purpose === 'real-person' ? cert.idNumber : '',
    certHash: certHashOf(cert),
    personalData: true,
    outSeqNo,
    createdAt: nowIso(),
    expiresAtMs: nowMs() + started.expiresIn * 1000,
    usedAt: null,
    result: null,
  };
  await setById(database, COLLECTIONS.verifications, keyOf(started.verifyId), doc);
  return { verifyId: started.verifyId, expiresIn: started.expiresIn };
}

export async function startFaceVerify(openid: string, params: StartFaceVerifyParams): Promise<VerifyIdResult> {
  await requireRegistered(openid);
  return startVerification(openid, { name: params.name, idNumber: params.idNumber }, 'real-person', null);
}

const ALREADY_USED = '该人脸识别结果已经使用过，请重新发起。';

/**
 * Checks a verifyId the caller got from us, and WeChat's verdict on it. A failed face is spent at once and refused;
 * a passed one is returned for the caller to spend (spendVerification) in the same transaction as what it allows.
 */
export async function checkVerification(
  openid: string,
  verifyId: string,
  purpose: VerificationDoc['purpose'],
  requestId: string | null,
  face: FaceVerifyPort = wechatFaceVerify,
): Promise<VerificationDoc> {
  const found = await getById<VerificationDoc>(database, COLLECTIONS.verifications, keyOf(verifyId));
  if (!found || found.verifyId !== verifyId) throw new DomainError('NOT_FOUND', '人脸识别记录不存在，请重新发起。');
  // Bound to the openid that asked, and to the purpose (and request) it was started for.
  if (found.openid !== openid || found.purpose !== purpose || found.requestId !== requestId)
    throw new DomainError('FORBIDDEN', '该人脸识别不属于本次操作，请重新发起。');
  if (found.usedAt !== null) throw new DomainError('FACE_VERIFY_FAILED', ALREADY_USED);
  if (found.expiresAtMs < nowMs()) throw new DomainError('VERIFY_EXPIRED');
  let passed = false;
  try {
    passed = (await face.queryVerifyInfo(found.verifyId, found.outSeqNo, found.certHash, openid)).passed;
  } catch (error) {
    if (!(error instanceof WechatApiError)) throw error;
  }
  if (!passed) {
    await inTransaction(async (tx) => spendVerification(tx, found, false));
    throw new DomainError('FACE_VERIFY_FAILED');
  }
  return found;
}

/** Marks the verification used inside the caller's transaction: two requests racing on one verifyId cannot both pass. */
export async function spendVerification(tx: Tx, verification: VerificationDoc, passed: boolean): Promise<void> {
  const current = await getById<VerificationDoc>(tx, COLLECTIONS.verifications, verification._id);
  if (!current || current.usedAt !== null) throw new DomainError('FACE_VERIFY_FAILED', ALREADY_USED);
  // The ID number was kept only until now; the person's record holds it from here on.
  await updateById(tx, COLLECTIONS.verifications, verification._id, {
    usedAt: nowIso(),
    result: passed ? 'passed' : 'failed',
    idNumber: '',
    personalData: false,
  });
}

/** A verification never used keeps what was typed for it no longer than this after it expired. */
const UNUSED_VERIFICATION_KEPT_MS = 3_600_000;

/**
 * The user function's daily timer: verifications started and never finished drop the typed ID number, name and
 * certificate hash (RULES: ID numbers are stored only where the registry needs them). The record stays, for the
 * hourly start limit and the audit of who tried.
 */
export async function purgeUnusedVerifications(): Promise<{ purged: number }> {
  const cutoff = nowMs() - UNUSED_VERIFICATION_KEPT_MS;
  const purged = await updateWhere(
    COLLECTIONS.verifications,
    { personalData: true, expiresAtMs: command.lt(cutoff) },
    { personalData: false, idNumber: '', name: '', certHash: '' },
  );
  return { purged };
}

export async function confirmFaceVerify(
  openid: string,
  params: ConfirmFaceVerifyParams,
): Promise<ConfirmFaceVerifyResult> {
  await requireRegistered(openid);
  const verification = await checkVerification(openid, params.verifyId, 'real-person', null);
  const personId = personIdOf(verification.idNumber);
  const moved = await inTransaction(async (tx) => {
    await spendVerification(tx, verification, true);
    const user = await getById<UserDoc>(tx, COLLECTIONS.users, openid);
    if (!user) throw new DomainError('UNAUTHENTICATED');
    const person = await getById<PersonDoc>(tx, COLLECTIONS.people, personId);
    const at = nowIso();
    let movedFrom: string | null = null;
    if (person && person.openid && person.openid !== openid) {
      // One ID number, one account: the old account is detached and the person (with their bindings) moves here.
      movedFrom = person.openid;
      await updateById(tx, COLLECTIONS.users, movedFrom, { personId: null });
    }
    if (user.personId && user.personId !== personId) {
      // This account spoke for another person before: that person is now without an account.
      await updateById(tx, COLLECTIONS.people, user.personId, { openid: null });
    }
    if (person) {
      await updateById(tx, COLLECTIONS.people, personId, { openid, name: verification.name, verifiedAt: at });
    } else {
      await setById(tx, COLLECTIONS.people, personId, {
        idNumber: verification.idNumber,
        name: verification.name,
        openid,
        verifiedAt: at,
        bindings: [],
      });
    }
    await updateById(tx, COLLECTIONS.users, openid, { personId });
    await audit(tx, {
      openid,
      action: movedFrom ? 'person.moved' : 'person.verified',
      target: `people/${personId}`,
      before: movedFrom ? { openid: movedFrom } : { personId: user.personId },
      after: { openid },
    });
    return movedFrom !== null;
  });
  const result = {
    verified: true as const,
    name: maskName(verification.name),
    idNumber: maskIdNumber(verification.idNumber),
  };
  return moved ? { ...result, movedFromAnotherAccount: true } : result;
}
