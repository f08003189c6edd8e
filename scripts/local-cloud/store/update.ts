/**
 * Update operators: mingo's updater applies them; this module first checks what mingo would silently
 * ignore (wrong argument or field types, paths through scalars, unknown modifiers) so that a bad update
 * is answered with an error naming the operator instead of a quiet no-op.
 */
import { RESERVED_FIELD_NAMES, describeType, hasOwn, isPlainObject, ownValue } from './codec';
import { applyOperators } from './mingo';
import { StoreError } from './types';
import type { Doc, Filter, UpdateSpec } from './types';

const SUPPORTED_UPDATE_OPERATORS: readonly string[] = [
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
];
const SUPPORTED = new Set(SUPPORTED_UPDATE_OPERATORS);
/** Operators that create the field (and its parents) when missing. */
const CREATING = new Set(['$set', '$inc', '$mul', '$min', '$max', '$push', '$addToSet']);
const ARRAY_TARGET = new Set(['$push', '$addToSet', '$pull', '$pullAll', '$pop']);
const PUSH_MODIFIERS = new Set(['$each', '$slice', '$sort', '$position']);

const isIndex = (s: string): boolean => /^\d+$/.test(s);

function invalid(message: string): StoreError {
  return new StoreError('INVALID', message);
}

/** Syntax of one update path; returns its segments. Positional '$' and '$[]' are allowed, '$[id]' is not. */
function checkPath(op: string, path: string): string[] {
  if (path === '') throw invalid(`${op}: empty field path`);
  const segs = path.split('.');
  segs.forEach((s, i) => {
    if (s === '') throw invalid(`${op}: empty field name in path '${path}'`);
    if (s.includes('\u0000')) throw invalid(`${op}: field path ${JSON.stringify(path)} contains a NUL character`);
    if (RESERVED_FIELD_NAMES.has(s)) throw invalid(`${op}: field name '${s}' in path '${path}' is reserved`);
    if (s.startsWith('$')) {
      if (s.startsWith('$[') && s !== '$[]')
        throw new StoreError('UNSUPPORTED', `${op}: array filters ('${s}' in '${path}') are not supported`);
      if ((s !== '$' && s !== '$[]') || i === 0) throw invalid(`${op}: invalid field name '${s}' in path '${path}'`);
    }
  });
  return segs;
}

function checkPushArg(op: string, path: string, arg: unknown): void {
  if (!isPlainObject(arg)) return;
  const keys = Object.keys(arg);
  if (!keys.some((k) => k.startsWith('$'))) return;
  for (const k of keys) {
    if (op === '$addToSet' ? k !== '$each' : !PUSH_MODIFIERS.has(k))
      throw new StoreError('UNSUPPORTED', `${op}: unsupported modifier ${k} for '${path}'`);
  }
  if (!Array.isArray(arg['$each'])) throw invalid(`${op}: $each for '${path}' must be an array`);
  for (const k of ['$slice', '$position'] as const) {
    if (hasOwn(arg, k) && !Number.isInteger(arg[k])) throw invalid(`${op}: ${k} for '${path}' must be an integer`);
  }
  if (hasOwn(arg, '$sort')) {
    const s = arg['$sort'];
    const ok =
      s === 1 ||
      s === -1 ||
      (isPlainObject(s) && Object.keys(s).length > 0 && Object.values(s).every((d) => d === 1 || d === -1));
    if (!ok) throw invalid(`${op}: $sort for '${path}' must be 1, -1 or an object of 1/-1`);
  }
}

