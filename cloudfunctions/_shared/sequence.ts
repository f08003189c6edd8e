/**
 * Decision sequence numbers, handed out from blocks: an instance reserves BLOCK numbers in one small transaction on
 * counters/decisionSeq and then serves them from memory (an instance runs one invocation at a time). Processing
 * transactions therefore never contend on a shared counter. Numbers are unique, not gapless: a block an instance
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
