/**
 * The `wx` object of the preview. Navigation goes to the page stack, toasts/modals/loading to the shell, storage to
 * localStorage (per signed-in user), wx.cloud.callFunction to the local cloud as the signed-in user
 * (POST /functions/<name>, header X-WX-OPENID), and the two things only WeChat can do go through labelled sandboxes:
 * requestFacialVerify (→ POST /sandbox/face/<verifyId>) and requestPayment (→ POST /sandbox/pay/<outTradeNo>, which
 * makes the local cloud call the real payment callback). Any other wx API throws, naming itself, and the shell says
 * so: nothing fails silently.
 */
import IntersectionObserver from 'j-component/src/tool/intersectionobserver';
import SelectorQuery from 'j-component/src/tool/selectorquery';
import Animation from 'miniprogram-simulate/src/api/animation';
import { type ModalOptions, SCREEN_WIDTH, type ToastIcon } from '../protocol';
import { currentOpenid, host } from './host';
import * as router from './router';

type Dict = Record<string, unknown>;
type Api = (options?: Dict) => unknown;

interface WxResult extends Dict {
  errMsg: string;
}

/** A failure answered through `fail` / a rejected promise, as WeChat answers. */
class WxFail extends Error {
  constructor(readonly result: WxResult) {
    super(result.errMsg);
  }
}

function fail(api: string, reason: string, extra: Dict = {}): WxFail {
  return new WxFail({ errMsg: `${api}:fail ${reason}`, ...extra });
}

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function runCallback(fn: unknown, result: WxResult): void {
  if (typeof fn !== 'function') return;
  try {
    (fn as (r: WxResult) => void)(result);
  } catch (error: unknown) {
    // WeChat reports an exception thrown by a callback as an error of the mini program, never swallows it
    console.error(error);
    host().reportError(error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error));
  }
}

/** An async wx API: success/fail/complete when given, otherwise a promise (as the base library ≥ 2.10.2 does). */
function asyncApi(name: string, run: (options: Dict) => Dict | void | Promise<Dict | void>): Api {
  return (options: Dict = {}) => {
    const promise = Promise.resolve()
      .then(() => run(options))
      .then(
        (res) => {
          const ok: WxResult = { errMsg: `${name}:ok`, ...(res ?? {}) };
          runCallback(options['success'], ok);
          runCallback(options['complete'], ok);
          return ok;
        },
        (error: unknown) => {
          const result = error instanceof WxFail ? error.result : { errMsg: `${name}:fail ${error instanceof Error ? error.message : String(error)}` };
          if (!(error instanceof WxFail)) console.error(error);
          runCallback(options['fail'], result);
          runCallback(options['complete'], result);
          throw result;
        },
      );
    if (options['success'] || options['fail'] || options['complete']) {
      promise.catch(() => undefined);
      return undefined;
    }
    return promise;
  };
}

// ---- navigation ----

function navigation(name: string, run: (options: Dict) => void): Api {
  return asyncApi(name, async (options) => {
    // WeChat answers navigation after the current event handler has returned
    await new Promise((resolve) => setTimeout(resolve, 0));
    try {
      run(options);
    } catch (error: unknown) {
      if (error instanceof router.NavigationError) throw new WxFail({ errMsg: error.message });
      throw error;
    }
  });
}

// ---- feedback (the shell draws them) ----

function showToast(options: Dict): Dict {
  const icon = String(options['icon'] ?? 'success');
  host().showToast({
    title: String(options['title'] ?? ''),
    icon: (['success', 'error', 'loading', 'none'].includes(icon) ? icon : 'none') as ToastIcon,
    duration: Number(options['duration'] ?? 1500),
    mask: options['mask'] === true,
  });
  return {};
}

async function showModal(options: Dict): Promise<Dict> {
  const modal: ModalOptions = {
    title: String(options['title'] ?? ''),
    content: String(options['content'] ?? ''),
    showCancel: options['showCancel'] !== false,
    cancelText: String(options['cancelText'] ?? '取消'),
    cancelColor: String(options['cancelColor'] ?? '#000000'),
    confirmText: String(options['confirmText'] ?? '确定'),
    confirmColor: String(options['confirmColor'] ?? '#576B95'),
    editable: options['editable'] === true,
    placeholderText: String(options['placeholderText'] ?? ''),
  };
  const result = await host().showModal(modal);
  return { ...result };
}

