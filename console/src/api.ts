/**
 * The console's one client of the `admin` function, over CloudBase's HTTP access service: it POSTs
 * `{ action, ...params }` as JSON with the officer's session as a bearer token and unwraps the envelope. It owns the
 * session: kept in sessionStorage (a reload keeps it, closing the tab ends it), ended on SESSION_EXPIRED, after the
 * idle window, or at sign-out; listeners (the app shell) are told so they can go back to the sign-in screen. A sign-in
 * with a temporary password answers an enrolment instead: held by the sign-in screen only, never stored, and turned
 * into a session when the officer completes it.
 */
import type { ParamsOf, ResultOf } from '../../miniprogram/domain/core/envelope';
import { ERROR_MESSAGES, isErrorCode, type ErrorCode, type ErrorDetails } from '../../miniprogram/domain/core/errors';
import type { ConsoleAction, ConsoleActions, SignInParams } from './contract';
import { msUntilEnd, parseStoredSession, sessionState, startSession, touchSession, type Session } from './session';

/** Where the `admin` function is mapped: the local cloud's path; a deployment on another domain changes this line. */
const API_URL = '/http/police';

const STORAGE_KEY = 'police-console-session';

/** Failures that never reached the function get codes of their own. */
const CLIENT_MESSAGES = {
  NETWORK: '无法连接到服务器，请检查网络后重试。',
  CANCELLED: '已取消。',
} as const;

export type ApiErrorCode = ErrorCode | keyof typeof CLIENT_MESSAGES;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ApiErrorCode, message?: string, details?: ErrorDetails) {
    super(message === undefined || message === '' ? defaultMessage(code) : message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
  }
}

function defaultMessage(code: ApiErrorCode): string {
  return isErrorCode(code) ? ERROR_MESSAGES[code] : CLIENT_MESSAGES[code];
}

/** Why a session ended, for the sign-in screen's notice. */
export type SessionEnd = 'signedOut' | 'idle' | 'expired' | 'passwordChanged';

/** A short enrolment session (temporary password): it reaches only startEnrolment and completeEnrolment. */
export interface Enrolment {
  readonly kind: 'enrolment';
  readonly token: string;
  readonly officer: Session['officer'];
  /** Epoch ms when the server ends it. */
  readonly endsAtMs: number;
}

type Params<A extends ConsoleAction> = ParamsOf<ConsoleActions[A]>;
type Result<A extends ConsoleAction> = ResultOf<ConsoleActions[A]>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The envelope of an answer, or the ApiError that stands for it. */
function unwrap(status: number, body: unknown): unknown {
  if (isRecord(body) && body['ok'] === true) return body['data'];
  if (isRecord(body) && body['ok'] === false) {
    const code = isErrorCode(body['code']) ? body['code'] : 'INTERNAL';
    const message = typeof body['message'] === 'string' ? body['message'] : undefined;
    const details = isRecord(body['details']) ? (body['details'] as ErrorDetails) : undefined;
    throw new ApiError(code, message, details);
  }
  // a gateway's own refusal carries no envelope
  if (status === 401) throw new ApiError('SESSION_EXPIRED');
  if (status === 403) throw new ApiError('FORBIDDEN');
  if (status === 429) throw new ApiError('RATE_LIMITED');
  throw new ApiError('INTERNAL');
}

export interface ClientOptions {
  readonly url?: string;
  readonly fetch?: typeof fetch;
  readonly storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  readonly now?: () => number;
}

export class ConsoleClient {
  private session: Session | null;
  private ended: SessionEnd | null = null;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly url: string;
  private readonly fetch: typeof fetch;
  private readonly storage: ClientOptions['storage'];
  private readonly now: () => number;

  constructor(options: ClientOptions = {}) {
    this.url = options.url ?? API_URL;
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.storage = options.storage;
    this.now = options.now ?? Date.now;
    const stored = parseStoredSession(this.storage?.getItem(STORAGE_KEY) ?? null);
    this.session = stored !== null && sessionState(stored, this.now()) === 'active' ? stored : null;
    this.schedule();
  }

