/** Parsers of the `violation` function's actions. */

import type { ViolationActions } from '../../../miniprogram/domain/violation/contract';
import { checkBatchSelection } from '../../../miniprogram/domain/violation/eligibility';
import { VIOLATION_ID, type Parsers, PLATE_TEXT, readPlate, OPAQUE_ID } from '../parse/fields';
import type { FieldReader } from '../parse/reader';

function readViolationIds(reader: FieldReader): string[] {
  const ids = reader.stringArray('violationIds', { maxItems: 1000, item: VIOLATION_ID });
  const error = checkBatchSelection(ids);
  if (error !== null) throw error;
  return ids;
}

export const violationParsers: Parsers<ViolationActions> = {
  list: (r) => (r.has('plate') && r.optionalString('plate', PLATE_TEXT) !== undefined ? { plate: readPlate(r) } : {}),
  process: (r) => {
    const violationIds = readViolationIds(r);
    return r.has('pay') && r.boolean('pay') ? { violationIds, pay: true } : { violationIds };
  },
  decision: (r) => ({ decisionId: r.string('decisionId', OPAQUE_ID) }),
  detail: (r) => ({ violationId: r.string('violationId', VIOLATION_ID) }),
};