/** Static checks of an operator update (operators, argument shapes, path syntax). */
export function checkUpdateSpec(spec: UpdateSpec): void {
  if (!isPlainObject(spec)) throw invalid('update must be an object');
  const ops = Object.keys(spec);
  if (ops.length === 0) throw invalid('update has no operators');
  for (const op of ops) {
    if (!op.startsWith('$')) throw invalid(`update mixes field '${op}' with operators: use $set, or a replacement`);
    if (!SUPPORTED.has(op)) throw new StoreError('UNSUPPORTED', `unsupported update operator ${op}`);
    const arg = spec[op];
    if (!isPlainObject(arg)) throw invalid(`${op} needs an object of field paths, got ${describeType(arg)}`);
    for (const path of Object.keys(arg)) {
      const segs = checkPath(op, path);
      const v = arg[path];
      if (segs[0] === '_id' && !(op === '$set' && segs.length === 1))
        throw invalid(`${op}: the field '_id' is immutable`);
      switch (op) {
        case '$inc':
        case '$mul':
          if (typeof v !== 'number' || !Number.isFinite(v))
            throw invalid(`${op}: '${path}' needs a finite number, got ${describeType(v)}`);
          break;
        case '$pop':
          if (v !== 1 && v !== -1) throw invalid(`$pop: '${path}' needs 1 or -1`);
          break;
        case '$pullAll':
          if (!Array.isArray(v)) throw invalid(`$pullAll: '${path}' needs an array`);
          break;
        case '$rename': {
          if (typeof v !== 'string') throw invalid(`$rename: target of '${path}' must be a string`);
          const to = checkPath(op, v);
          if (to.some((s) => s.startsWith('$')) || segs.some((s) => s.startsWith('$')))
            throw invalid(`$rename: positional paths are not allowed ('${path}' -> '${v}')`);
          if (to[0] === '_id') throw invalid(`$rename: the field '_id' is immutable`);
          if (v === path || v.startsWith(`${path}.`) || path.startsWith(`${v}.`))
            throw invalid(`$rename: '${path}' and '${v}' overlap`);
          break;
        }
        case '$push':
        case '$addToSet':
          checkPushArg(op, path, v);
          break;
        default:
          break;
      }
    }
  }
}

type Target = { kind: 'found'; value: unknown } | { kind: 'missing' } | { kind: 'unreachable' };

/** Where a (non-positional) path lands in doc; throws for creating operators that Mongo would refuse. */
function locate(doc: Doc, segs: string[], op: string, path: string, creating: boolean): Target {
  let cur: unknown = doc;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as string;
    const prefix = segs.slice(0, i).join('.') || '(document)';
    if (Array.isArray(cur)) {
      if (!isIndex(seg)) {
        if (creating) throw invalid(`${op}: cannot create field '${seg}' in the array at '${prefix}' (path '${path}')`);
        return { kind: 'unreachable' };
      }
      cur = cur[Number(seg)];
    } else if (isPlainObject(cur)) {
      cur = ownValue(cur, seg);
    } else {
      if (creating)
        throw invalid(
          `${op}: cannot create field '${seg}' in '${prefix}', which is ${describeType(cur)} (path '${path}')`,
        );
      return { kind: 'unreachable' };
    }
    if (cur === undefined) return { kind: 'missing' };
    if (cur === null && i < segs.length - 1) {
      if (creating)
        throw invalid(
          `${op}: cannot create field '${segs[i + 1] ?? ''}' in '${segs.slice(0, i + 1).join('.')}', which is null (path '${path}')`,
        );
      return { kind: 'unreachable' };
    }
  }
  return { kind: 'found', value: cur };
}

/** Checks the update against the document it will change (what mingo would otherwise skip silently). */
function checkAgainstDoc(doc: Doc, spec: UpdateSpec): void {
  for (const op of Object.keys(spec)) {
    const arg = spec[op] as Record<string, unknown>;
    for (const path of Object.keys(arg)) {
      const segs = path.split('.');
      const positional = segs.findIndex((s) => s === '$' || s === '$[]');
      if (positional >= 0) {
        const t = locate(doc, segs.slice(0, positional), op, path, CREATING.has(op));
        if (t.kind === 'found' && !Array.isArray(t.value))
          throw invalid(`${op}: the positional operator in '${path}' needs an array, found ${describeType(t.value)}`);
        continue;
      }
      if (op === '$rename') {
        // Mongo refuses a rename whose source or target passes through an array.
        if (locate(doc, segs, op, path, false).kind !== 'found') continue;
        const target = String(arg[path]);
        const to = target.split('.');
        if (throughArray(doc, segs)) throw invalid(`$rename: source '${path}' is inside an array`);
        locate(doc, to, op, target, true);
        if (throughArray(doc, to)) throw invalid(`$rename: target '${target}' is inside an array`);
        continue;
      }
      const t = locate(doc, segs, op, path, CREATING.has(op));
      if (t.kind !== 'found') continue;
      if ((op === '$inc' || op === '$mul') && typeof t.value !== 'number') {
        throw invalid(`cannot apply ${op} to '${path}': it holds a non-numeric ${describeType(t.value)}`);
      }
      if (ARRAY_TARGET.has(op) && !Array.isArray(t.value))
        throw invalid(`cannot apply ${op} to '${path}': it holds a non-array ${describeType(t.value)}`);
    }
  }
}

