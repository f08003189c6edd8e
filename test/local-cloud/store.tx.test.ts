/** Transactions: snapshot reads, read-your-writes, first writer wins, commit-time version checks, timeouts, the pool bound. */
import { openStore, StoreError } from '../../scripts/local-cloud/store/index';
import type { LocalStore, UpdateOptions } from '../../scripts/local-cloud/store/index';

const ONE: UpdateOptions = { multi: false, upsert: false, replace: false };
const MANY: UpdateOptions = { multi: true, upsert: false, replace: false };

let store: LocalStore;
beforeEach(() => {
  store = openStore({
    dir: ':memory:',
    indexes: { collections: { users: { indexes: [{ name: 'openid', keys: { openid: 1 }, unique: true }] } } },
  });
  store.insert('counters', [{ _id: 'c', n: 0 }]);
  store.insert('users', [
    { _id: 'u1', openid: 'o1', name: 'a', group: 1 },
    { _id: 'u2', openid: 'o2', name: 'b', group: 1 },
    { _id: 'u3', openid: 'o3', name: 'c', group: 2 },
  ]);
});
afterEach(() => store.close());

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StoreError) return e;
    throw e;
  }
  throw new Error('expected a StoreError');
}

const names = (tx?: string): string[] =>
  store.find('users', {}, { sort: { _id: 1 } }, tx).map((d) => String(d['name']));

test('reads in a transaction see the snapshot taken at begin', () => {
  const tx = store.beginTransaction();
  store.insert('users', [{ _id: 'u4', openid: 'o4', name: 'd', group: 1 }]);
  store.update('users', { _id: 'u1' }, { $set: { name: 'A' } }, ONE);
  store.remove('users', { _id: 'u3' }, { multi: false });
  store.insert('fresh', [{ _id: 'f' }]); // a collection created after the snapshot
  expect(names()).toEqual(['A', 'b', 'd']);
  expect(names(tx)).toEqual(['a', 'b', 'c']);
  expect(store.find('users', { _id: 'u1' }, {}, tx)[0]?.['name']).toBe('a');
  expect(store.count('users', { group: 1 }, tx)).toBe(2);
  expect(store.count('users', {}, tx)).toBe(3);
  expect(store.find('fresh', {}, {}, tx)).toEqual([]);
  store.abort(tx);
});

test('a transaction reads its own inserts, updates and removes (by _id and by filter)', () => {
  const tx = store.beginTransaction();
  store.insert('users', [{ _id: 'u9', openid: 'o9', name: 'z', group: 1 }], tx);
  expect(store.update('users', { group: 1 }, { $set: { seen: true } }, MANY, tx)).toEqual({ matched: 3, updated: 3 });
  expect(store.remove('users', { _id: 'u2' }, { multi: false }, tx)).toBe(1);
  expect(store.update('users', { _id: 'u9' }, { $set: { name: 'zz' } }, ONE, tx)).toEqual({ matched: 1, updated: 1 });
  expect(names(tx)).toEqual(['a', 'c', 'zz']);
  expect(store.find('users', { seen: true }, { sort: { _id: 1 } }, tx).map((d) => d._id)).toEqual(['u1', 'u9']);
  expect(store.find('users', { _id: 'u2' }, {}, tx)).toEqual([]);
  expect(store.find('users', { _id: 'u9' }, {}, tx)[0]).toEqual({
    _id: 'u9',
    openid: 'o9',
    name: 'zz',
    group: 1,
    seen: true,
  });
  expect(store.count('users', {}, tx)).toBe(3);
  expect(store.count('users', { group: 1 }, tx)).toBe(2);
  // Nothing is visible outside until commit.
  expect(names()).toEqual(['a', 'b', 'c']);
  store.commit(tx);
  expect(names()).toEqual(['a', 'c', 'zz']);
  expect(store.count('users', { seen: true })).toBe(2);
});

test('abort discards every buffered write; finished ids answer TRANSACTION_NOT_FOUND', () => {
  const tx = store.beginTransaction();
  store.insert('users', [{ openid: 'o5', name: 'e' }], tx);
  store.remove('users', {}, { multi: true }, tx);
  expect(store.count('users', {}, tx)).toBe(0);
  store.abort(tx);
  expect(names()).toEqual(['a', 'b', 'c']);
  expect(storeError(() => store.commit(tx)).code).toBe('TRANSACTION_NOT_FOUND');
  expect(storeError(() => store.find('users', {}, {}, tx)).code).toBe('TRANSACTION_NOT_FOUND');
  expect(storeError(() => store.abort('no-such-tx')).code).toBe('TRANSACTION_NOT_FOUND');
  const done = store.beginTransaction();
  store.commit(done);
  expect(storeError(() => store.insert('users', [{}], done)).message).toMatch(/committed/);
  expect(store.stats().openTransactions).toBe(0);
});

