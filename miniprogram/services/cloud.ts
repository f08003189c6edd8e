/**
 * The only caller of `wx.cloud.callFunction`. Every page request is `{ action, ...params }` to one function (the
 * same body the local cloud's `POST /functions/<name>` takes), and every answer is the envelope `{ ok: true, data }` or a Failure.
 */
import { type ActionName, type ActionParams, type ActionResult, type FunctionName } from '../domain/api';
import { isErrorCode, type ErrorDetails } from '../domain/core/errors';
import { cached, forgetAnswers, isRead } from './cache';
import { ServiceError } from './errors';

type Dict = Record<string, unknown>;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** WeChat reports a function that threw (or timed out) with -504002 / "functions execute fail". */
function functionCrashed(error: unknown): boolean {
  if (!isDict(error)) return false;
  const errMsg = typeof error['errMsg'] === 'string' ? error['errMsg'] : '';
  return error['errCode'] === -504002 || errMsg.indexOf('functions execute fail') >= 0;
}

async function invoke(name: FunctionName, data: Dict): Promise<unknown> {
  try {
    const res = await wx.cloud.callFunction({ name, data });
    return res.result;
  } catch (error: unknown) {
    // callFunction:fail is the network or the platform, never a rule: say so in words a driver understands
    throw new ServiceError(functionCrashed(error) ? 'INTERNAL' : 'NETWORK');
  }
}

function failureOf(envelope: Dict): ServiceError {
  const code = isErrorCode(envelope['code']) ? envelope['code'] : 'INTERNAL';
  const message = typeof envelope['message'] === 'string' ? envelope['message'] : undefined;
  const details = isDict(envelope['details']) ? (envelope['details'] as ErrorDetails) : undefined;
  return new ServiceError(code, message, details);
}

/** Calls `fn`'s `action` with `params`; resolves with `data`, or throws a ServiceError with the server's sentence. */
export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  params: ActionParams<F, A>,
): Promise<ActionResult<F, A>> {
  let result: unknown;
  try {
    result = await invoke(fn, Object.assign({}, params, { action }));
  } finally {
    // after the answer, so a read started meanwhile is dropped too; a failed change may have half-happened
    if (!isRead(fn, action)) forgetAnswers();
  }
  if (!isDict(result) || typeof result['ok'] !== 'boolean') throw new ServiceError('INTERNAL');
  if (!result['ok']) throw failureOf(result);
  // the contract (domain/api.ts) is what both sides compile against; the data is trusted to match it
  return result['data'] as ActionResult<F, A>;
}

/** A read kept for a minute per action and params (services/cache.ts); any change drops it. */
export function cachedCall<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  params: ActionParams<F, A>,
): Promise<ActionResult<F, A>> {
  return cached(`${fn}.${action}:${JSON.stringify(params)}`, () => call(fn, action, params));
}
