/** What the 处罚决定书 page shows beyond the decision's own record: the person masked, each violation's place. */
import { maskIdNumber, maskName } from '../../../miniprogram/domain/account/id-number';
import type { DecisionResult } from '../../../miniprogram/domain/violation/contract';
import { command } from '../cloud';
import { COLLECTIONS } from '../collections';
import { find } from '../db';
import type { DecisionDoc, PersonDoc, ViolationDoc } from '../records';

/** The registry may send an offence code and its legal basis; rows imported before it did carry neither. */
type RegistryViolation = ViolationDoc & { readonly code?: unknown; readonly legalBasis?: unknown };

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The decision's result with the person masked and each violation's place, code and legal basis where known. */
export async function withDecisionDetails(
  result: DecisionResult,
  decision: DecisionDoc,
  person: PersonDoc,
): Promise<DecisionResult> {
  const ids = decision.items.map((item) => item.violationId);
  const docs = ids.length
    ? await find<RegistryViolation>(COLLECTIONS.violations, { _id: command.in(ids) }, { limit: ids.length })
    : [];
  const byId = new Map(docs.map((doc) => [doc._id, doc]));
  const violations = result.violations.map((item) => {
    const doc = byId.get(item.id);
    if (!doc) return item;
    const code = text(doc.code);
    const legalBasis = text(doc.legalBasis);
    return {
      ...item,
      place: doc.place,
      ...(code === undefined ? {} : { code }),
      ...(legalBasis === undefined ? {} : { legalBasis }),
    };
  });
  return {
    ...result,
    violations,
    personName: maskName(person.name),
    idNumber: maskIdNumber(person.idNumber),
    ...(decision.paidOrderId ? { paidOrderId: decision.paidOrderId } : {}),
    ...(decision.paidVia ? { paidVia: decision.paidVia } : {}),
  };
}
