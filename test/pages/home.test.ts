/**
 * @jest-environment jsdom
 */
// Home: what needs doing first, from one call, each to-do one tap from its page; then the driver's state and services.
import { loadPage, type Loaded } from '../helpers/simulate';
import { byAction, everyTodo, fail, homeSummary, ok } from './fixtures';

const HOME = 'pages/home/index/index';

function calls(page: Loaded): string[] {
  return page.cloudCalls.map((c) => `${c.name}.${String(c.data['action'])}`);
}

describe('home page', () => {
  it('makes one call on start and shows a verified driver: to-dos, cycle points, cars', async () => {
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { home: () => ok(homeSummary({ todos: everyTodo() })) }) },
    });

    // the first screen is one request, whatever it shows
    expect(calls(page)).toEqual(['user.home']);
    expect(page.text('#verified')).toContain('已实名');
    expect(page.text('#licence')).toContain('3 分');
    expect(page.text('#todo-unpaid-dec-1')).toContain('¥250.00');
    expect(page.text('#todo-unpaid-dec-1')).toContain('缴款期限 2025-09-16');
    expect(page.text('#todo-unpaid-dec-1')).toContain('还剩 12 天');
    expect(page.text('#todo-unpaid-dec-1')).toContain('桂A12345 · 2 起违法');
    // two processable: ¥200.00 + ¥100.00 + ¥3.00 surcharge, as the server summed them
    expect(page.text('#todo-violations')).toContain('2 条');
    expect(page.text('#todo-violations')).toContain('¥303.00');
    expect(page.text('#todo-tow-0')).toContain('青秀区清障停车场');
    expect(page.text('#todo-tow-0')).toContain('桂AD12345');
    expect(page.text('#todo-inspection-0')).toContain('2025-09-20');
    expect(page.text('#todo-renewal')).toContain('2025-11-30');
    expect(page.text('#todo-requests')).toContain('1 条');
    expect(page.has('#todo-none')).toBe(false);
    expect(page.text()).toContain('桂A12345');
    expect(page.text()).toContain('桂AD12345');
    expect(page.text()).toContain('我的车辆（2 辆）');
  });

  it('each to-do opens the page that does it', async () => {
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { home: () => ok(homeSummary({ todos: everyTodo() })) }) },
    });
    const targets: Record<string, string> = {
      '#todo-unpaid-dec-1': '/pages/payment/decision/index?decisionId=dec-1',
      '#todo-violations': '/pages/violation/list/index',
      '#todo-tow-0': '/pages/tow/query/index',
      // what to bring and where: the guides, each with its offices
      '#todo-inspection-0': '/pages/guide/detail/index?guideId=annual-inspection',
      '#todo-renewal': '/pages/guide/detail/index?guideId=licence-renewal',
      '#todo-requests': '/pages/vehicle/requests/index',
    };
    for (const [selector, url] of Object.entries(targets)) {
      await page.tap(selector);
      expect(page.wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url }));
    }
    expect(calls(page)).toEqual(['user.home']);
  });

  it('an overdue fine says so, with the daily surcharge', async () => {
    const [unpaid] = everyTodo().unpaid;
    if (unpaid === undefined) throw new Error('fixture has an unpaid decision');
    const page = await loadPage(HOME, {
      cloud: {
        user: byAction('user', {
          home: () =>
            ok(
              homeSummary({
                todos: {
                  ...homeSummary().todos,
                  unpaid: [{ ...unpaid, amount: 25_750, surcharge: 750, daysLeft: -1 }],
                },
              }),
            ),
        }),
      },
    });
    expect(page.text('#todo-unpaid-dec-1')).toContain('¥257.50');
    expect(page.text('#todo-unpaid-dec-1')).toContain('已逾期 1 天 · 每日加处 3%');
  });

  it('an inspection and a licence coming due count the days and say where to go', async () => {
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { home: () => ok(homeSummary({ todos: everyTodo() })) }) },
    });
    expect(page.text('#todo-inspection-0')).toContain('车辆年检即将到期');
    expect(page.text('#todo-inspection-0')).toContain('机动车检测站');
    expect(page.text('#todo-inspection-0')).toContain('还剩 16 天');
    expect(page.text('#todo-renewal')).toContain('驾驶证即将到期');
    expect(page.text('#todo-renewal')).toContain('车管所');
    expect(page.text('#todo-renewal')).toContain('还剩 87 天');
  });

  it('an overdue inspection and an expired licence are urgent to-dos with what to do now', async () => {
    const todos = {
      ...homeSummary().todos,
      inspections: [
        { plate: '桂A12345', inspectionDue: '2025-09-03', state: 'overdue', daysLeft: -1 },
        { plate: '桂AD12345', inspectionDue: '2025-09-04', state: 'dueSoon', daysLeft: 0 },
      ],
      renewal: { validUntil: '2025-09-03', state: 'overdue', daysLeft: -1 },
    } as const;
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { home: () => ok(homeSummary({ todos })) }) },
    });
    expect(page.text('#todo-inspection-0')).toContain('车辆年检已逾期');
    expect(page.text('#todo-inspection-0')).toContain('不得上路行驶');
    expect(page.text('#todo-inspection-0')).toContain('已逾期 1 天');
    expect(page.text('#todo-inspection-1')).toContain('今天到期');
    expect(page.text('#todo-renewal')).toContain('驾驶证已过期');
    expect(page.text('#todo-renewal')).toContain('不能驾驶机动车');
    expect(page.text('#todo-renewal')).toContain('已过期 1 天');
    const rows = page.data['todos'] as { key: string; tone: string }[];
    expect(rows.filter((r) => r.tone === 'danger').map((r) => r.key)).toEqual(['inspection-0', 'renewal']);
  });

  it('a licence the registry calls expired before its date has no countdown', async () => {
    const todos = {
      ...homeSummary().todos,
      renewal: { validUntil: '2026-01-01', state: 'overdue', daysLeft: 5 },
    } as const;
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { home: () => ok(homeSummary({ todos })) }) },
    });
    expect(page.text('#todo-renewal')).toContain('驾驶证已过期');
    expect(page.text('#todo-renewal')).not.toContain('还剩');
  });

  it('nothing to do is said plainly', async () => {
    const page = await loadPage(HOME, { cloud: { user: byAction('user', { home: () => ok(homeSummary()) }) } });
    expect(page.text('#todo-none')).toContain('暂无待办事项');
    expect(page.has('#todo-violations')).toBe(false);
    expect(page.data['todos']).toEqual([]);
  });

  it('a new user sees the next step and no other call is made', async () => {
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { home: () => fail('UNAUTHENTICATED') }) },
    });

    expect(page.text()).toContain('您还未注册');
    expect(page.text('#next-step')).toContain('实名认证');
    expect(page.cloudCalls).toHaveLength(1);
    await page.tap('#verify');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/account/register/index' }));
  });

  it('a registered but unverified user is sent to real-name verification', async () => {
    const page = await loadPage(HOME, {
      cloud: {
        user: byAction('user', {
          home: () => ok(homeSummary({ stage: 'registered', name: null, licence: null, carCount: 0, cars: [] })),
        }),
      },
    });
    expect(page.text()).toContain('您还未完成实名认证');
    expect(page.data['stage']).toBe('unverified');
    expect(page.has('#todo-none')).toBe(false);
  });

  it('every service is an entry and opens its page; 我的 is one tap from the top', async () => {
    const page = await loadPage(HOME, {
      cloud: { user: byAction('user', { home: () => fail('UNAUTHENTICATED') }) },
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

    await page.tap('#mine');
    expect(page.wx.navigateTo).toHaveBeenLastCalledWith(expect.objectContaining({ url: '/pages/mine/index/index' }));
  });

  it('a network failure is a sentence and a retry', async () => {
    let calls = 0;
    const page = await loadPage(HOME, {
      cloud: {
        user: byAction('user', {
          home: () => {
            calls += 1;
            if (calls === 1) throw new Error('request:fail timeout');
            return ok(homeSummary({ stage: 'registered', name: null, licence: null, carCount: 0, cars: [] }));
          },
        }),
      },
    });
    expect(page.text()).toContain('网络不给力');

    await page.tap('#retry');
    expect(page.text()).toContain('您还未完成实名认证');
  });

  it('one section the server could not read does not hide the others, nor pass for nothing to do', async () => {
    let answers = 0;
    const page = await loadPage(HOME, {
      cloud: {
        user: byAction('user', {
          home: () => {
            answers += 1;
            return ok(homeSummary({ carCount: 0, cars: [], unavailable: answers === 1 ? ['violations'] : [] }));
          },
        }),
      },
    });
    expect(page.text('#todo-unavailable')).toContain('违法和缴款信息暂时无法获取');
    expect(page.has('#todo-none')).toBe(false);
    expect(page.text('#no-cars')).toContain('还没有绑定车辆');

    // tapping the notice asks again
    await page.tap('#todo-unavailable');
    expect(calls(page)).toEqual(['user.home', 'user.home']);
    expect(page.text('#todo-none')).toContain('暂无待办事项');
  });
});

