import fc from 'fast-check';
import {
  dammCheckDigit,
  isDammValid,
  DAMM_TABLE,
  formatDecisionNumber,
  isValidDecisionNumber,
  decisionSequence,
} from '../../miniprogram/domain/violation/decision-number';
import { DomainError } from '../../miniprogram/domain/core/errors';

describe('Damm check digit', () => {
  it('has the published result for 572 → 4', () => {
    expect(dammCheckDigit('572')).toBe(4);
    expect(isDammValid('5724')).toBe(true);
    expect(dammCheckDigit('57a')).toBeNull();
  });

  it('the table is a quasigroup with a zero diagonal (what makes the guarantees hold)', () => {
    for (let i = 0; i < 10; i += 1) {
      expect(new Set(DAMM_TABLE[i]).size).toBe(10);
      expect(new Set(DAMM_TABLE.map((row) => row[i])).size).toBe(10);
      expect(DAMM_TABLE[i]?.[i]).toBe(0);
    }
  });
});

describe('decision numbers', () => {
  it('is 450100 + 9-digit sequence + check digit', () => {
    const n = formatDecisionNumber(1);
    expect(n).toMatch(/^450100000000001\d$/);
    expect(n).toHaveLength(16);
    expect(isValidDecisionNumber(n)).toBe(true);
    expect(decisionSequence(n)).toBe(1);
    expect(formatDecisionNumber(0)).toHaveLength(16);
    expect(decisionSequence(formatDecisionNumber(999_999_999))).toBe(999_999_999);
  });

  it('refuses bad sequences as a bug (INTERNAL)', () => {
    for (const bad of [-1, 1_000_000_000, 1.5, Number.NaN]) {
      expect(() => formatDecisionNumber(bad)).toThrow(DomainError);
    }
  });

  it('refuses wrong area code, length and non-digits', () => {
    const n = formatDecisionNumber(123_456_789);
    expect(isValidDecisionNumber(n.slice(0, 15))).toBe(false);
    expect(isValidDecisionNumber(`${n}0`)).toBe(false);
    expect(isValidDecisionNumber(`450200${n.slice(6)}`)).toBe(false);
    expect(isValidDecisionNumber(n.replace(/\d$/, 'X'))).toBe(false);
    expect(isValidDecisionNumber(Number(n))).toBe(false);
    expect(isValidDecisionNumber(null)).toBe(false);
    expect(decisionSequence('abc')).toBeNull();
  });

  it('detects every single-digit error and every adjacent transposition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (sequence) => {
        const n = formatDecisionNumber(sequence);
        for (let i = 0; i < 16; i += 1) {
          for (let d = 0; d <= 9; d += 1) {
            const changed = n.slice(0, i) + String(d) + n.slice(i + 1);
            if (changed !== n) expect(isDammValid(changed)).toBe(false);
          }
          if (i < 15 && n[i] !== n[i + 1]) {
            const swapped = n.slice(0, i) + (n[i + 1] ?? '') + (n[i] ?? '') + n.slice(i + 2);
            expect(isDammValid(swapped)).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
