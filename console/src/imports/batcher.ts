/**
 * Sends an import's rows in batches of the server's largest (MAX_IMPORT_ROWS), one batch at a time, with progress,
 * cancel and resume. Imports are upserts by the registry's key, so a batch sent again (one cancelled in flight, one
 * whose answer was lost) changes nothing twice: resuming simply starts again at the first batch not answered.
 */
import { MAX_IMPORT_ROWS, type ImportResult } from '../../../cloudfunctions/_shared/police/contract';
import type { LineRow, RowIssue } from './convert';

export type SendBatch<Row> = (rows: readonly Row[], signal: AbortSignal) => Promise<ImportResult>;

/** ready: nothing sent yet; cancelled and failed may be resumed; done: every batch answered. */
export type RunState = 'ready' | 'running' | 'cancelled' | 'failed' | 'done';

export interface ImportProgress {
  readonly state: RunState;
  readonly rowsTotal: number;
  /** Rows of the answered batches (the refused ones among them included). */
  readonly rowsDone: number;
  readonly batchesTotal: number;
  readonly batchesDone: number;
  readonly inserted: number;
  readonly updated: number;
  /** Measured over the time spent sending; null until a batch is answered. */
  readonly rowsPerSecond: number | null;
  readonly secondsLeft: number | null;
  /** The rows the server refused, with their row numbers in the file. */
  readonly issues: readonly RowIssue[];
  /** What stopped a failed run (the client's error, for its sentence). */
  readonly failure: unknown;
}

export interface ImportRunOptions {
  readonly batchSize?: number;
  readonly now?: () => number;
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** `rows[3].fine` → `fine`; the batch's own path means nothing in the file. */
function rowField(field: string | undefined): string | undefined {
  if (field === undefined) return undefined;
  const rest = field.replace(/^rows\[\d+\]\.?/, '');
  return rest === '' ? undefined : rest;
}

export class ImportRun<Row> {
  private readonly batches: readonly (readonly LineRow<Row>[])[];
  private readonly send: SendBatch<Row>;
  private readonly now: () => number;
  private readonly onProgress: ((progress: ImportProgress) => void) | undefined;
  private state: RunState = 'ready';
  private next = 0;
  private rowsDone = 0;
  private inserted = 0;
  private updated = 0;
  private measuredRows = 0;
  private measuredMs = 0;
  private issues: RowIssue[] = [];
  private failure: unknown = null;
  private controller: AbortController | null = null;

  constructor(rows: readonly LineRow<Row>[], send: SendBatch<Row>, options: ImportRunOptions = {}) {
    const size = options.batchSize ?? MAX_IMPORT_ROWS;
    if (!Number.isInteger(size) || size < 1 || size > MAX_IMPORT_ROWS)
      throw new RangeError(`batchSize must be 1..${MAX_IMPORT_ROWS}`);
    const batches: LineRow<Row>[][] = [];
    for (let i = 0; i < rows.length; i += size) batches.push(rows.slice(i, i + size));
    this.batches = batches;
    this.send = send;
    this.now = options.now ?? Date.now;
    this.onProgress = options.onProgress;
    if (batches.length === 0) this.state = 'done';
  }

  progress(): ImportProgress {
    const rowsTotal = this.batches.reduce((n, b) => n + b.length, 0);
    const rate = this.measuredMs > 0 && this.measuredRows > 0 ? (this.measuredRows * 1000) / this.measuredMs : null;
    return {
      state: this.state,
      rowsTotal,
      rowsDone: this.rowsDone,
      batchesTotal: this.batches.length,
      batchesDone: this.next,
      inserted: this.inserted,
      updated: this.updated,
      rowsPerSecond: rate,
      secondsLeft: rate === null ? null : (rowsTotal - this.rowsDone) / rate,
      issues: this.issues,
      failure: this.failure,
    };
  }

  /** Sends from the first unanswered batch until all are answered, one fails, or cancel(); resolves with the end. */
  async run(): Promise<ImportProgress> {
    if (this.state === 'running' || this.state === 'done') return this.progress();
    const controller = new AbortController();
    this.controller = controller;
    const cancelled = new Promise<never>((_, reject) => {
      controller.signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
    });
    // the race below handles it; this only keeps an unraced rejection from being reported
    cancelled.catch(() => undefined);
    this.state = 'running';
    this.failure = null;
    this.emit();
    while (this.next < this.batches.length) {
      const batch = this.batches[this.next] ?? [];
      const started = this.now();
      let result: ImportResult;
      try {
        result = await Promise.race([
          this.send(
            batch.map((r) => r.row),
            controller.signal,
          ),
          cancelled,
        ]);
      } catch (error) {
        if (controller.signal.aborted) this.state = 'cancelled';
        else {
          this.state = 'failed';
          this.failure = error;
        }
        break;
      }
      this.measuredMs += Math.max(0, this.now() - started);
      this.measuredRows += batch.length;
      this.record(batch, result);
      if (controller.signal.aborted) {
        this.state = 'cancelled';
        break;
      }
      this.emit();
    }
    if (this.state === 'running') this.state = 'done';
    this.controller = null;
    this.emit();
    return this.progress();
  }

  /** Stops at once; the batch in flight counts as unsent and goes again on resume. */
  cancel(): void {
    this.controller?.abort();
  }

  private record(batch: readonly LineRow<Row>[], result: ImportResult): void {
    this.next += 1;
    this.rowsDone += batch.length;
    this.inserted += result.inserted;
    this.updated += result.updated;
    const added = result.errors.map((e): RowIssue => {
      const line = batch[e.row]?.line ?? batch[0]?.line ?? 0;
      const field = rowField(e.field);
      return field === undefined
        ? { line, code: e.code, message: e.message }
        : { line, field, code: e.code, message: e.message };
    });
    // a new array per answered batch, so a screen holding the last progress sees the change
    if (added.length > 0) this.issues = [...this.issues, ...added];
  }

  private emit(): void {
    this.onProgress?.(this.progress());
  }
}
