/**
 * What the store counts about itself for /stats and the tests: queries no index narrowed (by shape, so the missing
 * index can be named), deliberate full listings, sorts answered in index order, and documents per collection.
 */
import { isEmptyObject } from './codec';
import { filterShape } from './planner';
import type { Plan } from './planner';
import type { Filter, StoreStats } from './types';

export interface EngineStats extends StoreStats {
  /** queries with an empty filter (deliberate full listings), counted apart from unindexedQueries */
  fullListings: number;
  /** sorted + limited finds answered by reading an index in order (stopping after skip + limit matches) */
  sortedByIndex: number;
  /** of those, the ones that merged the runs of a compound index's pinned leading paths ($in or equality) */
  sortedByIndexPrefix: number;
}

export class Statistics {
  private unindexedQueries = 0;
  private readonly unindexedShapes: Record<string, number> = Object.create(null) as Record<string, number>;
  private fullListings = 0;
  private sortedByIndex = 0;
  private sortedByIndexPrefix = 0;
  /** document counts per collection, read once with count(*) and then kept by every committed write */
  private readonly documentCounts = new Map<string, number>();
  /** the count changes of the write transaction in progress, applied once it commits */
  private pendingCountChanges = new Map<string, number>();

  /** Counts a query whose plan narrows through no index: a full listing when its filter is empty. */
  countPlan(coll: string, filter: Filter, plan: Plan): void {
    if (plan.index !== null) return;
    if (isEmptyObject(filter)) {
      this.fullListings++;
    } else {
      this.unindexedQueries++;
      const shape = filterShape(coll, filter);
      this.unindexedShapes[shape] = (this.unindexedShapes[shape] ?? 0) + 1;
    }
  }

  countFullListing(): void {
    this.fullListings++;
  }

  /** merged: the rows came from the pinned runs of a compound index */
  countSortedByIndex(merged: boolean): void {
    this.sortedByIndex++;
    if (merged) this.sortedByIndexPrefix++;
  }

  /** The collection's document count, from countRows the first time. */
  documentCount(coll: string, countRows: () => number): number {
    let count = this.documentCounts.get(coll);
    if (count === undefined) {
      count = countRows();
      this.documentCounts.set(coll, count);
    }
    return count;
  }

  beginWrite(): void {
    this.pendingCountChanges = new Map();
  }

  /** Within a write transaction: documents added (or, negative, removed). */
  addDocuments(coll: string, change: number): void {
    this.pendingCountChanges.set(coll, (this.pendingCountChanges.get(coll) ?? 0) + change);
  }

  commitWrite(): void {
    for (const [coll, change] of this.pendingCountChanges) {
      const count = this.documentCounts.get(coll);
      if (count !== undefined) this.documentCounts.set(coll, count + change);
    }
  }

  report(openTransactions: number, collections: Record<string, number>): EngineStats {
    return {
      unindexedQueries: this.unindexedQueries,
      unindexedShapes: { ...this.unindexedShapes },
      openTransactions,
      collections,
      fullListings: this.fullListings,
      sortedByIndex: this.sortedByIndex,
      sortedByIndexPrefix: this.sortedByIndexPrefix,
    };
  }
}
