/**
 * The actions the console calls on `admin`, typed by the server's contract. `PendingActions` declares the officer
 * session actions another branch is adding to AdminActions; once the server declares an action, its own type wins
 * (the Omit below), so the console then compiles against the server's shape.
 */
import type { Action, EmptyParams } from '../../miniprogram/domain/core/envelope';
import type { AdminActions } from '../../cloudfunctions/_shared/police/contract';
import type { PoliceRole } from '../../cloudfunctions/_shared/police/access';

export interface OfficerView {
  readonly login: string;
  readonly name: string;
  readonly roles: readonly PoliceRole[];
}

export interface SignInParams {
  readonly login: string;
  readonly password: string;
  /** The 6-digit code of the officer's authenticator app; left out with a temporary password (enrolment). */
  readonly totp?: string;
}

export interface SignInResult {
  readonly sessionToken: string;
  /** ISO 8601 instants: the session's absolute end and the end of its idle window. */
  readonly expiresAt: string;
  readonly idleExpiresAt: string;
  readonly officer: OfficerView;
}

export interface ChangePasswordParams {
  readonly current: string;
  readonly next: string;
}

interface PendingActions {
  readonly signIn: Action<SignInParams, SignInResult>;
  readonly signOut: Action<EmptyParams, EmptyParams>;
  readonly me: Action<EmptyParams, OfficerView>;
  readonly changePassword: Action<ChangePasswordParams, EmptyParams>;
}

export type ConsoleActions = Omit<PendingActions, keyof AdminActions> & AdminActions;
export type ConsoleAction = Extract<keyof ConsoleActions, string>;
