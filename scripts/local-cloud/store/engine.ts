/**
 * The local cloud's database: one SQLite table per collection (id, v, doc), mingo for Mongo semantics,
 * declared expression indexes to narrow candidates, and snapshot transactions on pooled read connections.
 * The Engine class only combines the parts: the catalog of collections, the planner, the reader, the writer, the
 * transactions, the statistics and the WAL upkeep.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Catalog } from './catalog';
import type { Collection } from './catalog';
import { checkFilter, checkFindOptions, checkPipeline, invalid } from './checks';
import { describeType, encodeDoc, hasOwn, isEmptyObject, isPlainObject, ownValue, rememberStoredText } from './codec';
import { Connection, configureWriteConnection } from './connection';
import { generateId } from './ids';
import { compileFilter, runPipeline, shapeResults, valuesAtPath } from './mingo';
import { planFilter } from './planner';
import type { Plan } from './planner';
import { Reader } from './reader';
import type { Candidate } from './reader';
import { Statistics } from './statistics';
import type { EngineStats } from './statistics';
import { Transactions } from './transactions';
import type { DocumentChange } from './transactions';
import { StoreError } from './types';
import type { Doc, Filter, FindOptions, IndexFile, Store, UpdateOptions, UpdateResult, UpdateSpec } from './types';
import { applyUpdate, checkUpdateSpec, replacement, upsertSeed } from './update';
import { WalUpkeep } from './wal';
import { Writer } from './writer';
import type { PreparedDoc } from './writer';

export type { EngineStats } from './statistics';

export interface OpenStoreOptions {
  /** directory for cloud.db (created if missing), or ':memory:' for a throwaway database in a temp directory */
  dir: string;
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

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_TX = 64;

class Engine implements LocalStore {
  readonly file: string;
  /** the directory of a ':memory:' store, removed on close */
  private readonly tempDir: string | undefined;
  private readonly catalog: Catalog;
  private readonly statistics = new Statistics();
  private readonly writer: Writer;
  private readonly reader: Reader;
  private readonly transactions: Transactions;
  private closed = false;

  constructor(options: OpenStoreOptions) {
    this.catalog = new Catalog(options.indexes);
    const memory = options.dir === ':memory:';
    // Snapshot reads need real WAL readers on separate connections, which a shared in-memory DB cannot give.
    const dir = memory ? mkdtempSync(path.join(tmpdir(), 'local-cloud-store-')) : options.dir;
    if (!memory) mkdirSync(dir, { recursive: true });
    this.tempDir = memory ? dir : undefined;
    this.file = path.join(dir, 'cloud.db');
    this.writer = this.openWriter(new Connection(new Database(this.file)), !memory);
    this.reader = new Reader(this.catalog, this.writer.connection);
    const wal = new WalUpkeep(this.file, this.writer.connection);
    this.transactions = new Transactions(
      this.file,
      {
        timeoutMs: options.transactionTimeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxOpen: options.maxOpenTransactions ?? DEFAULT_MAX_TX,
      },
      this.catalog,
      this.writer,
      (stillOpen) => wal.transactionEnded(stillOpen),
    );
  }

  private openWriter(connection: Connection, durable: boolean): Writer {
    try {
      configureWriteConnection(connection.db, durable);
      return new Writer(connection, this.catalog, this.statistics);
    } catch (e) {
      connection.db.close();
      if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
      throw e;
    }
  }

  /** The filter's narrowing plan; counted in the statistics unless only explained. */
  private plan(info: Collection, filter: Filter, counted: boolean): Plan {
    const plan = planFilter(filter, info.indexes, (p) => this.catalog.isMultikey(info.name, p));
    if (counted) this.statistics.countPlan(info.name, filter, plan);
    return plan;
  }

  private collectionSize(info: Collection): number {
    return this.statistics.documentCount(info.name, () => this.writer.countRows(info));
  }

  // ---------------------------------------------------------------- reading

  find(coll: string, filter: Filter, opts: FindOptions = {}, txId?: string): Doc[] {
    this.assertOpen();
    const tx = this.transactions.forCall(txId);
    const info = this.catalog.get(coll);
    checkFilter(filter);
    const options = checkFindOptions(opts);
    const matcher = compileFilter(filter);
    const plan = this.plan(info, filter, true);
    const sorted = options.sort !== undefined && Object.keys(options.sort).length > 0;
    if (sorted && options.sort && options.limit > 0) {
      const top = this.reader.inIndexOrder(info, plan, filter, matcher, tx, options.sort, options.skip + options.limit);
      if (top) {
        this.statistics.countSortedByIndex(top.merged);
        return shapeResults(top.docs, options.sort, options.skip, options.limit, options.projection);
      }
    }
    // Without a sort the scan can stop as soon as the page is full.
    const want = sorted || options.limit === 0 ? Infinity : options.skip + options.limit;
    const docs = this.reader.matches(info, plan, matcher, tx, want).map((c) => rememberStoredText(c.doc, c.text));
    return shapeResults(docs, options.sort, options.skip, options.limit, options.projection);
  }

