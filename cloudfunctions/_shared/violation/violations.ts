/** The violations of the caller's bound cars, one of them with its evidence, and processing them (接受处理) into one penalty decision. */
import { addDays, type IsoDate } from '../../../miniprogram/domain/core/dates';
import { formatDecisionNumber } from '../../../miniprogram/domain/violation/decision-number';
import {
  requireBatchProcessable,
  violationEligibility,
  type ProcessorLicence,
  type ViolationFacts,
} from '../../../miniprogram/domain/violation/eligibility';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { amountDue, lateSurcharge, PAYMENT_PERIOD_DAYS } from '../../../miniprogram/domain/violation/fees';
import { violationState, type OwnDecisionFacts } from '../../../miniprogram/domain/violation/state';
import { audit } from '../audit';
import { command } from '../cloud';
import { nowMs, today } from '../clock';
import { COLLECTIONS } from '../collections';
import { database, find, getById, setById, updateById, type NewDoc } from '../db';
import { newId } from '../ids';
import type { DecisionDoc, DriverDoc, ViolationDoc } from '../records';
import { exportKey, nextDecisionSequence } from '../sequence';
import { inTransaction } from '../transaction';
import { processorLicence, requireVerified, type VerifiedCaller } from '../account/caller';
import { cloudStorage, type StoragePort } from '../ports/storage';
import { pointsOn } from '../licence/points';
import { withDecisionDetails } from '../payment/decision-view';
import type {
  ViolationListParams,
  ViolationListResult,
  ViolationItem,
  DecisionResult,
  ProcessParams,
  ProcessResult,
  ViolationDetail,
} from '../../../miniprogram/domain/violation/contract';

/** Newest first; a driver with more than this many records on their cars sees the latest ones. */
const VIOLATION_LIST_LIMIT = 200;
const PROCESS_ATTEMPTS = 8;

function facts(doc: ViolationDoc): ViolationFacts {
  return {
    id: doc._id,
    source: doc.source,
    status: doc.status,
    disputed: doc.disputed,
    fine: doc.fine,
    points: doc.points,
  };
}

/** Today's late surcharge on a processed, unpaid violation (the decision's date starts the 15 days). */
function surchargeOf(doc: ViolationDoc, on: IsoDate): number {
  return doc.status === 'processed' && doc.decidedOn ? lateSurcharge(doc.fine, doc.decidedOn, on) : 0;
}

/** The caller's own decisions behind the listed violations; read only when there are some (one request). */
async function ownDecisionsOf(docs: readonly ViolationDoc[], personId: string): Promise<Map<string, OwnDecisionFacts>> {
  const ids = [
    ...new Set(docs.filter((d) => d.processedBy === personId && d.decisionId).map((d) => d.decisionId ?? '')),
  ];
  if (ids.length === 0) return new Map();
  const decisions = await find<DecisionDoc>(COLLECTIONS.decisions, { _id: command.in(ids) }, { limit: ids.length });
  return new Map(
    decisions
      .filter((d) => d.personId === personId)
      .map((d): [string, OwnDecisionFacts] => [
        d._id,
        {
          decisionId: d._id,
          decisionNo: d.decisionNo,
          decidedOn: d.decidedOn,
          fine: d.fine,
          violationCount: d.items.length,
          status: d.status,
          paidAt: d.paidAt,
          paidVia: d.paidVia ?? (d.status === 'paid' ? 'wechat' : null),
          paidOrderId: d.paidOrderId,
        },
      ]),
  );
}

/** What every view of a caller's violations needs besides the record: who asks, their licence today, their decisions. */
interface ViewContext {
  readonly personId: string;
  readonly licence: ProcessorLicence | null;
  readonly on: IsoDate;
  readonly ownDecisions: ReadonlyMap<string, OwnDecisionFacts>;
}

/** The caller's licence as eligibility sees it today, and their points in the current cycle when a licence is linked. */
async function callerLicence(
  caller: VerifiedCaller,
  on: IsoDate,
): Promise<{ licence: ProcessorLicence | null; cyclePoints?: number }> {
  const cyclePoints = caller.licence ? (await pointsOn(caller.licence, caller.person._id, on)).points : undefined;
  const licence = processorLicence(caller.licence, cyclePoints ?? 0);
  return cyclePoints === undefined ? { licence } : { licence, cyclePoints };
}

