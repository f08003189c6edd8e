/**
 * Snapshot transactions. Each open transaction pins a WAL snapshot on a pooled read-only connection and buffers its
 * writes in memory; a document written by one open transaction is locked against the others (the second writer is
 * aborted, as Mongo aborts on a write conflict), and commit applies the buffer in one write transaction after
 * checking that no document it writes changed since the snapshot (first committer wins).
 */
import type { Catalog, Collection } from './catalog';
import { decodeDoc } from './codec';
import { openSnapshotConnection } from './connection';
import type { Connection } from './connection';
import { generateId } from './ids';
import type { Candidate } from './reader';
import { StoreError } from './types';
import type { PreparedDoc, Writer } from './writer';

/** A transaction's pending write of one document: text null = removed; baseVersion = version in its snapshot (null = absent). */
export interface PendingWrite {
  text: string | null;
  baseVersion: number | null;
}

/** An update's new text for a document a query found. */
export interface DocumentChange {
  id: string;
  text: string;
  candidate: Candidate;
}

export interface TransactionLimits {
  /** open transactions older than this are aborted */
  timeoutMs: number;
  /** at most this many open at once, one snapshot connection each */
  maxOpen: number;
}

const MAX_ENDED_REMEMBERED = 1000;

const lockKey = (coll: string, id: string): string => `${coll}\u0000${id}`;

export class Transaction {
  /** pending writes by collection, then by _id */
  readonly writes = new Map<string, Map<string, PendingWrite>>();
  /** whether each collection's table exists in the snapshot, asked once */
  private readonly snapshotTables = new Map<string, boolean>();

  constructor(
    readonly id: string,
    readonly snapshot: Connection,
    readonly startedAt: number,
    readonly timer: NodeJS.Timeout,
  ) {}

  snapshotHas(info: Collection): boolean {
    let has = this.snapshotTables.get(info.name);
    if (has === undefined) {
      has =
        this.snapshot.stmt(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(info.name) !==
        undefined;
      this.snapshotTables.set(info.name, has);
    }
    return has;
  }

  snapshotVersion(info: Collection, id: string): number | null {
    if (!this.snapshotHas(info)) return null;
    const row = this.snapshot.stmt(`SELECT v FROM ${info.table} WHERE id = ?`).get(id) as { v: number } | undefined;
    return row ? row.v : null;
  }

  releaseSnapshot(): void {
    if (this.snapshot.db.inTransaction) this.snapshot.stmt('ROLLBACK').run();
  }
}

export class Transactions {
  private readonly open = new Map<string, Transaction>();
  /** why recently ended transactions ended, so a late call can say so */
  private readonly endedReasons = new Map<string, string>();
  /** "<collection>\0<_id>" → the open transaction that has written the document */
  private readonly writeLocks = new Map<string, string>();
  private readonly idleSnapshotConnections: Connection[] = [];
  private snapshotConnections = 0;

  constructor(
    private readonly databaseFile: string,
    private readonly limits: TransactionLimits,
    private readonly catalog: Catalog,
    private readonly writer: Writer,
    /** told after every transaction ends, with how many are still open */
    private readonly onEnded: (stillOpen: number) => void,
  ) {}

  get openCount(): number {
    return this.open.size;
  }

  begin(): string {
    let connection = this.idleSnapshotConnections.pop();
    if (!connection) {
      if (this.snapshotConnections >= this.limits.maxOpen)
        throw new StoreError(
          'TOO_MANY_TRANSACTIONS',
          `too many open transactions (${this.limits.maxOpen}); commit or abort some first`,
        );
      connection = openSnapshotConnection(this.databaseFile);
      this.snapshotConnections++;
    }
    // In WAL mode the first read inside BEGIN pins the snapshot until ROLLBACK.
    connection.stmt('BEGIN').run();
    connection.stmt('SELECT count(*) FROM sqlite_master').get();
    const id = generateId();
    const timer = setTimeout(() => {
      const tx = this.open.get(id);
      if (tx) this.end(tx, `timed out after ${this.limits.timeoutMs} ms`);
    }, this.limits.timeoutMs);
    timer.unref();
    this.open.set(id, new Transaction(id, connection, Date.now(), timer));
    return id;
  }

  /** The open transaction a call names, or none for a call outside transactions. */
  forCall(txId: string | undefined): Transaction | undefined {
    return txId === undefined ? undefined : this.get(txId);
  }

