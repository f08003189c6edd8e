/** The shape of one action of the contract; the envelope around its answer is `{ ok: true, data }` or a Failure. */

/** Params of actions that take none (the event may still carry `action` and WeChat's `userInfo`). */
export type EmptyParams = Readonly<Record<string, never>>;

/** One action: what the page sends, what `parseEvent` returns to the function, what comes back in `data`. */
export interface Action<Params, Result, Parsed = Params> {
  readonly params: Params;
  readonly parsed: Parsed;
  readonly result: Result;
}

/** The parts of one action, read off its `Action` type. */
export type ParamsOf<T> = T extends Action<infer P, unknown, unknown> ? P : never;
export type ResultOf<T> = T extends Action<unknown, infer R, unknown> ? R : never;
export type ParsedOf<T> = T extends Action<unknown, unknown, infer Q> ? Q : never;
