/**
 * Every function the server answers with `{ action, ...params }`: the phone's contract plus the police side's
 * `admin` (payCallback is not here: WeChat Pay sends its own event).
 */
import type { ActionMap } from '../../miniprogram/domain/api';
import type { ParsedOf, ResultOf } from '../../miniprogram/domain/core/envelope';
import type { AdminActions } from './police/contract';

export interface ServerActionMap extends ActionMap {
  readonly admin: AdminActions;
}

export type ServerFunctionName = keyof ServerActionMap;

export type ServerActionName<F extends ServerFunctionName> = keyof ServerActionMap[F] & string;

export type ServerActionResult<F extends ServerFunctionName, A extends ServerActionName<F>> = ResultOf<
  ServerActionMap[F][A]
>;

/** What the parser hands the use case (an import's rows come parsed, with the rows that failed). */
export type ParsedParams<F extends ServerFunctionName, A extends ServerActionName<F>> = ParsedOf<ServerActionMap[F][A]>;

/** What `parseEvent(fn, …)` returns: a union discriminated by `action`, so a function can `switch` on it. */
export type ParsedEvent<F extends ServerFunctionName> = {
  [A in ServerActionName<F>]: { readonly action: A; readonly params: ParsedParams<F, A> };
}[ServerActionName<F>];
