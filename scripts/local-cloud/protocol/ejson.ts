import { BSONRegExp, EJSON } from 'bson';
import { StoreError } from '../store/types';

/** Keys that would reach Object.prototype if a document were ever merged into a plain object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Decodes one EJSON string as the SDK sends it (canonical mode) into plain JS values:
 * numbers as numbers, Dates as Date, regular expressions as RegExp (what mingo understands),
 * and `{ $tcb_server_date: { offset } }` as the server's clock plus the offset.
 */
export function decodeEJSON(text: unknown, field: string, now: Date): unknown {
  if (typeof text !== 'string') throw new StoreError('INVALID', `${field} must be an EJSON string`);
  let parsed: unknown;
  try {
    parsed = EJSON.parse(text, { relaxed: true });
  } catch (error) {
    throw new StoreError('INVALID', `${field} is not valid EJSON: ${(error as Error).message}`);
  }
  return normalise(parsed, field, now, 0);
}

function normalise(value: unknown, path: string, now: Date, depth: number): unknown {
  if (depth > 64) throw new StoreError('INVALID', `${path} is nested too deeply`);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (value instanceof BSONRegExp) return toRegExp(value.pattern, value.options, path);
  if (Array.isArray(value)) return value.map((item, i) => normalise(item, `${path}[${i}]`, now, depth + 1));
  const record = value as Record<string, unknown>;
  const bsontype = (record as { _bsontype?: unknown })._bsontype;
  if (typeof bsontype === 'string') {
    // Long/Decimal128/ObjectId and friends: the SDK never sends them for our data, so refuse rather than guess.
    if (bsontype === 'Long') return Number((value as { toString(): string }).toString());
    throw new StoreError('UNSUPPORTED', `${path}: BSON type ${bsontype} is not supported by the local cloud`);
  }
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '$tcb_server_date') {
    const offset = Number((record['$tcb_server_date'] as { offset?: unknown } | null)?.offset ?? 0);
    return new Date(now.getTime() + (Number.isFinite(offset) ? offset : 0));
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) throw new StoreError('INVALID', `${path}: field name "${key}" is not allowed`);
    out[key] = normalise(record[key], `${path}.${key}`, now, depth + 1);
  }
  return out;
}

function toRegExp(pattern: string, options: string, path: string): RegExp {
  // BSON's flag letters that JS shares; x (extended) and l (locale) have no JS counterpart, and dropping one would
  // silently change what the pattern matches.
  const unsupported = options.replace(/[imsu]/g, '');
  if (unsupported)
    throw new StoreError(
      'UNSUPPORTED',
      `${path}: regular expression flag '${unsupported}' is not supported by the local cloud (only i, m, s, u)`,
    );
  try {
    return new RegExp(pattern, options);
  } catch {
    throw new StoreError('INVALID', `${path}: invalid regular expression /${pattern}/`);
  }
}

/** Encodes a stored document the way the cloud answers: relaxed EJSON, which the SDK parses back into Dates. */
export function encodeEJSON(doc: unknown): string {
  return EJSON.stringify(doc, { relaxed: true });
}
