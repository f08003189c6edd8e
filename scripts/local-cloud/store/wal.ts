/**
 * Keeping the write-ahead log bounded. Under steady concurrency some snapshot is nearly always open, so SQLite's own
 * checkpoints cannot restart the WAL; at a moment with no open transaction, a large WAL is checkpointed and truncated
 * (no reader can be waiting).
 */
import { statSync } from 'node:fs';
import type { Connection } from './connection';

/** How often (ended transactions) a quiet moment checks the WAL, and the size above which it is truncated. */
const WAL_CHECK_EVERY = 200;
const WAL_TRUNCATE_BYTES = 256 * 1024 * 1024;

export class WalUpkeep {
  private endedSinceCheck = 0;

  constructor(
    private readonly databaseFile: string,
    private readonly writeConnection: Connection,
  ) {}

  /** After a transaction ended, with the number still open. */
  transactionEnded(stillOpen: number): void {
    if (stillOpen > 0 || ++this.endedSinceCheck < WAL_CHECK_EVERY) return;
    this.endedSinceCheck = 0;
    let size = 0;
    try {
      size = statSync(`${this.databaseFile}-wal`).size;
    } catch {
      return;
    }
    if (size > WAL_TRUNCATE_BYTES) this.writeConnection.db.pragma('wal_checkpoint(TRUNCATE)');
  }
}
