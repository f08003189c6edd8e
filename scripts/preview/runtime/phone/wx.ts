/**
 * The `wx` object of the preview. Navigation goes to the page stack, toasts/modals/loading to the shell, storage to
 * localStorage (per signed-in user), wx.cloud.callFunction to the local cloud as the signed-in user
 * (POST /functions/<name>, header X-WX-OPENID), and the two things only WeChat can do go through labelled sandboxes:
 * requestFacialVerify (→ POST /sandbox/face/<verifyId>) and requestPayment (→ POST /sandbox/pay/<outTradeNo>, which
 * makes the local cloud call the real payment callback), plus requestSubscribeMessage (→ POST /sandbox/subscribe),
 * location (a fixed Nanning position) and photos (the browser's file picker → POST /storage/upload). Any other wx API
 * throws, naming itself, and the shell says
 * so: nothing fails silently.
 */
import IntersectionObserver from 'j-component/src/tool/intersectionobserver';
import SelectorQuery from 'j-component/src/tool/selectorquery';
import Animation from 'miniprogram-simulate/src/api/animation';
import { type ModalOptions, screenWidthOf, type ToastIcon } from '../protocol';
import { currentOpenid, host } from './host';
import * as router from './router';
import { asText } from './text';

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
// `void`: most implementations hand back nothing, and WeChat then answers with the bare errMsg.
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
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
          const result =
            error instanceof WxFail
              ? error.result
              : { errMsg: `${name}:fail ${error instanceof Error ? error.message : String(error)}` };
          if (!(error instanceof WxFail)) console.error(error);
          runCallback(options['fail'], result);
          runCallback(options['complete'], result);
          // wx APIs reject with their { errMsg } result, as WeChat's do, not with an Error.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
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
function showToast(options: Dict): Dict {
  const icon = asText(options['icon'], 'success');
  host().showToast({
    title: asText(options['title']),
    icon: (['success', 'error', 'loading', 'none'].includes(icon) ? icon : 'none') as ToastIcon,
    duration: Number(options['duration'] ?? 1500),
    mask: options['mask'] === true,
  });
  return {};
}

async function showModal(options: Dict): Promise<Dict> {
  const modal: ModalOptions = {
    title: asText(options['title']),
    content: asText(options['content']),
    showCancel: options['showCancel'] !== false,
    cancelText: asText(options['cancelText'], '取消'),
    cancelColor: asText(options['cancelColor'], '#000000'),
    confirmText: asText(options['confirmText'], '确定'),
    confirmColor: asText(options['confirmColor'], '#576B95'),
    editable: options['editable'] === true,
    placeholderText: asText(options['placeholderText']),
  };
  const result = await host().showModal(modal);
  return { ...result };
}

async function showActionSheet(options: Dict): Promise<Dict> {
  const items = Array.isArray(options['itemList']) ? options['itemList'].map(String) : [];
  if (items.length === 0 || items.length > 6)
    throw fail('showActionSheet', 'parameter error: itemList should have 1 to 6 items');
  const index = await host().showActionSheet(
    items,
    asText(options['itemColor'], '#000000'),
    asText(options['alertText']),
  );
  if (index === null) throw fail('showActionSheet', 'cancel');
  return { tapIndex: index };
}
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
  if (typeof key !== 'string' || key === '')
    throw new Error('setStorageSync:fail parameter error: key should be a non-empty String');
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
const SCREEN_WIDTH = screenWidthOf(window.location.search);

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
  return {
    brand: 'devtools',
    model: '桂A交管 preview',
    system: 'Preview 1.0',
    platform: 'devtools',
    benchmarkLevel: 1,
    abi: '',
    cpuType: '',
  };
}

/** WeChat's text size (px, 16 by default): `fontSize=<px>` in the phone's URL plays a person who set larger text. */
function fontSizeSetting(): number {
  const asked = Number(new URLSearchParams(window.location.search).get('fontSize'));
  return Number.isInteger(asked) && asked >= 12 && asked <= 40 ? asked : 16;
}

