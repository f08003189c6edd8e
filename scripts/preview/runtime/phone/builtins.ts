/**
 * WeChat's built-in components (view, text, input, button, image, scroll-view, ...) as j-component components whose
 * DOM element is <wx-NAME>, as in WeChat's webview. miniprogram-simulate registers each as a bare <slot/>; a person
 * clicking needs more: a real <input> to type in, hover classes, images, scrolling, open-type="share". Default looks
 * are in phone.css. A built-in the preview does not implement still renders its children and is reported once.
 */
import exparser, { type ExparserNode } from 'miniprogram-exparser';
import jComponent from 'j-component';
import { host } from './host';
import { transformInlineRpx } from './styles';
import { asText } from './text';

type Dict = Record<string, unknown>;

/** `this` inside a built-in's methods and lifetimes (j-component's method caller). */
interface Caller {
  readonly data: Dict;
  readonly _exparserNode: ExparserNode;
  triggerEvent(name: string, detail?: unknown, options?: Dict): void;
  [key: string]: unknown;
}

/** Every tag miniprogram-simulate registers; the ones below with behaviour get their own definitions. */
const ALL_TAGS = [
  'cover-image',
  'cover-view',
  'grid-view',
  'list-view',
  'match-media',
  'movable-area',
  'movable-view',
  'page-container',
  'root-portal',
  'scroll-view',
  'share-element',
  'sticky-header',
  'sticky-section',
  'swiper',
  'swiper-item',
  'view',
  'icon',
  'progress',
  'rich-text',
  'text',
  'button',
  'checkbox',
  'checkbox-group',
  'editor',
  'form',
  'input',
  'keyboard-accessory',
  'label',
  'picker',
  'picker-view',
  'picker-view-column',
  'radio',
  'radio-group',
  'slider',
  'switch',
  'textarea',
  'functional-page-navigator',
  'navigator',
  'audio',
  'camera',
  'channel-live',
  'channel-video',
  'image',
  'live-player',
  'live-pusher',
  'video',
  'voip-room',
  'map',
  'canvas',
  'web-view',
  'ad',
  'ad-custom',
  'official-account',
  'open-data',
  'navigation-bar',
  'page-meta',
];

/** Tags that only lay out their children: rendering the children is the whole job. */
const CONTAINERS = [
  'cover-view',
  'grid-view',
  'list-view',
  'root-portal',
  'sticky-header',
  'sticky-section',
  'label',
  'swiper-item',
];

function dom(caller: Caller): HTMLElement {
  const el = caller._exparserNode.$$;
  if (!(el instanceof HTMLElement)) throw new Error('a built-in component without a DOM element');
  return el;
}

function reflect(caller: Caller, attribute: string, on: boolean, value = ''): void {
  const el = dom(caller);
  if (on) el.setAttribute(attribute, value);
  else el.removeAttribute(attribute);
}

/**
 * Class names as the element's owner template would write them: "<prefix>--name" (plus "name" when the owner adds
 * global classes). For DOM the preview makes itself (an input's placeholder), which exparser does not prefix.
 */
function ownerClasses(node: ExparserNode, names: string): string {
  const owner = node.ownerShadowRoot?.getHostNode();
  const options = owner ? exparser.Component.getComponentOptions(owner) : {};
  const prefix = options.classPrefix ?? '';
  return names
    .split(/\s+/)
    .filter(Boolean)
    .map((n) => (prefix ? `${prefix}--${n}${options.addGlobalClass ? ` ${n}` : ''}` : n))
    .join(' ');
}

