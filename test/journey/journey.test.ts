/**
 * @jest-environment jsdom
 */
// The driver's journey, from an empty database to a paid batch, through the pages themselves: every cloud call the
// pages make goes to a fresh local cloud's /functions (the real cloud functions), the face scans and the payment are
// answered by its sandboxes, and the police registry is filled through the admin function's imports.
//
// 黄伟 (driver A) has no car of his own; 王芳 (the owner) owns 桂AK7E35, which has four camera violations: three may
// be processed online, one (a fine over 200 yuan) may not. Both register with a face scan, 王芳 binds her car,
// 黄伟 asks to drive it, 王芳 approves from the shared card with her face, 黄伟 processes two violations and pays.
// Each step is one test and needs the ones before it; they run in order on one local cloud.
import { ELIGIBILITY_REASON_TEXT } from '../../miniprogram/domain/violation/eligibility';
import { maskName } from '../../miniprogram/domain/account/id-number';
import { makeIdNumber, type ViolationRow } from '../../scripts/seed/nanning';
import { useLocalCloud } from '../helpers/local-cloud';
import { policeOf } from '../helpers/police';
import type { Loaded } from '../helpers/simulate';
import { closeScreen, Phone, wentTo } from './phone';
import type { ImportResult } from '../../cloudfunctions/_shared/police/contract';
import type { OrderItem } from '../../miniprogram/domain/payment/contract';
import type { ViolationItem } from '../../miniprogram/domain/violation/contract';
import { match } from '../helpers/matchers';

const ROUTES = {
  home: '/pages/home/index/index',
  register: '/pages/account/register/index',
  vehicles: '/pages/vehicle/list/index',
  bind: '/pages/vehicle/bind/index',
  requests: '/pages/vehicle/requests/index',
  violations: '/pages/violation/list/index',
  payConfirm: '/pages/payment/confirm/index',
  payResult: '/pages/payment/result/index',
  receipts: '/pages/payment/receipts/index',
};

const STEP_TIMEOUT_MS = 20_000;

const driverA = { name: '黄伟', idNumber: makeIdNumber('450107', '1995-07-30', 13), openid: 'o-journey-huangwei' };
const owner = { name: '王芳', idNumber: makeIdNumber('450102', '1979-11-02', 42), openid: 'o-journey-wangfang' };
const CAR = { plate: '桂AK7E35', plateType: '02' as const, keys: 'K7E35' };

const DAY_MS = 86_400_000;
function violationRow(
  violationId: string,
  daysAgo: number,
  fields: Pick<ViolationRow, 'place' | 'behaviour' | 'fine' | 'points'>,
): ViolationRow {
  return {
    violationId,
    plate: CAR.plate,
    plateType: CAR.plateType,
    occurredAt: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
    source: 'camera',
    status: 'unprocessed',
    disputed: false,
    ...fields,
  };
}

const SOLID_LINE = violationRow('VJ0000000001', 12, {
  place: '南宁市青秀区民族大道与桃源路交叉口',
  behaviour: '机动车违反禁止标线指示的',
  fine: 10_000,
  points: 1,
});
const WRONG_LANE = violationRow('VJ0000000002', 9, {
  place: '南宁市西乡塘区大学东路与明秀路交叉口',
  behaviour: '机动车不按规定车道行驶的',
  fine: 20_000,
  points: 3,
});
const PARKING = violationRow('VJ0000000003', 6, {
  place: '南宁市兴宁区朝阳路',
  behaviour: '机动车违反规定停放、临时停车，驾驶人不在现场的',
  fine: 15_000,
  points: 0,
});
const SPEEDING = violationRow('VJ0000000004', 3, {
  place: '南宁市良庆区五象大道',
  behaviour: '驾驶机动车超过规定时速百分之二十以上未达到百分之五十的',
  fine: 50_000,
  points: 6,
});
const PICKED = [SOLID_LINE, WRONG_LANE];

const cloud = useLocalCloud();
const phoneA = new Phone(cloud, driverA.openid);
const phoneOwner = new Phone(cloud, owner.openid);

/** What the steps hand on to the next ones. */
const story = {
  carsUrlA: '',
  requestUrl: '',
  requestId: '',
  decisionNo: '',
  confirmUrl: '',
  orderId: '',
  journeyStart: 0,
};

afterAll(() => closeScreen());

