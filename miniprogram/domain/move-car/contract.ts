/** The move-car contract (`moveCar` function): asking an owner to move a car, and the owner's side. */

import type { Action, EmptyParams } from '../core/envelope';
import type { PlateType } from '../vehicle/plate';
import type { MoveCarOutcome, MoveCarReply } from './move-car';

export interface MoveCarParams {
  /** The plate of the car in the way (any 桂A small car; its type follows from its shape). */
  readonly plate: string;
  /** Where the requester is, in their words; goes into the owner's message. */
  readonly place?: string;
}

/** A move-car request as its requester sees it: the outcome, never who the owner is. */
export interface MoveCarRequestView {
  readonly requestId: string;
  readonly plate: string;
  readonly place: string;
  readonly createdAt: string;
  readonly outcome: MoveCarOutcome;
  /** The owner's answer, once given (outcome `answered`). */
  readonly reply?: MoveCarReply;
  readonly replyText?: string;
  readonly answeredAt?: string;
}

export interface MoveCarListResult {
  readonly requests: readonly MoveCarRequestView[];
}

export interface MoveCarRequestIdParams {
  readonly requestId: string;
}

/** A request for one of the caller's cars, as the owner sees it: never who asked. */
export interface IncomingMoveCarItem {
  readonly requestId: string;
  readonly plate: string;
  readonly place: string;
  readonly createdAt: string;
  readonly reply?: MoveCarReply;
  readonly replyText?: string;
  readonly answeredAt?: string;
  /** Still within the answer window. */
  readonly answerable: boolean;
}

export interface IncomingMoveCarResult {
  readonly requests: readonly IncomingMoveCarItem[];
}

export interface AnswerMoveCarParams {
  readonly requestId: string;
  readonly reply: MoveCarReply;
}

/** A photo of the car in the way, uploaded into the caller's own folder (`fault.uploadTarget`'s `dir`). */
export interface RecognisePlateParams {
  readonly fileID: string;
}

/** The plate read off the photo, for the keyboard to show; the driver confirms it before anything is sent. */
export interface RecognisedPlate {
  readonly plate: string;
  readonly plateType: PlateType;
}

/** The `moveCar` function's actions. */
export interface MoveCarActions {
  readonly request: Action<MoveCarParams, MoveCarRequestView>;
  readonly mine: Action<EmptyParams, MoveCarListResult>;
  readonly status: Action<MoveCarRequestIdParams, MoveCarRequestView>;
  readonly incoming: Action<EmptyParams, IncomingMoveCarResult>;
  readonly answer: Action<AnswerMoveCarParams, IncomingMoveCarItem>;
  readonly recognisePlate: Action<RecognisePlateParams, RecognisedPlate>;
}
