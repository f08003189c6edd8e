/**
 * The local cloud's database: one SQLite table per collection (id, v, doc), mingo for Mongo semantics,
 * declared expression indexes to narrow candidates, and snapshot transactions on pooled read connections.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { checkCollectionName, checkFilter, checkFindOptions, checkPipeline, invalid } from './checks';
import { decodeDoc, describeType, encodeDoc, hasOwn, isEmptyObject, isPlainObject, ownValue } from './codec';
import {
  Connection,
  configureWriteConnection,
  duplicateError,
  META_TABLE,
  openSnapshotConnection,
  sqliteCode,
} from './connection';
import type { Row } from './connection';
import { generateId } from './ids';
import { compileFilter, runPipeline, shapeResults, valuesAtPath } from './mingo';
import type { CompiledFilter } from './mingo';
import {
  buildIndexInfo,
  fitsValueClass,
  indexDDL,
  indexValueClass,
  planFilter,
  planIndexOrder,
  quoteIdent,
} from './planner';
import type { IndexInfo, Plan } from './planner';
import { Statistics } from './statistics';
import type { EngineStats } from './statistics';
import { StoreError } from './types';
import type {
  Doc,
  Filter,
  FindOptions,
  IndexFile,
  SortSpec,
  Store,
  UpdateOptions,
  UpdateResult,
  UpdateSpec,
} from './types';
import { applyUpdate, checkUpdateSpec, replacement, upsertSeed } from './update';

export { generateId } from './ids';
export type { EngineStats } from './statistics';

export interface OpenStoreOptions {
  /** directory for cloud.db (created if missing), or ':memory:' for a throwaway database in a temp directory */
  dir: string | ':memory:';
  indexes: IndexFile;
  /** open transactions older than this are aborted (default 30000) */
  transactionTimeoutMs?: number;
  /** at most this many transactions open at once, one snapshot connection each (default 64) */
  maxOpenTransactions?: number;
}

export interface ExplainResult {
  /** the declared index name used, '_id' for the primary key, null for a full scan */
  index: string | null;
  where: string;
  params: unknown[];
  /** SQLite's EXPLAIN QUERY PLAN details for the candidate query */
  queryPlan: string[];
}

/** Store plus what tools and tests use to look inside. */
export interface LocalStore extends Store {
  stats(): EngineStats;
  /** How a filter would be narrowed on a collection (does not count in stats). */
  explain(coll: string, filter: Filter): ExplainResult;
  /** the SQLite file */
  readonly file: string;
}

interface IndexedPath {
  path: string;
  segs: string[];
}

interface CollInfo {
  name: string;
  table: string;
  indexes: IndexInfo[];
  dirs: (1 | -1)[][];
  paths: IndexedPath[];
  exists: boolean;
}

interface Candidate {
  id: string;
  /** version in the snapshot / committed data; null for a document the transaction inserted */
  v: number | null;
  text: string;
  doc: Doc;
  fromOverlay: boolean;
}

/** A transaction's pending write of one document: text null = removed; baseV = version in its snapshot (null = absent). */
interface Entry {
  text: string | null;
  baseV: number | null;
}

interface Tx {
  id: string;
  conn: Connection;
  started: number;
  timer: NodeJS.Timeout;
  overlay: Map<string, Map<string, Entry>>;
  snapshotTables: Map<string, boolean>;
}

interface Prepared {
  id: string;
  text: string;
  src: Record<string, unknown>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_TX = 64;
const MAX_ENDED_REMEMBERED = 1000;
/** How often (ended transactions) a quiet moment checks the WAL, and the size above which it is truncated. */
const WAL_CHECK_EVERY = 200;
const WAL_TRUNCATE_BYTES = 256 * 1024 * 1024;

function hasArrayOnPath(doc: unknown, segs: readonly string[]): boolean {
  let cur: unknown = doc;
  for (const s of segs) {
    if (Array.isArray(cur)) return true;
    if (!isPlainObject(cur)) return false;
    cur = ownValue(cur, s);
    if (cur === undefined) return false;
  }
  return Array.isArray(cur);
}

class Engine implements LocalStore {
  readonly file: string;
  private readonly tempDir: string | undefined;
  private readonly w: Connection;
  private readonly timeoutMs: number;
  private readonly maxTx: number;
  private readonly declared: IndexFile['collections'];
  private readonly colls = new Map<string, CollInfo>();
  private readonly multikey = new Set<string>();
  private pendingMultikey: Set<string> | undefined;
  private readonly statistics = new Statistics();
  private seq = 0;
  private readonly txs = new Map<string, Tx>();
  private readonly ended = new Map<string, string>();
  private readonly locks = new Map<string, string>();
  private readonly idle: Connection[] = [];
  private readers = 0;
  private closed = false;
  private endedSinceWalCheck = 0;