  get(txId: string): Transaction {
    const tx = typeof txId === 'string' ? this.open.get(txId) : undefined;
    if (!tx) {
      const why = typeof txId === 'string' ? this.endedReasons.get(txId) : undefined;
      throw new StoreError(
        'TRANSACTION_NOT_FOUND',
        `transaction ${txId} ${why !== undefined ? `was ${why}` : 'does not exist'}`,
      );
    }
    // The timer may not have had its turn yet (a busy event loop): the deadline still holds.
    if (Date.now() - tx.startedAt > this.limits.timeoutMs) {
      this.end(tx, `timed out after ${this.limits.timeoutMs} ms`);
      throw new StoreError('TRANSACTION_NOT_FOUND', `transaction ${txId} timed out after ${this.limits.timeoutMs} ms`);
    }
    return tx;
  }

  commit(txId: string): void {
    const tx = this.get(txId);
    if (tx.writes.size === 0) {
      this.end(tx, 'committed'); // read-only: nothing to check or write (and no fsync)
      return;
    }
    // The commit checks versions on the write connection, not in the snapshot: release the snapshot first, or a
    // reader pinned during every commit keeps SQLite from ever restarting the WAL (measured: 30 GB while seeding).
    tx.releaseSnapshot();
    try {
      const collections = [...tx.writes.keys()].map((c) => this.catalog.get(c));
      for (const info of collections) {
        const writes = tx.writes.get(info.name);
        if (writes && [...writes.values()].some((w) => w.text !== null)) this.writer.ensureTable(info);
      }
      this.writer.transaction(() => {
        // First-committer check: every document written must still be as the snapshot saw it.
        for (const info of collections) {
          for (const [id, write] of tx.writes.get(info.name) ?? []) {
            if (write.text === null && write.baseVersion === null) continue;
            if (this.writer.committedVersion(info, id) !== write.baseVersion)
              throw new StoreError(
                'TRANSACTION_CONFLICT',
                `transaction ${txId} conflicts: document ${id} in ${info.name} changed after the transaction started`,
              );
          }
        }
        // Deletes, then updates, then inserts: a transaction that moves a unique value between documents still fits.
        for (const phase of ['delete', 'update', 'insert'] as const) {
          for (const info of collections) {
            for (const [id, write] of tx.writes.get(info.name) ?? []) {
              const kind = write.text === null ? 'delete' : write.baseVersion === null ? 'insert' : 'update';
              if (kind !== phase) continue;
              if (write.text === null) {
                if (write.baseVersion !== null) this.writer.deleteRow(info, id);
              } else {
                if (write.baseVersion === null) this.writer.insertRow(info, id, write.text);
                else this.writer.updateRow(info, id, write.text);
                this.writer.noteArrays(info, decodeDoc(write.text));
              }
            }
          }
        }
      });
      this.end(tx, 'committed');
    } catch (e) {
      this.end(
        tx,
        e instanceof StoreError && e.code === 'TRANSACTION_CONFLICT'
          ? 'aborted by a write conflict at commit'
          : 'failed to commit',
      );
      throw e;
    }
  }

  abort(txId: string): void {
    this.end(this.get(txId), 'aborted');
  }

  /** Ends every open transaction and closes the snapshot connections. */
  closeAll(): void {
    for (const tx of [...this.open.values()]) this.end(tx, 'aborted: the store closed');
    for (const connection of this.idleSnapshotConnections) connection.db.close();
    this.idleSnapshotConnections.length = 0;
  }

  private end(tx: Transaction, why: string): void {
    clearTimeout(tx.timer);
    if (!this.open.delete(tx.id)) return;
    for (const [coll, writes] of tx.writes) {
      for (const id of writes.keys()) {
        const key = lockKey(coll, id);
        if (this.writeLocks.get(key) === tx.id) this.writeLocks.delete(key);
      }
    }
    tx.releaseSnapshot();
    this.idleSnapshotConnections.push(tx.snapshot);
    this.endedReasons.set(tx.id, why);
    this.onEnded(this.open.size);
    if (this.endedReasons.size > MAX_ENDED_REMEMBERED) {
      const oldest = this.endedReasons.keys().next();
      if (!oldest.done) this.endedReasons.delete(oldest.value);
    }
  }

  // ---------------------------------------------------------------- buffered writes

  insert(tx: Transaction, info: Collection, prepared: PreparedDoc[]): void {
    const writes = tx.writes.get(info.name);
    const baseVersions: (number | null)[] = [];
    prepared.forEach((p) => {
      const prior = writes?.get(p.id);
      if (prior) {
        if (prior.text !== null) throw new StoreError('DUPLICATE_KEY', `duplicate _id ${p.id} in ${info.name}`);
      } else {
        if (tx.snapshotVersion(info, p.id) !== null)
          throw new StoreError('DUPLICATE_KEY', `duplicate _id ${p.id} in ${info.name}`);
        this.checkWrite(tx, info, p.id, null, false);
      }
      this.checkUnique(tx, info, p.id, p.text, prepared);
      baseVersions.push(prior ? prior.baseVersion : null);
    });
    prepared.forEach((p, i) => this.record(tx, info, p.id, p.text, baseVersions[i] ?? null));
  }

