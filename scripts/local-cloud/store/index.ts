/** The local cloud's storage engine: `openStore` plus the contract's types. */
import { openEngine } from './engine';
import type { LocalStore, OpenStoreOptions } from './engine';

export type { EngineStats, ExplainResult, LocalStore, OpenStoreOptions } from './engine';
export { generateId } from './engine';
export { StoreError } from './types';
export type {
  Doc,
  Filter,
  FindOptions,
  IndexDecl,
  IndexFile,
  SortSpec,
  Store,
  StoreErrorCode,
  StoreStats,
  UpdateOptions,
  UpdateResult,
  UpdateSpec,
} from './types';

/** Opens (creating if needed) the database in options.dir, or a throwaway one for ':memory:'. */
export function openStore(options: OpenStoreOptions): LocalStore {
  return openEngine(options);
}
