/**
 * @jest-environment jsdom
 */
// 我的: the account masked, the driver's records and settings one tap away, the care switch kept on the phone,
// and signing out of this phone only.
import { loadPage } from '../helpers/simulate';
import { byAction, fail, ok, profile } from './fixtures';

const MINE = 'pages/mine/index/index';
const PRIVACY = 'pages/mine/privacy/index';

describe('我的', () => {
  it('shows the account masked and verified, from one profile call', async () => {
    const page = await loadPage(MINE, { cloud: { user: byAction('user', { profile: () => ok(profile()) }) } });
    expect(page.cloudCalls.map((c) => `${c.name}.${String(c.data['action'])}`)).toEqual(['user.profile']);
    expect(page.text('#account-name')).toContain('张*');
    expect(page.text('#account-name')).toContain('已实名');
    expect(page.text('#account-id')).toContain('450***********123X');
  });

  it('a user not registered yet is offered real-name verification', async () => {
    const page = await loadPage(MINE, {
      cloud: { user: byAction('user', { profile: () => fail('UNAUTHENTICATED') }) },
    });
    expect(page.text('#account-state')).toContain('您还未注册');
    expect(page.has('#account-id')).toBe(false);
    await page.tap('#account-state');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
      expect.objectContaining({ url: '/pages/account/register/index' }),
    );
  });

  it('each entry opens its page', async () => {
    const page = await loadPage(MINE, { cloud: { user: byAction('user', { profile: () => ok(profile()) }) } });
    const targets: Record<string, string> = {
      '#entry-vehicles': '/pages/vehicle/list/index',
      '#entry-receipts': '/pages/payment/receipts/index',
      '#entry-certificates': '/pages/certificate/list/index',
      '#entry-reminders': '/pages/reminder/settings/index',
      '#privacy': '/pages/mine/privacy/index',
    };
    for (const [selector, url] of Object.entries(targets)) {
      await page.tap(selector);
      expect(page.wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url }));
    }
  });

  it('the care switch is stored on the phone under careMode and read back', async () => {
    const page = await loadPage(MINE, { cloud: { user: byAction('user', { profile: () => ok(profile()) }) } });
    expect(page.data['careMode']).toBe(false);
    await page.emit('#care-switch', 'change', { value: true });
    expect(page.storage.get('careMode')).toBe(true);
    expect(page.data['careMode']).toBe(true);
    await page.emit('#care-switch', 'change', { value: false });
    expect(page.storage.get('careMode')).toBe(false);

    const again = await loadPage(MINE, {
      cloud: { user: byAction('user', { profile: () => ok(profile()) }) },
      storage: { careMode: true },
    });
    expect(again.data['careMode']).toBe(true);
  });

  it('signing out asks first, then clears this phone’s storage and returns home; cancelling keeps it', async () => {
    let confirm = false;
    const showModal = jest.fn((options: { success?: (res: { confirm: boolean; cancel: boolean }) => void }) => {
      options.success?.({ confirm, cancel: !confirm });
    });
    const page = await loadPage(MINE, {
      cloud: { user: byAction('user', { profile: () => ok(profile()) }) },
      storage: { careMode: true, other: 'x' },
      wx: { showModal },
    });

    await page.tap('#sign-out');
    expect(showModal).toHaveBeenCalledWith(expect.objectContaining({ title: '退出登录（本机）' }));
    expect(page.storage.size).toBe(2);
    expect(page.wx.reLaunch).not.toHaveBeenCalled();

    confirm = true;
    await page.tap('#sign-out');
    expect(page.storage.size).toBe(0);
    expect(page.wx.reLaunch).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/home/index/index' }));
    // the account stays: nothing was sent to the cloud but the profile read
    expect(page.cloudCalls.map((c) => String(c.data['action']))).toEqual(['profile']);
  });

  it('the privacy statement says what is collected, why, how long, and that ID numbers are masked', async () => {
    const page = await loadPage(PRIVACY);
    for (const text of ['姓名', '身份证号码', '人脸识别', '车牌号码', '违法记录', '缴款记录']) {
      expect(page.text('#privacy-collected')).toContain(text);
    }
    expect(page.text('#privacy-purpose')).toContain('交通违法处理');
    expect(page.text('#privacy-retention')).toContain('保存');
    expect(page.text('#privacy-display')).toContain('掩码');
    expect(page.cloudCalls).toEqual([]);
  });
});
