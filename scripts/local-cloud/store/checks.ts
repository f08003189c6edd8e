/** Checks of what callers pass to the store's public methods: names, filters, find options, pipelines. */
import { describeType, isPlainObject } from './codec';
import { checkProjection } from './mingo';
import { StoreError } from './types';
import type { Filter, SortSpec } from './types';

export const invalid = (message: string): StoreError => new StoreError('INVALID', message);

export function checkCollectionName(coll: unknown): asserts coll is string {
  if (typeof coll !== 'string' || coll.length === 0 || coll.length > 120)
    throw invalid(`collection name must be a string of 1-120 characters`);
  if (coll.includes('\u0000') || coll.startsWith('$')) throw invalid(`invalid collection name ${JSON.stringify(coll)}`);
  if (coll.startsWith('sqlite_') || coll.startsWith('_lc_')) throw invalid(`collection name '${coll}' is reserved`);
}

export function checkFilter(filter: unknown): asserts filter is Filter {
  if (!isPlainObject(filter)) throw invalid(`filter must be an object, got ${describeType(filter)}`);
}

export interface CheckedFindOptions {
  sort: SortSpec | undefined;
  skip: number;
  limit: number;
  projection: Record<string, unknown> | undefined;
}

export function checkFindOptions(opts: unknown): CheckedFindOptions {
  if (!isPlainObject(opts)) throw invalid('find options must be an object');
  const skip: unknown = opts['skip'] ?? 0;
  const limit: unknown = opts['limit'] ?? 0;
  const sort = opts['sort'];
  const projection = opts['projection'];
  if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0)
    throw invalid(`skip must be a non-negative integer, got ${String(skip)}`);
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0)
    throw invalid(`limit must be a non-negative integer, got ${String(limit)}`);
  const checked: CheckedFindOptions = { sort: undefined, skip, limit, projection: undefined };
  if (sort !== undefined) {
    if (!isPlainObject(sort)) throw invalid('sort must be an object');
    const spec: SortSpec = {};
    for (const [field, direction] of Object.entries(sort)) {
      if (direction !== 1 && direction !== -1)
        throw invalid(`sort direction of '${field}' must be 1 or -1, got ${String(direction)}`);
      if (field === '' || field.startsWith('$')) throw invalid(`invalid sort field '${field}'`);
      spec[field] = direction;
    }
    checked.sort = spec;
  }
  if (projection !== undefined) {
    if (!isPlainObject(projection)) throw invalid('projection must be an object');
    checkProjection(projection);
    checked.projection = projection;
  }
  return checked;
}

/** Scans a nested pipeline for stages that would write ($out/$merge): aggregate is read-only here. */
export function checkPipeline(pipeline: unknown, where: string): asserts pipeline is Record<string, unknown>[] {
  if (!Array.isArray(pipeline)) throw invalid(`${where} must be an array of stages`);
  pipeline.forEach((stage: unknown, i) => {
    if (!isPlainObject(stage)) throw invalid(`${where} stage ${i} must be an object`);
    const keys = Object.keys(stage);
    const [name] = keys;
    if (keys.length !== 1 || name === undefined || !name.startsWith('$'))
      throw invalid(`${where} stage ${i} must have exactly one $stage key, got {${keys.join(',')}}`);
    if (name === '$out' || name === '$merge')
      throw new StoreError('UNSUPPORTED', `aggregate stage ${name} is not supported (aggregate is read-only)`);
    const arg = stage[name];
    if (name === '$facet' && isPlainObject(arg))
      for (const [facet, sub] of Object.entries(arg)) checkPipeline(sub, `$facet.${facet}`);
    if ((name === '$lookup' || name === '$unionWith') && isPlainObject(arg) && arg['pipeline'] !== undefined)
      checkPipeline(arg['pipeline'], `${name}.pipeline`);
  });
}
