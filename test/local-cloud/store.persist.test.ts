/** Persistence: close/open keeps everything, acknowledged writes survive kill -9, declared indexes follow the index file. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as esbuild from 'esbuild';
import { openStore, StoreError } from '../../scripts/local-cloud/store/index';
import type { IndexFile } from '../../scripts/local-cloud/store/index';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'store-persist-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const INDEXES: IndexFile = {
  collections: { cars: { indexes: [{ name: 'plate', keys: { plate: 1 }, unique: true }] } },
};

test('close and open on the same directory keeps documents, dates, versions and indexes', () => {
  const s1 = openStore({ dir, indexes: INDEXES });
  s1.insert('cars', [{ _id: 'a', plate: 'P1', at: new Date('2024-01-02T03:04:05.678Z'), n: 1 }]);
  s1.update('cars', { _id: 'a' }, { $inc: { n: 1 } }, { multi: false, upsert: false, replace: false });
  const tx = s1.beginTransaction();
  s1.update('cars', { _id: 'a' }, { $inc: { n: 10 } }, { multi: false, upsert: false, replace: false }, tx);
  s1.close(); // an open transaction is dropped, not committed
  expect(() => s1.stats()).toThrow(StoreError);

  const s2 = openStore({ dir, indexes: INDEXES });
  expect(s2.find('cars', {})).toEqual([{ _id: 'a', plate: 'P1', at: new Date('2024-01-02T03:04:05.678Z'), n: 2 }]);
  expect(s2.explain('cars', { plate: 'P1' }).queryPlan.join(' ')).toMatch(/ix:cars:plate/);
  expect(() => s2.insert('cars', [{ plate: 'P1' }])).toThrow(/unique index plate/);
  // Versions continue from where they were: a transaction racing a post-restart write still conflicts.
  const t = s2.beginTransaction();
  s2.update('cars', { _id: 'a' }, { $set: { n: 5 } }, { multi: false, upsert: false, replace: false }, t);
  s2.update('cars', { _id: 'a' }, { $set: { n: 6 } }, { multi: false, upsert: false, replace: false });
  expect(() => s2.commit(t)).toThrow(/conflict/);
  s2.close();

  const raw = new Database(path.join(dir, 'cloud.db'), { readonly: true });
  expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
  const row = raw.prepare('SELECT id, v, doc FROM cars').get() as { id: string; v: number; doc: string };
  expect(row.id).toBe('a');
  expect(JSON.parse(row.doc)).toEqual({ _id: 'a', plate: 'P1', at: { $date: '2024-01-02T03:04:05.678Z' }, n: 6 });
  raw.close();
});

test('an acknowledged write survives kill -9 of the process', async () => {
  const bundle = path.join(dir, 'store.cjs');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'scripts/local-cloud/store/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile: bundle,
    logLevel: 'silent',
  });
  const child = path.join(dir, 'child.cjs');
  writeFileSync(
    child,
    `const { openStore } = require(${JSON.stringify(bundle)});
     const s = openStore({ dir: ${JSON.stringify(path.join(dir, 'data'))}, indexes: { collections: {} } });
     s.insert('acks', [{ _id: 'one', n: 1 }]);
     const tx = s.beginTransaction();
     s.update('acks', { _id: 'one' }, { $inc: { n: 1 } }, { multi: false, upsert: false, replace: false }, tx);
     s.insert('acks', [{ _id: 'two' }], tx);
     s.commit(tx);
     s.insert('acks', Array.from({ length: 1000 }, (_, i) => ({ _id: 'bulk' + i })));
     process.stdout.write('acked\\n');
     process.kill(process.pid, 'SIGKILL');`,
  );
  const r = spawnSync(process.execPath, [child], {
    env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    encoding: 'utf8',
  });
  expect(r.signal).toBe('SIGKILL');
  expect(r.stdout).toBe('acked\n');
  const s = openStore({ dir: path.join(dir, 'data'), indexes: { collections: {} } });
  expect(s.find('acks', { _id: { $in: ['one', 'two'] } }, { sort: { _id: 1 } })).toEqual([
    { _id: 'one', n: 2 },
    { _id: 'two' },
  ]);
  expect(s.count('acks', {})).toBe(1002);
  s.close();
});

test('indexes follow the declaration at open: added, changed, dropped; arrays already stored are detected', () => {
  const s1 = openStore({ dir, indexes: { collections: {} } });
  s1.insert('v', [
    { _id: '1', plate: 'A', tags: ['x'], owner: { id: 1 } },
    { _id: '2', plate: 'A', tags: 'y', owner: { id: 2 } },
  ]);
  s1.close();

  const s2 = openStore({
    dir,
    indexes: {
      collections: {
        v: {
          indexes: [
            { name: 'plate', keys: { plate: 1 } },
            { name: 'tags', keys: { tags: 1 } },
            { name: 'owner', keys: { 'owner.id': 1 } },
          ],
        },
      },
    },
  });
  expect(s2.explain('v', { plate: 'A' }).index).toBe('plate');
  expect(s2.explain('v', { 'owner.id': 1 }).index).toBe('owner');
  expect(s2.explain('v', { tags: 'x' }).index).toBeNull(); // an array was already stored under tags
  expect(s2.find('v', { tags: 'x' }).map((d) => d._id)).toEqual(['1']);
  s2.close();

  const s3 = openStore({
    dir,
    indexes: { collections: { v: { indexes: [{ name: 'plate', keys: { plate: -1, 'owner.id': 1 } }] } } },
  });
  const idx = new Database(path.join(dir, 'cloud.db'), { readonly: true })
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'v' AND name LIKE 'ix:%'")
    .all() as { name: string; sql: string }[];
  expect(idx.map((i) => i.name)).toEqual(['ix:v:plate']);
  expect(idx[0]?.sql).toContain("doc->>'$.plate' DESC, doc->>'$.owner.id'");
  expect(s3.explain('v', { plate: 'A', 'owner.id': 2 }).queryPlan.join(' ')).toMatch(/ix:v:plate/);
  s3.close();

  expect(() =>
    openStore({ dir, indexes: { collections: { v: { indexes: [{ name: 'u', keys: { plate: 1 }, unique: true }] } } } }),
  ).toThrow(/cannot create unique index u on v/);
});

test('malformed index declarations are refused at open', () => {
  expect(() =>
    openStore({ dir, indexes: { collections: { bad: { indexes: [{ name: 'x', keys: { $x: 1 } }] } } } }),
  ).toThrow(/index key '\$x'/);
  expect(() =>
    openStore({ dir, indexes: { collections: { bad: { indexes: [{ name: 'y', keys: { a: 2 as 1 } }] } } } }),
  ).toThrow(/direction/);
  expect(() => openStore({ dir, indexes: { collections: { bad: { indexes: [{ name: 'z', keys: {} }] } } } })).toThrow(
    /no keys/,
  );
  expect(() => openStore({ dir, indexes: { collections: { sqlite_x: { indexes: [] } } } })).toThrow(/reserved/);
});
