/**
 * Enrolment: an officer signed in with a temporary password (an enrolment session) gets a fresh TOTP secret, kept
 * pending, and proves their app holds it with a code while choosing their own password. Both are set together, every
 * older session ends, and the answer is a normal session, so the officer lands in the console at once.
 */
import { DomainError } from '../../../../miniprogram/domain/core/errors';
import { badField } from '../../../../miniprogram/domain/core/fields';
import { nowIso, nowMs } from '../../clock';
import { COLLECTIONS } from '../../collections';
import { database, getById, updateById } from '../../db';
import type { OfficerDoc } from '../../records';
import { inTransaction } from '../../transaction';
import type { CompleteEnrolmentParams, SignInResult, StartEnrolmentResult } from './contract';
import { hashPassword, newTotpSecret, otpauthUri, passwordMatches, totpStepOf } from './credentials';
import { passwordProblem, PASSWORD_PROBLEM_MESSAGES } from './rules';
import { openSession } from './sign-in';

const NOT_ENROLLING_MESSAGE = '这个账号无需设置，请重新登录。';

/** The officer still enrolling under the session's epoch, or SESSION_EXPIRED (a reset or a completion came first). */
function enrolling(doc: OfficerDoc | null, epoch: number): OfficerDoc {
  if (doc === null || doc.mustEnrol !== true || doc.state !== 'active' || doc.epoch !== epoch)
    throw new DomainError('SESSION_EXPIRED', NOT_ENROLLING_MESSAGE);
  return doc;
}

/** A fresh secret each time (a second call replaces the first: only the last QR code shown works). */
export async function startEnrolment(officerId: string, epoch: number): Promise<StartEnrolmentResult> {
  const totpSecret = newTotpSecret();
  await inTransaction(async (tx) => {
    const doc = enrolling(await getById<OfficerDoc>(tx, COLLECTIONS.officers, officerId), epoch);
    await updateById(tx, COLLECTIONS.officers, doc._id, { pendingTotpSecret: totpSecret, updatedAt: nowIso() });
  });
  return { login: officerId, totpSecret, otpauthUri: otpauthUri(totpSecret, officerId) };
}

export async function completeEnrolment(
  params: CompleteEnrolmentParams,
  session: { readonly id: string; readonly officerId: string; readonly epoch: number },
): Promise<SignInResult> {
  const problem = passwordProblem(params.newPassword, session.officerId);
  if (problem !== null) throw badField('newPassword', PASSWORD_PROBLEM_MESSAGES[problem]);
  const doc = enrolling(await getById<OfficerDoc>(database, COLLECTIONS.officers, session.officerId), session.epoch);
  const pending = doc.pendingTotpSecret ?? null;
  if (pending === null) throw new DomainError('INVALID_TRANSITION', '请先获取二维码，再输入动态验证码。');
  const step = totpStepOf(pending, params.totp, nowMs());
  if (step === null) throw badField('totp', '动态验证码不正确，请确认已添加最新的二维码、手机时间准确后重试。');
  // the administrator knows the temporary password: keeping it would leave them a way in
  if (await passwordMatches(params.newPassword, doc.passwordHash))
    throw badField('newPassword', '新密码不能与临时密码相同。');
  const passwordHash = await hashPassword(params.newPassword);
  return inTransaction(async (tx) => {
    const current = enrolling(await getById<OfficerDoc>(tx, COLLECTIONS.officers, session.officerId), session.epoch);
    // a second startEnrolment meanwhile replaced the secret this code belongs to
    if (current.pendingTotpSecret !== pending) throw badField('totp', '二维码已更新，请添加最新的二维码后重试。');
    const epoch = current.epoch + 1;
    const change = {
      passwordHash,
      totpSecret: pending,
      pendingTotpSecret: null,
      mustEnrol: false,
      lastTotpStep: step,
      epoch,
      updatedAt: nowIso(),
    };
    await updateById(tx, COLLECTIONS.officers, current._id, change);
    const enrolled: OfficerDoc = { ...current, ...change };
    await updateById(tx, COLLECTIONS.officerSessions, session.id, { revoked: true });
    return openSession(tx, enrolled, epoch, nowMs());
  });
}
