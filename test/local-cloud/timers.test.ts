/**
 * Timer triggers declared as WeChat declares them (config.json `triggers`, 7-field cron in Beijing time): the cron
 * parser at its edges, refusal of a config WeChat would refuse, runs on schedule against the local cloud's clock
 * (event { Type: 'Timer', TriggerName, Time, Message }, no OPENID), runs by hand (POST /timers/…, the CLI's `fire`)
 * that may overlap, and --no-timers.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { nextFireTime, parseCron } from '../../scripts/local-cloud/timers/cron';
import { CLI, functionsFolder, pointSdkAt, sdk, startLocalCloud, useLocalCloud, type DB } from '../helpers/local-cloud';
import { defined, match } from '../helpers/matchers';

jest.setTimeout(20_000);

const run = promisify(execFile);

// Records every run in the database (start and end), so tests see what fired, when, and whether runs overlapped.
const RECORDER = `
const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
const db = cloud.database();
exports.main = async (event, context) => {
  const startedAt = Date.now();
  if (event.Type === 'Timer' && event.TriggerName === 'slow') await new Promise((r) => setTimeout(r, 800));
  const run = { fn: context.function_name, event, openid: cloud.getWXContext().OPENID ?? null, startedAt, endedAt: Date.now() };
  await db.collection('runs').add({ data: run });
  return { ran: true, trigger: event.TriggerName, time: event.Time };
};`;

const folder = functionsFolder({
  // Every second: shows runs on schedule within a test's time.
  tick: { source: RECORDER, config: { triggers: [{ name: 'everySecond', type: 'timer', config: '* * * * * * *' }] } },
  // 02:00 Beijing time every day: fired by moving the clock to just before it, and by hand.
  nightly: {
    source: RECORDER,
    config: { permissions: { openapi: [] }, triggers: [{ name: 'daily', type: 'timer', config: '0 0 2 * * * *' }] },
  },
  // A far-off yearly schedule, fired by hand to test overlapping runs (its name makes the function sleep).
  lagging: { source: RECORDER, config: { triggers: [{ name: 'slow', type: 'timer', config: '0 0 0 1 JAN * 2099' }] } },
  failing: {
    source: "exports.main = async () => { throw new Error('boom in a timer'); };",
    config: { triggers: [{ name: 'never', type: 'timer', config: '0 0 0 1 JAN * 2099' }] },
  },
  plain: { source: RECORDER },
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const cloud = useLocalCloud({ functions: folder, instances: 4, timers: true });

// The test reads what the functions wrote through the SDK, as another function would.
let db: DB;
let restoreEnv: (() => void) | undefined;
beforeAll(() => {
  restoreEnv = pointSdkAt(cloud());
  db = sdk().database();
});
afterAll(() => restoreEnv?.());

interface Run {
  fn: string;
  event: { Type: string; TriggerName: string; Time: string; Message: string };
  openid: string | null;
  startedAt: number;
  endedAt: number;
}

interface TimerStatus {
  function: string;
  name: string;
  config: string;
  nextFireAt: string | null;
  scheduled: boolean;
  fired: number;
  lastError: string | null;
}

async function runs(fn: string): Promise<Run[]> {
  try {
    const { data } = await db.collection('runs').where({ fn }).orderBy('startedAt', 'asc').limit(1000).get();
    return data as Run[];
  } catch (error) {
    // Before the first run the collection does not exist yet.
    if ((error as Partial<Error> | undefined)?.message?.includes('not exist')) return [];
    throw error;
  }
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 6000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function timers(): Promise<TimerStatus[]> {
  return (await cloud().request<{ timers: TimerStatus[] }>('GET', '/timers')).body.timers;
}

describe('WeChat cron', () => {
  const at = (iso: string) => new Date(iso);
  const next = (expr: string, after: string) => nextFireTime(parseCron(expr), at(after))?.toISOString() ?? null;

  it('reads the 7 fields in Beijing time', () => {
    // 02:00:00 Beijing = 18:00:00 UTC the day before.
    expect(next('0 0 2 * * * *', '2024-05-01T10:00:00Z')).toBe('2024-05-01T18:00:00.000Z');
    expect(next('0 0 2 * * * *', '2024-05-01T18:00:00Z')).toBe('2024-05-02T18:00:00.000Z');
    expect(next('0 0 2 1 * * *', '2024-05-01T10:00:00Z')).toBe('2024-05-31T18:00:00.000Z');
  });

  it('takes numbers, *, lists, ranges, steps (*/n, a/n, a-b/n) and names', () => {
    expect(next('*/5 * * * * * *', '2024-05-01T00:00:01Z')).toBe('2024-05-01T00:00:05.000Z');
    expect(next('0 1/10 * * * * *', '2024-05-01T00:02:00Z')).toBe('2024-05-01T00:11:00.000Z');
    expect(next('0 0 10,14,16 * * * *', '2024-05-01T03:00:00Z')).toBe('2024-05-01T06:00:00.000Z');
    expect(next('0 */30 9-17 * * * *', '2024-05-01T09:45:00Z')).toBe('2024-05-02T01:00:00.000Z');
    expect(next('0 0 8-20/6 * * * *', '2024-05-01T00:00:01Z')).toBe('2024-05-01T06:00:00.000Z');
    // 10:15 Monday to Friday; 2024-05-04 is a Saturday.
    expect(next('0 15 10 * * MON-FRI *', '2024-05-03T03:00:00Z')).toBe('2024-05-06T02:15:00.000Z');
    expect(next('0 0 12 * * WED *', '2024-05-01T05:00:00Z')).toBe('2024-05-08T04:00:00.000Z');
    expect(next('0 0 0 1 JAN * *', '2024-05-01T00:00:00Z')).toBe('2024-12-31T16:00:00.000Z');
    expect(next('0 0 0 * * * 2026', '2024-05-01T00:00:00Z')).toBe('2025-12-31T16:00:00.000Z');
  });

  it('treats a day and a weekday both given as either one (WeChat: 或关系)', () => {
    // The 15th, or any Sunday: after Wednesday 2024-05-01, Sunday the 5th comes first.
    expect(next('0 0 0 15 * SUN *', '2024-05-01T00:00:00Z')).toBe('2024-05-04T16:00:00.000Z');
    expect(next('0 0 0 15 * SUN *', '2024-05-11T17:00:00Z')).toBe('2024-05-14T16:00:00.000Z');
  });

  it('answers null when no time is left, and refuses what it cannot read with the reason', () => {
    expect(next('0 0 0 31 2 * *', '2024-01-01T00:00:00Z')).toBeNull();
    expect(next('0 0 0 * * * 2023', '2024-01-01T00:00:00Z')).toBeNull();
    expect(() => parseCron('0 0 2 * * *')).toThrow(/6 fields; WeChat's cron has 7/);
    expect(() => parseCron('0 0 24 * * * *')).toThrow(/hour 24 is outside 0-23/);
    expect(() => parseCron('0 0 2 * FOO * *')).toThrow(/month "FOO" is not a number or one of JAN/);
    expect(() => parseCron('0 0 2 * * * 2100')).toThrow(/year 2100 is outside 1970-2099/);
    expect(() => parseCron('*/0 * * * * * *')).toThrow(/step "0" must be a positive integer/);
    expect(() => parseCron('0 0 5-2 * * * *')).toThrow(/runs backwards/);
    expect(() => parseCron('0 0 1,,2 * * * *')).toThrow(/empty list item/);
  });
});

