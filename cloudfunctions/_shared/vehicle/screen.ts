/** 我的车辆's one call: the cars and the requests, each from the use case that answers it alone. */
import type { VehicleScreenResult } from '../../../miniprogram/domain/vehicle/contract';
import { listRequests, listVehicles } from './bindings';

export async function vehicleScreen(openid: string): Promise<VehicleScreenResult> {
  const [{ vehicles }, requests] = await Promise.all([listVehicles(openid), listRequests(openid)]);
  return { vehicles, requests };
}