  constructor(options: OpenStoreOptions) {
    if (!isPlainObject(options.indexes) || !isPlainObject(options.indexes.collections))
      throw invalid('indexes must be { collections: { <name>: { indexes: [...] } } }');
    this.declared = options.indexes.collections;
    this.timeoutMs = options.transactionTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxTx = options.maxOpenTransactions ?? DEFAULT_MAX_TX;
    // Declarations are checked first, so a bad index file stops the server at start rather than at first use.
    for (const name of Object.keys(this.declared)) this.coll(name);
    const memory = options.dir === ':memory:';
    // Snapshot reads need real WAL readers on separate connections, which a shared in-memory DB cannot give.
    const dir = memory ? mkdtempSync(path.join(tmpdir(), 'local-cloud-store-')) : options.dir;
    if (!memory) mkdirSync(dir, { recursive: true });
    this.tempDir = memory ? dir : undefined;
    this.file = path.join(dir, 'cloud.db');
    const db = new Database(this.file);
    this.w = new Connection(db);
    try {
      configureWriteConnection(db, !memory);
      db.exec(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
      for (const { k, v } of db.prepare<[], { k: string; v: string }>(`SELECT k, v FROM ${META_TABLE}`).all()) {
        if (k === 'seq') this.seq = Number(v);
        else if (k.startsWith('mk:')) this.multikey.add(k.slice(3));
      }
      for (const { name } of db
        .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
        .all()) {
        if (name === META_TABLE || name.startsWith('sqlite_') || name.startsWith('_lc_')) continue;
        const info = this.coll(name);
        info.exists = true;
        this.syncIndexes(info);
      }
    } catch (e) {
      db.close();
      if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
      throw e;
    }
  }

  // ---------------------------------------------------------------- collections and indexes

  private coll(name: string): CollInfo {
    const known = this.colls.get(name);
    if (known) return known;
    checkCollectionName(name);
    const decl = hasOwn(this.declared, name) ? this.declared[name] : undefined;
    const decls = decl && Array.isArray(decl.indexes) ? decl.indexes : [];
    const indexes = decls.map((d) => buildIndexInfo(name, d));
    const dirs = decls.map((d) => Object.values(d.keys));
    const paths: IndexedPath[] = [];
    for (const p of new Set(indexes.flatMap((i) => i.paths)))
      if (p !== '_id') paths.push({ path: p, segs: p.split('.') });
    const info: CollInfo = { name, table: quoteIdent(name), indexes, dirs, paths, exists: false };
    this.colls.set(name, info);
    return info;
  }

  /** Creates the collection's table and declared indexes on first write. */
  private ensureTable(info: CollInfo): void {
    if (info.exists) return;
    const db = this.w.db;
    db.exec(`CREATE TABLE IF NOT EXISTS ${info.table} (id TEXT PRIMARY KEY, v INTEGER NOT NULL, doc TEXT NOT NULL)`);
    info.exists = true;
    this.syncIndexes(info);
  }

  /** Makes the table's indexes match the declaration: creates new ones, rebuilds changed ones, drops stale ones. */
  private syncIndexes(info: CollInfo): void {
    const db = this.w.db;
    const existing = new Map(
      db
        .prepare<[string], { name: string; sql: string | null }>(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`,
        )
        .all(info.name)
        .map((r) => [r.name, r.sql ?? '']),
    );
    const wanted = new Set<string>();
    info.indexes.forEach((ix, i) => {
      const sqlName = `ix:${info.name}:${ix.name}`;
      wanted.add(sqlName);
      const ddl = indexDDL(info.table, ix, info.dirs[i] ?? []);
      const have = existing.get(sqlName);
      if (have === ddl) return;
      if (have !== undefined) db.exec(`DROP INDEX ${ix.sqlName}`);
      try {
        db.exec(ddl);
      } catch (e) {
        if (sqliteCode(e) === 'SQLITE_CONSTRAINT_UNIQUE')
          throw invalid(
            `cannot create unique index ${ix.name} on ${info.name}: existing documents have duplicate values`,
          );
        throw e;
      }
      // Documents written before the index existed may hold arrays on its paths.
      for (const p of ix.paths) {
        if (p === '_id' || this.isMultikey(info.name, p)) continue;
        const segs = p.split('.');
        const checks = segs.map(
          (_, j) =>
            `json_type(doc, '$${segs
              .slice(0, j + 1)
              .map((s) => `."${s}"`)
              .join('')}') = 'array'`,
        );
        const found = db.prepare(`SELECT 1 FROM ${info.table} WHERE ${checks.join(' OR ')} LIMIT 1`).get();
        if (found !== undefined) this.persistMultikeyNow(info.name, p);
      }
    });
    for (const name of existing.keys()) {
      if (name.startsWith(`ix:${info.name}:`) && !wanted.has(name)) db.exec(`DROP INDEX ${quoteIdent(name)}`);
    }
  }

  private isMultikey(coll: string, p: string): boolean {
    const key = `${coll}\u0000${p}`;
    return this.multikey.has(key) || (this.pendingMultikey?.has(key) ?? false);
  }

  private persistMultikeyNow(coll: string, p: string): void {
    const key = `${coll}\u0000${p}`;
    this.w.stmt(`INSERT OR IGNORE INTO ${META_TABLE} (k, v) VALUES (?, '1')`).run(`mk:${key}`);
    this.multikey.add(key);
  }

  /** Within a write transaction: flags index paths on which this document holds an array (they stop narrowing). */
  private noteArrays(info: CollInfo, doc: unknown): void {
    for (const { path: p, segs } of info.paths) {
      if (this.isMultikey(info.name, p) || !hasArrayOnPath(doc, segs)) continue;
      const key = `${info.name}\u0000${p}`;
      this.w.stmt(`INSERT OR IGNORE INTO ${META_TABLE} (k, v) VALUES (?, '1')`).run(`mk:${key}`);
      this.pendingMultikey?.add(key);
    }
  }

