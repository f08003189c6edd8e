/**
 * Reads the local cloud's SQLite file directly, read-only, beside the running server (WAL mode lets a reader see the
 * last committed state without blocking the writer). The functions cannot show everything (payNotifications,
 * audit, refunds have no user-facing read), and "no write" must cover every collection and every field, so the
 * suite looks at the stored documents themselves rather than only at `/stats` counts.
 *
 * One table per collection: (id TEXT, v INTEGER, doc TEXT), `v` a store-wide sequence bumped on every write;
 * `sandbox_*` tables are WeChat's side (pay, face, tokens) and `_lc_*` the store's own bookkeeping.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';

export type StoredDoc = { _id: string } & Record<string, unknown>;

export interface Digest {
  /** documents per collection */
  counts: Record<string, number>;
  /** sha-256 of every (collection, id, version, text) */
  hash: string;
}

export class StoreReader {
  private db: Database.Database | null = null;

  constructor(private readonly dataDir: string) {}

  private open(): Database.Database {
    if (!this.db) this.db = new Database(path.join(this.dataDir, 'cloud.db'), { readonly: true, fileMustExist: true });
    return this.db;
  }

  /** Closes the connection (before a kill -9 / restart, so the new server starts from the file alone). */
  close(): void {
    this.db?.close();
    this.db = null;
  }

  /** The app's collections (not the sandboxes', not the store's bookkeeping). */
  collections(): string[] {
    const rows = this.open()
      .prepare<[string], { name: string }>(`SELECT name FROM sqlite_master WHERE type = ? ORDER BY name`)
      .all('table');
    return rows
      .map((r) => r.name)
      .filter((name) => !name.startsWith('sandbox_') && !name.startsWith('_lc_') && !name.startsWith('sqlite_'));
  }

  /** Counts and a content hash of every app collection except `exclude`, read in one snapshot. */
  digest(exclude: readonly string[] = []): Digest {
    const db = this.open();
    const read = db.transaction(() => {
      const hash = createHash('sha256');
      const counts: Record<string, number> = {};
      for (const name of this.collections()) {
        if (exclude.includes(name)) continue;
        let n = 0;
        for (const row of db
          .prepare<[], { id: string; v: number; doc: string }>(`SELECT id, v, doc FROM "${name}" ORDER BY id`)
          .iterate()) {
          hash.update(`${name}\u0000${row.id}\u0000${row.v}\u0000${row.doc}\u0001`);
          n += 1;
        }
        counts[name] = n;
      }
      return { counts, hash: hash.digest('hex') };
    });
    return read();
  }

  /** Every document of a collection (relaxed EJSON text parsed as JSON: dates stay `{ $date }`). */
  all<T extends StoredDoc = StoredDoc>(collection: string): T[] {
    if (!this.exists(collection)) return [];
    return this.open()
      .prepare<[], { doc: string }>(`SELECT doc FROM "${collection}"`)
      .all()
      .map((row) => JSON.parse(row.doc) as T);
  }

  count(collection: string): number {
    if (!this.exists(collection)) return 0;
    return this.open().prepare<[], { n: number }>(`SELECT count(*) AS n FROM "${collection}"`).get()?.n ?? 0;
  }

  /** The highest write version in a collection (0 when empty or absent). */
  lastVersion(collection: string): number {
    if (!this.exists(collection)) return 0;
    return this.open().prepare<[], { v: number | null }>(`SELECT max(v) AS v FROM "${collection}"`).get()?.v ?? 0;
  }

  /** Documents written (inserted or changed) after version `v`. */
  writtenAfter<T extends StoredDoc = StoredDoc>(collection: string, v: number): T[] {
    if (!this.exists(collection)) return [];
    return this.open()
      .prepare<[number], { doc: string }>(`SELECT doc FROM "${collection}" WHERE v > ?`)
      .all(v)
      .map((row) => JSON.parse(row.doc) as T);
  }

  private exists(collection: string): boolean {
    const row = this.open()
      .prepare<[string, string], { n: number }>(`SELECT count(*) AS n FROM sqlite_master WHERE type = ? AND name = ?`)
      .get('table', collection);
    return (row?.n ?? 0) > 0;
  }
}
