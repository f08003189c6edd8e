/**
 * @jest-environment jsdom
 */
// One-click move-car: the requester's page (plate keyboard, place, the outcome, 122 when the owner cannot be reached)
// and the owner's page (requests for my cars, an answer, WeChat notices for the next one).
import { REMINDER_TEMPLATE_IDS } from '../../miniprogram/domain/reminders';
import { loadPage, type Loaded } from '../helpers/simulate';
import { byAction, fail, incomingMoveCar, moveCarView, ok } from './fixtures';

const REQUEST = 'pages/move-car/request/index';
const INCOMING = 'pages/move-car/incoming/index';

/** Types a plate on the plate keyboard, key by key, as a thumb would. */
async function typePlate(page: Loaded, rest: string): Promise<void> {
  for (const char of rest) await page.tap(`#plate >>> #key-${char}`);
}

describe('move-car request page', () => {
  it('sends the plate typed on the keyboard and the place; shows "notified", then the owner’s answer', async () => {
    const statuses = [moveCarView('r1', { outcome: 'answered', reply: 'coming', replyText: '马上到', answeredAt: '2026-11-24T02:07:00.000Z' })];
    const page = await loadPage(REQUEST, {
      cloud: {
        moveCar: byAction({
          mine: () => ok({ requests: [moveCarView('r0', { plate: '桂AF35678', outcome: 'unreachable', place: '' })] }),
          request: () => ok(moveCarView('r1')),
          status: () => ok(statuses.shift()),
        }),
      },
    });
    expect(page.cloudCalls).toEqual([{ name: 'moveCar', data: { action: 'mine' } }]);
    expect(page.text('#recent-0')).toContain('桂AF35678');
    expect(page.text('#recent-0')).toContain('暂时联系不上车主');

    await typePlate(page, 'B2C3');
    expect(page.data['plate']).toBe('桂AB2C3');
    expect(page.data['plateComplete']).toBe(false);
    await page.tap('#submit');
    expect(page.cloudCalls).toHaveLength(1);
    await typePlate(page, '4');
    expect(page.data['plateComplete']).toBe(true);
    await page.emit('#place', 'change', { value: ' 万象城地下停车场 B2 ' });
    await page.tap('#submit');
    expect(page.cloudCalls.at(-1)).toEqual({ name: 'moveCar', data: { action: 'request', plate: '桂AB2C34', place: '万象城地下停车场 B2' } });
    expect(page.text('#result')).toContain('已通知车主');
    expect(page.text()).toContain('为保护隐私');
    expect(page.has('#call-police')).toBe(false);

    await page.tap('#refresh');
    expect(page.cloudCalls.at(-1)).toEqual({ name: 'moveCar', data: { action: 'status', requestId: 'r1' } });
    expect(page.text('#result')).toContain('车主回复：马上到');
    await page.tap('#new');
    expect(page.text('#recent-0')).toContain('车主回复：马上到');
    expect(page.text('#recent-1')).toContain('桂AF35678');
  });

  it('an owner who cannot be reached: says so and offers 122', async () => {
    const makePhoneCall = jest.fn();
    const page = await loadPage(REQUEST, {
      wx: { makePhoneCall },
      cloud: { moveCar: byAction({ mine: () => ok({ requests: [] }), request: () => ok(moveCarView('r2', { outcome: 'unreachable', place: '' })) }) },
    });
    await page.emit('#plate-type', 'change', { value: '52' });
    await page.emit('#plate', 'change', { value: '桂AD12345', complete: true });
    await page.tap('#submit');
    expect(page.cloudCalls.at(-1)).toEqual({ name: 'moveCar', data: { action: 'request', plate: '桂AD12345' } });
    expect(page.text('#result')).toContain('暂时联系不上车主');
    expect(page.text('#result')).toContain('122');
    await page.tap('#call-police');
    expect(makePhoneCall).toHaveBeenCalledWith(expect.objectContaining({ phoneNumber: '122' }));
    await page.tap('#new');
    expect(page.has('#result')).toBe(false);
    expect(page.data['plate']).toBe('桂A');
  });

  it('a refusal (too often, one’s own car) is the function’s sentence, and the form stays', async () => {
    const answers = [
      fail('RATE_LIMITED', '挪车通知发送太频繁，请 7 分钟后再试；如急需挪车请拨打 122。', { retryAfterSeconds: 420, limit: 3 }),
      fail('OWN_VEHICLE', '这是您本人名下的车辆，不能给自己发送挪车通知。'),
    ];
    const page = await loadPage(REQUEST, { cloud: { moveCar: byAction({ mine: () => ok({ requests: [] }), request: () => answers.shift() }) } });
    await page.emit('#plate', 'change', { value: '桂A12345', complete: true });
    await page.tap('#submit');
    expect(page.text('#notice')).toContain('7 分钟后再试');
    expect(page.has('#result')).toBe(false);
    await page.tap('#submit');
    expect(page.text('#notice')).toContain('不能给自己发送挪车通知');
  });

  it('a green plate takes 8 characters; the owner’s page is a tap away; an unverified user is sent to verification', async () => {
    const page = await loadPage(REQUEST, { cloud: { moveCar: byAction({ mine: () => ok({ requests: [] }), request: () => ok(moveCarView('r3')) }) } });
    await page.emit('#plate-type', 'change', { value: '52' });
    await typePlate(page, 'D1234');
    expect(page.data['plateComplete']).toBe(false);
    await typePlate(page, '5');
    expect(page.data['plate']).toBe('桂AD12345');
    expect(page.data['plateComplete']).toBe(true);
    await page.tap('#submit');
    expect(page.cloudCalls.at(-1)?.data).toEqual({ action: 'request', plate: '桂AD12345' });
    await page.tap('#new');
    await page.tap('#incoming');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/move-car/incoming/index' }));

    const unverified = await loadPage(REQUEST, { cloud: { moveCar: () => fail('NOT_VERIFIED') } });
    expect(unverified.text('#load-error')).toContain('实名认证');
    await unverified.tap('#verify');
    expect(unverified.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/account/register/index' }));
  });
});

describe('move-car incoming page (the owner)', () => {
  it('lists requests for my cars (the one the message opened first), answers one, shows the answer', async () => {
    const page = await loadPage(INCOMING, {
      query: { requestId: 'in1' },
      cloud: {
        moveCar: byAction({
          incoming: () =>
            ok({
              requests: [
                incomingMoveCar('in1'),
                incomingMoveCar('in0', { place: '', reply: 'tenMinutes', replyText: '10 分钟内到', answeredAt: '2026-11-24T01:00:00.000Z' }),
                incomingMoveCar('old', { answerable: false }),
              ],
            }),
          answer: (d) => ok(incomingMoveCar(String(d['requestId']), { reply: 'coming', replyText: '马上到', answeredAt: '2026-11-24T02:06:00.000Z' })),
        }),
      },
    });
    expect(page.cloudCalls).toEqual([{ name: 'moveCar', data: { action: 'incoming' } }]);
    expect(page.text('#request-in1')).toContain('桂A12345 挡住了他人车辆');
    expect(page.text('#request-in1')).toContain('东门停车场出口');
    expect((page.data['requests'] as Array<{ highlighted: boolean }>).map((r) => r.highlighted)).toEqual([true, false, false]);
    expect(page.text('#request-in0')).toContain('对方未填写位置');
    expect(page.text('#request-in0')).toContain('10 分钟内到');
    expect(page.text('#request-old')).toContain('已超过 2 小时');
    expect(page.has('#reply-old-coming')).toBe(false);

    await page.tap('#reply-in1-coming');
    expect(page.cloudCalls.at(-1)).toEqual({ name: 'moveCar', data: { action: 'answer', requestId: 'in1', reply: 'coming' } });
    expect(page.text('#request-in1')).toContain('您已回复');
    expect(page.text('#request-in1')).toContain('马上到');
    expect(page.has('#reply-in1-tenMinutes')).toBe(false);
    expect(page.text('#notice')).toContain('已回复“马上到”');
  });

  it('asks WeChat for the move-car template in the tap and reports the accept to the cloud', async () => {
    const requestSubscribeMessage = jest.fn((o: { tmplIds: string[]; success?: (r: unknown) => void }) =>
      o.success?.(Object.fromEntries(o.tmplIds.map((id) => [id, 'accept']))),
    );
    const credits = { newViolation: 0, licenceRenewal: 0, inspectionDue: 0, fineSurcharge: 0, moveCar: 1 };
    const page = await loadPage(INCOMING, {
      wx: { requestSubscribeMessage },
      cloud: {
        moveCar: byAction({ incoming: () => ok({ requests: [] }) }),
        reminder: byAction({ subscribe: () => ok({ credits }) }),
      },
    });
    expect(page.text('#empty')).toContain('暂时没有收到挪车通知');
    await page.tap('#subscribe');
    expect(requestSubscribeMessage.mock.calls[0]?.[0].tmplIds).toEqual([REMINDER_TEMPLATE_IDS.moveCar]);
    expect(page.cloudCalls.at(-1)).toEqual({ name: 'reminder', data: { action: 'subscribe', kinds: ['moveCar'] } });
    expect(page.text('#notice')).toContain('已开启挪车通知');
  });

  it('an answer too late is the function’s sentence', async () => {
    const page = await loadPage(INCOMING, {
      cloud: {
        moveCar: byAction({
          incoming: () => ok({ requests: [incomingMoveCar('in1')] }),
          answer: () => fail('REQUEST_EXPIRED', '该挪车请求已超过 2 小时，无需再回复。'),
        }),
      },
    });
    await page.tap('#reply-in1-cannot');
    expect(page.cloudCalls.at(-1)?.data).toEqual({ action: 'answer', requestId: 'in1', reply: 'cannot' });
    expect(page.text('#notice')).toContain('已超过 2 小时');
  });
});
