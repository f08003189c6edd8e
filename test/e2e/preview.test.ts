/**
 * The browser preview, clicked through in Chromium as a person would, against a local cloud holding only the police
 * registry (Nanning's demo people, cars and violations) and nobody registered in the app: the owner and the driver
 * register with the face sandbox, the owner binds her car, the driver asks for it, the owner approves with her face,
 * the driver processes two violations and pays through the payment sandbox (the real payCallback runs). Also: a 4th
 * driver for one car refused with the function's message, a violation that cannot be processed online with its
 * reasons, and an unsupported wx API failing loudly. Screenshots of each main page go to artifacts/screenshots/.
 */
import { ERROR_MESSAGES } from '../../miniprogram/domain/core/errors';
import { ELIGIBILITY_REASON_TEXT, type EligibilityReason } from '../../miniprogram/domain/violation/eligibility';
import { DEMO_PEOPLE, DEMO_SIZE, generate, makeIdNumber } from '../../scripts/seed/nanning';
import { startLocalCloud, type RunningCloud } from '../helpers/local-cloud';
import { policeOf } from '../helpers/police';
import { describeInChromium, openPreview, useChromium } from './helpers/preview';

type Dict = Record<string, unknown>;

/** Four more licence holders for the quota story (not in the demo seed). */
const HELPERS = [1, 2, 3, 4].map((n) => ({
  openid: `e2e-helper-${n}`,
  name: ['覃一', '蒙二', '莫三', '农四'][n - 1] ?? '',
  idNumber: makeIdNumber('450109', `1991-0${n}-1${n}`, 500 + n),
}));

let cloud: RunningCloud;

async function must(name: string, event: Dict, openid?: string): Promise<Dict> {
  const { status, body } = await cloud.call<{ ok?: boolean; data?: Dict; code?: string; message?: string }>(
    name,
    event,
    openid,
  );
  if (status !== 200 || body.ok !== true || !body.data)
    throw new Error(`${name}.${String(event['action'])} as ${openid}: ${status} ${JSON.stringify(body)}`);
  return body.data;
}

/** Registers and verifies a person through the functions and the face sandbox (setup, not what is tested). */
async function verify(openid: string, person: { name: string; idNumber: string }): Promise<void> {
  await must('user', { action: 'register' }, openid);
  const { verifyId } = await must(
    'user',
    { action: 'startFaceVerify', name: person.name, idNumber: person.idNumber, purpose: 'real-person' },
    openid,
  );
  const face = await cloud.request('POST', `/sandbox/face/${String(verifyId)}`, '{"pass":true}', {
    'content-type': 'application/json',
  });
  if (face.status !== 200) throw new Error(`face sandbox: ${face.status}`);
  await must('user', { action: 'confirmFaceVerify', verifyId }, openid);
}

/** The driver asks, the owner approves with a face scan: one binding of someone else's car (setup). */
async function bindOther(
  driver: string,
  owner: string,
  plate: string,
  plateType: string,
  ownerName: string,
): Promise<void> {
  const { requestId } = await must('vehicle', { action: 'requestBinding', plate, plateType, ownerName }, driver);
  const { verifyId } = await must('vehicle', { action: 'startAuthorize', requestId }, owner);
  await cloud.request('POST', `/sandbox/face/${String(verifyId)}`, '{"pass":true}', {
    'content-type': 'application/json',
  });
  await must('vehicle', { action: 'approve', requestId, verifyId }, owner);
}

