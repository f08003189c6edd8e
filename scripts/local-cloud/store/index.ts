/** The local cloud's storage engine: `openStore` plus the contract's types. */
import { openEngine } from './engine';
import type { LocalStore, OpenStoreOptions } from './engine';

export type { LocalStore, OpenStoreOptions } from './engine';
export { StoreError } from './types';
export type { Doc, IndexFile, UpdateOptions } from './types';

/** Opens (creating if needed) the database in options.dir, or a throwaway one for ':memory:'. */
export function openStore(options: OpenStoreOptions): LocalStore {
  return openEngine(options);
}
