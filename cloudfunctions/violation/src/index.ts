import { defineFunction } from '../../_shared/handler';
import { listViolations, processViolations } from '../../_shared/usecases/violations';

export const main = defineFunction('violation', {
  list: (params, caller) => listViolations(caller.openid, params),
  process: (params, caller) => processViolations(caller.openid, params),
});
