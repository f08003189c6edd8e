/** A list the server answers a page at a time (`next` → `after`): the first page, then 加载更多 appends the next. */
import { useCallback, useState, type Dispatch, type SetStateAction } from 'react';
import { failureText } from './messages';

export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

export interface PagedList<T> {
  readonly items: readonly T[];
  /** For a row the screen changed itself (an approval answers the refund as it now stands). */
  readonly setItems: Dispatch<SetStateAction<readonly T[]>>;
  readonly next: string | null;
  readonly loading: boolean;
  readonly error: string | null;
  /** No cursor: the first page, replacing what is shown; a cursor: the page after it, appended. */
  readonly load: (after?: string) => void;
}

/** `fetchPage` must be memoised (useCallback) on what the list depends on: a new one starts the list again. */
export function usePagedList<T>(fetchPage: (after: string | undefined) => Promise<Page<T>>): PagedList<T> {
  const [items, setItems] = useState<readonly T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    (after?: string) => {
      setLoading(true);
      setError(null);
      fetchPage(after).then(
        (page) => {
          setItems((shown) => (after === undefined ? page.items : [...shown, ...page.items]));
          setNext(page.next);
          setLoading(false);
        },
        (e: unknown) => {
          setError(failureText(e));
          setLoading(false);
        },
      );
    },
    [fetchPage],
  );

  return { items, setItems, next, loading, error, load };
}
