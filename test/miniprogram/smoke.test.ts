/**
 * @jest-environment jsdom
 */
// The mini program renders for real on miniprogram-simulate: WeChat's wcc compiles the templates, TDesign's
// components (copied to miniprogram_npm by the build) run their own code, and a tap goes through TDesign's button.
import { loadPage } from '../helpers/simulate';
import { match } from '../helpers/matchers';

const NEW_USER = { user: () => ({ ok: false, code: 'UNAUTHENTICATED', message: '请先注册并完成实名认证。' }) };

describe('the app on miniprogram-simulate', () => {
  it('launches the app first: wx.cloud.init with traceUser, getApp() is the real App', async () => {
    const page = await loadPage('pages/home/index/index', { cloud: NEW_USER });

    expect(page.wx.cloud.init).toHaveBeenCalledWith(
      expect.objectContaining({ traceUser: true, env: match.any(String) }),
    );
    expect(page.app.globalData).toEqual(expect.objectContaining({ cloudEnv: match.any(String) }));
  });

  it('renders TDesign components with their own markup and Chinese text', async () => {
    const page = await loadPage('pages/home/index/index', { cloud: NEW_USER });

    expect(page.text()).toContain('桂A交管');
    // TDesign's own class names prove its component code ran, not just our template.
    expect(page.root.dom.querySelectorAll('.t-cell--t-cell').length).toBeGreaterThan(0);
    expect(page.root.dom.querySelectorAll('.t-grid-item--t-grid-item').length).toBeGreaterThan(0);
  });

  it('a tap on the TDesign button reaches the page', async () => {
    const page = await loadPage('pages/home/index/index', { cloud: NEW_USER });

    await page.tap('#verify');

    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: match.stringContaining('pages/account/register/index') }),
    );
  });
});
