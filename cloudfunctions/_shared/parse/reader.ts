/**
 * A small runtime validator for events from the outside world (any mini-program client can call any function).
 * Reads own properties only, bounds every string, checks integers, ignores unknown keys, and refuses objects
 * carrying `__proto__`/`constructor`/`prototype` keys. Every failure is an INVALID_ARGUMENT DomainError naming the field.
 */

import { type IsoDate, isIsoDate } from '../../../miniprogram/domain/core/dates';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import {
  isPlainObject,
  badField,
  hasOwn,
  missingField,
  type RawObject,
  type StringRule,
  checkString,
  fieldLabel,
} from '../../../miniprogram/domain/core/fields';

/** Keys that could reach an object's prototype if a later step merged the event into another object. */
const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/**
 * The value as a plain object without forbidden keys, or INVALID_ARGUMENT naming `path` (the object) or
 * `keyPrefix.key` (the forbidden key; top-level keys have no prefix).
 */
function readObject(value: unknown, path: string, keyPrefix = path): RawObject {
  if (!isPlainObject(value)) throw badField(path);
  for (const key of FORBIDDEN_KEYS) {
    if (hasOwn(value, key)) throw badField(keyPrefix === '' ? key : `${keyPrefix}.${key}`);
  }
  return value;
}

export interface IntRule {
  readonly min: number;
  readonly max: number;
  readonly message?: string;
}

export interface ArrayRule {
  readonly minItems?: number;
  readonly maxItems: number;
}

function checkInt(value: unknown, rule: IntRule, path: string): number {
  if (value === undefined || value === null) throw missingField(path);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < rule.min || value > rule.max) {
    throw badField(path, rule.message);
  }
  return value;
}

/** Reads the fields of one object; `prefix` makes error paths like `rows[3].fine`. */
export class FieldReader {
  readonly source: RawObject;
  readonly prefix: string;

  constructor(value: unknown, prefix = '') {
    this.source = readObject(value, prefix === '' ? 'event' : prefix, prefix);
    this.prefix = prefix;
  }

  path(key: string): string {
    return this.prefix === '' ? key : `${this.prefix}.${key}`;
  }

  /** The own property `key`, or undefined. */
  raw(key: string): unknown {
    return hasOwn(this.source, key) ? this.source[key] : undefined;
  }

  /** Present and not null. */
  has(key: string): boolean {
    const value = this.raw(key);
    return value !== undefined && value !== null;
  }

  string(key: string, rule: StringRule): string {
    return checkString(this.raw(key), rule, this.path(key));
  }

  /** Absent, null or (when trimming) blank → undefined. */
  optionalString(key: string, rule: StringRule): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' && rule.trim !== false && value.trim() === '' && value.length <= 256)
      return undefined;
    return checkString(value, rule, this.path(key));
  }

  int(key: string, rule: IntRule): number {
    return checkInt(this.raw(key), rule, this.path(key));
  }

  boolean(key: string): boolean {
    const value = this.raw(key);
    if (value === undefined || value === null) throw missingField(this.path(key));
    if (typeof value !== 'boolean') throw badField(this.path(key));
    return value;
  }

  oneOf<T extends string>(key: string, values: readonly T[], message?: string): T {
    const value = this.raw(key);
    if (value === undefined || value === null) throw missingField(this.path(key));
    const match = values.find((v) => v === value);
    if (match === undefined) throw badField(this.path(key), message);
    return match;
  }

  isoDate(key: string): IsoDate {
    const text = this.string(key, { max: 10, message: `${fieldLabel(key)}应为 YYYY-MM-DD 格式的真实日期。` });
    if (!isIsoDate(text)) throw badField(this.path(key), `${fieldLabel(key)}应为 YYYY-MM-DD 格式的真实日期。`);
    return text;
  }

  optionalIsoDate(key: string): IsoDate | undefined {
    return this.has(key) ? this.isoDate(key) : undefined;
  }

  /** An array, length-checked before anything is read from it. Items stay unknown. */
  array(key: string, rule: ArrayRule): readonly unknown[] {
    const value = this.raw(key);
    const path = this.path(key);
    if (value === undefined || value === null) throw missingField(path);
    if (!Array.isArray(value)) throw badField(path);
    const items: readonly unknown[] = value;
    if (items.length < (rule.minItems ?? 0) || items.length > rule.maxItems) {
      throw new DomainError(
        'INVALID_ARGUMENT',
        `${fieldLabel(path)}数量应在 ${rule.minItems ?? 0}–${rule.maxItems} 之间。`,
        {
          field: path,
          limit: rule.maxItems,
        },
      );
    }
    return items;
  }

  stringArray(key: string, rule: ArrayRule & { readonly item: StringRule }): string[] {
    const path = this.path(key);
    return this.array(key, rule).map((item, i) => checkString(item, rule.item, `${path}[${i}]`));
  }

  /** A nested object's reader. */
  object(key: string): FieldReader {
    const value = this.raw(key);
    if (value === undefined || value === null) throw missingField(this.path(key));
    return new FieldReader(value, this.path(key));
  }
}

/** Run a parser and guarantee that only DomainError escapes (garbage input can make anything throw). */
export function guardParse<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw new DomainError('INVALID_ARGUMENT');
  }
}
