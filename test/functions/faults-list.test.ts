/**
 * The police's fault list on the local cloud: filtered by status, type, district and filing days on the server,
 * paged and ordered by filing time, every query served by a declared index; each report's district kept when it is
 * filed; its history naming the officer of each step.
 */
import type { AdminFaultItem, AdminFaultListResult } from '../../cloudfunctions/_shared/police/contract';
import type { FaultDetail } from '../../miniprogram/domain/fault/contract';
import { shanghaiDate } from '../../miniprogram/domain/core/dates';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, World, type Person } from '../helpers/story';

jest.setTimeout(90_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'fl');

const QINGXIU = { latitude: 22.8154, longitude: 108.3921, name: '民族大道与竹溪大道交叉口' };
const JIANGNAN = { latitude: 22.782, longitude: 108.285, name: '星光大道' };
const BINYANG = { latitude: 23.22, longitude: 108.81, name: '宾阳县城' };

async function file(person: Person, place: object, type: string, description: string): Promise<FaultDetail> {
  return world.ok<FaultDetail>('fault', { action: 'submit', type, ...place, description, fileIDs: [] }, person.openid);
}

function list(params: Record<string, unknown>): Promise<AdminFaultListResult> {
  return world.admin<AdminFaultListResult>('listFaults', { limit: 100, ...params });
}

const ids = (result: AdminFaultListResult): string[] => result.reports.map((r) => r.reportId);

describe('admin.listFaults, filtered and paged on the server', () => {
  let a: FaultDetail;
  let b: FaultDetail;
  let c: FaultDetail;
  let d: FaultDetail;
  let yesterday: string;
  let today: string;
  let reporter: Person;

  beforeAll(async () => {
    const me = await world.driver();
    reporter = me;
    // two reports filed "yesterday", two today (the functions' clock moved back a day, then restored)
    await world.setClock(-86_400_000);
    a = await file(me, QINGXIU, 'signal', '红灯不亮');
    b = await file(me, JIANGNAN, 'sign', '限速牌倒了');
    await world.setClock(0);
    c = await file(me, QINGXIU, 'sign', '指路牌被遮挡');
    d = await file(me, BINYANG, 'guardrail', '护栏撞坏');
    yesterday = shanghaiDate(Date.parse(a.createdAt));
    today = shanghaiDate(Date.parse(c.createdAt));
  });

  it('keeps the district derived from the coordinates when the report is filed', async () => {
    const all = await list({});
    const district = (id: string) => all.reports.find((r) => r.reportId === id)?.district;
    expect([a, b, c, d].map((r) => district(r.reportId))).toEqual(['qingxiu', 'jiangnan', 'qingxiu', 'outlying']);
    expect(all.total).toBe(4);
    // no status given: every status, oldest first
    expect(ids(all)).toEqual([a, b, c, d].map((r) => r.reportId));
  });

  it('filters by status, type, district and days, alone and together; total counts every page', async () => {
    await world.admin('updateFault', { reportId: c.reportId, status: 'accepted', note: '已派班组' });
    expect(ids(await list({ status: 'submitted' }))).toEqual([a, b, d].map((r) => r.reportId));
    expect(ids(await list({ type: 'sign' }))).toEqual([b, c].map((r) => r.reportId));
    expect(ids(await list({ district: 'qingxiu' }))).toEqual([a, c].map((r) => r.reportId));
    expect(ids(await list({ status: 'submitted', district: 'qingxiu' }))).toEqual([a.reportId]);
    expect(ids(await list({ status: 'accepted', type: 'sign' }))).toEqual([c.reportId]);
    expect(ids(await list({ from: yesterday, to: yesterday }))).toEqual([a, b].map((r) => r.reportId));
    expect(ids(await list({ from: today }))).toEqual([c, d].map((r) => r.reportId));
    expect(ids(await list({ to: yesterday, type: 'sign', district: 'jiangnan' }))).toEqual([b.reportId]);
    expect(await list({ district: 'wuming' })).toEqual({ reports: [], total: 0 });
  });

  it('pages by offset and orders by filing time either way', async () => {
    const first = await list({ limit: 3, order: 'desc' });
    expect(first.total).toBe(4);
    expect(ids(first)).toEqual([d, c, b].map((r) => r.reportId));
    const second = await list({ limit: 3, offset: 3, order: 'desc' });
    expect(ids(second)).toEqual([a.reportId]);
    expect((await list({ offset: 4 })).reports).toEqual([]);
  });

  it('refuses malformed filters, naming the field', async () => {
    for (const [params, field] of [
      [{ status: 'lost' }, 'status'],
      [{ type: 'tree' }, 'type'],
      [{ district: 'beijing' }, 'district'],
      [{ from: '2026-02-30' }, 'from'],
      [{ from: today, to: yesterday }, 'to'],
      [{ order: 'up' }, 'order'],
      [{ offset: -1 }, 'offset'],
      [{ offset: 10_001 }, 'offset'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
    ] as const) {
      expect(await world.adminFails('listFaults', params)).toMatchObject({
        code: 'INVALID_ARGUMENT',
        details: { field },
      });
    }
    // the limits themselves pass
    expect((await list({ offset: 10_000, limit: 100 })).reports).toEqual([]);
    expect((await list({ offset: 0, limit: 1 })).reports).toHaveLength(1);
  });

  it('the history names the officer of each step for the police, never for the reporter', async () => {
    const moved = await world.admin<AdminFaultItem>('updateFault', {
      reportId: a.reportId,
      status: 'rejected',
      note: '经核实设施完好',
    });
    expect(moved.history).toEqual([
      { status: 'submitted', at: a.createdAt, note: '', officer: null },
      {
        status: 'rejected',
        at: moved.updatedAt,
        note: '经核实设施完好',
        officer: { login: 'test-faulthandling', name: '测试警员' },
      },
    ]);
    const mine = await world.ok<FaultDetail>('fault', { action: 'detail', reportId: a.reportId }, reporter.openid);
    expect(mine.history.map((h) => Object.keys(h).sort())).toEqual([
      ['at', 'note', 'status'],
      ['at', 'note', 'status'],
    ]);
    const listed = (await list({ status: 'rejected' })).reports[0];
    expect(listed?.history).toEqual(moved.history);
    const audit = (await world.auditSince(a.createdAt)).filter((e) => e.target === `faultReports/${a.reportId}`);
    expect(audit).toEqual([
      expect.objectContaining({
        before: 'submitted',
        after: 'rejected',
        actor: { label: 'officer:test-faulthandling', login: 'test-faulthandling', name: '测试警员' },
      }),
    ]);
  });

  finalChecks(() => world);
});