  /** Runs fn in BEGIN IMMEDIATE ... COMMIT on the write connection; any throw rolls everything back. */
  private writeTx<T>(fn: () => T): T {
    const w = this.w;
    w.stmt('BEGIN IMMEDIATE').run();
    this.pendingMultikey = new Set();
    this.statistics.beginWrite();
    try {
      const result = fn();
      w.stmt(`INSERT INTO ${META_TABLE} (k, v) VALUES ('seq', ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`).run(
        String(this.seq),
      );
      w.stmt('COMMIT').run();
      for (const k of this.pendingMultikey) this.multikey.add(k);
      this.statistics.commitWrite();
      return result;
    } catch (e) {
      if (w.db.inTransaction) w.stmt('ROLLBACK').run();
      throw e;
    } finally {
      this.pendingMultikey = undefined;
    }
  }

  private countDelta(info: CollInfo, delta: number): void {
    this.statistics.addDocuments(info.name, delta);
  }

  private nextVersion(): number {
    this.seq += 1;
    return this.seq;
  }

  private plan(info: CollInfo, filter: Filter, count: boolean): Plan {
    const plan = planFilter(filter, info.indexes, (p) => this.isMultikey(info.name, p));
    if (count) this.statistics.countPlan(info.name, filter, plan);
    return plan;
  }

  // ---------------------------------------------------------------- reading

  private *rows(conn: Connection, info: CollInfo, plan: Plan): Generator<Row> {
    const stmt = conn.stmt(`SELECT id, v, doc FROM ${info.table} WHERE ${plan.where}`);
    yield* stmt.iterate(...plan.params) as IterableIterator<Row>;
  }

  /** Candidate documents: committed rows, or in a transaction its snapshot's rows overlaid with its own writes. */
  private *candidates(info: CollInfo, plan: Plan, tx: Tx | undefined): Generator<Candidate> {
    if (!tx) {
      if (!info.exists) return;
      for (const r of this.rows(this.w, info, plan))
        yield { id: r.id, v: r.v, text: r.doc, doc: decodeDoc(r.doc), fromOverlay: false };
      return;
    }
    const overlay = tx.overlay.get(info.name);
    if (this.snapshotHas(tx, info)) {
      for (const r of this.rows(tx.conn, info, plan)) {
        if (overlay?.has(r.id)) continue;
        yield { id: r.id, v: r.v, text: r.doc, doc: decodeDoc(r.doc), fromOverlay: false };
      }
    }
    if (overlay) {
      for (const [id, e] of overlay)
        if (e.text !== null) yield { id, v: e.baseV, text: e.text, doc: decodeDoc(e.text), fromOverlay: true };
    }
  }

  private matches(info: CollInfo, plan: Plan, q: CompiledFilter, tx: Tx | undefined, max: number): Candidate[] {
    const out: Candidate[] = [];
    if (max <= 0) return out;
    for (const c of this.candidates(info, plan, tx)) {
      if (!q.test(c.doc)) continue;
      out.push(c);
      if (out.length >= max) break;
    }
    return out;
  }

  find(coll: string, filter: Filter, opts: FindOptions = {}, txId?: string): Doc[] {
    this.assertOpen();
    const tx = this.txFor(txId);
    const info = this.coll(coll);
    checkFilter(filter);
    const o = checkFindOptions(opts);
    const q = compileFilter(filter);
    const plan = this.plan(info, filter, true);
    const sorted = o.sort !== undefined && Object.keys(o.sort).length > 0;
    if (sorted && o.sort && o.limit > 0) {
      const top = this.topN(info, plan, q, tx, o.sort, o.skip + o.limit);
      if (top) return shapeResults(top, o.sort, o.skip, o.limit, o.projection);
    }
    // Without a sort the scan can stop as soon as the page is full.
    const want = sorted || o.limit === 0 ? Infinity : o.skip + o.limit;
    const docs = this.matches(info, plan, q, tx, want).map((c) => c.doc);
    return shapeResults(docs, o.sort, o.skip, o.limit, o.projection);
  }

  /**
   * Sort + limit on one indexed field: read rows in index order (as the planner allows) and stop after n matches;
   * undefined when the planner refuses or a row read proves the field's type class wrong.
   */
  private topN(
    info: CollInfo,
    plan: Plan,
    q: CompiledFilter,
    tx: Tx | undefined,
    sort: SortSpec,
    n: number,
  ): Doc[] | undefined {
    const conn = tx ? (this.snapshotHas(tx, info) ? tx.conn : undefined) : info.exists ? this.w : undefined;
    const order = planIndexOrder(
      sort,
      plan,
      info.indexes,
      (p) => this.isMultikey(info.name, p),
      (expr) =>
        conn
          ? indexValueClass(
              expr,
              (where, ...params) =>
                conn.stmt(`SELECT 1 FROM ${info.table} WHERE ${where} LIMIT 1`).get(...params) !== undefined,
            )
          : 'none',
    );
    if (!order) return undefined;
    const segs = (Object.keys(sort)[0] ?? '').split('.');
    const out: Doc[] = [];
    const overlay = tx?.overlay.get(info.name);
    if (conn) {
      const stmt = conn.stmt(
        `SELECT id, v, doc FROM ${info.table} WHERE ${plan.where} ORDER BY ${order.expr} ${order.direction}`,
      );
      for (const r of stmt.iterate(...plan.params) as IterableIterator<Row>) {
        if (overlay?.has(r.id)) continue;
        const doc = decodeDoc(r.doc);
        let v: unknown = doc;
        for (const s of segs) v = isPlainObject(v) ? ownValue(v, s) : undefined;
        // The class check was fooled (e.g. a string that looks like a date): do it the slow way.
        if (!fitsValueClass(v, order.valueClass)) return undefined;
        if (!q.test(doc)) continue;
        out.push(doc);
        if (out.length >= n) break;
      }
    }
    // The transaction's own documents join the candidates; mingo's sort then orders them all.
    for (const e of overlay?.values() ?? []) {
      if (e.text === null) continue;
      const doc = decodeDoc(e.text);
      if (q.test(doc)) out.push(doc);
    }
    this.statistics.countSortedByIndex();
    return out;
  }

