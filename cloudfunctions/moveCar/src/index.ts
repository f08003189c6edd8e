import { defineFunction } from '../../_shared/handler';
import {
  answerMoveCar,
  incomingMoveCarRequests,
  moveCarStatus,
  myMoveCarRequests,
  recognisePlate,
  requestMoveCar,
} from '../../_shared/move-car/move-car';

export const main = defineFunction('moveCar', {
  request: (params, caller) => requestMoveCar(caller.openid, params),
  mine: (_params, caller) => myMoveCarRequests(caller.openid),
  status: (params, caller) => moveCarStatus(caller.openid, params.requestId),
  incoming: (_params, caller) => incomingMoveCarRequests(caller.openid),
  answer: (params, caller) => answerMoveCar(caller.openid, params),
  recognisePlate: (params, caller) => recognisePlate(caller.openid, params),
});
