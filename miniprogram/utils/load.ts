/** A page's main load, guarded: one at a time per page instance, the flag off `data`, a failure shown as `loadError`. */
import { instanceState } from './instance-state';
import { loadFailure } from './load-failure';

/** What every loading page renders: the spinner and the sentence beside "重新加载". */
interface LoadData {
  loading: boolean;
  loadError: string;
}

/** The instance as the helper sees it: `data` is there so that patches are checked against the page's own keys. */
interface LoadingPage<D> {
  readonly data: D;
  setData(patch: Partial<D>): void;
}

export interface LoadOptions<D> {
  /** Set once the load is under way (not when one already is), e.g. `{ loading: true, loadError: '' }`. */
  readonly start?: NoInfer<Partial<D>>;
}

export interface MappedLoadOptions<D> extends LoadOptions<D> {
  /** What a failure shows besides `loading: false`, for a page without "去实名认证" or with failures of its own. */
  readonly failure: (error: unknown) => NoInfer<Partial<D>>;
}

// one flag per page instance: a second call while a load is under way is dropped, as a double tap on 重新加载 should be
const inFlight = instanceState(() => ({ loading: false }));

/** A page that renders `needsVerify` gets loadFailure's mapping by default. */
export function loadOnce<D extends LoadData & { needsVerify: boolean }>(
  page: LoadingPage<D>,
  work: () => Promise<void>,
  options?: LoadOptions<D>,
): Promise<void>;
/** A page without `needsVerify` says how its failures show, so no key is set that its template does not use. */
export function loadOnce<D extends LoadData>(
  page: LoadingPage<D>,
  work: () => Promise<void>,
  options: MappedLoadOptions<D>,
): Promise<void>;
export async function loadOnce(
  page: LoadingPage<LoadData>,
  work: () => Promise<void>,
  options: LoadOptions<LoadData> & { readonly failure?: (error: unknown) => Partial<LoadData> } = {},
): Promise<void> {
  const flag = inFlight(page);
  if (flag.loading) return;
  flag.loading = true;
  if (options.start !== undefined) page.setData(options.start);
  try {
    // success is the work's own setData: the page's result and `loading: false` reach the view in one go
    await work();
  } catch (error: unknown) {
    page.setData({ loading: false, ...(options.failure ?? loadFailure)(error) });
  } finally {
    flag.loading = false;
  }
}
