/**
 * The edge of every cloud function: unwrap an HTTP access call (http-access.ts), authorise, parse the event with the
 * domain's parser, hand the typed params to the use case with the caller's identity, and translate whatever happens
 * into `{ ok: true, data }` or `{ ok: false, code, message }` — once, here.
 */
import { DomainError, invalidArgument, toFailure, type Failure } from '../../miniprogram/domain/core/errors';
import { callerOpenid } from './cloud';
import { today } from './clock';
import { unwrapHttpEvent } from './http-access';
import type { ParsedParams, ServerActionName, ServerActionResult, ServerFunctionName } from './actions';
import { parseEvent } from './parse/event';

export interface Caller {
  /** '' when WeChat injected none (server-to-server calls, triggers, HTTP access). */
  openid: string;
  /** Present when the call came through CloudBase's HTTP access service rather than callFunction. */
  readonly http?: HttpOrigin;
}

/** What an HTTP access call says about its sender, beyond the body. */
export interface HttpOrigin {
  /** The `Authorization: Bearer …` token, when one was sent. */
  readonly bearer: string | null;
  /** The client's address as the gateway reports it. */
  readonly sourceIp: string | null;
}

export type Handlers<F extends ServerFunctionName, C extends Caller = Caller> = {
  readonly [A in ServerActionName<F>]: (params: ParsedParams<F, A>, caller: C) => Promise<ServerActionResult<F, A>>;
};

export interface FunctionOptions<C extends Caller = Caller> {
  /**
   * Runs before the event is parsed (the police side's credential check), so an unauthorised caller learns nothing;
   * what it returns is the caller the handlers get.
   */
  authorise?: (event: unknown, caller: Caller) => C | Promise<C>;
  /** A timer trigger's run (config.json `triggers`); only WeChat's own invocation, which carries no openid, reaches it. */
  onTimer?: (triggerName: string, limits: RunLimits) => Promise<unknown>;
}

/** What the platform tells a run about itself (SCF's context; the local cloud passes the same field). */
export interface RunLimits {
  /** The function's configured time limit, when the platform said; the run is killed at it. */
  timeLimitMs: number | null;
}

function runLimitsOf(context: unknown): RunLimits {
  const limit =
    typeof context === 'object' && context !== null
      ? (context as { time_limit_in_ms?: unknown }).time_limit_in_ms
      : undefined;
  return { timeLimitMs: typeof limit === 'number' && Number.isFinite(limit) && limit > 0 ? limit : null };
}

/** WeChat's timer event: `{ Type: 'Timer', TriggerName, Time }`. */
function timerName(event: unknown): string | null {
  if (typeof event !== 'object' || event === null || (event as { Type?: unknown }).Type !== 'Timer') return null;
  const name = (event as { TriggerName?: unknown }).TriggerName;
  return typeof name === 'string' ? name : '';
}

export type Reply = { ok: true; data: unknown } | Failure;

export function defineFunction<F extends ServerFunctionName, C extends Caller = Caller>(
  fn: F,
  handlers: Handlers<F, C>,
  options: FunctionOptions<C> = {},
): (event: unknown, context?: unknown) => Promise<Reply> {
  return async function main(event: unknown, context?: unknown): Promise<Reply> {
    let action = '?';
    try {
      const openid = callerOpenid();
      // The gateway's call never carries an openid; a mini program sending that shape is read as its own event.
      const http = openid === '' ? unwrapHttpEvent(event) : ({ kind: 'none' } as const);
      if (http.kind === 'invalid') throw invalidArgument('body', http.message);
      const caller: Caller = http.kind === 'call' ? { openid: '', http: http.origin } : { openid };
      const call = http.kind === 'call' ? http.event : event;
      // Only the raw event can be a trigger: a body saying `Type: 'Timer'` came from the internet.
      const trigger = http.kind === 'none' ? timerName(event) : null;
      if (trigger !== null && options.onTimer) {
        action = `timer:${trigger}`;
        // A mini program can call any function with any event; a real trigger has no user behind it.
        if (caller.openid !== '') throw new DomainError('FORBIDDEN');
        return { ok: true, data: await options.onTimer(trigger, runLimitsOf(context)) };
      }
      // Without an authorise step C is Caller itself (its default).
      const authorised = options.authorise ? await options.authorise(call, caller) : (caller as C);
      const parsed = parseEvent(fn, call, { today: today() });
      action = parsed.action;
      const handler = handlers[parsed.action] as (params: unknown, caller: C) => Promise<unknown>;
      return { ok: true, data: await handler(parsed.params, authorised) };
    } catch (error) {
      // Domain errors are answers; anything else is a bug or an outage and is logged for the on-call engineer.
      if (!(error instanceof DomainError)) console.error(`[${fn}.${action}]`, error);
      return toFailure(error);
    }
  };
}
