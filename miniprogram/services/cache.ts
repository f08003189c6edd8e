/**
 * Answers a screen reads, kept on the phone for a minute: coming back to a page costs no call unless something
 * changed. The phone speaks for one WeChat account, so the cache is that user's. Any action that is not a known read
 * drops every kept answer (register, bind, unbind, approve, process, pay…), as does a pull-down.
 */
import type { ActionName, FunctionName } from '../domain/api';

const FRESH_MS = 60_000;

/** Actions that change nothing. Any other action may, so it drops every kept answer; payment.status is one of
 * those on purpose, since a payment lands outside any call of ours. */
const READS: { readonly [F in FunctionName]?: readonly ActionName<F>[] } = {
  user: ['home', 'profile', 'points', 'licence'],
  vehicle: ['list', 'screen', 'ownCars', 'listRequests'],
  violation: ['list', 'detail', 'decision', 'payments', 'receipt'],
  payment: ['list', 'receipt'],
};

interface Entry {
  readonly at: number;
  readonly answer: Promise<unknown>;
}

const entries = new Map<string, Entry>();

export function isRead(fn: FunctionName, action: string): boolean {
  const reads: readonly string[] | undefined = READS[fn];
  return reads !== undefined && reads.indexOf(action) >= 0;
}

/** `load`'s answer under `key` if one was asked for less than a minute ago; a failure is never kept. */
export function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const kept = entries.get(key);
  if (kept !== undefined && now - kept.at < FRESH_MS) return kept.answer as Promise<T>;
  const answer = load();
  entries.set(key, { at: now, answer });
  answer.catch(() => {
    if (entries.get(key)?.answer === answer) entries.delete(key);
  });
  return answer;
}

/** Drops every kept answer: the next read asks the cloud (a pull-down, a change, a payment WeChat took). */
export function forgetAnswers(): void {
  entries.clear();
}
