import { defineFunction } from '../../_shared/handler';
import {
  confirmFaceVerify,
  profile,
  purgeUnusedVerifications,
  register,
  startFaceVerify,
} from '../../_shared/account/account';
import { homeSummary } from '../../_shared/home/home';
import { pointsHistoryOf } from '../../_shared/licence/points';
import { licenceScreen } from '../../_shared/licence/screen';

export const main = defineFunction(
  'user',
  {
    register: (_params, caller) => register(caller.openid),
    profile: (_params, caller) => profile(caller.openid),
    startFaceVerify: (params, caller) => startFaceVerify(caller.openid, params),
    confirmFaceVerify: (params, caller) => confirmFaceVerify(caller.openid, params),
    points: (_params, caller) => pointsHistoryOf(caller.openid),
    licence: (_params, caller) => licenceScreen(caller.openid),
    home: (_params, caller) => homeSummary(caller.openid),
  },
  // Nightly: face verifications started and never finished drop the ID number typed for them.
  { onTimer: () => purgeUnusedVerifications() },
);
