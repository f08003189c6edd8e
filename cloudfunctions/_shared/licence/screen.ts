/** The licence page's one call: the profile, then the cycle's history by the use case that answers `points`. */
import type { LicenceScreenResult } from '../../../miniprogram/domain/licence/contract';
import { profile } from '../account/account';
import { pointsHistoryOf } from './points';

export async function licenceScreen(openid: string): Promise<LicenceScreenResult> {
  const me = await profile(openid);
  // no licence, no history: the page says so rather than LICENCE_NOT_FOUND
  if (!me.verified || me.licence === null) return { profile: me, history: null };
  try {
    return { profile: me, history: await pointsHistoryOf(openid) };
  } catch (error: unknown) {
    // the licence is worth showing without its history; the page offers to read the history again on its own
    console.error('[user.licence] history', error);
    return { profile: me, history: null };
  }
}
