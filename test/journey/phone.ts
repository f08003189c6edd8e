/**
 * A phone for the journey test: the pages as miniprogram-simulate renders them, with every `wx.cloud.callFunction`
 * sent to the local cloud's `/functions` as this phone's openid, and the two WeChat screens the pages open answered
 * by the local cloud's sandboxes:
 *
 * - `wx.requestFacialVerify`: the person in front of the camera passes (`POST /sandbox/face/<verifyId>`), then WeChat
 *   calls `success`, as it does after a finished scan (the verdict is the cloud's, read by the page's next call);
 * - `wx.requestPayment`: the payer pays (`POST /sandbox/pay/<outTradeNo>`: WeChat Pay records the payment and runs
 *   the real payCallback function), then WeChat calls `success`. WeChat knows the order by the prepay in `package`;
 *   the phone finds it in the `payment.create` answer that carried that package.
 *
 * One page is on screen at a time across all phones: `open()` unloads the previous one, because every load gives the
 * process a fresh global `wx` and a page left mounted (a polling timer) would call into the next one's.
 */
import type { RunningCloud } from '../helpers/local-cloud';
import { defined } from '../helpers/matchers';
import { loadPage, localCloud, settle, type Loaded } from '../helpers/simulate';

type Dict = Record<string, unknown>;

/** One cloud call a page made and what the function answered. */
export interface Exchange {
  readonly name: string;
  readonly data: Dict;
  readonly result: unknown;
}

interface WxCallbacks {
  success?: (res: Dict) => void;
  fail?: (res: Dict) => void;
  complete?: (res: Dict) => void;
}

type NavigationApi = 'navigateTo' | 'redirectTo' | 'reLaunch';

let onScreen: Loaded | undefined;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Calls WeChat's callbacks the way an async wx API does: success or fail, then complete. */
function answer(options: WxCallbacks, ok: boolean, res: Dict): void {
  if (ok) options.success?.(res);
  else options.fail?.(res);
  options.complete?.(res);
}

/** The query WeChat hands a page opened with `url`: values still percent-encoded, as pageUrl left them. */
function queryOf(url: string): Record<string, string> {
  const search = url.indexOf('?') >= 0 ? url.slice(url.indexOf('?') + 1) : '';
  const query: Record<string, string> = {};
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) query[pair] = '';
    else query[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return query;
}

/** Where `page` last went with `api` (the url it passed); fails when it went nowhere or not to `route`. */
export function wentTo(page: Loaded, api: NavigationApi, route: string): string {
  const calls = page.wx[api].mock.calls as Array<[{ url?: unknown }?]>;
  const last = calls[calls.length - 1]?.[0];
  const url = typeof last?.url === 'string' ? last.url : '';
  const path = url.split('?')[0];
  if (path !== route) {
    throw new Error(
      `expected wx.${api} to ${route}, got ${calls.length === 0 ? 'no call' : JSON.stringify(calls.map((c) => c[0]?.url))}`,
    );
  }
  return url;
}

export class Phone {
  /** Every cloud call this phone's pages made, with the answer. */
  readonly exchanges: Exchange[] = [];
  /** Sandbox replies to this phone's face scans and payments, in order. */
  readonly sandboxReplies: Array<{ path: string; status: number; body: unknown }> = [];

  readonly requestFacialVerify = jest.fn((options: WxCallbacks & { verifyId?: string }) => {
    void this.sandbox(`face/${encodeURIComponent(String(options.verifyId))}`, { pass: true }).then(
      ({ status, body }) =>
        answer(
          options,
          status === 200,
          status === 200
            ? { errMsg: 'requestFacialVerify:ok' }
            : { errMsg: `requestFacialVerify:fail ${JSON.stringify(body)}` },
        ),
      (error: unknown) => answer(options, false, { errMsg: `requestFacialVerify:fail ${String(error)}` }),
    );
  });

