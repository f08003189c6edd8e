import fc from 'fast-check';
import {
  lateSurcharge,
  amountDue,
  dailySurcharge,
  surchargeAfterDays,
  chargedDays,
  amountBreakdown,
  sumFen,
  formatYuan,
  parseYuanToFen,
} from '../../miniprogram/domain/violation/fees';
import { DomainError } from '../../miniprogram/domain/core/errors';

const DECISION = '2025-03-01';

describe('late surcharge (decision = day 0, days 1–15 free, day 16 first charged)', () => {
  it('nothing on the decision day and through day 15', () => {
    expect(lateSurcharge(20_000, DECISION, '2025-03-01')).toBe(0);
    expect(lateSurcharge(20_000, DECISION, '2025-03-16')).toBe(0); // day 15
    expect(amountDue(20_000, DECISION, '2025-03-16')).toBe(20_000);
  });

  it('3% on day 16, 6% on day 17', () => {
    expect(lateSurcharge(20_000, DECISION, '2025-03-17')).toBe(600); // day 16
    expect(lateSurcharge(20_000, DECISION, '2025-03-18')).toBe(1_200); // day 17
    expect(amountDue(20_000, DECISION, '2025-03-17')).toBe(20_600);
  });

  it('floors each day to the fen with odd fines', () => {
    // 3% of 199 fen is 5.97 → 5 per day
    expect(dailySurcharge(199)).toBe(5);
    expect(surchargeAfterDays(199, 16)).toBe(5);
    expect(surchargeAfterDays(199, 17)).toBe(10);
    // 3% of 5050 fen is 151.5 → 151 per day, not 303 over two days
    expect(surchargeAfterDays(5_050, 17)).toBe(302);
    expect(dailySurcharge(33)).toBe(0);
    expect(surchargeAfterDays(33, 100)).toBe(0);
    expect(dailySurcharge(0)).toBe(0);
  });

  it('caps at the fine: day 16 + 33 days is 34 charged days = 102% → the fine', () => {
    expect(surchargeAfterDays(20_000, 48)).toBe(19_800); // 33 charged days, 99%
    expect(surchargeAfterDays(20_000, 49)).toBe(20_000); // 34 charged days, capped
    expect(surchargeAfterDays(20_000, 10_000)).toBe(20_000);
    expect(amountDue(20_000, DECISION, '2026-03-01')).toBe(40_000);
    // flooring makes odd fines reach the cap later: 5 × 40 = 200 ≥ 199 on the 40th charged day
    expect(surchargeAfterDays(199, 15 + 39)).toBe(195);
    expect(surchargeAfterDays(199, 15 + 40)).toBe(199);
    expect(surchargeAfterDays(20_001, 15 + 33)).toBe(19_800);
    expect(surchargeAfterDays(20_001, 15 + 34)).toBe(20_001);
  });

  it('never negative, never above the fine, never decreasing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: -30, max: 500 }), (fine, day) => {
        const s = surchargeAfterDays(fine, day);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(fine);
        expect(Number.isInteger(s)).toBe(true);
        expect(surchargeAfterDays(fine, day + 1)).toBeGreaterThanOrEqual(s);
      }),
    );
  });

  it('counts calendar days across months, leap days and clock skew', () => {
    expect(lateSurcharge(10_000, '2024-02-14', '2024-03-01')).toBe(300); // 16 days incl. 29 Feb
    expect(lateSurcharge(10_000, '2023-02-14', '2023-03-01')).toBe(0); // 15 days
    expect(lateSurcharge(10_000, DECISION, '2025-02-01')).toBe(0); // today before the decision
    expect(chargedDays(-5)).toBe(0);
    expect(amountBreakdown(10_000, DECISION, '2025-03-18')).toEqual({
      fine: 10_000,
      surcharge: 600,
      total: 10_600,
      chargedDays: 2,
    });
  });

  it('rejects bad amounts and dates with DomainError', () => {
    expect(() => dailySurcharge(-1)).toThrow(DomainError);
    expect(() => dailySurcharge(1.5)).toThrow(DomainError);
    expect(() => amountDue(100, '2025-02-30', '2025-03-01')).toThrow(DomainError);
    expect(() => chargedDays(Number.NaN)).toThrow(DomainError);
    expect(sumFen([1, 2, 3])).toBe(6);
    expect(() => sumFen([1, -2])).toThrow(DomainError);
  });
});

describe('yuan formatting', () => {
  it('formats fen as yuan', () => {
    expect(formatYuan(20_000)).toBe('¥200.00');
    expect(formatYuan(0)).toBe('¥0.00');
    expect(formatYuan(5)).toBe('¥0.05');
    expect(formatYuan(20_050)).toBe('¥200.50');
    expect(formatYuan(-150)).toBe('-¥1.50');
    expect(formatYuan(123_456, { symbol: false })).toBe('1234.56');
    expect(() => formatYuan(1.5)).toThrow(DomainError);
  });

  it('parses yuan to fen exactly', () => {
    expect(parseYuanToFen('200')).toBe(20_000);
    expect(parseYuanToFen('200.5')).toBe(20_050);
    expect(parseYuanToFen('¥0.07')).toBe(7);
    expect(parseYuanToFen('1,200.00')).toBe(120_000);
    expect(parseYuanToFen('0.1')).toBe(10);
    expect(parseYuanToFen('1.005')).toBeNull();
    expect(parseYuanToFen('-1')).toBeNull();
    expect(parseYuanToFen('abc')).toBeNull();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (fen) => {
        expect(parseYuanToFen(formatYuan(fen))).toBe(fen);
      }),
    );
  });
});
