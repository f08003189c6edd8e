import type { ImportResult } from '../../cloudfunctions/_shared/police/contract';
import { ImportRun, type ImportProgress } from '../../console/src/imports/batcher';
import type { LineRow } from '../../console/src/imports/convert';
import { issuesCsv } from '../../console/src/imports/report';

interface Row {
  readonly id: string;
}

/** Rows as convertRows gives them: file rows 2, 3, … */
function rows(count: number): LineRow<Row>[] {
  return Array.from({ length: count }, (_, i) => ({ line: i + 2, row: { id: `R${i}` } }));
}

/** A clock that moves only when told. */
function clock() {
  let ms = 1_000_000;
  return { now: () => ms, advance: (d: number) => (ms += d) };
}

/** The server's answer to a batch: every row inserted, unless its id is listed as refused. */
function answer(batch: readonly Row[], refused: readonly string[] = []): ImportResult {
  const errors = batch
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => refused.includes(r.id))
    .map(({ i }) => ({
      row: i,
      code: 'INVALID_ARGUMENT' as const,
      message: '罚款金额不正确。',
      field: `rows[${i}].fine`,
    }));
  return { inserted: batch.length - errors.length, updated: 0, errors };
}

describe('ImportRun', () => {
  it('sends batches of the server limit, one at a time, with rate and time left', async () => {
    const time = clock();
    const sizes: number[] = [];
    let inFlight = 0;
    const seen: ImportProgress[] = [];
    const run = new ImportRun(
      rows(2500),
      async (batch) => {
        inFlight += 1;
        expect(inFlight).toBe(1);
        sizes.push(batch.length);
        await Promise.resolve();
        time.advance(500);
        inFlight -= 1;
        return answer(batch);
      },
      { now: time.now, onProgress: (p) => seen.push(p) },
    );
    expect(run.progress()).toMatchObject({ state: 'ready', rowsTotal: 2500, batchesTotal: 3, rowsPerSecond: null });
    const end = await run.run();
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(end).toMatchObject({
      state: 'done',
      rowsDone: 2500,
      batchesDone: 3,
      inserted: 2500,
      updated: 0,
      issues: [],
    });
    // 2500 rows in 1.5 s of sending
    expect(end.rowsPerSecond).toBeCloseTo(2500 / 1.5);
    expect(end.secondsLeft).toBe(0);
    const afterFirst = seen.find((p) => p.batchesDone === 1);
    expect(afterFirst?.rowsPerSecond).toBe(2000);
    expect(afterFirst?.secondsLeft).toBe(0.75);
  });

  it('puts the server’s refusals on the file’s row numbers and fields', async () => {
    const run = new ImportRun(rows(1500), (batch) => Promise.resolve(answer(batch, ['R3', 'R1200'])), {
      now: clock().now,
    });
    const end = await run.run();
    expect(end.inserted).toBe(1498);
    expect(end.issues).toEqual([
      { line: 5, field: 'fine', code: 'INVALID_ARGUMENT', message: '罚款金额不正确。' },
      { line: 1202, field: 'fine', code: 'INVALID_ARGUMENT', message: '罚款金额不正确。' },
    ]);
  });

  it('cancels the batch in flight and resumes from the first unanswered batch', async () => {
    const sent: string[] = [];
    let release: (() => void) | null = null;
    const run = new ImportRun(
      rows(2500),
      (batch, signal) => {
        sent.push(batch[0]?.id ?? '');
        // the second batch hangs until cancelled, as a slow network would
        if (sent.length === 2)
          return new Promise<ImportResult>((_, reject) => {
            release = () => reject(new Error('aborted'));
            signal.addEventListener('abort', () => release?.());
          });
        return Promise.resolve(answer(batch));
      },
      { now: clock().now },
    );
    const first = run.run();
    await new Promise((r) => setTimeout(r, 0));
    expect(run.progress().state).toBe('running');
    run.cancel();
    const stopped = await first;
    expect(stopped).toMatchObject({ state: 'cancelled', batchesDone: 1, rowsDone: 1000 });
    const end = await run.run();
    expect(end).toMatchObject({ state: 'done', batchesDone: 3, rowsDone: 2500, inserted: 2500 });
    // the cancelled batch went again; nothing before it did
    expect(sent).toEqual(['R0', 'R1000', 'R1000', 'R2000']);
  });

  it('stops on a failed batch, keeps the error, and resumes with that batch', async () => {
    let calls = 0;
    const failure = new Error('网络不通');
    const run = new ImportRun(
      rows(3000),
      (batch) => {
        calls += 1;
        return calls === 2 ? Promise.reject(failure) : Promise.resolve(answer(batch));
      },
      { now: clock().now },
    );
    const stopped = await run.run();
    expect(stopped).toMatchObject({ state: 'failed', batchesDone: 1, failure });
    const end = await run.run();
    expect(end).toMatchObject({ state: 'done', batchesDone: 3, failure: null });
    expect(calls).toBe(4);
    // a finished run sends nothing more
    await run.run();
    expect(calls).toBe(4);
  });

  it('ignores a stray answer that arrives after cancel, and a second start while running', async () => {
    let calls = 0;
    const run = new ImportRun(
      rows(10),
      (batch) => {
        calls += 1;
        return new Promise((resolve) => setTimeout(() => resolve(answer(batch)), 5));
      },
      { batchSize: 5, now: clock().now },
    );
    const first = run.run();
    const second = await run.run();
    expect(second.state).toBe('running');
    run.cancel();
    expect((await first).state).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 10));
    expect(run.progress()).toMatchObject({ state: 'cancelled', batchesDone: 0 });
    expect(calls).toBe(1);
  });

  it('takes batch sizes from 1 to the server limit only, and has nothing to do without rows', async () => {
    const send = (batch: readonly Row[]) => Promise.resolve(answer(batch));
    expect(() => new ImportRun(rows(1), send, { batchSize: 0 })).toThrow(RangeError);
    expect(() => new ImportRun(rows(1), send, { batchSize: 1001 })).toThrow(RangeError);
    expect(new ImportRun(rows(1001), send, { batchSize: 1000 }).progress().batchesTotal).toBe(2);
    expect(new ImportRun(rows(1000), send).progress().batchesTotal).toBe(1);
    expect(new ImportRun(rows(3), send, { batchSize: 1 }).progress().batchesTotal).toBe(3);
    const empty = new ImportRun(rows(0), send);
    expect(empty.progress()).toMatchObject({ state: 'done', rowsTotal: 0, batchesTotal: 0 });
    expect((await empty.run()).state).toBe('done');
  });
});

describe('the error report', () => {
  it('is UTF-8 CSV with a BOM, in file order, fields named by their headers', () => {
    const csv = issuesCsv(
      [
        { line: 12, field: 'fine', code: 'INVALID_ARGUMENT', message: '罚款金额不正确。' },
        { line: 3, code: 'INVALID_ARGUMENT', message: '与第 2 行是同一条记录，本行未导入。' },
        { line: 7, field: 'place', code: 'INVALID_ARGUMENT', message: '含逗号, 和"引号"' },
      ],
      (key) => ({ fine: '罚款金额（分）', place: '违法地点' })[key] ?? key,
    );
    expect(csv).toBe(
      '\uFEFF行号,字段,错误代码,说明\r\n' +
        '3,,INVALID_ARGUMENT,与第 2 行是同一条记录，本行未导入。\r\n' +
        '7,违法地点,INVALID_ARGUMENT,"含逗号, 和""引号"""\r\n' +
        '12,罚款金额（分）,INVALID_ARGUMENT,罚款金额不正确。\r\n',
    );
  });
});
