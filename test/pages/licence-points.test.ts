/**
 * @jest-environment jsdom
 */
// Licence page: the cycle's points decision by decision, carried-over and other-channel points, what 12
// points means, and the way to the certificates and the reminders.
import { loadPage } from '../helpers/simulate';
import { byAction, fail, LICENCE, ok, pointsEntry, pointsHistory, profile } from './fixtures';

const LICENCE_PAGE = 'pages/licence/index/index';

describe('licence page: points history', () => {
  it('has the history with the profile in one call and lists each decision with its violations, paid or not', async () => {
    const history = pointsHistory({
      cyclePoints: 8,
      carriedOver: 3,
      otherPoints: 2,
      remaining: 4,
      entries: [
        pointsEntry('4501000000000123', { decidedOn: '2025-09-02', points: 3, paid: true }),
        pointsEntry('4501000000000456', {
          decisionId: 'd-old',
          decidedOn: '2025-05-20',
          points: 3,
          paid: false,
          kind: 'carried',
          violations: [
            {
              plate: '桂AD12345',
              occurredAt: '2025-05-10T18:30:00+08:00',
              behaviour: '机动车违反禁止停车标志指示',
              points: 3,
            },
          ],
        }),
      ],
    });
    const page = await loadPage(LICENCE_PAGE, {
      cloud: {
        user: byAction('user', {
          licence: () => ok({ profile: profile({ licence: { ...LICENCE, cyclePoints: 8 } }), history }),
        }),
      },
    });

    expect(page.cloudCalls).toEqual([{ name: 'user', data: { action: 'licence' } }]);
    expect(page.text('#points')).toBe('8 分');
    expect(page.text('#cycle')).toContain('2025-06-01 至 2026-05-31');
    expect(page.text('#cycle-points')).toContain('8 分');
    expect(page.text('#carried-over')).toContain('3 分');
    expect(page.text('#other-points')).toContain('2 分');

    const current = page.text('#entry-cycle-d-4501000000000123');
    expect(current).toContain('决定书 4501000000000123');
    expect(current).toContain('3 分');
    expect(current).toContain('处理日期 2025-09-02');
    expect(current).toContain('桂A12345 · 2025-09-01 08:05 · 机动车违反禁止标线指示');
    expect(current).toContain('已缴款');
    expect(current).not.toContain('上周期结转');

    const carried = page.text('#entry-carried-d-old');
    expect(carried).toContain('决定书 4501000000000456');
    expect(carried).toContain('桂AD12345');
    expect(carried).toContain('未缴款');
    expect(carried).toContain('上周期结转');

    // below 12 the rule is a short note, not an alarm
    expect(page.has('#full-marks')).toBe(false);
    expect(page.text('#points-rule')).toContain('满分学习考试');
  });

  it('at 12 points says online processing has stopped and where the full-marks study and exam take place', async () => {
    const page = await loadPage(LICENCE_PAGE, {
      cloud: {
        user: byAction('user', {
          licence: () =>
            ok({
              profile: profile({ licence: { ...LICENCE, cyclePoints: 12 } }),
              history: pointsHistory({ cyclePoints: 12, remaining: 0, atFullMarks: true, otherPoints: 9 }),
            }),
        }),
      },
    });
    const notice = page.text('#full-marks');
    expect(notice).toContain('已满 12 分');
    expect(notice).toContain('不能在网上处理违法');
    expect(notice).toContain('车管所');
    expect(notice).toContain('满分学习考试');
    expect(page.has('#points-rule')).toBe(false);
    expect(page.text()).toContain('距满分还有 0 分');
  });

  it('no decisions in the app this cycle says so; other-channel points hide when there are none', async () => {
    const page = await loadPage(LICENCE_PAGE, {
      cloud: {
        user: byAction('user', {
          licence: () => ok({ profile: profile(), history: pointsHistory({ entries: [], otherPoints: 0 }) }),
        }),
      },
    });
    expect(page.text('#no-entries')).toContain('本周期暂无在本小程序处理的记分');
    expect(page.has('#other-points')).toBe(false);
    expect(page.text('#carried-over')).toContain('0 分');
  });

  it('a history the server could not read leaves the licence on screen and can be retried on its own', async () => {
    let answers = 0;
    const page = await loadPage(LICENCE_PAGE, {
      cloud: {
        user: byAction('user', {
          licence: () => ok({ profile: profile(), history: null }),
          points: () => {
            answers += 1;
            if (answers === 1) throw new Error('request:fail timeout');
            return ok(pointsHistory());
          },
        }),
      },
    });
    expect(page.text('#class')).toContain('C1');
    expect(page.text('#history-error')).toContain('记分明细暂时无法读取');

    await page.tap('#retry-history');
    expect(page.text('#history-error')).toContain('网络不给力');
    await page.tap('#retry-history');
    expect(page.has('#history-error')).toBe(false);
    expect(page.text('#entry-cycle-d-4501000000000123')).toContain('4501000000000123');
    expect(page.cloudCalls.filter((c) => c.data['action'] === 'licence')).toHaveLength(1);
  });

  it('no history is asked for without a licence', async () => {
    const page = await loadPage(LICENCE_PAGE, {
      cloud: { user: byAction('user', { licence: () => ok({ profile: profile({ licence: null }), history: null }) }) },
    });
    expect(page.text('#no-licence')).toContain('未查询到您名下的驾驶证信息');
    expect(page.cloudCalls).toEqual([{ name: 'user', data: { action: 'licence' } }]);

    const unregistered = await loadPage(LICENCE_PAGE, { cloud: { user: () => fail('UNAUTHENTICATED') } });
    expect(unregistered.cloudCalls).toEqual([{ name: 'user', data: { action: 'licence' } }]);
  });

  it('leads to the credit certificates and the reminder settings', async () => {
    const page = await loadPage(LICENCE_PAGE, {
      cloud: { user: byAction('user', { licence: () => ok({ profile: profile(), history: pointsHistory() }) }) },
    });
    await page.tap('#to-certificates');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/certificate/list/index' }),
    );
    await page.tap('#to-reminders');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/reminder/settings/index' }),
    );
  });
});
