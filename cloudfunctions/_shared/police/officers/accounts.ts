/**
 * Officer accounts: the first administrator (with the deployer's bootstrap secret), accounts made and changed by an
 * administrator, and an officer's own view and password. Every change that can end an officer's rights bumps the
 * account's epoch, which every session is checked against on every call.
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
  MeResult,
  NewOfficerResult,
  OfficerItem,
  OfficerListResult,
  ResetOfficerPasswordParams,
  SessionsEndedResult,
  UpdateOfficerParams,
} from './contract';
import { hashPassword, newTotpSecret, otpauthUri, passwordMatches } from './credentials';
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
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

async function createAccount(
  tx: Tx,
  params: CreateOfficerParams,
  passwordHash: string,
  createdBy: string,
): Promise<NewOfficerResult> {
  if ((await getById<OfficerDoc>(tx, COLLECTIONS.officers, params.login)) !== null)
    throw badField('login', '这个登录名已被使用。');
  const at = nowIso();
  const totpSecret = newTotpSecret();
  const doc: NewDoc<OfficerDoc> = {
    login: params.login,
    name: params.name,
    passwordHash,
    totpSecret,
    lastTotpStep: null,
    roles: [...params.roles],
    state: 'active',
    epoch: 0,
    createdAt: at,
    updatedAt: at,
    createdBy,
  };
  await setById(tx, COLLECTIONS.officers, params.login, doc);
  await saveAdmins(tx, await adminsAfter(tx, params.login, { roles: params.roles, state: 'active' }));
  return {
    officer: { login: params.login, name: params.name, roles: doc.roles },
    totpSecret,
    otpauthUri: otpauthUri(totpSecret, params.login),
  };
}

/** The first administrator: only while no active administrator exists (the deployer's ADMIN_TOKEN let the call in). */
export async function bootstrapOfficer(params: BootstrapOfficerParams): Promise<NewOfficerResult> {
  checkPassword(params.password, params.login, 'password');
  const passwordHash = await hashPassword(params.password);
  return inTransaction(async (tx) => {
    if ((await activeAdmins(tx)).length > 0)
      throw new DomainError('FORBIDDEN', '已有在用的管理员，请由管理员创建账号。');
    return createAccount(tx, { ...params, roles: params.roles ?? ['admin'] }, passwordHash, 'bootstrap');
  });
}

export async function createOfficer(params: CreateOfficerParams, actor: Actor): Promise<NewOfficerResult> {
  checkPassword(params.password, params.login, 'password');
  const passwordHash = await hashPassword(params.password);
  return inTransaction((tx) => createAccount(tx, params, passwordHash, actorLabel(actor)));
}

/** Applies a change to one officer in a transaction; refuses one that would leave no active administrator. */
async function changeOfficer(
  login: string,
  change: (
    doc: OfficerDoc,
  ) => { roles: PoliceRole[]; state: OfficerDoc['state']; endsSessions: boolean } & Partial<
    Pick<OfficerDoc, 'passwordHash'>
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
    const patch = {
      roles: next.roles,
      state: next.state,
      epoch: next.endsSessions ? doc.epoch + 1 : doc.epoch,
      updatedAt: nowIso(),
      ...(next.passwordHash === undefined ? {} : { passwordHash: next.passwordHash }),
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

export async function resetOfficerPassword(params: ResetOfficerPasswordParams): Promise<OfficerItem> {
  checkPassword(params.password, params.login, 'password');
  const passwordHash = await hashPassword(params.password);
  return changeOfficer(params.login, (doc) => ({
    roles: doc.roles,
    state: doc.state,
    endsSessions: true,
    passwordHash,
  }));
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
