/** 加载更多 under a paged list: shown while the server has a next page. */
import { Button } from 'tdesign-react';
import type { PagedList } from './paged';

export function LoadMore({ list }: { list: Pick<PagedList<unknown>, 'next' | 'loading' | 'load'> }) {
  const { next, loading, load } = list;
  if (next === null) return null;
  return (
    <Button variant="outline" loading={loading} onClick={() => load(next)}>
      加载更多
    </Button>
  );
}
