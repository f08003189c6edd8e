/**
 * @jest-environment jsdom
 */
// One-click move-car: the requester's page (plate keyboard, place, the outcome, 122 when the owner cannot be reached)
// and the owner's page (requests for my cars, an answer, WeChat notices for the next one).
import { REMINDER_TEMPLATE_IDS } from '../../miniprogram/domain/reminder/reminders';
import { loadPage, type Loaded } from '../helpers/simulate';
import { byAction, fail, incomingMoveCar, moveCarView, next, ok } from './fixtures';

// Two page loads in one test pass 5 s when the machine is busy (the suite runs files in parallel).
jest.setTimeout(20_000);

const REQUEST = 'pages/move-car/request/index';
const INCOMING = 'pages/move-car/incoming/index';

/** Types a plate on the plate keyboard, key by key, as a thumb would. */
async function typePlate(page: Loaded, rest: string): Promise<void> {
  for (const char of rest) await page.tap(`#plate >>> #key-${char}`);
}

describe('move-car request page', () => {
  it('sends the plate typed on the keyboard and the place; shows "notified", then the owner’s answer', async () => {
    const statuses = [
      moveCarView('r1', {
        outcome: 'answered',
        reply: 'coming',
        replyText: '马上到',
        answeredAt: '2026-11-24T02:07:00.000Z',
      }),
    ];
    const page = await loadPage(REQUEST, {
      cloud: {
        moveCar: byAction('moveCar', {
          mine: () => ok({ requests: [moveCarView('r0', { plate: '桂AF35678', outcome: 'unreachable', place: '' })] }),
          request: () => ok(moveCarView('r1')),
          status: () => ok(next(statuses)),
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
    expect(page.cloudCalls.at(-1)).toEqual({
      name: 'moveCar',
      data: { action: 'request', plate: '桂AB2C34', place: '万象城地下停车场 B2' },
    });
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
      cloud: {
        moveCar: byAction('moveCar', {
          mine: () => ok({ requests: [] }),
          request: () => ok(moveCarView('r2', { outcome: 'unreachable', place: '' })),
        }),
      },
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
      fail('RATE_LIMITED', '挪车通知发送太频繁，请 7 分钟后再试；如急需挪车请拨打 122。', {
        retryAfterSeconds: 420,
        limit: 3,
      }),
      fail('OWN_VEHICLE', '这是您本人名下的车辆，不能给自己发送挪车通知。'),
    ];
    const page = await loadPage(REQUEST, {
      cloud: { moveCar: byAction('moveCar', { mine: () => ok({ requests: [] }), request: () => next(answers) }) },
    });
    await page.emit('#plate', 'change', { value: '桂A12345', complete: true });
    await page.tap('#submit');
    expect(page.text('#notice')).toContain('7 分钟后再试');
    expect(page.has('#result')).toBe(false);
    await page.tap('#submit');
    expect(page.text('#notice')).toContain('不能给自己发送挪车通知');
  });

  it('a green plate takes 8 characters; the owner’s page is a tap away; an unverified user is sent to verification', async () => {
    const page = await loadPage(REQUEST, {
      cloud: {
        moveCar: byAction('moveCar', { mine: () => ok({ requests: [] }), request: () => ok(moveCarView('r3')) }),
      },
    });
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
    expect(unverified.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/account/register/index' }),
    );
  });
});

describe('move-car request page: scanning the plate', () => {
  const DIR = 'fault-uploads/0123456789abcdef0123456789abcdef/';
  const BUCKET = 'cloud://local.6c6f-local-1300000000/';
  const TARGET = { dir: DIR, maxPhotos: 3, maxPhotoBytes: 5 * 1024 * 1024 };
  type Callbacks = { success?: (r: unknown) => void; fail?: (e: unknown) => void };

  /** wx.chooseMedia answering with one photo (as WeChat does, asynchronously); null = the user cancelled. */
  function chooseMedia(file: { path: string; size: number } | null): jest.Mock {
    return jest.fn((o: Callbacks) =>
      setTimeout(
        () =>
          file === null
            ? o.fail?.({ errMsg: 'chooseMedia:fail cancel' })
            : o.success?.({
                type: 'image',
                tempFiles: [{ tempFilePath: file.path, size: file.size, fileType: 'image' }],
              }),
        0,
      ),
    );
  }

  /** wx.cloud.uploadFile into the local cloud's bucket, recording each call. */
  function stubUpload(page: Loaded): jest.Mock<unknown, [{ cloudPath: string; filePath: string } & Callbacks]> {
    const uploadFile = jest.fn((o: { cloudPath: string; filePath: string } & Callbacks) =>
      setTimeout(() => o.success?.({ fileID: `${BUCKET}${o.cloudPath}`, statusCode: 200 }), 0),
    );
    (page.wx.cloud as unknown as Record<string, unknown>)['uploadFile'] = uploadFile;
    return uploadFile;
  }

  async function scan(page: Loaded): Promise<void> {
    await page.tap('#scan');
    await page.settle();
  }

  it('a photo from the camera → uploaded into my folder → read by the cloud → the keyboard shows it; nothing is sent until I tap', async () => {
    const media = chooseMedia({ path: 'wxfile://tmp_plate.jpg', size: 120_000 });
    const page = await loadPage(REQUEST, {
      wx: { chooseMedia: media },
      cloud: {
        moveCar: byAction('moveCar', {
          mine: () => ok({ requests: [] }),
          recognisePlate: () => ok({ plate: '桂AD12345', plateType: '52' }),
          request: () => ok(moveCarView('r5', { plate: '桂AD12345' })),
        }),
        fault: byAction('fault', { uploadTarget: () => ok(TARGET) }),
      },
    });
    const uploadFile = stubUpload(page);
    expect(page.text('#scan')).toContain('拍照识别车牌');
    await scan(page);

    expect(media).toHaveBeenCalledWith(
      expect.objectContaining({
        count: 1,
        mediaType: ['image'],
        sourceType: ['camera', 'album'],
        sizeType: ['compressed'],
      }),
    );
    expect(uploadFile).toHaveBeenCalledTimes(1);
    const { cloudPath, filePath } = uploadFile.mock.calls[0]?.[0] as { cloudPath: string; filePath: string };
    expect(filePath).toBe('wxfile://tmp_plate.jpg');
    expect(cloudPath).toMatch(new RegExp(`^${DIR}[^/]+\\.jpg$`));
    expect(page.cloudCalls).toEqual([
      { name: 'moveCar', data: { action: 'mine' } },
      { name: 'fault', data: { action: 'uploadTarget' } },
      { name: 'moveCar', data: { action: 'recognisePlate', fileID: `${BUCKET}${cloudPath}` } },
    ]);
    // pre-filled, the type following the plate; the driver checks it and sends it themselves
    expect(page.data['plateType']).toBe('52');
    expect(page.data['plate']).toBe('桂AD12345');
    expect(page.data['plateComplete']).toBe(true);
    expect(page.text('#scanned')).toContain('已识别号牌 桂AD12345');
    expect(page.text('#plate')).toContain('D');
    expect(page.has('#result')).toBe(false);

    await page.tap('#submit');
    expect(page.cloudCalls.at(-1)).toEqual({ name: 'moveCar', data: { action: 'request', plate: '桂AD12345' } });
    expect(page.text('#result')).toContain('已通知车主');
  });

  it('nothing recognised, or another city’s plate: the keyboard keeps what I typed and the message says what to do', async () => {
    const answers = [
      fail('PLATE_NOT_RECOGNISED', '未能识别出车牌，请对准车牌重拍或手动输入。'),
      fail(
        'PLATE_NOT_SUPPORTED',
        '识别到的号牌为 粤B12345。本业务仅受理桂A号牌车辆，外省号牌请通过“交管12123”或当地交管部门办理。',
        { reasons: ['OTHER_PROVINCE'] },
      ),
      fail('RATE_LIMITED', '今天的拍照识别车牌已达 20 次上限，请用号牌键盘手动输入。', { limit: 20 }),
    ];
    const page = await loadPage(REQUEST, {
      wx: { chooseMedia: chooseMedia({ path: 'wxfile://tmp_dark.jpg', size: 90_000 }) },
      cloud: {
        moveCar: byAction('moveCar', { mine: () => ok({ requests: [] }), recognisePlate: () => next(answers) }),
        fault: byAction('fault', { uploadTarget: () => ok(TARGET) }),
      },
    });
    stubUpload(page);
    await typePlate(page, 'B2C');
    await scan(page);
    expect(page.text('#notice')).toContain('未能识别出车牌，请对准车牌重拍或手动输入');
    expect(page.data['plate']).toBe('桂AB2C');
    expect(page.data['plateType']).toBe('02');
    expect(page.has('#scanned')).toBe(false);

    await scan(page);
    expect(page.text('#notice')).toContain('粤B12345');
    expect(page.text('#notice')).toContain('仅受理桂A');
    expect(page.data['plate']).toBe('桂AB2C');

    await scan(page);
    expect(page.text('#notice')).toContain('手动输入');
    expect(page.data['plate']).toBe('桂AB2C');
    expect(page.cloudCalls.filter((c) => c.data['action'] === 'request')).toEqual([]);
  });

  it('a cancelled picker never reaches the cloud', async () => {
    const cancelled = await loadPage(REQUEST, {
      wx: { chooseMedia: chooseMedia(null) },
      cloud: { moveCar: byAction('moveCar', { mine: () => ok({ requests: [] }) }) },
    });
    await scan(cancelled);
    expect(cancelled.cloudCalls).toEqual([{ name: 'moveCar', data: { action: 'mine' } }]);
    expect(cancelled.has('#notice')).toBe(false);
  });

  it('a photo over 5 MB is refused on the phone', async () => {
    const big = await loadPage(REQUEST, {
      wx: { chooseMedia: chooseMedia({ path: 'wxfile://tmp_big.jpg', size: 6 * 1024 * 1024 }) },
      cloud: { moveCar: byAction('moveCar', { mine: () => ok({ requests: [] }) }) },
    });
    await scan(big);
    expect(big.cloudCalls).toHaveLength(1);
    expect(big.text('#notice')).toContain('5 MB');
  });

  it('a failed upload never reaches the OCR and leaves the button usable', async () => {
    const offline = await loadPage(REQUEST, {
      wx: { chooseMedia: chooseMedia({ path: 'wxfile://tmp_1.jpg', size: 1000 }) },
      cloud: {
        moveCar: byAction('moveCar', { mine: () => ok({ requests: [] }) }),
        fault: byAction('fault', { uploadTarget: () => ok(TARGET) }),
      },
    });
    (offline.wx.cloud as unknown as Record<string, unknown>)['uploadFile'] = jest.fn((o: Callbacks) =>
      setTimeout(() => o.fail?.({ errMsg: 'cloud.uploadFile:fail timeout' }), 0),
    );
    await scan(offline);
    expect(offline.text('#notice')).toContain('照片上传失败');
    expect(offline.cloudCalls.some((c) => c.data['action'] === 'recognisePlate')).toBe(false);
    expect(offline.data['scanning']).toBe(false);
  });
});

describe('move-car incoming page (the owner)', () => {
  it('lists requests for my cars (the one the message opened first), answers one, shows the answer', async () => {
    const page = await loadPage(INCOMING, {
      query: { requestId: 'in1' },
      cloud: {
        moveCar: byAction('moveCar', {
          incoming: () =>
            ok({
              requests: [
                incomingMoveCar('in1'),
                incomingMoveCar('in0', {
                  place: '',
                  reply: 'tenMinutes',
                  replyText: '10 分钟内到',
                  answeredAt: '2026-11-24T01:00:00.000Z',
                }),
                incomingMoveCar('old', { answerable: false }),
              ],
            }),
          answer: (d) =>
            ok(
              incomingMoveCar(d['requestId'], {
                reply: 'coming',
                replyText: '马上到',
                answeredAt: '2026-11-24T02:06:00.000Z',
              }),
            ),
        }),
      },
    });
    expect(page.cloudCalls).toEqual([{ name: 'moveCar', data: { action: 'incoming' } }]);
    expect(page.text('#request-in1')).toContain('桂A12345 挡住了他人车辆');
    expect(page.text('#request-in1')).toContain('东门停车场出口');
    expect((page.data['requests'] as Array<{ highlighted: boolean }>).map((r) => r.highlighted)).toEqual([
      true,
      false,
      false,
    ]);
    expect(page.text('#request-in0')).toContain('对方未填写位置');
    expect(page.text('#request-in0')).toContain('10 分钟内到');
    expect(page.text('#request-old')).toContain('已超过 2 小时');
    expect(page.has('#reply-old-coming')).toBe(false);

    await page.tap('#reply-in1-coming');
    expect(page.cloudCalls.at(-1)).toEqual({
      name: 'moveCar',
      data: { action: 'answer', requestId: 'in1', reply: 'coming' },
    });
    expect(page.text('#request-in1')).toContain('您已回复');
    expect(page.text('#request-in1')).toContain('马上到');
    expect(page.has('#reply-in1-tenMinutes')).toBe(false);
    expect(page.text('#notice')).toContain('已回复“马上到”');
  });

  it('asks WeChat for the move-car template in the tap and reports the accept to the cloud', async () => {
    const requestSubscribeMessage = jest.fn((o: { tmplIds: string[]; success?: (r: unknown) => void }) =>
      o.success?.(Object.fromEntries(o.tmplIds.map((id) => [id, 'accept']))),
    );
    const credits = { newViolation: 0, licenceRenewal: 0, inspectionDue: 0, fineSurcharge: 0, moveCar: 1, refund: 0 };
    const page = await loadPage(INCOMING, {
      wx: { requestSubscribeMessage },
      cloud: {
        moveCar: byAction('moveCar', { incoming: () => ok({ requests: [] }) }),
        reminder: byAction('reminder', { subscribe: () => ok({ credits }) }),
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
        moveCar: byAction('moveCar', {
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
