/**
 * A fine paid outside the app and a payment heard of late, end to end on the local cloud:
 * - the registry (fed by the collecting bank) reports a decision's violations paid: the import marks the decision
 *   paid too (paidVia 'registry', audited), so points carry-over, the certificate, the surcharge reminder and payment
 *   all see it paid; a decision only partly reported paid stays unpaid;
 * - a payment's paidAt is WeChat Pay's own time (timeEnd), so a fine paid at 23:59 on a cycle's last day whose
 *   notification arrives after midnight does not carry its points.
 */
import type { CertificateDetail } from '../../miniprogram/domain/certificate/contract';
import { addDays } from '../../miniprogram/domain/core/dates';
import type { ReminderSweepResult } from '../../miniprogram/domain/reminder/contract';
import type { CreatePaymentResult, PaymentStatusResult } from '../../miniprogram/domain/payment/contract';
import type { PointsHistoryResult } from '../../miniprogram/domain/licence/contract';
import { REMINDER_TEMPLATE_IDS } from '../../miniprogram/domain/reminder/reminders';
import type { ViolationRow } from '../../scripts/seed/nanning';
import type { ViolationListResult, DecisionResult } from '../../miniprogram/domain/violation/contract';
import { pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, shanghaiDay, World, type Decided, type Person } from '../helpers/story';
import { defined, match } from '../helpers/matchers';

jest.setTimeout(60_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'pel');
const realToday = shanghaiDay(Date.now());

let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  restoreEnv = pointSdkAt(cloud());
});
afterAll(() => restoreEnv?.());

afterEach(async () => {
  if (world.clockOffsetMs !== 0) await world.setClock(0);
});

/** A first-issue date whose anniversary is 10 days after `from`: the cycle current on `from` ends 9 days later. */
function firstIssueTurningOn(from: string): string {
  let turn = addDays(from, 10);
  if (turn.endsWith('02-29')) turn = addDays(turn, 1);
  return `${Number(turn.slice(0, 4)) - 5}${turn.slice(4)}`;
}

/** A driver who processed violations of their own car as one decision (the driver may be given). */
const decided = (violations: Partial<ViolationRow>[], person?: Person): Promise<Decided> =>
  world.decided(violations, person);

/** The registry reports these violations of the decision (all of them by default) paid at a bank counter. */
async function paidAtBank(d: Decided, ids: readonly string[] = d.ids): Promise<void> {
  const seen = (await world.ok<ViolationListResult>('violation', { action: 'list' }, d.person.openid)).violations;
  const rows = ids.map((id) => {
    const v = seen.find((item) => item.id === id);
    return world.violationRow(d.car, {
      violationId: id,
      occurredAt: v?.occurredAt ?? '',
      fine: v?.fine ?? 0,
      points: v?.points ?? 0,
      behaviour: v?.behaviour ?? '',
      place: v?.place ?? '',
      status: 'paid',
    });
  });
  await world.importViolations(rows);
}

function detail(d: Decided): Promise<DecisionResult> {
  return world.ok<DecisionResult>(
    'violation',
    { action: 'decision', decisionId: d.decision.decisionId },
    d.person.openid,
  );
}

function history(person: Person): Promise<PointsHistoryResult> {
  return world.ok<PointsHistoryResult>('user', { action: 'points' }, person.openid);
}

/** The functions' clock set to this Asia/Shanghai wall-clock time (`YYYY-MM-DDTHH:mm:ss`). */
async function setShanghaiTime(wallClock: string): Promise<void> {
  await world.setClock(Date.parse(`${wallClock}+08:00`) - Date.now());
}

/** The pay sandbox's record of an order (what WeChat Pay knows), read and changed through the real SDK. */
function sandboxOrder(outTradeNo: string) {
  return sdk().database().collection('sandbox_pay').doc(outTradeNo);
}