  count(coll: string, filter: Filter, txId?: string): number {
    this.assertOpen();
    const tx = this.transactions.forCall(txId);
    const info = this.catalog.get(coll);
    checkFilter(filter);
    const matcher = compileFilter(filter);
    const plan = this.plan(info, filter, true);
    if (isEmptyObject(filter)) {
      if (!tx) return info.exists ? this.collectionSize(info) : 0;
      let n = tx.snapshotHas(info)
        ? Number((tx.snapshot.stmt(`SELECT count(*) AS n FROM ${info.table}`).get() as { n: number | bigint }).n)
        : 0;
      for (const write of tx.writes.get(info.name)?.values() ?? [])
        n += (write.text !== null ? 1 : 0) - (write.baseVersion !== null ? 1 : 0);
      return n;
    }
    return this.reader.matches(info, plan, matcher, tx, Infinity).length;
  }

  aggregate(coll: string, pipeline: Record<string, unknown>[]): Record<string, unknown>[] {
    this.assertOpen();
    const info = this.catalog.get(coll);
    checkPipeline(pipeline, 'pipeline');
    let stages = pipeline;
    let input: Record<string, unknown>[];
    const first = stages[0];
    if (first && hasOwn(first, '$match')) {
      const filter = first['$match'];
      checkFilter(filter);
      // The leading $match is answered like find (index-narrowed), so mingo never sees the other rows.
      input = this.reader
        .matches(info, this.plan(info, filter, true), compileFilter(filter), undefined, Infinity)
        .map((c) => c.doc);
      stages = stages.slice(1);
    } else {
      this.statistics.countFullListing();
      input = this.reader.loadAll(info.name);
    }
    const loaded = new Map<string, Record<string, unknown>[]>();
    const resolveAll = (name: string): Record<string, unknown>[] => {
      let docs = loaded.get(name);
      if (!docs) {
        docs = this.reader.loadAll(name);
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
    const segments = localField.split('.');
    for (const d of docs) valuesAtPath(d, segments, values);
    const seen = new Set<string>();
    const unique: unknown[] = [];
    for (const value of values) {
      if (
        value instanceof RegExp ||
        typeof value === 'function' ||
        typeof value === 'symbol' ||
        typeof value === 'bigint'
      )
        return undefined;
      let key: string;
      try {
        key = value instanceof Date ? `d${value.getTime()}` : `${typeof value}${JSON.stringify(value)}`;
      } catch {
        return undefined;
      }
      if (seen.has(key)) continue;
      seen.add(key);
      unique.push(value);
    }
    const info = this.catalog.get(from);
    // _id is always a string here: a null/missing local value (an unset reference) can match nothing.
    const candidates = foreignField === '_id' ? unique.filter((v) => typeof v === 'string') : unique;
    if (candidates.length === 0 && foreignField === '_id') return [];
    const filter: Filter = { [foreignField]: { $in: candidates } };
    return this.reader
      .matches(info, this.plan(info, filter, true), compileFilter(filter), undefined, Infinity)
      .map((c) => c.doc);
  }

  // ---------------------------------------------------------------- writing

  insert(coll: string, docs: Record<string, unknown>[], txId?: string): string[] {
    this.assertOpen();
    const tx = this.transactions.forCall(txId);
    const info = this.catalog.get(coll);
    const prepared = prepareInserts(docs);
    if (tx) {
      this.transactions.insert(tx, info, prepared);
      return prepared.map((p) => p.id);
    }
    if (prepared.length === 0) return [];
    this.writer.ensureTable(info);
    this.writer.transaction(() => {
      for (const p of prepared) {
        this.writer.insertRow(info, p.id, p.text);
        this.writer.noteArrays(info, p.doc);
      }
    });
    return prepared.map((p) => p.id);
  }

  update(coll: string, filter: Filter, spec: UpdateSpec, opts: UpdateOptions, txId?: string): UpdateResult {
    this.assertOpen();
    const tx = this.transactions.forCall(txId);
    const info = this.catalog.get(coll);
    checkFilter(filter);
    if (!isPlainObject(opts)) throw invalid('update options must be an object');
    if (opts.replace) {
      if (!isPlainObject(spec)) throw invalid('replacement must be an object');
      replacement('x', { ...spec, _id: 'x' }); // operators in a replacement are refused before anything is read
    } else {
      checkUpdateSpec(spec);
    }
    const matcher = compileFilter(filter);
    const plan = this.plan(info, filter, true);
    const max = opts.multi ? Infinity : 1;
    if (tx) {
      const found = this.reader.matches(info, plan, matcher, tx, max);
      if (found.length === 0) {
        if (!opts.upsert) return { matched: 0, updated: 0 };
        const doc = upsertDocument(filter, spec, opts.replace);
        this.transactions.insert(tx, info, [doc]);
        return { matched: 0, updated: 0, upsertedId: doc.id };
      }
      const changes = changedDocuments(found, filter, spec, opts.replace);
      this.transactions.update(tx, info, changes);
      return { matched: found.length, updated: changes.length };
    }
    if (opts.upsert) this.writer.ensureTable(info);
    return this.writer.transaction(() => {
      const found = this.reader.matches(info, plan, matcher, undefined, max);
      if (found.length === 0) {
        if (!opts.upsert) return { matched: 0, updated: 0 };
        const doc = upsertDocument(filter, spec, opts.replace);
        this.writer.insertRow(info, doc.id, doc.text);
        this.writer.noteArrays(info, doc.doc);
        return { matched: 0, updated: 0, upsertedId: doc.id };
      }
      // Every new document is computed and validated before the first row is written.
      const changes = changedDocuments(found, filter, spec, opts.replace);
      for (const c of changes) {
        this.writer.updateRow(info, c.id, c.text);
        this.writer.noteArrays(info, c.doc);
      }
      return { matched: found.length, updated: changes.length };
    });
  }

  remove(coll: string, filter: Filter, opts: { multi: boolean }, txId?: string): number {
    this.assertOpen();
    const tx = this.transactions.forCall(txId);
    const info = this.catalog.get(coll);
    checkFilter(filter);
    if (!isPlainObject(opts)) throw invalid('remove options must be an object');
    const matcher = compileFilter(filter);
    const plan = this.plan(info, filter, true);
    const max = opts.multi ? Infinity : 1;
    if (tx) {
      const found = this.reader.matches(info, plan, matcher, tx, max);
      this.transactions.remove(tx, info, found);
      return found.length;
    }
    if (!info.exists) return 0;
    return this.writer.transaction(() => {
      const found = this.reader.matches(info, plan, matcher, undefined, max);
      for (const c of found) this.writer.deleteRow(info, c.id);
      return found.length;
    });
  }

  // ---------------------------------------------------------------- transactions

  beginTransaction(): string {
    this.assertOpen();
    return this.transactions.begin();
  }

  commit(txId: string): void {
    this.assertOpen();
    this.transactions.commit(txId);
  }

  abort(txId: string): void {
    this.assertOpen();
    this.transactions.abort(txId);
  }

  // ---------------------------------------------------------------- tools

  stats(): EngineStats {
    this.assertOpen();
    const collections: Record<string, number> = {};
    for (const info of this.catalog.all()) {
      if (info.exists) collections[info.name] = this.collectionSize(info);
    }
    return this.statistics.report(this.transactions.openCount, collections);
  }

  explain(coll: string, filter: Filter): ExplainResult {
    this.assertOpen();
    const info = this.catalog.get(coll);
    checkFilter(filter);
    const plan = this.plan(info, filter, false);
    let queryPlan: string[] = [];
    if (info.exists) {
      const rows = this.writer.connection.db
        .prepare(`EXPLAIN QUERY PLAN SELECT id, v, doc FROM ${info.table} WHERE ${plan.where}`)
        .all(...plan.params) as { detail: string }[];
      queryPlan = rows.map((r) => r.detail);
    }
    return { index: plan.index, where: plan.where, params: plan.params, queryPlan };
  }

  close(): void {
    if (this.closed) return;
    this.transactions.closeAll();
    this.writer.connection.db.close();
    this.closed = true;
    if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
  }

  private assertOpen(): void {
    if (this.closed) throw invalid('the store is closed');
  }
}

// ---------------------------------------------------------------- the documents a write produces

function prepareInserts(docs: Record<string, unknown>[]): PreparedDoc[] {
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
    return { id, text: encodeDoc({ _id: id, ...src }), doc: src };
  });
}

/** The document an upsert inserts (filter equalities + update, or the replacement) and its _id. */
function upsertDocument(filter: Filter, spec: UpdateSpec, replace: boolean): PreparedDoc {
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
  return { id, text: encodeDoc(doc), doc };
}

/** The found documents the update changes, with their new text (unchanged ones are left out). */
function changedDocuments(
  found: Candidate[],
  filter: Filter,
  spec: UpdateSpec,
  replace: boolean,
): (DocumentChange & { doc: Doc })[] {
  const out: (DocumentChange & { doc: Doc })[] = [];
  for (const candidate of found) {
    const doc = applyUpdate(candidate.doc, spec, replace, filter); // candidate.doc was decoded for this call alone
    const text = encodeDoc(doc);
    if (text !== candidate.text) out.push({ id: candidate.id, text, doc, candidate });
  }
  return out;
}

export function openEngine(options: OpenStoreOptions): LocalStore {
  return new Engine(options);
}
