/**
 * A small runtime validator for events from the outside world (any mini-program client can call any function).
 * Reads own properties only, bounds every string, checks integers, ignores unknown keys, and refuses objects
 * carrying `__proto__`/`constructor`/`prototype` keys. Every failure is an INVALID_ARGUMENT DomainError naming the field.
 */

import { isIsoDate, type IsoDate } from './dates';
import { DomainError } from './errors';

export type RawObject = Readonly<Record<string, unknown>>;

/** Keys that could reach an object's prototype if a later step merged the event into another object. */
export const FORBIDDEN_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** Chinese labels so a message names the field in words a driver understands. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  event: '请求',
  action: '操作类型',
  name: '姓名',
  idNumber: '身份证号码',
  purpose: '认证用途',
  verifyId: '认证编号',
  plate: '号牌号码',
  plateType: '号牌种类',
  ownerName: '机动车所有人姓名',
  requestId: '申请编号',
  bindingId: '绑定编号',
  violationIds: '违法记录',
  decisionId: '处罚决定书',
  orderId: '订单编号',
  rows: '导入数据',
  from: '开始日期',
  to: '结束日期',
  licenceClass: '准驾车型',
  firstIssueDate: '初次领证日期',
  validUntil: '有效期止',
  status: '状态',
  cyclePoints: '记分周期累积记分',
  ownerIdNumber: '所有人身份证号码',
  inspectionDue: '检验有效期止',
  violationId: '违法记录编号',
  occurredAt: '违法时间',
  place: '违法地点',
  behaviour: '违法行为',
  fine: '罚款金额',
  points: '记分',
  source: '记录来源',
  disputed: '异议标记',
  outTradeNo: '商户订单号',
  totalFee: '支付金额',
  // ---- guide / tow / insurance (issue 8) ----
  guideId: '指南编号',
  officeId: '网点编号',
  address: '地址',
  latitude: '纬度',
  longitude: '经度',
  hours: '办公时间',
  services: '办理业务',
  service: '业务类型',
  phone: '联系电话',
  towId: '拖移记录编号',
  towedAt: '拖移时间',
  yardName: '停车场名称',
  yardAddress: '停车场地址',
  fee: '费用',
  yardHours: '停车场开放时间',
  yardPhone: '停车场电话',
  title: '标题',
  summary: '摘要',
  sections: '内容',
  heading: '小标题',
  items: '条目',
  officeService: '办理网点业务',
  order: '排序',
  updatedOn: '更新日期',
  insurer: '保险公司',
  kinds: '提醒类型',
  number: '证明编号',
  code: '核验码',
  // ---- move-car / facility fault reports (issue 8) ----
  reply: '回复内容',
  type: '设施类型',
  description: '问题描述',
  fileIDs: '照片',
  reportId: '报障编号',
  note: '处理说明',
  limit: '数量',
};

/** The label of a path's last named segment: `rows[3].fine` → 罚款金额. */
export function fieldLabel(path: string): string {
  const segments = path.split('.');
  const last = (segments[segments.length - 1] ?? path).replace(/\[\d+\]$/, '');
  // Own labels only: `__proto__` or `constructor` would otherwise read Object.prototype's and print "[object Object]".
  return hasOwn(FIELD_LABELS, last) ? (FIELD_LABELS[last] ?? last) : last;
}

export function missingField(path: string): DomainError {
  return new DomainError('INVALID_ARGUMENT', `缺少${fieldLabel(path)}。`, { field: path });
}

export function badField(path: string, message?: string): DomainError {
  return new DomainError('INVALID_ARGUMENT', message ?? `${fieldLabel(path)}格式不正确，请检查后重试。`, {
    field: path,
  });
}

export function hasOwn(value: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** A JSON-like object: not null, not an array, plain prototype (or none). */
export function isPlainObject(value: unknown): value is RawObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The value as a plain object without forbidden keys, or INVALID_ARGUMENT naming `path` (the object) or
 * `keyPrefix.key` (the forbidden key; top-level keys have no prefix).
 */
export function readObject(value: unknown, path: string, keyPrefix = path): RawObject {
  if (!isPlainObject(value)) throw badField(path);
  for (const key of FORBIDDEN_KEYS) {
    if (hasOwn(value, key)) throw badField(keyPrefix === '' ? key : `${keyPrefix}.${key}`);
  }
  return value;
}

export interface StringRule {
  /** Minimum length after trimming (default 1: empty counts as missing). */
  readonly min?: number;
  /** Maximum length after trimming, in UTF-16 code units. */
  readonly max: number;
  readonly pattern?: RegExp;
  /** Default true. */
  readonly trim?: boolean;
  /** Message when the value is present but wrong. */
  readonly message?: string;
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

export function checkString(value: unknown, rule: StringRule, path: string): string {
  if (value === undefined || value === null) throw missingField(path);
  if (typeof value !== 'string') throw badField(path, rule.message);
  // refuse absurd lengths before doing any work on them
  if (value.length > rule.max * 4 + 64) throw badField(path, rule.message);
  const text = rule.trim === false ? value : value.trim();
  const min = rule.min ?? 1;
  if (text.length === 0 && min > 0) throw missingField(path);
  if (text.length < min || text.length > rule.max) throw badField(path, rule.message);
  if (CONTROL_CHARS.test(text)) throw badField(path, rule.message);
  if (rule.pattern !== undefined && !rule.pattern.test(text)) throw badField(path, rule.message);
  return text;
}

export function checkInt(value: unknown, rule: IntRule, path: string): number {
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
