import { defineFunction } from '../../_shared/handler';
import { findPolicy } from '../../_shared/insurance/insurance';

export const main = defineFunction('insurance', {
  policy: (params, caller) => findPolicy(caller.openid, params),
});
