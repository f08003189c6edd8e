/**
 * Turns a Mongo filter into an SQL condition that NARROWS the candidate rows through a declared index
 * (or the primary key). mingo re-checks the full filter on every candidate, so each SQL fragment only has
 * to be a superset of what its predicate matches; whenever that cannot be guaranteed we do not narrow.
 * It also decides when a sorted find may read rows in an index's order instead of sorting them all.
 */
import { dateText, hasOwn, isPlainObject, isStorableDate } from './codec';
import type { Filter, IndexDecl, SortSpec } from './types';
import { StoreError } from './types';

/** A declared index as the planner sees it: its SQL expressions are the same text the CREATE INDEX used. */
export interface IndexInfo {
  name: string;
  sqlName: string;
  paths: string[];
  exprs: string[];
  unique: boolean;
}

export interface Plan {
  /** SQL condition over the collection's table ('1' when nothing narrows). */
  where: string;
  params: unknown[];
  /** the index used: a declared index name, '_id', or null for a full scan */
  index: string | null;
}

/** One SQL fragment: `?` placeholders, bound to params in order. */
export interface Frag {
  sql: string;
  params: unknown[];
}

interface FieldConstraint {
  eq: boolean;
  range: boolean;
  frags: Frag[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Beyond 2^53 JSON text and the JS double can disagree once SQLite parses the text as a 64-bit integer.
const MAX_EXACT = 2 ** 53;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const ANY_SURROGATE_OR_ABOVE = /[\uD800-\uFFFF]/;
const DATE_LOW = '{"$date":"';
const DATE_HIGH = '{"$date":"~';
const MAX_OR_BRANCHES = 64;

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

function checkIndexPath(path: string, where: string): string[] {
  const segs = path.split('.');
  for (const s of segs) {
    if (s === '' || s.startsWith('$') || s.includes('"') || s.includes('\u0000') || s.includes("'")) {
      throw new StoreError('INVALID', `${where}: index key '${path}' is not a plain field path`);
    }
  }
  return segs;
}

/** The SQL for a document path: `doc->>'$.a.b'` (segments quoted when not plain identifiers); _id is the id column. */
function pathExpr(path: string): string {
  if (path === '_id') return 'id';
  const json =
    '$' +
    path
      .split('.')
      .map((s) => (IDENT.test(s) ? `.${s}` : `."${s}"`))
      .join('');
  return `doc->>${sqlString(json)}`;
}

export function buildIndexInfo(coll: string, decl: IndexDecl): IndexInfo {
  const where = `index ${decl.name} on ${coll}`;
  if (typeof decl.name !== 'string' || decl.name === '' || decl.name.includes('\u0000'))
    throw new StoreError('INVALID', `${where}: bad name`);
  // Checked as read from the index file, whatever IndexDecl says.
  const keys = decl.keys as Readonly<Record<string, unknown>> | undefined;
  const entries = Object.entries(keys ?? {});
  if (entries.length === 0) throw new StoreError('INVALID', `${where}: no keys`);
  const paths: string[] = [];
  const exprs: string[] = [];
  for (const [path, dir] of entries) {
    if (dir !== 1 && dir !== -1) throw new StoreError('INVALID', `${where}: direction of '${path}' must be 1 or -1`);
    checkIndexPath(path, where);
    paths.push(path);
    exprs.push(pathExpr(path));
  }
  return {
    name: decl.name,
    sqlName: quoteIdent(`ix:${coll}:${decl.name}`),
    paths,
    exprs,
    unique: decl.unique === true,
  };
}

export function indexDDL(table: string, info: IndexInfo, dirs: (1 | -1)[]): string {
  const cols = info.exprs.map((e, i) => (dirs[i] === -1 ? `${e} DESC` : e)).join(', ');
  return `CREATE ${info.unique ? 'UNIQUE ' : ''}INDEX ${info.sqlName} ON ${table} (${cols})`;
}

/** What the value becomes when SQLite's ->> extracts it, if an exact SQL comparison is safe; undefined if not. */
function sqlScalar(v: unknown): string | number | null | undefined {
  if (v === null) return null;
  switch (typeof v) {
    case 'string':
      return LONE_SURROGATE.test(v) ? undefined : v;
    case 'number':
      return Number.isFinite(v) && Math.abs(v) <= MAX_EXACT ? v : undefined;
    case 'boolean':
      return v ? 1 : 0; // ->> yields 1/0 for JSON booleans (numbers 1/0 match too: loose, mingo re-checks)
    default:
      if (v instanceof Date && isStorableDate(v)) return dateText(v);
      return undefined;
  }
}

function eqFrag(expr: string, v: unknown, isId: boolean): Frag | undefined {
  if (isId) return typeof v === 'string' ? { sql: `${expr} = ?`, params: [v] } : undefined;
  const s = sqlScalar(v);
  if (s === undefined) return undefined;
  if (s === null) return { sql: `${expr} IS NULL`, params: [] };
  return { sql: `${expr} = ?`, params: [s] };
}

function inFrag(expr: string, list: unknown, isId: boolean): Frag | undefined {
  if (!Array.isArray(list)) return undefined;
  const values: (string | number)[] = [];
  let withNull = false;
  for (const v of list) {
    if (isId) {
      if (typeof v !== 'string') return undefined;
      values.push(v);
      continue;
    }
    const s = sqlScalar(v);
    if (s === undefined) return undefined;
    if (s === null) withNull = true;
    else values.push(s);
  }
  // One statement shape for any list length: the values travel as one JSON array.
  const inList = `${expr} IN (SELECT value FROM json_each(?))`;
  if (!withNull) return { sql: inList, params: [JSON.stringify(values)] };
  return { sql: `(${inList} OR ${expr} IS NULL)`, params: [JSON.stringify(values)] };
}

const RANGE_SQL: Record<string, string> = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

function rangeFrag(expr: string, op: string, v: unknown, isId: boolean): Frag | undefined {
  const cmp = RANGE_SQL[op];
  if (cmp === undefined) return undefined;
  const lower = op === '$gt' || op === '$gte';
  if (typeof v === 'string') {
    // SQLite orders text by UTF-8 bytes, mingo by UTF-16 units: they agree when the bound is below U+D800.
    if (ANY_SURROGATE_OR_ABOVE.test(v)) return undefined;
    if (lower || isId) return { sql: `${expr} ${cmp} ?`, params: [v] };
    return { sql: `${expr} ${cmp} ? AND ${expr} >= ''`, params: [v] }; // numbers sort below text in SQLite
  }
  if (isId) return undefined;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || Math.abs(v) > MAX_EXACT) return undefined;
    if (lower) return { sql: `${expr} ${cmp} ? AND ${expr} < ''`, params: [v] }; // keep text out of a numeric range
    return { sql: `${expr} ${cmp} ?`, params: [v] };
  }
  if (v instanceof Date && isStorableDate(v)) {
    const t = dateText(v);
    if (lower) return { sql: `${expr} ${cmp} ? AND ${expr} < ?`, params: [t, DATE_HIGH] };
    return { sql: `${expr} ${cmp} ? AND ${expr} >= ?`, params: [t, DATE_LOW] };
  }
  return undefined;
}

