// 个人信息处理说明: what this service collects, why, how long, and how it is shown. Static text, no call.
import { careBehavior } from '../../../utils/care';
import { PRIVACY_SECTIONS } from './sections';

Component({
  behaviors: [careBehavior],
  data: {
    sections: PRIVACY_SECTIONS,
  },
});
