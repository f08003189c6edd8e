/**
 * Page and component tests on miniprogram-simulate (j-component + WeChat's own wcc), with the mini program's
 * surroundings stubbed: `wx.cloud` answers from handlers you pass and records every call, `getApp()` is the real
 * App object of miniprogram/app.ts, `getCurrentPages()` holds the page, navigation/feedback/payment APIs are jest
 * spies, storage is in memory.
 *
 * Use it from a test file whose first comment is the docblock `@jest-environment jsdom`:
 *
 *   const page = await loadPage('pages/violation/list/index', {
 *     query: { plate: '桂A12345' },
 *     cloud: { violation: ({ action }) => ({ ok: true, data: { violations: [] } }) },
 *   });
 *   await page.tap('#process');                  // a tap, on TDesign's inner element if the host is virtual
 *   expect(page.data.loading).toBe(false);
 *   expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'list', plate: '桂A12345' } }]);
 *   expect(page.wx.navigateTo).toHaveBeenCalledWith(expect.objectContaining({ url: '/pages/payment/pay/index?...' }));
 *
 * Every load starts from fresh modules (jest.resetModules()), so page state never leaks between loads.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { httpRequest } from './local-cloud';

const MINIPROGRAM_ROOT = path.resolve(__dirname, '..', '..', 'miniprogram');

type Dict = Record<string, unknown>;

/** What a component instance (`this` inside Component methods) offers a test. */
export interface ComponentInstance {
  readonly data: Dict;
  setData(data: Dict, callback?: () => void): void;
  triggerEvent(name: string, detail?: unknown, options?: Dict): void;
  [member: string]: unknown;
}

/** A node of the rendered tree (j-component's wrapper). `dom` is undefined for a virtual host (TDesign's). */
export interface SimNode {
  readonly dom: HTMLElement | undefined;
  readonly data: Dict;
  readonly instance: ComponentInstance;
  dispatchEvent(
    eventName: string,
    options?: { detail?: unknown; touches?: unknown[]; changedTouches?: unknown[] },
  ): void;
  querySelector(selector: string): SimNode | undefined;
  querySelectorAll(selector: string): SimNode[];
  setData(data: Dict, callback?: () => void): void;
  triggerLifeTime(lifeTime: string, ...args: unknown[]): void;
  triggerPageLifeTime(lifeTime: string, ...args: unknown[]): void;
  toJSON(): unknown;
}

export interface RootNode extends SimNode {
  readonly dom: HTMLElement;
  attach(parent: Element): void;
  detach(): void;
}

interface Simulate {
  load(componentPath: string, options?: Dict): string;
  render(id: string, properties?: Dict): RootNode;
}

/** One `wx.cloud.callFunction` as the page made it. */
export interface CloudCall {
  name: string;
  data: Dict;
}

/**
 * Answers `wx.cloud.callFunction`: either one function for all names, or one per cloud function name. The value
 * returned (or resolved) becomes `res.result`, as the cloud function's return value does; a throw (or rejection)
 * makes callFunction fail with `errMsg: 'cloud.callFunction:fail <message>'`, as a function that threw does.
 */
export type CloudHandler = ((name: string, data: Dict) => unknown) | Partial<Record<string, (data: Dict) => unknown>>;

export interface LoadOptions {
  /** The page's query (`onLoad(query)`, `this.options`), also given to render as properties. */
  query?: Record<string, string>;
  /** Answers to `wx.cloud.callFunction`; without one every call fails with "no cloud handler". */
  cloud?: CloudHandler;
  /** More `wx` APIs, or replacements (e.g. `requestPayment: jest.fn().mockRejectedValue(...)`). */
  wx?: Dict;
  /** Initial contents of the in-memory storage behind wx.get/setStorageSync. */
  storage?: Dict;
  /** Merged into `getApp().globalData` after app.ts's own. */
  globalData?: Dict;
  /** Another mini program root (a fixture); default miniprogram/. */
  root?: string;
}

