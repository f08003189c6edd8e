import { defineFunction } from '../../_shared/handler';
import { decisionDetail, listViolations, processViolations, violationDetail } from '../../_shared/violation/violations';

export const main = defineFunction('violation', {
  list: (params, caller) => listViolations(caller.openid, params),
  process: (params, caller) => processViolations(caller.openid, params),
  decision: (params, caller) => decisionDetail(caller.openid, params.decisionId),
  detail: (params, caller) => violationDetail(caller.openid, params.violationId),
});