describe('config.json WeChat would refuse stops the start', () => {
  const refused = async (config: unknown, reason: RegExp) => {
    const bad = functionsFolder({ broken: { source: RECORDER, config } });
    try {
      await expect(startLocalCloud({ functions: bad })).rejects.toThrow(reason);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  };

  it('an unparseable cron, naming the file and the field', async () => {
    await refused(
      { triggers: [{ name: 'daily', type: 'timer', config: '0 0 25 * * * *' }] },
      /broken[/\\]config\.json: triggers\[0\] \(daily\): "0 0 25 \* \* \* \*": hour 25 is outside 0-23/,
    );
  });

  it('two triggers, a non-timer type, a bad name, or not JSON', async () => {
    const daily = { name: 'daily', type: 'timer', config: '0 0 2 * * * *' };
    await refused(
      { triggers: [daily, { ...daily, name: 'again' }] },
      /declares 2 triggers; WeChat cloud supports one trigger per function/,
    );
    await refused({ triggers: [{ ...daily, type: 'http' }] }, /supports only "timer"/);
    await refused({ triggers: [{ ...daily, name: '1st' }] }, /starting with a letter/);
    await refused('{ "triggers": [ // a comment\n] }', /not valid JSON/);
  });
});

describe('on schedule', () => {
  it('fires every second with the timer event and no OPENID', async () => {
    const seen = await until(
      () => runs('tick'),
      (list) => list.length >= 2,
    );
    expect(seen.length).toBeGreaterThanOrEqual(2);
    for (const r of seen) {
      expect(r.event).toEqual({
        Type: 'Timer',
        TriggerName: 'everySecond',
        Time: match.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        Message: '',
      });
      expect(r.openid).toBeNull();
    }
    // Each run is for its own whole second (a busy machine may skip one, never repeat one).
    const times = seen.map((r) => Date.parse(r.event.Time));
    expect(new Set(times).size).toBe(times.length);
    for (const t of times) expect(t % 1000).toBe(0);
  });

  it('lists triggers with their next time, and follows the clock when it moves', async () => {
    const list = await timers();
    expect(list.map((t) => `${t.function}/${t.name}`).sort()).toEqual([
      'failing/never',
      'lagging/slow',
      'nightly/daily',
      'tick/everySecond',
    ]);
    const daily = defined(list.find((t) => t.name === 'daily'));
    expect(daily).toMatchObject({ config: '0 0 2 * * * *', scheduled: true });
    expect(daily.nextFireAt).toMatch(/T18:00:00\.000Z$/);

    // Put the clock 1.5 s before the next 02:00 Beijing: the daily trigger fires for that exact time.
    const target = Date.parse(defined(daily.nextFireAt));
    await cloud().request('POST', '/sandbox/clock', JSON.stringify({ offsetMs: target - 1500 - Date.now() }), {
      'content-type': 'application/json',
    });
    try {
      const fired = await until(
        () => runs('nightly'),
        (l) => l.some((r) => r.event.Time === new Date(target).toISOString().replace('.000Z', 'Z')),
        5000,
      );
      expect(fired.map((r) => r.event.Time)).toContain(new Date(target).toISOString().replace('.000Z', 'Z'));
      const after = defined((await timers()).find((t) => t.name === 'daily'));
      expect(Date.parse(defined(after.nextFireAt)) - target).toBe(86_400_000);
    } finally {
      await cloud().request('POST', '/sandbox/clock', JSON.stringify({ offsetMs: 0 }), {
        'content-type': 'application/json',
      });
    }
  });
});

describe('by hand', () => {
  it('POST /timers/<function>/<trigger> runs it now and answers what the function returned', async () => {
    const { status, body } = await cloud().request<{ ran: boolean; trigger: string; time: string }>(
      'POST',
      '/timers/nightly/daily',
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ ran: true, trigger: 'daily', time: match.stringMatching(/Z$/) });
    // A chosen time for the event, e.g. to replay a given night.
    const replay = await cloud().request<{ time: string }>(
      'POST',
      '/timers/nightly/daily',
      JSON.stringify({ time: '2024-05-01T18:00:00Z' }),
      { 'content-type': 'application/json' },
    );
    expect(replay.body.time).toBe('2024-05-01T18:00:00Z');
  });

  it('two runs fired together overlap, as WeChat lets a late run overlap the next', async () => {
    const [a, b] = await Promise.all([
      cloud().request('POST', '/timers/lagging/slow'),
      cloud().request('POST', '/timers/lagging/slow'),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const [first, second] = await runs('lagging');
    expect(first && second).toBeTruthy();
    // The second started before the first ended.
    expect(defined(second).startedAt).toBeLessThan(defined(first).endedAt);
  });

  it('unknown triggers are 404; a failing function is a 500 with its error, as POST /functions answers', async () => {
    expect((await cloud().request('POST', '/timers/plain/daily')).status).toBe(404);
    expect((await cloud().request('POST', '/timers/nightly/nope')).status).toBe(404);
    expect(
      (
        await cloud().request('POST', '/timers/nightly/daily', JSON.stringify({ time: 'yesterday' }), {
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(400);
    const failed = await cloud().request<{ errCode: string; errMsg: string }>('POST', '/timers/failing/never');
    expect(failed.status).toBe(500);
    expect(failed.body.errMsg).toContain('boom in a timer');
    expect((await timers()).find((t) => t.name === 'never')).toMatchObject({
      fired: 1,
      lastError: match.stringContaining('boom in a timer'),
    });
  });

  it('the CLI fires a trigger of a running local cloud and prints what the function returned', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'fire', 'nightly', 'daily', '--port', String(cloud().port)]);
    expect(JSON.parse(stdout)).toMatchObject({ ran: true, trigger: 'daily' });
    const listed = await run(process.execPath, [CLI, 'timers', '--port', String(cloud().port)]);
    expect((JSON.parse(listed.stdout) as { timers: TimerStatus[] }).timers).toHaveLength(4);
    await expect(
      run(process.execPath, [CLI, 'fire', 'nightly', 'nope', '--port', String(cloud().port)]),
    ).rejects.toMatchObject({ code: 1, stdout: match.stringContaining('TRIGGER_NOT_FOUND') });
  });
});

describe('--no-timers', () => {
  it('lists the triggers but fires them by hand only', async () => {
    const quiet = await startLocalCloud({ functions: folder, timers: false });
    try {
      const { body } = await quiet.request<{ timers: TimerStatus[] }>('GET', '/timers');
      expect(body.timers.every((t) => !t.scheduled)).toBe(true);
      expect(body.timers.find((t) => t.name === 'everySecond')?.nextFireAt).toEqual(expect.any(String));
      await new Promise((r) => setTimeout(r, 1500));
      const listed = await quiet.request<{ timers: TimerStatus[] }>('GET', '/timers');
      expect(listed.body.timers.find((t) => t.name === 'everySecond')?.fired).toBe(0);
      expect((await quiet.request('POST', '/timers/tick/everySecond')).status).toBe(200);
    } finally {
      await quiet.stop();
    }
  });
});
