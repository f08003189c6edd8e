import { ApiError, ConsoleClient } from '../../console/src/api';
import { failureText, formatWait } from '../../console/src/messages';
import { MIN_PASSWORD_LENGTH, passwordHint } from '../../console/src/password';
import { screensFor } from '../../console/src/screens';
import {
  msUntilEnd,
  parseStoredSession,
  sessionState,
  startSession,
  touchSession,
  type Session,
} from '../../console/src/session';

const T0 = Date.parse('2026-12-07T09:00:00+08:00');
const MINUTE = 60_000;
const officer = { login: 'demo-import', name: '黄警官', roles: ['dataImport' as const] };

function signedIn(idleMinutes = 30, hours = 12) {
  return {
    sessionToken: 'ps_token',
    expiresAt: new Date(T0 + hours * 60 * MINUTE).toISOString(),
    idleExpiresAt: new Date(T0 + idleMinutes * MINUTE).toISOString(),
    officer,
    mustEnrol: false,
  };
}

describe('the session', () => {
  it('is idle exactly when its window has passed since the last answered call', () => {
    const s = startSession(signedIn(), T0);
    expect(s.idleMs).toBe(30 * MINUTE);
    expect(sessionState(s, T0 + 30 * MINUTE - 1)).toBe('active');
    expect(sessionState(s, T0 + 30 * MINUTE)).toBe('idle');
    const touched = touchSession(s, T0 + 20 * MINUTE);
    expect(sessionState(touched, T0 + 49 * MINUTE)).toBe('active');
    expect(msUntilEnd(touched, T0 + 49 * MINUTE)).toBe(MINUTE);
    // the clock going back does not shorten the window
    expect(touchSession(touched, T0)).toBe(touched);
  });

  it('expires at its absolute end whatever the activity', () => {
    let s = startSession(signedIn(30, 1), T0);
    for (let m = 20; m < 60; m += 20) s = touchSession(s, T0 + m * MINUTE);
    expect(sessionState(s, T0 + 60 * MINUTE - 1)).toBe('active');
    expect(sessionState(s, T0 + 60 * MINUTE)).toBe('expired');
    expect(msUntilEnd(s, T0 + 61 * MINUTE)).toBe(0);
  });

  it('falls back to the server’s window on unreadable instants, and never believes a window under a minute', () => {
    const s = startSession({ ...signedIn(), idleExpiresAt: 'soon', expiresAt: '' }, T0);
    expect(s.idleMs).toBe(30 * MINUTE);
    expect(s.endsAtMs).toBe(T0 + 30 * MINUTE);
    expect(startSession(signedIn(0), T0).idleMs).toBe(MINUTE);
  });

  it('is read back from storage only when whole', () => {
    const s: Session = startSession(signedIn(), T0);
    expect(parseStoredSession(JSON.stringify(s))).toEqual(s);
    expect(parseStoredSession(null)).toBeNull();
    expect(parseStoredSession('{')).toBeNull();
    expect(parseStoredSession('[]')).toBeNull();
    expect(parseStoredSession(JSON.stringify({ ...s, token: '' }))).toBeNull();
    expect(parseStoredSession(JSON.stringify({ ...s, idleMs: 'x' }))).toBeNull();
    expect(parseStoredSession(JSON.stringify({ ...s, officer: { ...officer, roles: ['superuser'] } }))).toBeNull();
    expect(parseStoredSession(JSON.stringify({ ...s, officer: null }))).toBeNull();
  });
});

describe('the menu', () => {
  it('shows a screen only to the roles its action allows; 账号安全 to everyone', () => {
    expect(screensFor(['dataImport']).map((s) => s.id)).toEqual(['imports', 'account']);
    expect(screensFor(['finance']).map((s) => s.id)).toEqual(['refunds', 'payments', 'account']);
    expect(screensFor(['faultHandling', 'finance']).map((s) => s.id)).toEqual([
      'refunds',
      'faults',
      'payments',
      'account',
    ]);
    expect(screensFor(['audit']).map((s) => s.id)).toEqual(['audit', 'account']);
    expect(screensFor([]).map((s) => s.id)).toEqual(['account']);
  });
});

describe('sentences', () => {
  it('say how long to wait when sign-in is rate limited', () => {
    expect(formatWait(0)).toBe('1 秒');
    expect(formatWait(59.2)).toBe('1 分钟');
    expect(formatWait(45)).toBe('45 秒');
    expect(formatWait(60)).toBe('1 分钟');
    expect(formatWait(90)).toBe('1 分 30 秒');
    expect(failureText(new ApiError('RATE_LIMITED', undefined, { retryAfterSeconds: 90 }))).toBe(
      '尝试次数过多，请在 1 分 30 秒后再试。',
    );
    expect(failureText(new ApiError('RATE_LIMITED'))).toBe('操作太频繁了，请稍后再试。');
  });

  it('keep the server’s sentence otherwise, and hide anything unexpected', () => {
    expect(failureText(new ApiError('SIGN_IN_FAILED'))).toBe('账号、密码或动态验证码不正确。');
    expect(failureText(new ApiError('ACCOUNT_LOCKED'))).toBe('账号因多次登录失败已被锁定，请联系管理员解锁。');
    expect(failureText(new ApiError('FORBIDDEN', '该账号已停用。'))).toBe('该账号已停用。');
    expect(failureText(new ApiError('NETWORK'))).toBe('无法连接到服务器，请检查网络后重试。');
    expect(failureText(new TypeError('x is undefined'))).toBe('系统出了点问题，请稍后重试。');
  });

  it('explain the password rules before sending', () => {
    const ok = { login: 'demo-import', current: 'old-password-1', next: 'a'.repeat(MIN_PASSWORD_LENGTH), again: '' };
    expect(passwordHint({ ...ok, again: ok.next })).toBeNull();
    expect(passwordHint({ ...ok, current: '' })).toBe('请输入当前密码。');
    expect(passwordHint({ ...ok, next: 'a'.repeat(MIN_PASSWORD_LENGTH - 1) })).toBe('新密码至少 12 个字符。');
    expect(passwordHint({ ...ok, login: 'DEMO-IMPORT-12', next: 'demo-import-12' })).toBe('新密码不能与账号相同。');
    expect(passwordHint({ ...ok, next: ok.current + 'x', current: ok.current + 'x' })).toBe(
      '新密码不能与当前密码相同。',
    );
    expect(passwordHint(ok)).toBe('两次输入的新密码不一致。');
  });
});

