/**
 * A checked table as the rows of one import: each row built on its own, so a bad cell becomes that row's issue (with
 * its row number in the file) and the rest go on; a key seen on an earlier row is an issue on the later one.
 */
import type { ColumnCheck } from './columns';
import { CellProblem, cellReader, fieldLabel, type ImportKind } from './kinds';
import type { Table } from './table';

/** A row that was not imported, and why: found here before sending, or answered by the server. */
export interface RowIssue {
  /** The row number in the file. */
  readonly line: number;
  /** The field key (`fine`, `sections[0].heading`); absent when the row as a whole was refused. */
  readonly field?: string;
  readonly code: string;
  readonly message: string;
}

export interface LineRow<Row> {
  readonly line: number;
  readonly row: Row;
}

export interface Converted<Row> {
  readonly rows: readonly LineRow<Row>[];
  readonly issues: readonly RowIssue[];
}

export function convertRows<Row>(kind: ImportKind<Row>, table: Table, check: ColumnCheck): Converted<Row> {
  const rows: LineRow<Row>[] = [];
  const issues: RowIssue[] = [];
  const firstLineOf = new Map<string, number>();
  const labelOf = (key: string) => fieldLabel(kind.fields, key);
  for (const { line, cells } of table.rows) {
    try {
      const row = kind.build(cellReader(cells, check.columns, check.yuan, labelOf));
      const key = kind.key(row);
      const first = firstLineOf.get(key);
      if (first !== undefined) {
        issues.push({ line, code: 'INVALID_ARGUMENT', message: `与第 ${first} 行是同一条记录，本行未导入。` });
        continue;
      }
      firstLineOf.set(key, line);
      rows.push({ line, row });
    } catch (error) {
      if (!(error instanceof CellProblem)) throw error;
      issues.push({ line, field: error.field, code: 'INVALID_ARGUMENT', message: error.message });
    }
  }
  return { rows, issues };
}