  count(coll: string, filter: Filter, txId?: string): number {
    this.assertOpen();
    const tx = this.txFor(txId);
    const info = this.coll(coll);
    checkFilter(filter);
    const q = compileFilter(filter);
    const plan = this.plan(info, filter, true);
    if (isEmptyObject(filter)) {
      if (!tx) return info.exists ? this.collectionSize(info) : 0;
      let n = this.snapshotHas(tx, info)
        ? Number((tx.conn.stmt(`SELECT count(*) AS n FROM ${info.table}`).get() as { n: number }).n)
        : 0;
      for (const e of tx.overlay.get(info.name)?.values() ?? [])
        n += (e.text !== null ? 1 : 0) - (e.baseV !== null ? 1 : 0);
      return n;
    }
    return this.matches(info, plan, q, tx, Infinity).length;
  }

  aggregate(coll: string, pipeline: Record<string, unknown>[]): Record<string, unknown>[] {
    this.assertOpen();
    const info = this.coll(coll);
    checkPipeline(pipeline, 'pipeline');
    let stages = pipeline;
    let input: Record<string, unknown>[];
    const first = stages[0];
    if (first && hasOwn(first, '$match')) {
      const filter = first['$match'];
      checkFilter(filter);
      // The leading $match is answered like find (index-narrowed), so mingo never sees the other rows.
      input = this.matches(info, this.plan(info, filter, true), compileFilter(filter), undefined, Infinity).map(
        (c) => c.doc,
      );
      stages = stages.slice(1);
    } else {
      this.statistics.countFullListing();
      input = this.loadAll(info.name);
    }
    const loaded = new Map<string, Record<string, unknown>[]>();
    const resolveAll = (name: string): Record<string, unknown>[] => {
      let docs = loaded.get(name);
      if (!docs) {
        docs = this.loadAll(name);
        loaded.set(name, docs);
      }
      return docs;
    };
    // $lookup on localField/foreignField fetches only the foreign documents it can match (by index when declared).
    let docs = input;
    let segment: Record<string, unknown>[] = [];
    for (const stage of stages) {
      const lookup = stage['$lookup'];
      const simple =
        isPlainObject(lookup) &&
        typeof lookup['from'] === 'string' &&
        typeof lookup['localField'] === 'string' &&
        typeof lookup['foreignField'] === 'string' &&
        lookup['pipeline'] === undefined &&
        lookup['let'] === undefined;
      if (!simple) {
        segment.push(stage);
        continue;
      }
      docs = runPipeline(docs, segment, resolveAll);
      segment = [];
      const from = String(lookup['from']);
      const foreign = this.lookupCandidates(from, String(lookup['localField']), String(lookup['foreignField']), docs);
      docs = runPipeline(docs, [stage], (name) => (name === from && foreign ? foreign : resolveAll(name)));
    }
    return runPipeline(docs, segment, resolveAll);
  }

