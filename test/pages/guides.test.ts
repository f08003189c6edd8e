/**
 * @jest-environment jsdom
 */
// Guides: the list from the cloud, one guide's sections, and the way on to the offices that handle it.
import type { ActionResult } from '../../miniprogram/domain/api';
import { loadPage } from '../helpers/simulate';
import { byAction, fail, next, ok } from './fixtures';

const LIST = 'pages/guide/list/index';
const DETAIL = 'pages/guide/detail/index';

const DISPUTE: ActionResult<'guide', 'detail'> = {
  guideId: 'violation-dispute',
  title: '对违法记录有异议',
  summary: '请本人到违法行为发生地的公安交管部门（交警大队）现场处理。',
  officeService: 'dispute',
  updatedOn: '2026-11-20',
  sections: [
    { heading: '带什么材料', items: ['本人居民身份证、驾驶证。', '机动车行驶证。'] },
    { heading: '怎么办', items: ['到违法行为发生地的交警大队违法处理窗口。'] },
  ],
};

describe('guide list', () => {
  it('lists the guides and opens one, or the offices', async () => {
    const page = await loadPage(LIST, {
      cloud: {
        guide: byAction('guide', {
          list: () =>
            ok({
              guides: [
                { guideId: 'licence-renewal', title: '驾驶证换证', summary: '有效期满前 90 日内申请。' },
                { guideId: 'violation-dispute', title: DISPUTE.title, summary: DISPUTE.summary },
              ],
            }),
        }),
      },
    });
    expect(page.cloudCalls).toEqual([{ name: 'guide', data: { action: 'list' } }]);
    expect(page.text('#guide-licence-renewal')).toContain('驾驶证换证');
    expect(page.text('#guide-violation-dispute')).toContain('交警大队');

    await page.tap('#guide-violation-dispute');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/guide/detail/index?guideId=violation-dispute' }),
    );
    await page.tap('#offices');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/guide/offices/index' }));
  });

  it('a failure is a sentence and a retry; no guides yet says so', async () => {
    const answers = [() => fail('INTERNAL'), () => ok({ guides: [] })];
    const page = await loadPage(LIST, { cloud: { guide: byAction('guide', { list: () => next(answers)() }) } });
    expect(page.text('#load-error')).toContain('系统出了点问题');
    await page.tap('#retry');
    expect(page.text('#no-guides')).toContain('暂无办事指南');
  });
});

describe('guide detail', () => {
  it('shows the guide as the police wrote it and leads to the offices that handle it', async () => {
    const page = await loadPage(DETAIL, {
      query: { guideId: 'violation-dispute' },
      cloud: { guide: byAction('guide', { detail: () => ok(DISPUTE) }) },
    });
    expect(page.cloudCalls).toEqual([{ name: 'guide', data: { action: 'detail', guideId: 'violation-dispute' } }]);
    expect(page.text('#title')).toBe('对违法记录有异议');
    expect(page.text('#updated')).toBe('更新于 2026-11-20');
    expect(page.text('#section-0')).toContain('本人居民身份证、驾驶证。');
    expect(page.text('#section-0')).toContain('机动车行驶证。');
    expect(page.text('#section-1')).toContain('违法处理窗口');
    expect(page.text('#offices')).toContain('查看“违法异议”办理网点');

    await page.tap('#offices');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/guide/offices/index?service=dispute' }),
    );
  });

  it('an unknown guide says so; a guide without offices has no office button', async () => {
    const missing = await loadPage(DETAIL, {
      query: { guideId: 'gone' },
      cloud: { guide: () => fail('NOT_FOUND', '未找到该办事指南。') },
    });
    expect(missing.text('#load-error')).toContain('未找到该办事指南。');

    const { officeService: _, ...plain } = DISPUTE;
    const page = await loadPage(DETAIL, {
      query: { guideId: 'violation-dispute' },
      cloud: { guide: byAction('guide', { detail: () => ok(plain) }) },
    });
    expect(page.has('#offices')).toBe(false);
  });
});