/** For /^literal.../ without flags that change anchoring or case: the range of strings starting with the literal. */
function regexFrag(expr: string, source: string, flags: string): Frag | undefined {
  if (/[^su]/.test(flags)) return undefined;
  if (!source.startsWith('^') || source.includes('|')) return undefined;
  const m = /^\^([^\\^$.|?*+()[\]{}]+)/.exec(source);
  if (!m || m[1] === undefined) return undefined;
  let prefix = m[1];
  const after = source.charAt(1 + prefix.length);
  if (after === '?' || after === '*' || after === '{') prefix = prefix.slice(0, -1); // last char is optional
  if (prefix === '' || ANY_SURROGATE_OR_ABOVE.test(prefix)) return undefined;
  const upper = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return { sql: `${expr} >= ? AND ${expr} < ?`, params: [prefix, upper] };
}

function regexOf(v: unknown, options: unknown): { source: string; flags: string } | undefined {
  if (v instanceof RegExp) return { source: v.source, flags: v.flags + (typeof options === 'string' ? options : '') };
  if (typeof v === 'string') return { source: v, flags: typeof options === 'string' ? options : '' };
  return undefined;
}

function addFrag(map: Map<string, FieldConstraint>, path: string, frag: Frag | undefined, kind: 'eq' | 'range'): void {
  if (!frag) return;
  let c = map.get(path);
  if (!c) {
    c = { eq: false, range: false, frags: [] };
    map.set(path, c);
  }
  c[kind] = true;
  c.frags.push(frag);
}