/** One step of the story: a test that is skipped with a clear message when an earlier step failed. */
let brokenAt = '';
function step(title: string, body: () => Promise<void>): void {
  it(
    title,
    async () => {
      if (brokenAt !== '') throw new Error(`not run: the journey broke at "${brokenAt}"`);
      try {
        await body();
      } catch (error) {
        brokenAt = title;
        throw error;
      }
    },
    STEP_TIMEOUT_MS,
  );
}

async function admin(action: string, rows: unknown[]): Promise<void> {
  const { status, body } = await cloud().call<{ ok: boolean; data?: ImportResult }>('admin', {
    action,
    credential: await policeOf(cloud()).credentialFor(action),
    rows,
  });
  expect([action, status, body.ok, body.data?.errors]).toEqual([action, 200, true, []]);
  expect(body.data?.inserted).toBe(rows.length);
}

/** A function's answer as `who`, outside the pages (the final checks). */
async function data<T>(name: string, event: Record<string, unknown>, who: { openid: string }): Promise<T> {
  const { status, body } = await cloud().call<{ ok: boolean; data: T }>(name, event, who.openid);
  expect([status, body.ok]).toEqual([200, true]);
  return body.data;
}

async function typePlate(page: Loaded, keys: string): Promise<void> {
  for (const key of keys) await page.tap(`#plate >>> #key-${key}`);
}

/** Registration with a face scan on the register page, reached from the home page of an unregistered user. */
async function register(phone: Phone, person: { name: string; idNumber: string }): Promise<Loaded> {
  const home = await phone.open(ROUTES.home);
  expect(home.text()).toContain('您还未注册');
  await home.tap('#verify');

  const page = await phone.open(wentTo(home, 'navigateTo', ROUTES.register));
  expect(page.text()).toContain('个人信息处理说明');
  await page.emit('#name', 'change', { value: person.name });
  await page.emit('#id-number', 'change', { value: person.idNumber });
  expect(page.data['idNumberError']).toBe('');
  await page.tap('#consent');
  await page.tap('#submit');

  expect(page.text('#verified')).toContain('实名认证已完成');
  expect(page.text('#verified')).toContain(maskName(person.name));
  expect(page.text()).not.toContain(person.idNumber);
  const user = phone.exchanges.filter((e) => e.name === 'user').map((e) => e.data['action']);
  expect(user.slice(-4)).toEqual(['profile', 'register', 'startFaceVerify', 'confirmFaceVerify']);
  const started = phone.exchanges.find((e) => e.data['action'] === 'startFaceVerify');
  expect(started?.data).toMatchObject({ name: person.name, idNumber: person.idNumber, purpose: 'real-person' });
  expect(phone.requestFacialVerify).toHaveBeenCalledTimes(1);
  expect(phone.sandboxReplies).toEqual([
    expect.objectContaining({ status: 200, body: match.objectContaining({ verifyRet: 10000 }) }),
  ]);

  return page;
}