function appBaseInfo(): Dict {
  return {
    SDKVersion: '3.8.12',
    enableDebug: false,
    host: { env: 'WeChat' },
    language: 'zh_CN',
    version: '8.0.50',
    theme: 'light',
    fontSizeSetting: fontSizeSetting(),
  };
}

function systemInfo(): Dict {
  return { ...windowInfo(), ...deviceInfo(), ...appBaseInfo(), environment: undefined };
}
interface KnownOrder {
  outTradeNo: string;
  amount: number | null;
}
/**
 * Orders from payment.create's answers (and violation.process's `order`), by the `package` wx.requestPayment gets: the
 * order behind a prepay id, as WeChat knows it. Kept in localStorage, not in memory, because WeChat still knows a
 * prepay id after the app restarts: the payment page may pay an order handed over before a reload.
 */
const ORDERS_KEY = 'preview:wechat-pay-orders';
const ORDERS_KEPT = 50;

function knownOrders(): Record<string, KnownOrder> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(ORDERS_KEY) ?? '{}');
    return isDict(parsed) ? (parsed as Record<string, KnownOrder>) : {};
  } catch {
    return {};
  }
}

function rememberOrder(result: unknown): void {
  if (!isDict(result) || !isDict(result['data'])) return;
  const answered = result['data'];
  const data = isDict(answered['order']) ? answered['order'] : answered;
  const payment = data['payment'];
  if (typeof data['outTradeNo'] === 'string' && isDict(payment) && typeof payment['package'] === 'string') {
    const order: KnownOrder = {
      outTradeNo: data['outTradeNo'],
      amount: typeof data['amount'] === 'number' ? data['amount'] : null,
    };
    // the newest last, and only the last few: a long session does not grow the storage without end
    const kept = Object.entries(knownOrders()).filter(([pkg]) => pkg !== payment['package']);
    const all = [...kept, [payment['package'], order] as const].slice(-ORDERS_KEPT);
    localStorage.setItem(ORDERS_KEY, JSON.stringify(Object.fromEntries(all)));
  }
}

let requestCount = 0;