/** hover-class: added after hover-start-time on press, removed hover-stay-time after release (mouse or touch). */
function installHover(caller: Caller, startDefault: number, stayDefault: number): void {
  const el = dom(caller);
  let current: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const clear = () => {
    for (const c of current) caller._exparserNode.classList.toggle(c, false);
    current = [];
  };
  const press = (event: Event) => {
    const hoverClass = asText(caller.data['hoverClass'], 'none');
    const marked = event as Event & { __wxHoverStopped?: boolean };
    if (hoverClass === 'none' || hoverClass === '' || caller.data['disabled'] === true || marked.__wxHoverStopped)
      return;
    if (caller.data['hoverStopPropagation'] === true) marked.__wxHoverStopped = true;
    clearTimeout(timer);
    timer = setTimeout(
      () => {
        clear();
        current = hoverClass.split(/\s+/).filter(Boolean);
        for (const c of current) caller._exparserNode.classList.toggle(c, true);
      },
      Number(caller.data['hoverStartTime'] ?? startDefault),
    );
  };
  const release = () => {
    clearTimeout(timer);
    timer = setTimeout(clear, Number(caller.data['hoverStayTime'] ?? stayDefault));
  };
  el.addEventListener('mousedown', press);
  el.addEventListener('touchstart', press, { passive: true });
  for (const name of ['mouseup', 'mouseleave', 'touchend', 'touchcancel']) el.addEventListener(name, release);
}

const HOVER_PROPS = {
  hoverClass: { type: String, value: 'none' },
  hoverStopPropagation: { type: Boolean, value: false },
  hoverStartTime: { type: Number, value: 50 },
  hoverStayTime: { type: Number, value: 400 },
};

const reported = new Set<string>();
function unsupported(what: string, detail: string): void {
  if (reported.has(what)) return;
  reported.add(what);
  host().reportUnsupported(what, detail);
}

function register(name: string, definition: Dict = {}): void {
  jComponent.register({
    id: name,
    tagName: `wx-${name}`,
    template: '<slot/>',
    ...definition,
    options: { classPrefix: '', multipleSlots: false, ...(definition['options'] as Dict | undefined) },
  });
}

function view(): void {
  register('view', {
    properties: { hidden: { type: Boolean, value: false }, ...HOVER_PROPS },
    observers: {
      hidden(this: Caller, hidden: boolean) {
        reflect(this, 'hidden', hidden);
      },
    },
    lifetimes: {
      attached(this: Caller) {
        reflect(this, 'hidden', this.data['hidden'] === true);
        installHover(this, 50, 400);
      },
    },
  });
}

function text(): void {
  register('text', {
    properties: {
      hidden: { type: Boolean, value: false },
      selectable: Boolean,
      userSelect: Boolean,
      space: String,
      decode: Boolean,
    },
    observers: {
      hidden(this: Caller, hidden: boolean) {
        reflect(this, 'hidden', hidden);
      },
    },
  });
}

