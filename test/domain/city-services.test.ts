import { ACTIONS, parseEvent } from '../../cloudfunctions/_shared/parse/event';
import { DomainError, ERROR_MESSAGES } from '../../miniprogram/domain/core/errors';
import { GUIDE_IDS } from '../../miniprogram/domain/guide/offices';
import { maskVin, policyStatus, INSURERS } from '../../miniprogram/domain/insurance/insurers';

const ctx = { today: '2026-11-24' };

function parseError(fn: 'guide' | 'tow' | 'insurance' | 'admin', event: unknown): DomainError {
  try {
    parseEvent(fn, event, ctx);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw new Error(`threw a non-DomainError: ${String(e)}`);
  }
  throw new Error('did not throw');
}

describe('insurance rules', () => {
  it('maskVin keeps the maker code and the last 4; anything else is no VIN', () => {
    expect(maskVin('LSVAU2180N2123456')).toBe('LSV**********3456');
    expect(maskVin(' lsvau2180n2123456 ')).toBe('LSV**********3456');
    for (const bad of [
      '',
      'LSVAU2180N212345',
      'LSVAU2180N21234567',
      'LSVAU2180O2123456',
      'LSVAU2180I2123456',
      'LSVAU2180Q2123456',
    ]) {
      expect(maskVin(bad)).toBe('');
    }
  });

  it('a policy covers its first and last day', () => {
    expect(policyStatus('2026-03-02', '2027-03-01', '2026-03-01')).toBe('pending');
    expect(policyStatus('2026-03-02', '2027-03-01', '2026-03-02')).toBe('active');
    expect(policyStatus('2026-03-02', '2027-03-01', '2027-03-01')).toBe('active');
    expect(policyStatus('2026-03-02', '2027-03-01', '2027-03-02')).toBe('expired');
  });

  it('the insurer codes and the new error sentences', () => {
    expect(INSURERS).toContain('pingan');
    expect(ERROR_MESSAGES.INSURER_NOT_SUPPORTED).toBe('暂只支持平安保险。');
    expect(ERROR_MESSAGES.INSURER_UNAVAILABLE).toMatch(/保险公司/);
  });
});

describe('parsing the city-service actions', () => {
  it('lists the actions', () => {
    expect(ACTIONS.guide).toEqual(['list', 'detail', 'offices']);
    expect(ACTIONS.tow).toEqual(['query']);
    expect(ACTIONS.insurance).toEqual(['policy']);
    expect(ACTIONS.admin).toEqual(expect.arrayContaining(['importOffices', 'importTows', 'importGuides']));
  });

  it('guide.offices: both coordinates or neither, real ones, an optional service', () => {
    expect(parseEvent('guide', { action: 'offices' }, ctx)).toEqual({ action: 'offices', params: {} });
    expect(
      parseEvent('guide', { action: 'offices', latitude: 22.8, longitude: 108.3, service: 'dispute' }, ctx),
    ).toEqual({
      action: 'offices',
      params: { latitude: 22.8, longitude: 108.3, service: 'dispute' },
    });
    // null is "not given" (the page sends none when the user refused)
    expect(parseEvent('guide', { action: 'offices', latitude: null, longitude: null }, ctx).params).toEqual({});
    expect(parseError('guide', { action: 'offices', latitude: 22.8 }).details?.field).toBe('longitude');
    expect(parseError('guide', { action: 'offices', longitude: 108.3 }).details?.field).toBe('latitude');
    expect(parseError('guide', { action: 'offices', latitude: 91, longitude: 108.3 }).details?.field).toBe('latitude');
    expect(parseError('guide', { action: 'offices', latitude: '22.8', longitude: 108.3 }).details?.field).toBe(
      'latitude',
    );
    expect(parseError('guide', { action: 'offices', latitude: 22.8, longitude: 181 }).code).toBe('INVALID_ARGUMENT');
    expect(parseError('guide', { action: 'offices', service: 'tea' }).details?.field).toBe('service');
  });

  it('guide.detail, tow.query and insurance.policy', () => {
    expect(parseEvent('guide', { action: 'detail', guideId: GUIDE_IDS.dispute }, ctx).params).toEqual({
      guideId: 'violation-dispute',
    });
    expect(parseError('guide', { action: 'detail', guideId: '../etc' }).details?.field).toBe('guideId');
    expect(parseEvent('tow', { action: 'query', plate: '桂a12345' }, ctx).params).toEqual({ plate: '桂A12345' });
    expect(parseError('tow', { action: 'query', plate: '桂B12345' }).code).toBe('PLATE_NOT_SUPPORTED');
    expect(parseEvent('insurance', { action: 'policy', plate: '桂A12345', insurer: 'picc' }, ctx).params).toEqual({
      plate: '桂A12345',
      insurer: 'picc',
    });
    const unknown = parseError('insurance', { action: 'policy', plate: '桂A12345', insurer: 'acme' });
    expect([unknown.code, unknown.message, unknown.details?.field]).toEqual([
      'INVALID_ARGUMENT',
      '请选择保险公司。',
      'insurer',
    ]);
  });
});

