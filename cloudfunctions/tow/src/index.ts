import { defineFunction } from '../../_shared/handler';
import { queryTow } from '../../_shared/tow/tows';

export const main = defineFunction('tow', {
  query: (params, caller) => queryTow(caller.openid, params),
});