/** One violation as the caller sees it, with its one state: the list and the detail both answer this. */
function itemOf(doc: ViolationDoc, ctx: ViewContext): ViolationItem {
  const eligibility = violationEligibility(facts(doc), ctx.licence, ctx.on);
  // Another driver of a shared car sees that it was processed, not their decision (another person's record).
  const own = doc.processedBy === ctx.personId;
  const state = violationState(
    {
      status: doc.status,
      eligibility,
      decidedOnline: Boolean(doc.decisionId),
      ownDecision: own ? (ctx.ownDecisions.get(doc.decisionId ?? '') ?? null) : null,
      bankPaidAt: doc.paidAt ?? null,
    },
    ctx.on,
  );
  const item: ViolationItem = {
    id: doc._id,
    plate: doc.plate,
    plateType: doc.plateType,
    occurredAt: doc.occurredAt,
    place: doc.place,
    behaviour: doc.behaviour,
    fine: doc.fine,
    points: doc.points,
    surcharge: surchargeOf(doc, ctx.on),
    processable: eligibility.processable,
    reasons: eligibility.reasons,
    status: doc.status,
    state,
  };
  return own && doc.decisionId && doc.decisionNo
    ? { ...item, decisionId: doc.decisionId, decisionNo: doc.decisionNo }
    : item;
}

export async function listViolations(openid: string, params: ViolationListParams): Promise<ViolationListResult> {
  const caller = await requireVerified(openid);
  const bindings = caller.person.bindings.filter((b) => params.plate === undefined || b.plate === params.plate);
  const on = today();
  const { licence, cyclePoints } = await callerLicence(caller, on);
  const withPoints = <T extends object>(result: T) => (cyclePoints === undefined ? result : { ...result, cyclePoints });
  if (bindings.length === 0) return withPoints({ violations: [] });
  const docs = await find<ViolationDoc>(
    COLLECTIONS.violations,
    { vehicleId: command.in(bindings.map((b) => b.vehicleId)) },
    { orderBy: [['occurredAt', 'desc']], limit: VIOLATION_LIST_LIMIT },
  );
  const ctx = { personId: caller.person._id, licence, on, ownDecisions: await ownDecisionsOf(docs, caller.person._id) };
  return withPoints({ violations: docs.map((doc) => itemOf(doc, ctx)) });
}

/**
 * One violation of a bound car with its code, legal basis and the camera's photos as temporary URLs. A record on a
 * car the caller has not bound is answered as not found, as processing it would be.
 */
export async function violationDetail(
  openid: string,
  violationId: string,
  storage: StoragePort = cloudStorage,
): Promise<ViolationDetail> {
  const caller = await requireVerified(openid);
  const doc = await getById<ViolationDoc>(database, COLLECTIONS.violations, violationId);
  if (!doc || !caller.person.bindings.some((b) => b.vehicleId === doc.vehicleId))
    throw new DomainError('NOT_FOUND', '该违法记录不存在或不属于您绑定的车辆。');
  const on = today();
  const { licence } = await callerLicence(caller, on);
  const ownDecisions = await ownDecisionsOf([doc], caller.person._id);
  const fileIDs = doc.photos ?? [];
  const urls = await storage.tempUrls(fileIDs);
  return {
    ...itemOf(doc, { personId: caller.person._id, licence, on, ownDecisions }),
    ...(doc.code ? { code: doc.code } : {}),
    ...(doc.legalBasis ? { legalBasis: doc.legalBasis } : {}),
    photos: fileIDs.map((fileID) => ({ url: urls.get(fileID) ?? '' })),
  };
}

export async function decisionDetail(openid: string, decisionId: string): Promise<DecisionResult> {
  const caller = await requireVerified(openid);
  const decision = await getById<DecisionDoc>(database, COLLECTIONS.decisions, decisionId);
  if (!decision || decision.personId !== caller.person._id) throw new DomainError('NOT_FOUND', '处罚决定书不存在。');
  const paid = decision.status === 'paid';
  const amount = paid ? 0 : amountDue(decision.fine, decision.decidedOn, today());
  const result: DecisionResult = {
    decisionId: decision._id,
    decisionNo: decision.decisionNo,
    status: decision.status,
    decisionDate: decision.decidedOn,
    dueDate: addDays(decision.decidedOn, PAYMENT_PERIOD_DAYS),
    fine: decision.fine,
    points: decision.points,
    surcharge: paid ? 0 : amount - decision.fine,
    amount,
    violations: decision.items.map((item) => ({
      id: item.violationId,
      plate: item.plate,
      occurredAt: item.occurredAt,
      behaviour: item.behaviour,
      fine: item.fine,
      points: item.points,
    })),
  };
  return withDecisionDetails(
    decision.paidAt ? { ...result, paidAt: decision.paidAt } : result,
    decision,
    caller.person,
  );
}

