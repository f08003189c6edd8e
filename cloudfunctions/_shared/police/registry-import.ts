/**
 * The police registries' imports: idempotent upserts by the registry's own keys, a batch of up to 1000 rows
 * applied in one transaction (all of its valid rows or none), per-row errors reported by the parser.
 */
import { VIOLATION_STATUSES, type ViolationStatus } from '../../../miniprogram/domain/violation/eligibility';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { command } from '../cloud';
import { scoringCycle } from '../../../miniprogram/domain/licence/scoring-cycle';
import { nowMs, today } from '../clock';
import { COLLECTIONS, vehicleDocId } from '../collections';
import { find, insertMany, updateById, type StoredDoc } from '../db';
import { inTransaction, isConflict, type Tx } from '../transaction';
import { releaseCarOfFormerOwner } from '../vehicle/bindings';
import { markDecisionsPaidElsewhere } from '../payment/payments';
import { textOf } from '../text';
import type { ParsedImport, ImportResult, DriverRow, VehicleRow, ViolationRow } from './contract';

type Fields = Record<string, unknown>;

export interface ImportSpec<Row> {
  collection: string;
  id: (row: Row) => string;
  fields: (row: Row) => Fields;
  /** What of `incoming` to write over `existing`; fields the app owns are never touched. */
  merge?: (existing: StoredDoc, incoming: Fields) => Fields;
  /** The update as written, when a field must be guarded in the write itself (the batch was read before it). */
  guard?: (update: Fields) => Fields;
  /** What else an updated record changes, written in the batch's own transaction (all of it or none). */
  onUpdate?: (tx: Tx, existing: StoredDoc, next: Fields) => Promise<void>;
  /** What the batch's updates change together, after all of them, in the same transaction (at the import's time). */
  afterUpdates?: (tx: Tx, updated: ReadonlyArray<{ id: string; next: Fields }>, importedAtMs: number) => Promise<void>;
}

const ATTEMPTS = 5;

