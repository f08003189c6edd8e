/**
 * Licence points over a cycle's turn: each decision in the cycle's history, the registry's own points explained as
 * "other", roll-over on the new cycle's first day with the points of unpaid fines carried, and full marks; a drivers
 * import after online processing, with or without the registry's watermark, never loses the online points.
 */
import { EXPORT_SETTLE_MS } from '../../cloudfunctions/_shared/sequence';
import type { ProfileResult } from '../../miniprogram/domain/account/contract';
import { addDays } from '../../miniprogram/domain/core/dates';
import type { ProcessResult, ViolationListResult } from '../../miniprogram/domain/violation/contract';
import type { CreatePaymentResult } from '../../miniprogram/domain/payment/contract';
import type { PointsHistoryResult } from '../../miniprogram/domain/licence/contract';
import { useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, shanghaiDay, World, type Person, type Reply } from '../helpers/story';
import type { DriverRow } from '../../scripts/seed/nanning';
import type { ExportDecisionsResult } from '../../cloudfunctions/_shared/police/contract';
import { defined, match } from '../helpers/matchers';

jest.setTimeout(90_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'pts');

const today = shanghaiDay(Date.now());
/** A first-issue date whose anniversary is 10 days away: today's cycle ends in 9 days. */
function firstIssueEndingSoon(): string {
  let turn = addDays(today, 10);
  if (turn.endsWith('02-29')) turn = addDays(turn, 1);
  return `${Number(turn.slice(0, 4)) - 5}${turn.slice(4)}`;
}

async function history(person: Person): Promise<PointsHistoryResult> {
  return world.ok<PointsHistoryResult>('user', { action: 'points' }, person.openid);
}

async function processOne(person: Person, id: string): Promise<ProcessResult> {
  const reply = await world.process(person, [id]);
  if (!reply.ok) throw new Error(`process: ${JSON.stringify(reply)}`);
  return reply.data;
}

async function pay(person: Person, decisionId: string): Promise<void> {
  const order = await world.ok<CreatePaymentResult>('payment', { action: 'create', decisionId }, person.openid);
  const { status } = await world.pay(order.outTradeNo);
  expect(status).toBe(200);
}