/** The AND-ed constraints of a filter: its top-level fields and those of $and members. */
function collectConstraints(filter: Filter, map: Map<string, FieldConstraint>): void {
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (key === '$and') {
      if (Array.isArray(value)) for (const f of value) if (isPlainObject(f)) collectConstraints(f, map);
      continue;
    }
    if (key.startsWith('$')) continue;
    const isId = key === '_id';
    const expr = pathExpr(key);
    if (value instanceof RegExp) {
      if (!isId) addFrag(map, key, regexFrag(expr, value.source, value.flags), 'range');
      continue;
    }
    if (!isPlainObject(value)) {
      addFrag(map, key, eqFrag(expr, value, isId), 'eq');
      continue;
    }
    const ops = Object.keys(value);
    if (ops.length === 0 || !ops.every((k) => k.startsWith('$'))) continue; // sub-document equality: not narrowed
    for (const op of ops) {
      const arg = value[op];
      if (op === '$eq') addFrag(map, key, eqFrag(expr, arg, isId), 'eq');
      else if (op === '$in') addFrag(map, key, inFrag(expr, arg, isId), 'eq');
      else if (op in RANGE_SQL) addFrag(map, key, rangeFrag(expr, op, arg, isId), 'range');
      else if (op === '$regex' && !isId) {
        const re = regexOf(arg, value['$options']);
        if (re) addFrag(map, key, regexFrag(expr, re.source, re.flags), 'range');
      }
    }
  }
}

function joinFrags(frags: Frag[]): Frag {
  return { sql: frags.map((f) => f.sql).join(' AND '), params: frags.flatMap((f) => f.params) };
}

interface Choice extends Frag {
  index: string;
}

function planConjunction(
  filter: Filter,
  indexes: readonly IndexInfo[],
  isMultikey: (path: string) => boolean,
): Choice | undefined {
  const map = new Map<string, FieldConstraint>();
  collectConstraints(filter, map);
  const id = map.get('_id');
  if (id?.eq) return { ...joinFrags(id.frags), index: '_id' };
  let best: { info: IndexInfo; used: number; score: number } | undefined;
  for (const info of indexes) {
    let score = 0;
    let used = 0;
    for (const path of info.paths) {
      const c = map.get(path);
      if (!c || isMultikey(path)) break;
      used++;
      if (c.eq) {
        score += 2;
        continue;
      }
      score += 1;
      break;
    }
    if (score === 0) continue;
    if (
      !best ||
      score > best.score ||
      (score === best.score && info.unique && !best.info.unique) ||
      (score === best.score && info.unique === best.info.unique && info.paths.length < best.info.paths.length)
    ) {
      best = { info, used, score };
    }
  }
  if (best) {
    const frags = best.info.paths.slice(0, best.used).flatMap((p) => map.get(p)?.frags ?? []);
    return { ...joinFrags(frags), index: best.info.name };
  }
  if (id?.range) return { ...joinFrags(id.frags), index: '_id' };
  // An $or narrows when every branch does (SQLite answers it as a union of index lookups).
  const branchesOf = (or: unknown): Choice | undefined => {
    if (!Array.isArray(or) || or.length === 0 || or.length > MAX_OR_BRANCHES) return undefined;
    const parts: Choice[] = [];
    for (const b of or) {
      if (!isPlainObject(b)) return undefined;
      const p = planConjunction(b, indexes, isMultikey);
      if (!p) return undefined;
      parts.push(p);
    }
    const names = [...new Set(parts.map((p) => p.index))];
    return {
      sql: parts.map((p) => `(${p.sql})`).join(' OR '),
      params: parts.flatMap((p) => p.params),
      index: names.join('|'),
    };
  };
  if (hasOwn(filter, '$or')) {
    const p = branchesOf(filter['$or']);
    if (p) return { ...p, sql: `(${p.sql})` };
  }
  const and = filter['$and'];
  if (Array.isArray(and)) {
    for (const f of and) {
      if (isPlainObject(f) && hasOwn(f, '$or')) {
        const p = branchesOf(f['$or']);
        if (p) return { ...p, sql: `(${p.sql})` };
      }
    }
  }
  return undefined;
}

/** The narrowing plan of a filter over a collection with these indexes. */
export function planFilter(filter: Filter, indexes: readonly IndexInfo[], isMultikey: (path: string) => boolean): Plan {
  const choice = planConjunction(filter, indexes, isMultikey);
  if (!choice) return { where: '1', params: [], index: null };
  return { where: choice.sql, params: choice.params, index: choice.index };
}