async function showActionSheet(options: Dict): Promise<Dict> {
  const items = Array.isArray(options['itemList']) ? options['itemList'].map(String) : [];
  if (items.length === 0 || items.length > 6) throw fail('showActionSheet', 'parameter error: itemList should have 1 to 6 items');
  const index = await host().showActionSheet(items, String(options['itemColor'] ?? '#000000'), String(options['alertText'] ?? ''));
  if (index === null) throw fail('showActionSheet', 'cancel');
  return { tapIndex: index };
}

// ---- storage: localStorage, one namespace per signed-in user (WeChat keeps storage per user and mini program) ----

const storagePrefix = () => `wx-preview:${currentOpenid()}:`;

function storageKeys(): string[] {
  const prefix = storagePrefix();
  const keys: string[] = [];
  for (let i = 0; i < localStorage.length; i += 1) {
    const key = localStorage.key(i);
    if (key !== null && key.startsWith(prefix)) keys.push(key.slice(prefix.length));
  }
  return keys;
}

function setStorageSync(key: unknown, data: unknown): void {
  if (typeof key !== 'string' || key === '') throw new Error('setStorageSync:fail parameter error: key should be a non-empty String');
  localStorage.setItem(storagePrefix() + key, JSON.stringify({ data }));
}

function getStorageSync(key: unknown): unknown {
  const raw = localStorage.getItem(storagePrefix() + String(key));
  if (raw === null) return '';
  try {
    return (JSON.parse(raw) as { data: unknown }).data;
  } catch {
    return '';
  }
}

function removeStorageSync(key: unknown): void {
  localStorage.removeItem(storagePrefix() + String(key));
}

function clearStorageSync(): void {
  for (const key of storageKeys()) localStorage.removeItem(storagePrefix() + key);
}

function getStorageInfoSync(): Dict {
  const keys = storageKeys();
  const bytes = keys.reduce((n, k) => n + (localStorage.getItem(storagePrefix() + k)?.length ?? 0), 0);
  return { keys, currentSize: Math.ceil(bytes / 1024), limitSize: 10240 };
}

// ---- system information: a 375-wide phone in WeChat DevTools' terms ----

function windowInfo(): Dict {
  const width = document.documentElement.clientWidth || SCREEN_WIDTH;
  const height = window.innerHeight;
  return {
    pixelRatio: window.devicePixelRatio || 2,
    screenWidth: SCREEN_WIDTH,
    screenHeight: height + 88,
    windowWidth: width,
    windowHeight: height,
    statusBarHeight: 44,
    safeArea: { left: 0, right: width, top: 44, bottom: height + 88, width, height: height + 44 },
    screenTop: 88,
  };
}

function deviceInfo(): Dict {
  return { brand: 'devtools', model: '桂A交管 preview', system: 'Preview 1.0', platform: 'devtools', benchmarkLevel: 1, abi: '', cpuType: '' };
}

function appBaseInfo(): Dict {
  return { SDKVersion: '3.8.12', enableDebug: false, host: { env: 'WeChat' }, language: 'zh_CN', version: '8.0.50', theme: 'light', fontSizeSetting: 16 };
}

function systemInfo(): Dict {
  return { ...windowInfo(), ...deviceInfo(), ...appBaseInfo(), fontSizeSetting: 16, environment: undefined };
}

// ---- cloud: the local cloud, as the signed-in user ----

/** payment.create's answers, by the `package` wx.requestPayment gets: the order behind a prepay id, as WeChat knows it. */
const orders = new Map<string, { outTradeNo: string; amount: number | null }>();

function rememberOrder(result: unknown): void {
  if (!isDict(result) || !isDict(result['data'])) return;
  const data = result['data'];
  const payment = data['payment'];
  if (typeof data['outTradeNo'] === 'string' && isDict(payment) && typeof payment['package'] === 'string') {
    orders.set(payment['package'], { outTradeNo: data['outTradeNo'], amount: typeof data['amount'] === 'number' ? data['amount'] : null });
  }
}

let requestCount = 0;