describe('home page: the services keep its answer for a minute', () => {
  const answer = () => ok(homeSummary({ todos: everyTodo() }));

  /** WeChat showing the page again, as on a return from another page. */
  async function showAgain(page: Loaded): Promise<void> {
    (page.instance['onShow'] as () => void).call(page.instance);
    await page.settle();
  }

  /** The services as the page's own module copy has them (after resetModules), so they share the page's cache. */
  interface Services {
    cloud: { call(fn: string, action: string, params: object): Promise<unknown> };
    payment: { requestWxPayment(params: object): Promise<void> };
  }
  function services(): Services {
    /* eslint-disable @typescript-eslint/no-require-imports -- the copy loaded with the page */
    return {
      cloud: require('../../miniprogram/services/cloud') as Services['cloud'],
      payment: require('../../miniprogram/services/payment') as Services['payment'],
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
  }

  afterEach(() => jest.restoreAllMocks());

  it('one call on start, none on an unchanged return within a minute, one once a minute has passed', async () => {
    const start = Date.now();
    const now = jest.spyOn(Date, 'now').mockReturnValue(start);
    const page = await loadPage(HOME, { cloud: { user: byAction('user', { home: answer }) } });
    expect(calls(page)).toEqual(['user.home']);

    now.mockReturnValue(start + 59_000);
    await showAgain(page);
    expect(calls(page)).toEqual(['user.home']);
    expect(page.text('#todo-unpaid-dec-1')).toContain('¥250.00');

    now.mockReturnValue(start + 60_000);
    await showAgain(page);
    expect(calls(page)).toEqual(['user.home', 'user.home']);
  });

  it('after processing, after WeChat took a payment, and on a pull-down it asks again, once each', async () => {
    const page = await loadPage(HOME, {
      cloud: {
        user: byAction('user', { home: answer }),
        violation: byAction('violation', {
          process: () => ok({ decisionId: 'd-1', decisionNo: '4501000000000001', amount: 100 }),
        }),
      },
    });
    const { cloud, payment } = services();

    await cloud.call('violation', 'process', { violationIds: ['v1'], pay: true });
    await showAgain(page);
    await showAgain(page);
    expect(calls(page)).toEqual(['user.home', 'violation.process', 'user.home']);

    await payment.requestWxPayment({ timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'MD5', paySign: 's' });
    await showAgain(page);
    await showAgain(page);
    expect(calls(page)).toEqual(['user.home', 'violation.process', 'user.home', 'user.home']);

    (page.instance['onPullDownRefresh'] as () => void).call(page.instance);
    await page.settle();
    expect(calls(page)).toEqual(['user.home', 'violation.process', 'user.home', 'user.home', 'user.home']);
  });

  it('a failed answer is not kept: the next return asks again', async () => {
    let answers = 0;
    const page = await loadPage(HOME, {
      cloud: {
        user: byAction('user', {
          home: () => {
            answers += 1;
            return answers === 1 ? fail('INTERNAL') : answer();
          },
        }),
      },
    });
    await showAgain(page);
    await showAgain(page);
    expect(calls(page)).toEqual(['user.home', 'user.home']);
  });
});
