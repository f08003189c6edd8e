/**
 * The page around the phone: WeChat's native parts (status and navigation bar, tab bar, toast, loading, modal,
 * action sheet), the two sandboxes (face verification and WeChat Pay, clearly labelled), the demo-user switcher,
 * and a list of what the preview could not do. The mini program itself runs in the iframe (the phone's webview).
 */
import { DEMO_ACCOUNTS } from '../../../local-cloud/seed-runner';
import {
  type FaceAnswer,
  type ModalOptions,
  type ModalResult,
  type NavigationBarState,
  OPENID_PATTERN,
  type PayAnswer,
  SCREEN_WIDTH,
  screenWidthOf,
  type PaySheet,
  type PreviewHost,
  type PreviewPhone,
  type ChoiceSheet,
  type InputSheet,
  type ShareCard,
  type TabBarState,
  type ToastOptions,
} from '../protocol';

const USER_KEY = 'wx-preview:user';

function byId(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el;
}

const screen = byId('screen') as HTMLIFrameElement;
const layer = byId('layer') as HTMLDivElement;
const userSelect = byId('user') as HTMLSelectElement;
const problems = byId('problems') as HTMLDivElement;

function phone(): PreviewPhone | undefined {
  return screen.contentWindow?.__wxPreviewPhone;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function yuan(fen: number | null): string {
  return fen === null ? '—' : `¥${(fen / 100).toFixed(2)}`;
}
function chosenUser(): string {
  const fromUrl = new URLSearchParams(window.location.search).get('user');
  if (fromUrl && OPENID_PATTERN.test(fromUrl)) return fromUrl;
  const stored = localStorage.getItem(USER_KEY);
  if (stored && OPENID_PATTERN.test(stored)) return stored;
  return DEMO_ACCOUNTS[0].openid;
}

function fillUsers(current: string): void {
  userSelect.textContent = '';
  const accounts: { openid: string; label: string }[] = DEMO_ACCOUNTS.map((a) => ({
    openid: a.openid,
    label: `${a.person.name}（${a.openid}）`,
  }));
  if (!accounts.some((a) => a.openid === current)) accounts.push({ openid: current, label: current });
  for (const account of accounts) {
    const option = el('option', '', account.label);
    option.value = account.openid;
    userSelect.appendChild(option);
  }
  userSelect.value = current;
}

let openid = chosenUser();
/** The phone's text size setting (`fontSize=<px>` on the preview's URL), kept for every launch of the phone. */
const fontSize = new URLSearchParams(window.location.search).get('fontSize');
/** The phone's width (`width=<px>`, 375 by default), for the frame and every launch. */
const screenWidth = screenWidthOf(window.location.search);
if (screenWidth !== SCREEN_WIDTH) {
  byId('phone').style.width = `${String(screenWidth)}px`;
  screen.style.width = `${String(screenWidth)}px`;
}

/** The preview's own URL for `openid`, keeping the text size setting and the width. */
function shellUrl(hash = ''): string {
  const params = new URLSearchParams({ user: openid });
  if (fontSize !== null) params.set('fontSize', fontSize);
  if (screenWidth !== SCREEN_WIDTH) params.set('width', String(screenWidth));
  return `/?${params.toString()}${hash}`;
}

/** (Re)starts the mini program as `openid`, on `launch` (a page path with its query) or the home page. */
function launch(launchPath: string): void {
  closeAll();
  const params = new URLSearchParams({ openid });
  if (fontSize !== null) params.set('fontSize', fontSize);
  if (screenWidth !== SCREEN_WIDTH) params.set('width', String(screenWidth));
  if (launchPath) params.set('launch', launchPath);
  screen.src = `/preview/phone.html?${params.toString()}`;
}

userSelect.addEventListener('change', () => {
  openid = userSelect.value;
  localStorage.setItem(USER_KEY, openid);
  history.replaceState(null, '', shellUrl());
  // another WeChat account: the mini program starts afresh, on its home page
  launch('');
});
byId('relaunch').addEventListener('click', () => launch(''));
byId('nav-back').addEventListener('click', () => phone()?.back());
byId('nav-home').addEventListener('click', () => phone()?.home());
let toastTimer: ReturnType<typeof setTimeout> | undefined;
let toastKind: 'toast' | 'loading' | null = null;

function removeById(id: string): void {
  document.getElementById(id)?.remove();
}

function closeAll(): void {
  layer.textContent = '';
  toastKind = null;
  clearTimeout(toastTimer);
}

function toast(kind: 'toast' | 'loading', title: string, icon: string, mask: boolean, duration: number | null): void {
  removeById('toast');
  clearTimeout(toastTimer);
  const wrap = el('div', `toast-wrap${mask ? ' toast-wrap--mask' : ''}`);
  wrap.id = 'toast';
  const box = el('div', `toast${icon === 'none' ? ' toast--text' : ''}`);
  if (icon !== 'none')
    box.appendChild(
      el('div', `toast__icon toast__icon--${icon}`, icon === 'success' ? '✓' : icon === 'error' ? '✕' : ''),
    );
  box.appendChild(el('div', 'toast__title', title));
  wrap.appendChild(box);
  layer.appendChild(wrap);
  toastKind = kind;
  if (duration !== null) toastTimer = setTimeout(() => hideToastOf(kind), duration);
}

function hideToastOf(kind: 'toast' | 'loading'): void {
  if (toastKind !== kind) return;
  removeById('toast');
  toastKind = null;
}

/** A dialog over the phone with a mask; `build` fills it and gets `close`. */
function dialog<T>(
  id: string,
  className: string,
  build: (box: HTMLElement, close: (value: T) => void) => void,
): Promise<T> {
  removeById(id);
  return new Promise<T>((resolve) => {
    const mask = el('div', 'mask');
    mask.id = id;
    const box = el('div', className);
    box.setAttribute('role', 'dialog');
    mask.appendChild(box);
    build(box, (value) => {
      mask.remove();
      resolve(value);
    });
    layer.appendChild(mask);
  });
}

function button(text: string, id: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', className, text);
  b.type = 'button';
  b.id = id;
  b.addEventListener('click', onClick);
  return b;
}

function modal(options: ModalOptions): Promise<ModalResult> {
  return dialog<ModalResult>('modal', 'modal', (box, close) => {
    if (options.title) box.appendChild(el('div', 'modal__title', options.title));
    let input: HTMLTextAreaElement | null = null;
    if (options.editable) {
      input = el('textarea', 'modal__input');
      input.placeholder = options.placeholderText;
      input.value = options.content;
      box.appendChild(input);
    } else if (options.content) {
      box.appendChild(el('div', 'modal__content', options.content));
    }
    const actions = el('div', 'modal__actions');
    if (options.showCancel) {
      const cancel = button(options.cancelText, 'modal-cancel', 'modal__button', () =>
        close({ confirm: false, cancel: true }),
      );
      cancel.style.color = options.cancelColor;
      actions.appendChild(cancel);
    }
    const confirm = button(options.confirmText, 'modal-confirm', 'modal__button modal__button--confirm', () =>
      close({ confirm: true, cancel: false, ...(input ? { content: input.value } : {}) }),
    );
    confirm.style.color = options.confirmColor;
    actions.appendChild(confirm);
    box.appendChild(actions);
  });
}

function actionSheet(items: string[], itemColor: string, alertText: string): Promise<number | null> {
  return dialog<number | null>('action-sheet', 'sheet', (box, close) => {
    if (alertText) box.appendChild(el('div', 'sheet__alert', alertText));
    items.forEach((item, index) => {
      const b = button(item, `action-sheet-${index}`, 'sheet__item', () => close(index));
      b.style.color = itemColor;
      box.appendChild(b);
    });
    box.appendChild(button('取消', 'action-sheet-cancel', 'sheet__item sheet__item--cancel', () => close(null)));
  });
}

function sandboxLabel(box: HTMLElement, title: string): void {
  const head = el('div', 'sandbox__head');
  head.appendChild(el('span', 'sandbox__badge', '沙箱 SANDBOX'));
  head.appendChild(el('span', 'sandbox__title', title));
  box.appendChild(head);
}

function faceSandbox(verifyId: string): Promise<FaceAnswer> {
  return dialog<FaceAnswer>('face-sandbox', 'sheet sandbox', (box, close) => {
    sandboxLabel(box, '模拟人脸核身');
    box.appendChild(el('div', 'sandbox__face', '☺'));
    box.appendChild(
      el(
        'p',
        'sandbox__text',
        '真实的人脸核身只在微信中进行。请替镜头前的人选择结果：选择经本地云的 POST /sandbox/face/<verifyId> 送达，是否通过由云函数向“微信”查询后判定。',
      ),
    );
    box.appendChild(el('p', 'sandbox__meta', `verifyId：${verifyId}`));
    const actions = el('div', 'sandbox__actions');
    actions.appendChild(
      button('本人，识别通过', 'face-pass', 'sandbox__button sandbox__button--primary', () => close('pass')),
    );
    actions.appendChild(button('不是本人（不通过）', 'face-fail', 'sandbox__button', () => close('fail')));
    actions.appendChild(
      button('退出识别', 'face-cancel', 'sandbox__button sandbox__button--text', () => close('cancel')),
    );
    box.appendChild(actions);
  });
}

function paySandbox(sheet: PaySheet): Promise<PayAnswer> {
  return dialog<PayAnswer>('pay-sandbox', 'sheet sandbox', (box, close) => {
    sandboxLabel(box, '模拟微信支付');
    box.appendChild(el('div', 'sandbox__amount', yuan(sheet.amount)));
    box.appendChild(el('p', 'sandbox__meta', `商户订单号：${sheet.outTradeNo}`));
    box.appendChild(
      el(
        'p',
        'sandbox__text',
        '真实的支付只在微信中进行。选择经本地云的 POST /sandbox/pay/<outTradeNo> 送达，本地云像微信支付一样调用 payCallback 云函数通知结果。',
      ),
    );
    const actions = el('div', 'sandbox__actions');
    actions.appendChild(
      button('确认支付', 'pay-success', 'sandbox__button sandbox__button--primary', () => close('SUCCESS')),
    );
    actions.appendChild(button('支付失败', 'pay-fail', 'sandbox__button', () => close('FAIL')));
    actions.appendChild(
      button('取消支付', 'pay-cancel', 'sandbox__button sandbox__button--text', () => close('cancel')),
    );
    box.appendChild(actions);
  });
}

function shareSandbox(card: ShareCard): void {
  void dialog<'open' | 'close'>('share-sandbox', 'sheet sandbox', (box, close) => {
    sandboxLabel(box, '分享给微信好友');
    box.appendChild(el('p', 'sandbox__text', '在微信中，这张卡片会发给你选的好友；对方点开即进入卡片的页面。'));
    const cardBox = el('div', 'sandbox__card');
    cardBox.appendChild(el('div', 'sandbox__card-title', card.title || '（无标题）'));
    cardBox.appendChild(el('code', 'sandbox__meta', card.path));
    box.appendChild(cardBox);
    const actions = el('div', 'sandbox__actions');
    actions.appendChild(button('以当前用户打开卡片', 'share-open', 'sandbox__button', () => close('open')));
    actions.appendChild(button('关闭', 'share-close', 'sandbox__button sandbox__button--text', () => close('close')));
    box.appendChild(actions);
  }).then((answer) => {
    if (answer === 'open') phone()?.reLaunch(card.path.startsWith('/') ? card.path : `/${card.path}`);
  });
}

/** A sandbox sheet of choices, with a text field above them when the sheet has `input`; null when cancelled. */
function sheetSandbox(
  sheet: ChoiceSheet & { input?: InputSheet['input'] },
): Promise<{ choice: string; text: string } | null> {
  return dialog<{ choice: string; text: string } | null>(sheet.id, 'sheet sandbox', (box, close) => {
    sandboxLabel(box, sheet.title);
    box.appendChild(el('p', 'sandbox__text', sheet.text));
    let input: HTMLInputElement | null = null;
    if (sheet.input) {
      input = el('input', 'sandbox__input');
      input.id = `${sheet.id}-input`;
      input.placeholder = sheet.input.placeholder;
      input.value = sheet.input.value;
      box.appendChild(input);
    }
    for (const line of sheet.meta) box.appendChild(el('p', 'sandbox__meta', line));
    const actions = el('div', 'sandbox__actions');
    for (const choice of sheet.choices) {
      actions.appendChild(
        button(
          choice.label,
          `${sheet.id}-${choice.id}`,
          `sandbox__button${choice.primary ? ' sandbox__button--primary' : ''}`,
          () => close({ choice: choice.id, text: input?.value ?? '' }),
        ),
      );
    }
    actions.appendChild(
      button('取消', `${sheet.id}-cancel`, 'sandbox__button sandbox__button--text', () => close(null)),
    );
    box.appendChild(actions);
  });
}

function choiceSandbox(sheet: ChoiceSheet): Promise<string | null> {
  return sheetSandbox(sheet).then((answer) => answer?.choice ?? null);
}

function inputSandbox(sheet: InputSheet): Promise<{ choice: string; text: string } | null> {
  return sheetSandbox(sheet);
}

function addProblem(key: string, text: string, detail: string): void {
  const existing = Array.from(problems.children).find((c) => (c as HTMLElement).dataset['key'] === key) as
    HTMLElement | undefined;
  if (existing) {
    const count = Number(existing.dataset['count'] ?? '1') + 1;
    existing.dataset['count'] = String(count);
    const counter = existing.querySelector('.problem__count');
    if (counter) counter.textContent = `×${count}`;
    return;
  }
  const item = el('div', 'problem');
  item.dataset['key'] = key;
  item.dataset['count'] = '1';
  item.appendChild(el('strong', 'problem__what', text));
  item.appendChild(el('span', 'problem__count', ''));
  item.appendChild(el('div', 'problem__detail', detail));
  problems.appendChild(item);
}

function setNavigationBar(state: NavigationBarState): void {
  const nav = byId('nav');
  nav.hidden = state.hidden;
  nav.style.background = state.background;
  nav.style.color = state.textStyle === 'white' ? '#ffffff' : '#000000';
  byId('nav-title').textContent = state.loading ? `${state.title} …` : state.title;
  byId('nav-back').hidden = !state.back;
  byId('nav-home').hidden = !state.home;
}

function setTabBar(state: TabBarState | null): void {
  const bar = byId('tabbar');
  bar.hidden = state === null;
  bar.textContent = '';
  if (!state) return;
  bar.style.background = state.backgroundColor;
  state.items.forEach((item, index) => {
    const b = button(item.text, `tab-${index}`, 'phone__tab', () => phone()?.switchTab(item.pagePath));
    b.style.color = index === state.selected ? state.selectedColor : state.color;
    bar.appendChild(b);
  });
}

const previewHost: PreviewHost = {
  setNavigationBar,
  setTabBar,
  showToast: (options: ToastOptions) => toast('toast', options.title, options.icon, options.mask, options.duration),
  hideToast: () => hideToastOf('toast'),
  showLoading: (title, mask) => toast('loading', title, 'loading', mask, null),
  hideLoading: () => hideToastOf('loading'),
  showModal: modal,
  showActionSheet: actionSheet,
  faceSandbox,
  paySandbox,
  shareSandbox,
  choiceSandbox,
  inputSandbox,
  reportUnsupported: (what, detail) => addProblem(`unsupported:${what}`, `不支持：${what}`, detail),
  reportError: (message) => addProblem(`error:${message.split('\n')[0] ?? message}`, '小程序代码出错', message),
  note(key, text) {
    const notes = byId('notes');
    if (Array.from(notes.children).some((c) => (c as HTMLElement).dataset['key'] === key)) return;
    const item = el('p', 'panel__notice', text);
    item.dataset['key'] = key;
    notes.appendChild(item);
  },
  pageChanged(route, query) {
    byId('route').textContent = `${route}${query ? `?${query}` : ''}`;
    history.replaceState(null, '', shellUrl(`#/${route}${query ? `?${query}` : ''}`));
  },
};
window.__wxPreviewHost = previewHost;

fillUsers(openid);
localStorage.setItem(USER_KEY, openid);
launch(window.location.hash.replace(/^#\/?/, ''));
