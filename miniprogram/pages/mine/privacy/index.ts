// 个人信息处理说明: what this service collects, why, how long, and how it is shown. Static text, no call.
import { PRIVACY_SECTIONS } from './sections';

Component({
  data: {
    sections: PRIVACY_SECTIONS,
  },
});