test('writing a document another open transaction wrote fails at once (first writer wins)', () => {
  const t1 = store.beginTransaction();
  const t2 = store.beginTransaction();
  store.update('users', { _id: 'u1' }, { $set: { name: 't1' } }, ONE, t1);
  const e = storeError(() => store.update('users', { _id: 'u1' }, { $set: { name: 't2' } }, ONE, t2));
  expect(e.code).toBe('TRANSACTION_CONFLICT');
  expect(e.message).toMatch(/u1/);
  // As in MongoDB the losing transaction is aborted; the winner commits.
  expect(storeError(() => store.commit(t2)).code).toBe('TRANSACTION_NOT_FOUND');
  store.commit(t1);
  expect(names()).toEqual(['t1', 'b', 'c']);
  // Inserting the same new _id from two transactions conflicts too; removes count as writes.
  const t3 = store.beginTransaction();
  const t4 = store.beginTransaction();
  store.insert('users', [{ _id: 'new', openid: 'n' }], t3);
  expect(storeError(() => store.insert('users', [{ _id: 'new', openid: 'm' }], t4)).code).toBe('TRANSACTION_CONFLICT');
  const t5 = store.beginTransaction();
  store.remove('users', { _id: 'u2' }, { multi: false }, t3);
  expect(storeError(() => store.update('users', { group: 1 }, { $set: { x: 1 } }, MANY, t5)).code).toBe(
    'TRANSACTION_CONFLICT',
  );
  store.commit(t3);
  expect(store.count('users', {})).toBe(3);
});

test('a document changed by a committed write after the snapshot cannot be written by the transaction', () => {
  const tx = store.beginTransaction();
  store.update('counters', { _id: 'c' }, { $inc: { n: 1 } }, ONE);
  expect(storeError(() => store.update('counters', { _id: 'c' }, { $inc: { n: 1 } }, ONE, tx)).code).toBe(
    'TRANSACTION_CONFLICT',
  );
  expect(store.find('counters', {})[0]?.['n']).toBe(1);
});

test('commit fails with TRANSACTION_CONFLICT and applies nothing when a written document changed meanwhile', () => {
  const tx = store.beginTransaction();
  store.insert('audit', [{ _id: 'log1' }], tx);
  store.update('users', { _id: 'u2' }, { $set: { name: 'tx' } }, ONE, tx);
  store.update('counters', { _id: 'c' }, { $set: { n: 100 } }, ONE, tx);
  store.update('counters', { _id: 'c' }, { $inc: { n: 1 } }, ONE); // concurrent non-transactional write
  const e = storeError(() => store.commit(tx));
  expect(e.code).toBe('TRANSACTION_CONFLICT');
  expect(e.message).toMatch(/\bc\b/);
  expect(store.find('counters', {})[0]?.['n']).toBe(1);
  expect(names()).toEqual(['a', 'b', 'c']);
  expect(store.count('audit', {})).toBe(0);
  expect(storeError(() => store.abort(tx)).code).toBe('TRANSACTION_NOT_FOUND');
});

test('a remove and re-insert of a document the transaction wrote is seen at commit (versions never repeat)', () => {
  const tx = store.beginTransaction();
  store.update('users', { _id: 'u3' }, { $set: { name: 'tx' } }, ONE, tx);
  store.remove('users', { _id: 'u3' }, { multi: false });
  store.insert('users', [{ _id: 'u3', openid: 'o3', name: 'again' }]);
  expect(storeError(() => store.commit(tx)).code).toBe('TRANSACTION_CONFLICT');
  expect(names()).toEqual(['a', 'b', 'again']);
});

test('interleaved read-increment-write transactions never lose an increment', () => {
  // 12 clients step through begin / read / write / commit in a shuffled order and retry on conflict.
  type Client = { step: number; tx?: string; seen?: number; commits: number; conflicts: number };
  const clients: Client[] = Array.from({ length: 12 }, () => ({ step: 0, commits: 0, conflicts: 0 }));
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  let guard = 0;
  while (clients.some((c) => c.commits === 0) && guard++ < 10_000) {
    const pending = clients.filter((c) => c.commits === 0);
    const c = pending[rand(pending.length)] as Client;
    try {
      if (c.step === 0) {
        c.tx = store.beginTransaction();
        c.step = 1;
      } else if (c.step === 1) {
        c.seen = Number(store.find('counters', { _id: 'c' }, {}, c.tx)[0]?.['n']);
        c.step = 2;
      } else if (c.step === 2) {
        store.update('counters', { _id: 'c' }, { $set: { n: (c.seen ?? 0) + 1 } }, ONE, c.tx);
        c.step = 3;
      } else {
        store.commit(c.tx as string);
        c.commits++;
      }
    } catch (e) {
      if (!(e instanceof StoreError) || e.code !== 'TRANSACTION_CONFLICT') throw e;
      c.conflicts++;
      c.step = 0; // the store already aborted it: start over
    }
  }
  expect(clients.every((c) => c.commits === 1)).toBe(true);
  expect(clients.reduce((s, c) => s + c.conflicts, 0)).toBeGreaterThan(0);
  expect(store.find('counters', { _id: 'c' })[0]?.['n']).toBe(12);
  expect(store.stats().openTransactions).toBe(0);
});