describeInChromium('the mini program in a browser (preview served at /)', () => {
  const browser = useChromium();

  beforeAll(async () => {
    cloud = await startLocalCloud();
    // the police registry only: the demo people, their cars and violations (the first batches of the demo seed)
    for (const batch of generate(DEMO_SIZE)) {
      if (batch.kind === 'drivers') {
        batch.rows.push(
          ...HELPERS.map((h) => ({
            idNumber: h.idNumber,
            name: h.name,
            licenceClass: 'C1',
            firstIssueDate: '2015-05-05',
            validUntil: '2031-05-05',
            status: 'valid',
            cyclePoints: 0,
          })),
        );
      }
      const action = {
        drivers: 'importDrivers',
        vehicles: 'importVehicles',
        violations: 'importViolations',
        offices: 'importOffices',
        guides: 'importGuides',
        tows: 'importTows',
      }[batch.kind];
      const credential = await policeOf(cloud).credentialFor(action);
      const data = await must('admin', { action, credential, rows: batch.rows });
      expect(data['errors']).toEqual([]);
      if (batch.kind === 'violations') break;
    }
  }, 60_000);

  afterAll(async () => {
    // Unset when beforeAll failed.
    await (cloud as RunningCloud | undefined)?.stop();
  });

  it('takes an owner and a driver from nothing to a paid batch, by clicking', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-wang-fang');

    // 王芳 registers: name, ID number, consent, face scan in the sandbox
    await phone.see('您还未注册');
    await phone.screenshot('01-home-unregistered');
    await phone.tap('去实名认证');
    await phone.see('实名信息（与身份证一致）');
    expect(await phone.title()).toBe('实名认证');
    await phone.type('姓名', DEMO_PEOPLE.wangFang.name);
    await phone.type('身份证号', DEMO_PEOPLE.wangFang.idNumber);
    await phone.tap('我已阅读并同意《个人信息处理说明》');
    await phone.screenshot('02-register-form');
    await phone.tap('同意并开始人脸识别');
    await phone.page.locator('#face-sandbox').waitFor();
    await phone.screenshot('03-face-sandbox');
    await phone.face('pass');
    await phone.see('实名认证已完成');
    await phone.screenshot('04-register-done');

    // her own cars, listed from the registry: one tap, nothing typed
    await phone.tap('去绑定车辆');
    await phone.see('暂无本人名下车辆');
    await phone.tap('绑定本人车辆');
    await phone.see('登记在您名下的车辆');
    await phone.see('桂AF35678');
    await phone.screenshot('05-bind-own');
    await phone.tap('绑定'); // the first row: 桂AB2C34
    await phone.see('绑定成功');

    // 黄伟 registers and asks 王芳 for her car
    await phone.switchUser('demo-huang-wei');
    await phone.see('您还未注册');
    await phone.tap('去实名认证');
    await phone.type('姓名', DEMO_PEOPLE.huangWei.name);
    await phone.type('身份证号', DEMO_PEOPLE.huangWei.idNumber);
    await phone.tap('我已阅读并同意《个人信息处理说明》');
    await phone.tap('同意并开始人脸识别');
    // a face that does not match: the cloud says so, the page offers another scan
    await phone.face('fail');
    await phone.see('人脸识别小提示');
    await phone.tap('重新识别');
    await phone.face('pass');
    await phone.see('实名认证已完成');
    await phone.tap('去绑定车辆');
    await phone.see('暂无他人车辆');
    await phone.screenshot('06-vehicles-empty');
    await phone.tap('绑定他人车辆');
    await phone.see('机动车所有人');
    for (const key of ['B', '2', 'C', '3', '4'])
      await phone
        .top()
        .locator('wx-button')
        .filter({ hasText: new RegExp(`^${key}$`) })
        .click();
    await phone.type('车主姓名', DEMO_PEOPLE.wangFang.name);
    await phone.see('还可绑定 3 辆非本人车辆');
    await phone.screenshot('07-bind-other');
    await phone.tap('提交申请');
    await phone.see('申请已提交，等待车主同意');
    await phone.screenshot('08-bind-requested');
    // open-type="share": the card WeChat would send, from the page's own onShareAppMessage
    await phone.tap('分享给车主');
    await phone.page.locator('#share-sandbox').waitFor();
    expect(await phone.page.locator('#share-sandbox').textContent()).toContain('请为我授权绑定车辆 桂AB2C34');
    await phone.page.locator('#share-close').click();

    // 王芳 approves with her face
    await phone.switchUser('demo-wang-fang');
    await phone.see('我的状态');
    await phone.screenshot('09-home-verified');
    await phone.tap('车主授权');
    await phone.see('申请人 黄*');
    await phone.screenshot('10-owner-requests');
    await phone.tap('同意授权');
    await phone.see('同意后，对方可以');
    await phone.screenshot('10-owner-consent');
    await phone.tap('同意并刷脸验证');
    await phone.face('pass');
    await phone.see('已授权，桂AB2C34 已绑定到申请人账号。');
    await phone.see('已授权的其他驾驶人');
    await phone.screenshot('11-owner-approved');

    // 黄伟 processes both violations of 桂AB2C34 and pays
    await phone.switchUser('demo-huang-wei');
    await phone.see('桂AB2C34');
    await phone.tap('我的车辆');
    await phone.see('车主 王* 已授权');
    await phone.screenshot('12-vehicles-bound');
    await phone.page.locator('#nav-back').click();
    await phone.see('业务办理');
    await phone.tap('违法处理');
    await phone.see('共 2 条');
    const picks = phone.top().locator('.t-checkbox');
    expect(await picks.count()).toBe(2);
    await picks.nth(0).click();
    await picks.nth(1).click();
    await phone.see('已选 2 条');
    await phone.screenshot('13-violations-selected');
    await phone.tap('接受处理');
    await phone.see('确认接受处理');
    await phone.screenshot('14-process-confirm');
    await phone.tap('确认处理');
    await phone.see('处罚决定书');
    expect(await phone.title()).not.toBe('');
    await phone.screenshot('15-pay-confirm');
    await phone.tap('微信支付缴款');
    await phone.pay('cancel');
    await phone.see('您已取消支付');
    await phone.tap('微信支付缴款');
    await phone.page.locator('#pay-sandbox').waitFor();
    await phone.screenshot('16-pay-sandbox');
    await phone.pay('success');
    await phone.see('缴款成功', 20_000);
    await phone.screenshot('17-pay-result');

    // what the server says now: the batch is paid, through the callback the sandbox invoked
    const { orders } = (await must('payment', { action: 'list' }, 'demo-huang-wei')) as {
      orders: { status: string }[];
    };
    expect(orders.map((o) => o.status)).toEqual(['paid']);
    await phone.tap('查看缴款记录');
    await phone.see('已缴款');
    await phone.screenshot('18-receipts');

    await phone.switchUser('demo-huang-wei');
    await phone.tap('驾驶证记分');
    await phone.see('本记分周期已记');
    await phone.screenshot('19-licence');

    expect(await phone.problems()).toBe('');
    await phone.close();
  }, 150_000);

  it('shows the refusal of a 4th driver for one car with its message', async () => {
    await verify('demo-li-ming', DEMO_PEOPLE.liMing);
    await must('vehicle', { action: 'bindOwn', plate: '桂AD12345', plateType: '52' }, 'demo-li-ming');
    for (const helper of HELPERS) await verify(helper.openid, helper);
    for (const helper of HELPERS.slice(0, 3)) await bindOther(helper.openid, 'demo-li-ming', '桂AD12345', '52', '李明');

    const [fourth] = HELPERS.slice(3);
    const phone = await openPreview(browser(), cloud.url, fourth?.openid ?? '');
    await phone.tap('我的车辆');
    await phone.tap('绑定他人车辆');
    await phone.tap('小型新能源汽车（绿牌 8 位）');
    for (const key of ['D', '1', '2', '3', '4', '5'])
      await phone
        .top()
        .locator('wx-button')
        .filter({ hasText: new RegExp(`^${key}$`) })
        .click();
    await phone.type('车主姓名', '李明');
    await phone.see('号牌已填写完整');
    await phone.tap('提交申请');
    await phone.see(ERROR_MESSAGES.VEHICLE_QUOTA_EXCEEDED);
    await phone.screenshot('20-bind-refused-4th-driver');
    expect(await phone.problems()).toBe('');
    await phone.close();
  }, 90_000);

  it('shows each violation that cannot be processed online with its reasons', async () => {
    const { violations } = (await must('violation', { action: 'list' }, 'demo-li-ming')) as {
      violations: { id: string; state: { kind: string; reasons?: EligibilityReason[] } }[];
    };
    // only violations still to be dealt with show reasons; one processed or paid elsewhere is in 已完成
    const refused = violations
      .filter((v) => v.state.kind === 'notProcessable')
      .map((v) => ({ id: v.id, reasons: v.state.reasons ?? [] }));
    expect(refused.length).toBeGreaterThan(0);

    const phone = await openPreview(browser(), cloud.url, 'demo-li-ming');
    await phone.tap('违法处理');
    await phone.see('不能网上处理');
    for (const v of refused) {
      const card = phone.top().locator(`#reasons-${v.id}`);
      await card.scrollIntoViewIfNeeded();
      const text = (await card.textContent()) ?? '';
      for (const reason of v.reasons) expect(text).toContain(ELIGIBILITY_REASON_TEXT[reason].message);
    }
    await phone
      .top()
      .locator(`#violation-${refused[0]?.id ?? ''}`)
      .scrollIntoViewIfNeeded();
    await phone.screenshot('21-violations-not-processable');
    expect(await phone.problems()).toBe('');
    await phone.close();
  }, 60_000);

  it('fails loudly, naming it, when the mini program calls a wx API the preview does not have', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-li-ming');
    const thrown = await phone.inFrame(() => {
      try {
        (globalThis as unknown as { wx: { openSetting(): void } }).wx.openSetting();
        return 'no error';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(thrown).toContain('wx.openSetting is not supported');
    expect(await phone.problems()).toContain('wx.openSetting');
    await phone.close();
  }, 30_000);

  it('shows modals and toasts as WeChat draws them, and keeps storage per person', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-wei-li');
    type Wx = {
      showModal(o: object): Promise<{ confirm: boolean }>;
      showToast(o: object): void;
      setStorageSync(k: string, v: unknown): void;
      getStorageSync(k: string): unknown;
    };
    const answer = phone.inFrame(() =>
      (globalThis as unknown as { wx: Wx }).wx.showModal({ title: '提示', content: '确定吗？' }),
    );
    await phone.page.locator('#modal-confirm').click();
    expect(await answer).toMatchObject({ errMsg: 'showModal:ok', confirm: true, cancel: false });
    await phone.inFrame(() => (globalThis as unknown as { wx: Wx }).wx.showToast({ title: '已保存', icon: 'success' }));
    expect(await phone.page.locator('#toast').textContent()).toContain('已保存');

    await phone.inFrame(() => (globalThis as unknown as { wx: Wx }).wx.setStorageSync('draft', { plate: '桂AK6N88' }));
    expect(await phone.inFrame(() => (globalThis as unknown as { wx: Wx }).wx.getStorageSync('draft'))).toEqual({
      plate: '桂AK6N88',
    });
    await phone.switchUser('demo-li-ming');
    expect(await phone.inFrame(() => (globalThis as unknown as { wx: Wx }).wx.getStorageSync('draft'))).toBe('');
    expect(await phone.problems()).toBe('');
    await phone.close();
  }, 30_000);
});