/** input and textarea: a native field inside <wx-input>, events with WeChat's details, the phone keyboard's limits. */
function field(name: 'input' | 'textarea'): void {
  const state = new WeakMap<
    Caller,
    { el: HTMLInputElement | HTMLTextAreaElement; placeholder: HTMLElement; keyCode: number }
  >();
  const sync = (caller: Caller) => {
    const s = state.get(caller);
    if (!s) return;
    const d = caller.data;
    const value = asText(d['value']);
    if (s.el.value !== value) s.el.value = value;
    s.el.disabled = d['disabled'] === true;
    const max = Number(d['maxlength'] ?? 140);
    if (max >= 0) s.el.maxLength = max;
    else s.el.removeAttribute('maxlength');
    if (s.el instanceof HTMLInputElement) {
      s.el.type = d['password'] === true ? 'password' : 'text';
      const type = asText(d['type'], 'text');
      s.el.inputMode = type === 'number' ? 'numeric' : type === 'digit' ? 'decimal' : 'text';
    }
    s.el.setAttribute('aria-label', asText(d['placeholder']));
    s.placeholder.textContent = asText(d['placeholder']);
    s.placeholder.className = `${name}-placeholder ${ownerClasses(caller._exparserNode, asText(d['placeholderClass']))}`;
    s.placeholder.setAttribute('style', transformInlineRpx(asText(d['placeholderStyle'])));
    s.placeholder.hidden = s.el.value !== '';
    reflect(caller, 'disabled', d['disabled'] === true);
  };
  /** What the phone's keyboard for `type` lets a person type. */
  const allowed = (type: string, value: string): string => {
    if (type === 'number') return value.replace(/[^0-9]/g, '');
    if (type === 'digit') return value.replace(/[^0-9.]/g, '');
    if (type === 'idcard') return value.replace(/[^0-9xX]/g, '');
    return value;
  };
  register(name, {
    properties: {
      value: { type: String, value: '' },
      type: { type: String, value: 'text' },
      password: Boolean,
      placeholder: String,
      placeholderStyle: String,
      placeholderClass: { type: String, value: `${name}-placeholder` },
      disabled: Boolean,
      maxlength: { type: Number, value: 140 },
      focus: Boolean,
      autoFocus: Boolean,
      confirmType: { type: String, value: 'done' },
      confirmHold: Boolean,
      cursor: Number,
      selectionStart: { type: Number, value: -1 },
      selectionEnd: { type: Number, value: -1 },
      autoHeight: Boolean,
    },
    observers: {
      'value, disabled, maxlength, password, type, placeholder, placeholderClass, placeholderStyle'(this: Caller) {
        sync(this);
      },
      focus(this: Caller, focus: boolean) {
        if (focus) state.get(this)?.el.focus();
      },
    },
    lifetimes: {
      attached(this: Caller) {
        const host = dom(this);
        const wrapper = document.createElement('div');
        wrapper.className = `${name}-wrapper`;
        const placeholder = document.createElement('div');
        const el = document.createElement(name === 'input' ? 'input' : 'textarea');
        el.className = `${name}-input`;
        wrapper.append(placeholder, el);
        host.appendChild(wrapper);
        const s = { el, placeholder, keyCode: 0 };
        state.set(this, s);
        sync(this);
        el.addEventListener('keydown', (event: Event) => {
          if (!(event instanceof KeyboardEvent)) return;
          // WeChat's input events still carry keyCode, so the preview reports it too.
          // eslint-disable-next-line @typescript-eslint/no-deprecated
          s.keyCode = event.keyCode;
          if (event.key === 'Enter' && name === 'input') {
            this.triggerEvent('confirm', { value: el.value });
            if (this.data['confirmHold'] !== true) el.blur();
          }
        });
        el.addEventListener('input', () => {
          const type = asText(this.data['type'], 'text');
          const kept = allowed(type, el.value);
          if (kept !== el.value) el.value = kept;
          placeholder.hidden = el.value !== '';
          this.triggerEvent('input', {
            value: el.value,
            cursor: el.selectionStart ?? el.value.length,
            keyCode: s.keyCode,
          });
        });
        el.addEventListener('focus', () => this.triggerEvent('focus', { value: el.value, height: 0 }));
        el.addEventListener('blur', () =>
          this.triggerEvent('blur', { value: el.value, cursor: el.selectionStart ?? 0 }),
        );
        if (this.data['focus'] === true || this.data['autoFocus'] === true) setTimeout(() => el.focus(), 0);
      },
    },
  });
}

const OPEN_TYPE_FEATURES: Record<string, string> = {
  contact: '客服会话',
  getPhoneNumber: '手机号快速验证',
  getRealtimePhoneNumber: '手机号实时验证',
  getUserInfo: '用户信息',
  launchApp: '打开 App',
  openSetting: '授权设置',
  feedback: '意见反馈',
  chooseAvatar: '选择头像',
  agreePrivacyAuthorization: '隐私协议',
  liveActivity: '实况消息',
};

function button(): void {
  register('button', {
    behaviors: ['wx://form-field-button'],
    properties: {
      size: { type: String, value: 'default' },
      type: { type: String, value: 'default' },
      plain: Boolean,
      disabled: Boolean,
      loading: Boolean,
      formType: String,
      openType: String,
      ...HOVER_PROPS,
      hoverClass: { type: String, value: 'button-hover' },
      hoverStartTime: { type: Number, value: 20 },
      hoverStayTime: { type: Number, value: 70 },
    },
    observers: {
      'size, type, plain, disabled, loading'(this: Caller) {
        const d = this.data;
        reflect(this, 'size', true, String(d['size']));
        reflect(this, 'type', true, String(d['type']));
        reflect(this, 'plain', d['plain'] === true);
        reflect(this, 'disabled', d['disabled'] === true);
        reflect(this, 'loading', d['loading'] === true);
      },
    },
    lifetimes: {
      attached(this: Caller) {
        reflect(this, 'type', true, String(this.data['type']));
        reflect(this, 'size', true, String(this.data['size']));
        installHover(this, 20, 70);
        this._exparserNode.addListener('tap', () => {
          if (this.data['disabled'] === true) return;
          const openType = asText(this.data['openType']);
          if (openType === 'share') share(this);
          else if (openType !== '')
            unsupported(
              `<button open-type="${openType}">`,
              `${OPEN_TYPE_FEATURES[openType] ?? openType} 只在微信中可用`,
            );
          else if (this.data['formType'])
            unsupported(`<button form-type="${asText(this.data['formType'])}">`, '预览未实现 <form> 提交');
        });
      },
    },
  });
}

