/** SQLite plumbing the store's parts share: connections with their prepared statements, and error translation. */
import Database from 'better-sqlite3';
import { StoreError } from './types';

export type Statement = Database.Statement;

/** A row of a collection's table, named as its columns: v is the version the row's last write got. */
export interface Row {
  id: string;
  v: number;
  doc: string;
}

/** The key/value table beside the collections: the version sequence ('seq') and the multikey flags ('mk:...'). */
export const META_TABLE = '_lc_meta';

// Shapes are few in practice; the cap only bounds memory if a caller generates endless variants.
const MAX_CACHED_STATEMENTS = 1000;

/** A connection with its prepared statements cached by SQL text. */
export class Connection {
  private readonly statements = new Map<string, Statement>();
  constructor(readonly db: Database.Database) {}
  stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement) return statement;
    statement = this.db.prepare(sql);
    if (this.statements.size >= MAX_CACHED_STATEMENTS) {
      const oldest = this.statements.keys().next();
      if (!oldest.done) this.statements.delete(oldest.value);
    }
    this.statements.set(sql, statement);
    return statement;
  }
}

/** Sets up the one connection that writes: WAL mode, durability, caches. */
export function configureWriteConnection(db: Database.Database, durable: boolean): void {
  db.pragma('journal_mode = WAL');
  // FULL: an acknowledged commit survives kill -9 and power loss; the throwaway DB need not pay for fsync.
  db.pragma(durable ? 'synchronous = FULL' : 'synchronous = OFF');
  db.pragma('busy_timeout = 5000');
  // Up to 1 GiB of pages (taken only as the data grows) and the file mapped whole: at Nanning size the indexes'
  // random inserts otherwise miss a 64 MiB cache, and 1.5 M violation rows load about a fifth slower.
  db.pragma('cache_size = -1048576');
  db.pragma('mmap_size = 17179869184');
  db.pragma('temp_store = MEMORY');
  // After a checkpoint restarts the WAL, shrink the file back rather than keep its high-water mark.
  db.pragma('journal_size_limit = 67108864');
}

/** Opens a read-only connection for one transaction's snapshot at a time. */
export function openSnapshotConnection(file: string): Connection {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.pragma('cache_size = -16384');
  db.pragma('mmap_size = 268435456');
  return new Connection(db);
}

/** better-sqlite3's error code, read by shape: its native part keeps the SqliteError class (and realm) it was first loaded with. */
export function sqliteCode(e: unknown): string | undefined {
  if (e === null || typeof e !== 'object') return undefined;
  const code: unknown = (e as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/** A constraint failure as DUPLICATE_KEY naming the _id or the unique index; anything else unchanged. */
export function duplicateError(e: unknown, coll: string, id: string | undefined): unknown {
  const code = sqliteCode(e);
  if (code !== 'SQLITE_CONSTRAINT_PRIMARYKEY' && code !== 'SQLITE_CONSTRAINT_UNIQUE') return e;
  const raw: unknown = (e as { message?: unknown }).message;
  const message = typeof raw === 'string' ? raw : '';
  const prefix = `index 'ix:${coll}:`;
  const at = message.indexOf(prefix);
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' && at >= 0) {
    const name = message.slice(at + prefix.length).replace(/'$/, '');
    return new StoreError(
      'DUPLICATE_KEY',
      `duplicate key in ${coll} for unique index ${name}${id !== undefined ? ` (document ${id})` : ''}`,
    );
  }
  return new StoreError('DUPLICATE_KEY', `duplicate _id${id !== undefined ? ` ${id}` : ''} in ${coll}`);
}