describe('points history and carry-over', () => {
  it("lists the cycle's decisions, rolls over on the new cycle's first day, and carries only unpaid fines' points", async () => {
    const firstIssueDate = firstIssueEndingSoon();
    const driver = await world.driver({ licence: { firstIssueDate, cyclePoints: 2 } });
    const car = await world.car(driver);
    await world.bindOwn(car);
    const [paidId, unpaidId, laterId] = await world.violations(car, { points: 3 }, { points: 1 }, { points: 6 });

    const paid = await processOne(driver, defined(paidId));
    await pay(driver, paid.decisionId);
    const unpaid = await processOne(driver, defined(unpaidId));

    const before = await history(driver);
    expect(before).toMatchObject({
      cyclePoints: 6,
      carriedOver: 0,
      otherPoints: 2,
      remaining: 6,
      atFullMarks: false,
      cycleEnd: addDays(today, 9),
    });
    expect(before.entries.map((e) => [e.decisionNo, e.points, e.kind, e.paid])).toEqual(
      expect.arrayContaining([
        [paid.decisionNo, 3, 'cycle', true],
        [unpaid.decisionNo, 1, 'cycle', false],
      ]),
    );
    expect(before.entries[0]?.violations[0]).toMatchObject({ plate: car.plate, points: match.any(Number) });

    // the cycle's last day: nothing changes yet
    await world.setDay(today, 9);
    expect((await history(driver)).cyclePoints).toBe(6);

    // the new cycle's first day: the registry's 2 and the paid 3 are cleared; the unpaid 1 carries
    await world.setDay(today, 10);
    const after = await history(driver);
    expect(after).toMatchObject({
      cycleStart: addDays(today, 10),
      cyclePoints: 1,
      carriedOver: 1,
      otherPoints: 0,
      remaining: 11,
    });
    expect(after.entries.map((e) => [e.decisionNo, e.kind])).toEqual([[unpaid.decisionNo, 'carried']]);
    expect((await world.ok<ProfileResult>('user', { action: 'profile' }, driver.openid)).licence).toMatchObject({
      cyclePoints: 1,
      cycleStart: addDays(today, 10),
    });
    expect((await world.ok<ViolationListResult>('violation', { action: 'list' }, driver.openid)).cyclePoints).toBe(1);

    // processing in the new cycle adds to the carried points
    const later = await processOne(driver, defined(laterId));
    // paying the carried fine now does not take its points out of this cycle: it was unpaid when the cycle began
    await pay(driver, unpaid.decisionId);
    const now = await history(driver);
    expect(now).toMatchObject({ cyclePoints: 7, carriedOver: 1, remaining: 5 });
    expect(now.entries.map((e) => [e.decisionNo, e.kind, e.paid])).toEqual([
      [later.decisionNo, 'cycle', false],
      [unpaid.decisionNo, 'carried', true],
    ]);
    await world.setClock(0);
  });

  it('at 12 points: full marks, every violation refused online with CYCLE_POINTS', async () => {
    const driver = await world.driver({ licence: { cyclePoints: 12 } });
    const car = await world.car(driver);
    await world.bindOwn(car);
    await world.violations(car, { points: 0, fine: 5_000 });
    expect(await history(driver)).toMatchObject({ cyclePoints: 12, remaining: 0, atFullMarks: true, entries: [] });
    const [item] = (await world.ok<ViolationListResult>('violation', { action: 'list' }, driver.openid)).violations;
    expect(item).toMatchObject({ processable: false, reasons: match.arrayContaining(['CYCLE_POINTS']) });
  });

  it('needs a verified user with a licence in the registry', async () => {
    const unverified = await world.driver({ verified: false });
    expect((await world.fails('user', { action: 'points' }, unverified.openid)).code).toBe('NOT_VERIFIED');
    const noLicence = await world.driver({ licence: null });
    expect((await world.fails('user', { action: 'points' }, noLicence.openid)).code).toBe('LICENCE_NOT_FOUND');
    expect((await world.fails('user', { action: 'points' }, 'o-pts-stranger')).code).toBe('UNAUTHENTICATED');
  });
});

/** The registry sends the driver's row again (a write conflict with a processing batch is retried, as it would be). */
async function reimport(person: Person, licence: Partial<DriverRow>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await world.importDrivers([world.licenceRow(person, licence)]);
      return;
    } catch (error) {
      if (attempt >= 10 || !String(error).includes('"CONFLICT"')) throw error;
    }
  }
}

/** When the decision was made, to the millisecond, as the police system reads it from the export. */
async function decidedAtOf(decisionNo: string): Promise<string> {
  // The export hands a decision out only once it has settled: move the functions' clock past that.
  await world.setClock(world.clockOffsetMs + EXPORT_SETTLE_MS + 1_000);
  // The export carries full ID numbers by design: kept out of the leak scan.
  world.keepResponses = false;
  try {
    for (let after: string | undefined, more = true; more;) {
      const page: ExportDecisionsResult = await world.admin('exportDecisions', after === undefined ? {} : { after });
      const row = page.decisions.find((d) => d.decisionNo === decisionNo);
      if (row) return row.decidedAt;
      after = page.nextCursor;
      more = page.hasMore;
    }
  } finally {
    world.keepResponses = true;
  }
  throw new Error(`decision ${decisionNo} not exported`);
}

const shifted = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();