/** The HTTP access gateway as the client sees it: a function from request to response. */
function gateway(answer: (body: Record<string, unknown>, auth: string | null) => { status?: number; body: unknown }) {
  const requests: { body: Record<string, unknown>; auth: string | null }[] = [];
  const fetch = (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as Record<string, unknown>;
    const auth = new Headers(init?.headers).get('authorization');
    requests.push({ body, auth });
    const a = answer(body, auth);
    return Promise.resolve(new Response(JSON.stringify(a.body), { status: a.status ?? 200 }));
  };
  return { fetch, requests };
}

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
    removeItem: (k: string) => void map.delete(k),
  };
}

describe('ConsoleClient', () => {
  let now = T0;
  beforeEach(() => {
    jest.useFakeTimers();
    now = T0;
  });
  afterEach(() => jest.useRealTimers());

  const ok = (data: unknown) => ({ body: { ok: true, data } });

  it('signs in, sends the session as a bearer token, and keeps it across a reload', async () => {
    const net = gateway((body) => (body['action'] === 'signIn' ? ok(signedIn()) : ok({ reports: [] })));
    const storage = memoryStorage();
    const client = new ConsoleClient({ fetch: net.fetch, storage, now: () => now });
    await client.signIn({ login: 'demo-import', password: 'pw', totp: '123456' });
    expect(net.requests[0]).toEqual({
      body: { action: 'signIn', login: 'demo-import', password: 'pw', totp: '123456' },
      auth: null,
    });
    await client.call('listFaults', { status: 'submitted' });
    expect(net.requests[1]?.auth).toBe('Bearer ps_token');
    const reloaded = new ConsoleClient({ fetch: net.fetch, storage, now: () => now });
    expect(reloaded.current()?.officer).toEqual(officer);
  });

  it('goes back to sign-in on SESSION_EXPIRED, and on a gateway 401 without an envelope', async () => {
    let expired = false;
    const net = gateway((body) => {
      if (body['action'] === 'signIn') return ok(signedIn());
      if (expired) return { status: 401, body: 'Unauthorized' };
      return { body: { ok: false, code: 'SESSION_EXPIRED', message: '登录已过期，请重新登录。' } };
    });
    const client = new ConsoleClient({ fetch: net.fetch, now: () => now });
    const ends: (string | null)[] = [];
    client.subscribe(() => ends.push(client.lastEnd()));
    await client.signIn({ login: 'a', password: 'b', totp: '123456' });
    await expect(client.call('listFaults', { status: 'submitted' })).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(client.current()).toBeNull();
    expect(ends).toEqual([null, 'expired']);
    await client.signIn({ login: 'a', password: 'b', totp: '123456' });
    expired = true;
    await expect(client.call('listFaults', { status: 'submitted' })).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(client.current()).toBeNull();
  });

  it('ends an idle session by its timer, without a call', async () => {
    const net = gateway(() => ok(signedIn()));
    const client = new ConsoleClient({ fetch: net.fetch, now: () => now });
    await client.signIn({ login: 'a', password: 'b', totp: '123456' });
    now += 30 * MINUTE;
    jest.advanceTimersByTime(30 * MINUTE + 100);
    expect(client.current()).toBeNull();
    expect(client.lastEnd()).toBe('idle');
  });

  it('refuses a call after the idle window without sending it', async () => {
    const net = gateway(() => ok(signedIn()));
    const client = new ConsoleClient({ fetch: net.fetch, now: () => now });
    await client.signIn({ login: 'a', password: 'b', totp: '123456' });
    now += 31 * MINUTE;
    await expect(client.call('listFaults', { status: 'submitted' })).rejects.toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(net.requests).toHaveLength(1);
    expect(client.lastEnd()).toBe('idle');
  });

  it('keeps the server’s refusal, and names network failures and broken answers', async () => {
    const net = gateway((body) => {
      if (body['action'] === 'signIn')
        return {
          body: { ok: false, code: 'RATE_LIMITED', message: '操作太频繁了。', details: { retryAfterSeconds: 30 } },
        };
      return { status: 502, body: '<html>bad gateway</html>' };
    });
    const client = new ConsoleClient({ fetch: net.fetch, now: () => now });
    await expect(client.signIn({ login: 'a', password: 'b', totp: '1' })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds: 30 },
    });
    const offline = new ConsoleClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')) });
    await expect(offline.signIn({ login: 'a', password: 'b', totp: '1' })).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('signs out here at once even when the server cannot be reached', async () => {
    let reachable = true;
    const client = new ConsoleClient({
      fetch: (url, init) =>
        reachable ? gateway(() => ok(signedIn())).fetch(url, init) : Promise.reject(new TypeError()),
      now: () => now,
    });
    await client.signIn({ login: 'a', password: 'b', totp: '123456' });
    reachable = false;
    await client.signOut();
    expect(client.current()).toBeNull();
    expect(client.lastEnd()).toBe('signedOut');
  });
});