export interface Loaded {
  /** The rendered root; `root.dom` is its DOM element. */
  readonly root: RootNode;
  /** The page's (component's) `this`. */
  readonly instance: ComponentInstance;
  /** The current `data` of the page. */
  readonly data: Dict;
  /** Every `wx.cloud.callFunction` made so far, in order. */
  readonly cloudCalls: CloudCall[];
  /** The global `wx`, stubs and spies included (`page.wx.navigateTo` is a jest.Mock). */
  readonly wx: WxStub;
  /** `getApp()`. */
  readonly app: Dict & { globalData: Dict };
  /** The in-memory storage behind the storage APIs. */
  readonly storage: Map<string, unknown>;
  /** The node matching `selector`; throws naming the selector when nothing does. */
  get(selector: string): SimNode;
  /** Whether something matches `selector`. */
  has(selector: string): boolean;
  /** Taps what `selector` matches (a virtual host's first rendered element), then lets the page settle. */
  tap(selector: string): Promise<void>;
  /** Makes the component matched by `selector` emit `eventName` with `detail`, as it would itself (e.g. t-input "change"). */
  emit(selector: string, eventName: string, detail?: unknown): Promise<void>;
  /** Whitespace-collapsed text of the page, or of what `selector` matches. */
  text(selector?: string): string;
  /** Lets pending promises, timers at 0 ms and simulated wx callbacks run. */
  settle(): Promise<void>;
  /** onHide + onUnload + detach. */
  unload(): void;
}

/** The global `wx` as the helper leaves it. */
export type WxStub = Dict & {
  cloud: { init: jest.Mock; callFunction: jest.Mock };
} & Record<(typeof SPIED)[number], jest.Mock>;

/** wx APIs turned into jest spies (their simulated behaviour kept) so tests can assert on them. */
const SPIED = [
  'navigateTo',
  'redirectTo',
  'navigateBack',
  'switchTab',
  'reLaunch',
  'showToast',
  'showModal',
  'showLoading',
  'hideLoading',
  'showActionSheet',
  'requestPayment',
  'requestSubscribeMessage',
  'requestFacialVerify',
  'setStorageSync',
  'getStorageSync',
  'removeStorageSync',
  'clearStorageSync',
] as const;

const globals = globalThis as unknown as Dict;

/** Settles promise chains and the 0 ms timers simulate's wx mocks answer through. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}

/** A WeChat-style async API: callbacks when given, a promise otherwise. */
function wxAsync(name: string, answer: (options: Dict) => unknown): (options?: Dict) => Promise<unknown> | undefined {
  return (options: Dict = {}) => {
    const call = (fn: unknown, arg: unknown) => {
      if (typeof fn === 'function') (fn as (a: unknown) => void)(arg);
    };
    const promise = Promise.resolve()
      .then(() => answer(options))
      .then(
        (res) => {
          const ok = { errMsg: `${name}:ok`, ...(res as Dict) };
          call(options['success'], ok);
          call(options['complete'], ok);
          return ok;
        },
        (err: unknown) => {
          const fail =
            err && typeof err === 'object' && 'errMsg' in err
              ? err
              : { errMsg: `${name}:fail ${err instanceof Error ? err.message : String(err)}` };
          call(options['fail'], fail);
          call(options['complete'], fail);
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- wx rejects with an { errMsg } object
          throw fail;
        },
      );
    if (options['success'] || options['fail'] || options['complete']) {
      promise.catch(() => undefined);
      return undefined;
    }
    return promise;
  };
}

function cloudAnswer(handler: CloudHandler | undefined, name: string, data: Dict): unknown {
  if (typeof handler === 'function') return handler(name, data);
  const fn = handler?.[name];
  if (!fn)
    throw new Error(`no cloud handler for "${name}" (pass loadPage(..., { cloud: { ${name}: (data) => ... } }))`);
  return fn(data);
}

/**
 * wcc's output for this test file's loads, by root and options: no test changes templates while its file runs, so
 * the folder walk that signs them (some 700 files) and the read happen once a file, not once a load.
 */
const compiledTemplates = new Map<string, string>();

/** Caches wcc's output across loads (and test files, on disk): recompiling TDesign's templates costs ~300 ms a load. */
function installCompilerCache(): void {
  jest.doMock('miniprogram-compiler', () => {
    const actual = jest.requireActual<{ wxmlToJs(root: string, options?: Dict): string }>('miniprogram-compiler');
    return {
      ...actual,
      wxmlToJs(rootPath: string, options: Dict = {}): string {
        const inFile = `${rootPath}\0${JSON.stringify(options)}`;
        const known = compiledTemplates.get(inFile);
        if (known !== undefined) return known;
        const compiled = compiledOnDisk(rootPath, options, (root, opts) => actual.wxmlToJs(root, opts));
        compiledTemplates.set(inFile, compiled);
        return compiled;
      },
    };
  });
}