export async function importBatch<Row>(spec: ImportSpec<Row>, parsed: ParsedImport<Row>): Promise<ImportResult> {
  if (parsed.rows.length === 0) return { inserted: 0, updated: 0, errors: parsed.errors };
  const incoming = new Map(parsed.rows.map(({ row }) => [spec.id(row), spec.fields(row)]));
  for (let attempt = 1; ; attempt += 1) {
    // One read for the whole batch, then one transaction for its writes; a concurrent import of the same keys
    // makes the commit conflict, and the batch is read and applied again.
    const existing = await find(spec.collection, { _id: command.in([...incoming.keys()]) }, { limit: incoming.size });
    const byId = new Map(existing.map((doc) => [doc._id, doc]));
    const importedAtMs = nowMs();
    const importedAt = new Date(importedAtMs).toISOString();
    const inserts: Fields[] = [];
    const updates: Array<[string, Fields, StoredDoc]> = [];
    for (const [id, fields] of incoming) {
      const current = byId.get(id);
      if (!current) {
        inserts.push({ _id: id, ...fields, importedAt, receivedAt: importedAt });
        continue;
      }
      const next = spec.merge ? spec.merge(current, fields) : fields;
      if (Object.entries(next).some(([key, value]) => !sameValue(current[key], value)))
        updates.push([id, { ...next, importedAt }, current]);
    }
    try {
      await inTransaction(async (tx) => {
        await insertMany(tx, spec.collection, inserts);
        for (const [id, fields, current] of updates) {
          await updateById(tx, spec.collection, id, spec.guard ? spec.guard(fields) : fields);
          await spec.onUpdate?.(tx, current, fields);
        }
        if (updates.length)
          await spec.afterUpdates?.(
            tx,
            updates.map(([id, next]) => ({ id, next })),
            importedAtMs,
          );
      }, 1);
      return { inserted: inserts.length, updated: updates.length, errors: parsed.errors };
    } catch (error) {
      const retry =
        (error instanceof DomainError && error.code === 'CONFLICT') || isConflict(error) || isDuplicate(error);
      if (!retry || attempt >= ATTEMPTS) throw error instanceof DomainError ? error : new DomainError('CONFLICT');
      // Jittered back-off: retried at once, every attempt lands inside the same open user transaction (a driver
      // processing one of these violations) and the whole batch gives up within milliseconds.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

function isDuplicate(error: unknown): boolean {
  const e = error as { errMsg?: unknown; message?: unknown } | null;
  return textOf(e?.errMsg ?? e?.message).includes('DUPLICATE');
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A violation's status only moves forward: the app may have processed it before the registry heard of that. */
// Looked up with what a stored record holds, which may be no status at all.
const STATUS_ORDER: Readonly<Partial<Record<string, number>>> = Object.fromEntries(
  VIOLATION_STATUSES.map((s, i) => [s, i]),
);

/**
 * The batch is read before its transaction, so a driver may process a violation in between and the merge then judges
 * a stale status. The write keeps the furthest status itself, atomically: the statuses sort alphabetically in the
 * reverse of their order (paid < processed < unprocessed), so $min of the stored and the imported one is the furthest.
 */
if ([...VIOLATION_STATUSES].sort().join() !== [...VIOLATION_STATUSES].reverse().join()) {
  throw new Error("violation statuses no longer sort in reverse order: the import's $min guard must change");
}

export function importDrivers(parsed: ParsedImport<DriverRow>): Promise<ImportResult> {
  return importBatch(
    {
      collection: COLLECTIONS.drivers,
      id: (row) => row.idNumber,
      // The registry's points belong to the cycle current on the day they arrive (the app rolls them over later). A
      // row without a watermark clears the last one: its points include no online decision, so all of them are added.
      fields: (row) => ({
        ...row,
        onlinePointsThrough: row.onlinePointsThrough ?? null,
        pointsCycleStart: scoringCycle(row.firstIssueDate, today()).start,
      }),
    },
    parsed,
  );
}

export function importVehicles(parsed: ParsedImport<VehicleRow>): Promise<ImportResult> {
  return importBatch(
    {
      collection: COLLECTIONS.vehicles,
      id: (row) => vehicleDocId(row.plateType, row.plate),
      fields: (row) => ({ inspectionDue: null, ...row }),
      // A car sold (a new owner in the registry): the former owner's binding and the drivers they allowed go with it.
      onUpdate: async (tx, existing, next) => {
        const former = textOf(existing['ownerIdNumber']);
        if (former !== '' && former !== next['ownerIdNumber']) await releaseCarOfFormerOwner(tx, existing._id, former);
      },
    },
    parsed,
  );
}

export function importViolations(parsed: ParsedImport<ViolationRow>): Promise<ImportResult> {
  return importBatch(
    {
      collection: COLLECTIONS.violations,
      id: (row) => row.violationId,
      // Stored as `legalBasis`, the name the decision document and the detail answer already use.
      fields: ({ lawBasis, ...row }) => ({
        ...row,
        ...(lawBasis === undefined ? {} : { legalBasis: lawBasis }),
        vehicleId: vehicleDocId(row.plateType, row.plate),
      }),
      merge: (existing, incoming) => {
        const current = existing['status'] as ViolationStatus;
        const next = incoming['status'] as ViolationStatus;
        return (STATUS_ORDER[current] ?? 0) > (STATUS_ORDER[next] ?? 0) ? { ...incoming, status: current } : incoming;
      },
      // The SDK types min() for numbers; the cloud's $min orders strings as MongoDB does.
      guard: (update) => ({
        ...update,
        status: (command.min as unknown as (value: string) => unknown)(String(update['status'])),
      }),
      // Paid at a bank: the decisions those violations complete are paid too, or points, reminders and certificates
      // would go on reading them unpaid.
      afterUpdates: (tx, updated, importedAtMs) =>
        markDecisionsPaidElsewhere(
          tx,
          new Map(
            updated
              .filter(({ next }) => next['status'] === 'paid')
              .map(({ id, next }) => [id, typeof next['paidAt'] === 'string' ? next['paidAt'] : undefined]),
          ),
          importedAtMs,
        ),
    },
    parsed,
  );
}
