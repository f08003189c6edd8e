/**
 * The collections the store knows, in memory: each one's table and declared indexes, and the index paths on which
 * some document holds an array (multikey paths: an index cannot narrow on them, see the planner).
 */
import { checkCollectionName, invalid } from './checks';
import { hasOwn, isPlainObject, ownValue } from './codec';
import { buildIndexInfo, quoteIdent } from './planner';
import type { IndexInfo } from './planner';
import type { IndexFile } from './types';

export interface IndexedPath {
  path: string;
  segments: string[];
}

export interface Collection {
  name: string;
  /** the table's name, quoted for SQL */
  table: string;
  indexes: IndexInfo[];
  /** each declared index's key directions, in key order */
  directions: (1 | -1)[][];
  /** the document paths some declared index reads, but _id */
  indexedPaths: IndexedPath[];
  /** whether the table has been created (collections are created by their first write) */
  exists: boolean;
}

/** How a multikey path is named in memory; stored in the meta table behind MULTIKEY_PREFIX. */
export const multikeyKey = (coll: string, path: string): string => `${coll}\u0000${path}`;
export const MULTIKEY_PREFIX = 'mk:';

export class Catalog {
  private readonly declared: IndexFile['collections'];
  private readonly collections = new Map<string, Collection>();
  private readonly multikeyPaths = new Set<string>();
  /** flagged by the write transaction in progress, kept only once it commits */
  private pendingMultikeyPaths: Set<string> | undefined;

  constructor(indexes: IndexFile) {
    if (!isPlainObject(indexes) || !isPlainObject(indexes.collections))
      throw invalid('indexes must be { collections: { <name>: { indexes: [...] } } }');
    this.declared = indexes.collections;
    // Declarations are checked first, so a bad index file stops the server at start rather than at first use.
    for (const name of Object.keys(this.declared)) this.get(name);
  }

  get(name: string): Collection {
    const known = this.collections.get(name);
    if (known) return known;
    checkCollectionName(name);
    const declaration = hasOwn(this.declared, name) ? this.declared[name] : undefined;
    const declarations = declaration && Array.isArray(declaration.indexes) ? declaration.indexes : [];
    const indexes = declarations.map((d) => buildIndexInfo(name, d));
    const directions = declarations.map((d) => Object.values(d.keys));
    const indexedPaths: IndexedPath[] = [];
    for (const path of new Set(indexes.flatMap((i) => i.paths)))
      if (path !== '_id') indexedPaths.push({ path, segments: path.split('.') });
    const collection: Collection = { name, table: quoteIdent(name), indexes, directions, indexedPaths, exists: false };
    this.collections.set(name, collection);
    return collection;
  }

  all(): IterableIterator<Collection> {
    return this.collections.values();
  }

  /** Whether the path holds an array in some document, committed or being written now. */
  isMultikey(coll: string, path: string): boolean {
    const key = multikeyKey(coll, path);
    return this.multikeyPaths.has(key) || (this.pendingMultikeyPaths?.has(key) ?? false);
  }

  /** A multikey path already stored for good. */
  addMultikey(key: string): void {
    this.multikeyPaths.add(key);
  }

  /** A multikey path the write transaction in progress stores. */
  addPendingMultikey(key: string): void {
    this.pendingMultikeyPaths?.add(key);
  }

  beginWrite(): void {
    this.pendingMultikeyPaths = new Set();
  }

  commitWrite(): void {
    for (const key of this.pendingMultikeyPaths ?? []) this.multikeyPaths.add(key);
  }

  endWrite(): void {
    this.pendingMultikeyPaths = undefined;
  }
}

/** Whether the document holds an array anywhere along the path. */
export function hasArrayOnPath(doc: unknown, segments: readonly string[]): boolean {
  let current: unknown = doc;
  for (const segment of segments) {
    if (Array.isArray(current)) return true;
    if (!isPlainObject(current)) return false;
    current = ownValue(current, segment);
    if (current === undefined) return false;
  }
  return Array.isArray(current);
}
