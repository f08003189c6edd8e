import {
  type DecisionPointsFacts,
  type StoredPoints,
  carriedDecisions,
  needsRollOver,
  effectivePoints,
  pointsHistory,
} from '../../miniprogram/domain/licence/points';
import { thrownBy } from '../helpers/matchers';

function decision(id: string, decidedOn: string, points: number, paidOn: string | null): DecisionPointsFacts {
  return { decisionId: id, decisionNo: `45010000000000${id}`, decidedOn, points, paidOn };
}

// first issued 2015-06-10: cycles run 06-10 … 06-09
const stored = (cyclePoints: number, pointsCycleStart: string | null): StoredPoints => ({
  firstIssueDate: '2015-06-10',
  cyclePoints,
  pointsCycleStart,
});

describe('points carried over by unpaid fines', () => {
  const decisions = [
    decision('01', '2025-01-05', 3, null), // unpaid at the end: carries
    decision('02', '2025-02-05', 6, '2025-06-09'), // paid on the cycle's last day: does not carry
    decision('03', '2025-03-05', 1, '2025-06-10'), // paid on the new cycle's first day: was unpaid at the end, carries
    decision('04', '2025-06-10', 3, null), // decided in the new cycle: counts there, not carried
    decision('05', '2025-04-01', 0, null), // fine-only: nothing to carry
  ];

  it('carries exactly the decisions unpaid at the end of the previous cycle', () => {
    expect(carriedDecisions(decisions, '2025-06-10').map((d) => d.decisionId)).toEqual(['01', '03']);
  });

  it("keeps the stored points on the cycle's last day, rolls over on the next cycle's first day", () => {
    expect(needsRollOver(stored(10, '2024-06-10'), '2025-06-09')).toBe(false);
    expect(effectivePoints(stored(10, '2024-06-10'), '2025-06-09', decisions)).toMatchObject({
      points: 10,
      rolledOver: false,
      cycle: { start: '2024-06-10', end: '2025-06-09' },
    });
    expect(needsRollOver(stored(10, '2024-06-10'), '2025-06-10')).toBe(true);
    expect(effectivePoints(stored(10, '2024-06-10'), '2025-06-10', decisions)).toMatchObject({
      points: 4,
      carriedOver: 4,
      rolledOver: true,
      cycle: { start: '2025-06-10' },
    });
  });

  it('carries again into the cycle after when the fine is still unpaid, and not once it is paid', () => {
    const old = [decision('01', '2024-01-05', 3, null), decision('02', '2024-02-05', 6, '2025-01-01')];
    expect(effectivePoints(stored(12, '2023-06-10'), '2025-07-01', old)).toMatchObject({ points: 3, carriedOver: 3 });
  });

  it('takes records without a cycle mark as the current cycle (no roll-over, no decisions needed)', () => {
    expect(needsRollOver(stored(7, null), '2030-01-01')).toBe(false);
    expect(effectivePoints(stored(7, null), '2030-01-01', [])).toMatchObject({ points: 7, rolledOver: false });
  });

  it('reckons a 29 February first issue through common years (cycle ends 28 Feb, next starts 1 Mar)', () => {
    const leap: StoredPoints = { firstIssueDate: '2020-02-29', cyclePoints: 9, pointsCycleStart: '2024-02-29' };
    const unpaid = [decision('01', '2025-02-28', 9, null)];
    expect(effectivePoints(leap, '2025-02-28', unpaid)).toMatchObject({
      points: 9,
      rolledOver: false,
      cycle: { start: '2024-02-29', end: '2025-02-28' },
    });
    expect(effectivePoints(leap, '2025-03-01', unpaid)).toMatchObject({
      points: 9,
      carriedOver: 9,
      rolledOver: true,
      cycle: { start: '2025-03-01', end: '2026-02-28' },
    });
    expect(effectivePoints({ ...leap, pointsCycleStart: '2027-03-01' }, '2028-02-29', [])).toMatchObject({
      points: 0,
      rolledOver: true,
      cycle: { start: '2028-02-29' },
    });
  });
});

describe('points history', () => {
  it("lists this cycle's decisions newest first, then the carried ones, and explains the rest as other points", () => {
    const decisions = [
      decision('01', '2025-01-05', 3, null),
      decision('04', '2025-06-10', 3, null),
      decision('06', '2025-08-01', 1, '2025-08-02'),
    ];
    const history = pointsHistory(stored(9, '2025-06-10'), '2025-09-01', decisions);
    expect(history.entries.map((e) => [e.decision.decisionId, e.kind])).toEqual([
      ['06', 'cycle'],
      ['04', 'cycle'],
      ['01', 'carried'],
    ]);
    expect(history).toMatchObject({ points: 9, carriedOver: 3, otherPoints: 2, remaining: 3, atFullMarks: false });
  });

  it('reports full marks at 12 and above (carry-over can pass 12), never a negative remainder', () => {
    expect(pointsHistory(stored(11, null), '2025-09-01', [])).toMatchObject({ remaining: 1, atFullMarks: false });
    expect(pointsHistory(stored(12, null), '2025-09-01', [])).toMatchObject({ remaining: 0, atFullMarks: true });
    expect(pointsHistory(stored(15, null), '2025-09-01', [])).toMatchObject({ remaining: 0, atFullMarks: true });
    expect(pointsHistory(stored(0, null), '2025-09-01', [])).toMatchObject({
      remaining: 12,
      atFullMarks: false,
      entries: [],
    });
  });

  it('refuses a malformed first-issue date with a typed error', () => {
    expect(
      thrownBy(() =>
        pointsHistory({ firstIssueDate: '2025-02-30', cyclePoints: 0, pointsCycleStart: null }, '2025-09-01', []),
      ),
    ).toEqual(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