describe('a fine paid at a bank (the registry reports the violations paid)', () => {
  it('the import marks the decision paid outside the app, audited; it shows paid with nothing due and cannot be paid online', async () => {
    const d = await decided([{ fine: 10_000 }, { fine: 5_000 }]);
    expect(await detail(d)).toMatchObject({ status: 'unpaid', amount: 15_000 });
    const from = new Date(Date.now() + world.clockOffsetMs - 1_000).toISOString();
    await paidAtBank(d);

    const shown = await detail(d);
    expect(shown).toMatchObject({
      status: 'paid',
      amount: 0,
      surcharge: 0,
      paidAt: match.stringMatching(new RegExp(`^${realToday}T.*\\+08:00$`)),
    });
    const stored = (await sdk().database().collection('decisions').doc(d.decision.decisionId).get())
      .data as unknown as Record<string, unknown>;
    expect(stored).toMatchObject({ status: 'paid', paidVia: 'registry', paidOrderId: null });
    const audits = await world.auditSince(from);
    expect(audits).toContainEqual(
      expect.objectContaining({
        action: 'decision.paidElsewhere',
        target: `decisions/${d.decision.decisionId}`,
        before: 'unpaid',
      }),
    );

    const refused = await world.fails(
      'payment',
      { action: 'create', decisionId: d.decision.decisionId },
      d.person.openid,
    );
    expect(refused).toMatchObject({ code: 'ALREADY_PAID', message: match.stringContaining('银行') });
    // The violations show paid, so the list offers no payment either.
    for (const v of (await world.ok<ViolationListResult>('violation', { action: 'list' }, d.person.openid)).violations)
      expect(v).toMatchObject({ status: 'paid', surcharge: 0 });
  });

  it('a decision only partly reported paid stays unpaid (and cannot be paid online whole); the rest reported later pays it', async () => {
    const d = await decided([{ fine: 10_000 }, { fine: 5_000 }]);
    await paidAtBank(d, [defined(d.ids[0])]);
    expect(await detail(d)).toMatchObject({ status: 'unpaid', amount: 15_000 });
    expect(
      (await world.fails('payment', { action: 'create', decisionId: d.decision.decisionId }, d.person.openid)).code,
    ).toBe('ALREADY_PAID');
    await paidAtBank(d, [defined(d.ids[1])]);
    expect(await detail(d)).toMatchObject({ status: 'paid', amount: 0 });
  });

  it('an order opened before the bank payment and paid afterwards is paid_unmatched and queued for refund', async () => {
    const d = await decided([{ fine: 10_000 }]);
    const order = await world.ok<CreatePaymentResult>(
      'payment',
      { action: 'create', decisionId: d.decision.decisionId },
      d.person.openid,
    );
    await paidAtBank(d);
    expect((await world.pay(order.outTradeNo)).body).toMatchObject({ acknowledged: true });
    expect(
      (await world.ok<PaymentStatusResult>('payment', { action: 'status', orderId: order.orderId }, d.person.openid))
        .status,
    ).toBe('paid_unmatched');
    const { refunds } = await world.admin<{ refunds: Array<{ outTradeNo: string; amount: number; reason: string }> }>(
      'refundQueue',
    );
    expect(refunds).toContainEqual(
      expect.objectContaining({
        outTradeNo: order.outTradeNo,
        amount: 10_000,
        reason: match.stringContaining('银行'),
      }),
    );
    expect(await detail(d)).toMatchObject({ status: 'paid' });
  });

  it("its points do not carry into the next cycle (an unpaid one's do)", async () => {
    const driver = await world.driver({ licence: { firstIssueDate: firstIssueTurningOn(realToday), cyclePoints: 0 } });
    const bank = await decided([{ points: 3 }], driver);
    const unpaid = await decided([{ points: 1 }], driver);
    await paidAtBank(bank);
    expect(await history(driver)).toMatchObject({ cyclePoints: 4, cycleEnd: addDays(realToday, 9) });

    await world.setDay(realToday, 10);
    const next = await history(driver);
    expect(next).toMatchObject({ cycleStart: addDays(realToday, 10), cyclePoints: 1, carriedOver: 1 });
    expect(next.entries.map((e) => [e.decisionNo, e.kind])).toEqual([[unpaid.decision.decisionNo, 'carried']]);
  });

  it('the driver-credit certificate counts no unpaid fine for it', async () => {
    const d = await decided([{ fine: 20_000, points: 3 }]);
    expect(
      (await world.ok<CertificateDetail>('certificate', { action: 'issue' }, d.person.openid)).snapshot,
    ).toMatchObject({ unpaidCount: 1, unpaidAmount: 20_000 });
    await paidAtBank(d);
    expect(
      (await world.ok<CertificateDetail>('certificate', { action: 'issue' }, d.person.openid)).snapshot,
    ).toMatchObject({ unpaidCount: 0, unpaidAmount: 0 });
  });

  it('no surcharge reminder on day 15 for it (a fine still unpaid gets one)', async () => {
    await world.setDay(realToday, 20);
    const bank = await decided([{}]);
    const unpaid = await decided([{}]);
    for (const person of [bank.person, unpaid.person]) {
      expect(
        (
          await world.sandbox('subscribe', {
            openid: person.openid,
            templateIds: [REMINDER_TEMPLATE_IDS.fineSurcharge],
          })
        ).status,
      ).toBe(200);
      await world.ok('reminder', { action: 'subscribe', kinds: ['fineSurcharge'] }, person.openid);
    }
    await paidAtBank(bank);
    await world.setDay(realToday, 20 + 15);
    const { status, body } = await cloud().request<{ ok: boolean; data: ReminderSweepResult }>(
      'POST',
      '/timers/reminder/daily',
      '{}',
      { 'content-type': 'application/json' },
    );
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    const outbox = async (person: Person) =>
      (
        await cloud().request<{ messages: Array<{ templateId: string }> }>(
          'GET',
          `/sandbox/outbox?touser=${encodeURIComponent(person.openid)}`,
        )
      ).body.messages;
    expect(await outbox(bank.person)).toEqual([]);
    expect((await outbox(unpaid.person)).map((m) => m.templateId)).toEqual([REMINDER_TEMPLATE_IDS.fineSurcharge]);
  });
});