/** Whether any proper prefix of the path holds an array in doc. */
function throughArray(doc: Doc, segs: string[]): boolean {
  for (let i = 1; i < segs.length; i++) {
    const t = locate(doc, segs.slice(0, i), '', '', false);
    if (t.kind === 'found' && Array.isArray(t.value)) return true;
  }
  return false;
}

/**
 * The document after the update (doc is changed in place and returned). `replace` = spec is a whole new
 * document: it keeps doc's _id. Operator specs must have passed checkUpdateSpec.
 */
export function applyUpdate(doc: Doc, spec: UpdateSpec, replace: boolean, filter: Filter): Doc {
  if (replace) return replacement(doc._id, spec);
  const set = spec['$set'];
  let effective = spec;
  if (isPlainObject(set) && hasOwn(set, '_id')) {
    // Mongo allows $set of _id to its current value; anything else changes an immutable field.
    if (set['_id'] !== doc._id) throw invalid(`$set: the field '_id' is immutable`);
    const { _id: _ignored, ...rest } = set;
    effective = { ...spec, $set: rest };
  }
  checkAgainstDoc(doc, effective);
  // mingo re-tests its condition before updating: give it the filter only where '$' needs it (not to upsert seeds).
  const positional = Object.values(effective).some(
    (arg) => isPlainObject(arg) && Object.keys(arg).some((p) => p.split('.').includes('$')),
  );
  applyOperators(doc, effective, positional ? filter : {});
  // Doc's type promises an _id; an $unset may still have taken it.
  if ((doc._id as unknown) === undefined) throw invalid('update removed _id');
  return doc;
}

/** A replacement document: keeps _id (a different _id in the replacement is an error). */
export function replacement(id: string, spec: UpdateSpec): Doc {
  if (!isPlainObject(spec)) throw invalid('replacement must be an object');
  const out: Doc = { _id: id };
  for (const key of Object.keys(spec)) {
    if (key.startsWith('$')) throw invalid(`replacement document must not contain update operators (${key})`);
    if (key === '_id') {
      if (spec[key] !== id) throw invalid(`replacement would change the immutable field '_id'`);
      continue;
    }
    out[key] = spec[key];
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string): { parent: Record<string, unknown>; key: string } {
  const segs = path.split('.');
  let cur = target;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i] as string;
    const next = ownValue(cur, s);
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      cur[s] = created;
      cur = created;
    } else if (isPlainObject(next)) {
      cur = next;
    } else {
      throw invalid(`upsert: filter paths conflict at '${segs.slice(0, i + 1).join('.')}'`);
    }
  }
  return { parent: cur, key: segs[segs.length - 1] as string };
}

function collectEqualities(filter: Filter, out: [string, unknown][]): void {
  for (const key of Object.keys(filter)) {
    const v = filter[key];
    if (key === '$and' && Array.isArray(v)) {
      for (const f of v) if (isPlainObject(f)) collectEqualities(f, out);
    } else if (key === '$or' && Array.isArray(v) && v.length === 1 && isPlainObject(v[0])) {
      collectEqualities(v[0], out);
    } else if (key.startsWith('$') || v instanceof RegExp) {
      continue;
    } else if (isPlainObject(v) && Object.keys(v).some((k) => k.startsWith('$'))) {
      if (hasOwn(v, '$eq')) out.push([key, v['$eq']]);
    } else {
      out.push([key, v]);
    }
  }
}

/** The document an upsert starts from: the equality parts of the filter (Mongo's rule), dotted paths expanded. */
export function upsertSeed(filter: Filter): Record<string, unknown> {
  const pairs: [string, unknown][] = [];
  collectEqualities(filter, pairs);
  const seed: Record<string, unknown> = {};
  for (const [path, value] of pairs) {
    for (const s of path.split('.')) {
      if (s === '' || RESERVED_FIELD_NAMES.has(s) || s.includes('\u0000'))
        throw invalid(`upsert: cannot build a document from filter path '${path}'`);
    }
    const { parent, key } = setPath(seed, path);
    if (hasOwn(parent, key)) throw invalid(`upsert: filter paths conflict at '${path}'`);
    parent[key] = structuredClone(value);
  }
  return seed;
}
