/**
 * `admin.readAudit`'s search for the audit role: by action, by record (a target prefix), by person (an ID number,
 * never answered in full) and by car (a plate), alone or with the actor and the days; every query on a declared index.
 */
import type { CreatePaymentResult } from '../../miniprogram/domain/payment/contract';
import type { AuditItem, ReadAuditResult } from '../../cloudfunctions/_shared/police/officers/contract';
import { pointSdkAt, useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, shanghaiDay, World, type Decided } from '../helpers/story';

jest.setTimeout(60_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'aud');
const w = () => world;

let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  restoreEnv = pointSdkAt(cloud());
});
afterAll(() => restoreEnv?.());

async function search(params: Record<string, unknown>): Promise<AuditItem[]> {
  return [...(await world.admin<ReadAuditResult>('readAudit', { limit: 200, ...params })).entries];
}

/** A driver whose payment WeChat took the wrong amount for: a refund queued by settling, then approved. */
let short: Decided;
let outTradeNo = '';
beforeAll(async () => {
  short = await world.decided([{ fine: 8_000 }]);
  const order = await world.ok<CreatePaymentResult>(
    'payment',
    { action: 'create', decisionId: short.decision.decisionId },
    short.person.openid,
  );
  outTradeNo = order.outTradeNo;
  await world.pay(outTradeNo, { result: 'SUCCESS', totalFee: 7_000 });
  await world.admin('approveRefund', { refundId: outTradeNo });
});

describe('search by action and record', () => {
  it('an action: only its entries, newest first, with the state before and after', async () => {
    const entries = await search({ entryAction: 'refund.approve' });
    expect(entries.length).toBeGreaterThanOrEqual(1);
    expect(entries.every((e) => e.action === 'refund.approve')).toBe(true);
    expect(entries.find((e) => e.target === `refunds/${outTradeNo}`)).toMatchObject({
      before: 'queued',
      after: { status: 'approved', by: expect.stringMatching(/^officer:/) as unknown },
    });
    const times = entries.map((e) => e.at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('a record: every entry whose target starts with the text, the call entries apart under call:', async () => {
    const entries = await search({ target: `refunds/${outTradeNo}` });
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['refund.queue', 'refund.approve']));
    expect(entries.every((e) => e.target.startsWith(`refunds/${outTradeNo}`))).toBe(true);
    const calls = await search({ target: 'call:refunds/' });
    const approval = calls.find(
      (e) => e.action === 'police.approveRefund' && e.target === `call:refunds/${outTradeNo}`,
    );
    expect(approval?.actor?.label).toMatch(/^officer:/);
    // The actor, the action and the days together: the officer's approval, and nothing of anyone else's.
    const label = approval?.actor?.label ?? '';
    const today = shanghaiDay(Date.now());
    const theirs = await search({ actor: label, entryAction: 'police.approveRefund', from: today, to: today });
    expect(theirs.map((e) => e.id)).toContain(approval?.id);
    expect(theirs.every((e) => e.actor?.label === label)).toBe(true);
  });

  it('a target prefix nobody has, and an action nobody did: no entries', async () => {
    expect(await search({ target: 'refunds/GA0000' })).toEqual([]);
    expect(await search({ entryAction: 'nothing.done' })).toEqual([]);
  });
});

describe('search by person and car', () => {
  it("a person's ID number finds their account's entries and their record's; the answer never holds it in full", async () => {
    const entries = await search({ idNumber: short.person.idNumber });
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['user.register', 'binding.own']));
    expect(entries.every((e) => e.openid === short.person.openid || e.target.startsWith('people/'))).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(short.person.idNumber);
    // Someone else's entries are not among them.
    const other = await world.driver();
    expect((await search({ idNumber: other.idNumber })).some((e) => e.openid === short.person.openid)).toBe(false);
  });

  it("a plate finds its owner's entries (lower case and a separator are read as the plate)", async () => {
    const typed = `${short.car.plate.slice(0, 2)}·${short.car.plate.slice(2).toLowerCase()}`;
    const entries = await search({ plate: typed });
    expect(entries.some((e) => e.action === 'binding.own' && e.openid === short.person.openid)).toBe(true);
  });

  it('a car or a person the registry does not know: no entries', async () => {
    expect(await search({ plate: world.newPlate() })).toEqual([]);
    expect(await search({ idNumber: world.newPerson().idNumber })).toEqual([]);
  });

  it('malformed searches are refused naming the field', async () => {
    expect(await world.adminFails('readAudit', { limit: 10, entryAction: 'refund approve' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'entryAction' },
    });
    expect(await world.adminFails('readAudit', { limit: 10, target: '../refunds' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'target' },
    });
    expect(await world.adminFails('readAudit', { limit: 10, idNumber: '450103199001011234' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      details: { field: 'idNumber' },
    });
    expect(await world.adminFails('readAudit', { limit: 10, plate: '粤B12345' })).toMatchObject({
      code: 'PLATE_NOT_SUPPORTED',
      details: { field: 'plate' },
    });
  });
});

describe('paging a search', () => {
  it('pages of one walk the same entries as one page, none twice', async () => {
    const all = await search({ target: `refunds/${outTradeNo}` });
    const walked: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 20; i += 1) {
      const page = await world.admin<ReadAuditResult>('readAudit', {
        limit: 1,
        target: `refunds/${outTradeNo}`,
        ...(after === undefined ? {} : { after }),
      });
      walked.push(...page.entries.map((e) => e.id));
      if (page.next === null) break;
      after = page.next;
    }
    expect(walked).toEqual(all.map((e) => e.id));
  });
});

finalChecks(w);
