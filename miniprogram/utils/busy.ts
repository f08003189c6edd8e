/** A tapped action, guarded: one at a time per page instance and key, the flag off `data`, a failure shown. */
import { instanceState } from './instance-state';

/** The instance as the helper sees it: `data` is there so that patches are checked against the page's own keys. */
interface BusyPage<D> {
  readonly data: D;
  setData(patch: Partial<D>): void;
}

export interface BusyOptions<D> {
  /** Set once the action is under way (not when one already is), e.g. `{ submitting: true, notice: '' }`. */
  readonly start?: Partial<D>;
  /** What a failure shows, e.g. `{ notice: errorMessage(error) }`; without it the failure rejects to the caller. */
  readonly failure?: (error: unknown) => Partial<D>;
  /** Set however the action ends, e.g. `{ submitting: false }`; none where the page's own patches turn it off. */
  readonly end?: Partial<D>;
}

// the keys under way per page instance: a second tap while one runs is dropped, as a double tap on a button should be
const running = instanceState(() => new Set<string>());

/** Whether the action `key` is under way: for a handler whose own checks must not run during it, or another's. */
export function isBusy(page: object, key: string): boolean {
  return running(page).has(key);
}

/**
 * Runs `work` unless the action `key` is already under way on this page. Resolves true once the work has succeeded,
 * false when it was dropped or failed (the failure shown): a reload that must wait until the action is over follows it.
 */
export async function busyAction<D>(
  page: BusyPage<D>,
  key: string,
  work: () => Promise<void>,
  // NoInfer on the whole: the page alone says what D is, and a failure's literals (a notice theme) keep their type
  options: NoInfer<BusyOptions<D>> = {},
): Promise<boolean> {
  const keys = running(page);
  if (keys.has(key)) return false;
  keys.add(key);
  if (options.start !== undefined) page.setData(options.start);
  try {
    // nothing is awaited before the work starts: a WeChat panel it opens is still inside the user's tap
    await work();
    return true;
  } catch (error: unknown) {
    if (options.failure === undefined) throw error;
    page.setData(options.failure(error));
    return false;
  } finally {
    keys.delete(key);
    if (options.end !== undefined) page.setData(options.end);
  }
}
