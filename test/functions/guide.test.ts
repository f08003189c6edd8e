/**
 * `guide` on the local cloud: offices sorted by distance from the caller (or in pinyin order without a location),
 * filtered by service, closed ones hidden; guides listed, read and corrected by re-import; and the police's
 * `importOffices` / `importGuides` behind the admin token, with bad rows reported and the rest applied.
 */
import type { OfficesResult, GuideListResult, GuideDetailResult } from '../../miniprogram/domain/guide/contract';
import type { OfficeRow, ImportResult } from '../../cloudfunctions/_shared/police/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World } from '../helpers/story';
import { match } from '../helpers/matchers';

jest.setTimeout(30_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'gd');
const w = () => world;

let n = 0;
/** An office of this test (ids share a prefix, so a test looks at its own offices among everyone's). */
function office(
  prefix: string,
  name: string,
  latitude: number,
  longitude: number,
  fields: Partial<OfficeRow> = {},
): OfficeRow {
  n += 1;
  return {
    officeId: `${prefix}-${n}`,
    name,
    address: `南宁市青秀区民族大道 ${n} 号`,
    latitude,
    longitude,
    hours: '周一至周五 08:30–17:30',
    services: ['violation'],
    status: 'open',
    ...fields,
  };
}

function importRows(action: string, rows: unknown[]): Promise<ImportResult> {
  return world.admin<ImportResult>(action, { rows });
}

function offices(event: Record<string, unknown>, openid?: string): Promise<OfficesResult> {
  return world.ok<OfficesResult>('guide', { action: 'offices', ...event }, openid);
}

/** The offices of `prefix`, in the order the function answered. */
function mine(result: OfficesResult, prefix: string): OfficesResult['offices'] {
  return result.offices.filter((o) => o.officeId.startsWith(`${prefix}-`));
}

describe('the admin token', () => {
  it('importOffices, importTows and importGuides refuse a missing or wrong token, whoever calls, and import nothing', async () => {
    const row = office('TOKEN', '不该导入的网点', 22.8, 108.3);
    for (const action of ['importOffices', 'importTows', 'importGuides']) {
      for (const adminToken of [undefined, '', `${cloud().adminToken}x`, 'x'.repeat(5000), cloud().adminToken]) {
        for (const openid of [undefined, 'o-gd-user']) {
          const event = adminToken === undefined ? { action, rows: [row] } : { action, adminToken, rows: [row] };
          expect(await world.call('admin', event, openid)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
        }
      }
    }
    expect(mine(await offices({}), 'TOKEN')).toEqual([]);
    expect(await importRows('importOffices', [row])).toEqual({ inserted: 1, updated: 0, errors: [] });
  });
});

describe('offices', () => {
  it('nearest first from the caller, each with its distance in words; without a location in pinyin order', async () => {
    const rows = [
      office('DIST', '西乡塘大队', 22.838, 108.291),
      office('DIST', '青秀大队', 22.817, 108.396),
      office('DIST', '江南大队', 22.789, 108.298),
      office('DIST', '兴宁大队', 22.8415, 108.3761),
      office('DIST', '阿里服务站', 22.817, 108.396), // the same place as 青秀: a tie, broken by name
    ];
    expect(await importRows('importOffices', rows)).toEqual({ inserted: 5, updated: 0, errors: [] });

    // 200 m east of 青秀大队, and nobody needs to be registered to ask
    const near = await offices({ latitude: 22.817, longitude: 108.398 });
    expect(near.sortedBy).toBe('distance');
    const list = mine(near, 'DIST');
    expect(list.map((o) => o.name)).toEqual(['阿里服务站', '青秀大队', '兴宁大队', '江南大队', '西乡塘大队']);
    expect(list[0]).toMatchObject({
      distance: 205,
      distanceText: '200 米',
      latitude: 22.817,
      longitude: 108.396,
      address: match.stringContaining('民族大道'),
    });
    expect(list[2]?.distanceText).toMatch(/^\d+\.\d 公里$/);
    const distances = near.offices.map((o) => o.distance ?? -1);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);

    const byName = await offices({}, 'o-gd-nobody');
    expect(byName.sortedBy).toBe('name');
    expect(mine(byName, 'DIST').map((o) => o.name)).toEqual([
      '阿里服务站',
      '江南大队',
      '青秀大队',
      '西乡塘大队',
      '兴宁大队',
    ]);
    expect(byName.offices.every((o) => o.distance === null && o.distanceText === '')).toBe(true);
    const names = byName.offices.map((o) => o.name);
    expect([...names].sort(new Intl.Collator('zh-Hans-CN-u-co-pinyin').compare)).toEqual(names);
  });

  it('only the offices offering a service; a closed office is hidden, a re-opened one back', async () => {
    const [hall, brigade, station] = [
      office('SVC', '车管所', 22.85, 108.3, { services: ['vehicle', 'licence', 'inspection'], phone: '0771-5550100' }),
      office('SVC', '违法处理中心', 22.82, 108.39, { services: ['violation', 'dispute'] }),
      office('SVC', '检验站', 22.87, 108.28, { services: ['inspection'] }),
    ];
    await importRows('importOffices', [hall, brigade, station]);
    const inspection = mine(await offices({ service: 'inspection', latitude: 22.86, longitude: 108.29 }), 'SVC');
    expect(inspection.map((o) => o.name)).toEqual(['检验站', '车管所']);
    expect(inspection[1]).toMatchObject({ phone: '0771-5550100', services: ['vehicle', 'licence', 'inspection'] });
    expect(mine(await offices({ service: 'dispute' }), 'SVC').map((o) => o.name)).toEqual(['违法处理中心']);

    expect(await importRows('importOffices', [{ ...station, status: 'closed' }])).toEqual({
      inserted: 0,
      updated: 1,
      errors: [],
    });
    expect(mine(await offices({ service: 'inspection' }), 'SVC').map((o) => o.name)).toEqual(['车管所']);
    await importRows('importOffices', [{ ...station, status: 'open' }]);
    expect(mine(await offices({ service: 'inspection' }), 'SVC')).toHaveLength(2);
  });

  it('a malformed location is INVALID_ARGUMENT, not a silent name order', async () => {
    for (const event of [
      { latitude: 22.8 },
      { latitude: 99, longitude: 108.3 },
      { latitude: '22.8', longitude: '108.3' },
      { service: 'tea' },
    ]) {
      expect(await world.call('guide', { action: 'offices', ...event })).toMatchObject({
        ok: false,
        code: 'INVALID_ARGUMENT',
      });
    }
  });

  it('imports: idempotent upserts by officeId, each bad row reported (index, code, field), the rest applied', async () => {
    const good = office('IMP', '良庆服务站', 22.758, 108.387);
    expect(await importRows('importOffices', [good])).toEqual({ inserted: 1, updated: 0, errors: [] });
    expect(await importRows('importOffices', [good])).toEqual({ inserted: 0, updated: 0, errors: [] });
    const result = await importRows('importOffices', [
      { ...good, hours: '周一至周日 08:30–17:30' },
      office('IMP', '坐标颠倒', 108.387, 22.758),
      office('IMP', '', 22.8, 108.3),
      office('IMP', '无业务', 22.8, 108.3, { services: [] }),
      'not a row',
      office('IMP', '邕宁服务站', 22.759, 108.483),
    ]);
    expect(result.inserted).toBe(1);
    expect(result.updated).toBe(1);
    expect(result.errors.map((e) => [e.row, e.code, e.field])).toEqual([
      [1, 'INVALID_ARGUMENT', 'rows[1].latitude'],
      [2, 'INVALID_ARGUMENT', 'rows[2].name'],
      [3, 'INVALID_ARGUMENT', 'rows[3].services'],
      [4, 'INVALID_ARGUMENT', 'rows[4]'],
    ]);
    expect(result.errors[0]?.message).toContain('GCJ-02');
    expect(mine(await offices({}), 'IMP').map((o) => [o.name, o.hours])).toEqual([
      ['良庆服务站', '周一至周日 08:30–17:30'],
      ['邕宁服务站', '周一至周五 08:30–17:30'],
    ]);
  });
});

