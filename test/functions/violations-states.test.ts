/**
 * `violation.list` gives each violation one state, walked on the local cloud from list to process to pay: processable
 * or not (with reasons) before processing, then the processor's own decision with today's amount and deadline (the
 * surcharge from day 16), then paid with its time; another driver of the same car sees only processed / paid; what
 * the registry processed at a window or saw paid at a bank says so, and a processed one never shows reasons.
 */
import type { ViolationItem, ViolationListResult } from '../../miniprogram/domain/violation/contract';
import type { ViolationState } from '../../miniprogram/domain/violation/state';
import type { CreatePaymentResult } from '../../miniprogram/domain/payment/contract';
import { addDays } from '../../miniprogram/domain/core/dates';
import { pointSdkAt, useLocalCloud } from '../helpers/local-cloud';
import { finalChecks, shanghaiDay, World, type Person } from '../helpers/story';

jest.setTimeout(60_000);
const cloud = useLocalCloud();
const world = new World(cloud, 'vst');

let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  restoreEnv = pointSdkAt(cloud());
});
afterAll(() => restoreEnv?.());
afterEach(async () => {
  if (world.clockOffsetMs !== 0) await world.setClock(0);
});

async function states(person: Person): Promise<Map<string, ViolationState>> {
  const { violations } = await world.ok<ViolationListResult>('violation', { action: 'list' }, person.openid);
  return new Map(violations.map((v: ViolationItem) => [v.id, v.state]));
}

describe('one state per violation, from list to process to pay', () => {
  it('walks processable → awaiting payment (own) / processed (other driver) → paid, with the surcharge edge', async () => {
    const owner = await world.driver({ licence: { cyclePoints: 0 } });
    const car = await world.car(owner);
    await world.bindOwn(car);
    const [a, b, big, window, bank] = await world.violations(
      car,
      { fine: 10_000, points: 3 },
      { fine: 5_000, points: 1 },
      { fine: 50_000, points: 3 },
      { status: 'processed' },
      { status: 'paid' },
    );
    const driver = await world.driver();
    await world.bindOther(driver, car);
    const today = shanghaiDay(Date.now());

    const before = await states(owner);
    expect(before.get(a ?? '')).toEqual({ kind: 'processable' });
    expect(before.get(b ?? '')).toEqual({ kind: 'processable' });
    expect(before.get(big ?? '')).toEqual({ kind: 'notProcessable', reasons: ['FINE_OVER_LIMIT'] });
    expect(before.get(window ?? '')).toEqual({ kind: 'processedOffline' });
    expect(before.get(bank ?? '')).toEqual({ kind: 'paidOffline' });

    const reply = await world.process(owner, [a ?? '', b ?? '']);
    if (!reply.ok) throw new Error(JSON.stringify(reply));
    const { decisionId, decisionNo } = reply.data;

    const awaiting: ViolationState = {
      kind: 'awaitingPayment',
      decisionId,
      decisionNo,
      violationCount: 2,
      fine: 15_000,
      surcharge: 0,
      amount: 15_000,
      dueDate: addDays(today, 15),
      daysLeft: 15,
    };
    const mine = await states(owner);
    expect(mine.get(a ?? '')).toEqual(awaiting);
    expect(mine.get(b ?? '')).toEqual(awaiting);
    // the points went on, yet the processed ones show no reasons and the rest keep theirs
    expect(mine.get(big ?? '')).toEqual({ kind: 'notProcessable', reasons: ['FINE_OVER_LIMIT'] });

    // another driver of the car sees that it was processed, not the owner's decision
    const theirs = await states(driver);
    expect(theirs.get(a ?? '')).toEqual({ kind: 'processed' });
    expect(JSON.stringify([...theirs.values()])).not.toContain(decisionNo);

    await world.setDays(15);
    expect((await states(owner)).get(a ?? '')).toMatchObject({ surcharge: 0, amount: 15_000, daysLeft: 0 });
    await world.setDays(16);
    expect((await states(owner)).get(a ?? '')).toMatchObject({ surcharge: 450, amount: 15_450, daysLeft: -1 });

    const order = await world.ok<CreatePaymentResult>('payment', { action: 'create', decisionId }, owner.openid);
    expect(order.amount).toBe(15_450);
    expect((await world.pay(order.outTradeNo)).status).toBe(200);

    const paid = (await states(owner)).get(a ?? '');
    // the order that paid it, so the card opens that receipt; the other driver gets neither number
    expect(paid).toMatchObject({ kind: 'paid', decisionNo, orderId: order.orderId });
    expect(paid && 'paidAt' in paid ? paid.paidAt : '').toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((await states(driver)).get(b ?? '')).toEqual({ kind: 'paid' });
  });

  it('a decision the registry reports paid at a bank is 已缴款（银行）, with when', async () => {
    const d = await world.decided([{ fine: 10_000, points: 1 }]);
    const [id] = d.ids;
    const { violations } = await world.ok<ViolationListResult>('violation', { action: 'list' }, d.person.openid);
    const seen = violations.find((v) => v.id === id);
    await world.importViolations([
      world.violationRow(d.car, {
        violationId: id ?? '',
        occurredAt: seen?.occurredAt ?? '',
        fine: 10_000,
        points: 1,
        behaviour: seen?.behaviour ?? '',
        place: seen?.place ?? '',
        status: 'paid',
      }),
    ]);
    const state = (await states(d.person)).get(id ?? '');
    expect(state).toMatchObject({ kind: 'paidOffline' });
    expect(state && 'paidAt' in state ? state.paidAt : '').toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});

finalChecks(() => world);
