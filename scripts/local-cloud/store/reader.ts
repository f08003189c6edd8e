/**
 * Reading documents for a query: the committed rows, or in a transaction its snapshot's rows overlaid with its own
 * pending writes, narrowed by the plan's SQL condition and then tested with the full filter.
 */
import type { Catalog, Collection } from './catalog';
import { decodeDoc, isPlainObject, ownValue, rememberStoredText } from './codec';
import type { Connection, Row } from './connection';
import type { CompiledFilter } from './mingo';
import {
  compareInClass,
  fitsValueClass,
  indexValueClass,
  planIndexOrder,
  planPrefixOrder,
  prefixCondition,
} from './planner';
import type { Frag, IndexOrder, Plan, PrefixOrder, ValueClass } from './planner';
import type { Transaction } from './transactions';
import type { Doc, Filter, SortSpec } from './types';

export interface Candidate {
  id: string;
  /** version in the snapshot / committed data; null for a document the transaction inserted */
  version: number | null;
  text: string;
  doc: Doc;
  /** whether it is the transaction's own pending write rather than a row */
  pending: boolean;
}

/** Rows of a sorted find read in index order; merged says they came from several pinned runs. */
export interface OrderedRead {
  docs: Doc[];
  merged: boolean;
}

interface RowidRow extends Row {
  r: number;
}

/** A run's next row, decoded, with the sort value the merge compares. */
interface Head {
  rows: IterableIterator<RowidRow>;
  rowid: number;
  text: string;
  doc: Doc;
  value: unknown;
}