async function callFunction(options: Dict): Promise<Dict> {
  const name = options['name'];
  if (typeof name !== 'string' || name === '')
    throw fail('cloud.callFunction', 'parameter error: name should be a non-empty String');
  let response: Response;
  try {
    response = await fetch(`/functions/${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': currentOpenid() },
      body: JSON.stringify(options['data'] ?? {}),
    });
  } catch (error: unknown) {
    throw fail('cloud.callFunction', `request:fail ${error instanceof Error ? error.message : String(error)}`, {
      errCode: -1,
    });
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
  if (response.status === 404)
    throw fail('cloud.callFunction', `-501000 [ResourceNotFound.Function] ${errMsg}`, { errCode: -501000 });
  // what WeChat says when the function itself threw or timed out
  throw fail('cloud.callFunction', `-504002 functions execute fail. ${errMsg}`, { errCode: -504002 });
}

async function postSandbox(api: string, path: string, body: Dict): Promise<Dict> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as Dict;
  if (!response.ok) throw fail(api, `sandbox answered ${response.status}: ${asText(answer['errMsg'])}`);
  return answer;
}
async function requestFacialVerify(options: Dict): Promise<Dict> {
  const verifyId = options['verifyId'];
  if (typeof verifyId !== 'string' || verifyId === '')
    throw fail('requestFacialVerify', 'parameter error: verifyId should be a non-empty String');
  const answer = await host().faceSandbox(verifyId);
  if (answer === 'cancel') throw fail('requestFacialVerify', 'cancel', { errCode: 90100 });
  // the person went through the scan; whether the face matched is the cloud's verdict (the page asks the function)
  await postSandbox('requestFacialVerify', `/sandbox/face/${encodeURIComponent(verifyId)}`, {
    pass: answer === 'pass',
  });
  return { verifyId };
}

async function requestPayment(options: Dict): Promise<Dict> {
  const pkg = asText(options['package']);
  const order = knownOrders()[pkg];
  if (!order)
    throw fail(
      'requestPayment',
      `the preview has not seen an order for package "${pkg}" (it learns orders from payment.create's answer)`,
    );
  const answer = await host().paySandbox({ outTradeNo: order.outTradeNo, amount: order.amount });
  if (answer === 'cancel') throw fail('requestPayment', 'cancel');
  await postSandbox('requestPayment', `/sandbox/pay/${encodeURIComponent(order.outTradeNo)}`, { result: answer });
  if (answer === 'FAIL') throw fail('requestPayment', 'payment failed (sandbox)');
  return {};
}
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

async function requestSubscribeMessage(options: Dict): Promise<Dict> {
  const ids = strings(options['tmplIds']);
  // WeChat: 1–3 one-time templates per call
  if (ids.length === 0 || ids.length > 3)
    throw fail('requestSubscribeMessage', 'Templates count out of max bounds', { errCode: 20003 });
  const answer = await host().choiceSandbox({
    id: 'subscribe-sandbox',
    title: '订阅消息',
    text: '“桂A交管”想给你发送以下消息。允许后，每个模板可收到一条消息（经本地云 POST /sandbox/subscribe 记入沙箱，发出的消息见 GET /sandbox/outbox）。',
    meta: ids.map((id) => `模板：${id}`),
    choices: [
      { id: 'accept', label: '允许', primary: true },
      { id: 'reject', label: '拒绝' },
    ],
  });
  const result = answer ?? 'reject';
  if (result === 'accept')
    await postSandbox('requestSubscribeMessage', '/sandbox/subscribe', { openid: currentOpenid(), templateIds: ids });
  return Object.fromEntries(ids.map((id) => [id, result]));
}

/** Where the preview's phone is when the person allows location: Nanning's Chaoyang Square (GCJ-02). */
const SANDBOX_POSITION = { latitude: 22.816_73, longitude: 108.318_66 };

async function getLocation(options: Dict): Promise<Dict> {
  const answer = await host().choiceSandbox({
    id: 'location-sandbox',
    title: '获取你的位置',
    text: '真实位置只在微信中取得。允许后，预览给出固定位置：南宁朝阳广场附近。',
    meta: [
      `wx.getLocation（${asText(options['type'], 'wgs84')}）：${SANDBOX_POSITION.latitude}, ${SANDBOX_POSITION.longitude}`,
    ],
    choices: [
      { id: 'allow', label: '允许', primary: true },
      { id: 'deny', label: '拒绝' },
    ],
  });
  if (answer !== 'allow') throw fail('getLocation', 'auth deny');
  return { ...SANDBOX_POSITION, speed: -1, accuracy: 30, altitude: 0, verticalAccuracy: 0, horizontalAccuracy: 30 };
}

async function openLocation(options: Dict): Promise<Dict> {
  const latitude = options['latitude'];
  const longitude = options['longitude'];
  if (typeof latitude !== 'number' || typeof longitude !== 'number')
    throw fail('openLocation', 'parameter error: latitude and longitude should be Number');
  await host().choiceSandbox({
    id: 'open-location-sandbox',
    title: '查看位置并导航',
    text: `微信会在地图上打开：${asText(options['name'])}`,
    meta: [asText(options['address']), `纬度 ${latitude}，经度 ${longitude}（GCJ-02）`],
    choices: [{ id: 'close', label: '关闭地图', primary: true }],
  });
  return {};
}

const PICKABLE_PLACES = [
  {
    name: '民族大道与竹溪大道交叉口',
    address: '广西壮族自治区南宁市青秀区民族大道',
    latitude: 22.815_4,
    longitude: 108.392_1,
  },
  { name: '友爱立交桥', address: '广西壮族自治区南宁市西乡塘区友爱北路', latitude: 22.842_7, longitude: 108.306_2 },
  {
    name: '五象大道与平乐大道交叉口',
    address: '广西壮族自治区南宁市良庆区五象大道',
    latitude: 22.767_3,
    longitude: 108.409_8,
  },
];

async function chooseLocation(): Promise<Dict> {
  const answer = await host().choiceSandbox({
    id: 'choose-location-sandbox',
    title: '在地图上选点',
    text: '真实地图只在微信中显示。请选一个地点：',
    meta: [],
    choices: PICKABLE_PLACES.map((place, index) => ({ id: String(index), label: place.name })),
  });
  const place = answer === null ? undefined : PICKABLE_PLACES[Number(answer)];
  if (!place) throw fail('chooseLocation', 'cancel');
  return { ...place };
}

/** The page whose photos are of a plate for WeChat's plate OCR: there the person also says what the camera sees. */
const PLATE_SCAN_PAGE = 'pages/move-car/request/index';

/** wx.chooseMedia: on the plate-scan page through the OCR sandbox sheet, elsewhere the browser's file picker. */
function chooseMedia(options: Dict): Promise<Dict> {
  return router.topPage()?.route === PLATE_SCAN_PAGE ? choosePlatePhoto() : pickFiles(options);
}

/** What the camera sees goes to POST /sandbox/ocr, then a picked photo or a generated picture of that plate. */
async function choosePlatePhoto(): Promise<Dict> {
  const answer = await host().inputSandbox({
    id: 'plate-ocr-sandbox',
    title: '模拟车牌识别',
    text: '真实的车牌识别由微信完成。请输入镜头里看到的号牌（留空 = 照片里没有车牌），经本地云 POST /sandbox/ocr 记入沙箱，云函数识别这张照片时读到它。',
    meta: ['可试：桂AB2C34（王芳的车）、桂AD12345（绿牌）、粤B12345（外省）'],
    input: { placeholder: '如 桂AB2C34', value: '桂AB2C34' },
    choices: [
      { id: 'generate', label: '拍照（生成一张照片）', primary: true },
      { id: 'pick', label: '从相册选择…' },
    ],
  });
  if (answer === null) throw fail('chooseMedia', 'cancel');
  const plate = answer.text.trim();
  await postSandbox('chooseMedia', '/sandbox/ocr', { openid: currentOpenid(), plate: plate === '' ? null : plate });
  return answer.choice === 'pick' ? pickFiles({ count: 1 }) : platePicture(plate);
}

/** A small JPEG of a blue plate reading `plate` (what a phone camera would have taken). */
function platePicture(plate: string): Promise<Dict> {
  const canvas = document.createElement('canvas');
  canvas.width = 440;
  canvas.height = 140;
  const g = canvas.getContext('2d');
  if (g) {
    g.fillStyle = '#5b6770';
    g.fillRect(0, 0, 440, 140);
    g.fillStyle = '#1f4ea3';
    g.fillRect(30, 25, 380, 90);
    g.fillStyle = '#ffffff';
    g.font = 'bold 54px sans-serif';
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    g.fillText(plate === '' ? '（无车牌）' : plate, 220, 72);
  }
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(fail('chooseMedia', 'could not draw the picture'));
        return;
      }
      resolve({
        type: 'image',
        tempFiles: [{ tempFilePath: URL.createObjectURL(blob), size: blob.size, fileType: 'image' }],
      });
    }, 'image/jpeg'),
  );
}