function compiledOnDisk(rootPath: string, options: Dict, wxmlToJs: (root: string, options?: Dict) => string): string {
  const key = templateSignature(rootPath, options);
  const file = path.join(__dirname, '..', '..', 'build', 'cache', 'simulate', `wxml-${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    const compiled = wxmlToJs(rootPath, options);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Templates compiled more than a day ago are stale by now.
    for (const old of fs.readdirSync(path.dirname(file))) {
      const oldPath = path.join(path.dirname(file), old);
      const age = Date.now() - (fs.statSync(oldPath, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 86_400_000) fs.rmSync(oldPath, { force: true });
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, compiled);
    fs.renameSync(tmp, file);
    return compiled;
  }
}

/** simulate re-runs postcss + csso over every component's WXSS on each load (TDesign's icon font alone is 110 kB). */
const compiledStyles = new Map<string, string>();
function installStyleCache(): void {
  const wxssModule = require.resolve('miniprogram-simulate/src/wxss');
  jest.doMock(wxssModule, () => {
    const actual = jest.requireActual<{ compile(wxss: string, options?: Dict): string }>(wxssModule);
    return {
      ...actual,
      compile(wxss: string, options: Dict = {}): string {
        const key = `${String(options['prefix'])}\0${JSON.stringify(options['less'] ?? false)}\0${wxss}`;
        let css = compiledStyles.get(key);
        if (css === undefined) {
          css = actual.compile(wxss, options);
          compiledStyles.set(key, css);
        }
        return css;
      },
    };
  });
}

function templateSignature(rootPath: string, options: Dict): string {
  const h = createHash('sha1').update(`${rootPath}\n${JSON.stringify(options)}\n`);
  const visit = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) visit(p);
      } else if (/\.(wxml|wxs|json)$/.test(e.name)) {
        const s = fs.statSync(p);
        h.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  visit(rootPath);
  return h.digest('hex').slice(0, 16);
}

/** The first rendered element inside a virtual host (TDesign's components have no DOM of their own). */
function rendered(root: RootNode, node: SimNode): SimNode {
  if (node.dom) return node;
  const inner = (node as unknown as { _exparserNode: { shadowRoot?: { childNodes: Array<{ $$?: unknown }> } } })
    ._exparserNode;
  const child = inner.shadowRoot?.childNodes.find((c) => c.$$ instanceof Element);
  if (!child) throw new Error('this component renders nothing to tap');
  // j-component's node wrapper class is not exported; it is the base class of the root it returned.
  const base = Object.getPrototypeOf(Object.getPrototypeOf(root)) as { constructor: new (n: unknown) => SimNode };
  const NodeClass = base.constructor;
  return new NodeClass(child);
}

function collapse(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

interface Mount {
  kind: 'page' | 'component';
  path: string;
  options: LoadOptions;
  properties?: Dict;
}

async function mount({ kind, path: relPath, options, properties }: Mount): Promise<Loaded> {
  const mpRoot = options.root ?? MINIPROGRAM_ROOT;
  if (!fs.existsSync(path.join(mpRoot, 'miniprogram_npm'))) {
    throw new Error(
      'miniprogram/miniprogram_npm is missing: run `npm run build` first (it packs TDesign there), or `npm test`',
    );
  }
  jest.resetModules();
  installCompilerCache();
  installStyleCache();
  // simulate merges an existing global wx into its fresh mock; start from none so no spy survives a reload.
  delete globals['wx'];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy now, after jest.resetModules()
  const simulate = require('miniprogram-simulate') as Simulate;
  const wx = globals['wx'] as WxStub;

  const storage = new Map<string, unknown>(Object.entries(options.storage ?? {}));
  const cloudCalls: CloudCall[] = [];
  Object.assign(wx, {
    setStorageSync: (key: string, value: unknown) => void storage.set(key, value),
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    removeStorageSync: (key: string) => void storage.delete(key),
    clearStorageSync: () => storage.clear(),
    requestFacialVerify: wxAsync('requestFacialVerify', () => ({})),
    cloud: {
      init: jest.fn(),
      callFunction: jest.fn(
        wxAsync('cloud.callFunction', async (o) => {
          const name = String(o['name']);
          const data = (o['data'] ?? {}) as Dict;
          cloudCalls.push({ name, data: JSON.parse(JSON.stringify(data)) as Dict });
          return { result: await cloudAnswer(options.cloud, name, data), requestID: `test-${cloudCalls.length}` };
        }),
      ),
    },
  });
  for (const name of SPIED) {
    const original = wx[name];
    if (typeof original !== 'function') continue;
    // simulate's mocks add success/fail to the options they get; hand them a copy so the spy records what the page passed.
    wx[name] = jest.fn((...args: unknown[]) =>
      (original as (...a: unknown[]) => unknown)(
        ...args.map((a) => (a && typeof a === 'object' && !Array.isArray(a) ? { ...a } : a)),
      ),
    );
  }
  Object.assign(wx, options.wx ?? {});

  // The real App object: app.ts registers it through App(), as on a phone; onLaunch runs before the page.
  let app: Dict & { globalData: Dict } = { globalData: {} };
  globals['App'] = (definition: Dict) => {
    app = definition as typeof app;
  };
  globals['getApp'] = () => app;
  const pages: ComponentInstance[] = [];
  globals['getCurrentPages'] = () => [...pages];
  const appFile = path.join(mpRoot, 'app');
  if (fs.existsSync(`${appFile}.ts`) || fs.existsSync(`${appFile}.js`)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- runs app.ts now, against the globals just set
    require(appFile);
    const launch = { path: relPath, query: options.query ?? {}, scene: 1001 };
    (app['onLaunch'] as ((o: unknown) => void) | undefined)?.call(app, launch);
    (app['onShow'] as ((o: unknown) => void) | undefined)?.call(app, launch);
  }
  app.globalData = { ...app.globalData, ...(options.globalData ?? {}) };

  const id = simulate.load(path.join(mpRoot, relPath), {
    rootPath: mpRoot,
    compilerOptions: { maxBuffer: 64 * 1024 * 1024 },
  });
  const root = simulate.render(id, { ...(options.query ?? {}), ...(properties ?? {}) });
  root.attach(document.createElement('parent-wrapper'));
  const instance = root.instance;

  if (kind === 'page') {
    const query = options.query ?? {};
    Object.assign(instance, { route: relPath, options: query });
    pages.push(instance);
    const call = (name: string, ...args: unknown[]) => {
      const fn = instance[name];
      if (typeof fn === 'function') (fn as (...a: unknown[]) => unknown).apply(instance, args);
    };
    call('onLoad', query);
    call('onShow');
    root.triggerPageLifeTime('show');
    call('onReady');
  }
  await settle();

  const get = (selector: string): SimNode => {
    const node = root.querySelector(selector);
    if (!node) throw new Error(`nothing matches "${selector}" in ${relPath}`);
    return node;
  };

  return {
    root,
    instance,
    get data() {
      return root.data;
    },
    cloudCalls,
    wx,
    get app() {
      return app;
    },
    storage,
    get,
    has: (selector) => root.querySelector(selector) !== undefined,
    async tap(selector) {
      rendered(root, get(selector)).dispatchEvent('tap');
      await settle();
    },
    async emit(selector, eventName, detail) {
      get(selector).instance.triggerEvent(eventName, detail);
      await settle();
    },
    text(selector) {
      if (!selector) return collapse(root.dom.textContent);
      return collapse(rendered(root, get(selector)).dom?.textContent);
    },
    settle,
    unload() {
      for (const name of kind === 'page' ? ['onHide', 'onUnload'] : []) {
        const fn = instance[name];
        if (typeof fn === 'function') (fn as () => void).call(instance);
      }
      root.detach();
      pages.splice(0, pages.length);
    },
  };
}

/** Renders the page at `pagePath` (relative to miniprogram/, no extension) and runs onLoad/onShow/onReady. */
export function loadPage(pagePath: string, options: LoadOptions = {}): Promise<Loaded> {
  return mount({ kind: 'page', path: pagePath, options });
}

/** Renders a component (path relative to miniprogram/, no extension) with `properties`. */
export function loadComponent(
  componentPath: string,
  properties: Dict = {},
  options: LoadOptions = {},
): Promise<Loaded> {
  return mount({ kind: 'component', path: componentPath, options, properties });
}

/**
 * A cloud handler that forwards to a running local cloud (`POST <baseUrl>/functions/<name>` as `openid`), for page
 * tests against the real cloud functions: `loadPage(p, { cloud: localCloud({ baseUrl, openid }) })`.
 */
export function localCloud({
  baseUrl,
  openid,
}: {
  baseUrl: string;
  openid: string;
}): (name: string, data: Dict) => Promise<unknown> {
  return async (name, data) => {
    // node:http, not fetch: page tests run under jsdom, which has no fetch
    const { status, text } = await httpRequest(new URL(`/functions/${encodeURIComponent(name)}`, baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
      body: JSON.stringify(data),
    });
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (status === 200) return parsed;
    throw new Error((parsed as { errMsg?: string } | undefined)?.errMsg ?? `HTTP ${status}`);
  };
}
