import { MAX_RETRY_DELAY_MS, retryDelayMs } from '../../cloudfunctions/_shared/transaction';

describe('the wait before retrying a conflicting transaction', () => {
  it('is nothing at the bottom of the random range, whatever the attempt', () => {
    expect([1, 2, 5, 30].map((attempt) => retryDelayMs(attempt, 0))).toEqual([0, 0, 0, 0]);
  });

  it('has a ceiling that doubles from 20 ms with each conflict, up to the cap', () => {
    const top = 1 - Number.EPSILON;
    expect([1, 2, 3, 4, 5, 6, 30].map((attempt) => retryDelayMs(attempt, top))).toEqual([
      19, 39, 79, 159, 199, 199, 199,
    ]);
    expect(retryDelayMs(1_000, top)).toBeLessThan(MAX_RETRY_DELAY_MS);
  });

  it('stays inside the range for malformed inputs', () => {
    expect(retryDelayMs(0, 0.5)).toBe(10);
    expect(retryDelayMs(-3, 0.5)).toBe(10);
    expect(retryDelayMs(2, 7)).toBe(40);
    expect(retryDelayMs(2, -1)).toBe(0);
    expect(retryDelayMs(Number.NaN, 0.5)).toBe(MAX_RETRY_DELAY_MS / 2);
    expect(retryDelayMs(3, Number.NaN)).toBe(0);
  });
});
