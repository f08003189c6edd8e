/** The tow contract (`tow` function): where a towed car of the caller's is. */

import type { Action } from '../core/envelope';
import type { PlateType } from '../vehicle/plate';

export interface TowQueryParams {
  readonly plate: string;
}

/** A car of the caller's that the police towed and that is still at the yard. */
export interface TowView {
  readonly plate: string;
  readonly plateType: PlateType;
  readonly towedAt: string;
  readonly yardName: string;
  readonly yardAddress: string;
  readonly latitude: number;
  readonly longitude: number;
  /** Integer fen due at the yard. */
  readonly fee: number;
  readonly yardHours: string;
  readonly yardPhone: string;
}

export interface TowQueryResult {
  readonly tow: TowView;
}

/** The `tow` function's actions. */
export interface TowActions {
  readonly query: Action<TowQueryParams, TowQueryResult>;
}
