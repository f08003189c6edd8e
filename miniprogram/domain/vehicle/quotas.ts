/** The binding quotas (RULES.md "Vehicles and bindings"), shared by the pages and the cloud functions. */

/** Cars not in the driver's own name that one driver may have bound at once. */
export const MAX_OTHER_CARS_PER_DRIVER = 3;
/** Non-owner drivers one car may have at once (the owner's own binding does not count). */
export const MAX_OTHER_DRIVERS_PER_CAR = 3;
/** How long an owner has to answer a binding request. */
export const BINDING_REQUEST_TTL_HOURS = 24;

/** "还可绑定 N 辆非本人车辆": how many more others' cars a driver who has `bound` of them may bind. */
export function otherCarsLeft(bound: number): number {
  return Math.max(0, MAX_OTHER_CARS_PER_DRIVER - bound);
}
