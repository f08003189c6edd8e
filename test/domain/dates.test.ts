import fc from 'fast-check';
import { DomainError } from '../../miniprogram/domain/core/errors';
import {
  dayNumberFromCivil,
  civilFromDayNumber,
  parseIsoDate,
  isIsoDate,
  addDays,
  daysBetween,
  compareIsoDates,
  fromDayNumber,
  toDayNumber,
  shanghaiDate,
  shanghaiDateTime,
  shanghaiInstant,
  parseInstant,
  parseCompactShanghaiTime,
} from '../../miniprogram/domain/core/dates';

describe('calendar arithmetic', () => {
  it('matches UTC Date for any day number in 0000–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumberFromCivil(0, 1, 1), max: dayNumberFromCivil(9999, 12, 31) }), (n) => {
        const d = new Date(n * 86_400_000);
        const civil = civilFromDayNumber(n);
        expect(civil).toEqual({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
        expect(dayNumberFromCivil(civil.year, civil.month, civil.day)).toBe(n);
      }),
    );
  });

  it('parses only real dates', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2023-02-29')).toBeNull();
    expect(parseIsoDate('2000-02-29')).not.toBeNull();
    expect(parseIsoDate('1900-02-29')).toBeNull();
    expect(parseIsoDate('2025-04-31')).toBeNull();
    expect(parseIsoDate('2025-13-01')).toBeNull();
    expect(parseIsoDate('2025-00-10')).toBeNull();
    expect(parseIsoDate('2025-1-01')).toBeNull();
    expect(parseIsoDate(' 2025-01-01')).toBeNull();
    expect(isIsoDate(20250101)).toBe(false);
  });

  it('adds and subtracts days across month and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(daysBetween('2025-03-01', '2025-03-16')).toBe(15);
    expect(daysBetween('2025-03-16', '2025-03-01')).toBe(-15);
    expect(compareIsoDates('2025-01-02', '2025-01-10')).toBe(-1);
    expect(compareIsoDates('2025-01-10', '2025-01-10')).toBe(0);
    expect(fromDayNumber(0)).toBe('1970-01-01');
  });

  it('rejects malformed dates with a DomainError naming the field', () => {
    expect(() => toDayNumber('2025-02-30', 'decisionDate')).toThrow(DomainError);
    try {
      toDayNumber('nope', 'today');
    } catch (e) {
      expect(e).toMatchObject({ code: 'INVALID_ARGUMENT', details: { field: 'today' } });
    }
  });
});

describe('Asia/Shanghai', () => {
  it('turns an instant into the Shanghai date, not the local or UTC one', () => {
    // 2025-03-01T15:59:59Z is 23:59:59 in Shanghai; one second later it is the next day there
    expect(shanghaiDate(Date.UTC(2025, 2, 1, 15, 59, 59))).toBe('2025-03-01');
    expect(shanghaiDate(Date.UTC(2025, 2, 1, 16, 0, 0))).toBe('2025-03-02');
    expect(shanghaiDateTime(Date.UTC(2025, 2, 1, 16, 5, 9))).toBe('2025-03-02T00:05:09+08:00');
  });

  it('writes an instant to the millisecond, and reads it back exactly', () => {
    expect(shanghaiInstant(Date.UTC(2025, 2, 1, 16, 5, 9, 0))).toBe('2025-03-02T00:05:09.000+08:00');
    expect(shanghaiInstant(Date.UTC(2025, 2, 1, 15, 59, 59, 999))).toBe('2025-03-01T23:59:59.999+08:00');
    expect(shanghaiInstant(-1)).toBe('1970-01-01T07:59:59.999+08:00');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253_402_271_999_999 - 8 * 3_600_000 }), (ms) => {
        expect(parseInstant(shanghaiInstant(ms))).toBe(ms);
      }),
    );
  });

  it('parses ISO 8601 instants, reading offset-less times as Shanghai', () => {
    const utc = Date.UTC(2025, 0, 2, 1, 2, 3);
    expect(parseInstant('2025-01-02T09:02:03+08:00')).toBe(utc);
    expect(parseInstant('2025-01-02T09:02:03')).toBe(utc);
    expect(parseInstant('2025-01-02T01:02:03Z')).toBe(utc);
    expect(parseInstant('2025-01-02T01:02:03.500Z')).toBe(utc + 500);
    expect(parseInstant('2025-01-02 09:02:03+0800')).toBe(utc);
    expect(parseInstant('2025-02-30T00:00:00Z')).toBeNull();
    expect(parseInstant('2025-01-02T24:00:00Z')).toBeNull();
    expect(parseInstant('yesterday')).toBeNull();
    expect(parseCompactShanghaiTime('20250102090203')).toBe(utc);
    expect(parseCompactShanghaiTime('2025010209020')).toBeNull();
  });
});
