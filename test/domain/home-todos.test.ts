// Which dates make a home to-do: the reminder's window ahead, and every day past the date.
import { inspectionTodo, licenceTodo } from '../../miniprogram/domain/home/todos';
import { addDays } from '../../miniprogram/domain/core/dates';

const TODAY = '2026-03-01';

describe('inspectionTodo', () => {
  it('is due soon from 30 days ahead through the due date itself, nothing a day earlier', () => {
    expect(inspectionTodo(addDays(TODAY, 31), TODAY)).toBeNull();
    expect(inspectionTodo(addDays(TODAY, 30), TODAY)).toEqual({ state: 'dueSoon', daysLeft: 30 });
    expect(inspectionTodo(TODAY, TODAY)).toEqual({ state: 'dueSoon', daysLeft: 0 });
  });

  it('is overdue from the day after, and stays so however late', () => {
    expect(inspectionTodo(addDays(TODAY, -1), TODAY)).toEqual({ state: 'overdue', daysLeft: -1 });
    expect(inspectionTodo('2020-01-01', TODAY)).toMatchObject({ state: 'overdue' });
  });

  it('says nothing about a malformed date', () => {
    expect(inspectionTodo('2026-02-30', TODAY)).toBeNull();
    expect(inspectionTodo('', TODAY)).toBeNull();
    expect(inspectionTodo('2026-03-01', 'today')).toBeNull();
  });
});

describe('licenceTodo', () => {
  const valid = (validUntil: string) => ({ validUntil, status: 'valid' as const });

  it('is due soon from 90 days ahead through the last valid day, nothing a day earlier', () => {
    expect(licenceTodo(valid(addDays(TODAY, 91)), TODAY)).toBeNull();
    expect(licenceTodo(valid(addDays(TODAY, 90)), TODAY)).toEqual({ state: 'dueSoon', daysLeft: 90 });
    expect(licenceTodo(valid(TODAY), TODAY)).toEqual({ state: 'dueSoon', daysLeft: 0 });
  });

  it('is expired from the day after its last valid day', () => {
    expect(licenceTodo(valid(addDays(TODAY, -1)), TODAY)).toEqual({ state: 'overdue', daysLeft: -1 });
  });

  it('is expired whenever the registry says so, even before its date', () => {
    expect(licenceTodo({ validUntil: addDays(TODAY, 200), status: 'expired' }, TODAY)).toEqual({
      state: 'overdue',
      daysLeft: 200,
    });
  });

  it('is no renewal to-do when revoked or suspended, nor with a malformed date', () => {
    expect(licenceTodo({ validUntil: addDays(TODAY, -1), status: 'revoked' }, TODAY)).toBeNull();
    expect(licenceTodo({ validUntil: addDays(TODAY, 10), status: 'suspended' }, TODAY)).toBeNull();
    expect(licenceTodo(valid('2026-13-01'), TODAY)).toBeNull();
  });
});
