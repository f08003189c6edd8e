/**
 * Which column of a file holds which field: a header matches a field's Chinese label, its English key or one of its
 * aliases, compared without case, width, spaces, `_` or `-`, and with or without a bracketed unit (`罚款金额（元）`).
 * Missing required columns stop the import before anything is sent; unknown ones are named and ignored.
 */
import type { FieldSpec } from './kinds';

export interface ColumnCheck {
  /** Field key → index of its column. */
  readonly columns: ReadonlyMap<string, number>;
  /** Money fields whose header says 元. */
  readonly yuan: ReadonlySet<string>;
  readonly missing: readonly FieldSpec[];
  /** Headers that name no field (ignored). */
  readonly unknown: readonly string[];
  /** Headers naming a field an earlier column already holds. */
  readonly repeated: readonly string[];
}

function normalise(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:：]/g, '');
}

/** The header without a trailing bracketed unit, and that unit. */
function splitUnit(header: string): { bare: string; unit: string } {
  const m = /^(.*?)[(（[【](.*)[)）\]】]$/.exec(header.normalize('NFKC').trim());
  return m === null ? { bare: header, unit: '' } : { bare: m[1] ?? '', unit: m[2] ?? '' };
}

export function checkColumns(fields: readonly FieldSpec[], headers: readonly string[]): ColumnCheck {
  const names = new Map<string, FieldSpec>();
  for (const field of fields)
    for (const name of [field.label, field.key, ...field.aliases]) {
      const n = normalise(name);
      if (!names.has(n)) names.set(n, field);
    }
  const columns = new Map<string, number>();
  const yuan = new Set<string>();
  const unknown: string[] = [];
  const repeated: string[] = [];
  headers.forEach((header, index) => {
    if (header.trim() === '') return;
    const { bare, unit } = splitUnit(header);
    const field = names.get(normalise(header)) ?? names.get(normalise(bare));
    if (field === undefined) {
      unknown.push(header);
      return;
    }
    if (columns.has(field.key)) {
      repeated.push(header);
      return;
    }
    columns.set(field.key, index);
    if (field.money === true && /元/.test(unit)) yuan.add(field.key);
  });
  const missing = fields.filter((f) => f.required && !columns.has(f.key));
  return { columns, yuan, missing, unknown, repeated };
}

/** Whether the import may start: every required column present, none given twice. */
export function columnsUsable(check: ColumnCheck): boolean {
  return check.missing.length === 0 && check.repeated.length === 0;
}
