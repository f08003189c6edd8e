/** The driver-credit certificate contract (`certificate` function). */

import type { Action, EmptyParams } from '../core/envelope';
import type { CertificateStatus, CertificateSnapshot } from './certificate';

export interface CertificateNumberParams {
  readonly number: string;
}

export interface VerifyCertificateParams {
  readonly number: string;
  /** As typed; dashes, spaces and lower case are forgiven. */
  readonly code: string;
}

export interface CertificateItem {
  readonly number: string;
  readonly status: CertificateStatus;
  readonly issuedAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
}

export interface CertificateListResult {
  readonly certificates: readonly CertificateItem[];
}

/** The driver's own view: with the verification code to hand to an employer. */
export interface CertificateDetail extends CertificateItem {
  /** `XXXX-XXXX-XXXX`. */
  readonly code: string;
  readonly snapshot: CertificateSnapshot;
}

/**
 * What an employer sees: the snapshot (name and ID number masked) and whether it still holds. A revoked certificate
 * shows only that it was revoked: the driver withdrew it, so its contents are no longer shared (null).
 */
export interface CertificateVerification extends CertificateItem {
  readonly snapshot: CertificateSnapshot | null;
}

/** The `certificate` function's actions. */
export interface CertificateActions {
  readonly issue: Action<EmptyParams, CertificateDetail>;
  readonly list: Action<EmptyParams, CertificateListResult>;
  readonly detail: Action<CertificateNumberParams, CertificateDetail>;
  readonly revoke: Action<CertificateNumberParams, CertificateItem>;
  readonly verify: Action<VerifyCertificateParams, CertificateVerification>;
}
