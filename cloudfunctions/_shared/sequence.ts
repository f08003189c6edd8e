/**
 * Decision numbers and the police export's order.
 *
 * Decision sequence numbers, handed out from blocks: an instance reserves BLOCK numbers in one small transaction on
 * counters/decisionSeq and then serves them from memory (an instance runs one invocation at a time), outside the
 * processing transaction. Numbers are unique, not gapless: a block an instance
 * did not use up, or a batch that rolled back, leaves unused numbers.
 */
import { COLLECTIONS } from './collections';
import { getById, setById } from './db';
import { inTransaction } from './transaction';

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

/**
 * How long after a decision is stamped the police export may hand it out. A decision's export key is stamped inside
 * the transaction that creates it (or pays it) with that instance's clock; the transaction commits within the
 * function's time limit, and instance clocks agree to well under a second. So once this much time has passed, every
 * decision with an earlier key has committed, and a reader that walks keys in order and never reads past
 * now − EXPORT_SETTLE_MS misses nothing — without a counter every decision in the city would queue on.
 */
export const EXPORT_SETTLE_MS = 120_000;

const KEY_DIGITS = 15;

/**
 * A decision's position in the police export: its stamp in milliseconds, zero-padded so strings sort as numbers,
 * then its id so equal stamps keep one order. Set when decided, set again when paid (it is exported once more).
 */
export function exportKey(atMs: number, decisionId: string): string {
  return `${stamp(atMs)}_${decisionId}`;
}

/** Every key at or below this one has settled at `nowMs` (ids never reach U+FFFF). */
export function settledExportKey(nowMs: number): string {
  return `${stamp(nowMs - EXPORT_SETTLE_MS)}_\uffff`;
}

function stamp(ms: number): string {
  return String(Math.max(0, Math.floor(ms))).padStart(KEY_DIGITS, '0');
}
