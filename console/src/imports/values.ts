/**
 * One cell's text as the value a row field wants: the forms an office's spreadsheet holds (2025/3/1, 是/否, 200 元,
 * Chinese names of codes) in the forms the admin contract takes. Each returns null when the text is not one of them;
 * the server checks the values again and decides.
 */
import {
  dayNumberFromCivil,
  fromDayNumber,
  isRealDate,
  parseInstant,
  shanghaiDate,
  shanghaiDateTime,
  shanghaiInstant,
  type IsoDate,
} from '../../../miniprogram/domain/core/dates';
import type { GuideSection } from '../../../miniprogram/domain/guide/contract';

const DATE = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;
const DATE_TIME =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+|T)(\d{1,2})[:：时](\d{1,2})分?(?:[:：]?(\d{1,2})秒?)?$/;

function two(n: string): string {
  return n.padStart(2, '0');
}

function civil(y: string, m: string, d: string): IsoDate | null {
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  return isRealDate(year, month, day) ? fromDayNumber(dayNumberFromCivil(year, month, day)) : null;
}

/** A calendar date; an instant counts by its Asia/Shanghai date (Excel writes dates as midnight instants too). */
export function dateValue(text: string): IsoDate | null {
  const t = text.trim();
  const m = DATE.exec(t);
  if (m !== null) return civil(m[1] ?? '', m[2] ?? '', m[3] ?? '');
  const instant = instantValue(t);
  return instant === null ? null : shanghaiDate(Date.parse(instant));
}

/**
 * An instant as `YYYY-MM-DDTHH:mm:ss+08:00`, or to the millisecond when `precise` (watermarks); a wall-clock time
 * without an offset is Asia/Shanghai time.
 */
export function instantValue(text: string, precise = false): string | null {
  const t = text.trim();
  const m = DATE_TIME.exec(t);
  let iso = t;
  if (m !== null) {
    const date = civil(m[1] ?? '', m[2] ?? '', m[3] ?? '');
    if (date === null) return null;
    iso = `${date}T${two(m[4] ?? '')}:${two(m[5] ?? '')}:${two(m[6] ?? '0')}`;
  }
  const ms = parseInstant(iso);
  if (ms === null) return null;
  return precise ? shanghaiInstant(ms) : shanghaiDateTime(ms);
}

const TRUE_WORDS = ['true', 'yes', 'y', '1', '是', '有', '对', '√'];
const FALSE_WORDS = ['false', 'no', 'n', '0', '否', '无', '不是', '×', ''];

/** Yes or no; an empty cell is no. */
export function booleanValue(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (TRUE_WORDS.includes(t)) return true;
  if (FALSE_WORDS.includes(t)) return false;
  return null;
}

/** A whole number: digits, an optional sign, thousands commas; `3.0` as Excel may write it. */
export function integerValue(text: string): number | null {
  const t = text.trim().replace(/,/g, '');
  if (!/^[-+]?\d+(\.0+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

/** A decimal number (coordinates). */
export function numberValue(text: string): number | null {
  const t = text.trim();
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/** An amount in fen, from fen or (when the column is headed in 元) from yuan with at most two decimals. */
export function fenValue(text: string, yuan: boolean): number | null {
  const t = text.trim().replace(/,/g, '').replace(/元$/, '').trim();
  if (!yuan) return integerValue(t);
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(t);
  if (m === null) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Several values in one cell, separated by commas, semicolons, 、, | or line breaks. */
export function listValue(text: string): string[] {
  return text
    .split(/[,;，；、|\n\r]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A code given as itself (any case) or as its Chinese name. */
export function optionValue<T extends string>(
  text: string,
  codes: readonly T[],
  names: Readonly<Record<T, readonly string[]>>,
): T | null {
  const t = text.trim();
  const lower = t.toLowerCase();
  return codes.find((code) => code.toLowerCase() === lower || names[code].includes(t)) ?? null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A guide's sections: JSON (`[{"heading":"…","items":["…"]}]`), or text with one section per line,
 * `标题：条目一；条目二` (the heading before the first colon, items split as in listValue).
 */
export function sectionsValue(text: string): GuideSection[] | null {
  const t = text.trim();
  if (t.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      return null;
    }
    if (!Array.isArray(value)) return null;
    const sections: GuideSection[] = [];
    for (const item of value) {
      if (!isRecord(item)) return null;
      const { heading, items } = item;
      if (typeof heading !== 'string' || !Array.isArray(items)) return null;
      if (!items.every((i): i is string => typeof i === 'string')) return null;
      sections.push({ heading, items });
    }
    return sections;
  }
  const sections: GuideSection[] = [];
  for (const line of t.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = /^([^:：]+)[:：](.*)$/.exec(line.trim());
    if (m === null) return null;
    sections.push({
      heading: (m[1] ?? '').trim(),
      items: (m[2] ?? '')
        .split(/[;；|]+/)
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    });
  }
  return sections.length === 0 ? null : sections;
}