/** open-type="share": the page's onShareAppMessage decides the card; the shell shows what WeChat would send. */
function share(caller: Caller): void {
  const pages = (globalThis as unknown as { getCurrentPages(): Dict[] }).getCurrentPages();
  const page = pages[pages.length - 1];
  const handler = page?.['onShareAppMessage'];
  if (typeof handler !== 'function') {
    unsupported('<button open-type="share">', '当前页面没有 onShareAppMessage，微信中该按钮不会分享');
    return;
  }
  const node = caller._exparserNode;
  const card = (handler as (o: unknown) => unknown).call(page, {
    from: 'button',
    target: { id: node.id, dataset: node.dataset },
    webViewUrl: '',
  }) as Dict | undefined;
  host().shareSandbox({ title: asText(card?.['title']), path: asText(card?.['path'] ?? page?.['route']) });
}

/** WeChat's image modes as CSS background placement. */
const IMAGE_MODES: Record<string, { size: string; position: string }> = {
  scaleToFill: { size: '100% 100%', position: '0% 0%' },
  aspectFit: { size: 'contain', position: 'center center' },
  aspectFill: { size: 'cover', position: 'center center' },
  widthFix: { size: '100% 100%', position: '0% 0%' },
  heightFix: { size: '100% 100%', position: '0% 0%' },
  top: { size: 'auto', position: 'center top' },
  bottom: { size: 'auto', position: 'center bottom' },
  center: { size: 'auto', position: 'center center' },
  left: { size: 'auto', position: 'left center' },
  right: { size: 'auto', position: 'right center' },
  'top left': { size: 'auto', position: 'left top' },
  'top right': { size: 'auto', position: 'right top' },
  'bottom left': { size: 'auto', position: 'left bottom' },
  'bottom right': { size: 'auto', position: 'right bottom' },
};

/** An image src as the page wrote it: absolute paths are the mini program root (copied to build/preview/mp). */
function imageUrl(src: string): string {
  if (/^(https?:|data:|blob:)/.test(src)) return src;
  if (src.startsWith('/')) return `mp${src}`;
  const pages = (globalThis as unknown as { getCurrentPages(): Dict[] }).getCurrentPages();
  const route = asText(pages[pages.length - 1]?.['route']);
  return `mp/${route.split('/').slice(0, -1).join('/')}/${src}`;
}

function image(): void {
  const load = (caller: Caller) => {
    const el = dom(caller);
    const inner = el.firstElementChild as HTMLElement | null;
    if (!inner) return;
    const src = asText(caller.data['src']);
    const mode = IMAGE_MODES[asText(caller.data['mode'], 'scaleToFill')] ?? IMAGE_MODES['scaleToFill'];
    inner.style.backgroundSize = mode?.size ?? '100% 100%';
    inner.style.backgroundPosition = mode?.position ?? '0% 0%';
    if (!src) {
      inner.style.backgroundImage = '';
      return;
    }
    const url = imageUrl(src);
    const probe = new Image();
    probe.onload = () => {
      inner.style.backgroundImage = `url("${url}")`;
      const modeName = asText(caller.data['mode']);
      if (modeName === 'widthFix' && probe.naturalWidth > 0)
        el.style.height = `${(el.clientWidth * probe.naturalHeight) / probe.naturalWidth}px`;
      if (modeName === 'heightFix' && probe.naturalHeight > 0)
        el.style.width = `${(el.clientHeight * probe.naturalWidth) / probe.naturalHeight}px`;
      caller.triggerEvent('load', { width: probe.naturalWidth, height: probe.naturalHeight });
    };
    probe.onerror = () => caller.triggerEvent('error', { errMsg: `GET ${src} failed` });
    probe.src = url;
  };
  register('image', {
    template: '<block wx:if="{{false}}"></block>',
    properties: {
      src: String,
      mode: { type: String, value: 'scaleToFill' },
      lazyLoad: Boolean,
      webp: Boolean,
      showMenuByLongpress: Boolean,
      fadeIn: Boolean,
    },
    observers: {
      'src, mode'(this: Caller) {
        load(this);
      },
    },
    lifetimes: {
      attached(this: Caller) {
        const inner = document.createElement('div');
        inner.className = 'image-inner';
        dom(this).appendChild(inner);
        load(this);
      },
    },
  });
}