async function callFunction(options: Dict): Promise<Dict> {
  const name = options['name'];
  if (typeof name !== 'string' || name === '') throw fail('cloud.callFunction', 'parameter error: name should be a non-empty String');
  let response: Response;
  try {
    response = await fetch(`/functions/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': currentOpenid() },
      body: JSON.stringify(options['data'] ?? {}),
    });
  } catch (error: unknown) {
    throw fail('cloud.callFunction', `request:fail ${error instanceof Error ? error.message : String(error)}`, { errCode: -1 });
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  requestCount += 1;
  if (response.status === 200) {
    rememberOrder(body);
    return { result: body, requestID: `preview-${requestCount}` };
  }
  const errMsg = isDict(body) && typeof body['errMsg'] === 'string' ? body['errMsg'] : `HTTP ${response.status}`;
  if (response.status === 404) throw fail('cloud.callFunction', `-501000 [ResourceNotFound.Function] ${errMsg}`, { errCode: -501000 });
  // what WeChat says when the function itself threw or timed out
  throw fail('cloud.callFunction', `-504002 functions execute fail. ${errMsg}`, { errCode: -504002 });
}

async function postSandbox(api: string, path: string, body: Dict): Promise<Dict> {
  const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json().catch(() => ({}))) as Dict;
  if (!response.ok) throw fail(api, `sandbox answered ${response.status}: ${String(answer['errMsg'] ?? '')}`);
  return answer;
}

// ---- the two WeChat-only steps, through the local cloud's sandboxes ----

async function requestFacialVerify(options: Dict): Promise<Dict> {
  const verifyId = options['verifyId'];
  if (typeof verifyId !== 'string' || verifyId === '') throw fail('requestFacialVerify', 'parameter error: verifyId should be a non-empty String');
  const answer = await host().faceSandbox(verifyId);
  if (answer === 'cancel') throw fail('requestFacialVerify', 'cancel', { errCode: 90100 });
  // the person went through the scan; whether the face matched is the cloud's verdict (the page asks the function)
  await postSandbox('requestFacialVerify', `/sandbox/face/${encodeURIComponent(verifyId)}`, { pass: answer === 'pass' });
  return { verifyId };
}

async function requestPayment(options: Dict): Promise<Dict> {
  const pkg = String(options['package'] ?? '');
  const order = orders.get(pkg);
  if (!order) throw fail('requestPayment', `the preview has not seen an order for package "${pkg}" (it learns orders from payment.create's answer)`);
  const answer = await host().paySandbox({ outTradeNo: order.outTradeNo, amount: order.amount });
  if (answer === 'cancel') throw fail('requestPayment', 'cancel');
  await postSandbox('requestPayment', `/sandbox/pay/${encodeURIComponent(order.outTradeNo)}`, { result: answer });
  if (answer === 'FAIL') throw fail('requestPayment', 'payment failed (sandbox)');
  return {};
}

// ---- unsupported: loud ----

/** What `wx.<name>` is when the preview does not implement it: a function that says so and throws. */
function unsupported(path: string): Api {
  return () => {
    const message = `${path} is not supported by the 桂A交管 browser preview (it exists only in WeChat)`;
    host().reportUnsupported(path, '预览不支持这个 wx 接口');
    throw new Error(message);
  };
}

function loud<T extends Dict>(prefix: string, target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      if (typeof prop === 'symbol' || prop in obj) return Reflect.get(obj, prop, receiver) as unknown;
      // promise-like probes (await wx.x, Promise.resolve(wx)) are not calls of an API
      if (prop === 'then' || prop === 'toJSON') return undefined;
      return unsupported(`${prefix}.${prop}`);
    },
  });
}

