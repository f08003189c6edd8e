/**
 * The violation contract (`violation` function): the list with each record's eligibility, one record with its
 * evidence, processing a batch, one decision.
 */

import type { IsoDate } from '../core/dates';
import type { CreatePaymentResult } from '../payment/contract';
import type { Action } from '../core/envelope';
import type { PlateType } from '../vehicle/plate';
import type { EligibilityReason, ViolationStatus } from './eligibility';
import type { ViolationState } from './state';

export interface ViolationListParams {
  readonly plate?: string;
}

export interface ViolationItem {
  /** The registry's violation id. */
  readonly id: string;
  readonly plate: string;
  readonly occurredAt: string;
  readonly place: string;
  readonly behaviour: string;
  readonly fine: number;
  readonly points: number;
  /** Late surcharge today (0 until a decision is 15 days old). */
  readonly surcharge: number;
  readonly processable: boolean;
  readonly reasons: readonly EligibilityReason[];
  readonly plateType?: PlateType;
  readonly status?: ViolationStatus;
  readonly decisionId?: string;
  readonly decisionNo?: string;
  /** The one state the caller sees it in, decided by the cloud: the page shows this and nothing that contradicts it. */
  readonly state: ViolationState;
}

export interface ViolationListResult {
  readonly violations: readonly ViolationItem[];
  /** The processor's points in the current cycle, when a licence is linked. */
  readonly cyclePoints?: number;
}

export interface ProcessParams {
  readonly violationIds: readonly string[];
  /** Also open today's payment order for the new decision, so paying it needs no further call. */
  readonly pay?: boolean;
}

export interface ProcessResult {
  readonly decisionId: string;
  readonly decisionNo: string;
  /** What is due today: fine + surcharge (no surcharge on the decision day). */
  readonly amount: number;
  readonly fine?: number;
  readonly points?: number;
  readonly decisionDate?: IsoDate;
  /** Last day to pay the fine alone (decision date + 15). */
  readonly dueDate?: IsoDate;
  readonly violationIds?: readonly string[];
  /** With `pay`: the order `payment.create` would answer; absent when it could not be opened (pay later creates it). */
  readonly order?: CreatePaymentResult;
}

/** A penalty decision of the caller's, with what is due today. */
export interface DecisionResult {
  readonly decisionId: string;
  readonly decisionNo: string;
  readonly status: 'unpaid' | 'paid';
  readonly decisionDate: IsoDate;
  readonly dueDate: IsoDate;
  readonly fine: number;
  readonly points: number;
  /** Late surcharge today; 0 once paid. */
  readonly surcharge: number;
  /** fine + surcharge today; 0 once paid. */
  readonly amount: number;
  readonly violations: readonly {
    readonly id: string;
    readonly plate: string;
    readonly occurredAt: string;
    readonly behaviour: string;
    readonly fine: number;
    readonly points: number;
    readonly place?: string;
    /** The registry's offence code and legal basis, when its record carries them. */
    readonly code?: string;
    readonly legalBasis?: string;
  }[];
  readonly paidAt?: string;
  /** The person punished, masked as on every page (`李*`, `450***********1234`). */
  readonly personName?: string;
  readonly idNumber?: string;
  /** The order that paid it online: its electronic receipt. */
  readonly paidOrderId?: string;
  readonly paidVia?: 'wechat' | 'registry';
}

export interface ViolationDetailParams {
  readonly violationId: string;
}

/** One evidence photo: a temporary URL ('' when the file could not be found). */
export interface EvidencePhoto {
  readonly url: string;
}

/** One violation of a bound car as the list shows it, with its code, legal basis and the camera's photos. */
export interface ViolationDetail extends ViolationItem {
  /** 违法代码, e.g. `1352`, when the registry sent it. */
  readonly code?: string;
  /** 法律依据, when the registry sent it. */
  readonly legalBasis?: string;
  /** Empty when the record has no photos. */
  readonly photos: readonly EvidencePhoto[];
}

export interface DecisionIdParams {
  readonly decisionId: string;
}

/** The `violation` function's actions. */
export interface ViolationActions {
  readonly list: Action<ViolationListParams, ViolationListResult>;
  readonly process: Action<ProcessParams, ProcessResult>;
  readonly decision: Action<DecisionIdParams, DecisionResult>;
  readonly detail: Action<ViolationDetailParams, ViolationDetail>;
}