/** The browser's own file picker stands in for the album and camera. */
function pickFiles(options: Dict): Promise<Dict> {
  const count = Math.max(1, Math.min(20, Number(options['count'] ?? 9) || 9));
  return new Promise((resolve, reject) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.multiple = count > 1;
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? []).slice(0, count);
      if (files.length === 0) {
        reject(fail('chooseMedia', 'cancel'));
        return;
      }
      resolve({
        type: 'image',
        tempFiles: files.map((file) => ({
          tempFilePath: URL.createObjectURL(file),
          size: file.size,
          fileType: 'image',
        })),
      });
    });
    input.addEventListener('cancel', () => reject(fail('chooseMedia', 'cancel')));
    input.click();
  });
}

async function uploadFile(options: Dict): Promise<Dict> {
  const cloudPath = asText(options['cloudPath']);
  const filePath = asText(options['filePath']);
  if (!cloudPath || !filePath) throw fail('cloud.uploadFile', 'parameter error: cloudPath and filePath are required');
  const blob = await (await fetch(filePath)).blob();
  const response = await fetch(`/storage/upload?cloudPath=${encodeURIComponent(cloudPath)}`, {
    method: 'POST',
    headers: { 'content-type': blob.type || 'application/octet-stream', 'x-wx-openid': currentOpenid() },
    body: blob,
  });
  const body = (await response.json().catch(() => ({}))) as Dict;
  if (!response.ok)
    throw fail('cloud.uploadFile', asText(body['message'] ?? body['errMsg'], `HTTP ${response.status}`));
  return { fileID: body['fileID'], statusCode: 200 };
}

