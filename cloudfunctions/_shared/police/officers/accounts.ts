/**
 * Officer accounts: the first administrator (with the deployer's bootstrap secret), accounts made and changed by an
 * administrator, and an officer's own view and password. Every change that can end an officer's rights bumps the
 * account's epoch, which every session is checked against on every call. An account an administrator makes or
 * resets gets a temporary password and must enrol (new password, own TOTP) at its next sign-in; only the bootstrap
 * administrator, who is the deployer, gets a TOTP secret at once.
 */
import { DomainError } from '../../../../miniprogram/domain/core/errors';
import { badField } from '../../../../miniprogram/domain/core/fields';
import { nowIso } from '../../clock';
import { COLLECTIONS } from '../../collections';
import { database, find, getById, setById, updateById, type NewDoc } from '../../db';
import type { OfficerDoc } from '../../records';
import { inTransaction, type Tx } from '../../transaction';
import { actorLabel, type Actor, type PoliceRole } from '../access';
import type {
  BootstrapOfficerParams,
  ChangePasswordParams,
  CreateOfficerParams,
  EnrolmentIssuedResult,
  MeResult,
  NewOfficerResult,
  OfficerItem,
  OfficerListResult,
  ResetOfficerPasswordParams,
  ResetOfficerResult,
  SessionsEndedResult,
  UpdateOfficerParams,
} from './contract';
import { hashPassword, newTemporaryPassword, newTotpSecret, otpauthUri, passwordMatches } from './credentials';
import { activeAdmins, adminsAfter, saveAdmins } from './admins';
import {
  changeTo,
  nextState,
  passwordProblem,
  PASSWORD_PROBLEM_MESSAGES,
  sessionEndsAt,
  type StateChange,
} from './rules';
import { claimAttempt, recordFailure } from './sign-in';

const NOT_FOUND_MESSAGE = '没有这个警员账号。';
const LAST_ADMIN_MESSAGE = '至少要保留一名在用的管理员。';
const LIST_LIMIT = 1000;

function checkPassword(password: string, login: string, field: string): void {
  const problem = passwordProblem(password, login);
  if (problem !== null) throw badField(field, PASSWORD_PROBLEM_MESSAGES[problem]);
}

