/**
 * The actions the console calls on `admin`, typed by the server's contract. `PendingActions` declares the ones that
 * other branches are adding to AdminActions (officer sessions, refunds); once the server declares an action, its own
 * type wins (the Omit below), so the console then compiles against the server's shape.
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
  /** The 6-digit code of the officer's authenticator app. */
  readonly totp: string;
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

export const REFUND_STATUSES = ['queued', 'approved', 'refunding', 'refunded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export interface ListRefundsParams {
  readonly status?: RefundStatus;
  readonly limit: number;
  /** The cursor of the previous page. */
  readonly after?: string;
}

export interface RefundView {
  readonly refundId: string;
  readonly outTradeNo: string;
  /** Integer fen. */
  readonly amount: number;
  readonly reason: string;
  readonly status: RefundStatus;
  readonly requestedBy: string;
  readonly queuedAt: string;
}

export interface ListRefundsResult {
  readonly refunds: readonly RefundView[];
  /** Present when there is another page. */
  readonly next?: string;
}

export interface RefundIdParams {
  readonly refundId: string;
}

interface PendingActions {
  readonly signIn: Action<SignInParams, SignInResult>;
  readonly signOut: Action<EmptyParams, EmptyParams>;
  readonly me: Action<EmptyParams, OfficerView>;
  readonly changePassword: Action<ChangePasswordParams, EmptyParams>;
  readonly listRefunds: Action<ListRefundsParams, ListRefundsResult>;
  readonly approveRefund: Action<RefundIdParams, RefundView>;
  readonly retryRefund: Action<RefundIdParams, RefundView>;
}

export type ConsoleActions = Omit<PendingActions, keyof AdminActions> & AdminActions;
export type ConsoleAction = Extract<keyof ConsoleActions, string>;
