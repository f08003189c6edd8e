/**
 * @jest-environment jsdom
 */
// The mini program renders for real on miniprogram-simulate: WeChat's wcc compiles the templates, TDesign's
// components (copied to miniprogram_npm by the build) run their own code, and a tap goes through TDesign's button.
import { loadPage } from '../helpers/simulate';

describe('home page', () => {
  it('renders its Chinese text and the TDesign cells', async () => {
    const page = await loadPage('pages/home/index/index');

    expect(page.text()).toContain('桂A交管');
    expect(page.text()).toContain('电子监控违法处理');
    // t-cell rendered by TDesign itself: its inner element carries TDesign's class names.
    expect(page.root.dom.querySelectorAll('.t-cell--t-cell')).toHaveLength(3);
    expect(page.text('#start')).toBe('开始办理');
  });

  it('launches the app first: wx.cloud.init with traceUser, getApp() is the real App', async () => {
    const page = await loadPage('pages/home/index/index');

    expect(page.wx.cloud.init).toHaveBeenCalledWith(expect.objectContaining({ traceUser: true, env: expect.any(String) }));
    expect(page.app.globalData).toEqual(expect.objectContaining({ cloudEnv: expect.any(String) }));
  });

  it('tapping the TDesign button updates the data and the DOM', async () => {
    const page = await loadPage('pages/home/index/index');
    expect(page.data['notice']).toBe('');
    expect(page.text()).not.toContain('敬请期待');

    await page.tap('#start');

    expect(page.data['notice']).toBe('业务办理即将开放，敬请期待');
    expect(page.text()).toContain('业务办理即将开放，敬请期待');
    expect(page.cloudCalls).toEqual([]);
  });

  it('a disabled TDesign button does not reach the page', async () => {
    const page = await loadPage('pages/home/index/index');
    page.get('#start').setData({ disabled: true });

    await page.tap('#start');

    expect(page.data['notice']).toBe('');
  });
});