describe('journey: from an empty database to a paid batch, through the pages', () => {
  step('the police system imports two licence holders, the owner’s car and its camera violations', async () => {
    // empty: the functions know nobody yet
    const { body } = await cloud().call<{ ok: boolean; code?: string }>('user', { action: 'profile' }, driverA.openid);
    expect(body).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });

    const licence = {
      licenceClass: 'C1',
      firstIssueDate: '2015-03-01',
      validUntil: '2035-03-01',
      status: 'valid',
      cyclePoints: 0,
    };
    await admin('importDrivers', [
      { idNumber: driverA.idNumber, name: driverA.name, ...licence },
      { idNumber: owner.idNumber, name: owner.name, ...licence },
    ]);
    await admin('importVehicles', [
      { plate: CAR.plate, plateType: CAR.plateType, ownerIdNumber: owner.idNumber, ownerName: owner.name },
    ]);
    await admin('importViolations', [SOLID_LINE, WRONG_LANE, PARKING, SPEEDING]);
  });

  step('1. driver A registers: name, ID number, consent, face scan in the face sandbox, verified', async () => {
    const registered = await register(phoneA, driverA);
    await registered.tap('#bind-car');
    story.carsUrlA = wentTo(registered, 'navigateTo', ROUTES.vehicles);
  });

  step('2. the owner registers the same way and binds her own car with the plate keyboard', async () => {
    const registered = await register(phoneOwner, owner);
    await registered.tap('#bind-car');

    const cars = await phoneOwner.open(wentTo(registered, 'navigateTo', ROUTES.vehicles));
    expect(cars.text()).toContain('暂无本人名下车辆');
    await cars.tap('#bind-own');

    const bind = await phoneOwner.open(wentTo(cars, 'navigateTo', ROUTES.bind));
    expect(bind.data['mode']).toBe('own');
    await typePlate(bind, CAR.keys);
    expect(bind.data['plate']).toBe(CAR.plate);
    await bind.tap('#submit');

    expect(phoneOwner.exchanges[phoneOwner.exchanges.length - 1]?.data).toEqual({
      action: 'bindOwn',
      plate: CAR.plate,
      plateType: CAR.plateType,
    });
    expect(bind.text('#bound')).toContain('绑定成功');
    expect(bind.text('#bound')).toContain(CAR.plate);

    // alone on the simulator's page stack, "back to my cars" relaunches the list instead of going back to it
    await bind.tap('#back');
    const back = await phoneOwner.open(wentTo(bind, 'reLaunch', ROUTES.vehicles));
    expect(back.text(`#own-${CAR.plate.slice(1)}`)).toContain(CAR.plate);
  });

  step(
    "3. driver A asks to drive the owner's car: plate keyboard, owner's name, request shared as a card",
    async () => {
      const cars = await phoneA.open(story.carsUrlA);
      expect(cars.text()).toContain('暂无他人车辆');
      await cars.tap('#bind-other');

      const bind = await phoneA.open(wentTo(cars, 'navigateTo', ROUTES.bind));
      expect(bind.data['mode']).toBe('other');
      expect(bind.text('#quota')).toContain('还可绑定 3 辆非本人车辆');
      await typePlate(bind, CAR.keys);
      await bind.emit('#owner-name', 'change', { value: owner.name });
      await bind.tap('#submit');

      const requested = phoneA.exchanges.find((e) => e.data['action'] === 'requestBinding');
      expect(requested?.data).toEqual({
        action: 'requestBinding',
        plate: CAR.plate,
        plateType: CAR.plateType,
        ownerName: owner.name,
      });
      expect(bind.text('#requested')).toContain('申请已提交，等待车主同意');
      expect(bind.has('#share')).toBe(true);

      const share = (bind.instance['onShareAppMessage'] as () => { title: string; path: string }).call(bind.instance);
      expect(share.title).toContain(CAR.plate);
      expect(share.path).toMatch(/^\/pages\/vehicle\/requests\/index\?requestId=./);
      story.requestUrl = share.path;
      story.requestId = decodeURIComponent(share.path.split('requestId=')[1] ?? '');
    },
  );

  step('4. the owner opens the shared card and approves with her own face scan', async () => {
    const page = await phoneOwner.open(story.requestUrl);
    const row = `#incoming-${story.requestId}`;
    expect(page.text(row)).toContain(CAR.plate);
    expect(page.text(row)).toContain(`申请人 ${maskName(driverA.name)}`);
    expect(page.text()).not.toContain(driverA.name);
    expect(page.text(row)).toContain('待授权');
    expect(page.text()).toContain('暂无其他驾驶人');

    await page.tap(`#approve-${story.requestId}`);
    // the consent dialog says what she grants; only 同意并刷脸验证 starts the scan
    expect(page.text('#consent')).toContain('解除授权');
    await page.emit('#consent-dialog', 'confirm');

    const calls = phoneOwner.exchanges.map((e) => `${e.name}.${String(e.data['action'])}`);
    expect(calls.slice(-4)).toEqual([
      'vehicle.listRequests',
      'vehicle.startAuthorize',
      'vehicle.approve',
      'vehicle.listRequests',
    ]);
    const verifyId = phoneOwner.exchanges.find((e) => e.data['action'] === 'approve')?.data['verifyId'];
    expect(phoneOwner.requestFacialVerify).toHaveBeenLastCalledWith(expect.objectContaining({ verifyId }));
    expect(phoneOwner.sandboxReplies[phoneOwner.sandboxReplies.length - 1]).toMatchObject({
      status: 200,
      body: { verifyId, verifyRet: 10000 },
    });

    expect(page.text('#notice')).toContain(`已授权，${CAR.plate} 已绑定到申请人账号。`);
    expect(page.text(row)).toContain('已授权');
    expect(page.has(`#approve-${story.requestId}`)).toBe(false);
    expect(page.text()).toContain(`${CAR.plate} · ${maskName(driverA.name)}`);
  });

  step(
    '5a. driver A sees the violations: checkboxes for the processable ones, the reason for the other, a running total',
    async () => {
      story.journeyStart = phoneA.exchanges.length;
      const home = await phoneA.open(ROUTES.home);
      expect(home.text('#verified')).toContain(maskName(driverA.name));
      expect(home.text()).toContain('我的车辆（1 辆）');
      expect(home.text()).toContain(`${CAR.plate}他人车辆`);
      expect(home.text('#todo-violations')).toContain('3 条');
      expect(home.text('#todo-violations')).toContain('罚款共 ¥450.00');
      await home.tap('#todo-violations');

      const page = await phoneA.open(wentTo(home, 'navigateTo', ROUTES.violations));
      expect(page.text()).toContain('共 4 条，本记分周期已记 0 分');
      for (const v of [SOLID_LINE, WRONG_LANE, PARKING]) {
        expect(page.has(`#pick-${v.violationId}`)).toBe(true);
        expect(page.text(`#violation-${v.violationId}`)).toContain(v.behaviour);
        expect(page.text(`#violation-${v.violationId}`)).toContain(v.place);
      }
      expect(page.has(`#pick-${SPEEDING.violationId}`)).toBe(false);
      expect(page.text(`#violation-${SPEEDING.violationId}`)).toContain('罚款 ¥500.00');
      expect(page.text(`#reasons-${SPEEDING.violationId}`)).toContain(ELIGIBILITY_REASON_TEXT.FINE_OVER_LIMIT.message);
      expect(page.text(`#reasons-${SPEEDING.violationId}`)).toContain(ELIGIBILITY_REASON_TEXT.FINE_OVER_LIMIT.whatToDo);

      await page.tap(`#pick-${SOLID_LINE.violationId}`);
      expect(page.text('#totals')).toContain('已选 1 条 · 记 1 分');
      await page.tap(`#pick-${WRONG_LANE.violationId}`);
      expect(page.text('#totals')).toContain('已选 2 条 · 记 4 分');
      expect(page.text('#totals')).toContain('罚款 ¥300.00 · 滞纳金 ¥0.00 · 合计 ¥300.00');
      expect(page.has('#warning')).toBe(false);

      await page.tap('#submit');
      expect(page.data['confirmVisible']).toBe(true);
      expect(page.data['confirmContent']).toContain('共 2 条违法，罚款 ¥300.00，记 4 分，处理后本记分周期累计 4 分');
      expect(page.text('#confirm-dialog >>> .t-dialog__header')).toBe('确认接受处理');
      expect(page.text('#confirm-dialog >>> .t-dialog__body')).toContain('共 2 条违法，罚款 ¥300.00，记 4 分');
      await page.tap('#confirm-dialog >>> .t-dialog__button--confirm');

      const processed = phoneA.exchanges.find((e) => e.data['action'] === 'process');
      expect(processed?.data).toEqual({ action: 'process', violationIds: PICKED.map((v) => v.violationId), pay: true });
      // the decision comes with today's payment order, so paying it needs no call of its own
      expect(processed?.result).toMatchObject({ ok: true, data: { amount: 30_000, order: { amount: 30_000 } } });
      story.decisionNo = (processed?.result as { data: { decisionNo: string } }).data.decisionNo;
      story.confirmUrl = wentTo(page, 'navigateTo', ROUTES.payConfirm);
    },
  );

  step(
    '5b. confirm and pay: the decision, then WeChat Pay (pay sandbox → payCallback), then the result page shows paid',
    async () => {
      const confirm = await phoneA.open(story.confirmUrl);
      expect(story.decisionNo).toMatch(/^\d{16}$/);
      expect(confirm.text('#decision-no')).toContain(story.decisionNo);
      expect(confirm.text('#count')).toContain('2 条');
      expect(confirm.text('#points')).toContain('4 分');
      expect(confirm.text('#amount')).toContain('¥300.00');
      expect(confirm.has('#due')).toBe(true);

      await confirm.tap('#pay');

      // the order came with the decision: paying opens WeChat Pay without another call
      expect(phoneA.exchanges.filter((e) => e.data['action'] === 'pay' || e.data['action'] === 'create')).toEqual([]);
      const processed = phoneA.exchanges.find((e) => e.data['action'] === 'process');
      const order = (
        processed?.result as { data: { order: { orderId: string; outTradeNo: string; payment: { package: string } } } }
      ).data.order;
      expect(phoneA.requestPayment).toHaveBeenCalledWith(expect.objectContaining({ package: order.payment.package }));
      expect(phoneA.sandboxReplies[phoneA.sandboxReplies.length - 1]).toMatchObject({
        path: `pay/${order.outTradeNo}`,
        status: 200,
        body: { tradeState: 'SUCCESS', delivered: true, acknowledged: true },
      });
      expect(confirm.has('#error')).toBe(false);
      story.orderId = order.orderId;

      const result = await phoneA.open(wentTo(confirm, 'redirectTo', ROUTES.payResult));
      // the callback has landed before WeChat said paid, so the first poll (at 0 ms) already answers; allow a few more
      for (let i = 0; i < 40 && result.data['phase'] === 'checking'; i += 1)
        await new Promise((r) => setTimeout(r, 50));
      expect(result.data['phase']).toBe('final');
      expect(result.text('#outcome')).toContain('缴款成功');
      expect(result.text()).toContain('¥300.00');
      expect(result.text()).toContain('缴款时间');
      const statusCalls = phoneA.exchanges.filter((e) => e.name === 'violation' && e.data['action'] === 'payStatus');
      expect(statusCalls[statusCalls.length - 1]?.result).toMatchObject({
        ok: true,
        data: { orderId: order.orderId, status: 'paid' },
      });

      await result.tap('#receipts');
      const receipts = await phoneA.open(wentTo(result, 'redirectTo', ROUTES.receipts));
      expect(receipts.text()).toContain('共 1 笔');
      const row = receipts.text(`#receipt-${story.orderId}`);
      expect(row).toContain(`决定书 ${story.decisionNo}`);
      expect(row).toContain('¥300.00');
      expect(row).toContain('已缴款');

      // home → violations → process → pay → result → receipts: one call a screen, all of them to two functions
      const journey = phoneA.exchanges.slice(story.journeyStart).map((e) => `${e.name}.${String(e.data['action'])}`);
      expect(journey).toEqual([
        'user.home',
        'violation.list',
        'violation.process',
        'violation.payStatus',
        'violation.payments',
      ]);
    },
  );

  step(
    'the functions agree: both violations paid, the rest untouched, the order paid, no page call failed unexpectedly',
    async () => {
      const { violations } = await data<{ violations: ViolationItem[] }>('violation', { action: 'list' }, driverA);
      const status = Object.fromEntries(violations.map((v) => [v.id, v.status]));
      expect(status).toEqual({
        [SOLID_LINE.violationId]: 'paid',
        [WRONG_LANE.violationId]: 'paid',
        [PARKING.violationId]: 'unprocessed',
        [SPEEDING.violationId]: 'unprocessed',
      });
      for (const v of violations.filter((x) => x.status === 'paid')) expect(v.decisionNo).toBe(story.decisionNo);

      // the owner sees the same car's violations paid
      const ownerView = await data<{ violations: ViolationItem[] }>(
        'violation',
        { action: 'list', plate: CAR.plate },
        owner,
      );
      expect(
        ownerView.violations
          .filter((v) => v.status === 'paid')
          .map((v) => v.id)
          .sort(),
      ).toEqual(PICKED.map((v) => v.violationId));

      const paid = await data<{ status: string; amount?: number }>(
        'payment',
        { action: 'status', orderId: story.orderId },
        driverA,
      );
      expect(paid).toMatchObject({ status: 'paid', amount: 30_000 });
      const { orders } = await data<{ orders: OrderItem[] }>('payment', { action: 'list' }, driverA);
      expect(orders.map((o) => [o.orderId, o.status, o.decisionNo])).toEqual([
        [story.orderId, 'paid', story.decisionNo],
      ]);

      // the only refusals the pages met: "not registered yet" on the first home and register pages
      expect(phoneA.failures()).toEqual(['user.home: UNAUTHENTICATED', 'user.profile: UNAUTHENTICATED']);
      expect(phoneOwner.failures()).toEqual(['user.home: UNAUTHENTICATED', 'user.profile: UNAUTHENTICATED']);
    },
  );
});