describe('paidAt is when WeChat Pay took the money', () => {
  /** A 3-point decision on a cycle's first days; its order paid at 23:59 on the cycle's last day, undelivered until midnight. */
  async function paidAtMidnight(): Promise<{ d: Decided; order: CreatePaymentResult; lastDay: string }> {
    const driver = await world.driver({ licence: { firstIssueDate: firstIssueTurningOn(realToday), cyclePoints: 0 } });
    const d = await decided([{ points: 3, fine: 10_000 }], driver);
    const lastDay = addDays(realToday, 9);
    await setShanghaiTime(`${lastDay}T23:59:00`);
    const order = await world.ok<CreatePaymentResult>(
      'payment',
      { action: 'create', decisionId: d.decision.decisionId },
      driver.openid,
    );
    // The notification cannot be delivered yet: WeChat Pay's record points at a callback function that does not exist.
    await sandboxOrder(order.outTradeNo).update({ data: { functionName: 'payCallbackGone' } });
    expect((await world.pay(order.outTradeNo)).body).toMatchObject({ acknowledged: false });
    expect(await detail(d)).toMatchObject({ status: 'unpaid' });
    return { d, order, lastDay };
  }

  it("a fine paid at 23:59 on the cycle's last day, notified after midnight, is paid that day and carries no points", async () => {
    const { d, order, lastDay } = await paidAtMidnight();
    await setShanghaiTime(`${addDays(lastDay, 1)}T00:00:30`);
    // WeChat's retry of the same notification (its timeEnd is 23:59 of the last day).
    await sandboxOrder(order.outTradeNo).update({ data: { functionName: 'payCallback' } });
    expect((await world.pay(order.outTradeNo)).body).toMatchObject({ acknowledged: true });

    const paid = await world.ok<PaymentStatusResult>(
      'payment',
      { action: 'status', orderId: order.orderId },
      d.person.openid,
    );
    expect(paid).toMatchObject({ status: 'paid', paidAt: match.stringMatching(new RegExp(`^${lastDay}T23:59:`)) });
    expect((await detail(d)).paidAt).toMatch(new RegExp(`^${lastDay}T23:59:`));
    expect(await history(d.person)).toMatchObject({
      cycleStart: addDays(lastDay, 1),
      cyclePoints: 0,
      carriedOver: 0,
      entries: [],
    });
  });

  it('without a usable timeEnd from WeChat Pay, paidAt falls back to when the payment is settled', async () => {
    const { d, order, lastDay } = await paidAtMidnight();
    await sandboxOrder(order.outTradeNo).update({ data: { timeEnd: 'not-a-time' } });
    await setShanghaiTime(`${addDays(lastDay, 1)}T00:00:30`);
    // A lost notification: payment.status asks WeChat Pay itself.
    const paid = await world.ok<PaymentStatusResult>(
      'payment',
      { action: 'status', orderId: order.orderId },
      d.person.openid,
    );
    expect(paid).toMatchObject({
      status: 'paid',
      paidAt: match.stringMatching(new RegExp(`^${addDays(lastDay, 1)}T00:0`)),
    });
    expect(await history(d.person)).toMatchObject({ cyclePoints: 3, carriedOver: 3 });
  });
});

finalChecks(() => world);
