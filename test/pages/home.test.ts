/**
 * @jest-environment jsdom
 */
// Home: the driver's state at a glance and the service entries.
import { loadPage } from '../helpers/simulate';
import { byAction, fail, ok, profile, vehicle, violation } from './fixtures';

const HOME = 'pages/home/index/index';

describe('home page', () => {
  it('shows a verified driver: cars, processable violations with their total, cycle points', async () => {
    const page = await loadPage(HOME, {
      cloud: {
        user: byAction('user', { profile: () => ok(profile()) }),
        vehicle: byAction('vehicle', {
          list: () => ok({ vehicles: [vehicle('桂A12345'), vehicle('桂AD12345', { relation: 'other' })] }),
        }),
        violation: byAction('violation', {
          list: () =>
            ok({
              violations: [
                violation('v1', { fine: 20000, surcharge: 0 }),
                violation('v2', { fine: 10000, surcharge: 300 }),
                violation('v3', { processable: false, reasons: ['DISPUTED'] }),
              ],
            }),
        }),
      },
    });

    expect(page.cloudCalls.map((c) => `${c.name}.${String(c.data['action'])}`).sort()).toEqual([
      'user.profile',
      'vehicle.list',
      'violation.list',
    ]);
    expect(page.text('#verified')).toContain('已实名');
    expect(page.text('#licence')).toContain('3 分');
    // two processable: ¥200.00 + ¥100.00 + ¥3.00 surcharge
    expect(page.text('#violations-summary')).toContain('2 条，共 ¥303.00');
    expect(page.text()).toContain('桂A12345');
    expect(page.text()).toContain('桂AD12345');
    expect(page.text()).toContain('我的车辆（2 辆）');
  });

  it('a new user sees the next step and no other call is made', async () => {
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { profile: () => fail('UNAUTHENTICATED') }) },
    });

    expect(page.text()).toContain('您还未注册');
    expect(page.text('#next-step')).toContain('实名认证');
    expect(page.cloudCalls).toHaveLength(1);
    await page.tap('#verify');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/account/register/index' }));
  });

  it('a registered but unverified user is sent to real-name verification', async () => {
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { profile: () => ok(profile({ verified: false, name: null, licence: null })) }) },
    });
    expect(page.text()).toContain('您还未完成实名认证');
    expect(page.data['stage']).toBe('unverified');
  });

  it('every service is an entry and opens its page', async () => {
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { profile: () => fail('UNAUTHENTICATED') }) },
    });
    for (const text of [
      '实名认证',
      '我的车辆',
      '车主授权',
      '违法处理',
      '缴款记录',
      '驾驶证记分',
      '办事指南',
      '网点导航',
      '一键挪车',
      '拖车查询',
      '设施报修',
      '电子保单',
      '信用证明核验',
      '提醒设置',
    ]) {
      expect(page.text()).toContain(text);
    }

    await page.tap('#service-move-car');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/move-car/request/index' }));
    expect(page.has('#notice')).toBe(false);

    await page.tap('#service-violations');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/violation/list/index' }));
  });

  it('a network failure is a sentence and a retry', async () => {
    let calls = 0;
    const page = await loadPage(HOME, {
      cloud: {
        user: byAction('user', {
          profile: () => {
            calls += 1;
            if (calls === 1) throw new Error('request:fail timeout');
            return ok(profile({ verified: false, name: null, licence: null }));
          },
        }),
      },
    });
    expect(page.text()).toContain('网络不给力');

    await page.tap('#retry');
    expect(page.text()).toContain('您还未完成实名认证');
  });

  it('one failing section does not hide the others', async () => {
    const page = await loadPage(HOME, {
      cloud: {
        user: byAction('user', { profile: () => ok(profile()) }),
        vehicle: byAction('vehicle', { list: () => ok({ vehicles: [] }) }),
        violation: byAction('violation', { list: () => fail('INTERNAL') }),
      },
    });
    expect(page.text('#violations-summary')).toContain('暂时无法获取');
    expect(page.text('#no-cars')).toContain('还没有绑定车辆');
  });
});
