/** The engine's only door to mingo: one set of options, and mingo's errors turned into StoreErrors. */
import { StoreError } from './types';
import type { Doc, Filter, SortSpec } from './types';

type Resolver = (name: string) => Record<string, unknown>[];
type Options = Record<string, unknown>;

interface MingoCursor {
  sort(spec: SortSpec): MingoCursor;
  skip(n: number): MingoCursor;
  limit(n: number): MingoCursor;
  all(): Doc[];
}
interface MingoQuery {
  test(obj: unknown): boolean;
  find(collection: readonly unknown[], projection?: Record<string, unknown>): MingoCursor;
}
interface MingoModule {
  Query: new (condition: Filter, options: Options) => MingoQuery;
  Aggregator: new (
    pipeline: Record<string, unknown>[],
    options: Options,
  ) => { run(collection: readonly unknown[]): Record<string, unknown>[] };
}
interface MingoUpdater {
  update(
    obj: Doc,
    modifier: Record<string, unknown>,
    arrayFilters: unknown[],
    condition: Filter,
    options: Options,
  ): string[];
}
interface MingoUtil {
  MingoError: abstract new (...args: never[]) => Error;
}

// mingo's own .d.ts does not pass exactOptionalPropertyTypes (with skipLibCheck off), so it is loaded
// untyped behind the few signatures used here. These are mingo 7's CommonJS entry points.
/* eslint-disable @typescript-eslint/no-require-imports -- an import would bring mingo's failing .d.ts back in */
const mingo = require('mingo') as MingoModule;
const updater = require('mingo/updater') as MingoUpdater;
const { MingoError } = require('mingo/util') as MingoUtil;
/* eslint-enable @typescript-eslint/no-require-imports */

// Scripts ($where, $function, $accumulator) stay off: filters come from cloud functions' callers.
const BASE_OPTIONS: Options = { idKey: '_id', scriptEnabled: false, useStrictMode: true };

const UNSUPPORTED_PATTERNS = [
  /unknown/i,
  /unregistered/i,
  /not registered/i,
  /not supported/i,
  /scriptEnabled/,
  /jsonSchemaValidator/,
];

/** Runs fn, turning mingo's (and JS's, for bad regexes) errors into StoreError; `what` prefixes the message. */
function viaMingo<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StoreError) throw e;
    if (e instanceof MingoError || e instanceof SyntaxError || e instanceof TypeError || e instanceof RangeError) {
      const message = e.message;
      const code =
        e instanceof MingoError && UNSUPPORTED_PATTERNS.some((p) => p.test(message)) ? 'UNSUPPORTED' : 'INVALID';
      throw new StoreError(code, `${what}: ${message}`);
    }
    throw e;
  }
}

export interface CompiledFilter {
  test(doc: Doc): boolean;
}

const MATCH_ALL: CompiledFilter = { test: () => true };

export function compileFilter(filter: Filter): CompiledFilter {
  const fields = Object.keys(filter);
  if (fields.length === 0) return MATCH_ALL;
  // doc(id) is most of a function's reads and writes, and a mingo Query copies every operator table when it is built.
  // _id is always a string here, so equality to a string is plain equality.
  const id = filter['_id'];
  if (fields.length === 1 && typeof id === 'string') return { test: (doc) => doc._id === id };
  const q = viaMingo('invalid filter', () => new mingo.Query(filter, BASE_OPTIONS));
  return { test: (doc) => viaMingo('filter', () => q.test(doc)) };
}

/** Sort, skip, limit and project matched documents with Mongo semantics (in that order); limit 0 = no limit. */
export function shapeResults(
  docs: Doc[],
  sort: SortSpec | undefined,
  skip: number,
  limit: number,
  projection: Record<string, unknown> | undefined,
): Doc[] {
  const hasProjection = projection !== undefined && Object.keys(projection).length > 0;
  if (!sort || Object.keys(sort).length === 0) {
    const page = docs.slice(skip, limit > 0 ? skip + limit : undefined);
    if (!hasProjection) return page;
    return viaMingo('invalid projection', () => new mingo.Query({}, BASE_OPTIONS).find(page, projection).all());
  }
  return viaMingo('invalid sort/projection', () => {
    let cursor = new mingo.Query({}, BASE_OPTIONS).find(docs, hasProjection ? projection : undefined).sort(sort);
    if (skip > 0) cursor = cursor.skip(skip);
    if (limit > 0) cursor = cursor.limit(limit);
    return cursor.all();
  });
}

/** Checks a projection once up front, so an empty result still answers a malformed one. */
export function checkProjection(projection: Record<string, unknown>): void {
  if (Object.keys(projection).length === 0) return;
  viaMingo('invalid projection', () => new mingo.Query({}, BASE_OPTIONS).find([{ _id: 'x' }], projection).all());
}

/** Applies update operators in place (mingo's updater); condition feeds the positional '$' operator. */
export function applyOperators(doc: Doc, spec: Record<string, unknown>, condition: Filter): void {
  viaMingo('invalid update', () => updater.update(doc, spec, [], condition, { queryOptions: BASE_OPTIONS }));
}

export function runPipeline(
  docs: Record<string, unknown>[],
  pipeline: Record<string, unknown>[],
  resolver: Resolver,
): Record<string, unknown>[] {
  if (pipeline.length === 0) return docs;
  return viaMingo('aggregate', () =>
    new mingo.Aggregator(pipeline, { ...BASE_OPTIONS, collectionResolver: resolver }).run(docs),
  );
}

/** Every value the path reaches, descending into arrays as Mongo's equality does ($lookup's localField). */
export function valuesAtPath(doc: unknown, segments: readonly string[], out: unknown[]): void {
  if (segments.length === 0) {
    out.push(doc);
    if (Array.isArray(doc)) for (const x of doc) out.push(x);
    return;
  }
  if (Array.isArray(doc)) {
    const [head] = segments;
    if (head !== undefined && /^\d+$/.test(head)) valuesAtPath(doc[Number(head)], segments.slice(1), out);
    for (const x of doc) if (x !== null && typeof x === 'object' && !Array.isArray(x)) valuesAtPath(x, segments, out);
    return;
  }
  if (doc === null || typeof doc !== 'object' || doc instanceof Date) {
    out.push(null);
    return;
  }
  const [head, ...rest] = segments;
  const o = doc as Record<string, unknown>;
  const next = head !== undefined && Object.prototype.hasOwnProperty.call(o, head) ? o[head] : undefined;
  if (next === undefined) {
    out.push(null);
    return;
  }
  valuesAtPath(next, rest, out);
}
