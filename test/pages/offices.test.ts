/**
 * @jest-environment jsdom
 */
// Offices: wx.getLocation (GCJ-02) → nearest first; a refusal → name order with a note and a way to allow it;
// navigation with wx.openLocation.
import type { ActionResult } from '../../miniprogram/domain/api';
import { loadPage } from '../helpers/simulate';
import { byAction, fail, next, ok } from './fixtures';

type OfficesResult = ActionResult<'guide', 'offices'>;
type OfficeItem = OfficesResult['offices'][number];

const OFFICES = 'pages/guide/offices/index';
const HERE = { latitude: 22.817, longitude: 108.398 };

function office(officeId: string, name: string, fields: Partial<OfficeItem> = {}): OfficeItem {
  return {
    officeId,
    name,
    address: `南宁市青秀区民族大道 ${officeId.length} 号`,
    latitude: 22.81722,
    longitude: 108.39587,
    hours: '周一至周五 08:30–12:00，14:30–17:30',
    services: ['violation', 'dispute'],
    distance: null,
    distanceText: '',
    ...fields,
  };
}

const BY_DISTANCE: OfficesResult = {
  sortedBy: 'distance',
  offices: [
    office('NN-QX', '青秀交警大队违法处理中心', { distance: 205, distanceText: '200 米' }),
    office('NN-XN', '兴宁交警大队违法处理中心', {
      latitude: 22.84153,
      longitude: 108.37609,
      distance: 3457,
      distanceText: '3.5 公里',
      phone: '0771-5550100',
    }),
  ],
};
const BY_NAME: OfficesResult = {
  sortedBy: 'name',
  offices: [office('NN-JN', '江南交警大队违法处理中心'), office('NN-QX', '青秀交警大队违法处理中心')],
};

/** wx.getLocation answering as WeChat does: success with a fix, or fail with errMsg. */
function located(answer: { latitude: number; longitude: number } | string): jest.Mock {
  return jest.fn((options: { success?: (r: unknown) => void; fail?: (e: unknown) => void }) => {
    setTimeout(
      () =>
        typeof answer === 'string'
          ? options.fail?.({ errMsg: answer })
          : options.success?.({ ...answer, accuracy: 35, speed: -1 }),
      0,
    );
  });
}

type OpenLocationOptions = { success?: (r: unknown) => void; fail?: (e: unknown) => void };

function openLocation(succeeds = true): jest.Mock<void, [OpenLocationOptions]> {
  return jest.fn((options: OpenLocationOptions) => {
    setTimeout(
      () =>
        succeeds ? options.success?.({ errMsg: 'openLocation:ok' }) : options.fail?.({ errMsg: 'openLocation:fail' }),
      0,
    );
  });
}

describe('office list', () => {
  it('asks for the location in GCJ-02, lists nearest first with distances, navigates with wx.openLocation', async () => {
    const getLocation = located(HERE);
    const open = openLocation();
    const page = await loadPage(OFFICES, {
      wx: { getLocation, openLocation: open },
      cloud: { guide: byAction('guide', { offices: () => ok(BY_DISTANCE) }) },
    });

    expect(getLocation).toHaveBeenCalledWith(expect.objectContaining({ type: 'gcj02' }));
    expect(page.cloudCalls).toEqual([{ name: 'guide', data: { action: 'offices', ...HERE } }]);
    expect(page.text('#meta')).toContain('共 2 个，按离您的距离由近到远排列');
    expect(page.text('#office-NN-QX')).toContain('青秀交警大队违法处理中心');
    expect(page.text('#office-NN-QX')).toContain('200 米');
    expect(page.text('#office-NN-QX')).toContain('违法处理、违法异议');
    expect(page.text('#office-NN-XN')).toContain('3.5 公里');
    expect(page.text('#office-NN-XN')).toContain('0771-5550100');
    expect(page.has('#location-note')).toBe(false);

    await page.tap('#navigate-NN-XN');
    expect(open).toHaveBeenCalledTimes(1);
    expect(open.mock.calls[0]?.[0]).toMatchObject({
      latitude: 22.84153,
      longitude: 108.37609,
      name: '兴宁交警大队违法处理中心',
      address: BY_DISTANCE.offices[1]?.address,
    });
    expect(page.has('#notice')).toBe(false);
  });

  it('a refusal falls back to name order with a note; allowing it in the settings sorts by distance', async () => {
    const answers = ['getLocation:fail auth deny', HERE];
    const getLocation = jest.fn((options: { success?: (r: unknown) => void; fail?: (e: unknown) => void }) => {
      const answer = answers.shift();
      setTimeout(
        () => (typeof answer === 'string' ? options.fail?.({ errMsg: answer }) : options.success?.(answer)),
        0,
      );
    });
    const openSetting = jest.fn((options: { success?: (r: unknown) => void }) =>
      setTimeout(() => options.success?.({ authSetting: { 'scope.userLocation': true } }), 0),
    );
    const page = await loadPage(OFFICES, {
      wx: { getLocation, openSetting },
      cloud: {
        guide: byAction('guide', { offices: (data) => ok(data['latitude'] === undefined ? BY_NAME : BY_DISTANCE) }),
      },
    });

    expect(page.cloudCalls[0]).toEqual({ name: 'guide', data: { action: 'offices' } });
    expect(page.text('#location-note')).toContain('您未允许使用位置信息，网点按名称排序');
    expect(page.text('#meta')).toContain('按网点名称排列');
    expect(page.text('#office-NN-JN')).not.toContain('米');

    await page.tap('#allow-location');
    expect(openSetting).toHaveBeenCalled();
    expect(page.cloudCalls[1]).toEqual({ name: 'guide', data: { action: 'offices', ...HERE } });
    expect(page.has('#location-note')).toBe(false);
    expect(page.text('#meta')).toContain('由近到远');
  });

  it('no fix (positioning off, timeout) is name order with its own note and no settings button', async () => {
    const page = await loadPage(OFFICES, {
      wx: { getLocation: located('getLocation:fail timeout') },
      cloud: { guide: byAction('guide', { offices: () => ok(BY_NAME) }) },
    });
    expect(page.text('#location-note')).toContain('暂时无法获取您的位置');
    expect(page.has('#allow-location')).toBe(false);
  });

  it("filtered by the guide's service; a map that cannot open says so; a failed load retries", async () => {
    const answers = [() => fail('INTERNAL'), () => ok(BY_DISTANCE)];
    const page = await loadPage(OFFICES, {
      query: { service: 'dispute' },
      wx: { getLocation: located(HERE), openLocation: openLocation(false) },
      cloud: { guide: byAction('guide', { offices: () => next(answers)() }) },
    });
    expect(page.cloudCalls[0]).toEqual({ name: 'guide', data: { action: 'offices', ...HERE, service: 'dispute' } });
    expect(page.text('#load-error')).toContain('系统出了点问题');
    await page.tap('#retry');
    expect(page.text('#meta')).toContain('只显示可办理“违法异议”的网点');
    await page.tap('#navigate-NN-QX');
    expect(page.text('#notice')).toContain('暂时无法打开地图');
  });
});
