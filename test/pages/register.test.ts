/**
 * @jest-environment jsdom
 */
// Register + real-name + real-person verification: local checks before anything is sent, then the face scan.
import type { ActionResult } from '../../miniprogram/domain/api';
import { loadPage, type Loaded } from '../helpers/simulate';
import { byAction, fail, ok, profile } from './fixtures';

const REGISTER = 'pages/account/register/index';
const VALID_ID = '11010519491231002x'; // lower-case x: sent normalised
const STARTED: ActionResult<'user', 'startFaceVerify'> = { verifyId: 'vid-1', expiresIn: 3600 };
const CONFIRMED: ActionResult<'user', 'confirmFaceVerify'> = {
  verified: true,
  name: '张*',
  idNumber: '110***********002X',
};

async function fillIn(page: Loaded, name: string, idNumber: string): Promise<void> {
  await page.emit('#name', 'change', { value: name });
  await page.emit('#id-number', 'change', { value: idNumber });
}

function userCalls(page: Loaded): string[] {
  return page.cloudCalls.filter((c) => c.name === 'user').map((c) => String(c.data['action']));
}

describe('register and real-name page', () => {
  it('blocks a wrong check character inline, before anything is sent', async () => {
    const page = await loadPage(REGISTER, {
      cloud: { user: byAction('user', { profile: () => fail('UNAUTHENTICATED') }) },
    });
    await fillIn(page, '张三', '110105194912310021');

    expect(page.text()).toContain('身份证号码校验位不正确');
    await page.tap('#consent');
    await page.tap('#submit');

    expect(userCalls(page)).toEqual(['profile']);
    expect(page.wx.requestFacialVerify).not.toHaveBeenCalled();
  });

  it('blocks an unreal or future birth date and a short number on submit', async () => {
    const page = await loadPage(REGISTER, {
      cloud: { user: byAction('user', { profile: () => fail('UNAUTHENTICATED') }) },
    });
    await fillIn(page, '张三', '450102203001011230');
    expect(page.text()).toContain('出生日期晚于今天');

    await page.emit('#id-number', 'change', { value: '450102199002301234' });
    expect(page.text()).toContain('出生日期不是一个真实的日期');

    await page.emit('#id-number', 'change', { value: '4501021990' });
    expect(page.data['idNumberError']).toBe('');
    await page.tap('#consent');
    await page.tap('#submit');
    expect(page.text()).toContain('身份证号码应为 18 位');
    expect(userCalls(page)).toEqual(['profile']);
  });

  it('needs a name and the consent to the personal-data text', async () => {
    const page = await loadPage(REGISTER, {
      cloud: { user: byAction('user', { profile: () => fail('UNAUTHENTICATED') }) },
    });
    expect(page.text()).toContain('个人信息处理说明');
    await fillIn(page, '张3', VALID_ID);
    await page.tap('#submit');

    expect(page.text()).toContain('姓名格式不正确');
    expect(page.text()).toContain('请先阅读并同意');
    expect(userCalls(page)).toEqual(['profile']);
  });

  it('registers, starts the face scan, confirms it, and says so', async () => {
    const page = await loadPage(REGISTER, {
      cloud: {
        user: byAction('user', {
          profile: () => fail('UNAUTHENTICATED'),
          register: () => ok({ registered: true, created: true, verified: false }),
          startFaceVerify: () => ok(STARTED),
          confirmFaceVerify: () => ok(CONFIRMED),
        }),
      },
    });
    await fillIn(page, ' 张三 ', VALID_ID);
    await page.tap('#consent');
    expect(page.data['consent']).toBe(true);
    await page.tap('#submit');

    expect(page.cloudCalls.map((c) => c.data)).toEqual([
      { action: 'profile' },
      { action: 'register' },
      { action: 'startFaceVerify', name: '张三', idNumber: '11010519491231002X', purpose: 'real-person' },
      { action: 'confirmFaceVerify', verifyId: 'vid-1' },
    ]);
    expect(page.wx.requestFacialVerify).toHaveBeenCalledWith(expect.objectContaining({ verifyId: 'vid-1' }));
    expect(page.text('#verified')).toContain('实名认证已完成');
    expect(page.data['step']).toBe(2);
  });

  it('an account verified elsewhere before is told its bindings moved here; a registered user is not registered again', async () => {
    const page = await loadPage(REGISTER, {
      cloud: {
        user: byAction('user', {
          profile: () => ok(profile({ verified: false, name: null, idNumber: null, licence: null })),
          startFaceVerify: () => ok(STARTED),
          confirmFaceVerify: () => ok({ ...CONFIRMED, movedFromAnotherAccount: true }),
        }),
      },
    });
    await fillIn(page, '张三', VALID_ID);
    await page.tap('#consent');
    await page.tap('#submit');

    expect(userCalls(page)).toEqual(['profile', 'startFaceVerify', 'confirmFaceVerify']);
    expect(page.text('#moved')).toContain('转到本账号');
  });

  it('a face scan that does not finish is explained, confirms nothing, and can be retried with a new verifyId', async () => {
    let started = 0;
    const requestFacialVerify = jest.fn(
      (o: { verifyId: string; success?: () => void; fail?: (e: unknown) => void }) => {
        if (o.verifyId === 'vid-1') o.fail?.({ errMsg: 'requestFacialVerify:fail internal error', errCode: 10003 });
        else o.success?.();
      },
    );
    const page = await loadPage(REGISTER, {
      wx: { requestFacialVerify },
      cloud: {
        user: byAction('user', {
          profile: () => ok(profile({ verified: false, name: null, idNumber: null, licence: null })),
          startFaceVerify: () => ok({ verifyId: `vid-${(started += 1)}` }),
          confirmFaceVerify: () => ok(CONFIRMED),
        }),
      },
    });
    await fillIn(page, '张三', VALID_ID);
    await page.tap('#consent');
    await page.tap('#submit');

    expect(userCalls(page)).toEqual(['profile', 'startFaceVerify']);
    expect(page.text('#error')).toContain('人脸识别未完成');
    expect(page.text('#face-tips')).toContain('光线充足');

    await page.tap('#retry-face');
    expect(userCalls(page)).toEqual(['profile', 'startFaceVerify', 'startFaceVerify', 'confirmFaceVerify']);
    expect(page.cloudCalls[3]?.data).toEqual({ action: 'confirmFaceVerify', verifyId: 'vid-2' });
    expect(page.text('#verified')).toContain('实名认证已完成');
  });

  it("WeChat's failed verdict shows the server's sentence and the tips", async () => {
    const page = await loadPage(REGISTER, {
      cloud: {
        user: byAction('user', {
          profile: () => ok(profile({ verified: false, name: null, idNumber: null, licence: null })),
          startFaceVerify: () => ok(STARTED),
          confirmFaceVerify: () => fail('FACE_VERIFY_FAILED'),
        }),
      },
    });
    await fillIn(page, '张三', VALID_ID);
    await page.tap('#consent');
    await page.tap('#submit');

    expect(page.text('#error')).toContain('人脸识别未通过，请本人在光线充足的地方重试。');
    expect(page.has('#retry-face')).toBe(true);
    expect(page.data['step']).toBe(1);
  });

  it("a refusal from the server is its sentence; a missing message falls back to the code's own", async () => {
    const page = await loadPage(REGISTER, {
      cloud: {
        user: byAction('user', {
          profile: () => ok(profile({ verified: false, name: null, idNumber: null, licence: null })),
          startFaceVerify: () => ({ ok: false, code: 'RATE_LIMITED', message: '' }),
        }),
      },
    });
    await fillIn(page, '张三', VALID_ID);
    await page.tap('#consent');
    await page.tap('#submit');

    expect(page.text('#error')).toContain('操作太频繁了，请稍后再试。');
    expect(page.has('#retry-face')).toBe(false);
  });

  it('an already verified user sees the done state', async () => {
    const page = await loadPage(REGISTER, { cloud: { user: byAction('user', { profile: () => ok(profile()) }) } });
    expect(page.text('#verified')).toContain('张*');
    await page.tap('#bind-car');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/vehicle/list/index' }));
  });
});
