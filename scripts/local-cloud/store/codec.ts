/**
 * Documents <-> stored text. The text is relaxed EJSON (bson's EJSON.parse reads it back), with two
 * deliberate choices so SQLite can compare it: Dates are always {"$date":"YYYY-MM-DDTHH:mm:ss.sssZ"}
 * (fixed width, so the text sorts in time order), and only values JSON itself can carry are stored.
 */
import { StoreError } from './types';
import type { Doc } from './types';

/** Names that live on Object.prototype: as field names they confuse path walkers (ours and mingo's). */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

const MAX_DEPTH = 100;
const MAX_DOC_CHARS = 16 * 1024 * 1024;
// Fixed-width ISO text (and so text order = time order) exists only for years 0000-9999.
const MIN_TIME = Date.parse('0000-01-01T00:00:00.000Z');
const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}

export function isEmptyObject(o: Record<string, unknown>): boolean {
  for (const k in o) if (hasOwn(o, k)) return false;
  return true;
}

/** The value of an own property, undefined when absent (never an inherited one). */
export function ownValue(o: Record<string, unknown>, key: string): unknown {
  return hasOwn(o, key) ? o[key] : undefined;
}

export function describeType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'date';
  if (typeof v === 'object') {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return 'object';
    const ctor: unknown = (v as { constructor?: unknown }).constructor;
    return typeof ctor === 'function' && ctor.name ? ctor.name : 'object';
  }
  return typeof v;
}

/** A date usable as stored text: valid and within years 0000-9999. */
export function isStorableDate(d: Date): boolean {
  const t = d.getTime();
  return Number.isFinite(t) && t >= MIN_TIME && t <= MAX_TIME;
}

/** The exact text SQLite's ->> yields for a stored Date: what index comparisons on dates use. */
export function dateText(d: Date): string {
  return `{"$date":"${d.toISOString()}"}`;
}

function checkFieldName(key: string, path: string): void {
  const where = path ? ` (at '${path}')` : '';
  if (key.includes('\u0000'))
    throw new StoreError('INVALID', `field name ${JSON.stringify(key)} contains a NUL character${where}`);
  if (key.startsWith('$')) throw new StoreError('INVALID', `field name '${key}' must not start with '$'${where}`);
  if (key.includes('.')) throw new StoreError('INVALID', `field name '${key}' must not contain '.'${where}`);
  if (RESERVED_FIELD_NAMES.has(key)) throw new StoreError('INVALID', `field name '${key}' is reserved${where}`);
}

function toStorable(v: unknown, depth: number, path: string): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      // JSON (what the SDK sends) cannot carry NaN/Infinity; refusing them keeps SQLite's numeric order exact.
      if (!Number.isFinite(v)) throw new StoreError('INVALID', `non-finite number ${String(v)} at '${path}'`);
      return Object.is(v, -0) ? 0 : v;
    case 'undefined':
      return null; // only reached for array elements: JSON turns them into null too
    case 'object':
      break;
    default:
      throw new StoreError('INVALID', `unsupported value of type ${typeof v} at '${path}'`);
  }
  if (v === null) return null;
  if (depth > MAX_DEPTH)
    throw new StoreError('INVALID', `document nested deeper than ${MAX_DEPTH} levels at '${path}'`);
  if (v instanceof Date) {
    if (!isStorableDate(v)) throw new StoreError('INVALID', `date at '${path}' is invalid or outside years 0000-9999`);
    return { $date: v.toISOString() };
  }
  if (Array.isArray(v)) {
    const out: unknown[] = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = toStorable(v[i], depth + 1, `${path}.${i}`);
    return out;
  }
  if (!isPlainObject(v)) throw new StoreError('INVALID', `unsupported value of type ${describeType(v)} at '${path}'`);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) {
    const child = v[key];
    if (child === undefined) continue; // as JSON.stringify does: the SDK never sends undefined fields
    checkFieldName(key, path);
    out[key] = toStorable(child, depth + 1, path ? `${path}.${key}` : key);
  }
  return out;
}

/** Validates a whole document (field names, value types, size) and returns its stored text. */
export function encodeDoc(doc: Record<string, unknown>): string {
  const text = JSON.stringify(toStorable(doc, 0, ''));
  if (text.length > MAX_DOC_CHARS)
    throw new StoreError('INVALID', `document is larger than ${MAX_DOC_CHARS} characters`);
  return text;
}

function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object') v[i] = revive(x);
    }
    return v;
  }
  const o = v as Record<string, unknown>;
  // Stored field names never start with '$', so an object with $date is always an encoded Date.
  const d = o['$date'];
  if (d !== undefined) {
    if (typeof d === 'string') return new Date(d);
    if (isPlainObject(d) && typeof d['$numberLong'] === 'string') return new Date(Number(d['$numberLong']));
  }
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x !== null && typeof x === 'object') o[k] = revive(x);
  }
  return o;
}

/**
 * The stored text a found document was decoded from, while that object lives. The text is relaxed EJSON already, so
 * a query's answer can send it on instead of encoding the document again: the SDK reads both back to the same value.
 */
const foundTexts = new WeakMap<Doc, string>();

export function rememberStoredText(doc: Doc, text: string): Doc {
  foundTexts.set(doc, text);
  return doc;
}

/** The text `doc` was read from, if it is a found document as it was read (a projected copy has none). */
export function storedText(doc: unknown): string | undefined {
  return typeof doc === 'object' && doc !== null ? foundTexts.get(doc as Doc) : undefined;
}

/** Parses stored text (3x faster than EJSON.parse, same result for what encodeDoc writes). */
export function decodeDoc(text: string): Doc {
  return revive(JSON.parse(text)) as Doc;
}
