import { defineFunction } from '../../_shared/handler';
import { guideDetail, listGuides, listOffices } from '../../_shared/guide/guides';

export const main = defineFunction('guide', {
  list: () => listGuides(),
  detail: (params) => guideDetail(params.guideId),
  offices: (params) => listOffices(params),
});