function itemOf(doc: OfficerDoc): OfficerItem {
  return {
    login: doc.login,
    name: doc.name,
    roles: doc.roles,
    state: doc.state,
    mustEnrol: doc.mustEnrol === true,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** The temporary password an administrator gives: the one they chose (checked), or one made here and answered. */
async function temporaryPassword(
  chosen: string | undefined,
  login: string,
): Promise<{ hash: string; shown: { temporaryPassword?: string } }> {
  if (chosen !== undefined) checkPassword(chosen, login, 'password');
  const password = chosen ?? newTemporaryPassword(login);
  return { hash: await hashPassword(password), shown: chosen === undefined ? { temporaryPassword: password } : {} };
}

/** A new account: with its TOTP secret (the bootstrap administrator), or without one, to enrol at first sign-in. */
async function createAccount(
  tx: Tx,
  params: Pick<CreateOfficerParams, 'login' | 'name' | 'roles'>,
  passwordHash: string,
  createdBy: string,
  totpSecret: string | null,
): Promise<OfficerDoc> {
  if ((await getById<OfficerDoc>(tx, COLLECTIONS.officers, params.login)) !== null)
    throw badField('login', '这个登录名已被使用。');
  const at = nowIso();
  const doc: NewDoc<OfficerDoc> = {
    login: params.login,
    name: params.name,
    passwordHash,
    totpSecret: totpSecret ?? '',
    lastTotpStep: null,
    roles: [...params.roles],
    state: 'active',
    epoch: 0,
    createdAt: at,
    updatedAt: at,
    createdBy,
    ...(totpSecret === null ? { mustEnrol: true, pendingTotpSecret: null } : {}),
  };
  await setById(tx, COLLECTIONS.officers, params.login, doc);
  await saveAdmins(tx, await adminsAfter(tx, params.login, { roles: params.roles, state: 'active' }));
  return { ...doc, _id: params.login };
}

/** The first administrator: only while no active administrator exists (the deployer's ADMIN_TOKEN let the call in). */
export async function bootstrapOfficer(params: BootstrapOfficerParams): Promise<NewOfficerResult> {
  checkPassword(params.password, params.login, 'password');
  const passwordHash = await hashPassword(params.password);
  return inTransaction(async (tx) => {
    if ((await activeAdmins(tx)).length > 0)
      throw new DomainError('FORBIDDEN', '已有在用的管理员，请由管理员创建账号。');
    const totpSecret = newTotpSecret();
    const doc = await createAccount(
      tx,
      { ...params, roles: params.roles ?? ['admin'] },
      passwordHash,
      'bootstrap',
      totpSecret,
    );
    return {
      officer: { login: doc.login, name: doc.name, roles: doc.roles },
      totpSecret,
      otpauthUri: otpauthUri(totpSecret, doc.login),
    };
  });
}

/** The administrator never sees the officer's TOTP secret: the officer makes their own when they enrol. */
export async function createOfficer(params: CreateOfficerParams, actor: Actor): Promise<EnrolmentIssuedResult> {
  const temporary = await temporaryPassword(params.password, params.login);
  const doc = await inTransaction((tx) => createAccount(tx, params, temporary.hash, actorLabel(actor), null));
  return { officer: { login: doc.login, name: doc.name, roles: doc.roles }, mustEnrol: true, ...temporary.shown };
}

/** Applies a change to one officer in a transaction; refuses one that would leave no active administrator. */
async function changeOfficer(
  login: string,
  change: (
    doc: OfficerDoc,
  ) => { roles: PoliceRole[]; state: OfficerDoc['state']; endsSessions: boolean } & Partial<
    Pick<OfficerDoc, 'passwordHash' | 'totpSecret' | 'mustEnrol' | 'pendingTotpSecret'>
  >,
  onChanged?: (tx: Tx) => Promise<void>,
): Promise<OfficerItem> {
  return inTransaction(async (tx) => {
    const doc = await getById<OfficerDoc>(tx, COLLECTIONS.officers, login);
    if (doc === null) throw new DomainError('NOT_FOUND', NOT_FOUND_MESSAGE);
    const next = change(doc);
    const admins = await adminsAfter(tx, login, next);
    if (admins.length === 0 && (await activeAdmins(tx)).length > 0)
      throw new DomainError('INVALID_TRANSITION', LAST_ADMIN_MESSAGE);
    const { roles, state, endsSessions, ...secrets } = next;
    const patch = {
      roles,
      state,
      epoch: endsSessions ? doc.epoch + 1 : doc.epoch,
      updatedAt: nowIso(),
      ...secrets,
    };
    await updateById(tx, COLLECTIONS.officers, login, patch);
    await saveAdmins(tx, admins);
    await onChanged?.(tx);
    return itemOf({ ...doc, ...patch });
  });
}

function applyState(doc: OfficerDoc, change: StateChange | null): OfficerDoc['state'] {
  if (change === null) return doc.state;
  const state = nextState(doc.state, change);
  if (state === null)
    throw new DomainError(
      'INVALID_TRANSITION',
      doc.state === 'locked' ? '账号已锁定，请先解锁。' : '当前状态下不能进行此变更。',
    );
  return state;
}

export function updateOfficer(params: UpdateOfficerParams): Promise<OfficerItem> {
  return changeOfficer(params.login, (doc) => {
    const state = applyState(doc, params.state === undefined ? null : changeTo(doc.state, params.state));
    const roles = params.roles === undefined ? doc.roles : [...params.roles];
    // Losing a role or the account ends the sessions that carried it.
    const lostRole = doc.roles.some((role) => !roles.includes(role));
    return { roles, state, endsSessions: state !== doc.state || lostRole };
  });
}

export function unlockOfficer(login: string): Promise<OfficerItem> {
  return changeOfficer(
    login,
    (doc) => ({ roles: doc.roles, state: applyState(doc, 'unlock'), endsSessions: false }),
    async (tx) => {
      await setById(tx, COLLECTIONS.signInAttempts, `login:${login}`, {
        failures: 0,
        blockedUntilMs: 0,
        locked: false,
        updatedAt: nowIso(),
      });
    },
  );
}

/**
 * A reset of the password or of the TOTP (a lost phone): either way the old password and secret stop working, every
 * session ends, and the officer enrols again with the temporary password — so neither half alone lets anyone in.
 */
export async function resetOfficer(params: ResetOfficerPasswordParams): Promise<ResetOfficerResult> {
  const temporary = await temporaryPassword(params.password, params.login);
  const item = await changeOfficer(params.login, (doc) => ({
    roles: doc.roles,
    state: doc.state,
    endsSessions: true,
    passwordHash: temporary.hash,
    totpSecret: '',
    mustEnrol: true,
    pendingTotpSecret: null,
  }));
  return { ...item, ...temporary.shown };
}

export async function listOfficers(): Promise<OfficerListResult> {
  const docs = await find<OfficerDoc>(COLLECTIONS.officers, {}, { orderBy: [['_id', 'asc']], limit: LIST_LIMIT });
  return { officers: docs.map(itemOf) };
}

export async function me(officerId: string, session: { createdAtMs: number; lastSeenAtMs: number }): Promise<MeResult> {
  const doc = await getById<OfficerDoc>(database, COLLECTIONS.officers, officerId);
  if (doc === null) throw new DomainError('SESSION_EXPIRED');
  const ends = sessionEndsAt(session);
  return {
    officer: { login: doc.login, name: doc.name, roles: doc.roles },
    expiresAt: new Date(ends.absoluteMs).toISOString(),
    idleExpiresAt: new Date(ends.idleMs).toISOString(),
  };
}

/** The current password is checked like a sign-in (counted, slowed, locked), so a stolen session cannot guess it. */
export async function changePassword(
  params: ChangePasswordParams,
  officerId: string,
  source: string,
): Promise<SessionsEndedResult> {
  checkPassword(params.next, officerId, 'next');
  await claimAttempt(officerId, source);
  const doc = await getById<OfficerDoc>(database, COLLECTIONS.officers, officerId);
  if (doc === null || !(await passwordMatches(params.current, doc.passwordHash))) {
    await recordFailure(officerId, source, 'admin.changePasswordFailed');
    throw new DomainError('SIGN_IN_FAILED', '当前密码不正确。');
  }
  const passwordHash = await hashPassword(params.next);
  await changeOfficer(
    officerId,
    (current) => ({ roles: current.roles, state: current.state, endsSessions: true, passwordHash }),
    async (tx) => {
      await setById(tx, COLLECTIONS.signInAttempts, `login:${officerId}`, {
        failures: 0,
        blockedUntilMs: 0,
        locked: false,
        updatedAt: nowIso(),
      });
    },
  );
  return { sessionsEnded: true };
}
