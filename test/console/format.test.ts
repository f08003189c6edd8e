import { formatFen, formatInstant } from '../../console/src/format';

describe('console formats', () => {
  it('writes fen as yuan with two decimals', () => {
    expect(formatFen(0)).toBe('¥0.00');
    expect(formatFen(1)).toBe('¥0.01');
    expect(formatFen(20050)).toBe('¥200.50');
    expect(formatFen(100_000_000)).toBe('¥1,000,000.00');
    expect(formatFen(-150)).toBe('-¥1.50');
  });

  it('writes instants as Asia/Shanghai minutes, and anything else as it came', () => {
    expect(formatInstant('2025-03-01T00:05:09Z')).toBe('2025-03-01 08:05');
    expect(formatInstant('2025-03-01T08:05:09+08:00')).toBe('2025-03-01 08:05');
    expect(formatInstant('')).toBe('');
    expect(formatInstant('不久前')).toBe('不久前');
  });
});