  update(tx: Transaction, info: Collection, changes: DocumentChange[]): void {
    for (const c of changes) this.checkWrite(tx, info, c.id, c.candidate.version, c.candidate.pending);
    for (const c of changes) this.checkUnique(tx, info, c.id, c.text, changes);
    for (const c of changes) this.record(tx, info, c.id, c.text, c.candidate.version);
  }

  remove(tx: Transaction, info: Collection, found: Candidate[]): void {
    for (const c of found) this.checkWrite(tx, info, c.id, c.version, c.pending);
    for (const c of found) this.record(tx, info, c.id, null, c.version);
  }

  /** A transaction may write a document unless another open transaction wrote it first or it changed since the snapshot. */
  private checkWrite(
    tx: Transaction,
    info: Collection,
    id: string,
    snapshotVersion: number | null,
    alreadyWritten: boolean,
  ): void {
    const owner = this.writeLocks.get(lockKey(info.name, id));
    if (owner !== undefined && owner !== tx.id)
      this.conflict(tx, `document ${id} in ${info.name} is being written by another transaction`);
    if (!alreadyWritten && this.writer.committedVersion(info, id) !== snapshotVersion)
      this.conflict(tx, `document ${id} in ${info.name} changed after the transaction started`);
  }

  /** Mongo aborts a transaction on a write conflict: so do we, and the caller retries it from the start. */
  private conflict(tx: Transaction, message: string): never {
    this.end(tx, 'aborted by a write conflict');
    throw new StoreError('TRANSACTION_CONFLICT', `transaction ${tx.id} aborted: ${message}`);
  }

  private record(tx: Transaction, info: Collection, id: string, text: string | null, baseVersion: number | null): void {
    let writes = tx.writes.get(info.name);
    if (!writes) {
      writes = new Map();
      tx.writes.set(info.name, writes);
    }
    const prior = writes.get(id);
    writes.set(id, { text, baseVersion: prior ? prior.baseVersion : baseVersion });
    this.writeLocks.set(lockKey(info.name, id), tx.id);
  }

  /** Unique indexes against the transaction's view: its snapshot, its own writes, and the batch being written. */
  private checkUnique(
    tx: Transaction,
    info: Collection,
    id: string,
    text: string,
    batch: readonly { id: string; text: string }[],
  ): void {
    // Most collections have no unique key but _id: then there is nothing to compare, whatever the batch's size.
    if (!info.indexes.some((index) => index.unique && !index.paths.includes('_id'))) return;
    const writes = tx.writes.get(info.name);
    const batchIds = new Set(batch.map((b) => b.id));
    const others = new Map<string, string>();
    for (const [otherId, write] of writes ?? [])
      if (write.text !== null && !batchIds.has(otherId)) others.set(otherId, write.text);
    for (const b of batch) others.set(b.id, b.text);
    others.delete(id);
    for (const index of info.indexes) {
      if (!index.unique || index.paths.includes('_id')) continue;
      // SQLite itself extracts the new document's keys (@t ->> path), so the comparison is the index's own.
      const jsonPaths = index.exprs.map((e) => e.slice('doc->>'.length));
      const duplicate = (): never => {
        throw new StoreError(
          'DUPLICATE_KEY',
          `duplicate key in ${info.name} for unique index ${index.name} (document ${id})`,
        );
      };
      if (tx.snapshotHas(info)) {
        const where = index.exprs.map((e, i) => `${e} = (@t ->> ${jsonPaths[i] ?? ''})`).join(' AND ');
        const hits = tx.snapshot.stmt(`SELECT id FROM ${info.table} WHERE ${where}`).all({ t: text }) as {
          id: string;
        }[];
        for (const hit of hits) if (hit.id !== id && !writes?.has(hit.id) && !batchIds.has(hit.id)) duplicate();
      }
      if (others.size === 0) continue;
      const same = tx.snapshot.stmt(
        `SELECT ${jsonPaths.map((p) => `(@a ->> ${p}) = (@b ->> ${p})`).join(' AND ')} AS same`,
      );
      for (const otherText of others.values()) {
        if ((same.get({ a: text, b: otherText }) as { same: number | null }).same === 1) duplicate();
      }
    }
  }
}