/** "<coll> {a,b}": how an unindexed query is counted, so the missing index can be named. */
export function filterShape(coll: string, filter: Filter): string {
  return `${coll} {${Object.keys(filter).sort().join(',')}}`;
}

/** The single type class an indexed field holds besides null/missing ('none': nothing else at all). */
export type ValueClass = 'number' | 'string' | 'date' | 'none';

/** Whether any row of the collection matches an SQL condition. */
export type RowProbe = (where: string, ...params: unknown[]) => boolean;

/** How a sorted find reads rows in index order. */
export interface IndexOrder {
  /** the indexed expression to ORDER BY */
  expr: string;
  direction: 'ASC' | 'DESC';
  /** every value read must be of this class (or null/missing), else the order cannot be trusted */
  valueClass: ValueClass;
}

/**
 * Sort + limit on one indexed field can read rows in index order and stop after n matches. SQLite's order equals
 * Mongo's only within one type class, so this is planned only when the field holds a single class (numbers, strings
 * or dates, besides null/missing) and the plan's narrowing uses the same index; otherwise undefined.
 * valueClassOf probes the field's values (see indexValueClass).
 */
export function planIndexOrder(
  sort: SortSpec,
  plan: Plan,
  indexes: readonly IndexInfo[],
  isMultikey: (path: string) => boolean,
  valueClassOf: (expr: string) => ValueClass | undefined,
): IndexOrder | undefined {
  const keys = Object.keys(sort);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined) return undefined;
  const direction = sort[key] === -1 ? 'DESC' : 'ASC';
  if (key === '_id') {
    if (plan.index !== null && plan.index !== '_id') return undefined;
    return { expr: 'id', direction, valueClass: 'string' };
  }
  const index = indexes.find((i) => i.paths[0] === key);
  if (!index || isMultikey(key) || (plan.index !== null && plan.index !== index.name)) return undefined;
  const expr = index.exprs[0] as string;
  const valueClass = valueClassOf(expr);
  if (valueClass === undefined) return undefined;
  return { expr, direction, valueClass };
}

/** Which single type class the indexed expression holds (besides NULL), probing the index; undefined if mixed. */
export function indexValueClass(expr: string, any: RowProbe): ValueClass | undefined {
  const jsonPath = expr.slice('doc->>'.length);
  // Booleans come out of ->> as 1/0, sorted among numbers; Mongo puts them after objects.
  if (any(`${expr} IN (0, 1) AND json_type(doc, ${jsonPath}) IN ('true', 'false')`)) return undefined;
  const numbers = any(`${expr} < ''`);
  const text = any(`${expr} >= '' AND ${expr} < '{'`) || any(`${expr} >= '|'`);
  const brace = any(`${expr} >= '{' AND ${expr} < '|'`);
  // Text starting with '{' is a date only inside the fixed-width date range; anything else there is an object.
  if (brace && (any(`${expr} >= '{' AND ${expr} < ?`, DATE_LOW) || any(`${expr} >= ? AND ${expr} < '|'`, DATE_HIGH)))
    return undefined;
  const classes = (numbers ? 1 : 0) + (text ? 1 : 0) + (brace ? 1 : 0);
  if (classes > 1) return undefined;
  return numbers ? 'number' : text ? 'string' : brace ? 'date' : 'none';
}

/** Whether a value read in index order is of the class the probe found (null and missing always are). */
export function fitsValueClass(value: unknown, valueClass: ValueClass): boolean {
  return (
    value === undefined ||
    value === null ||
    (valueClass === 'number'
      ? typeof value === 'number'
      : valueClass === 'date'
        ? value instanceof Date
        : valueClass === 'string' && typeof value === 'string' && !ANY_SURROGATE_OR_ABOVE.test(value))
  );
}

/**
 * Sort + limit on an index's later path when the filter pins every path before it: each pinned combination is one
 * run of the index already in the sort's order, and the caller merges the runs.
 */
export interface PrefixOrder extends IndexOrder {
  /** the pinned paths' expressions, each compared with `= ?` */
  prefixExprs: string[];
  /** one entry per pinned combination: the SQL values of prefixExprs, in order (none: nothing can match) */
  combinations: (string | number)[][];
}

