/**
 * @jest-environment jsdom
 */
// My cars, binding one's own car, asking to bind someone else's with the plate keyboard, unbinding.
import { loadComponent, loadPage, type Loaded } from '../helpers/simulate';
import { byAction, fail, next, ok, request, vehicle } from './fixtures';

const LIST = 'pages/vehicle/list/index';
const BIND = 'pages/vehicle/bind/index';
const KEYBOARD = 'components/plate-keyboard/index';

async function typePlate(page: Loaded, keys: string, within = '#plate >>> '): Promise<void> {
  for (const key of keys) await page.tap(`${within}#key-${key}`);
}

describe('plate keyboard', () => {
  it('keeps 桂A fixed and refuses I, O and an 8th character of a blue plate', async () => {
    const page = await loadPage(BIND, {
      query: { mode: 'other' },
      cloud: { vehicle: byAction('vehicle', { list: () => ok({ vehicles: [] }) }) },
    });
    expect(page.data['plate']).toBe('桂A');

    await page.tap('#plate >>> #key-I');
    await page.tap('#plate >>> #key-O');
    await page.tap('#plate >>> #key-delete'); // 桂A cannot be deleted
    expect(page.data['plate']).toBe('桂A');

    await typePlate(page, 'B1234');
    expect(page.data['plate']).toBe('桂AB1234');
    expect(page.data['plateComplete']).toBe(true);
    await page.tap('#plate >>> #key-5');
    expect(page.data['plate']).toBe('桂AB1234');

    await page.tap('#plate >>> #key-delete');
    expect(page.data['plate']).toBe('桂AB123');
    expect(page.data['plateComplete']).toBe(false);
  });

  it('a green plate takes 8: D/F-series letter, then a letter or digit, then digits only; no 9th', async () => {
    const kb = await loadComponent(KEYBOARD, { plateType: '52', value: '桂A' });
    const changes: unknown[] = [];
    // j-component's root takes listeners for the component's own events (not in the helper's types)
    const root = kb.root as unknown as {
      addEventListener(name: string, listener: (e: { detail: unknown }) => void): void;
    };
    root.addEventListener('change', (e) => changes.push(e.detail));

    await kb.tap('#key-1'); // a digit cannot follow 桂A on a small new-energy plate
    await kb.tap('#key-M');
    expect(kb.data['typed']).toBe('桂A');

    await typePlate(kb, 'DA', '');
    await kb.tap('#key-B'); // digits only from the 5th character
    await typePlate(kb, '2345', '');
    expect(kb.data['typed']).toBe('桂ADA2345');
    expect(kb.data['complete']).toBe(true);
    await kb.tap('#key-6');
    expect(kb.data['typed']).toBe('桂ADA2345');
    expect(changes[changes.length - 1]).toEqual({ value: '桂ADA2345', complete: true });
  });

  it('switching a green plate to a blue one keeps what still fits', async () => {
    const page = await loadPage(BIND, { query: { mode: 'own' } });
    await page.emit('#plate-type', 'change', { value: '52' });
    await typePlate(page, 'D12345');
    expect(page.data['plate']).toBe('桂AD12345');

    await page.emit('#plate-type', 'change', { value: '02' });
    expect(page.data['plateType']).toBe('02');
    expect(page.data['plate']).toBe('桂AD1234');
    expect(page.data['plateComplete']).toBe(true);
  });
});

