/** The e-insurance contract (`insurance` function): a car's policies from its insurer. */

import type { IsoDate } from '../core/dates';
import type { Action } from '../core/envelope';
import type { InsurerCode, PolicyType, PolicyStatus } from './insurers';

export interface PolicyParams {
  readonly plate: string;
  readonly insurer: InsurerCode;
}

export interface PolicyItem {
  readonly policyNo: string;
  readonly type: PolicyType;
  readonly startDate: IsoDate;
  readonly endDate: IsoDate;
  readonly status: PolicyStatus;
  /** The insured vehicle as the insurer has it. */
  readonly plate: string;
  /** Masked (`LSV**********1234`); '' when the insurer sent none. */
  readonly vin: string;
  readonly model: string;
}

export interface PolicyResult {
  readonly insurer: InsurerCode;
  readonly insurerName: string;
  readonly plate: string;
  readonly policies: readonly PolicyItem[];
  /** The answer came from the local cloud's labelled insurer sandbox, not from the insurer. */
  readonly sandbox?: boolean;
}

/** The `insurance` function's actions. */
export interface InsuranceActions {
  readonly policy: Action<PolicyParams, PolicyResult>;
}
