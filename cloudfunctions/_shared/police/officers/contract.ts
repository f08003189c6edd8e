/** The police side's accounts: officers signing in, their sessions, integration keys, and reading the audit trail. */
import type { IsoDate } from '../../../../miniprogram/domain/core/dates';
import type { Action, EmptyParams } from '../../../../miniprogram/domain/core/envelope';
import type { PoliceRole } from '../access';
import type { OfficerState } from './rules';

export interface OfficerView {
  readonly login: string;
  readonly name: string;
  readonly roles: readonly PoliceRole[];
}

export interface SignInParams {
  readonly login: string;
  readonly password: string;
  /** The 6-digit code of the officer's authenticator app; absent (or ignored) while the officer must enrol. */
  readonly totp?: string;
}

export interface SignInResult {
  /** `ps_…`: send it as `Authorization: Bearer …` (HTTP access) or as `credential` in the event. */
  readonly sessionToken: string;
  /** ISO instants: the session ends at the first of the two; each call moves the idle end on. */
  readonly expiresAt: string;
  readonly idleExpiresAt: string;
  readonly officer: OfficerView;
  /**
   * True: the password was a temporary one and the session is an enrolment session (15 minutes), which opens only
   * startEnrolment and completeEnrolment; completeEnrolment answers a normal session.
   */
  readonly mustEnrol: boolean;
}

export interface MeResult {
  readonly officer: OfficerView;
  readonly expiresAt: string;
  readonly idleExpiresAt: string;
}

export interface ChangePasswordParams {
  readonly current: string;
  readonly next: string;
}

export interface SessionsEndedResult {
  /** Every session of the officer ended (this one too): sign in again. */
  readonly sessionsEnded: true;
}

export interface SignedOutResult {
  readonly signedOut: true;
}

export interface BootstrapOfficerParams {
  readonly login: string;
  readonly name: string;
  readonly password: string;
  /** Default `['admin']`; must include admin. */
  readonly roles?: readonly PoliceRole[];
}

export interface CreateOfficerParams {
  readonly login: string;
  readonly name: string;
  readonly roles: readonly PoliceRole[];
  /** A temporary password the administrator chose; absent: the server makes one and answers it once. */
  readonly password?: string;
}

/** The account made or reset: the officer signs in with the temporary password and enrols (new password, TOTP). */
export interface EnrolmentIssuedResult {
  readonly officer: OfficerView;
  readonly mustEnrol: true;
  /** Only when the server made it: shown once, to be handed to the officer; never the TOTP secret. */
  readonly temporaryPassword?: string;
}

/** The bootstrap administrator's own secret, shown once to the deployer who is that administrator. */
export interface NewOfficerResult {
  readonly officer: OfficerView;
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

export interface UpdateOfficerParams {
  readonly login: string;
  readonly roles?: readonly PoliceRole[];
  readonly state?: 'active' | 'disabled';
}

export interface LoginParams {
  readonly login: string;
}

/** A reset of the password or of the TOTP: either way the officer enrols again with a temporary password. */
export interface ResetOfficerPasswordParams {
  readonly login: string;
  /** A temporary password the administrator chose; absent: the server makes one and answers it once. */
  readonly password?: string;
}

export interface ResetOfficerResult extends OfficerItem {
  /** Only when the server made it: shown once. */
  readonly temporaryPassword?: string;
}

/** A fresh secret, kept pending until completeEnrolment proves the app holds it. */
export interface StartEnrolmentResult {
  readonly login: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

export interface CompleteEnrolmentParams {
  readonly newPassword: string;
  /** A code of the pending secret. */
  readonly totp: string;
}

export interface OfficerItem extends OfficerView {
  readonly state: OfficerState;
  /** Signs in with a temporary password and must enrol (new password and TOTP) before anything else. */
  readonly mustEnrol: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface OfficerListResult {
  readonly officers: readonly OfficerItem[];
}

export interface IntegrationKeyNameParams {
  readonly name: string;
}

export interface KeyIdParams {
  readonly keyId: string;
}

export interface IntegrationKeyItem {
  readonly keyId: string;
  readonly name: string;
  readonly state: 'active' | 'revoked';
  readonly createdAt: string;
  readonly rotatedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** The key is shown once (only its hash is kept): `pk_<keyId>_<secret>`. */
export interface NewIntegrationKeyResult {
  readonly key: string;
  readonly item: IntegrationKeyItem;
}

export interface IntegrationKeyListResult {
  readonly keys: readonly IntegrationKeyItem[];
}

export interface ReadAuditParams {
  /** Inclusive, Asia/Shanghai days. */
  readonly from?: IsoDate;
  readonly to?: IsoDate;
  /** An actor label as entries carry it: `officer:<login>`, `integration:<keyId>`, `bootstrap`, `anonymous`. */
  readonly actor?: string;
  /** Entries of exactly this action, e.g. `refund.approve` or `police.updateFault` (`action` names the call). */
  readonly entryAction?: string;
  /** Records whose target starts with this, e.g. `refunds/` or `faultReports/<id>`. */
  readonly target?: string;
  /** Entries about one person: the account they use and their record; or one car: its owner's and the car's. */
  readonly idNumber?: string;
  readonly plate?: string;
  readonly limit: number;
  /** The `next` of the previous page. */
  readonly after?: string;
}

export interface AuditActorView {
  readonly label: string;
  readonly login?: string;
  readonly name?: string;
}

export interface AuditItem {
  readonly id: string;
  readonly at: string;
  readonly action: string;
  readonly target: string;
  readonly actor: AuditActorView | null;
  /** The driver's account, for audits of the mini program's side. */
  readonly openid: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ReadAuditResult {
  readonly entries: readonly AuditItem[];
  /** Pass as `after` for the next page; null on the last. */
  readonly next: string | null;
}

export interface OfficerActions {
  readonly signIn: Action<SignInParams, SignInResult>;
  readonly signOut: Action<EmptyParams, SignedOutResult>;
  readonly me: Action<EmptyParams, MeResult>;
  readonly changePassword: Action<ChangePasswordParams, SessionsEndedResult>;
  readonly bootstrapOfficer: Action<BootstrapOfficerParams, NewOfficerResult>;
  readonly createOfficer: Action<CreateOfficerParams, EnrolmentIssuedResult>;
  readonly updateOfficer: Action<UpdateOfficerParams, OfficerItem>;
  readonly unlockOfficer: Action<LoginParams, OfficerItem>;
  readonly resetOfficerPassword: Action<ResetOfficerPasswordParams, ResetOfficerResult>;
  readonly resetOfficerTotp: Action<ResetOfficerPasswordParams, ResetOfficerResult>;
  readonly startEnrolment: Action<EmptyParams, StartEnrolmentResult>;
  readonly completeEnrolment: Action<CompleteEnrolmentParams, SignInResult>;
  readonly listOfficers: Action<EmptyParams, OfficerListResult>;
  readonly createIntegrationKey: Action<IntegrationKeyNameParams, NewIntegrationKeyResult>;
  readonly rotateIntegrationKey: Action<KeyIdParams, NewIntegrationKeyResult>;
  readonly revokeIntegrationKey: Action<KeyIdParams, IntegrationKeyItem>;
  readonly listIntegrationKeys: Action<EmptyParams, IntegrationKeyListResult>;
  readonly readAudit: Action<ReadAuditParams, ReadAuditResult>;
}
