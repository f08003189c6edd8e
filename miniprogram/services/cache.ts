/** Read answers kept on the phone (one user's) for a minute; any other action, a payment or a pull-down drops them. */
import type { ActionName, FunctionName } from '../domain/api';

const FRESH_MS = 60_000;

// payment.status is left out on purpose: a payment lands outside any call of ours, so polling drops the answers
const READS: { readonly [F in FunctionName]?: readonly ActionName<F>[] } = {
  user: ['home', 'profile', 'points', 'licence'],
  vehicle: ['list', 'screen', 'ownCars', 'listRequests'],
  violation: ['list', 'detail', 'decision', 'payments', 'receipt'],
  payment: ['list', 'receipt'],
};

const entries = new Map<string, { at: number; answer: Promise<unknown> }>();

export function isRead(fn: FunctionName, action: string): boolean {
  const reads: readonly string[] = READS[fn] ?? [];
  return reads.indexOf(action) >= 0;
}

/** `load`'s answer under `key` if asked for less than a minute ago; a failure is never kept. */
export function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const kept = entries.get(key);
  if (kept && now - kept.at < FRESH_MS) return kept.answer as Promise<T>;
  const answer = load();
  entries.set(key, { at: now, answer });
  answer.catch(() => {
    if (entries.get(key)?.answer === answer) entries.delete(key);
  });
  return answer;
}

export function forgetAnswers(): void {
  entries.clear();
}
