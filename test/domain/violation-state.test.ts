// One state per violation: the edges of the surcharge and deadline (day 15 vs 16), paid online vs at a bank, the
// caller's own decision vs another driver's, and no eligibility reasons once processed.
import {
  violationState,
  violationTab,
  VIOLATION_STATE_KINDS,
  type OwnDecisionFacts,
  type ViolationStateFacts,
} from '../../miniprogram/domain/violation/state';

const DECIDED = '2025-03-01';

function decision(overrides: Partial<OwnDecisionFacts> = {}): OwnDecisionFacts {
  return {
    decisionId: 'd-1',
    decisionNo: '4501000000000017',
    decidedOn: DECIDED,
    fine: 20_000,
    violationCount: 2,
    status: 'unpaid',
    paidAt: null,
    paidVia: null,
    ...overrides,
  };
}

function facts(overrides: Partial<ViolationStateFacts> = {}): ViolationStateFacts {
  return {
    status: 'unprocessed',
    eligibility: { processable: true, reasons: [] },
    decidedOnline: false,
    ownDecision: null,
    ...overrides,
  };
}

const processedOwn = (d: Partial<OwnDecisionFacts> = {}) =>
  facts({
    status: 'processed',
    eligibility: { processable: false, reasons: ['ALREADY_PROCESSED', 'CYCLE_POINTS'] },
    decidedOnline: true,
    ownDecision: decision(d),
  });

describe('violationState', () => {
  it('an unprocessed violation is processable, or not with every reason', () => {
    expect(violationState(facts(), DECIDED)).toEqual({ kind: 'processable' });
    expect(
      violationState(facts({ eligibility: { processable: false, reasons: ['DISPUTED', 'CYCLE_POINTS'] } }), DECIDED),
    ).toEqual({ kind: 'notProcessable', reasons: ['DISPUTED', 'CYCLE_POINTS'] });
  });

  it('the own unpaid decision: the fine alone through day 15, the last day with 0 days left', () => {
    expect(violationState(processedOwn(), DECIDED)).toEqual({
      kind: 'awaitingPayment',
      decisionId: 'd-1',
      decisionNo: '4501000000000017',
      violationCount: 2,
      fine: 20_000,
      surcharge: 0,
      amount: 20_000,
      dueDate: '2025-03-16',
      daysLeft: 15,
    });
    expect(violationState(processedOwn(), '2025-03-16')).toMatchObject({ amount: 20_000, surcharge: 0, daysLeft: 0 });
  });

  it("day 16 adds 3 % of the decision's total fine and is one day late; the surcharge stops at the fine", () => {
    expect(violationState(processedOwn(), '2025-03-17')).toMatchObject({
      kind: 'awaitingPayment',
      surcharge: 600,
      amount: 20_600,
      dueDate: '2025-03-16',
      daysLeft: -1,
    });
    expect(violationState(processedOwn(), '2025-06-30')).toMatchObject({ surcharge: 20_000, amount: 40_000 });
  });

  it('never shows eligibility reasons once processed, whatever they are', () => {
    for (const f of [
      processedOwn(),
      processedOwn({ status: 'paid', paidAt: '2025-03-02T10:00:00+08:00', paidVia: 'wechat' }),
      facts({ status: 'processed', decidedOnline: true }),
      facts({ status: 'processed', eligibility: { processable: false, reasons: ['ALREADY_PROCESSED'] } }),
      facts({ status: 'paid', eligibility: { processable: false, reasons: ['ALREADY_PROCESSED'] } }),
    ]) {
      expect(violationState(f, DECIDED)).not.toHaveProperty('reasons');
    }
  });

  it('paid online: when and the number on the own decision', () => {
    expect(
      violationState(processedOwn({ status: 'paid', paidAt: '2025-03-02T10:00:00+08:00', paidVia: 'wechat' }), DECIDED),
    ).toEqual({ kind: 'paid', decisionNo: '4501000000000017', paidAt: '2025-03-02T10:00:00+08:00' });
  });

  it('paid online by a known order: that order, for the receipt; an empty one is none', () => {
    const paid = { status: 'paid', paidAt: '2025-03-02T10:00:00+08:00', paidVia: 'wechat' } as const;
    expect(violationState(processedOwn({ ...paid, paidOrderId: 'GA1' }), DECIDED)).toMatchObject({ orderId: 'GA1' });
    expect(violationState(processedOwn({ ...paid, paidOrderId: '' }), DECIDED)).not.toHaveProperty('orderId');
    expect(violationState(processedOwn({ ...paid, paidOrderId: null }), DECIDED)).not.toHaveProperty('orderId');
  });

  it('paid at a bank: the own decision the registry completed, or this violation alone reported paid', () => {
    expect(
      violationState(
        processedOwn({ status: 'paid', paidAt: '2025-03-05T00:00:00+08:00', paidVia: 'registry' }),
        DECIDED,
      ),
    ).toEqual({ kind: 'paidOffline', paidAt: '2025-03-05T00:00:00+08:00' });
    expect(violationState({ ...processedOwn(), status: 'paid' }, '2025-03-20')).toEqual({ kind: 'paidOffline' });
  });

  it("another driver's decision: processed or paid, and nothing of theirs", () => {
    expect(violationState(facts({ status: 'processed', decidedOnline: true }), DECIDED)).toEqual({ kind: 'processed' });
    expect(violationState(facts({ status: 'paid', decidedOnline: true }), DECIDED)).toEqual({ kind: 'paid' });
  });

  it('processed or paid by the registry alone: at the window, at the bank', () => {
    expect(violationState(facts({ status: 'processed' }), DECIDED)).toEqual({ kind: 'processedOffline' });
    expect(violationState(facts({ status: 'paid' }), DECIDED)).toEqual({ kind: 'paidOffline' });
  });

  it("paid at the bank: when the bank says, whether or not the caller's decision covers it", () => {
    const bankPaidAt = '2025-03-04T10:30:00+08:00';
    expect(violationState(facts({ status: 'paid', bankPaidAt }), DECIDED)).toEqual({
      kind: 'paidOffline',
      paidAt: bankPaidAt,
    });
    expect(violationState({ ...processedOwn(), status: 'paid', bankPaidAt }, '2025-03-20')).toEqual({
      kind: 'paidOffline',
      paidAt: bankPaidAt,
    });
    expect(violationState(facts({ status: 'paid', bankPaidAt: null }), DECIDED)).toEqual({ kind: 'paidOffline' });
    expect(violationState(facts({ status: 'processed', bankPaidAt }), DECIDED)).toEqual({ kind: 'processedOffline' });
  });
});

describe('violationTab', () => {
  it('待处理 holds both unprocessed states, 待缴款 the own unpaid decisions, 已完成 the rest', () => {
    expect(VIOLATION_STATE_KINDS.map((kind) => [kind, violationTab(kind)])).toEqual([
      ['processable', 'pending'],
      ['notProcessable', 'pending'],
      ['awaitingPayment', 'unpaid'],
      ['processed', 'done'],
      ['paid', 'done'],
      ['processedOffline', 'done'],
      ['paidOffline', 'done'],
    ]);
  });
});
