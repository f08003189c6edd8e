/**
 * @jest-environment jsdom
 */
// 关怀模式 on a real page: the root view carries `care` at WeChat's care font size or with the person's switch on.
import { loadPage } from '../helpers/simulate';
import { byAction, homeSummary, ok, pointsHistory, profile } from './fixtures';

const LICENCE_PAGE = 'pages/licence/index/index';
/** What WeChat's getAppBaseInfo answers (TDesign reads SDKVersion from it too), at a given font size. */
const base = (fontSizeSetting?: unknown) => () => ({ SDKVersion: '3.8.12', fontSizeSetting });
const cloud = { user: byAction('user', { licence: () => ok({ profile: profile(), history: pointsHistory() }) }) };

function rootClasses(page: Awaited<ReturnType<typeof loadPage>>): string[] {
  // the simulator prefixes page classes with the component's scope ("main--care")
  return (page.get('.page').dom?.className ?? '').split(/\s+/).map((name) => name.replace(/^\w+--/, ''));
}

describe('care mode on a page', () => {
  it('is off at the standard font size with no switch stored', async () => {
    const page = await loadPage(LICENCE_PAGE, { cloud, wx: { getAppBaseInfo: base(16) } });
    expect(rootClasses(page)).not.toContain('care');
    expect(page.text('#points')).not.toBe('');
  });

  it('is on when WeChat reports the care font size (20 px)', async () => {
    const page = await loadPage(LICENCE_PAGE, { cloud, wx: { getAppBaseInfo: base(20) } });
    expect(rootClasses(page)).toContain('care');
    expect(page.app.globalData['care']).toBe(true);
  });

  it('stays at the standard when the font size is malformed', async () => {
    const page = await loadPage(LICENCE_PAGE, { cloud, wx: { getAppBaseInfo: base('20') } });
    expect(rootClasses(page)).not.toContain('care');
  });

  it('is on when the person switched it on, and follows the switch when the page shows again', async () => {
    const page = await loadPage(LICENCE_PAGE, {
      cloud,
      wx: { getAppBaseInfo: base(16) },
      storage: { careMode: true },
    });
    expect(rootClasses(page)).toContain('care');

    // back from 我的 with the switch turned off: the page follows when it shows again
    page.storage.set('careMode', false);
    page.root.triggerPageLifeTime('show');
    await page.settle();
    expect(rootClasses(page)).not.toContain('care');
  });
});

describe('care mode on home', () => {
  const HOME = 'pages/home/index/index';
  const homeCloud = { user: byAction('user', { home: () => ok(homeSummary()) }) };

  it('lists every service one a row (cells, whole-row targets) instead of grid tiles, and each still opens', async () => {
    const page = await loadPage(HOME, { cloud: homeCloud, wx: { getAppBaseInfo: base(20) } });
    expect(rootClasses(page)).toContain('care');
    expect(page.has('.home__grid')).toBe(false);
    expect(page.has('.home__list')).toBe(true);
    expect(page.text('.home__list')).toContain('驾驶证记分');
    await page.tap('#service-move-car');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/move-car/request/index' }));
  });

  it('keeps the grids at the standard size', async () => {
    const page = await loadPage(HOME, { cloud: homeCloud, wx: { getAppBaseInfo: base(16) } });
    expect(page.has('.home__grid')).toBe(true);
    expect(page.has('.home__list')).toBe(false);
  });
});
