/**
 * WeChat cloud's timer-trigger cron: seven space-separated fields, all required —
 *   second 0-59 · minute 0-59 · hour 0-23 · day 1-31 · month 1-12|JAN-DEC · weekday 0-6|SUN-SAT (0 = Sunday) · year 1970-2099
 * each a `*`, a number or name, a range `a-b`, a step `*\/n`, `a/n` or `a-b/n`, or a comma list of those.
 * When both day and weekday are restricted either one matching fires (WeChat: "两者为或关系"); times are Beijing
 * time (UTC+8, the trigger rules' time zone). Source: developers.weixin.qq.com …/wxcloud/guide/functions/triggers.html
 */

class CronError extends Error {}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const;
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'weekday', min: 0, max: 6, names: WEEKDAYS },
  { name: 'year', min: 1970, max: 2099 },
];

/** Trigger rules are in Beijing time, which has no daylight saving: a fixed offset is exact. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

export interface Cron {
  source: string;
  seconds: ReadonlySet<number>;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  years: ReadonlySet<number>;
  dayRestricted: boolean;
  weekdayRestricted: boolean;
}

function parseValue(text: string, spec: FieldSpec): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  // Names count from 0 (weekdays) or from the field's minimum (months: JAN = 1).
  if (named >= 0) return named + spec.min;
  if (!/^\d+$/.test(text))
    throw new CronError(
      `${spec.name} "${text}" is not a number${spec.names ? ` or one of ${spec.names.join(',')}` : ''}`,
    );
  const value = Number(text);
  if (value < spec.min || value > spec.max)
    throw new CronError(`${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
  return value;
}

function parseField(text: string, spec: FieldSpec): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw new CronError(`${spec.name} "${text}" has an empty list item`);
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw new CronError(`${spec.name} "${part}" has more than one /`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1)
        throw new CronError(`${spec.name} step "${stepText}" must be a positive integer`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.max;
    } else if (range.includes('-')) {
      const [a = '', b = '', more] = range.split('-');
      if (more !== undefined) throw new CronError(`${spec.name} range "${range}" has more than one -`);
      from = parseValue(a, spec);
      to = parseValue(b, spec);
      if (from > to) throw new CronError(`${spec.name} range "${range}" runs backwards`);
    } else {
      from = parseValue(range, spec);
      // `a/n` means from a to the end of the field, every n (WeChat's example: 1/10 in minutes = 1, 11, 21, …).
      to = stepText !== undefined ? spec.max : from;
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(source: string): Cron {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 7)
    throw new CronError(
      `"${source}" has ${parts.length} fields; WeChat's cron has 7: second minute hour day month weekday year`,
    );
  const sets = parts.map((part, i) => {
    const spec = FIELDS[i] as FieldSpec;
    try {
      return parseField(part, spec);
    } catch (error) {
      throw new CronError(`"${source}": ${(error as Error).message}`);
    }
  });
  const [seconds, minutes, hours, days, months, weekdays, years] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return {
    source,
    seconds,
    minutes,
    hours,
    days,
    months,
    weekdays,
    years,
    // As in Vixie cron, a field starting with * (`*`, `*/2`) does not take part in the day-or-weekday rule.
    dayRestricted: !(parts[3] ?? '*').startsWith('*'),
    weekdayRestricted: !(parts[5] ?? '*').startsWith('*'),
  };
}

function dayMatches(cron: Cron, day: number, weekday: number): boolean {
  if (cron.dayRestricted && cron.weekdayRestricted) return cron.days.has(day) || cron.weekdays.has(weekday);
  return cron.days.has(day) && cron.weekdays.has(weekday);
}

/**
 * The first fire time strictly after `after`, or null when none is left before 2100. Walks field by field (a
 * non-matching month skips to the next month, and so on), so even a yearly schedule takes a few hundred steps.
 */
export function nextFireTime(cron: Cron, after: Date): Date | null {
  // Work on a Date whose UTC fields read as Beijing wall-clock time.
  const t = new Date(Math.floor((after.getTime() + BEIJING_OFFSET_MS) / 1000) * 1000 + 1000);
  for (let guard = 0; guard < 100_000; guard += 1) {
    const year = t.getUTCFullYear();
    if (year > 2099) return null;
    if (!cron.years.has(year)) {
      t.setUTCFullYear(year + 1, 0, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!cron.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dayMatches(cron, t.getUTCDate(), t.getUTCDay())) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!cron.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!cron.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    if (!cron.seconds.has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
      continue;
    }
    return new Date(t.getTime() - BEIJING_OFFSET_MS);
  }
  return null;
}