  /** The current session (null when signed out); a new object after every change, as useSyncExternalStore needs. */
  current = (): Session | null => this.session;

  /** Why the last session ended, until the next sign-in. */
  lastEnd(): SessionEnd | null {
    return this.ended;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** A session, or an enrolment when the password was a temporary one (the officer then enrols first). */
  async signIn(params: SignInParams): Promise<Session | Enrolment> {
    const result = await this.send('signIn', params, null);
    if (result.mustEnrol) {
      const end = Date.parse(result.expiresAt);
      return {
        kind: 'enrolment',
        token: result.sessionToken,
        officer: result.officer,
        endsAtMs: Number.isFinite(end) ? end : this.now() + 15 * 60_000,
      };
    }
    return this.begin(result);
  }

  /** A fresh TOTP secret for the enrolling officer (a second call replaces the first). */
  startEnrolment(enrolment: Enrolment): Promise<Result<'startEnrolment'>> {
    return this.send('startEnrolment', {}, enrolment.token);
  }

  /** The officer's own password and a code of the new secret: answered with a normal session, which starts here. */
  async completeEnrolment(enrolment: Enrolment, params: Params<'completeEnrolment'>): Promise<Session> {
    return this.begin(await this.send('completeEnrolment', params, enrolment.token));
  }

  private begin(result: Result<'signIn'>): Session {
    const session = startSession(result, this.now());
    this.ended = null;
    this.set(session);
    return session;
  }

  /** Ends the session here at once, then tells the server (whose refusal changes nothing). */
  async signOut(reason: SessionEnd = 'signedOut'): Promise<void> {
    const session = this.session;
    this.end(reason);
    if (session === null) return;
    try {
      await this.send('signOut', {}, session.token);
    } catch {
      // the token is forgotten either way; the server ends it at its idle limit
    }
  }

  /** Calls `action` as the signed-in officer. */
  async call<A extends ConsoleAction>(action: A, params: Params<A>, signal?: AbortSignal): Promise<Result<A>> {
    const session = this.session;
    if (session === null) throw new ApiError('SESSION_EXPIRED');
    const state = sessionState(session, this.now());
    if (state !== 'active') {
      this.end(state === 'idle' ? 'idle' : 'expired');
      throw new ApiError('SESSION_EXPIRED');
    }
    try {
      const result = await this.send(action, params, session.token, signal);
      if (this.session?.token === session.token) this.set(touchSession(this.session, this.now()));
      return result;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'SESSION_EXPIRED' && this.session?.token === session.token)
        this.end('expired');
      throw error;
    }
  }

  private async send<A extends ConsoleAction>(
    action: A,
    params: Params<A>,
    token: string | null,
    signal?: AbortSignal,
  ): Promise<Result<A>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    let response: Response;
    let body: unknown = null;
    try {
      response = await this.fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ...params, action }),
        ...(signal === undefined ? {} : { signal }),
      });
      const text = await response.text();
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    } catch {
      throw new ApiError(signal?.aborted === true ? 'CANCELLED' : 'NETWORK');
    }
    // the contract (AdminActions) is what both sides compile against; the data is trusted to match it
    return unwrap(response.status, body) as Result<A>;
  }

  private set(session: Session | null): void {
    this.session = session;
    if (session === null) this.storage?.removeItem(STORAGE_KEY);
    else this.storage?.setItem(STORAGE_KEY, JSON.stringify(session));
    this.schedule();
    for (const listener of this.listeners) listener();
  }

  private end(reason: SessionEnd): void {
    if (this.session === null) return;
    this.ended = reason;
    this.set(null);
  }

  /** One timer at the session's end, so an idle console goes back to sign-in even when nobody clicks. */
  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const session = this.session;
    if (session === null) return;
    // capped: browsers fire longer timeouts at once, and a sleeping laptop's timer is late anyway
    const wait = Math.min(msUntilEnd(session, this.now()) + 50, 60_000);
    this.timer = setTimeout(() => {
      const state = this.session === null ? 'active' : sessionState(this.session, this.now());
      if (state === 'active') this.schedule();
      else this.end(state === 'idle' ? 'idle' : 'expired');
    }, wait);
  }
}
