import fc from 'fast-check';
import {
  scoringCycle,
  scoringCycleAt,
  POINT_VALUES,
  FULL_MARKS,
  ALLOWED_VIOLATION_POINTS,
  isAllowedPointValue,
  staysBelowFullMarks,
  pointsRemaining,
} from '../../miniprogram/domain/licence/scoring-cycle';
import { DomainError } from '../../miniprogram/domain/core/errors';
import { fromDayNumber, addDays, daysBetween } from '../../miniprogram/domain/core/dates';

describe('scoring cycle', () => {
  it('runs 12 months from the first-issue date, repeating', () => {
    expect(scoringCycle('2015-06-10', '2025-06-09')).toEqual({ start: '2024-06-10', end: '2025-06-09', index: 9 });
    expect(scoringCycle('2015-06-10', '2025-06-10')).toEqual({ start: '2025-06-10', end: '2026-06-09', index: 10 });
    expect(scoringCycle('2015-06-10', '2015-06-10')).toEqual({ start: '2015-06-10', end: '2016-06-09', index: 0 });
    expect(scoringCycle('2015-06-10', '2025-12-31')).toMatchObject({ start: '2025-06-10' });
    expect(scoringCycle('2015-06-10', '2026-01-01')).toMatchObject({ start: '2025-06-10' });
  });

  it('handles month-end first-issue days (31 Jan, 31 Dec, 1 Jan)', () => {
    expect(scoringCycle('2010-01-31', '2025-01-30')).toEqual({ start: '2024-01-31', end: '2025-01-30', index: 14 });
    expect(scoringCycle('2010-01-31', '2025-01-31')).toMatchObject({ start: '2025-01-31', end: '2026-01-30' });
    expect(scoringCycle('2010-12-31', '2025-12-30')).toEqual({ start: '2024-12-31', end: '2025-12-30', index: 14 });
    expect(scoringCycle('2010-01-01', '2025-12-31')).toEqual({ start: '2025-01-01', end: '2025-12-31', index: 15 });
  });

  it('29 Feb first issue: starts on 1 Mar in common years, 29 Feb in leap years', () => {
    expect(scoringCycleAt('2020-02-29', 0)).toEqual({ start: '2020-02-29', end: '2021-02-28', index: 0 });
    expect(scoringCycleAt('2020-02-29', 1)).toEqual({ start: '2021-03-01', end: '2022-02-28', index: 1 });
    expect(scoringCycleAt('2020-02-29', 3)).toEqual({ start: '2023-03-01', end: '2024-02-28', index: 3 });
    expect(scoringCycleAt('2020-02-29', 4)).toEqual({ start: '2024-02-29', end: '2025-02-28', index: 4 });
    expect(scoringCycle('2020-02-29', '2024-02-28')).toMatchObject({ start: '2023-03-01' });
    expect(scoringCycle('2020-02-29', '2024-02-29')).toMatchObject({ start: '2024-02-29' });
    expect(scoringCycle('2020-02-29', '2025-02-28')).toMatchObject({ start: '2024-02-29', end: '2025-02-28' });
    expect(scoringCycle('2020-02-29', '2025-03-01')).toMatchObject({ start: '2025-03-01', end: '2026-02-28' });
  });

  it('28 Feb and 1 Mar first-issue dates across a leap day', () => {
    expect(scoringCycle('2019-02-28', '2024-02-29')).toEqual({ start: '2024-02-28', end: '2025-02-27', index: 5 });
    expect(scoringCycle('2019-03-01', '2024-02-29')).toEqual({ start: '2023-03-01', end: '2024-02-29', index: 4 });
  });

  it('cycles tile the calendar: contiguous, 365 or 366 days, each containing today', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 20_000 }), (firstOffset, ageDays) => {
        const first = fromDayNumber(firstOffset);
        const today = addDays(first, ageDays);
        const cycle = scoringCycle(first, today);
        expect(daysBetween(cycle.start, today)).toBeGreaterThanOrEqual(0);
        expect(daysBetween(today, cycle.end)).toBeGreaterThanOrEqual(0);
        const length = daysBetween(cycle.start, cycle.end) + 1;
        expect(length === 365 || length === 366).toBe(true);
        expect(scoringCycleAt(first, cycle.index + 1).start).toBe(addDays(cycle.end, 1));
        expect(scoringCycle(first, cycle.end)).toEqual(cycle);
        expect(scoringCycle(first, cycle.start)).toEqual(cycle);
      }),
      { numRuns: 300 },
    );
  });

  it('a first-issue date after today gives the first cycle; bad dates throw DomainError', () => {
    expect(scoringCycle('2025-07-01', '2025-06-15')).toEqual({ start: '2025-07-01', end: '2026-06-30', index: 0 });
    expect(() => scoringCycle('2025-02-30', '2025-06-15')).toThrow(DomainError);
    expect(() => scoringCycleAt('2025-01-01', -1)).toThrow(DomainError);
  });
});

describe('points', () => {
  it('allows 12 9 6 3 1 and 0 for fine-only', () => {
    expect(POINT_VALUES).toEqual([12, 9, 6, 3, 1]);
    expect(FULL_MARKS).toBe(12);
    for (const p of ALLOWED_VIOLATION_POINTS) expect(isAllowedPointValue(p)).toBe(true);
    for (const p of [2, 4, 5, 7, 8, 10, 11, 13, -1, 1.5, NaN]) expect(isAllowedPointValue(p)).toBe(false);
    expect(isAllowedPointValue('6')).toBe(false);
  });

  it('stays below full marks: 5+6=11 yes, 6+6=12 no', () => {
    expect(staysBelowFullMarks(5, 6)).toBe(true);
    expect(staysBelowFullMarks(6, 6)).toBe(false);
    expect(staysBelowFullMarks(11, 0)).toBe(true);
    expect(staysBelowFullMarks(12, 0)).toBe(false);
    expect(pointsRemaining(5)).toBe(7);
    expect(pointsRemaining(15)).toBe(0);
  });
});