describe('guides', () => {
  const guide = (guideId: string, order: number, title: string) => ({
    guideId,
    order,
    title,
    summary: `${title}的摘要`,
    officeService: 'dispute',
    sections: [{ heading: '带什么材料', items: ['本人居民身份证。', '机动车行驶证。'] }],
  });

  it("are listed in the police's order and read one by one, by anyone", async () => {
    expect(await importRows('importGuides', [guide('gd-b', 20, '乙指南'), guide('gd-a', 10, '甲指南')])).toEqual({
      inserted: 2,
      updated: 0,
      errors: [],
    });
    const { guides } = await world.ok<GuideListResult>('guide', { action: 'list' });
    expect(guides.filter((g) => g.guideId.startsWith('gd-'))).toEqual([
      { guideId: 'gd-a', title: '甲指南', summary: '甲指南的摘要' },
      { guideId: 'gd-b', title: '乙指南', summary: '乙指南的摘要' },
    ]);
    const detail = await world.ok<GuideDetailResult>('guide', { action: 'detail', guideId: 'gd-a' }, 'o-gd-visitor');
    expect(detail).toMatchObject({
      title: '甲指南',
      officeService: 'dispute',
      sections: [{ heading: '带什么材料', items: ['本人居民身份证。', '机动车行驶证。'] }],
    });
    expect(detail.updatedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await world.call('guide', { action: 'detail', guideId: 'gd-none' })).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: '未找到该办事指南。',
    });
  });

  it('are corrected by importing them again; the same text again is no correction', async () => {
    const row = { ...guide('gd-fix', 30, '换证'), updatedOn: '2026-01-05' };
    await importRows('importGuides', [row]);
    expect(await importRows('importGuides', [row])).toEqual({ inserted: 0, updated: 0, errors: [] });
    const fixed = { ...row, updatedOn: '2026-02-01', sections: [{ heading: '费用', items: ['工本费 10 元。'] }] };
    expect(await importRows('importGuides', [fixed])).toEqual({ inserted: 0, updated: 1, errors: [] });
    expect(await world.ok<GuideDetailResult>('guide', { action: 'detail', guideId: 'gd-fix' })).toMatchObject({
      updatedOn: '2026-02-01',
      sections: fixed.sections,
    });

    // Without a date the import day is the correction day; an unchanged re-import keeps it.
    const { updatedOn: _, ...undated } = fixed;
    await importRows('importGuides', [undated]);
    expect(await importRows('importGuides', [undated])).toEqual({ inserted: 0, updated: 0, errors: [] });
    const bad = await importRows('importGuides', [
      { ...undated, guideId: 'Bad Id' },
      { ...undated, guideId: 'gd-empty', sections: [] },
    ]);
    expect(bad.errors.map((e) => e.field)).toEqual(['rows[0].guideId', 'rows[1].sections']);
  });
});

finalChecks(w);
