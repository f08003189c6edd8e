// A snapshot held across every commit once kept SQLite from ever restarting the WAL (30 GB while seeding Nanning):
// transactional writes must leave the WAL bounded, as plain writes do.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../scripts/local-cloud/store/index';

describe('the WAL stays bounded under transactional writes', () => {
  it('100 transactions of 500 documents leave a WAL of a few MB', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'store-wal-'));
    const store = openStore({ dir, indexes: { collections: {} } });
    try {
      for (let batch = 0; batch < 100; batch += 1) {
        const tx = store.beginTransaction();
        store.insert(
          'c',
          Array.from({ length: 500 }, (_, i) => ({ _id: `d${batch}-${i}`, text: 'x'.repeat(300) })),
          tx,
        );
        store.commit(tx);
      }
      // ~20 MB of documents went through the WAL; unbounded growth would leave all of it there.
      expect(statSync(path.join(dir, 'cloud.db-wal')).size).toBeLessThan(8 * 1024 * 1024);
      expect(store.count('c', {})).toBe(50_000);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
