/** The vehicle contract (`vehicle` function): own cars, binding others' cars with the owner's consent, unbind and revoke. */

import type { VerifyIdResult } from '../account/contract';
import type { IsoDate } from '../core/dates';
import type { Action, EmptyParams } from '../core/envelope';
import type { PlateType } from './plate';

export type VehicleRelation = 'own' | 'other';

export interface VehicleItem {
  readonly plate: string;
  readonly plateType: PlateType;
  readonly relation: VehicleRelation;
  readonly bindingId?: string;
  readonly inspectionDue?: IsoDate;
  /** Masked owner name, for vehicles of others. */
  readonly ownerName?: string;
  /** The owner's own cars: who else may drive them (masked), each revocable by bindingId. */
  readonly drivers?: readonly OtherDriverItem[];
}

export interface OtherDriverItem {
  readonly bindingId: string;
  /** Masked. */
  readonly name: string;
  readonly since: string;
}

export interface VehicleListResult {
  readonly vehicles: readonly VehicleItem[];
}

export interface PlateParams {
  readonly plate: string;
  readonly plateType: PlateType;
}

export type BindOwnParams = PlateParams;

/** A car the vehicle registry lists in the caller's name (桂A small cars only), and whether it is bound in the app. */
export interface OwnCarItem {
  readonly plate: string;
  readonly plateType: PlateType;
  readonly bound: boolean;
}

export interface OwnCarsResult {
  readonly cars: readonly OwnCarItem[];
}

export type BindOwnResult = VehicleItem;

export interface RequestBindingParams extends PlateParams {
  /** The owner's full name as registered; checked against the vehicle registry. */
  readonly ownerName: string;
}

export interface RequestBindingResult {
  readonly requestId: string;
  readonly expiresAt?: string;
}

export const BINDING_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'expired'] as const;

export type BindingRequestStatus = (typeof BINDING_REQUEST_STATUSES)[number];

export interface BindingRequestItem {
  readonly requestId: string;
  readonly plate: string;
  readonly status: BindingRequestStatus;
  readonly plateType?: PlateType;
  /** Incoming requests: who asked, masked. */
  readonly requesterName?: string;
  readonly createdAt?: string;
  readonly expiresAt?: string;
}

export interface ListRequestsResult {
  readonly incoming: readonly BindingRequestItem[];
  readonly outgoing: readonly BindingRequestItem[];
  /** The caller's own cars (by the registry, bound or not) that others may drive, with those drivers (masked). */
  readonly ownedCars?: readonly OwnedCarDrivers[];
}

export interface OwnedCarDrivers {
  readonly plate: string;
  readonly plateType: PlateType;
  readonly drivers: readonly OtherDriverItem[];
}

export interface RequestIdParams {
  readonly requestId: string;
}

export interface ApproveParams {
  readonly requestId: string;
  readonly verifyId: string;
}

export interface ApproveResult {
  readonly requestId: string;
  readonly bindingId: string;
  readonly plate: string;
}

export interface RejectResult {
  readonly requestId: string;
  readonly status: 'rejected';
}

export interface UnbindParams {
  readonly plate: string;
}

export interface UnbindResult {
  readonly plate: string;
}

export interface RevokeParams {
  readonly plate: string;
  readonly bindingId: string;
}

export interface RevokeResult {
  readonly plate: string;
  readonly bindingId: string;
}

/** 我的车辆 in one answer: the cars and the caller's requests, from the same use cases as `list` and `listRequests`. */
export interface VehicleScreenResult extends VehicleListResult {
  readonly requests: ListRequestsResult;
}

/** The `vehicle` function's actions. */
export interface VehicleActions {
  readonly list: Action<EmptyParams, VehicleListResult>;
  readonly screen: Action<EmptyParams, VehicleScreenResult>;
  readonly bindOwn: Action<BindOwnParams, BindOwnResult>;
  readonly ownCars: Action<EmptyParams, OwnCarsResult>;
  readonly requestBinding: Action<RequestBindingParams, RequestBindingResult>;
  readonly listRequests: Action<EmptyParams, ListRequestsResult>;
  readonly startAuthorize: Action<RequestIdParams, VerifyIdResult>;
  readonly approve: Action<ApproveParams, ApproveResult>;
  readonly reject: Action<RequestIdParams, RejectResult>;
  readonly unbind: Action<UnbindParams, UnbindResult>;
  readonly revoke: Action<RevokeParams, RevokeResult>;
}
