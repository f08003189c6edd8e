/** The error report an officer downloads: one line per refused row, in file order, as CSV that Excel opens as UTF-8. */
import Papa from 'papaparse';
import type { RowIssue } from './convert';

const REPORT_HEADERS = ['行号', '字段', '错误代码', '说明'] as const;

/** `labelOf` names a field key by its column header. */
export function issuesCsv(issues: readonly RowIssue[], labelOf: (key: string) => string): string {
  const sorted = [...issues].sort((a, b) => a.line - b.line);
  const rows = sorted.map((i) => [String(i.line), i.field === undefined ? '' : labelOf(i.field), i.code, i.message]);
  // the BOM makes Excel read the file as UTF-8 instead of the system's code page
  return `\uFEFF${Papa.unparse([[...REPORT_HEADERS], ...rows], { newline: '\r\n' })}\r\n`;
}