describe('bind page', () => {
  it("lists the cars the registry has in the caller's name; one tap binds one, a bound one says 已绑定", async () => {
    const page = await loadPage(BIND, {
      query: { mode: 'own' },
      cloud: {
        vehicle: byAction('vehicle', {
          ownCars: () =>
            ok({
              cars: [
                { plate: '桂AB2C34', plateType: '02', bound: false },
                { plate: '桂AF35678', plateType: '52', bound: true },
              ],
            }),
          bindOwn: (d) => ok(vehicle(d.plate)),
        }),
      },
    });
    expect(page.text('#own-car-AB2C34')).toContain('小型汽车 · 蓝牌');
    expect(page.text('#own-car-AF35678')).toContain('小型新能源汽车 · 绿牌');
    expect(page.text('#bound-AF35678')).toContain('已绑定');
    expect(page.has('#bind-AF35678')).toBe(false);

    await page.tap('#bind-AB2C34');

    expect(page.cloudCalls).toEqual([
      { name: 'vehicle', data: { action: 'ownCars' } },
      { name: 'vehicle', data: { action: 'bindOwn', plate: '桂AB2C34', plateType: '02' } },
    ]);
    expect(page.text('#bound')).toContain('绑定成功');
    expect(page.text('#bound')).toContain('桂AB2C34');
  });

  it("a one-tap bind the server refuses shows its sentence under the list; no car in one's name says so", async () => {
    const page = await loadPage(BIND, {
      query: { mode: 'own' },
      cloud: {
        vehicle: byAction('vehicle', {
          ownCars: () => ok({ cars: [{ plate: '桂AB2C34', plateType: '02', bound: false }] }),
          bindOwn: () => fail('ALREADY_BOUND'),
        }),
      },
    });
    await page.tap('#bind-AB2C34');
    expect(page.text('#list-notice')).toContain('已经绑定');
    expect(page.has('#bound')).toBe(false);

    const none = await loadPage(BIND, {
      query: { mode: 'own' },
      cloud: { vehicle: byAction('vehicle', { ownCars: () => ok({ cars: [] }) }) },
    });
    expect(none.text('#own-cars-empty')).toContain('您名下没有可绑定的桂A小型汽车');
  });

  it("binds one's own car by typing its plate", async () => {
    const page = await loadPage(BIND, {
      query: { mode: 'own' },
      cloud: {
        vehicle: byAction('vehicle', { ownCars: () => ok({ cars: [] }), bindOwn: (d) => ok(vehicle(d.plate)) }),
      },
    });
    await page.tap('#submit'); // disabled until the plate is complete
    expect(page.cloudCalls.map((c) => c.data['action'])).toEqual(['ownCars']);

    await typePlate(page, '12345');
    await page.tap('#submit');

    expect(page.cloudCalls).toEqual([
      { name: 'vehicle', data: { action: 'ownCars' } },
      { name: 'vehicle', data: { action: 'bindOwn', plate: '桂A12345', plateType: '02' } },
    ]);
    expect(page.text('#bound')).toContain('绑定成功');
  });

  it("a plate not in the registry or not the caller's is the server's sentence", async () => {
    const page = await loadPage(BIND, {
      query: { mode: 'own' },
      cloud: { vehicle: byAction('vehicle', { ownCars: () => ok({ cars: [] }), bindOwn: () => fail('NOT_OWNER') }) },
    });
    await typePlate(page, '12345');
    await page.tap('#submit');
    expect(page.text('#notice')).toContain('您不是该车辆的所有人');
  });

  it("asks to bind someone else's car with the owner's name, shows the quota, and shares the request to the owner", async () => {
    const page = await loadPage(BIND, {
      query: { mode: 'other' },
      cloud: {
        vehicle: byAction('vehicle', {
          list: () => ok({ vehicles: [vehicle('桂A11111', { relation: 'other' }), vehicle('桂A22222')] }),
          requestBinding: () => ok({ requestId: 'req-9', expiresAt: '2025-09-02T10:00:00+08:00' }),
        }),
      },
    });
    expect(page.text('#quota')).toContain('还可绑定 2 辆非本人车辆');

    await typePlate(page, '12345');
    await page.emit('#owner-name', 'change', { value: '李四' });
    await page.tap('#submit');

    expect(page.cloudCalls[1]).toEqual({
      name: 'vehicle',
      data: { action: 'requestBinding', plate: '桂A12345', plateType: '02', ownerName: '李四' },
    });
    expect(page.text('#requested')).toContain('等待车主同意');
    // waiting is not an error: a neutral time icon, and the expiry the server set
    expect(page.get('#requested').querySelector('.t-result--theme-default')).toBeTruthy();
    expect(page.get('#requested').querySelector('.t-result--theme-warning')).toBeFalsy();
    expect(page.text('#request-expiry')).toContain('2025-09-02 10:00');
    expect(page.has('#share')).toBe(true);
    const share = (page.instance['onShareAppMessage'] as () => { path: string; title: string }).call(page.instance);
    expect(share.path).toBe('/pages/vehicle/requests/index?requestId=req-9');
    expect(share.title).toContain('桂A12345');
  });

  it("checks the owner's name before sending, and refuses at the quota", async () => {
    const page = await loadPage(BIND, {
      query: { mode: 'other' },
      cloud: {
        vehicle: byAction('vehicle', {
          list: () =>
            ok({ vehicles: ['桂A11111', '桂A22222', '桂A33333'].map((p) => vehicle(p, { relation: 'other' })) }),
        }),
      },
    });
    expect(page.text('#quota')).toContain('已达上限');
    await typePlate(page, '12345');
    await page.tap('#submit');
    expect(page.cloudCalls.map((c) => c.data['action'])).toEqual(['list']);

    page.instance.setData({ quotaLeft: 1 });
    await page.emit('#owner-name', 'change', { value: '' });
    await page.tap('#submit');
    expect(page.text()).toContain('请输入机动车所有人姓名');
    expect(page.cloudCalls.map((c) => c.data['action'])).toEqual(['list']);
  });

  it('each refusal of a request is shown as its sentence', async () => {
    const refusals = [
      ['OWNER_MISMATCH', '机动车所有人姓名与登记信息不一致'],
      ['DRIVER_QUOTA_EXCEEDED', '最多可以绑定 3 辆非本人名下的车辆'],
      ['VEHICLE_QUOTA_EXCEEDED', '该车辆已被 3 名其他驾驶人绑定'],
      ['PLATE_NOT_SUPPORTED', '仅支持桂A号牌'],
      ['OWN_VEHICLE', '请直接绑定本人车辆'],
      ['NOT_VERIFIED', '请先完成实名认证'],
    ] as const;
    const answers = refusals.map(([code]) => fail(code));
    const page = await loadPage(BIND, {
      query: { mode: 'other' },
      cloud: {
        vehicle: byAction('vehicle', { list: () => ok({ vehicles: [] }), requestBinding: () => next(answers) }),
      },
    });
    await typePlate(page, '12345');
    await page.emit('#owner-name', 'change', { value: '李四' });
    for (const [code, sentence] of refusals) {
      await page.tap('#submit');
      expect([code, page.text('#notice')]).toEqual([code, expect.stringContaining(sentence)]);
    }
  });
});

