/**
 * The binding quotas, shared by the pages and the cloud functions: a driver may have at most 3 cars bound that are
 * not in their own name, and a car at most 3 drivers other than its owner (the owner's own binding does not count).
 * The use cases check them when a request is made and again in the approving transaction; pages only show them.
 */

/** Cars not in the driver's own name that one driver may have bound at once. */
export const MAX_OTHER_CARS_PER_DRIVER = 3;
/** Non-owner drivers one car may have at once. */
export const MAX_OTHER_DRIVERS_PER_CAR = 3;
/** How long an owner has to answer a binding request. */
export const BINDING_REQUEST_TTL_HOURS = 24;

export const DRIVER_QUOTA_MESSAGE = `您最多可以绑定 ${MAX_OTHER_CARS_PER_DRIVER} 辆非本人名下的车辆，请先解绑一辆再试。`;
/** What the owner is told when the person asking has meanwhile reached their own limit. */
export const REQUESTER_QUOTA_MESSAGE = `对方已绑定 ${MAX_OTHER_CARS_PER_DRIVER} 辆非本人车辆，不能再绑定。`;
export const VEHICLE_QUOTA_MESSAGE = `该车辆已被 ${MAX_OTHER_DRIVERS_PER_CAR} 名其他驾驶人绑定，请机动车所有人先解除其中一个绑定。`;

export interface QuotaRefusal {
  readonly code: 'DRIVER_QUOTA_EXCEEDED' | 'VEHICLE_QUOTA_EXCEEDED';
  readonly limit: number;
}

/**
 * Whether one more non-owner binding fits: `driverOtherCars` is how many others' cars the driver has bound now,
 * `carOtherDrivers` how many non-owner drivers the car has now. The driver's own limit is reported first.
 */
export function checkBindingQuotas(driverOtherCars: number, carOtherDrivers: number): QuotaRefusal | null {
  if (driverOtherCars >= MAX_OTHER_CARS_PER_DRIVER) {
    return { code: 'DRIVER_QUOTA_EXCEEDED', limit: MAX_OTHER_CARS_PER_DRIVER };
  }
  if (carOtherDrivers >= MAX_OTHER_DRIVERS_PER_CAR) {
    return { code: 'VEHICLE_QUOTA_EXCEEDED', limit: MAX_OTHER_DRIVERS_PER_CAR };
  }
  return null;
}

/** How many more others' cars a driver who has `bound` of them may bind. */
export function otherCarsLeft(bound: number): number {
  return Math.max(0, MAX_OTHER_CARS_PER_DRIVER - bound);
}

/** The line the vehicle pages show about the driver's own limit: "还可绑定 N 辆非本人车辆" or that it is reached. */
export function otherCarsQuotaText(bound: number): string {
  const left = otherCarsLeft(bound);
  return left > 0 ? `还可绑定 ${left} 辆非本人车辆` : `非本人车辆已绑定 ${MAX_OTHER_CARS_PER_DRIVER} 辆，已达上限`;
}
