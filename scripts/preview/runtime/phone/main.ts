/**
 * The phone frame: the mini program's "webview". Installs WeChat's globals (wx, App, getApp, getCurrentPages,
 * Component, Behavior), the built-in components and app.wxss, runs app.ts (onLaunch, onShow), then opens the launch
 * page. Page and component code is evaluated only when a page first needs it, as the base library does.
 */
import jUtils from 'j-component/src/tool/utils';
import { appJson, loadApp, pages } from 'preview:manifest';
import { OPENID_PATTERN, type PreviewPhone } from '../protocol';
import { registerBuiltins } from './builtins';
import { installComponentGlobals } from './components';
import { currentOpenid, host } from './host';
import * as router from './router';
import { injectStyle, transformInlineRpx } from './styles';
import { createWx } from './wx';

type Dict = Record<string, unknown>;

function report(error: unknown): void {
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
  try {
    host().reportError(message);
  } catch {
    // opened outside the shell: the console has it
  }
}

function boot(): void {
  window.addEventListener('error', (event) => report(event.error ?? event.message));
  window.addEventListener('unhandledrejection', (event) => {
    const reason: unknown = event.reason;
    // a wx API's failure nobody handled: WeChat logs it ("Uncaught (in promise)"); here it is listed too
    if (reason && typeof reason === 'object' && 'errMsg' in reason) {
      console.error(reason);
      report(`未处理的 wx 接口失败：${String(reason.errMsg)}`);
      return;
    }
    report(reason);
  });
  if (!OPENID_PATTERN.test(currentOpenid())) throw new Error('no demo user chosen (the frame needs ?openid=...)');

  // inline styles and WXSS scale rpx to the frame's width, as WeChat scales them to the phone's
  jUtils.transformRpx = (style: string) => transformInlineRpx(style);

  const g = globalThis as unknown as Dict;
  g['wx'] = createWx();
  let app: Dict = {};
  g['App'] = (definition: Dict) => {
    app = definition;
  };
  g['getApp'] = () => app;
  g['getCurrentPages'] = () => router.currentPages();
  installComponentGlobals();
  registerBuiltins();
  injectStyle('app.wxss', '', 'page');

  const params = new URLSearchParams(window.location.search);
  const launch = params.get('launch') ?? '';
  const launchUrl =
    launch && pages.includes(launch.replace(/^\//, '').split('?')[0] ?? '')
      ? `/${launch.replace(/^\//, '')}`
      : `/${appJson.pages[0]}`;
  const [launchPath = '', launchQuery = ''] = launchUrl.slice(1).split(/\?(.*)/s);
  const options = {
    path: launchPath,
    query: Object.fromEntries(new URLSearchParams(launchQuery)),
    scene: 1001,
    referrerInfo: {},
  };
  loadApp();
  const call = (name: string) => {
    const fn = app[name];
    if (typeof fn === 'function') (fn as (o: unknown) => void).call(app, options);
  };
  call('onLaunch');
  call('onShow');

  const phone: PreviewPhone = {
    back: () => router.navigateBack(1),
    home: () => router.reLaunch(`/${appJson.pages[0]}`),
    switchTab: (pagePath) => router.switchTab(`/${pagePath}`),
    reLaunch: (url) => router.reLaunch(url),
  };
  window.__wxPreviewPhone = phone;
  window.addEventListener('scroll', () => router.onWindowScroll(), { passive: true });
  router.reLaunch(launchUrl);
  watchIconFont();
}

/** TDesign's icon font comes from its CDN (as in WeChat); offline, say so and let phone.css draw the SVG set. */
function watchIconFont(): void {
  const check = () => {
    document.fonts.forEach((face) => {
      if (face.family.replace(/["']/g, '') !== 't') return;
      (face.status === 'unloaded' ? face.load() : face.loaded).catch(() => {
        document.documentElement.classList.add('wx-preview-no-icon-font');
        host().note(
          'icon-font',
          'TDesign 的图标字体来自 tdesign.gtimg.com（微信中也是），现在无法加载：图标改用同名的 TDesign SVG 图标显示。',
        );
      });
    });
  };
  // the icon font's @font-face arrives with the first page that uses t-icon
  setTimeout(check, 0);
  setTimeout(check, 1000);
}

try {
  boot();
} catch (error: unknown) {
  report(error);
  throw error;
}
