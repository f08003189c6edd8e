/**
 * Timer triggers on the local cloud's clock. Each trigger waits for its next fire time and then invokes its
 * function the way WeChat's cloud does: no caller (no OPENID), the event
 *   { Type: 'Timer', TriggerName, Time: '2019-02-21T11:49:00Z', Message: '' }
 * (SCF's timer event, cloud.tencent.com/document/product/583/31927; WeChat's config.json has no message field), and
 * the return value goes nowhere. A run still going when the next time comes does not hold the next one back — WeChat
 * fires anyway, so functions must be idempotent. Moving the clock re-plans every trigger from the new time; the
 * times it jumps over are not fired (POST /timers/<function>/<trigger> fires one by hand).
 */
import type { LocalClock } from '../clock';
import type { TimerTrigger } from '../functions/config';
import { nextFireTime } from './cron';

export interface TimerEvent {
  Type: 'Timer';
  TriggerName: string;
  Time: string;
  Message: string;
}

export interface TimerStatus {
  function: string;
  name: string;
  type: 'timer';
  config: string;
  /** Next scheduled time on the local cloud's clock (ISO), or null when the expression has no time left. */
  nextFireAt: string | null;
  /** false when the local cloud runs with --no-timers: listed, fired only by hand. */
  scheduled: boolean;
  running: number;
  fired: number;
  lastFiredAt: string | null;
  lastError: string | null;
}

export interface SchedulerDeps {
  clock: LocalClock;
  /** Invokes the trigger's function with the event and no openid. */
  run: (trigger: TimerTrigger, event: TimerEvent) => Promise<unknown>;
  /** One JSON line per scheduled run, for the console. */
  log: (line: Record<string, unknown>) => void;
  scheduled: boolean;
}

interface State {
  trigger: TimerTrigger;
  next: Date | null;
  timeout?: NodeJS.Timeout;
  running: number;
  fired: number;
  lastFiredAt: Date | null;
  lastError: string | null;
}

/** Long waits are cut into slices so a drift of the system clock is caught within the hour. */
const MAX_WAIT_MS = 3_600_000;

/** SCF writes the time to the second, without milliseconds. */
function timerTime(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class TimerScheduler {
  private readonly states: State[];
  private stopClockWatch: (() => void) | undefined;
  private stopped = false;

  constructor(
    triggers: readonly TimerTrigger[],
    private readonly deps: SchedulerDeps,
  ) {
    this.states = triggers.map((trigger) => ({
      trigger,
      next: null,
      running: 0,
      fired: 0,
      lastFiredAt: null,
      lastError: null,
    }));
  }

  start(): void {
    for (const state of this.states) this.plan(state);
    if (this.deps.scheduled)
      this.stopClockWatch = this.deps.clock.onChange(() => this.states.forEach((state) => this.plan(state)));
  }

  stop(): void {
    this.stopped = true;
    this.stopClockWatch?.();
    for (const state of this.states) clearTimeout(state.timeout);
  }

  find(functionName: string, triggerName: string): TimerTrigger | undefined {
    return this.states.find((s) => s.trigger.functionName === functionName && s.trigger.name === triggerName)?.trigger;
  }

  list(): TimerStatus[] {
    return this.states.map((s) => ({
      function: s.trigger.functionName,
      name: s.trigger.name,
      type: 'timer',
      config: s.trigger.config,
      nextFireAt:
        (this.deps.scheduled ? s.next : nextFireTime(s.trigger.cron, this.deps.clock.now()))?.toISOString() ?? null,
      scheduled: this.deps.scheduled,
      running: s.running,
      fired: s.fired,
      lastFiredAt: s.lastFiredAt?.toISOString() ?? null,
      lastError: s.lastError,
    }));
  }

  /** Runs the trigger's function once for `time` and answers what it returned (or throws what it threw). */
  async fire(trigger: TimerTrigger, time: Date): Promise<unknown> {
    const state = this.states.find((s) => s.trigger === trigger);
    if (!state) throw new Error(`unknown trigger ${trigger.functionName}/${trigger.name}`);
    state.running += 1;
    state.fired += 1;
    state.lastFiredAt = time;
    try {
      const result = await this.deps.run(trigger, {
        Type: 'Timer',
        TriggerName: trigger.name,
        Time: timerTime(time),
        Message: '',
      });
      state.lastError = null;
      return result;
    } catch (error) {
      state.lastError = (error as Partial<Error> | undefined)?.message ?? String(error);
      throw error;
    } finally {
      state.running -= 1;
    }
  }

  private plan(state: State): void {
    clearTimeout(state.timeout);
    delete state.timeout;
    if (!this.deps.scheduled || this.stopped) return;
    const now = this.deps.clock.now();
    state.next = nextFireTime(state.trigger.cron, now);
    if (state.next) this.wait(state, state.next);
  }

  private wait(state: State, at: Date): void {
    const delay = Math.min(Math.max(at.getTime() - this.deps.clock.now().getTime(), 0), MAX_WAIT_MS);
    state.timeout = setTimeout(() => this.due(state, at), delay);
    // A pending trigger never keeps a process alive on its own.
    state.timeout.unref();
  }

  private due(state: State, at: Date): void {
    if (this.stopped || state.next !== at) return;
    // Early (a timer rounds, or the wait was sliced): wait for the rest.
    if (this.deps.clock.now().getTime() < at.getTime()) {
      this.wait(state, at);
      return;
    }
    const started = Date.now();
    const { functionName, name } = state.trigger;
    // Not awaited: the next time is planned now, whether or not this run has finished.
    this.fire(state.trigger, at).then(
      () =>
        this.deps.log({
          event: 'timer',
          function: functionName,
          trigger: name,
          time: timerTime(at),
          ok: true,
          ms: Date.now() - started,
        }),
      (error: unknown) =>
        this.deps.log({
          event: 'timer',
          function: functionName,
          trigger: name,
          time: timerTime(at),
          ok: false,
          ms: Date.now() - started,
          error: (error as Partial<Error> | undefined)?.message ?? String(error),
        }),
    );
    this.plan(state);
  }
}
