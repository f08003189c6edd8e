/**
 * @jest-environment jsdom
 */
// Tow query: my bound cars to pick from, where the chosen one was towed, navigation to the yard.
import type { ActionResult } from '../../miniprogram/domain/api';
import { loadPage } from '../helpers/simulate';
import { byAction, fail, next, ok, vehicle } from './fixtures';

const TOW = 'pages/tow/query/index';

const TOWED: ActionResult<'tow', 'query'>['tow'] = {
  plate: '桂A12345',
  plateType: '02',
  towedAt: '2026-11-20T21:40:00+08:00',
  yardName: '南宁市交警支队青秀区清障停车场',
  yardAddress: '南宁市青秀区竹溪大道 258 号',
  latitude: 22.82463,
  longitude: 108.35811,
  fee: 30000,
  yardHours: '24 小时',
  yardPhone: '0771-5550188',
};

const NO_TOW = () => fail('NOT_FOUND', '未查询到该车辆被拖移的记录。');

describe('tow query page', () => {
  it('looks up my first car at once, shows the yard and fee, and navigates there', async () => {
    const openLocation = jest.fn((o: { success?: (r: unknown) => void }) => setTimeout(() => o.success?.({}), 0));
    const page = await loadPage(TOW, {
      wx: { openLocation },
      cloud: {
        vehicle: byAction('vehicle', {
          list: () => ok({ vehicles: [vehicle('桂A12345'), vehicle('桂AB2C34', { relation: 'other' })] }),
        }),
        tow: byAction('tow', { query: (data) => (data['plate'] === '桂A12345' ? ok({ tow: TOWED }) : NO_TOW()) }),
      },
    });

    expect(page.cloudCalls).toEqual([
      { name: 'vehicle', data: { action: 'list' } },
      { name: 'tow', data: { action: 'query', plate: '桂A12345' } },
    ]);
    expect(page.data['cars']).toEqual([
      { label: '桂A12345（本人车辆）', value: '桂A12345' },
      { label: '桂AB2C34（他人车辆）', value: '桂AB2C34' },
    ]);
    expect(page.text('#towed')).toContain('桂A12345 已被拖移至停车场');
    expect(page.text('#towed-at')).toContain('2026-11-20 21:40');
    expect(page.text('#yard')).toContain('南宁市交警支队青秀区清障停车场');
    expect(page.text('#yard')).toContain('竹溪大道 258 号');
    expect(page.text('#fee')).toContain('¥300.00');
    expect(page.text('#hours')).toContain('24 小时');

    await page.tap('#navigate');
    expect(openLocation).toHaveBeenCalledTimes(1);
    expect(openLocation.mock.calls[0]?.[0]).toMatchObject({
      latitude: 22.82463,
      longitude: 108.35811,
      name: TOWED.yardName,
      address: TOWED.yardAddress,
    });
  });

  it('another car without a tow says so; a failed query can be retried', async () => {
    const answers = [() => ok({ tow: TOWED }), NO_TOW, () => fail('INTERNAL'), NO_TOW];
    const page = await loadPage(TOW, {
      cloud: {
        vehicle: byAction('vehicle', { list: () => ok({ vehicles: [vehicle('桂A12345'), vehicle('桂AD12345')] }) }),
        tow: byAction('tow', { query: () => next(answers)() }),
      },
    });
    await page.emit('#car', 'change', { value: '桂AD12345' });
    expect(page.cloudCalls.at(-1)).toEqual({ name: 'tow', data: { action: 'query', plate: '桂AD12345' } });
    expect(page.text('#none')).toContain('未查询到 桂AD12345 被拖移的记录');
    expect(page.has('#navigate')).toBe(false);

    await page.emit('#car', 'change', { value: '桂A12345' });
    expect(page.text('#query-error')).toContain('系统出了点问题');
    await page.tap('#requery');
    expect(page.cloudCalls.at(-1)).toEqual({ name: 'tow', data: { action: 'query', plate: '桂A12345' } });
    expect(page.has('#none')).toBe(true);
  });

  it('no bound car leads to binding one; an unverified user to verification', async () => {
    const empty = await loadPage(TOW, {
      cloud: { vehicle: byAction('vehicle', { list: () => ok({ vehicles: [] }) }) },
    });
    expect(empty.text('#no-cars')).toContain('请先绑定车辆');
    expect(empty.cloudCalls).toHaveLength(1);
    await empty.tap('#bind-car');
    expect(empty.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/vehicle/list/index' }));

    const unverified = await loadPage(TOW, { cloud: { vehicle: () => fail('NOT_VERIFIED') } });
    expect(unverified.text('#load-error')).toContain('实名认证');
    await unverified.tap('#verify');
    expect(unverified.wx.navigateTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/account/register/index' }),
    );
  });
});