function scrollView(): void {
  const scrollTo = (caller: Caller, left: number | null, top: number | null) => {
    const el = dom(caller);
    const behavior: ScrollBehavior = caller.data['scrollWithAnimation'] === true ? 'smooth' : 'auto';
    el.scrollTo({ ...(left === null ? {} : { left }), ...(top === null ? {} : { top }), behavior });
  };
  register('scroll-view', {
    properties: {
      scrollX: Boolean,
      scrollY: Boolean,
      scrollTop: { type: null, value: '' },
      scrollLeft: { type: null, value: '' },
      scrollIntoView: String,
      scrollWithAnimation: Boolean,
      enhanced: Boolean,
      showScrollbar: { type: Boolean, value: true },
      upperThreshold: { type: Number, value: 50 },
      lowerThreshold: { type: Number, value: 50 },
      enableFlex: Boolean,
    },
    observers: {
      'scrollX, scrollY, enableFlex'(this: Caller) {
        reflect(this, 'scroll-x', this.data['scrollX'] === true);
        reflect(this, 'scroll-y', this.data['scrollY'] === true);
        reflect(this, 'enable-flex', this.data['enableFlex'] === true);
      },
      scrollTop(this: Caller, value: unknown) {
        if (value !== '' && value !== null && value !== undefined)
          scrollTo(this, null, Number.parseFloat(transformInlineRpx(asText(value))));
      },
      scrollLeft(this: Caller, value: unknown) {
        if (value !== '' && value !== null && value !== undefined)
          scrollTo(this, Number.parseFloat(transformInlineRpx(asText(value))), null);
      },
      scrollIntoView(this: Caller, id: string) {
        if (!id) return;
        const target = this._exparserNode.ownerShadowRoot?.querySelector(`#${id}`)?.$$;
        const el = dom(this);
        if (target instanceof HTMLElement) {
          const a = target.getBoundingClientRect();
          const b = el.getBoundingClientRect();
          scrollTo(this, el.scrollLeft + a.left - b.left, el.scrollTop + a.top - b.top);
        }
      },
    },
    lifetimes: {
      attached(this: Caller) {
        const el = dom(this);
        reflect(this, 'scroll-x', this.data['scrollX'] === true);
        reflect(this, 'scroll-y', this.data['scrollY'] === true);
        let last = { left: 0, top: 0 };
        el.addEventListener('scroll', () => {
          const detail = {
            scrollLeft: el.scrollLeft,
            scrollTop: el.scrollTop,
            scrollHeight: el.scrollHeight,
            scrollWidth: el.scrollWidth,
            deltaX: el.scrollLeft - last.left,
            deltaY: el.scrollTop - last.top,
          };
          last = { left: el.scrollLeft, top: el.scrollTop };
          this.triggerEvent('scroll', detail);
          const lower = Number(this.data['lowerThreshold'] ?? 50);
          const upper = Number(this.data['upperThreshold'] ?? 50);
          if (
            this.data['scrollY'] === true &&
            el.scrollTop + el.clientHeight >= el.scrollHeight - lower &&
            detail.deltaY > 0
          )
            this.triggerEvent('scrolltolower', { direction: 'bottom' });
          if (
            this.data['scrollX'] === true &&
            el.scrollLeft + el.clientWidth >= el.scrollWidth - lower &&
            detail.deltaX > 0
          )
            this.triggerEvent('scrolltolower', { direction: 'right' });
          if (this.data['scrollY'] === true && el.scrollTop <= upper && detail.deltaY < 0)
            this.triggerEvent('scrolltoupper', { direction: 'top' });
        });
      },
    },
  });
}