describe("a drivers import after online processing: the registry's watermark", () => {
  it('keeps the online points whether the row has no watermark, one before the decision, at it or after it', async () => {
    const driver = await world.driver({ licence: { cyclePoints: 2 } });
    const car = await world.car(driver);
    await world.bindOwn(car);
    const [id] = await world.violations(car, { points: 3 });
    const decision = await processOne(driver, defined(id));
    const points = async () => {
      const h = await history(driver);
      const list = await world.ok<ViolationListResult>('violation', { action: 'list' }, driver.openid);
      const profile = await world.ok<ProfileResult>('user', { action: 'profile' }, driver.openid);
      expect([list.cyclePoints, profile.licence?.cyclePoints]).toEqual([h.cyclePoints, h.cyclePoints]);
      return { points: h.cyclePoints, other: h.otherPoints };
    };
    expect(await points()).toEqual({ points: 5, other: 2 });

    // The registry has not heard of the decision: its 2 again, without a watermark, does not take the 3 away.
    await reimport(driver, { cyclePoints: 2 });
    expect(await points()).toEqual({ points: 5, other: 2 });

    const decidedAt = await decidedAtOf(decision.decisionNo);
    // A watermark a second before the decision: the registry's 2 do not include it.
    await reimport(driver, { cyclePoints: 2, onlinePointsThrough: shifted(decidedAt, -1000) });
    expect(await points()).toEqual({ points: 5, other: 2 });
    // At the decision: the registry's 5 include it, nothing is added twice.
    await reimport(driver, { cyclePoints: 5, onlinePointsThrough: decidedAt });
    expect(await points()).toEqual({ points: 5, other: 2 });
    // After it, with 2 more points the registry counted at a window.
    await reimport(driver, { cyclePoints: 7, onlinePointsThrough: shifted(decidedAt, 60_000) });
    expect(await points()).toEqual({ points: 7, other: 4 });
    // And the registry forgetting its watermark again adds the decision once more: never fewer points (fail closed).
    await reimport(driver, { cyclePoints: 7 });
    expect(await points()).toEqual({ points: 10, other: 7 });
  });

  it('the 12-point limit holds across an import: a driver at 11 online cannot pass 12 after the registry says 8', async () => {
    const driver = await world.driver({ licence: { cyclePoints: 8 } });
    const car = await world.car(driver);
    await world.bindOwn(car);
    const [three, one] = await world.violations(car, { points: 3 }, { points: 1 });
    await processOne(driver, defined(three));
    await reimport(driver, { cyclePoints: 8 });
    expect((await history(driver)).cyclePoints).toBe(11);
    const item = (await world.ok<ViolationListResult>('violation', { action: 'list' }, driver.openid)).violations.find(
      (v) => v.id === one,
    );
    expect(item).toMatchObject({ processable: false, reasons: match.arrayContaining(['CYCLE_POINTS']) });
    const refused = await world.fails('violation', { action: 'process', violationIds: [one] }, driver.openid);
    expect(refused.code).toBe('POINTS_LIMIT');
  });

  it('two batches racing drivers imports: one passes, the other is refused at 12, and the points stay 11', async () => {
    const driver = await world.driver({ licence: { cyclePoints: 8 } });
    const car = await world.car(driver);
    await world.bindOwn(car);
    const ids = await world.violations(car, { points: 3 }, { points: 3 });
    const processRetrying = async (id: string): Promise<Reply<ProcessResult>> => {
      for (;;) {
        const reply = await world.process(driver, [id]);
        if (reply.ok || reply.code !== 'CONFLICT') return reply;
      }
    };
    const [first, second] = await Promise.all([
      processRetrying(defined(ids[0])),
      processRetrying(defined(ids[1])),
      ...Array.from({ length: 4 }, () => reimport(driver, { cyclePoints: 8 })),
    ]);
    const replies = [first, second] as Reply<ProcessResult>[];
    expect(replies.filter((r) => r.ok)).toHaveLength(1);
    expect(replies.flatMap((r) => (r.ok ? [] : [r.code]))).toEqual(['POINTS_LIMIT']);
    await reimport(driver, { cyclePoints: 8 });
    expect((await history(driver)).cyclePoints).toBe(11);
  });
});

finalChecks(() => world);
