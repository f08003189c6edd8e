/**
 * Reading documents for a query: the committed rows, or in a transaction its snapshot's rows overlaid with its own
 * pending writes, narrowed by the plan's SQL condition and then tested with the full filter.
 */
import type { Catalog, Collection } from './catalog';
import { decodeDoc, isPlainObject, ownValue, rememberStoredText } from './codec';
import type { Connection, Row } from './connection';
import type { CompiledFilter } from './mingo';
import { fitsValueClass, indexValueClass, planIndexOrder } from './planner';
import type { Plan } from './planner';
import type { Transaction } from './transactions';
import type { Doc, SortSpec } from './types';

export interface Candidate {
  id: string;
  /** version in the snapshot / committed data; null for a document the transaction inserted */
  version: number | null;
  text: string;
  doc: Doc;
  /** whether it is the transaction's own pending write rather than a row */
  pending: boolean;
}

export class Reader {
  constructor(
    private readonly catalog: Catalog,
    /** the write connection, which sees the latest committed data */
    private readonly committed: Connection,
  ) {}

  private *rows(connection: Connection, info: Collection, plan: Plan): Generator<Row> {
    const statement = connection.stmt(`SELECT id, v, doc FROM ${info.table} WHERE ${plan.where}`);
    yield* statement.iterate(...plan.params) as IterableIterator<Row>;
  }

  /** Candidate documents: committed rows, or in a transaction its snapshot's rows overlaid with its own writes. */
  private *candidates(info: Collection, plan: Plan, tx: Transaction | undefined): Generator<Candidate> {
    if (!tx) {
      if (!info.exists) return;
      for (const row of this.rows(this.committed, info, plan))
        yield { id: row.id, version: row.v, text: row.doc, doc: decodeDoc(row.doc), pending: false };
      return;
    }
    const writes = tx.writes.get(info.name);
    if (tx.snapshotHas(info)) {
      for (const row of this.rows(tx.snapshot, info, plan)) {
        if (writes?.has(row.id)) continue;
        yield { id: row.id, version: row.v, text: row.doc, doc: decodeDoc(row.doc), pending: false };
      }
    }
    if (writes) {
      for (const [id, write] of writes)
        if (write.text !== null)
          yield { id, version: write.baseVersion, text: write.text, doc: decodeDoc(write.text), pending: true };
    }
  }

  /** The first max candidates that pass the filter. */
  matches(
    info: Collection,
    plan: Plan,
    matcher: CompiledFilter,
    tx: Transaction | undefined,
    max: number,
  ): Candidate[] {
    const out: Candidate[] = [];
    if (max <= 0) return out;
    for (const candidate of this.candidates(info, plan, tx)) {
      if (!matcher.test(candidate.doc)) continue;
      out.push(candidate);
      if (out.length >= max) break;
    }
    return out;
  }

  /**
   * Sort + limit on one indexed field: reads rows in index order and stops after n matches (plus the transaction's
   * own documents, for the caller's sort to order). Undefined when the planner refuses or a row read proves the
   * field's type class wrong: the caller then sorts every match.
   */
  inIndexOrder(
    info: Collection,
    plan: Plan,
    matcher: CompiledFilter,
    tx: Transaction | undefined,
    sort: SortSpec,
    n: number,
  ): Doc[] | undefined {
    const connection = tx ? (tx.snapshotHas(info) ? tx.snapshot : undefined) : info.exists ? this.committed : undefined;
    const order = planIndexOrder(
      sort,
      plan,
      info.indexes,
      (path) => this.catalog.isMultikey(info.name, path),
      (expr) =>
        connection
          ? indexValueClass(
              expr,
              (where, ...params) =>
                connection.stmt(`SELECT 1 FROM ${info.table} WHERE ${where} LIMIT 1`).get(...params) !== undefined,
            )
          : 'none',
    );
    if (!order) return undefined;
    const segments = (Object.keys(sort)[0] ?? '').split('.');
    const out: Doc[] = [];
    const writes = tx?.writes.get(info.name);
    if (connection) {
      const statement = connection.stmt(
        `SELECT id, v, doc FROM ${info.table} WHERE ${plan.where} ORDER BY ${order.expr} ${order.direction}`,
      );
      for (const row of statement.iterate(...plan.params) as IterableIterator<Row>) {
        if (writes?.has(row.id)) continue;
        const doc = decodeDoc(row.doc);
        let value: unknown = doc;
        for (const segment of segments) value = isPlainObject(value) ? ownValue(value, segment) : undefined;
        // The class check was fooled (e.g. a string that looks like a date): do it the slow way.
        if (!fitsValueClass(value, order.valueClass)) return undefined;
        if (!matcher.test(doc)) continue;
        out.push(rememberStoredText(doc, row.doc));
        if (out.length >= n) break;
      }
    }
    // The transaction's own documents join the candidates; mingo's sort then orders them all.
    for (const write of writes?.values() ?? []) {
      if (write.text === null) continue;
      const doc = decodeDoc(write.text);
      if (matcher.test(doc)) out.push(rememberStoredText(doc, write.text));
    }
    return out;
  }

  /** Every committed document of the collection. */
  loadAll(name: string): Record<string, unknown>[] {
    const info = this.catalog.get(name);
    if (!info.exists) return [];
    return (this.committed.stmt(`SELECT doc FROM ${info.table}`).all() as { doc: string }[]).map((r) =>
      decodeDoc(r.doc),
    );
  }
}
