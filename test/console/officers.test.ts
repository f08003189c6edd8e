import { oneTimeValues, pageOf, sortRows } from '../../console/src/officers';

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