export async function processViolations(openid: string, params: ProcessParams): Promise<ProcessResult> {
  const caller = await requireVerified(openid);
  const ids = [...params.violationIds];
  const bound = new Set(caller.person.bindings.map((b) => b.vehicleId));
  const found = await find<ViolationDoc>(COLLECTIONS.violations, { _id: command.in(ids) }, { limit: ids.length });
  const byId = new Map(found.map((doc) => [doc._id, doc]));
  // Another person's violation is answered as not found: nobody learns what is on a car they have not bound.
  const missing = ids.filter((id) => !bound.has(byId.get(id)?.vehicleId ?? ''));
  if (missing.length)
    throw new DomainError('NOT_FOUND', '所选违法记录不存在或不属于您绑定的车辆。', { reasons: missing });
  const on = today();
  const points = caller.licence ? (await pointsOn(caller.licence, caller.person._id, on)).points : 0;
  // A first check outside the transaction answers most refusals without writing anything.
  requireBatchProcessable(found.map(facts), processorLicence(caller.licence, points), on);
  const licenceId = caller.licence?._id;
  if (!licenceId) throw new DomainError('LICENCE_NOT_FOUND');
  const decisionNo = formatDecisionNumber(await nextDecisionSequence());

  return inTransaction(async (tx) => {
    // The check that counts: every violation and the licence as they are now, in this transaction's snapshot.
    const licence = await getById<DriverDoc>(tx, COLLECTIONS.drivers, licenceId);
    // The registry's points plus the online decisions it has not heard of (read after this snapshot was taken: one
    // committed since also wrote the licence, so this transaction then conflicts on the licence and runs again).
    const cyclePoints = licence ? await pointsOn(licence, caller.person._id, on) : null;
    const fresh: ViolationDoc[] = [];
    for (const id of ids) {
      const doc = await getById<ViolationDoc>(tx, COLLECTIONS.violations, id);
      if (!doc) throw new DomainError('NOT_FOUND', '所选违法记录不存在。');
      fresh.push(doc);
    }
    const summary = requireBatchProcessable(fresh.map(facts), processorLicence(licence, cyclePoints?.points ?? 0), on);
    const decisionId = newId();
    const atMs = nowMs();
    const at = new Date(atMs).toISOString();
    for (const doc of fresh) {
      await updateById(tx, COLLECTIONS.violations, doc._id, {
        status: 'processed',
        decisionId,
        decisionNo,
        decidedOn: on,
        processedBy: caller.person._id,
      });
    }
    // The decision's points count through it (licence/points.ts); the registry's own figure stays as imported, so an
    // import cannot overwrite them. Writing the licence makes concurrent batches of one driver conflict here.
    await updateById(tx, COLLECTIONS.drivers, licenceId, {
      lastOnlineDecisionAtMs: Math.max(atMs, licence?.lastOnlineDecisionAtMs ?? 0),
    });
    const decision: NewDoc<DecisionDoc> = {
      decisionNo,
      personId: caller.person._id,
      openid,
      items: fresh.map((doc) => ({
        violationId: doc._id,
        plate: doc.plate,
        occurredAt: doc.occurredAt,
        behaviour: doc.behaviour,
        fine: doc.fine,
        points: doc.points,
        ...(doc.code ? { code: doc.code } : {}),
      })),
      fine: summary.totalFine,
      points: summary.batchPoints,
      decidedOn: on,
      decidedAt: at,
      status: 'unpaid',
      paidAt: null,
      paidOrderId: null,
      exportKey: exportKey(atMs, decisionId),
    };
    await setById(tx, COLLECTIONS.decisions, decisionId, decision);
    await audit(tx, {
      openid,
      action: 'violation.process',
      target: `decisions/${decisionId}`,
      before: { violations: ids, status: 'unprocessed', cyclePoints: summary.currentPoints },
      after: { decisionNo, status: 'processed', cyclePoints: summary.totalPoints },
    });
    return {
      decisionId,
      decisionNo,
      amount: summary.totalFine,
      fine: summary.totalFine,
      points: summary.batchPoints,
      decisionDate: on,
      dueDate: addDays(on, PAYMENT_PERIOD_DAYS),
      violationIds: ids,
    };
  }, PROCESS_ATTEMPTS);
}
