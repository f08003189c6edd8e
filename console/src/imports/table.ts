/**
 * A file the police chose, as a table of text cells: the first non-empty row is the header, and every data row keeps
 * the row number a person sees in Excel (the header's row is 1 in a file that starts with it), so an error report
 * points at the right line. Excel's date cells become ISO text here, read as Asia/Shanghai wall-clock time.
 */
import { read, utils, type CellObject, type WorkSheet } from '@e965/xlsx';
import Papa from 'papaparse';
import { dayNumberFromCivil, fromDayNumber, shanghaiDateTime } from '../../../miniprogram/domain/core/dates';
import { decodeText, type TextEncodingName } from './decode';

export interface TableRow {
  /** The row number in the file (1-based, as Excel numbers rows). */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly TableRow[];
  /** 'xlsx' for a workbook; the text encoding found for a CSV. */
  readonly source: TextEncodingName | 'xlsx';
}

export class TableError extends Error {}

function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

/** Rows numbered from 1, the first non-blank one the header; blank rows are dropped but keep their numbers. */
function toTable(records: readonly (readonly string[])[], firstLine: number, source: Table['source']): Table {
  const headerAt = records.findIndex((r) => !isBlank(r));
  if (headerAt < 0) throw new TableError('文件中没有数据。');
  const headers = (records[headerAt] ?? []).map((h) => h.trim());
  const rows: TableRow[] = [];
  for (let i = headerAt + 1; i < records.length; i += 1) {
    const cells = records[i] ?? [];
    if (!isBlank(cells)) rows.push({ line: firstLine + i, cells });
  }
  return { headers, rows, source };
}

export function readCsv(bytes: Uint8Array): Table {
  const { text, encoding } = decodeText(bytes);
  // one record per row as Excel shows it: a quoted cell may hold line breaks
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  return toTable(parsed.data, 1, encoding);
}

/** A number format that shows a date or a time (outside quoted text, escapes and [colour]/[$-locale] tags). */
export function isDateFormat(format: string): boolean {
  if (format === 'General' || format === '@') return false;
  const bare = format
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[(h+|m+|s+)\]/gi, 'h')
    .replace(/\[[^\]]*\]/g, '');
  return /[ymdhse]/i.test(bare.replace(/General/gi, ''));
}

/** The text of an Excel date serial: a date, or an instant when it carries a time of day (or the format shows one). */
export function excelSerialText(serial: number, date1904: boolean, showsTime: boolean): string {
  let seconds = Math.round(serial * 86_400);
  let days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const time = `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
  if (days === 0 && !date1904) return time;
  // 1900 system: serial 1 is 1900-01-01 and Lotus's phantom 1900-02-29 is serial 60, so later serials count from
  // 1899-12-30; 1904 system: serial 0 is 1904-01-01
  if (date1904) days += dayNumberFromCivil(1904, 1, 1);
  else days += serial >= 61 ? dayNumberFromCivil(1899, 12, 30) : dayNumberFromCivil(1899, 12, 31);
  const date = fromDayNumber(days);
  return seconds === 0 && !showsTime ? date : `${date}T${time}+08:00`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function cellText(cell: CellObject | undefined, date1904: boolean): string {
  if (cell === undefined) return '';
  const value = cell.v;
  if (cell.t === 'n' && typeof value === 'number') {
    const format = typeof cell.z === 'string' ? cell.z : '';
    if (format !== '' && isDateFormat(format))
      return excelSerialText(value, date1904, /[hs]/i.test(format.replace(/"[^"]*"/g, '')));
    return String(value);
  }
  if (cell.t === 'b') return value === true ? 'true' : 'false';
  // a Date only appears with cellDates, which is not asked for; read it as an instant all the same
  if (cell.t === 'd' && value instanceof Date) return shanghaiDateTime(value.getTime());
  if (cell.t === 's' && typeof value === 'string') return value;
  return '';
}

function sheetRecords(sheet: WorkSheet, date1904: boolean): { records: string[][]; firstLine: number } {
  const ref = sheet['!ref'];
  if (ref === undefined) return { records: [], firstLine: 1 };
  const range = utils.decode_range(ref);
  const records: string[][] = [];
  for (let r = range.s.r; r <= range.e.r; r += 1) {
    const cells: string[] = [];
    for (let c = range.s.c; c <= range.e.c; c += 1) {
      const cell = sheet[utils.encode_cell({ r, c })] as CellObject | undefined;
      cells.push(cellText(cell, date1904));
    }
    records.push(cells);
  }
  return { records, firstLine: range.s.r + 1 };
}

/** The first sheet of a workbook (.xlsx, and the .xls Excel still writes). */
export function readXlsx(bytes: Uint8Array): Table {
  // a zip (.xlsx) or an OLE compound file (.xls); anything else SheetJS would read as text
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (!zip && !ole) throw new TableError('该文件不是 Excel 工作簿，请确认文件未损坏，或另存为 .xlsx 后重试。');
  let workbook;
  try {
    workbook = read(bytes, { type: 'array', cellNF: true, cellDates: false, cellText: false });
  } catch {
    throw new TableError('无法读取该 Excel 文件，请确认文件未损坏，或另存为 .xlsx 后重试。');
  }
  const name = workbook.SheetNames[0];
  const sheet = name === undefined ? undefined : workbook.Sheets[name];
  if (sheet === undefined) throw new TableError('Excel 文件中没有工作表。');
  const date1904 = workbook.Workbook?.WBProps?.date1904 === true;
  const { records, firstLine } = sheetRecords(sheet, date1904);
  return toTable(records, firstLine, 'xlsx');
}

/** A chosen file by its name: .csv / .txt as CSV, .xlsx / .xls as a workbook. */
export function readTable(fileName: string, bytes: Uint8Array): Table {
  const extension = /\.([^.]+)$/.exec(fileName.toLowerCase())?.[1] ?? '';
  if (extension === 'csv' || extension === 'txt') return readCsv(bytes);
  if (extension === 'xlsx' || extension === 'xls') return readXlsx(bytes);
  throw new TableError('只支持 CSV（.csv）或 Excel（.xlsx）文件。');
}
