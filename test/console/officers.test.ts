import {
  oneTimeValues,
  pageOf,
  sortRows,
  temporaryPassword,
  TEMPORARY_PASSWORD_LENGTH,
} from '../../console/src/officers';

describe('人员与接入 helpers', () => {
  it('shows every text field of an answer once but the record, under known labels or its own key', () => {
    expect(
      oneTimeValues({ officer: 'x', totpSecret: 'ABC', otpauthUri: 'otpauth://x', newThing: 'n', empty: '', n: 3 }, [
        'officer',
      ]),
    ).toEqual([
      { key: 'totpSecret', label: '动态验证码密钥（手动输入认证器）', value: 'ABC' },
      { key: 'otpauthUri', label: '认证器链接（otpauth://，可生成二维码）', value: 'otpauth://x' },
      { key: 'newThing', label: 'newThing', value: 'n' },
    ]);
    expect(oneTimeValues({}, [])).toEqual([]);
  });

  it('makes a 16-character password from 16 random bytes, and refuses fewer', () => {
    const password = temporaryPassword(new Uint8Array(TEMPORARY_PASSWORD_LENGTH).map((_, i) => i * 17));
    expect(password).toHaveLength(16);
    expect(password).not.toMatch(/[0O1lI]/);
    expect(temporaryPassword(new Uint8Array(16).fill(255))).toBe('d'.repeat(16));
    expect(() => temporaryPassword(new Uint8Array(15))).toThrow(RangeError);
  });

  it('sorts by one column, missing values last, either way', () => {
    const rows = [{ a: 'b' }, { a: null }, { a: 'a' }, { a: 'c' }];
    expect(sortRows(rows, { sortBy: 'a', descending: false }).map((r) => r.a)).toEqual(['a', 'b', 'c', null]);
    expect(sortRows(rows, { sortBy: 'a', descending: true }).map((r) => r.a)).toEqual(['c', 'b', 'a', null]);
    expect(sortRows(rows, null)).toEqual(rows);
  });

  it('pages: the first, the last, past the end, and none', () => {
    const rows = Array.from({ length: 21 }, (_, i) => i);
    expect(pageOf(rows, 1, 10)).toEqual({ rows: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], current: 1 });
    expect(pageOf(rows, 3, 10)).toEqual({ rows: [20], current: 3 });
    expect(pageOf(rows, 4, 10).current).toBe(3);
    expect(pageOf([], 1, 10)).toEqual({ rows: [], current: 1 });
  });
});