  readonly requestPayment = jest.fn((options: WxCallbacks & { package?: string }) => {
    const outTradeNo = this.outTradeNoOf(String(options.package));
    if (outTradeNo === undefined) {
      answer(options, false, {
        errMsg: `requestPayment:fail no order was created with package ${String(options.package)}`,
      });
      return;
    }
    void this.sandbox(`pay/${encodeURIComponent(outTradeNo)}`, { result: 'SUCCESS' }).then(
      ({ status, body }) => {
        // WeChat says "paid" once the payment is taken; whether the callback was acknowledged is the cloud's business
        const paid = status === 200 && isDict(body) && body['tradeState'] === 'SUCCESS';
        answer(
          options,
          paid,
          paid ? { errMsg: 'requestPayment:ok' } : { errMsg: `requestPayment:fail ${JSON.stringify(body)}` },
        );
      },
      (error: unknown) => answer(options, false, { errMsg: `requestPayment:fail ${String(error)}` }),
    );
  });

  /** WeChat's storage outlives a page (the handed-over payment order travels in it): carried from page to page. */
  private storage: ReadonlyMap<string, unknown> = new Map();

  /** Cloud calls and sandbox requests under way (real HTTP: they outlive the helper's few 0 ms settle rounds). */
  private inFlight = 0;

  constructor(
    private readonly cloud: () => RunningCloud,
    readonly openid: string,
  ) {}

  /** Waits until nothing this phone started is under way and the page has handled the last answer. */
  async idle(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    let quiet = 0;
    // quiet twice in a row: an answer handled in one round may start the next call (approve → listRequests)
    while (quiet < 2) {
      await settle();
      if (this.inFlight === 0) quiet += 1;
      else {
        quiet = 0;
        if (Date.now() > until)
          throw new Error(`${this.openid}: still ${this.inFlight} request(s) under way after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }

  private async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
    }
  }

  /** Renders the page at `url` (`/pages/...?query`, as a navigation or a shared card carries it) on this phone. */
  async open(url: string): Promise<Loaded> {
    onScreen?.unload();
    onScreen = undefined;
    const forward = localCloud({ baseUrl: this.cloud().url, openid: this.openid });
    const page = await loadPage(defined(url.split('?')[0]).replace(/^\//, ''), {
      query: queryOf(url),
      storage: Object.fromEntries(this.storage),
      cloud: (name, data) =>
        this.track(async () => {
          const result = await forward(name, data);
          this.exchanges.push({ name, data: JSON.parse(JSON.stringify(data)) as Dict, result });
          return result;
        }),
      wx: { requestFacialVerify: this.requestFacialVerify, requestPayment: this.requestPayment },
    });
    onScreen = page;
    this.storage = page.storage;
    await this.idle();
    // tap, emit and settle return once the page's calls to the local cloud have been answered and handled
    return new Proxy(page, {
      get: (target, key, receiver) => {
        if (key === 'tap' || key === 'emit') {
          return async (...args: [string, string?, unknown?]) => {
            await (target[key] as (...a: unknown[]) => Promise<void>)(...args);
            await this.idle();
          };
        }
        if (key === 'settle') return () => this.idle();
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
  }

  /** `name.action` of every call whose answer was not `ok`, with the error code. */
  failures(): string[] {
    return this.exchanges
      .filter((e) => !(isDict(e.result) && e.result['ok'] === true))
      .map(
        (e) =>
          `${e.name}.${String(e.data['action'])}: ${isDict(e.result) ? String(e.result['code']) : JSON.stringify(e.result)}`,
      );
  }

  private outTradeNoOf(pkg: string): string | undefined {
    for (const { result } of [...this.exchanges].reverse()) {
      if (!isDict(result) || !isDict(result['data'])) continue;
      // an order comes from payment.create / violation.pay, or with the decision from violation.process
      const answered = result['data'];
      const created = isDict(answered['order']) ? answered['order'] : answered;
      if (isDict(created['payment']) && created['payment']['package'] === pkg) return String(created['outTradeNo']);
    }
    return undefined;
  }

  private sandbox(path: string, body: Dict): Promise<{ status: number; body: unknown }> {
    return this.track(async () => {
      const reply = await this.cloud().request('POST', `/sandbox/${path}`, JSON.stringify(body), {
        'content-type': 'application/json',
      });
      this.sandboxReplies.push({ path, ...reply });
      return reply;
    });
  }
}

/** Unloads whatever page is on screen (after the last step). */
export function closeScreen(): void {
  onScreen?.unload();
  onScreen = undefined;
}
