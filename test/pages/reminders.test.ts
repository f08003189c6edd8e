/**
 * @jest-environment jsdom
 */
// Reminders by subscribe message: the settings page (credits per kind, asking WeChat, what was sent), and the natural
// moments that ask too — a car just bound, a decision not yet paid. WeChat opens its panel only inside a tap: the stub
// below refuses a call made after the tap's synchronous part, as WeChat does.
import { REMINDER_TEMPLATE_IDS, type ReminderKind } from '../../miniprogram/domain/reminder/reminders';
import { loadPage, type Loaded } from '../helpers/simulate';
import { byAction, fail, ok, vehicle, type Answers } from './fixtures';

const SETTINGS = 'pages/reminder/settings/index';
const BIND = 'pages/vehicle/bind/index';
const CONFIRM = 'pages/payment/confirm/index';

type Answer = Record<string, string>;
type SubscribeOptions = {
  tmplIds: string[];
  success?: (res: Answer) => void;
  fail?: (res: { errMsg: string; errCode?: number }) => void;
};

let inTap = false;

/** wx.requestSubscribeMessage as WeChat behaves: only inside a tap; the user's choice arrives later. */
function subscribePanel(
  answer: (tmplIds: string[]) => Answer | { errMsg: string; errCode: number },
): jest.Mock<void, [SubscribeOptions]> {
  return jest.fn((o: SubscribeOptions) => {
    const tapped = inTap;
    setTimeout(() => {
      if (!tapped) {
        o.fail?.({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.', errCode: 10005 });
        return;
      }
      const res = answer(o.tmplIds);
      if ('errCode' in res) o.fail?.(res as { errMsg: string; errCode: number });
      else o.success?.({ errMsg: 'requestSubscribeMessage:ok', ...res });
    }, 0);
  });
}

/**
 * A real tap: the handler's synchronous part runs inside the gesture, anything after an await does not. j-component
 * delivers the tap in a microtask, so the gesture ends in the microtask queued right after it.
 */
async function userTap(page: Loaded, selector: string): Promise<void> {
  inTap = true;
  const done = page.tap(selector);
  void Promise.resolve().then(() => {
    inTap = false;
  });
  await done;
}

function accept(...kinds: ReminderKind[]): (tmplIds: string[]) => Answer {
  const accepted = kinds.map((k) => REMINDER_TEMPLATE_IDS[k]);
  return (tmplIds) => Object.fromEntries(tmplIds.map((id) => [id, accepted.includes(id) ? 'accept' : 'reject']));
}

const NO_CREDITS = { newViolation: 0, licenceRenewal: 0, inspectionDue: 0, fineSurcharge: 0, moveCar: 0, refund: 0 };

function reminderCloud(credits = NO_CREDITS, extra: Answers<'reminder'> = {}) {
  return byAction('reminder', {
    status: () =>
      ok({
        credits,
        sent: [
          {
            id: 'log-2',
            kind: 'newViolation',
            title: '新违法记录提醒',
            status: 'sent',
            at: '2025-09-03T01:00:00.000Z',
          },
          {
            id: 'log-1',
            kind: 'fineSurcharge',
            title: '罚款缴纳期限提醒',
            status: 'failed',
            at: '2025-09-02T01:00:00.000Z',
          },
        ],
      }),
    subscribe: (d) => {
      const next = { ...credits };
      for (const kind of d['kinds'] as ReminderKind[]) next[kind] += 1;
      return ok({ credits: next });
    },
    ...extra,
  });
}

describe('reminder settings page', () => {
  it('shows each kind with the messages left, and what was sent lately', async () => {
    const page = await loadPage(SETTINGS, { cloud: { reminder: reminderCloud({ ...NO_CREDITS, newViolation: 2 }) } });
    expect(page.cloudCalls).toEqual([{ name: 'reminder', data: { action: 'status' } }]);
    expect(page.text('#kind-newViolation')).toContain('新违法记录提醒');
    expect(page.text('#kind-newViolation')).toContain('剩余 2 条');
    expect(page.text('#kind-licenceRenewal')).toContain('未开启');
    expect(page.text('#kind-inspectionDue')).toContain('30 日内');
    expect(page.text('#kind-fineSurcharge')).toContain('未开启');
    const text = page.text();
    expect(text).toContain('2025-09-03 09:00');
    expect(text).toContain('已发送');
    expect(text).toContain('发送失败');
  });

  it('asks WeChat for the three car and fine templates in the tap, then reports only the accepted kinds', async () => {
    const panel = subscribePanel(accept('newViolation', 'fineSurcharge'));
    const page = await loadPage(SETTINGS, {
      wx: { requestSubscribeMessage: panel },
      cloud: { reminder: reminderCloud() },
    });

    await userTap(page, '#subscribe-vehicle');

    expect(panel).toHaveBeenCalledTimes(1);
    expect(panel.mock.calls[0]?.[0].tmplIds).toEqual([
      REMINDER_TEMPLATE_IDS.newViolation,
      REMINDER_TEMPLATE_IDS.inspectionDue,
      REMINDER_TEMPLATE_IDS.fineSurcharge,
    ]);
    expect(page.cloudCalls[1]).toEqual({
      name: 'reminder',
      data: { action: 'subscribe', kinds: ['newViolation', 'fineSurcharge'] },
    });
    expect(page.text('#kind-newViolation')).toContain('剩余 1 条');
    expect(page.text('#kind-inspectionDue')).toContain('未开启');
    expect(page.text('#kind-fineSurcharge')).toContain('剩余 1 条');
    expect(page.text('#notice')).toContain('已开启新违法记录提醒、罚款缴纳期限提醒');
  });

  it('asks for the licence renewal on its own (one panel holds at most three)', async () => {
    const panel = subscribePanel(accept('licenceRenewal'));
    const page = await loadPage(SETTINGS, {
      wx: { requestSubscribeMessage: panel },
      cloud: { reminder: reminderCloud() },
    });
    await userTap(page, '#subscribe-licence');
    expect(panel.mock.calls[0]?.[0].tmplIds).toEqual([REMINDER_TEMPLATE_IDS.licenceRenewal]);
    expect(page.cloudCalls[1]?.data).toEqual({ action: 'subscribe', kinds: ['licenceRenewal'] });
    expect(page.text('#kind-licenceRenewal')).toContain('剩余 1 条');
  });

  it('a refusal, or subscriptions switched off in WeChat, is no error and reaches no cloud', async () => {
    const refused = subscribePanel(accept());
    const page = await loadPage(SETTINGS, {
      wx: { requestSubscribeMessage: refused },
      cloud: { reminder: reminderCloud() },
    });
    await userTap(page, '#subscribe-vehicle');
    expect(page.cloudCalls.map((c) => c.data['action'])).toEqual(['status']);
    expect(page.text('#notice')).toContain('未开启提醒');

    const switchedOff = subscribePanel(() => ({
      errMsg: 'requestSubscribeMessage:fail main switch is switched off',
      errCode: 20004,
    }));
    const off = await loadPage(SETTINGS, {
      wx: { requestSubscribeMessage: switchedOff },
      cloud: { reminder: reminderCloud() },
    });
    await userTap(off, '#subscribe-licence');
    expect(off.cloudCalls.map((c) => c.data['action'])).toEqual(['status']);
    expect(off.text('#notice')).toContain('未开启提醒');
  });

  it('an accept the cloud could not record is said plainly', async () => {
    const panel = subscribePanel(accept('licenceRenewal'));
    const page = await loadPage(SETTINGS, {
      wx: { requestSubscribeMessage: panel },
      cloud: {
        reminder: reminderCloud(NO_CREDITS, {
          subscribe: () => {
            throw new Error('request:fail timeout');
          },
        }),
      },
    });
    await userTap(page, '#subscribe-licence');
    expect(page.text('#notice')).toContain('提醒未能开启');
    expect(page.text('#notice')).toContain('网络不给力');
  });

  it('not registered: says so and leads to registration', async () => {
    const page = await loadPage(SETTINGS, { cloud: { reminder: () => fail('UNAUTHENTICATED') } });
    expect(page.text('#load-error')).toContain('请先注册并完成实名认证');
    await page.tap('#verify');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/account/register/index' }));
  });
});

describe('asking at the natural moments', () => {
  it('a car just bound offers new-violation and inspection reminders from its own tap', async () => {
    const panel = subscribePanel(accept('newViolation', 'inspectionDue'));
    const page = await loadPage(BIND, {
      query: { mode: 'own' },
      wx: { requestSubscribeMessage: panel },
      cloud: {
        vehicle: byAction('vehicle', {
          ownCars: () => ok({ cars: [] }),
          bindOwn: (d) => ok(vehicle(d.plate)),
        }),
        reminder: reminderCloud(),
      },
    });
    for (const key of '12345') await page.tap(`#plate >>> #key-${key}`);
    await page.tap('#submit');
    expect(page.text('#bound')).toContain('绑定成功');
    expect(panel).not.toHaveBeenCalled();

    await userTap(page, '#remind');

    expect(panel.mock.calls[0]?.[0].tmplIds).toEqual([
      REMINDER_TEMPLATE_IDS.newViolation,
      REMINDER_TEMPLATE_IDS.inspectionDue,
    ]);
    expect(page.cloudCalls.map((c) => c.data)).toEqual([
      { action: 'ownCars' },
      { action: 'bindOwn', plate: '桂A12345', plateType: '02' },
      { action: 'subscribe', kinds: ['newViolation', 'inspectionDue'] },
    ]);
    expect(page.text('#remind-notice')).toContain('已开启新违法记录提醒、机动车年检提醒');
  });

  it('a decision not paid yet offers the surcharge-period reminder; a refusal only says how to turn it on later', async () => {
    const query = {
      decisionId: 'dec-1',
      decisionNo: '4501000000000123',
      amount: '25000',
      points: '7',
      count: '2',
      dueDate: '2025-09-17',
    };
    const panel = subscribePanel(accept('fineSurcharge'));
    const page = await loadPage(CONFIRM, {
      query,
      wx: { requestSubscribeMessage: panel },
      cloud: { reminder: reminderCloud() },
    });

    await userTap(page, '#remind-surcharge');

    expect(panel.mock.calls[0]?.[0].tmplIds).toEqual([REMINDER_TEMPLATE_IDS.fineSurcharge]);
    expect(page.cloudCalls).toEqual([{ name: 'reminder', data: { action: 'subscribe', kinds: ['fineSurcharge'] } }]);
    expect(page.text('#remind-notice')).toContain('已开启罚款缴纳期限提醒');

    const refused = await loadPage(CONFIRM, {
      query,
      wx: { requestSubscribeMessage: subscribePanel(accept()) },
      cloud: {},
    });
    await userTap(refused, '#remind-surcharge');
    expect(refused.cloudCalls).toEqual([]);
    expect(refused.text('#remind-notice')).toContain('未开启提醒');
  });

  it('a panel opened outside the tap (after an await) would be refused by WeChat — the stub enforces it', async () => {
    const panel = subscribePanel(accept('fineSurcharge'));
    // the page as the result of processing opens it, with the decision's figures (no decision lookup)
    const query = {
      decisionId: 'dec-1',
      decisionNo: '4501000000000123',
      amount: '25000',
      count: '2',
      dueDate: '2025-09-17',
    };
    const page = await loadPage(CONFIRM, {
      query,
      wx: { requestSubscribeMessage: panel },
      cloud: { reminder: reminderCloud() },
    });
    await page.tap('#remind-surcharge'); // a tap the stub does not see as a gesture: the panel fails, nothing is sent
    expect(page.cloudCalls).toEqual([]);
    expect(page.text('#remind-notice')).toContain('未开启提醒');
  });
});