  /** The foreign documents a $lookup can match: foreignField $in the local values; undefined = load them all. */
  private lookupCandidates(
    from: string,
    localField: string,
    foreignField: string,
    docs: Record<string, unknown>[],
  ): Record<string, unknown>[] | undefined {
    const values: unknown[] = [];
    const segs = localField.split('.');
    for (const d of docs) valuesAtPath(d, segs, values);
    const seen = new Set<string>();
    const unique: unknown[] = [];
    for (const v of values) {
      if (v instanceof RegExp || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint')
        return undefined;
      let key: string;
      try {
        key = v instanceof Date ? `d${v.getTime()}` : `${typeof v}${JSON.stringify(v)}`;
      } catch {
        return undefined;
      }
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(v);
    }
    const info = this.coll(from);
    // _id is always a string here: a null/missing local value (an unset reference) can match nothing.
    const candidates = foreignField === '_id' ? unique.filter((v) => typeof v === 'string') : unique;
    if (candidates.length === 0 && foreignField === '_id') return [];
    const filter: Filter = { [foreignField]: { $in: candidates } };
    return this.matches(info, this.plan(info, filter, true), compileFilter(filter), undefined, Infinity).map(
      (c) => c.doc,
    );
  }

  private loadAll(name: string): Record<string, unknown>[] {
    const info = this.coll(name);
    if (!info.exists) return [];
    return (this.w.stmt(`SELECT doc FROM ${info.table}`).all() as { doc: string }[]).map((r) => decodeDoc(r.doc));
  }

  // ---------------------------------------------------------------- writing

  private prepareInserts(docs: Record<string, unknown>[]): Prepared[] {
    if (!Array.isArray(docs)) throw invalid('insert needs an array of documents');
    const seen = new Set<string>();
    return docs.map((src, i) => {
      if (!isPlainObject(src)) throw invalid(`document ${i} must be an object, got ${describeType(src)}`);
      const given = ownValue(src, '_id');
      const id = given === undefined ? generateId() : given;
      if (typeof id !== 'string' || id === '')
        throw invalid(`document ${i}: _id must be a non-empty string, got ${describeType(id)}`);
      if (seen.has(id)) throw new StoreError('DUPLICATE_KEY', `duplicate _id ${id} within the inserted documents`);
      seen.add(id);
      return { id, text: encodeDoc({ _id: id, ...src }), src };
    });
  }

  insert(coll: string, docs: Record<string, unknown>[], txId?: string): string[] {
    this.assertOpen();
    const tx = this.txFor(txId);
    const info = this.coll(coll);
    const prepared = this.prepareInserts(docs);
    if (tx) {
      this.txInsert(tx, info, prepared);
      return prepared.map((p) => p.id);
    }
    if (prepared.length === 0) return [];
    this.ensureTable(info);
    this.writeTx(() => {
      const stmt = this.w.stmt(`INSERT INTO ${info.table} (id, v, doc) VALUES (?, ?, ?)`);
      for (const p of prepared) {
        try {
          stmt.run(p.id, this.nextVersion(), p.text);
        } catch (e) {
          throw duplicateError(e, info.name, p.id);
        }
        this.countDelta(info, 1);
        this.noteArrays(info, p.src);
      }
    });
    return prepared.map((p) => p.id);
  }

  /** The document an upsert inserts (filter equalities + update, or the replacement) and its _id. */
  private upsertDoc(filter: Filter, spec: UpdateSpec, replace: boolean): Prepared {
    const seed = upsertSeed(filter);
    let id: unknown = ownValue(seed, '_id');
    if (replace) {
      const given = ownValue(spec, '_id');
      if (given !== undefined && id !== undefined && given !== id)
        throw invalid(`upsert: replacement _id differs from the filter's _id`);
      id ??= given;
    } else {
      const set = spec['$set'];
      if (id === undefined && isPlainObject(set) && typeof set['_id'] === 'string') id = set['_id'];
    }
    id ??= generateId();
    if (typeof id !== 'string' || id === '')
      throw invalid(`upsert: _id must be a non-empty string, got ${describeType(id)}`);
    let doc: Doc;
    if (replace) {
      doc = replacement(id, spec);
    } else {
      const positional = Object.values(spec).some(
        (arg) => isPlainObject(arg) && Object.keys(arg).some((p) => p.split('.').includes('$')),
      );
      if (positional)
        throw invalid(`upsert: the positional operator '$' needs a matched array, and an upsert that inserts has none`);
      const base: Doc = { _id: id };
      for (const k of Object.keys(seed)) if (k !== '_id') base[k] = seed[k];
      doc = applyUpdate(base, spec, false, filter);
    }
    return { id, text: encodeDoc(doc), src: doc };
  }

  update(coll: string, filter: Filter, spec: UpdateSpec, opts: UpdateOptions, txId?: string): UpdateResult {
    this.assertOpen();
    const tx = this.txFor(txId);
    const info = this.coll(coll);
    checkFilter(filter);
    if (!isPlainObject(opts)) throw invalid('update options must be an object');
    if (opts.replace) {
      if (!isPlainObject(spec)) throw invalid('replacement must be an object');
      replacement('x', { ...spec, _id: 'x' }); // operators in a replacement are refused before anything is read
    } else {
      checkUpdateSpec(spec);
    }
    const q = compileFilter(filter);
    const plan = this.plan(info, filter, true);
    const max = opts.multi ? Infinity : 1;
    if (tx) return this.txUpdate(tx, info, filter, spec, opts, plan, q, max);
    if (opts.upsert) this.ensureTable(info);
    return this.writeTx(() => {
      const found = this.matches(info, plan, q, undefined, max);
      if (found.length === 0) {
        if (!opts.upsert) return { matched: 0, updated: 0 };
        const doc = this.upsertDoc(filter, spec, opts.replace);
        try {
          this.w
            .stmt(`INSERT INTO ${info.table} (id, v, doc) VALUES (?, ?, ?)`)
            .run(doc.id, this.nextVersion(), doc.text);
        } catch (e) {
          throw duplicateError(e, info.name, doc.id);
        }
        this.countDelta(info, 1);
        this.noteArrays(info, doc.src);
        return { matched: 0, updated: 0, upsertedId: doc.id };
      }
      // Every new document is computed and validated before the first row is written.
      const changes = this.computeChanges(found, filter, spec, opts.replace);
      const stmt = this.w.stmt(`UPDATE ${info.table} SET v = ?, doc = ? WHERE id = ?`);
      for (const c of changes) {
        try {
          stmt.run(this.nextVersion(), c.text, c.id);
        } catch (e) {
          throw duplicateError(e, info.name, c.id);
        }
        this.noteArrays(info, c.doc);
      }
      return { matched: found.length, updated: changes.length };
    });
  }

  private computeChanges(
    found: Candidate[],
    filter: Filter,
    spec: UpdateSpec,
    replace: boolean,
  ): { id: string; text: string; doc: Doc; cand: Candidate }[] {
    const out: { id: string; text: string; doc: Doc; cand: Candidate }[] = [];
    for (const c of found) {
      const doc = applyUpdate(c.doc, spec, replace, filter); // c.doc was decoded for this call alone
      const text = encodeDoc(doc);
      if (text !== c.text) out.push({ id: c.id, text, doc, cand: c });
    }
    return out;
  }

  remove(coll: string, filter: Filter, opts: { multi: boolean }, txId?: string): number {
    this.assertOpen();
    const tx = this.txFor(txId);
    const info = this.coll(coll);
    checkFilter(filter);
    if (!isPlainObject(opts)) throw invalid('remove options must be an object');
    const q = compileFilter(filter);
    const plan = this.plan(info, filter, true);
    const max = opts.multi ? Infinity : 1;
    if (tx) {
      const found = this.matches(info, plan, q, tx, max);
      for (const c of found) this.txCheckWrite(tx, info, c.id, c.v, c.fromOverlay);
      for (const c of found) this.txRecord(tx, info, c.id, null, c.v);
      return found.length;
    }
    if (!info.exists) return 0;
    return this.writeTx(() => {
      const found = this.matches(info, plan, q, undefined, max);
      const stmt = this.w.stmt(`DELETE FROM ${info.table} WHERE id = ?`);
      for (const c of found) stmt.run(c.id);
      this.countDelta(info, -found.length);
      return found.length;
    });
  }

  // ---------------------------------------------------------------- transactions

  beginTransaction(): string {
    this.assertOpen();
    let conn = this.idle.pop();
    if (!conn) {
      if (this.readers >= this.maxTx)
        throw new StoreError(
          'TOO_MANY_TRANSACTIONS',
          `too many open transactions (${this.maxTx}); commit or abort some first`,
        );
      conn = openSnapshotConnection(this.file);
      this.readers++;
    }
    // In WAL mode the first read inside BEGIN pins the snapshot until ROLLBACK.
    conn.stmt('BEGIN').run();
    conn.stmt('SELECT count(*) FROM sqlite_master').get();
    const id = generateId();
    const timer = setTimeout(() => {
      const tx = this.txs.get(id);
      if (tx) this.endTx(tx, `timed out after ${this.timeoutMs} ms`);
    }, this.timeoutMs);
    timer.unref();
    this.txs.set(id, { id, conn, started: Date.now(), timer, overlay: new Map(), snapshotTables: new Map() });
    return id;
  }

  commit(txId: string): void {
    this.assertOpen();
    const tx = this.getTx(txId);
    if (tx.overlay.size === 0) {
      this.endTx(tx, 'committed'); // read-only: nothing to check or write (and no fsync)
      return;
    }
    // The commit checks versions on the write connection, not in the snapshot: release the snapshot first, or a
    // reader pinned during every commit keeps SQLite from ever restarting the WAL (measured: 30 GB while seeding).
    if (tx.conn.db.inTransaction) tx.conn.stmt('ROLLBACK').run();
    try {
      const infos = [...tx.overlay.keys()].map((c) => this.coll(c));
      for (const info of infos) {
        const entries = tx.overlay.get(info.name);
        if (entries && [...entries.values()].some((e) => e.text !== null)) this.ensureTable(info);
      }
      this.writeTx(() => {
        // First-committer check: every document written must still be as the snapshot saw it.
        for (const info of infos) {
          for (const [id, e] of tx.overlay.get(info.name) ?? []) {
            if (e.text === null && e.baseV === null) continue;
            const now = this.committedVersion(info, id);
            if (now !== e.baseV)
              throw new StoreError(
                'TRANSACTION_CONFLICT',
                `transaction ${txId} conflicts: document ${id} in ${info.name} changed after the transaction started`,
              );
          }
        }
        // Deletes, then updates, then inserts: a transaction that moves a unique value between documents still fits.
        for (const phase of ['delete', 'update', 'insert'] as const) {
          for (const info of infos) {
            for (const [id, e] of tx.overlay.get(info.name) ?? []) {
              const kind = e.text === null ? 'delete' : e.baseV === null ? 'insert' : 'update';
              if (kind !== phase) continue;
              try {
                if (e.text === null) {
                  if (e.baseV !== null)
                    this.countDelta(info, -this.w.stmt(`DELETE FROM ${info.table} WHERE id = ?`).run(id).changes);
                } else if (e.baseV === null) {
                  this.w
                    .stmt(`INSERT INTO ${info.table} (id, v, doc) VALUES (?, ?, ?)`)
                    .run(id, this.nextVersion(), e.text);
                  this.countDelta(info, 1);
                } else {
                  this.w
                    .stmt(`UPDATE ${info.table} SET v = ?, doc = ? WHERE id = ?`)
                    .run(this.nextVersion(), e.text, id);
                }
              } catch (err) {
                throw duplicateError(err, info.name, id);
              }
              if (e.text !== null) this.noteArrays(info, decodeDoc(e.text));
            }
          }
        }
      });
      this.endTx(tx, 'committed');
    } catch (e) {
      this.endTx(
        tx,
        e instanceof StoreError && e.code === 'TRANSACTION_CONFLICT'
          ? 'aborted by a write conflict at commit'
          : 'failed to commit',
      );
      throw e;
    }
  }

  abort(txId: string): void {
    this.assertOpen();
    this.endTx(this.getTx(txId), 'aborted');
  }

  private txFor(txId: string | undefined): Tx | undefined {
    return txId === undefined ? undefined : this.getTx(txId);
  }

  private getTx(txId: string): Tx {
    const tx = typeof txId === 'string' ? this.txs.get(txId) : undefined;
    if (!tx) {
      const why = typeof txId === 'string' ? this.ended.get(txId) : undefined;
      throw new StoreError(
        'TRANSACTION_NOT_FOUND',
        `transaction ${String(txId)} ${why !== undefined ? `was ${why}` : 'does not exist'}`,
      );
    }
    // The timer may not have had its turn yet (a busy event loop): the deadline still holds.
    if (Date.now() - tx.started > this.timeoutMs) {
      this.endTx(tx, `timed out after ${this.timeoutMs} ms`);
      throw new StoreError('TRANSACTION_NOT_FOUND', `transaction ${txId} timed out after ${this.timeoutMs} ms`);
    }
    return tx;
  }

  private endTx(tx: Tx, why: string): void {
    clearTimeout(tx.timer);
    if (!this.txs.delete(tx.id)) return;
    for (const [coll, entries] of tx.overlay) {
      for (const id of entries.keys()) {
        const key = `${coll}\u0000${id}`;
        if (this.locks.get(key) === tx.id) this.locks.delete(key);
      }
    }
    if (tx.conn.db.inTransaction) tx.conn.stmt('ROLLBACK').run();
    this.idle.push(tx.conn);
    this.ended.set(tx.id, why);
    this.truncateWalWhenQuiet();
    if (this.ended.size > MAX_ENDED_REMEMBERED) {
      const oldest = this.ended.keys().next();
      if (!oldest.done) this.ended.delete(oldest.value);
    }
  }

  /**
   * Under steady concurrency some snapshot is nearly always open, so SQLite's own checkpoints cannot restart the WAL;
   * at a moment with no open transaction, a large WAL is checkpointed and truncated (no reader can be waiting).
   */
  private truncateWalWhenQuiet(): void {
    if (this.txs.size > 0 || ++this.endedSinceWalCheck < WAL_CHECK_EVERY) return;
    this.endedSinceWalCheck = 0;
    let size = 0;
    try {
      size = statSync(`${this.file}-wal`).size;
    } catch {
      return;
    }
    if (size > WAL_TRUNCATE_BYTES) this.w.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  private snapshotHas(tx: Tx, info: CollInfo): boolean {
    let has = tx.snapshotTables.get(info.name);
    if (has === undefined) {
      has = tx.conn.stmt(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(info.name) !== undefined;
      tx.snapshotTables.set(info.name, has);
    }
    return has;
  }

  private snapshotVersion(tx: Tx, info: CollInfo, id: string): number | null {
    if (!this.snapshotHas(tx, info)) return null;
    const r = tx.conn.stmt(`SELECT v FROM ${info.table} WHERE id = ?`).get(id) as { v: number } | undefined;
    return r ? r.v : null;
  }

  private committedVersion(info: CollInfo, id: string): number | null {
    if (!info.exists) return null;
    const r = this.w.stmt(`SELECT v FROM ${info.table} WHERE id = ?`).get(id) as { v: number } | undefined;
    return r ? r.v : null;
  }

  /** A transaction may write a document unless another open transaction wrote it first or it changed since the snapshot. */
  private txCheckWrite(tx: Tx, info: CollInfo, id: string, snapshotV: number | null, alreadyWritten: boolean): void {
    const owner = this.locks.get(`${info.name}\u0000${id}`);
    if (owner !== undefined && owner !== tx.id)
      this.conflict(tx, `document ${id} in ${info.name} is being written by another transaction`);
    if (!alreadyWritten && this.committedVersion(info, id) !== snapshotV)
      this.conflict(tx, `document ${id} in ${info.name} changed after the transaction started`);
  }

  /** Mongo aborts a transaction on a write conflict: so do we, and the caller retries it from the start. */
  private conflict(tx: Tx, message: string): never {
    this.endTx(tx, 'aborted by a write conflict');
    throw new StoreError('TRANSACTION_CONFLICT', `transaction ${tx.id} aborted: ${message}`);
  }

  private txRecord(tx: Tx, info: CollInfo, id: string, text: string | null, baseV: number | null): void {
    let entries = tx.overlay.get(info.name);
    if (!entries) {
      entries = new Map();
      tx.overlay.set(info.name, entries);
    }
    const prior = entries.get(id);
    entries.set(id, { text, baseV: prior ? prior.baseV : baseV });
    this.locks.set(`${info.name}\u0000${id}`, tx.id);
  }

  /** Unique indexes against the transaction's view: its snapshot, its own writes, and the batch being written. */
  private txUniqueCheck(
    tx: Tx,
    info: CollInfo,
    id: string,
    text: string,
    batch: readonly { id: string; text: string }[],
  ): void {
    const overlay = tx.overlay.get(info.name);
    const batchIds = new Set(batch.map((b) => b.id));
    const others = new Map<string, string>();
    for (const [oid, e] of overlay ?? []) if (e.text !== null && !batchIds.has(oid)) others.set(oid, e.text);
    for (const b of batch) others.set(b.id, b.text);
    others.delete(id);
    for (const ix of info.indexes) {
      if (!ix.unique || ix.paths.includes('_id')) continue;
      // SQLite itself extracts the new document's keys (@t ->> path), so the comparison is the index's own.
      const jsonPaths = ix.exprs.map((e) => e.slice('doc->>'.length));
      const duplicate = (): never => {
        throw new StoreError(
          'DUPLICATE_KEY',
          `duplicate key in ${info.name} for unique index ${ix.name} (document ${id})`,
        );
      };
      if (this.snapshotHas(tx, info)) {
        const where = ix.exprs.map((e, i) => `${e} = (@t ->> ${jsonPaths[i] ?? ''})`).join(' AND ');
        const hits = tx.conn.stmt(`SELECT id FROM ${info.table} WHERE ${where}`).all({ t: text }) as { id: string }[];
        for (const h of hits) if (h.id !== id && !overlay?.has(h.id) && !batchIds.has(h.id)) duplicate();
      }
      if (others.size === 0) continue;
      const same = tx.conn.stmt(
        `SELECT ${jsonPaths.map((p) => `(@a ->> ${p}) = (@b ->> ${p})`).join(' AND ')} AS same`,
      );
      for (const otherText of others.values()) {
        if ((same.get({ a: text, b: otherText }) as { same: number | null }).same === 1) duplicate();
      }
    }
  }

  private txInsert(tx: Tx, info: CollInfo, prepared: Prepared[]): void {
    const overlay = tx.overlay.get(info.name);
    const bases: (number | null)[] = [];
    prepared.forEach((p) => {
      const prior = overlay?.get(p.id);
      if (prior) {
        if (prior.text !== null) throw new StoreError('DUPLICATE_KEY', `duplicate _id ${p.id} in ${info.name}`);
      } else {
        if (this.snapshotVersion(tx, info, p.id) !== null)
          throw new StoreError('DUPLICATE_KEY', `duplicate _id ${p.id} in ${info.name}`);
        this.txCheckWrite(tx, info, p.id, null, false);
      }
      this.txUniqueCheck(tx, info, p.id, p.text, prepared);
      bases.push(prior ? prior.baseV : null);
    });
    prepared.forEach((p, i) => this.txRecord(tx, info, p.id, p.text, bases[i] ?? null));
  }

  private txUpdate(
    tx: Tx,
    info: CollInfo,
    filter: Filter,
    spec: UpdateSpec,
    opts: UpdateOptions,
    plan: Plan,
    q: CompiledFilter,
    max: number,
  ): UpdateResult {
    const found = this.matches(info, plan, q, tx, max);
    if (found.length === 0) {
      if (!opts.upsert) return { matched: 0, updated: 0 };
      const doc = this.upsertDoc(filter, spec, opts.replace);
      this.txInsert(tx, info, [doc]);
      return { matched: 0, updated: 0, upsertedId: doc.id };
    }
    const changes = this.computeChanges(found, filter, spec, opts.replace);
    for (const c of changes) this.txCheckWrite(tx, info, c.id, c.cand.v, c.cand.fromOverlay);
    for (const c of changes) this.txUniqueCheck(tx, info, c.id, c.text, changes);
    for (const c of changes) this.txRecord(tx, info, c.id, c.text, c.cand.v);
    return { matched: found.length, updated: changes.length };
  }

  // ---------------------------------------------------------------- tools

  stats(): EngineStats {
    this.assertOpen();
    const collections: Record<string, number> = {};
    for (const info of this.colls.values()) {
      if (info.exists) collections[info.name] = this.collectionSize(info);
    }
    return this.statistics.report(this.txs.size, collections);
  }

  private collectionSize(info: CollInfo): number {
    return this.statistics.documentCount(info.name, () =>
      Number((this.w.stmt(`SELECT count(*) AS n FROM ${info.table}`).get() as { n: number }).n),
    );
  }

  explain(coll: string, filter: Filter): ExplainResult {
    this.assertOpen();
    const info = this.coll(coll);
    checkFilter(filter);
    const plan = this.plan(info, filter, false);
    let queryPlan: string[] = [];
    if (info.exists) {
      const rows = this.w.db
        .prepare(`EXPLAIN QUERY PLAN SELECT id, v, doc FROM ${info.table} WHERE ${plan.where}`)
        .all(...plan.params) as { detail: string }[];
      queryPlan = rows.map((r) => r.detail);
    }
    return { index: plan.index, where: plan.where, params: plan.params, queryPlan };
  }

  close(): void {
    if (this.closed) return;
    for (const tx of [...this.txs.values()]) this.endTx(tx, 'aborted: the store closed');
    for (const c of this.idle) c.db.close();
    this.idle.length = 0;
    this.w.db.close();
    this.closed = true;
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }

  private assertOpen(): void {
    if (this.closed) throw invalid('the store is closed');
  }
}

export function openEngine(options: OpenStoreOptions): LocalStore {
  return new Engine(options);
}