/** swiper: shows item `current`, advances on autoplay (TDesign's notice bar scrolls vertically with it). */
function swiper(): void {
  const timers = new WeakMap<Caller, ReturnType<typeof setInterval>>();
  const items = (caller: Caller) =>
    Array.from(dom(caller).children).filter((c) => c.tagName.toLowerCase() === 'wx-swiper-item') as HTMLElement[];
  const show = (caller: Caller, index: number) => {
    items(caller).forEach((item, i) => {
      item.style.display = i === index ? '' : 'none';
    });
  };
  register('swiper', {
    properties: {
      current: { type: Number, value: 0 },
      autoplay: Boolean,
      interval: { type: Number, value: 5000 },
      duration: { type: Number, value: 500 },
      circular: Boolean,
      vertical: Boolean,
      indicatorDots: Boolean,
    },
    observers: {
      current(this: Caller, current: number) {
        show(this, current);
      },
      'autoplay, interval'(this: Caller) {
        clearInterval(timers.get(this));
        if (this.data['autoplay'] !== true) return;
        timers.set(
          this,
          setInterval(
            () => {
              const count = items(this).length;
              if (count < 2) return;
              const next = (Number(this.data['current'] ?? 0) + 1) % count;
              this.data['current'] = next;
              show(this, next);
              this.triggerEvent('change', { current: next, source: 'autoplay' });
            },
            Math.max(500, Number(this.data['interval'] ?? 5000)),
          ),
        );
      },
    },
    lifetimes: {
      ready(this: Caller) {
        show(this, Number(this.data['current'] ?? 0));
      },
      detached(this: Caller) {
        clearInterval(timers.get(this));
      },
    },
  });
}

function navigator(): void {
  register('navigator', {
    properties: {
      url: String,
      openType: { type: String, value: 'navigate' },
      delta: { type: Number, value: 1 },
      ...HOVER_PROPS,
      hoverClass: { type: String, value: 'navigator-hover' },
    },
    lifetimes: {
      attached(this: Caller) {
        installHover(this, 50, 600);
        this._exparserNode.addListener('tap', () => {
          const wx = (globalThis as unknown as { wx: Record<string, (o: Dict) => unknown> }).wx;
          const url = asText(this.data['url']);
          const openType = asText(this.data['openType'], 'navigate');
          const api = {
            navigate: 'navigateTo',
            redirect: 'redirectTo',
            switchTab: 'switchTab',
            reLaunch: 'reLaunch',
            navigateBack: 'navigateBack',
          }[openType];
          if (!api) {
            unsupported(`<navigator open-type="${openType}">`, '预览只支持页面内跳转');
            return;
          }
          wx[api]?.(api === 'navigateBack' ? { delta: this.data['delta'] } : { url });
        });
      },
    },
  });
}

function richText(): void {
  register('rich-text', {
    template: '<block wx:if="{{false}}"></block>',
    properties: { nodes: { type: null, value: '' } },
    observers: {
      nodes(this: Caller, nodes: unknown) {
        const el = dom(this);
        if (typeof nodes === 'string') el.innerHTML = nodes;
        else {
          el.textContent = '';
          unsupported('<rich-text nodes="[...]">', '预览只支持 HTML 字符串形式的 nodes');
        }
      },
    },
  });
}

function others(done: Set<string>): void {
  for (const tag of ALL_TAGS) {
    if (done.has(tag)) continue;
    if (CONTAINERS.includes(tag)) {
      register(tag, tag === 'label' ? { properties: { for: String } } : {});
      continue;
    }
    register(tag, {
      lifetimes: {
        attached() {
          unsupported(`<${tag}>`, '预览未实现这个内置组件：只显示它的子节点');
        },
      },
    });
  }
}

export function registerBuiltins(): void {
  view();
  text();
  field('input');
  field('textarea');
  button();
  image();
  scrollView();
  swiper();
  navigator();
  richText();
  others(
    new Set([
      'view',
      'text',
      'input',
      'textarea',
      'button',
      'image',
      'scroll-view',
      'swiper',
      'navigator',
      'rich-text',
    ]),
  );
}
