import { defineFunction } from '../../_shared/handler';
import {
  approve,
  bindOwn,
  listRequests,
  listOwnCars,
  listVehicles,
  reject,
  requestBinding,
  revoke,
  startAuthorize,
  unbind,
} from '../../_shared/vehicle/bindings';
import { vehicleScreen } from '../../_shared/vehicle/screen';

export const main = defineFunction('vehicle', {
  list: (_params, caller) => listVehicles(caller.openid),
  screen: (_params, caller) => vehicleScreen(caller.openid),
  bindOwn: (params, caller) => bindOwn(caller.openid, params),
  ownCars: (_params, caller) => listOwnCars(caller.openid),
  requestBinding: (params, caller) => requestBinding(caller.openid, params),
  listRequests: (_params, caller) => listRequests(caller.openid),
  startAuthorize: (params, caller) => startAuthorize(caller.openid, params),
  approve: (params, caller) => approve(caller.openid, params),
  reject: (params, caller) => reject(caller.openid, params),
  unbind: (params, caller) => unbind(caller.openid, params),
  revoke: (params, caller) => revoke(caller.openid, params),
});
