/**
 * @jest-environment jsdom
 */
// Home: the "城市服务" section reaches every city service (and says 即将上线 for those still to come).
import { CITY_SERVICES } from '../../miniprogram/pages/home/index/city-services';
import { loadPage } from '../helpers/simulate';
import { byAction, fail } from './fixtures';

const HOME = 'pages/home/index/index';

it('every city service is one tap from home; the ones still to come say 即将上线', async () => {
  const page = await loadPage(HOME, { cloud: { user: byAction('user', { home: () => fail('UNAUTHENTICATED') }) } });
  expect(page.text()).toContain('城市服务');
  const live = {
    guides: '/pages/guide/list/index',
    offices: '/pages/guide/offices/index',
    tow: '/pages/tow/query/index',
    insurance: '/pages/insurance/policy/index',
    'move-car': '/pages/move-car/request/index',
    facility: '/pages/fault/report/index',
  };
  for (const [key, url] of Object.entries(live)) {
    await page.tap(`#service-${key}`);
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url }));
    expect(page.has('#notice')).toBe(false);
  }
  for (const service of CITY_SERVICES.filter((s) => s.url === '')) {
    expect(page.text(`#service-${service.key}`)).toContain('即将上线');
  }
  // every service the notice promises is live now
  expect(CITY_SERVICES.filter((s) => s.url === '')).toEqual([]);
  expect(page.text()).not.toContain('即将上线');
});
