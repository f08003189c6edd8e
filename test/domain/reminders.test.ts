import {
  sweepBudgetMs,
  SWEEP_DEFAULT_BUDGET_MS,
  type ReminderFacts,
  reminderKindOfTemplate,
  REMINDER_TEMPLATE_IDS,
  REMINDER_KINDS,
  isReminderKind,
  dueReminders,
  clip,
} from '../../miniprogram/domain/reminder/reminders';

const none: ReminderFacts = { licence: null, cars: [], violations: [], unpaidDecisions: [] };
const violation = (receivedAt: string, boundAt = '2026-01-01T00:00:00+08:00') => ({
  violationId: 'V1',
  plate: '桂A12345',
  occurredAt: '2026-11-20T08:30:00+08:00',
  place: '南宁市青秀区民族大道与竹溪大道交叉口',
  behaviour: '机动车不按交通信号灯规定通行的',
  fine: 20000,
  points: 6,
  receivedAt: receivedAt.length === 10 ? `${receivedAt}T10:00:00+08:00` : receivedAt,
  boundAt,
});
const kinds = (facts: ReminderFacts, today: string) => dueReminders(facts, today).map((r) => r.key);

describe('what is due on a day', () => {
  it('nothing without facts', () => {
    expect(dueReminders(none, '2026-11-24')).toEqual([]);
  });

  it('licence renewal: from 90 days before expiry to the day itself', () => {
    const facts = { ...none, licence: { validUntil: '2027-02-22' } };
    expect(kinds(facts, '2026-11-23')).toEqual([]); // 91 days
    expect(kinds(facts, '2026-11-24')).toEqual(['licence:2027-02-22']); // 90 days
    expect(kinds(facts, '2027-02-22')).toEqual(['licence:2027-02-22']); // 0
    expect(kinds(facts, '2027-02-23')).toEqual([]); // expired: another path
  });

  it('vehicle inspection: within 30 days of the due date, keyed by car and date', () => {
    const facts = {
      ...none,
      cars: [
        { vehicleId: '02_桂A12345', plate: '桂A12345', inspectionDue: '2026-12-24' },
        { vehicleId: '02_桂A00001', plate: '桂A00001', inspectionDue: null },
      ],
    };
    expect(kinds(facts, '2026-11-23')).toEqual([]);
    expect(kinds(facts, '2026-11-24')).toEqual(['inspection:02_桂A12345:2026-12-24']);
    expect(kinds(facts, '2026-12-25')).toEqual([]);
  });

  it('fine surcharge: on day 15 after the decision (last day of the fine alone) and a few catch-up days', () => {
    const facts = {
      ...none,
      unpaidDecisions: [{ decisionId: 'D1', decisionNo: '4501000000000013', decidedOn: '2026-11-01', fine: 20000 }],
    };
    expect(kinds(facts, '2026-11-15')).toEqual([]); // day 14
    expect(kinds(facts, '2026-11-16')).toEqual(['surcharge:D1']); // day 15
    expect(kinds(facts, '2026-11-19')).toEqual(['surcharge:D1']); // day 18, catch-up
    expect(kinds(facts, '2026-11-20')).toEqual([]); // too late to be news
    expect(dueReminders(facts, '2026-11-16')[0]?.data['date3']).toEqual({ value: '2026-11-16' });
  });

  it('new violation: received within 7 days, and only after the car was bound', () => {
    expect(kinds({ ...none, violations: [violation('2026-11-20')] }, '2026-11-24')).toEqual(['violation:V1']);
    expect(kinds({ ...none, violations: [violation('2026-11-17')] }, '2026-11-24')).toEqual(['violation:V1']); // 7 days
    expect(kinds({ ...none, violations: [violation('2026-11-16')] }, '2026-11-24')).toEqual([]); // 8 days
    expect(
      kinds({ ...none, violations: [violation('2026-11-20', '2026-11-21T00:00:00+08:00')] }, '2026-11-24'),
    ).toEqual([]); // before binding
  });

  it('new violation: the binding instant decides, not its day; the window is counted in Beijing days', () => {
    const bound = '2026-11-20T15:00:00+08:00';
    expect(kinds({ ...none, violations: [violation('2026-11-20T09:00:00+08:00', bound)] }, '2026-11-24')).toEqual([]); // that morning: already on the list
    expect(kinds({ ...none, violations: [violation('2026-11-20T15:00:00+08:00', bound)] }, '2026-11-24')).toEqual([
      'violation:V1',
    ]); // the same instant
    expect(kinds({ ...none, violations: [violation('2026-11-20T16:00:00+08:00', bound)] }, '2026-11-24')).toEqual([
      'violation:V1',
    ]);
    // 2026-11-16T16:30Z is 2026-11-17 00:30 in Nanning: 7 days before the 24th, still news
    expect(kinds({ ...none, violations: [violation('2026-11-16T16:30:00Z')] }, '2026-11-24')).toEqual(['violation:V1']);
    expect(kinds({ ...none, violations: [violation('2026-11-16T15:30:00Z')] }, '2026-11-24')).toEqual([]); // 16th, 23:30 in Nanning
    expect(kinds({ ...none, violations: [violation('not a date')] }, '2026-11-24')).toEqual([]); // malformed: never news
  });

  it("keeps every template value inside WeChat's limits", () => {
    const [due] = dueReminders({ ...none, violations: [violation('2026-11-24')] }, '2026-11-24');
    expect(due?.data['thing3']?.value.length).toBeLessThanOrEqual(20);
    expect(Array.from(due?.data['thing4']?.value ?? '').length).toBeLessThanOrEqual(20);
    expect(due?.data['car_number1']).toEqual({ value: '桂A12345' });
    expect(due?.data['time2']).toEqual({ value: '2026-11-20 08:30' });
    expect(clip('一二三', 3)).toBe('一二三');
    expect(clip('一二三四', 3)).toBe('一二…');
  });
});

describe('templates', () => {
  it('maps every kind to one template and back', () => {
    for (const kind of REMINDER_KINDS) expect(reminderKindOfTemplate(REMINDER_TEMPLATE_IDS[kind])).toBe(kind);
    expect(reminderKindOfTemplate('nope')).toBeNull();
    expect(isReminderKind('newViolation')).toBe(true);
    expect(isReminderKind('__proto__')).toBe(false);
  });
});

describe("a sweep run's budget", () => {
  it('keeps half of a short time limit and 15 s of a long one; a limit not given or malformed gets the default', () => {
    expect(sweepBudgetMs(3_000)).toBe(1_500); // WeChat's default limit
    expect(sweepBudgetMs(20_000)).toBe(10_000);
    expect(sweepBudgetMs(30_000)).toBe(15_000); // where the two rules meet
    expect(sweepBudgetMs(60_000)).toBe(45_000);
    expect(sweepBudgetMs(1)).toBe(0.5);
    expect(sweepBudgetMs(null)).toBe(SWEEP_DEFAULT_BUDGET_MS);
    expect(sweepBudgetMs(0)).toBe(SWEEP_DEFAULT_BUDGET_MS);
    expect(sweepBudgetMs(-5)).toBe(SWEEP_DEFAULT_BUDGET_MS);
    expect(sweepBudgetMs(Number.NaN)).toBe(SWEEP_DEFAULT_BUDGET_MS);
  });
});
