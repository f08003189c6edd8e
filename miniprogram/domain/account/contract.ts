/** The account contract (`user` function): registration, profile, real-name and face verification. */

import type { Action, EmptyParams } from '../core/envelope';
import type { LicenceView } from '../licence/contract';

export interface RegisterResult {
  readonly registered: true;
  /** true when this call created the user. */
  readonly created: boolean;
  readonly verified: boolean;
}

export interface ProfileResult {
  readonly verified: boolean;
  /** Masked (`张*`); null until verified. */
  readonly name: string | null;
  /** Masked (`450***********123X`); null until verified. */
  readonly idNumber: string | null;
  /** null when no licence is linked to the ID number. */
  readonly licence: LicenceView | null;
}

export type FaceVerifyPurpose = 'real-person';

export interface StartFaceVerifyParams {
  readonly name: string;
  readonly idNumber: string;
  readonly purpose: FaceVerifyPurpose;
}

export interface VerifyIdResult {
  readonly verifyId: string;
  /** Seconds the verifyId stays usable (WeChat: 3600). */
  readonly expiresIn?: number;
}

export interface ConfirmFaceVerifyParams {
  readonly verifyId: string;
}

export interface ConfirmFaceVerifyResult {
  readonly verified: true;
  readonly name: string;
  readonly idNumber: string;
  /** The ID number was verified on another WeChat account before and has moved here. */
  readonly movedFromAnotherAccount?: boolean;
}

/** The account actions of the `user` function. */
export interface AccountActions {
  readonly register: Action<EmptyParams, RegisterResult>;
  readonly profile: Action<EmptyParams, ProfileResult>;
  readonly startFaceVerify: Action<StartFaceVerifyParams, VerifyIdResult>;
  readonly confirmFaceVerify: Action<ConfirmFaceVerifyParams, ConfirmFaceVerifyResult>;
}
