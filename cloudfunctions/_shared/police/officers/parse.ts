/** Parsers of the officer and integration-key actions (the credential itself is read by authorise.ts, not here). */
import { PERSON_NAME } from '../../../../miniprogram/domain/account/person-name';
import { daysBetween } from '../../../../miniprogram/domain/core/dates';
import { badField, type StringRule } from '../../../../miniprogram/domain/core/fields';
import { readIdNumber, readPlate, type ParseContext, type Parsers } from '../../parse/fields';
import type { FieldReader } from '../../parse/reader';
import { POLICE_ROLE_LABELS, POLICE_ROLES, type PoliceRole } from '../access';
import type { OfficerActions, ReadAuditParams } from './contract';
import { normaliseLogin, normaliseRoles, PASSWORD_MAX_LENGTH, readCursor } from './rules';

const LOGIN_TEXT: StringRule = { max: 64 };

function readLogin(r: FieldReader, key = 'login'): string {
  const login = normaliseLogin(r.string(key, LOGIN_TEXT));
  if (login === null) throw badField(r.path(key), '登录名为 3–32 位小写字母、数字或 . _ -，以字母开头。');
  return login;
}

/** Any password within bounds and untrimmed: the policy (length, login) is applied where one is set. */
const PASSWORD: StringRule = { max: PASSWORD_MAX_LENGTH * 2, trim: false, message: '密码格式不正确。' };

function readPassword(r: FieldReader, key: string): string {
  return r.string(key, PASSWORD);
}

/** The temporary password an administrator may choose; absent or empty: the server makes one. */
function optionalPassword(r: FieldReader): { password?: string } {
  const raw = r.raw('password');
  return raw === undefined || raw === null || raw === '' ? {} : { password: readPassword(r, 'password') };
}

const TOTP_CODE: StringRule = { max: 6, pattern: /^\d{6}$/, message: '动态验证码为 6 位数字。' };

function readRoles(r: FieldReader): PoliceRole[] {
  const roles = normaliseRoles(
    r.stringArray('roles', { minItems: 1, maxItems: POLICE_ROLES.length * 2, item: { max: 32 } }),
  );
  if (roles === null)
    throw badField(
      r.path('roles'),
      `角色只能是：${POLICE_ROLES.map((role) => `${role}（${POLICE_ROLE_LABELS[role]}）`).join('、')}。`,
    );
  return roles;
}

const KEY_NAME: StringRule = { max: 40, message: '密钥名称最多 40 个字。' };
const KEY_ID: StringRule = { max: 16, pattern: /^[0-9a-f]{16}$/, message: '密钥编号格式不正确。' };
const ACTOR_LABEL: StringRule = { max: 80, pattern: /^[a-z]+(:[A-Za-z0-9._-]+)?$/ };
const MAX_AUDIT_PAGE = 200;
const MAX_AUDIT_DAYS = 366;

const AUDIT_ACTION: StringRule = { max: 60, pattern: /^[A-Za-z][A-Za-z0-9._-]*$/, message: '操作名称格式不正确。' };
const AUDIT_TARGET: StringRule = {
  max: 120,
  pattern: /^[A-Za-z][A-Za-z0-9._:/|-]*$/,
  message: '记录格式不正确，如 refunds/GA…。',
};

function readAuditParams(r: FieldReader, ctx: ParseContext): ReadAuditParams {
  const from = r.optionalIsoDate('from');
  const to = r.optionalIsoDate('to');
  if (from !== undefined && to !== undefined) {
    const span = daysBetween(from, to);
    if (span < 0) throw badField(r.path('to'), '结束日期不能早于开始日期。');
    if (span + 1 > MAX_AUDIT_DAYS) throw badField(r.path('to'), `一次最多查询 ${MAX_AUDIT_DAYS} 天的记录。`);
  }
  const actor = r.optionalString('actor', ACTOR_LABEL);
  const entryAction = r.optionalString('entryAction', AUDIT_ACTION);
  const target = r.optionalString('target', AUDIT_TARGET);
  const idNumber = r.has('idNumber') ? readIdNumber(r, 'idNumber', ctx) : undefined;
  const plate = r.has('plate') ? readPlate(r) : undefined;
  const after = r.optionalString('after', { max: 40 });
  if (after !== undefined && readCursor(after) === null) throw badField(r.path('after'), '翻页位置不正确。');
  return {
    limit: r.int('limit', { min: 1, max: MAX_AUDIT_PAGE }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(actor === undefined ? {} : { actor }),
    ...(entryAction === undefined ? {} : { entryAction }),
    ...(target === undefined ? {} : { target }),
    ...(idNumber === undefined ? {} : { idNumber }),
    ...(plate === undefined ? {} : { plate }),
    ...(after === undefined ? {} : { after }),
  };
}

export const officerParsers: Parsers<OfficerActions> = {
  signIn: (r) => {
    // an officer who must enrol has no code yet: an empty or missing one is left out
    const totp = r.optionalString('totp', TOTP_CODE);
    return { login: readLogin(r), password: readPassword(r, 'password'), ...(totp === undefined ? {} : { totp }) };
  },
  signOut: () => ({}),
  me: () => ({}),
  changePassword: (r) => ({ current: readPassword(r, 'current'), next: readPassword(r, 'next') }),
  bootstrapOfficer: (r) => {
    const roles = r.has('roles') ? readRoles(r) : undefined;
    if (roles !== undefined && !roles.includes('admin'))
      throw badField(r.path('roles'), '第一位警员必须是管理员（角色含 admin）。');
    return {
      login: readLogin(r),
      name: r.string('name', PERSON_NAME),
      password: readPassword(r, 'password'),
      ...(roles === undefined ? {} : { roles }),
    };
  },
  createOfficer: (r) => ({
    login: readLogin(r),
    name: r.string('name', PERSON_NAME),
    roles: readRoles(r),
    ...optionalPassword(r),
  }),
  updateOfficer: (r) => {
    const roles = r.has('roles') ? readRoles(r) : undefined;
    const state = r.has('state')
      ? r.oneOf('state', ['active', 'disabled'] as const, '状态只能是 active 或 disabled。')
      : undefined;
    return {
      login: readLogin(r),
      ...(roles === undefined ? {} : { roles }),
      ...(state === undefined ? {} : { state }),
    };
  },
  unlockOfficer: (r) => ({ login: readLogin(r) }),
  resetOfficerPassword: (r) => ({ login: readLogin(r), ...optionalPassword(r) }),
  resetOfficerTotp: (r) => ({ login: readLogin(r), ...optionalPassword(r) }),
  startEnrolment: () => ({}),
  completeEnrolment: (r) => ({ newPassword: readPassword(r, 'newPassword'), totp: r.string('totp', TOTP_CODE) }),
  listOfficers: () => ({}),
  createIntegrationKey: (r) => ({ name: r.string('name', KEY_NAME) }),
  rotateIntegrationKey: (r) => ({ keyId: r.string('keyId', KEY_ID) }),
  revokeIntegrationKey: (r) => ({ keyId: r.string('keyId', KEY_ID) }),
  listIntegrationKeys: () => ({}),
  readAudit: (r, ctx) => readAuditParams(r, ctx),
};
