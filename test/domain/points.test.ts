import { parseInstant } from '../../miniprogram/domain/core/dates';
import {
  type DecisionPointsFacts,
  type StoredPoints,
  carriedDecisions,
  needsDecisions,
  needsRollOver,
  effectivePoints,
  pointsHistory,
} from '../../miniprogram/domain/licence/points';
import { thrownBy } from '../helpers/matchers';

function at(instant: string): number {
  const ms = parseInstant(instant);
  if (ms === null) throw new Error(`not an instant: ${instant}`);
  return ms;
}

/** A decision made at noon in Nanning on `decidedOn` unless `decidedAtMs` says when. */
function decision(
  id: string,
  decidedOn: string,
  points: number,
  paidOn: string | null,
  decidedAtMs = at(`${decidedOn}T12:00:00+08:00`),
): DecisionPointsFacts {
  return { decisionId: id, decisionNo: `45010000000000${id}`, decidedOn, decidedAtMs, points, paidOn };
}

/** A watermark after every decision these tests make: the registry's figure already includes them all. */
const HEARD_OF_ALL = at('2099-01-01T00:00:00+08:00');

// first issued 2015-06-10: cycles run 06-10 … 06-09
const stored = (
  cyclePoints: number,
  pointsCycleStart: string | null,
  onlinePointsThroughMs: number | null = HEARD_OF_ALL,
): StoredPoints => ({
  firstIssueDate: '2015-06-10',
  cyclePoints,
  pointsCycleStart,
  onlinePointsThroughMs,
  lastOnlineDecisionMs: null,
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
    // the carried 3 + 1, and 04's 3 decided on the new cycle's first day: the registry's old figure no longer counts
    expect(effectivePoints(stored(10, '2024-06-10'), '2025-06-10', decisions)).toMatchObject({
      points: 7,
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
    const leap: StoredPoints = {
      firstIssueDate: '2020-02-29',
      cyclePoints: 9,
      pointsCycleStart: '2024-02-29',
      onlinePointsThroughMs: HEARD_OF_ALL,
      lastOnlineDecisionMs: null,
    };
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
      thrownBy(() => pointsHistory({ ...stored(0, null), firstIssueDate: '2025-02-30' }, '2025-09-01', [])),
    ).toEqual(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe("the registry's watermark: online decisions it has not heard of are added to its points", () => {
  // cycle 2025-06-10 … 2026-06-09; the registry says 5 points, one online decision of 3 on 1 August at 09:30:15.250
  const decidedAt = at('2025-08-01T09:30:15.250+08:00');
  const online = [decision('10', '2025-08-01', 3, null, decidedAt)];
  const today = '2025-09-01';

  it("a decision exactly at the watermark is in the registry's figure: nothing is added, and it explains 3 of the 5", () => {
    const history = pointsHistory(stored(5, '2025-06-10', decidedAt), today, online);
    expect(history).toMatchObject({ points: 5, otherPoints: 2, remaining: 7 });
    expect(history.entries.map((e) => e.decision.decisionId)).toEqual(['10']);
  });

  it('a decision one second after the watermark is added (and one millisecond after, too)', () => {
    expect(pointsHistory(stored(5, '2025-06-10', decidedAt - 1000), today, online)).toMatchObject({
      points: 8,
      otherPoints: 5,
    });
    expect(effectivePoints(stored(5, '2025-06-10', decidedAt - 1), today, online).points).toBe(8);
    expect(effectivePoints(stored(5, '2025-06-10', decidedAt + 1000), today, online).points).toBe(5);
  });

  it("without a watermark the registry knows of no online decision: all of the cycle's are added", () => {
    expect(pointsHistory(stored(5, '2025-06-10', null), today, online)).toMatchObject({ points: 8, otherPoints: 5 });
    expect(effectivePoints(stored(0, '2025-06-10', null), today, [])).toMatchObject({ points: 0, rolledOver: false });
  });

  it("a watermark in the previous cycle: carried decisions after it are added, those before it are the registry's", () => {
    const decisions = [
      ...online,
      decision('11', '2025-04-01', 3, null), // before the watermark, unpaid: carried, and in the registry's 6
      decision('12', '2025-05-20', 1, null), // after the watermark, unpaid: carried, added
      decision('13', '2025-05-25', 6, '2025-06-01'), // after it, but paid before the cycle began: not carried
    ];
    const history = pointsHistory(stored(6, '2025-06-10', at('2025-05-01T00:00:00+08:00')), today, decisions);
    expect(history).toMatchObject({ points: 10, carriedOver: 4, otherPoints: 3, rolledOver: false });
    expect(history.entries.map((e) => [e.decision.decisionId, e.kind])).toEqual([
      ['10', 'cycle'],
      ['12', 'carried'],
      ['11', 'carried'],
    ]);
  });

  it("at the roll-over the registry's old figure and its watermark no longer count: every online decision that does", () => {
    const decisions = [
      decision('20', '2025-05-01', 3, null), // carried
      decision('21', '2025-06-10', 1, null), // the new cycle's first day
    ];
    for (const through of [null, HEARD_OF_ALL, at('2025-05-01T00:00:00+08:00')])
      expect(effectivePoints(stored(9, '2024-06-10', through), '2025-06-10', decisions)).toMatchObject({
        points: 4,
        carriedOver: 3,
        rolledOver: true,
      });
  });

  it('reaches full marks with the decisions added, and counts a decision of unreadable time rather than lose it', () => {
    expect(pointsHistory(stored(11, '2025-06-10', null), today, online)).toMatchObject({
      points: 14,
      remaining: 0,
      atFullMarks: true,
    });
    const unreadable = [decision('30', '2025-08-01', 3, null, Number.NaN)];
    expect(effectivePoints(stored(5, '2025-06-10', HEARD_OF_ALL), today, unreadable).points).toBe(8);
  });

  it("reads the decisions only when one may be missing from the registry's figure or a new cycle began", () => {
    const base = stored(5, '2025-06-10', decidedAt);
    expect(needsDecisions(base, today)).toBe(false);
    expect(needsDecisions({ ...base, lastOnlineDecisionMs: decidedAt }, today)).toBe(false);
    expect(needsDecisions({ ...base, lastOnlineDecisionMs: decidedAt + 1 }, today)).toBe(true);
    expect(needsDecisions({ ...base, onlinePointsThroughMs: null, lastOnlineDecisionMs: decidedAt }, today)).toBe(true);
    expect(needsDecisions({ ...base, onlinePointsThroughMs: null }, today)).toBe(false);
    expect(needsDecisions({ ...base, lastOnlineDecisionMs: Number.NaN }, today)).toBe(true);
    expect(needsDecisions(base, '2026-06-10')).toBe(true);
  });
});