export function createWx(): Dict {
  const cloud = loud('wx.cloud', {
    init: () => undefined,
    callFunction: asyncApi('cloud.callFunction', callFunction),
  });
  const implemented: Dict = {
    // navigation
    navigateTo: navigation('navigateTo', (o) => router.navigateTo(String(o['url'] ?? ''))),
    redirectTo: navigation('redirectTo', (o) => router.redirectTo(String(o['url'] ?? ''))),
    navigateBack: navigation('navigateBack', (o) => router.navigateBack(Number(o['delta'] ?? 1))),
    reLaunch: navigation('reLaunch', (o) => router.reLaunch(String(o['url'] ?? ''))),
    switchTab: navigation('switchTab', (o) => router.switchTab(String(o['url'] ?? ''))),
    // navigation bar and page
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', (o) => router.setTitle(String(o['title'] ?? ''))),
    setNavigationBarColor: asyncApi('setNavigationBarColor', (o) =>
      router.setNavigationBarColor(String(o['backgroundColor'] ?? '#ffffff'), o['frontColor'] === '#ffffff' ? 'white' : 'black'),
    ),
    showNavigationBarLoading: asyncApi('showNavigationBarLoading', () => router.setNavigationLoading(true)),
    hideNavigationBarLoading: asyncApi('hideNavigationBarLoading', () => router.setNavigationLoading(false)),
    startPullDownRefresh: asyncApi('startPullDownRefresh', () => {
      const page = router.topPage()?.instance;
      const fn = page?.['onPullDownRefresh'];
      if (typeof fn === 'function') (fn as () => void).call(page);
    }),
    stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => undefined),
    pageScrollTo: asyncApi('pageScrollTo', (o) => {
      let top = Number(o['scrollTop'] ?? 0);
      if (typeof o['selector'] === 'string') {
        const target = router.topPage()?.container.querySelector(o['selector']);
        if (target) top = target.getBoundingClientRect().top + window.scrollY;
      }
      window.scrollTo({ top, behavior: Number(o['duration'] ?? 300) > 0 ? 'smooth' : 'auto' });
    }),
    // feedback
    showToast: asyncApi('showToast', showToast),
    hideToast: asyncApi('hideToast', () => host().hideToast()),
    showLoading: asyncApi('showLoading', (o) => host().showLoading(String(o['title'] ?? ''), o['mask'] === true)),
    hideLoading: asyncApi('hideLoading', () => host().hideLoading()),
    showModal: asyncApi('showModal', showModal),
    showActionSheet: asyncApi('showActionSheet', showActionSheet),
    vibrateShort: asyncApi('vibrateShort', () => undefined),
    vibrateLong: asyncApi('vibrateLong', () => undefined),
    hideKeyboard: asyncApi('hideKeyboard', () => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    }),
    // storage
    setStorageSync,
    getStorageSync,
    removeStorageSync,
    clearStorageSync,
    getStorageInfoSync,
    setStorage: asyncApi('setStorage', (o) => setStorageSync(o['key'], o['data'])),
    getStorage: asyncApi('getStorage', (o) => {
      const key = String(o['key'] ?? '');
      if (localStorage.getItem(storagePrefix() + key) === null) throw fail('getStorage', 'data not found');
      return { data: getStorageSync(key) };
    }),
    removeStorage: asyncApi('removeStorage', (o) => removeStorageSync(o['key'])),
    clearStorage: asyncApi('clearStorage', () => clearStorageSync()),
    getStorageInfo: asyncApi('getStorageInfo', () => getStorageInfoSync()),
    // system
    getSystemInfoSync: systemInfo,
    getSystemInfo: asyncApi('getSystemInfo', systemInfo),
    getWindowInfo: windowInfo,
    getDeviceInfo: deviceInfo,
    getAppBaseInfo: appBaseInfo,
    getSystemSetting: () => ({ bluetoothEnabled: false, locationEnabled: false, wifiEnabled: true, deviceOrientation: 'portrait' }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => ({ path: router.currentPages()[0]?.['route'] ?? '', query: {}, scene: 1001, referrerInfo: {} }),
    getEnterOptionsSync: () => ({ path: router.currentPages()[0]?.['route'] ?? '', query: {}, scene: 1001, referrerInfo: {} }),
    getMenuButtonBoundingClientRect: () => ({ width: 87, height: 32, top: 48, right: SCREEN_WIDTH - 7, bottom: 80, left: SCREEN_WIDTH - 94 }),
    onThemeChange: () => undefined,
    offThemeChange: () => undefined,
    onWindowResize: () => undefined,
    offWindowResize: () => undefined,
    nextTick: (fn: unknown) => {
      if (typeof fn === 'function') Promise.resolve().then(() => (fn as () => void)()).catch((e: unknown) => console.error(e));
    },
    createSelectorQuery: () => new SelectorQuery((router.topPage()?.instance ?? null) as Dict | null),
    createIntersectionObserver: (component: unknown, options?: Dict) => new IntersectionObserver(component as Dict, options),
    createAnimation: (options?: Dict) => new Animation(options),
    canIUse: (schema: unknown) => typeof schema === 'string' && schema.split('.')[0] !== undefined && (schema.split('.')[0] ?? '') in implemented,
    env: { USER_DATA_PATH: 'http://usr' },
    // cloud, and the two WeChat-only steps
    cloud,
    requestFacialVerify: asyncApi('requestFacialVerify', requestFacialVerify),
    requestPayment: asyncApi('requestPayment', requestPayment),
  };
  return loud('wx', implemented);
}
