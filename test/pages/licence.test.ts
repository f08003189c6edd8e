/**
 * @jest-environment jsdom
 */
// Licence: points in the current cycle, the cycle's dates, class and validity.
import { loadPage } from '../helpers/simulate';
import type { ProfileResult } from '../../miniprogram/domain/account/contract';
import { byAction, fail, LICENCE, ok, pointsHistory, profile } from './fixtures';

const LICENCE_PAGE = 'pages/licence/index/index';

/** `user.licence`'s answer: the profile, and with a licence a history that agrees with it. */
function screen(me: ProfileResult) {
  const points = me.licence?.cyclePoints ?? 0;
  return ok({
    profile: me,
    history: me.licence === null ? null : pointsHistory({ cyclePoints: points, remaining: 12 - points }),
  });
}

describe('licence page', () => {
  it('shows the cycle points, the cycle, the class and validity', async () => {
    const page = await loadPage(LICENCE_PAGE, {
      cloud: {
        user: byAction('user', { licence: () => screen(profile({ licence: { ...LICENCE, cyclePoints: 9 } })) }),
      },
    });
    // one call: the profile and the history together
    expect(page.cloudCalls).toEqual([{ name: 'user', data: { action: 'licence' } }]);
    expect(page.text('#points')).toBe('9 分');
    expect(page.text()).toContain('距满分还有 3 分');
    expect(page.text('#cycle')).toContain('2025-06-01 至 2026-05-31');
    expect(page.text('#class')).toContain('C1');
    expect(page.text('#valid-until')).toContain('2031-06-01');
    expect(page.text('#status')).toContain('正常');
    expect(page.has('#renewal')).toBe(false);
  });

  it('an expired licence and one due for renewal say so', async () => {
    const page = await loadPage(LICENCE_PAGE, {
      cloud: {
        user: byAction('user', {
          licence: () => screen(profile({ licence: { ...LICENCE, valid: false, renewalDue: true } })),
        }),
      },
    });
    expect(page.text('#status')).toContain('已过期');
    expect(page.text('#renewal')).toContain('90 日内到期');
  });

  it('no linked licence, not verified, not registered', async () => {
    const none = await loadPage(LICENCE_PAGE, {
      cloud: { user: byAction('user', { licence: () => screen(profile({ licence: null })) }) },
    });
    expect(none.text('#no-licence')).toContain('未查询到您名下的驾驶证信息');

    const unverified = await loadPage(LICENCE_PAGE, {
      cloud: {
        user: byAction('user', { licence: () => screen(profile({ verified: false, name: null, licence: null })) }),
      },
    });
    expect(unverified.text('#unverified')).toContain('完成实名认证后');

    const unregistered = await loadPage(LICENCE_PAGE, { cloud: { user: () => fail('UNAUTHENTICATED') } });
    expect(unregistered.text('#load-error')).toContain('请先注册并完成实名认证');
    await unregistered.tap('#verify');
    expect(unregistered.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/account/register/index' }),
    );
  });
});
