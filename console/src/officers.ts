/**
 * What 人员与接入 decides without the server: which parts of an answer are one-time secrets to show, and how the
 * officer and key tables sort and page.
 */
export interface OneTimeValue {
  readonly key: string;
  readonly label: string;
  readonly value: string;
}

/** Known names; a field the server adds later is still shown, under its own key. */
const ONE_TIME_LABELS: Readonly<Record<string, string>> = {
  totpSecret: '动态验证码密钥（手动输入认证器）',
  otpauthUri: '认证器链接（otpauth://，可生成二维码）',
  key: '接入密钥',
  password: '临时密码',
  temporaryPassword: '临时密码',
  enrolmentCode: '首次登录激活码',
  enrolmentUrl: '首次登录链接',
  expiresAt: '有效期至',
};

/** Every non-empty text field of an answer but the listed ones (the record it describes), in the answer's order. */
export function oneTimeValues(answer: object, skip: readonly string[]): OneTimeValue[] {
  return Object.entries(answer)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .filter(([key]) => !skip.includes(key))
    .map(([key, value]) => ({ key, label: ONE_TIME_LABELS[key] ?? key, value }));
}

export interface SortState {
  readonly sortBy: string;
  readonly descending: boolean;
}

/** Rows sorted by one text column (missing values last), a stable copy. */
export function sortRows<T extends object>(rows: readonly T[], sort: SortState | null): T[] {
  if (sort === null) return [...rows];
  const text = (row: T): string | null => {
    const value: unknown = (row as Record<string, unknown>)[sort.sortBy];
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.join(',');
    return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
  };
  return [...rows].sort((a, b) => {
    const x = text(a);
    const y = text(b);
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    const order = x.localeCompare(y, 'zh-CN');
    return sort.descending ? -order : order;
  });
}

/** The rows of page `current` (from 1); a page past the end shows the last one. */
export function pageOf<T>(rows: readonly T[], current: number, size: number): { rows: T[]; current: number } {
  const last = Math.max(1, Math.ceil(rows.length / size));
  const page = Math.min(Math.max(1, Math.floor(current)), last);
  return { rows: rows.slice((page - 1) * size, page * size), current: page };
}
