/**
 * The storage engine's contract: what the local cloud's /admin protocol layer calls.
 * Documents are plain JS objects (Dates as Date instances) as bson's EJSON.parse returns them.
 * Everything is synchronous (better-sqlite3 is); concurrency comes from many open transactions.
 */

export type Doc = { _id: string } & Record<string, unknown>;

/** A MongoDB filter as the SDK sends it (already EJSON-parsed): dotted paths, $and/$or/$nor, $eq/$ne/$gt/... */
export type Filter = Record<string, unknown>;

/** A MongoDB update: either operators ($set, $inc, $unset, $push{$each,$position}, $pull, $pullAll, $addToSet, $pop, $min, $max, $mul, $rename) or, with replace, a whole document. */
export type UpdateSpec = Record<string, unknown>;

export type SortSpec = Record<string, 1 | -1>;

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  /** The caller (protocol layer) clamps to the server limit 1000 / default 100. */
  limit?: number;
  /** Mongo projection: { a: 1, b: 1 } or { a: 0 }; _id included unless { _id: 0 }. */
  projection?: Record<string, unknown>;
}

export interface UpdateOptions {
  multi: boolean;
  upsert: boolean;
  /** true = the update is a whole replacement document (doc().set()); false = operators. */
  replace: boolean;
}

export interface UpdateResult {
  matched: number;
  updated: number;
  upsertedId?: string;
}

export type StoreErrorCode =
  | 'TRANSACTION_CONFLICT' // another transaction wrote the same document first (now or before our commit)
  | 'TRANSACTION_NOT_FOUND' // unknown, committed, aborted or timed-out transaction id
  | 'DUPLICATE_KEY' // insert of an _id that exists
  | 'UNSUPPORTED' // an operator / stage / option we do not implement: message names it
  | 'INVALID' // malformed filter/update/pipeline: message says what
  | 'TOO_MANY_TRANSACTIONS'; // every snapshot connection is taken by an open transaction: retry after some finish

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** One declared index, as in cloudfunctions/_shared/db/indexes.json. */
export interface IndexDecl {
  name: string;
  /** ordered keys, dotted paths allowed; 1 asc / -1 desc */
  keys: Record<string, 1 | -1>;
  unique?: boolean;
}
export type IndexFile = { collections: Record<string, { indexes: IndexDecl[] }> };

export interface StoreStats {
  /** queries (find/count/update/remove/aggregate $match) that no declared index (nor _id) could narrow */
  unindexedQueries: number;
  /** the distinct shapes of those queries, e.g. "violations {plate,status}" → count, so a missing index can be named */
  unindexedShapes: Record<string, number>;
  openTransactions: number;
  collections: Record<string, number>;
}

export interface Store {
  /** Non-transactional reads see the latest committed data. With txId: the transaction's snapshot plus its own buffered writes. */
  find(coll: string, filter: Filter, opts?: FindOptions, txId?: string): Doc[];
  count(coll: string, filter: Filter, txId?: string): number;
  /** Generates a 32-hex-char _id when missing (the cloud's format). Returns the ids in order. */
  insert(coll: string, docs: Record<string, unknown>[], txId?: string): string[];
  update(coll: string, filter: Filter, update: UpdateSpec, opts: UpdateOptions, txId?: string): UpdateResult;
  remove(coll: string, filter: Filter, opts: { multi: boolean }, txId?: string): number;
  aggregate(coll: string, pipeline: Record<string, unknown>[]): Record<string, unknown>[];

  beginTransaction(): string;
  /** Atomically applies the buffered writes, or throws StoreError('TRANSACTION_CONFLICT') and applies nothing. */
  commit(txId: string): void;
  abort(txId: string): void;

  stats(): StoreStats;
  close(): void;
}