async function getTempFileURL(options: Dict): Promise<Dict> {
  const response = await fetch('/storage/temp-url', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fileList: options['fileList'] ?? [] }),
  });
  const body = (await response.json().catch(() => ({}))) as Dict;
  if (!response.ok) throw fail('cloud.getTempFileURL', asText(body['message'], `HTTP ${response.status}`));
  return { fileList: body['fileList'] };
}
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
    uploadFile: asyncApi('cloud.uploadFile', uploadFile),
    getTempFileURL: asyncApi('cloud.getTempFileURL', getTempFileURL),
  });
  const implemented: Dict = {
    // navigation
    navigateTo: navigation('navigateTo', (o) => router.navigateTo(asText(o['url']))),
    redirectTo: navigation('redirectTo', (o) => router.redirectTo(asText(o['url']))),
    navigateBack: navigation('navigateBack', (o) => router.navigateBack(Number(o['delta'] ?? 1))),
    reLaunch: navigation('reLaunch', (o) => router.reLaunch(asText(o['url']))),
    switchTab: navigation('switchTab', (o) => router.switchTab(asText(o['url']))),
    // navigation bar and page
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', (o) => router.setTitle(asText(o['title']))),
    setNavigationBarColor: asyncApi('setNavigationBarColor', (o) =>
      router.setNavigationBarColor(
        asText(o['backgroundColor'], '#ffffff'),
        o['frontColor'] === '#ffffff' ? 'white' : 'black',
      ),
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
    showLoading: asyncApi('showLoading', (o) => host().showLoading(asText(o['title']), o['mask'] === true)),
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
      const key = asText(o['key']);
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
    getSystemSetting: () => ({
      bluetoothEnabled: false,
      locationEnabled: false,
      wifiEnabled: true,
      deviceOrientation: 'portrait',
    }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => ({
      path: router.currentPages()[0]?.['route'] ?? '',
      query: {},
      scene: 1001,
      referrerInfo: {},
    }),
    getEnterOptionsSync: () => ({
      path: router.currentPages()[0]?.['route'] ?? '',
      query: {},
      scene: 1001,
      referrerInfo: {},
    }),
    getMenuButtonBoundingClientRect: () => ({
      width: 87,
      height: 32,
      top: 48,
      right: SCREEN_WIDTH - 7,
      bottom: 80,
      left: SCREEN_WIDTH - 94,
    }),
    onThemeChange: () => undefined,
    offThemeChange: () => undefined,
    onWindowResize: () => undefined,
    offWindowResize: () => undefined,
    nextTick: (fn: unknown) => {
      if (typeof fn === 'function')
        Promise.resolve()
          .then(() => (fn as () => void)())
          .catch((e: unknown) => console.error(e));
    },
    createSelectorQuery: () => new SelectorQuery(router.topPage()?.instance ?? null),
    createIntersectionObserver: (component: unknown, options?: Dict) => new IntersectionObserver(component, options),
    createAnimation: (options?: Dict) => new Animation(options),
    canIUse: (schema: unknown) =>
      typeof schema === 'string' && schema.split('.')[0] !== undefined && (schema.split('.')[0] ?? '') in implemented,
    env: { USER_DATA_PATH: 'http://usr' },
    // cloud, and the two WeChat-only steps
    cloud,
    requestFacialVerify: asyncApi('requestFacialVerify', requestFacialVerify),
    requestPayment: asyncApi('requestPayment', requestPayment),
    requestSubscribeMessage: asyncApi('requestSubscribeMessage', requestSubscribeMessage),
    // the user's location, the map and photos, as labelled sandboxes
    getLocation: asyncApi('getLocation', getLocation),
    chooseLocation: asyncApi('chooseLocation', chooseLocation),
    openLocation: asyncApi('openLocation', openLocation),
    chooseMedia: asyncApi('chooseMedia', chooseMedia),
  };
  return loud('wx', implemented);
}
