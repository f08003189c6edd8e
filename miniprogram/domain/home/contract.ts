/**
 * The home contract (`user.home`): what the first screen shows, in one answer — who the caller is and what needs
 * doing. Every to-do is computed by the use case that serves its own page, so home and that page never disagree.
 */

import type { IsoDate } from '../core/dates';
import type { Action, EmptyParams } from '../core/envelope';
import type { VehicleRelation } from '../vehicle/contract';
import type { DateTodo } from './todos';

/** 'registered': signed up, real-name and face verification still to do; 'verified': everything is open. */
export type HomeStage = 'registered' | 'verified';

/** A section home could not read this time: the rest is still answered (a slow registry hides only its part). */
export const HOME_SECTIONS = ['cars', 'violations', 'tows', 'requests'] as const;
export type HomeSection = (typeof HOME_SECTIONS)[number];

/** One unpaid decision of the caller's, as the violation list's 待缴款 tab shows it today. */
export interface HomeUnpaidDecision {
  readonly decisionId: string;
  readonly decisionNo: string;
  /** The plates its violations are on, in list order. */
  readonly plates: readonly string[];
  readonly violationCount: number;
  /** fine + surcharge, fen, today. */
  readonly amount: number;
  readonly surcharge: number;
  /** Last day to pay the fine alone. */
  readonly dueDate: IsoDate;
  /** 0 on the last day, negative once the surcharge runs. */
  readonly daysLeft: number;
}

export interface HomeTow {
  readonly plate: string;
  readonly towedAt: string;
  readonly yardName: string;
}

/** `state` 'overdue': past its date, the car must be inspected before it is driven again. */
export interface HomeInspection extends DateTodo {
  readonly plate: string;
  readonly inspectionDue: IsoDate;
}

/** `state` 'overdue': expired (past its last valid day, or so the registry says). */
export interface HomeRenewal extends DateTodo {
  readonly validUntil: IsoDate;
}

export interface HomeTodos {
  /** The most urgent first (fewest days left). */
  readonly unpaid: readonly HomeUnpaidDecision[];
  /** Violations of the caller's cars that can be processed online now, and what they come to today (fen). */
  readonly processable: { readonly count: number; readonly amount: number };
  readonly tows: readonly HomeTow[];
  /** Due soon, overdue first, then fewest days left. */
  readonly inspections: readonly HomeInspection[];
  /** The licence's renewal is due (the reminder's 90 days) or it has expired: its last valid day. */
  readonly renewal: HomeRenewal | null;
  /** Binding requests waiting for the caller's face scan as the owner. */
  readonly ownerRequests: number;
}

export interface HomeResult {
  readonly stage: HomeStage;
  /** Masked (`李*`); null until verified. */
  readonly name: string | null;
  /** null when no licence is linked to the ID number (or not verified). */
  readonly licence: { readonly cyclePoints: number } | null;
  readonly carCount: number;
  /** The first few bound cars (the rest are on 我的车辆). */
  readonly cars: readonly { readonly plate: string; readonly relation: VehicleRelation }[];
  readonly todos: HomeTodos;
  /** Sections that could not be read now; their parts of `todos` are empty. */
  readonly unavailable: readonly HomeSection[];
}

/** The home action of the `user` function. */
export interface HomeActions {
  readonly home: Action<EmptyParams, HomeResult>;
}
