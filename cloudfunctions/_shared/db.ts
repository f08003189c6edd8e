/**
 * A typed face on wx-server-sdk's database (its own d.ts returns `Promise<…> | void | string` and `any`).
 * Only what the use cases need; every cast from the SDK happens here, once.
 *
 * The cloud's transactions support single-document operations only (doc().get/set/update/remove and add),
 * so the transactional helpers take a document id, never a filter.
 */
import { db } from './cloud';

export type Filter = Record<string, unknown>;
export type StoredDoc = { _id: string } & Record<string, unknown>;
/** A record's declared fields without its _id (what is written when creating it). */
export type NewDoc<T extends StoredDoc> = {
  [K in keyof T as string extends K ? never : K extends '_id' ? never : K]: T[K];
};

interface SdkDoc {
  get(): Promise<{ data: unknown }>;
  set(options: { data: Record<string, unknown> }): Promise<unknown>;
  update(options: { data: Record<string, unknown> }): Promise<{ stats?: { updated?: number } }>;
  remove(): Promise<{ stats?: { removed?: number } }>;
}
interface SdkQuery {
  where(filter: Filter): SdkQuery;
  orderBy(field: string, order: 'asc' | 'desc'): SdkQuery;
  skip(n: number): SdkQuery;
  limit(n: number): SdkQuery;
  field(projection: Record<string, boolean>): SdkQuery;
  get(): Promise<{ data: unknown[] }>;
  count(): Promise<{ total: number }>;
  update(options: { data: Record<string, unknown> }): Promise<{ stats?: { updated?: number } }>;
  remove(): Promise<{ stats?: { removed?: number } }>;
}
interface SdkAggregate {
  match(value: unknown): SdkAggregate;
  lookup(value: unknown): SdkAggregate;
  unwind(value: unknown): SdkAggregate;
  project(value: unknown): SdkAggregate;
  group(value: unknown): SdkAggregate;
  sort(value: unknown): SdkAggregate;
  limit(value: unknown): SdkAggregate;
  end(): Promise<{ list: unknown[] }>;
}
export type AggregateStage = { [K in Exclude<keyof SdkAggregate, 'end'>]?: unknown };

interface SdkCollection extends SdkQuery {
  aggregate(): SdkAggregate;
  doc(id: string): SdkDoc;
  add(options: {
    data: Record<string, unknown> | Record<string, unknown>[];
  }): Promise<{ _id?: string; _ids?: string[] }>;
}
/** Anything with `.collection(name)`: the database itself or a transaction. */
export interface Scope {
  collection(name: string): unknown;
}

function coll(scope: Scope, name: string): SdkCollection {
  return scope.collection(name) as SdkCollection;
}

export const database: Scope = db;

/** The document with this id, or null. In a transaction the read comes from the transaction's snapshot. */
export async function getById<T extends StoredDoc>(scope: Scope, collection: string, id: string): Promise<T | null> {
  try {
    const { data } = await coll(scope, collection).doc(id).get();
    return (Array.isArray(data) ? (data[0] ?? null) : (data ?? null)) as T | null;
  } catch (error) {
    // The SDK reports a missing document as an error; for a use case it is just "none".
    if (
      String(
        (error as { errMsg?: unknown } | null)?.errMsg ?? (error as { message?: unknown } | null)?.message,
      ).includes('does not exist')
    )
      return null;
    throw error;
  }
}

export interface FindOptions {
  orderBy?: Array<[string, 'asc' | 'desc']>;
  skip?: number;
  limit?: number;
  fields?: Record<string, boolean>;
}

/** Up to `limit` documents (the cloud returns at most 1000 a request). Outside transactions only. */
export async function find<T extends StoredDoc>(
  collection: string,
  filter: Filter,
  options: FindOptions = {},
): Promise<T[]> {
  let query: SdkQuery = coll(db, collection).where(filter);
  for (const [field, order] of options.orderBy ?? []) query = query.orderBy(field, order);
  if (options.skip) query = query.skip(options.skip);
  query = query.limit(options.limit ?? 100);
  if (options.fields) query = query.field(options.fields);
  const { data } = await query.get();
  return data as T[];
}

/** One aggregation pipeline, one request; each stage is `{ match: … }`, `{ lookup: … }`, … as the SDK names them. */
export async function aggregate<T>(collection: string, stages: AggregateStage[]): Promise<T[]> {
  let pipeline = coll(db, collection).aggregate();
  for (const stage of stages) {
    for (const [name, value] of Object.entries(stage) as Array<[Exclude<keyof SdkAggregate, 'end'>, unknown]>) {
      pipeline = pipeline[name](value);
    }
  }
  const { list } = await pipeline.end();
  return list as T[];
}

export async function count(collection: string, filter: Filter): Promise<number> {
  const { total } = await coll(db, collection).where(filter).count();
  return total;
}

export async function insert(scope: Scope, collection: string, doc: Record<string, unknown>): Promise<string> {
  const result = await coll(scope, collection).add({ data: doc });
  if (typeof result._id !== 'string') throw new Error(`insert into ${collection} returned no _id`);
  return result._id;
}

/** Many documents in one request. */
export async function insertMany(scope: Scope, collection: string, docs: Record<string, unknown>[]): Promise<string[]> {
  if (docs.length === 0) return [];
  const result = await coll(scope, collection).add({ data: docs });
  return result._ids ?? [];
}

/** Creates or replaces the whole document with this id. */
export async function setById(
  scope: Scope,
  collection: string,
  id: string,
  doc: Record<string, unknown>,
): Promise<void> {
  const { _id: _ignored, ...data } = doc;
  await coll(scope, collection).doc(id).set({ data });
}

/** Applies a patch (plain fields are $set; command values such as command.inc(1) are applied as such). */
export async function updateById(
  scope: Scope,
  collection: string,
  id: string,
  patch: Record<string, unknown>,
): Promise<number> {
  const result = await coll(scope, collection).doc(id).update({ data: patch });
  return result.stats?.updated ?? 0;
}

export async function updateWhere(collection: string, filter: Filter, patch: Record<string, unknown>): Promise<number> {
  const result = await coll(db, collection).where(filter).update({ data: patch });
  return result.stats?.updated ?? 0;
}

/** `base` and at least one of `branches`, as the SDK's logic commands; typed as the filter `find` takes. */
export function withAnyOf(base: Filter, branches: readonly Filter[]): Filter {
  return db.command.and([base, db.command.or([...branches])]) as unknown as Filter;
}
