/** The `vehicle` function: bindings of own and others' cars, the owner's authorisation, unbind and revoke. */
import type {
  VehicleItem,
  VehicleScreenResult,
  BindOwnResult,
  OwnCarItem,
  RequestBindingResult,
  ListRequestsResult,
  ApproveResult,
  RejectResult,
  UnbindResult,
  RevokeResult,
} from '../domain/vehicle/contract';
import type { VerifyIdResult } from '../domain/account/contract';
import { type PlateType } from '../domain/vehicle/plate';
import { cachedCall, call } from './cloud';

/** The caller's bound cars; own cars carry `drivers`, the non-owner drivers the owner may revoke. */
export async function listVehicles(): Promise<readonly VehicleItem[]> {
  const { vehicles } = await call('vehicle', 'list', {});
  return vehicles;
}

/** 我的车辆 in one call: the bound cars and the caller's binding requests. */
export function getVehicleScreen(): Promise<VehicleScreenResult> {
  return cachedCall('vehicle', 'screen', {});
}

/** The 桂A small cars the registry lists in the caller's name, bound in the app or not. */
export async function listOwnCars(): Promise<readonly OwnCarItem[]> {
  const { cars } = await call('vehicle', 'ownCars', {});
  return cars;
}

export function bindOwnVehicle(plate: string, plateType: PlateType): Promise<BindOwnResult> {
  return call('vehicle', 'bindOwn', { plate, plateType });
}

export function requestBinding(plate: string, plateType: PlateType, ownerName: string): Promise<RequestBindingResult> {
  return call('vehicle', 'requestBinding', { plate, plateType, ownerName });
}

export function listBindingRequests(): Promise<ListRequestsResult> {
  return call('vehicle', 'listRequests', {});
}

/** The owner's face verification for one request: a verifyId for `wx.requestFacialVerify`. */
export function startAuthorize(requestId: string): Promise<VerifyIdResult> {
  return call('vehicle', 'startAuthorize', { requestId });
}

export function approveRequest(requestId: string, verifyId: string): Promise<ApproveResult> {
  return call('vehicle', 'approve', { requestId, verifyId });
}

export function rejectRequest(requestId: string): Promise<RejectResult> {
  return call('vehicle', 'reject', { requestId });
}

export function unbindVehicle(plate: string): Promise<UnbindResult> {
  return call('vehicle', 'unbind', { plate });
}

export function revokeBinding(plate: string, bindingId: string): Promise<RevokeResult> {
  return call('vehicle', 'revoke', { plate, bindingId });
}