test('duplicates inside a transaction: existing _id, own writes, unique indexes', () => {
  const tx = store.beginTransaction();
  expect(storeError(() => store.insert('users', [{ _id: 'u1' }], tx)).code).toBe('DUPLICATE_KEY');
  expect(storeError(() => store.insert('users', [{ openid: 'o2' }], tx)).code).toBe('DUPLICATE_KEY');
  store.insert('users', [{ _id: 'n1', openid: 'new' }], tx);
  expect(storeError(() => store.insert('users', [{ _id: 'n2', openid: 'new' }], tx)).message).toMatch(/openid/);
  expect(
    storeError(() =>
      store.insert(
        'users',
        [
          { _id: 'n3', openid: 'x' },
          { _id: 'n4', openid: 'x' },
        ],
        tx,
      ),
    ).code,
  ).toBe('DUPLICATE_KEY');
  // Moving a unique value: free it on one document, take it on another.
  store.update('users', { _id: 'u1' }, { $set: { openid: 'moved' } }, ONE, tx);
  store.update('users', { _id: 'u2' }, { $set: { openid: 'o1' } }, ONE, tx);
  store.remove('users', { _id: 'n1' }, { multi: false }, tx);
  store.insert('users', [{ _id: 'n1', openid: 'back' }], tx);
  store.commit(tx);
  expect(store.find('users', {}, { sort: { _id: 1 } }).map((d) => d['openid'])).toEqual(['back', 'moved', 'o1', 'o3']);
});

test('a unique key taken by a concurrent write fails the commit with DUPLICATE_KEY and applies nothing', () => {
  const tx = store.beginTransaction();
  store.update('counters', { _id: 'c' }, { $inc: { n: 1 } }, ONE, tx);
  store.insert('users', [{ _id: 'late', openid: 'race' }], tx);
  store.insert('users', [{ _id: 'early', openid: 'race' }]);
  expect(storeError(() => store.commit(tx)).code).toBe('DUPLICATE_KEY');
  expect(store.find('counters', {})[0]?.['n']).toBe(0);
  expect(store.count('users', { openid: 'race' })).toBe(1);
  expect(store.stats().openTransactions).toBe(0);
});

test('upsert and replace inside a transaction', () => {
  const tx = store.beginTransaction();
  const r = store.update(
    'counters',
    { _id: 'k' },
    { $inc: { n: 5 } },
    { multi: false, upsert: true, replace: false },
    tx,
  );
  expect(r).toEqual({ matched: 0, updated: 0, upsertedId: 'k' });
  store.update('counters', { _id: 'k' }, { n: 7, note: 'x' }, { multi: false, upsert: false, replace: true }, tx);
  expect(store.find('counters', { _id: 'k' }, {}, tx)).toEqual([{ _id: 'k', n: 7, note: 'x' }]);
  expect(store.find('counters', { _id: 'k' })).toEqual([]);
  store.commit(tx);
  expect(store.find('counters', { _id: 'k' })).toEqual([{ _id: 'k', n: 7, note: 'x' }]);
});

test('a transaction left open past the timeout is aborted and releases its connection', async () => {
  store.close();
  store = openStore({ dir: ':memory:', indexes: { collections: {} }, transactionTimeoutMs: 60 });
  store.insert('c', [{ _id: 'x', n: 1 }]);
  const tx = store.beginTransaction();
  store.update('c', { _id: 'x' }, { $set: { n: 2 } }, ONE, tx);
  await new Promise((r) => setTimeout(r, 150));
  expect(store.stats().openTransactions).toBe(0);
  const e = storeError(() => store.commit(tx));
  expect(e.code).toBe('TRANSACTION_NOT_FOUND');
  expect(e.message).toMatch(/timed out/);
  // Its lock is gone: another transaction may write the document. That one has 60 ms too, which a busy machine may
  // spend between two statements: only its own time-out is tried again, a lock held still fails the test.
  for (let attempt = 1; ; attempt += 1) {
    const t2 = store.beginTransaction();
    try {
      store.update('c', { _id: 'x' }, { $set: { n: 3 } }, ONE, t2);
      store.commit(t2);
      break;
    } catch (error) {
      if (!(error instanceof StoreError && /timed out/.test(error.message)) || attempt >= 20) throw error;
    }
  }
  expect(store.find('c', {})[0]?.['n']).toBe(3);
});

test('the snapshot pool is bounded and reused', () => {
  store.close();
  store = openStore({ dir: ':memory:', indexes: { collections: {} }, maxOpenTransactions: 3 });
  const open = [store.beginTransaction(), store.beginTransaction(), store.beginTransaction()];
  expect(storeError(() => store.beginTransaction()).code).toBe('TOO_MANY_TRANSACTIONS');
  store.abort(open[0] as string);
  for (let i = 0; i < 20; i++) store.commit(store.beginTransaction()); // the freed connection is reused
  expect(store.stats().openTransactions).toBe(2);
});