describe('city-service import rows', () => {
  const office = {
    officeId: 'NN-QX',
    name: '青秀交警大队违法处理中心',
    address: '南宁市青秀区民族大道 136 号',
    latitude: 22.81722,
    longitude: 108.39587,
    hours: '周一至周五 08:30–17:30',
    services: ['violation', 'dispute', 'dispute'],
  };
  const tow = {
    towId: 'TC1',
    plate: '桂A12345',
    plateType: '02',
    towedAt: '2026-11-20T13:40:00Z',
    yardName: '青秀区清障停车场',
    yardAddress: '南宁市青秀区竹溪大道 258 号',
    latitude: 22.82,
    longitude: 108.36,
    fee: 30000,
    yardHours: '24 小时',
    yardPhone: '0771-5550188',
    status: 'towed',
  };
  const guide = {
    guideId: 'points-study',
    title: '记分学习',
    summary: '摘要',
    sections: [{ heading: '条件', items: ['一', '二'] }],
    order: 1,
  };

  function imported(action: string, rows: unknown[]) {
    const parsed = parseEvent('admin', { action, rows }, ctx).params as unknown as {
      rows: { index: number; row: unknown }[];
      errors: { row: number; field?: string; message: string }[];
    };
    return parsed;
  }

  it('good rows are normalised: services deduplicated, status open by default, towedAt in Shanghai time', () => {
    expect(imported('importOffices', [office]).rows[0]?.row).toEqual({
      ...office,
      services: ['violation', 'dispute'],
      status: 'open',
    });
    expect(imported('importTows', [tow]).rows[0]?.row).toEqual({ ...tow, towedAt: '2026-11-20T21:40:00+08:00' });
    expect(imported('importGuides', [guide]).rows[0]?.row).toEqual(guide);
  });

  it('each bad row is reported with its field; the others pass', () => {
    const offices = imported('importOffices', [
      { ...office, latitude: office.longitude, longitude: office.latitude }, // swapped
      office,
      { ...office, officeId: 'B', services: [] },
      { ...office, officeId: 'C', services: ['violation', 'tea'] },
      { ...office, officeId: 'D', phone: 'call me' },
      { ...office, officeId: 'E', status: 'gone' },
      { ...office }, // the same key again
    ]);
    expect(offices.rows.map((r) => r.index)).toEqual([1]);
    expect(offices.errors.map((e) => [e.row, e.field])).toEqual([
      [0, 'rows[0].latitude'],
      [2, 'rows[2].services'],
      [3, 'rows[3].services[1]'],
      [4, 'rows[4].phone'],
      [5, 'rows[5].status'],
      [6, 'rows[6]'],
    ]);

    const tows = imported('importTows', [
      { ...tow, towedAt: '2026-11-25T10:00:00+08:00' },
      { ...tow, towId: 'T2', plate: '桂B12345' },
      { ...tow, towId: 'T3', fee: -1 },
      { ...tow, towId: 'T4', status: 'lost' },
      { ...tow, towId: 'T5', towedAt: 'yesterday' },
      { ...tow, towId: 'T6' },
    ]);
    expect(tows.rows.map((r) => r.index)).toEqual([5]);
    expect(tows.errors.map((e) => e.field)).toEqual([
      'rows[0].towedAt',
      'rows[1].plate',
      'rows[2].fee',
      'rows[3].status',
      'rows[4].towedAt',
    ]);

    const guides = imported('importGuides', [
      { ...guide, guideId: 'Points Study' },
      { ...guide, guideId: 'a', sections: [] },
      { ...guide, guideId: 'b', sections: [{ heading: '条件', items: [] }] },
      { ...guide, guideId: 'c', officeService: 'tea' },
      { ...guide, guideId: 'd', sections: [{ heading: 'x', items: ['ok'], __proto__: null, constructor: 1 }] },
    ]);
    expect(guides.rows).toEqual([]);
    expect(guides.errors.map((e) => e.field)).toEqual([
      'rows[0].guideId',
      'rows[1].sections',
      'rows[2].sections[0].items',
      'rows[3].officeService',
      'rows[4].sections[0].constructor',
    ]);
  });
});
