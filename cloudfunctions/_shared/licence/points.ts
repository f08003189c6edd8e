/** The points that count today (with the cycle's roll-over and carry-over) and the cycle's history, decision by decision. */
import { parseInstant, shanghaiDate, type IsoDate } from '../../../miniprogram/domain/core/dates';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import {
  effectivePoints,
  needsDecisions,
  pointsHistory,
  type DecisionPointsFacts,
  type EffectivePoints,
  type StoredPoints,
} from '../../../miniprogram/domain/licence/points';
import { today } from '../clock';
import { COLLECTIONS } from '../collections';
import { find } from '../db';
import type { DecisionDoc, DriverDoc } from '../records';
import { requireVerified } from '../account/caller';
import type { PointsHistoryResult } from '../../../miniprogram/domain/licence/contract';

/** A person's decisions, newest first; a driver has a handful a year, so the cap is never reached in practice. */
const DECISIONS_LIMIT = 1000;

export function storedPoints(licence: DriverDoc): StoredPoints {
  return {
    firstIssueDate: licence.firstIssueDate,
    cyclePoints: licence.cyclePoints,
    pointsCycleStart: licence.pointsCycleStart ?? null,
    onlinePointsThroughMs: licence.onlinePointsThrough ? parseInstant(licence.onlinePointsThrough) : null,
    lastOnlineDecisionMs: licence.lastOnlineDecisionAtMs ?? null,
  };
}

export type DecisionFacts = DecisionPointsFacts & { readonly doc: DecisionDoc };

function decisionFacts(doc: DecisionDoc): DecisionFacts {
  const paidMs = doc.paidAt ? Date.parse(doc.paidAt) : Number.NaN;
  return {
    decisionId: doc._id,
    decisionNo: doc.decisionNo,
    decidedOn: doc.decidedOn,
    // Unreadable: NaN, which no watermark covers, so the decision's points are counted rather than lost.
    decidedAtMs: parseInstant(doc.decidedAt) ?? Number.NaN,
    points: doc.points,
    paidOn: doc.status === 'paid' ? (Number.isFinite(paidMs) ? shanghaiDate(paidMs) : doc.decidedOn) : null,
    doc,
  };
}

export async function personDecisions(personId: string): Promise<DecisionFacts[]> {
  const docs = await find<DecisionDoc>(
    COLLECTIONS.decisions,
    { personId },
    { orderBy: [['decidedAt', 'desc']], limit: DECISIONS_LIMIT },
  );
  return docs.map(decisionFacts);
}

/**
 * The points that count on `on`; reads the person's decisions only when a new cycle has begun or the licence records an
 * online decision after the registry's watermark. Inside a transaction the licence comes from its snapshot and the
 * decisions are read after it was taken: a decision committed later also wrote the licence, so the transaction
 * conflicts at its own write and runs again.
 */
export async function pointsOn(licence: DriverDoc, personId: string, on: IsoDate): Promise<EffectivePoints> {
  const stored = storedPoints(licence);
  const decisions = needsDecisions(stored, on) ? await personDecisions(personId) : [];
  return effectivePoints(stored, on, decisions);
}

export async function pointsHistoryOf(openid: string): Promise<PointsHistoryResult> {
  const caller = await requireVerified(openid);
  if (!caller.licence) throw new DomainError('LICENCE_NOT_FOUND');
  const history = pointsHistory(storedPoints(caller.licence), today(), await personDecisions(caller.person._id));
  return {
    cycleStart: history.cycle.start,
    cycleEnd: history.cycle.end,
    cyclePoints: history.points,
    carriedOver: history.carriedOver,
    otherPoints: history.otherPoints,
    remaining: history.remaining,
    atFullMarks: history.atFullMarks,
    entries: history.entries.map(({ decision, kind }) => ({
      decisionId: decision.decisionId,
      decisionNo: decision.decisionNo,
      decidedOn: decision.decidedOn,
      points: decision.points,
      violations: decision.doc.items.map((item) => ({
        plate: item.plate,
        occurredAt: item.occurredAt,
        behaviour: item.behaviour,
        points: item.points,
      })),
      paid: decision.paidOn !== null,
      kind,
    })),
  };
}
