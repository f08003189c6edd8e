/**
 * @jest-environment jsdom
 */
// Electronic policy: an own car and an insurer chosen, the policies shown; other insurers answered "暂只支持平安保险".
import type { ActionResult } from '../../miniprogram/domain/api';
import { loadPage } from '../helpers/simulate';
import { byAction, fail, ok, vehicle } from './fixtures';

const INSURANCE = 'pages/insurance/policy/index';

const RESULT: ActionResult<'insurance', 'policy'> = {
  insurer: 'pingan',
  insurerName: '平安保险',
  plate: '桂A12345',
  sandbox: true,
  policies: [
    {
      policyNo: 'PA20264501JQX12345678',
      type: 'compulsory',
      startDate: '2026-03-02',
      endDate: '2027-03-01',
      status: 'active',
      plate: '桂A12345',
      vin: 'LSV**********3456',
      model: '上汽大众 朗逸',
    },
    {
      policyNo: 'PA20264501SYX12345678',
      type: 'commercial',
      startDate: '2025-03-02',
      endDate: '2026-03-01',
      status: 'expired',
      plate: '桂A12345',
      vin: '',
      model: '上汽大众 朗逸',
    },
  ],
};

function cars() {
  return byAction('vehicle', {
    list: () =>
      ok({ vehicles: [vehicle('桂A12345'), vehicle('桂AB2C34', { relation: 'other' }), vehicle('桂AD12345')] }),
  });
}

describe('insurance page', () => {
  it('offers only my own cars, asks Ping An for the chosen one, shows each policy and the sandbox label', async () => {
    const page = await loadPage(INSURANCE, {
      cloud: { vehicle: cars(), insurance: byAction('insurance', { policy: () => ok(RESULT) }) },
    });
    expect(page.data['cars']).toEqual([
      { label: '桂A12345', value: '桂A12345' },
      { label: '桂AD12345', value: '桂AD12345' },
    ]);
    expect(page.text()).toContain('平安保险');
    expect(page.text()).toContain('中国人保财险');

    await page.tap('#query');
    expect(page.cloudCalls.at(-1)).toEqual({
      name: 'insurance',
      data: { action: 'policy', plate: '桂A12345', insurer: 'pingan' },
    });
    expect(page.text('#sandbox')).toContain('沙箱 SANDBOX');
    expect(page.text('#heading')).toBe('平安保险 · 桂A12345');
    expect(page.text('#policy-0')).toContain('交强险');
    expect(page.text('#policy-0')).toContain('PA20264501JQX12345678');
    expect(page.text('#policy-0')).toContain('2026-03-02 至 2027-03-01');
    expect(page.text('#policy-0')).toContain('保障中');
    expect(page.text('#policy-0')).toContain('LSV**********3456');
    expect(page.text('#policy-0')).toContain('上汽大众 朗逸');
    expect(page.text('#policy-1')).toContain('商业险');
    expect(page.text('#policy-1')).toContain('已过期');
    expect(page.text('#policy-1')).not.toContain('车架号');
  });

  it("another insurer is answered with the function's sentence; another car and no policy too", async () => {
    const page = await loadPage(INSURANCE, {
      cloud: {
        vehicle: cars(),
        insurance: byAction('insurance', {
          policy: (data) =>
            data['insurer'] !== 'pingan'
              ? fail('INSURER_NOT_SUPPORTED')
              : data['plate'] === '桂AD12345'
                ? fail('NOT_FOUND', '未在平安保险查询到该车辆的保单。')
                : ok(RESULT),
        }),
      },
    });
    await page.emit('#insurer', 'change', { value: 'picc' });
    await page.tap('#query');
    expect(page.cloudCalls.at(-1)).toEqual({
      name: 'insurance',
      data: { action: 'policy', plate: '桂A12345', insurer: 'picc' },
    });
    expect(page.text('#query-error')).toContain('暂只支持平安保险。');
    expect(page.has('#policy-0')).toBe(false);

    await page.emit('#insurer', 'change', { value: 'pingan' });
    await page.emit('#car', 'change', { value: '桂AD12345' });
    expect(page.has('#query-error')).toBe(false);
    await page.tap('#query');
    expect(page.cloudCalls.at(-1)).toEqual({
      name: 'insurance',
      data: { action: 'policy', plate: '桂AD12345', insurer: 'pingan' },
    });
    expect(page.text('#query-error')).toContain('未在平安保险查询到该车辆的保单。');
  });

  it('without an own car there is nothing to ask: bind one first', async () => {
    const page = await loadPage(INSURANCE, {
      cloud: {
        vehicle: byAction('vehicle', { list: () => ok({ vehicles: [vehicle('桂AB2C34', { relation: 'other' })] }) }),
      },
    });
    expect(page.text('#no-cars')).toContain('只能查询您本人名下的车辆');
    await page.tap('#bind-car');
    expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/vehicle/list/index' }));
    expect(page.cloudCalls).toEqual([{ name: 'vehicle', data: { action: 'list' } }]);
  });
});