describe('my cars page', () => {
  const NO_REQUESTS = { incoming: [], outgoing: [] };
  const screen = () =>
    ok({
      vehicles: [
        vehicle('桂A12345', { inspectionDue: '2026-03-31' }),
        vehicle('桂AD12345', { relation: 'other', ownerName: '王*' }),
      ],
      requests: {
        incoming: [],
        outgoing: [
          request('r1', { plate: '桂A77777' }),
          request('r2', { plate: '桂A88888', status: 'rejected' }),
          request('r3', { status: 'approved', plate: '桂AD12345' }),
        ],
      },
    });

  it("lists own and others' cars with their state, outgoing requests, the quota", async () => {
    const page = await loadPage(LIST, {
      cloud: { vehicle: byAction('vehicle', { screen }) },
    });
    // one call for the cars and the requests
    expect(page.cloudCalls).toEqual([{ name: 'vehicle', data: { action: 'screen' } }]);

    expect(page.text('#own-A12345')).toContain('年检有效期至 2026-03-31');
    expect(page.text('#other-AD12345')).toContain('车主 王* 已授权');
    expect(page.text()).toContain('还可绑定 2 辆非本人车辆');
    expect(page.text('#request-r1')).toContain('等待车主授权');
    expect(page.text('#request-r2')).toContain('车主已拒绝');
    expect(page.has('#request-r3')).toBe(false);

    await page.tap('#bind-other');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/vehicle/bind/index?mode=other' }),
    );
    // WeChat hands onShareAppMessage the native button inside t-button: its dataset is t-button's custom-dataset
    const inner = page.get('#share-r1').querySelector('.t-button');
    expect(inner?.dom?.getAttribute('data-custom')).toBe('r1');
    const share = (page.instance['onShareAppMessage'] as (o: unknown) => { path: string; title: string }).call(
      page.instance,
      {
        from: 'button',
        target: { dataset: { custom: 'r1' } },
      },
    );
    expect(share.path).toBe('/pages/vehicle/requests/index?requestId=r1');
    expect(share.title).toContain('桂A77777');
  });

  it('unbinds only after the confirmation dialog', async () => {
    let unbound = false;
    const page = await loadPage(LIST, {
      cloud: {
        vehicle: byAction('vehicle', {
          screen: () => (unbound ? ok({ vehicles: [vehicle('桂A12345')], requests: NO_REQUESTS }) : screen()),
          unbind: () => {
            unbound = true;
            return ok({ plate: '桂AD12345' });
          },
        }),
      },
    });
    await page.tap('#unbind-AD12345');
    expect(page.data['dialogVisible']).toBe(true);
    expect(page.text()).toContain('解绑后将不能再查询和处理 桂AD12345 的违法');

    await page.emit('#unbind-dialog', 'cancel');
    expect(page.cloudCalls.filter((c) => c.data['action'] === 'unbind')).toEqual([]);

    await page.tap('#unbind-AD12345');
    await page.emit('#unbind-dialog', 'confirm');
    expect(page.cloudCalls.filter((c) => c.data['action'] === 'unbind')).toEqual([
      { name: 'vehicle', data: { action: 'unbind', plate: '桂AD12345' } },
    ]);
    expect(page.text('#notice')).toContain('已解绑 桂AD12345');
    expect(page.has('#other-AD12345')).toBe(false);
  });

  it('sends an unverified user to verification, and shows empty lists', async () => {
    const failing = await loadPage(LIST, { cloud: { vehicle: () => fail('NOT_VERIFIED') } });
    expect(failing.text('#load-error')).toContain('请先完成实名认证');
    await failing.tap('#verify');
    expect(failing.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/account/register/index' }),
    );

    const empty = await loadPage(LIST, {
      cloud: {
        vehicle: byAction('vehicle', {
          screen: () => ok({ vehicles: [], requests: NO_REQUESTS }),
        }),
      },
    });
    expect(empty.text()).toContain('暂无本人名下车辆');
    expect(empty.text()).toContain('暂无他人车辆');
    expect(empty.text()).toContain('还可绑定 3 辆非本人车辆');
  });
});
