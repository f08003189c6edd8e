import { defineFunction } from '../../_shared/handler';
import { sweepBudgetMs } from '../../../miniprogram/domain/reminder/reminders';
import { reminderStatus, subscribe, sweepReminders } from '../../_shared/reminder/reminders';

export const main = defineFunction(
  'reminder',
  {
    subscribe: (params, caller) => subscribe(caller.openid, params.kinds),
    status: (_params, caller) => reminderStatus(caller.openid),
  },
  // The day's sweep starts at 09:00 (nobody wants a reminder at night) and, if a run's time runs out, the next
  // quarter-hour run resumes it; once the day is done the remaining runs return at once.
  { onTimer: (_trigger, limits) => sweepReminders({ budgetMs: sweepBudgetMs(limits.timeLimitMs) }) },
);
