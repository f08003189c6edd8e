/**
 * The one connection that writes: tables and indexes kept as declared, the version sequence every written document
 * takes a number from, write transactions (BEGIN IMMEDIATE ... COMMIT), and the row writes themselves.
 */
import { hasArrayOnPath, MULTIKEY_PREFIX, multikeyKey } from './catalog';
import type { Catalog, Collection } from './catalog';
import { invalid } from './checks';
import { duplicateError, META_TABLE, sqliteCode } from './connection';
import type { Connection } from './connection';
import { indexDDL, quoteIdent } from './planner';
import type { Statistics } from './statistics';

/** A document ready to be written: its _id, its stored text, and the object the text encodes. */
export interface PreparedDoc {
  id: string;
  text: string;
  doc: Record<string, unknown>;
}

export class Writer {
  /** the version the last written document took; stored in the meta table by every write transaction */
  private lastVersion = 0;

  /** Reads the meta table and brings the existing tables' indexes in line with the declarations. */
  constructor(
    readonly connection: Connection,
    private readonly catalog: Catalog,
    private readonly statistics: Statistics,
  ) {
    const db = connection.db;
    db.exec(`CREATE TABLE IF NOT EXISTS ${META_TABLE} (k TEXT PRIMARY KEY, v TEXT NOT NULL)`);
    for (const { k, v } of db.prepare<[], { k: string; v: string }>(`SELECT k, v FROM ${META_TABLE}`).all()) {
      if (k === 'seq') this.lastVersion = Number(v);
      else if (k.startsWith(MULTIKEY_PREFIX)) catalog.addMultikey(k.slice(MULTIKEY_PREFIX.length));
    }
    for (const { name } of db
      .prepare<[], { name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table'`)
      .all()) {
      if (name === META_TABLE || name.startsWith('sqlite_') || name.startsWith('_lc_')) continue;
      const info = catalog.get(name);
      info.exists = true;
      this.syncIndexes(info);
    }
  }

  // ---------------------------------------------------------------- tables and indexes

  /** Creates the collection's table and declared indexes on first write. */
  ensureTable(info: Collection): void {
    if (info.exists) return;
    this.connection.db.exec(
      `CREATE TABLE IF NOT EXISTS ${info.table} (id TEXT PRIMARY KEY, v INTEGER NOT NULL, doc TEXT NOT NULL)`,
    );
    info.exists = true;
    this.syncIndexes(info);
  }

  /** Makes the table's indexes match the declaration: creates new ones, rebuilds changed ones, drops stale ones. */
  private syncIndexes(info: Collection): void {
    const db = this.connection.db;
    const existing = new Map(
      db
        .prepare<[string], { name: string; sql: string | null }>(
          `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?`,
        )
        .all(info.name)
        .map((r) => [r.name, r.sql ?? '']),
    );
    const wanted = new Set<string>();
    info.indexes.forEach((index, i) => {
      const sqlName = `ix:${info.name}:${index.name}`;
      wanted.add(sqlName);
      const ddl = indexDDL(info.table, index, info.directions[i] ?? []);
      const have = existing.get(sqlName);
      if (have === ddl) return;
      if (have !== undefined) db.exec(`DROP INDEX ${index.sqlName}`);
      try {
        db.exec(ddl);
      } catch (e) {
        if (sqliteCode(e) === 'SQLITE_CONSTRAINT_UNIQUE')
          throw invalid(
            `cannot create unique index ${index.name} on ${info.name}: existing documents have duplicate values`,
          );
        throw e;
      }
      // Documents written before the index existed may hold arrays on its paths.
      for (const path of index.paths) {
        if (path === '_id' || this.catalog.isMultikey(info.name, path)) continue;
        const segments = path.split('.');
        const checks = segments.map(
          (_, j) =>
            `json_type(doc, '$${segments
              .slice(0, j + 1)
              .map((s) => `."${s}"`)
              .join('')}') = 'array'`,
        );
        const found = db.prepare(`SELECT 1 FROM ${info.table} WHERE ${checks.join(' OR ')} LIMIT 1`).get();
        if (found !== undefined) this.storeMultikeyNow(info.name, path);
      }
    });
    for (const name of existing.keys()) {
      if (name.startsWith(`ix:${info.name}:`) && !wanted.has(name)) db.exec(`DROP INDEX ${quoteIdent(name)}`);
    }
  }

  private storeMultikeyNow(coll: string, path: string): void {
    const key = multikeyKey(coll, path);
    this.connection.stmt(`INSERT OR IGNORE INTO ${META_TABLE} (k, v) VALUES (?, '1')`).run(MULTIKEY_PREFIX + key);
    this.catalog.addMultikey(key);
  }

  /** Within a write transaction: flags index paths on which this document holds an array (they stop narrowing). */
  noteArrays(info: Collection, doc: unknown): void {
    for (const { path, segments } of info.indexedPaths) {
      if (this.catalog.isMultikey(info.name, path) || !hasArrayOnPath(doc, segments)) continue;
      const key = multikeyKey(info.name, path);
      this.connection.stmt(`INSERT OR IGNORE INTO ${META_TABLE} (k, v) VALUES (?, '1')`).run(MULTIKEY_PREFIX + key);
      this.catalog.addPendingMultikey(key);
    }
  }

  // ---------------------------------------------------------------- writing

  /** Runs fn in BEGIN IMMEDIATE ... COMMIT; any throw rolls everything back, multikey flags and counts included. */
  transaction<T>(fn: () => T): T {
    const connection = this.connection;
    connection.stmt('BEGIN IMMEDIATE').run();
    this.catalog.beginWrite();
    this.statistics.beginWrite();
    try {
      const result = fn();
      connection
        .stmt(`INSERT INTO ${META_TABLE} (k, v) VALUES ('seq', ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v`)
        .run(String(this.lastVersion));
      connection.stmt('COMMIT').run();
      this.catalog.commitWrite();
      this.statistics.commitWrite();
      return result;
    } catch (e) {
      if (connection.db.inTransaction) connection.stmt('ROLLBACK').run();
      throw e;
    } finally {
      this.catalog.endWrite();
    }
  }

  private nextVersion(): number {
    this.lastVersion += 1;
    return this.lastVersion;
  }

  /** Within a write transaction. A taken _id or unique key throws DUPLICATE_KEY. */
  insertRow(info: Collection, id: string, text: string): void {
    try {
      this.connection.stmt(`INSERT INTO ${info.table} (id, v, doc) VALUES (?, ?, ?)`).run(id, this.nextVersion(), text);
    } catch (e) {
      throw duplicateError(e, info.name, id);
    }
    this.statistics.addDocuments(info.name, 1);
  }

  /** Within a write transaction. A taken unique key throws DUPLICATE_KEY. */
  updateRow(info: Collection, id: string, text: string): void {
    try {
      this.connection.stmt(`UPDATE ${info.table} SET v = ?, doc = ? WHERE id = ?`).run(this.nextVersion(), text, id);
    } catch (e) {
      throw duplicateError(e, info.name, id);
    }
  }

  /** Within a write transaction. */
  deleteRow(info: Collection, id: string): void {
    const { changes } = this.connection.stmt(`DELETE FROM ${info.table} WHERE id = ?`).run(id);
    this.statistics.addDocuments(info.name, -changes);
  }

  // ---------------------------------------------------------------- reading committed data

  /** The document's version in the committed data, null when it is absent. */
  committedVersion(info: Collection, id: string): number | null {
    if (!info.exists) return null;
    const row = this.connection.stmt(`SELECT v FROM ${info.table} WHERE id = ?`).get(id) as { v: number } | undefined;
    return row ? row.v : null;
  }

  countRows(info: Collection): number {
    return Number((this.connection.stmt(`SELECT count(*) AS n FROM ${info.table}`).get() as { n: number | bigint }).n);
  }
}
