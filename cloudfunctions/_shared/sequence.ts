/**
 * Decision numbers and the police export's sequence.
 *
 * Decision sequence numbers, handed out from blocks: an instance reserves BLOCK numbers in one small transaction on
 * counters/decisionSeq and then serves them from memory (an instance runs one invocation at a time), outside the
 * processing transaction. Numbers are unique, not gapless: a block an instance
 * did not use up, or a batch that rolled back, leaves unused numbers.
 */
import { COLLECTIONS } from './collections';
import { getById, setById, type StoredDoc } from './db';
import { inTransaction, type Tx } from './transaction';

const BLOCK = 50;
const COUNTER_ID = 'decisionSeq';
let next = 0;
let end = 0;

export async function nextDecisionSequence(): Promise<number> {
  if (next >= end) {
    const reserved = await inTransaction(async (tx) => {
      const counter = await getById<{ _id: string; value: number }>(tx, COLLECTIONS.counters, COUNTER_ID);
      const value = counter?.value ?? 0;
      await setById(tx, COLLECTIONS.counters, COUNTER_ID, { value: value + BLOCK });
      return value;
    }, 20);
    next = reserved + 1;
    end = reserved + BLOCK + 1;
  }
  const sequence = next;
  next += 1;
  return sequence;
}

const EXPORT_COUNTER_ID = 'decisionExport';
/** Clocks further apart than this are a clock set back on purpose (the local cloud's sandbox), not skew to smooth. */
const MAX_CLOCK_SKEW_MS = 60_000;

interface ExportCounterDoc extends StoredDoc {
  value: number;
  lastAtMs: number;
}

/**
 * The police export's next sequence number, taken inside the transaction that creates a decision or changes what the
 * export says of it (paid; a refund would be another). Every such transaction reads and writes this one document, so the cloud's
 * write-conflict rule lets only one of any overlapping pair commit: a number is read only once the transaction that
 * took the one before has committed, and a transaction that rolls back leaves its number to the next. Committed
 * numbers are therefore gapless and commit in order, and a reader that sees number n has already seen every number
 * below it. `atMs` comes back later than the last one handed out, so decision times follow the sequence too (a clock
 * a little behind on one instance cannot slip a decision under a watermark the registry already set); a clock more
 * than a minute behind is taken as set back on purpose and followed.
 */
export async function nextExportSequence(tx: Tx, nowMs: number): Promise<{ seq: number; atMs: number }> {
  const counter = await getById<ExportCounterDoc>(tx, COLLECTIONS.counters, EXPORT_COUNTER_ID);
  const seq = (counter?.value ?? 0) + 1;
  const following = (counter?.lastAtMs ?? 0) + 1;
  const atMs = following > nowMs && following - nowMs <= MAX_CLOCK_SKEW_MS ? following : nowMs;
  await setById(tx, COLLECTIONS.counters, EXPORT_COUNTER_ID, { value: seq, lastAtMs: atMs });
  return { seq, atMs };
}
