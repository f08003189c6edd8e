/**
 * The online decisions for the police system (`admin.exportDecisions`), so the registry hears of every point and fine
 * decided in the app. Each decision carries an export key (sequence.ts) stamped in the transaction that made it and
 * stamped again in the one that paid it; pages walk the keys in order and stop short of the last EXPORT_SETTLE_MS, so a
 * page resumed after the caller's cursor misses nothing and repeats nothing; a paid decision comes again with its
 * payment and the police system upserts it by decision number.
 */
import { parseInstant, shanghaiInstant } from '../../../miniprogram/domain/core/dates';
import { audit } from '../audit';
import { command } from '../cloud';
import { COLLECTIONS } from '../collections';
import { database, find } from '../db';
import { nowMs } from '../clock';
import { settledExportKey } from '../sequence';
import type { DecisionDoc, OrderDoc, PersonDoc } from '../records';
import { actorLabel, type Actor } from './access';
import type { DecisionExportRow, ExportDecisionsParams, ExportDecisionsResult } from './contract';

const DEFAULT_PAGE = 100;

function exportedInstant(stored: string): string {
  const ms = parseInstant(stored);
  return ms === null ? stored : shanghaiInstant(ms);
}

function rowOf(doc: DecisionDoc, person: PersonDoc | undefined, order: OrderDoc | undefined): DecisionExportRow {
  return {
    decisionNo: doc.decisionNo,
    person: { idNumber: person?.idNumber ?? '', name: person?.name ?? '' },
    violations: doc.items.map((item) => ({
      id: item.violationId,
      plate: item.plate,
      occurredAt: item.occurredAt,
      code: item.code ?? null,
      behaviour: item.behaviour,
      points: item.points,
      fine: item.fine,
    })),
    points: doc.points,
    fine: doc.fine,
    surchargePaid: doc.status === 'paid' && order ? order.surcharge : null,
    decidedAt: exportedInstant(doc.decidedAt),
    paidAt: doc.paidAt,
    paidVia: doc.status === 'paid' ? (doc.paidVia ?? 'wechat') : null,
    status: doc.status,
  };
}

export async function exportDecisions(params: ExportDecisionsParams, actor: Actor): Promise<ExportDecisionsResult> {
  const after = params.after ?? '';
  const limit = params.limit ?? DEFAULT_PAGE;
  // One more than the page: whether more are ready without a second query.
  const found = await find<DecisionDoc>(
    COLLECTIONS.decisions,
    { exportKey: command.gt(after).and(command.lte(settledExportKey(nowMs()))) },
    { orderBy: [['exportKey', 'asc']], limit: limit + 1 },
  );
  const page = found.slice(0, limit);
  const nextCursor = page[page.length - 1]?.exportKey ?? after;
  if (page.length === 0) return { decisions: [], nextCursor, hasMore: false };

  const personIds = [...new Set(page.map((d) => d.personId))];
  const orderIds = [...new Set(page.flatMap((d) => (d.status === 'paid' && d.paidOrderId ? [d.paidOrderId] : [])))];
  const [people, orders] = await Promise.all([
    find<PersonDoc>(COLLECTIONS.people, { _id: command.in(personIds) }, { limit: personIds.length }),
    orderIds.length
      ? find<OrderDoc>(COLLECTIONS.orders, { _id: command.in(orderIds) }, { limit: orderIds.length })
      : Promise.resolve([]),
  ]);
  const personById = new Map(people.map((p) => [p._id, p]));
  const orderById = new Map(orders.map((o) => [o._id, o]));
  const decisions = page.map((doc) =>
    rowOf(doc, personById.get(doc.personId), doc.paidOrderId ? orderById.get(doc.paidOrderId) : undefined),
  );
  // Full ID numbers and names leave the app here: who took which, and when, is kept.
  await audit(database, {
    openid: '',
    action: 'admin.exportDecisions',
    target: 'decisions',
    before: { after },
    after: { by: actorLabel(actor), nextCursor, decisionNos: decisions.map((d) => d.decisionNo) },
  });
  return { decisions, nextCursor, hasMore: found.length > limit };
}
