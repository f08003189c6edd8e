/**
 * @jest-environment jsdom
 */
// Home: the public certificate check and the reminder settings are city services, one tap from home.
import { loadPage } from '../helpers/simulate';
import { byAction, fail } from './fixtures';

const HOME = 'pages/home/index/index';

it('信用证明核验 and 提醒设置 open their pages from the 城市服务 list', async () => {
  const page = await loadPage(HOME, { cloud: { user: byAction('user', { home: () => fail('UNAUTHENTICATED') }) } });
  expect(page.text('#service-verify-certificate')).toContain('信用证明核验');
  await page.tap('#service-verify-certificate');
  expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
    expect.objectContaining({ url: '/pages/certificate/verify/index' }),
  );
  expect(page.text('#service-reminders')).toContain('提醒设置');
  await page.tap('#service-reminders');
  expect(page.wx.navigateTo).toHaveBeenLastCalledWith(
    expect.objectContaining({ url: '/pages/reminder/settings/index' }),
  );
  expect(page.has('#notice')).toBe(false);
});
