/**
 * The points that count on a day, and their history in the cycle (docs/RULES.md, scoring cycle).
 *
 * The licence registry supplies a cycle's points (`cyclePoints`, with the cycle they belong to) and says up to when it
 * has heard of the online decisions (`onlinePointsThroughMs`, the watermark); every online decision that counts in the
 * cycle and was decided after the watermark is added to the registry's figure. Without a watermark the registry is
 * taken to know of no online decision, so an import never lowers what online decisions added.
 * When a new cycle starts the points are cleared, except the points of decisions whose fine was still unpaid
 * at the end of the previous cycle: those carry into the new one — and on, for as long as the fine stays unpaid.
 * Interpretation: points the registry counted for offline decisions are not known per decision here, so at a
 * roll-over only online decisions can carry; the registry's next import brings its own count.
 */

import { compareIsoDates, type IsoDate } from '../core/dates';
import { FULL_MARKS, scoringCycle, type ScoringCycle } from './scoring-cycle';

/** One online decision, as far as points are concerned. */
export interface DecisionPointsFacts {
  readonly decisionId: string;
  readonly decisionNo: string;
  readonly decidedOn: IsoDate;
  /** The instant of the decision (epoch ms), compared with the registry's watermark. */
  readonly decidedAtMs: number;
  readonly points: number;
  /** Asia/Shanghai date the fine was paid; null while unpaid. */
  readonly paidOn: IsoDate | null;
}

/** What the licence record holds. */
export interface StoredPoints {
  readonly firstIssueDate: IsoDate;
  readonly cyclePoints: number;
  /** The start of the cycle `cyclePoints` counts; null on records written before it was kept (taken as current). */
  readonly pointsCycleStart: IsoDate | null;
  /** The registry's `cyclePoints` include every online decision decided up to and including this instant; null: none. */
  readonly onlinePointsThroughMs: number | null;
  /** The latest online decision on the licence (epoch ms); null: none recorded, so no decision needs reading. */
  readonly lastOnlineDecisionMs: number | null;
}

/** Unpaid when `cycleStart` began: paid never, or on/after that day. */
function unpaidAt(decision: DecisionPointsFacts, cycleStart: IsoDate): boolean {
  return decision.paidOn === null || compareIsoDates(decision.paidOn, cycleStart) >= 0;
}

/** Decisions made before the cycle that starts on `cycleStart` whose fine was still unpaid when it began. */
export function carriedDecisions<T extends DecisionPointsFacts>(decisions: readonly T[], cycleStart: IsoDate): T[] {
  return decisions.filter(
    (d) => d.points > 0 && compareIsoDates(d.decidedOn, cycleStart) < 0 && unpaidAt(d, cycleStart),
  );
}

function sumPoints(decisions: readonly { readonly points: number }[]): number {
  return decisions.reduce((sum, d) => sum + d.points, 0);
}

/** Decided within the cycle (any paid state): their points count in it. */
function decidedIn<T extends DecisionPointsFacts>(decisions: readonly T[], cycle: ScoringCycle): T[] {
  return decisions.filter(
    (d) =>
      d.points > 0 && compareIsoDates(d.decidedOn, cycle.start) >= 0 && compareIsoDates(d.decidedOn, cycle.end) <= 0,
  );
}

/** Not yet in the registry's figure: decided after the watermark (no watermark: none is in it; an unreadable time: not). */
function afterWatermark(decision: DecisionPointsFacts, throughMs: number | null): boolean {
  return throughMs === null || !(decision.decidedAtMs <= throughMs);
}

export interface EffectivePoints {
  readonly cycle: ScoringCycle;
  /** The points that count today (what eligibility compares with 12). */
  readonly points: number;
  /** Of those, points carried from earlier cycles by unpaid fines (online decisions only). */
  readonly carriedOver: number;
  /** The stored points belong to an earlier cycle: the registry's figure no longer counts, only online decisions. */
  readonly rolledOver: boolean;
}

/**
 * The points that count on `today`. `decisions` are needed only when `needsDecisions` says so, so the common path
 * (no online decision the registry has not heard of, no new cycle) costs no query.
 */
export function effectivePoints(
  stored: StoredPoints,
  today: IsoDate,
  decisions: readonly DecisionPointsFacts[],
): EffectivePoints {
  const cycle = scoringCycle(stored.firstIssueDate, today);
  const carried = carriedDecisions(decisions, cycle.start);
  const counting = [...decidedIn(decisions, cycle), ...carried];
  const carriedOver = sumPoints(carried);
  if (needsRollOver(stored, today)) return { cycle, points: sumPoints(counting), carriedOver, rolledOver: true };
  const unheard = counting.filter((d) => afterWatermark(d, stored.onlinePointsThroughMs));
  return { cycle, points: stored.cyclePoints + sumPoints(unheard), carriedOver, rolledOver: false };
}

/** Whether the stored points belong to a cycle that has ended. */
export function needsRollOver(stored: StoredPoints, today: IsoDate): boolean {
  if (stored.pointsCycleStart === null) return false;
  return compareIsoDates(stored.pointsCycleStart, scoringCycle(stored.firstIssueDate, today).start) < 0;
}

/** Whether `effectivePoints` needs the person's decisions: a new cycle, or an online decision after the watermark. */
export function needsDecisions(stored: StoredPoints, today: IsoDate): boolean {
  if (needsRollOver(stored, today)) return true;
  const last = stored.lastOnlineDecisionMs;
  return last !== null && (stored.onlinePointsThroughMs === null || !(last <= stored.onlinePointsThroughMs));
}

export type PointsEntryKind = 'cycle' | 'carried';

export interface PointsEntry<T extends DecisionPointsFacts = DecisionPointsFacts> {
  readonly decision: T;
  readonly kind: PointsEntryKind;
}

export interface PointsHistory<T extends DecisionPointsFacts> extends EffectivePoints {
  /** Newest first: this cycle's decisions, then those carried in. */
  readonly entries: readonly PointsEntry<T>[];
  /** Points the registry counts that no online decision here explains (processed at a counter, on the spot…). */
  readonly otherPoints: number;
  readonly remaining: number;
  /** 12 or more: no more online processing; in-person study and exam (满分学习考试). */
  readonly atFullMarks: boolean;
}

/** The cycle's points, decision by decision, and what they add up to. */
export function pointsHistory<T extends DecisionPointsFacts>(
  stored: StoredPoints,
  today: IsoDate,
  decisions: readonly T[],
): PointsHistory<T> {
  const effective = effectivePoints(stored, today, decisions);
  const { start } = effective.cycle;
  const inCycle = decidedIn(decisions, effective.cycle);
  const newestFirst = (a: T, b: T) => compareIsoDates(b.decidedOn, a.decidedOn);
  const entries: PointsEntry<T>[] = [
    ...inCycle.sort(newestFirst).map((decision) => ({ decision, kind: 'cycle' as const })),
    ...carriedDecisions(decisions, start)
      .sort(newestFirst)
      .map((decision) => ({ decision, kind: 'carried' as const })),
  ];
  const explained = sumPoints(entries.map((e) => e.decision));
  return {
    ...effective,
    entries,
    otherPoints: Math.max(0, effective.points - explained),
    remaining: Math.max(0, FULL_MARKS - effective.points),
    atFullMarks: effective.points >= FULL_MARKS,
  };
}