/** The per-combination SQL condition of a prefix order and its parameters. */
export function prefixCondition(order: PrefixOrder, combination: readonly (string | number)[]): Frag {
  return { sql: order.prefixExprs.map((e) => `${e} = ?`).join(' AND '), params: [...combination] };
}

// Each combination costs a few probes and one statement; beyond this a plain sort is no worse.
const MAX_PREFIX_COMBINATIONS = 32;

/** The distinct SQL values of a list of query values, if each is a scalar SQL can compare exactly and not null. */
function pinSqlValues(list: readonly unknown[]): (string | number)[] | undefined {
  const out = new Map<string, string | number>();
  for (const v of list) {
    const s = sqlScalar(v);
    if (s === undefined || s === null) return undefined;
    out.set(`${typeof s}:${String(s)}`, s); // true and 1 are the same SQL value: one run, not two
  }
  return [...out.values()];
}

/** The fewest SQL values the filter's AND-ed equalities or $in lists pin a path to; undefined if none does. */
function pinnedValues(filter: Filter, path: string): (string | number)[] | undefined {
  let best: (string | number)[] | undefined;
  const consider = (values: (string | number)[] | undefined): void => {
    if (values && (!best || values.length < best.length)) best = values;
  };
  const visit = (f: Filter): void => {
    for (const key of Object.keys(f)) {
      const value = f[key];
      if (key === '$and') {
        if (Array.isArray(value)) for (const member of value) if (isPlainObject(member)) visit(member);
        continue;
      }
      if (key !== path || value instanceof RegExp) continue;
      if (!isPlainObject(value)) {
        consider(pinSqlValues([value]));
        continue;
      }
      const ops = Object.keys(value);
      if (ops.length === 0 || !ops.every((k) => k.startsWith('$'))) continue;
      if (hasOwn(value, '$eq')) consider(pinSqlValues([value['$eq']]));
      const list = value['$in'];
      if (Array.isArray(list)) consider(pinSqlValues(list));
    }
  };
  visit(filter);
  return best;
}

/**
 * Plans a prefix order (see PrefixOrder) when the sort is on one key that some index holds right after paths the
 * filter pins by equality or $in of scalars, none of them multikey, and every pinned run holds a single value class
 * in the sort key (valueClassOf probes one run); otherwise undefined.
 */
export function planPrefixOrder(
  sort: SortSpec,
  filter: Filter,
  indexes: readonly IndexInfo[],
  isMultikey: (path: string) => boolean,
  valueClassOf: (expr: string, prefix: Frag) => ValueClass | undefined,
): PrefixOrder | undefined {
  const keys = Object.keys(sort);
  const key = keys[0];
  if (keys.length !== 1 || key === undefined || key === '_id' || isMultikey(key)) return undefined;
  const direction = sort[key] === -1 ? 'DESC' : 'ASC';
  for (const index of indexes) {
    const at = index.paths.indexOf(key);
    if (at < 1) continue;
    const prefixPaths = index.paths.slice(0, at);
    if (prefixPaths.some((p) => p === '_id' || isMultikey(p))) continue;
    const pins: (string | number)[][] = [];
    for (const p of prefixPaths) {
      const values = pinnedValues(filter, p);
      if (!values) break;
      pins.push(values);
    }
    if (pins.length !== prefixPaths.length) continue;
    let combinations: (string | number)[][] = [[]];
    for (const values of pins) combinations = combinations.flatMap((c) => values.map((v) => [...c, v]));
    if (combinations.length > MAX_PREFIX_COMBINATIONS) continue;
    const expr = index.exprs[at] as string;
    const order: PrefixOrder = {
      expr,
      direction,
      valueClass: 'none',
      prefixExprs: index.exprs.slice(0, at),
      combinations,
    };
    let valueClass: ValueClass = 'none';
    for (const combination of combinations) {
      const found = valueClassOf(expr, prefixCondition(order, combination));
      if (found === undefined || (found !== 'none' && valueClass !== 'none' && found !== valueClass)) return undefined;
      if (found !== 'none') valueClass = found;
    }
    return { ...order, valueClass };
  }
  return undefined;
}

/** Mongo's order of two values of one class (see fitsValueClass), null and missing first and equal. */
export function compareInClass(a: unknown, b: unknown): number {
  const aNull = a === undefined || a === null;
  const bNull = b === undefined || b === null;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? -1 : 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new Error('compareInClass: values of different classes');
}
