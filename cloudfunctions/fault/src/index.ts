import { defineFunction } from '../../_shared/handler';
import { faultDetail, faultUploadTarget, myFaults, submitFault } from '../../_shared/fault/faults';

export const main = defineFunction('fault', {
  uploadTarget: (_params, caller) => faultUploadTarget(caller.openid),
  submit: (params, caller) => submitFault(caller.openid, params),
  list: (_params, caller) => myFaults(caller.openid),
  detail: (params, caller) => faultDetail(caller.openid, params.reportId),
});