/** The value at a dotted path through plain objects (undefined where one is missing). */
function valueAt(doc: Doc, segments: readonly string[]): unknown {
  let value: unknown = doc;
  for (const segment of segments) value = isPlainObject(value) ? ownValue(value, segment) : undefined;
  return value;
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
   * Sort + limit read in index order, stopping after n matches (plus the transaction's own documents, for the
   * caller's sort to order): merged runs of a compound index whose leading paths the filter pins, else one index
   * whose first path is the sort key. Undefined when the planner refuses or a row read proves the field's type class
   * wrong: the caller then sorts every match.
   */
  inIndexOrder(
    info: Collection,
    plan: Plan,
    filter: Filter,
    matcher: CompiledFilter,
    tx: Transaction | undefined,
    sort: SortSpec,
    n: number,
  ): OrderedRead | undefined {
    const connection = tx ? (tx.snapshotHas(info) ? tx.snapshot : undefined) : info.exists ? this.committed : undefined;
    const isMultikey = (path: string): boolean => this.catalog.isMultikey(info.name, path);
    const classOf = (expr: string, prefix?: Frag): ValueClass | undefined => {
      if (!connection) return 'none';
      const head = prefix ? `${prefix.sql} AND ` : '';
      const params = prefix?.params ?? [];
      return indexValueClass(
        expr,
        (where, ...more) =>
          connection.stmt(`SELECT 1 FROM ${info.table} WHERE ${head}${where} LIMIT 1`).get(...params, ...more) !==
          undefined,
      );
    };
    const segments = (Object.keys(sort)[0] ?? '').split('.');
    const writes = tx?.writes.get(info.name);
    let out: Doc[] | undefined;
    const prefixOrder = planPrefixOrder(sort, filter, info.indexes, isMultikey, classOf);
    if (prefixOrder) {
      out = connection ? this.mergeRuns(connection, info, plan, prefixOrder, matcher, writes, segments, n) : [];
    } else {
      const order = planIndexOrder(sort, plan, info.indexes, isMultikey, (expr) => classOf(expr));
      if (!order) return undefined;
      out = connection ? this.readRun(connection, info, plan, order, matcher, writes, segments, n) : [];
    }
    if (!out) return undefined;
    // The transaction's own documents join the candidates; mingo's sort then orders them all.
    for (const write of writes?.values() ?? []) {
      if (write.text === null) continue;
      const doc = decodeDoc(write.text);
      if (matcher.test(doc)) out.push(rememberStoredText(doc, write.text));
    }
    return { docs: out, merged: prefixOrder !== undefined };
  }

  /** The first n matching rows in one index's order; undefined if a row's sort value is outside the class. */
  private readRun(
    connection: Connection,
    info: Collection,
    plan: Plan,
    order: IndexOrder,
    matcher: CompiledFilter,
    writes: ReadonlyMap<string, unknown> | undefined,
    segments: readonly string[],
    n: number,
  ): Doc[] | undefined {
    const out: Doc[] = [];
    const statement = connection.stmt(
      `SELECT id, v, doc FROM ${info.table} WHERE ${plan.where} ORDER BY ${order.expr} ${order.direction}`,
    );
    for (const row of statement.iterate(...plan.params) as IterableIterator<Row>) {
      if (writes?.has(row.id)) continue;
      const doc = decodeDoc(row.doc);
      // The class check was fooled (e.g. a string that looks like a date): do it the slow way.
      if (!fitsValueClass(valueAt(doc, segments), order.valueClass)) return undefined;
      if (!matcher.test(doc)) continue;
      out.push(rememberStoredText(doc, row.doc));
      if (out.length >= n) break;
    }
    return out;
  }

  /**
   * The first n matching rows of all pinned runs merged by sort value, ties in rowid order as a scan of the table
   * gives them; only each run's next row is decoded. Undefined if a row's sort value is outside the class.
   */
  private mergeRuns(
    connection: Connection,
    info: Collection,
    plan: Plan,
    order: PrefixOrder,
    matcher: CompiledFilter,
    writes: ReadonlyMap<string, unknown> | undefined,
    segments: readonly string[],
    n: number,
  ): Doc[] | undefined {
    const sign = order.direction === 'DESC' ? -1 : 1;
    const runs: IterableIterator<RowidRow>[] = [];
    /** The run's next row not overwritten by the transaction; null at its end, undefined if outside the class. */
    const next = (rows: IterableIterator<RowidRow>): Head | null | undefined => {
      for (let r = rows.next(); r.done !== true; r = rows.next()) {
        const row = r.value;
        if (writes?.has(row.id)) continue;
        const doc = decodeDoc(row.doc);
        const value = valueAt(doc, segments);
        if (!fitsValueClass(value, order.valueClass)) return undefined;
        return { rows, rowid: row.r, text: row.doc, doc, value };
      }
      return null;
    };
    const before = (a: Head, b: Head): boolean => {
      const c = sign * compareInClass(a.value, b.value);
      return c !== 0 ? c < 0 : a.rowid < b.rowid;
    };
    try {
      const heads: Head[] = [];
      for (const [i, combination] of order.combinations.entries()) {
        const prefix = prefixCondition(order, combination);
        // An open iterator keeps its statement busy, so each run gets a statement of its own (a distinct text).
        const statement = connection.stmt(
          `SELECT rowid AS r, id, v, doc FROM ${info.table} WHERE ${prefix.sql} AND (${plan.where}) ` +
            `ORDER BY ${order.expr} ${order.direction}, rowid /* run ${i} */`,
        );
        const rows = statement.iterate(...prefix.params, ...plan.params) as IterableIterator<RowidRow>;
        runs.push(rows);
        const head = next(rows);
        if (head === undefined) return undefined;
        if (head) heads.push(head);
      }
      const out: Doc[] = [];
      while (heads.length > 0 && out.length < n) {
        let at = 0;
        for (let i = 1; i < heads.length; i++) if (before(heads[i] as Head, heads[at] as Head)) at = i;
        const head = heads[at] as Head;
        if (matcher.test(head.doc)) out.push(rememberStoredText(head.doc, head.text));
        const following = next(head.rows);
        if (following === undefined) return undefined;
        if (following) heads[at] = following;
        else heads.splice(at, 1);
      }
      return out;
    } finally {
      // Stopping early must release each run's statement for the next query.
      for (const rows of runs) rows.return?.();
    }
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
