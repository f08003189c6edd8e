/**
 * The page stack, as WeChat keeps it: each page is rendered into its own container in this document (one webview),
 * only the top one shown; navigateTo pushes (at most 10), redirectTo replaces, navigateBack pops, reLaunch clears,
 * switchTab goes to a tab page. Lifecycle in WeChat's order: old onHide → new onLoad(query) → onShow → onReady;
 * back: top onUnload → new top onShow. Query values reach onLoad as they were in the URL (still percent-encoded).
 */
import exparser, { type ExparserNode } from 'miniprogram-exparser';
import jComponent, { type RootComponent } from 'j-component';
import { appJson, components, pages as allPages } from 'preview:manifest';
import { type NavigationBarState, type SetDataRecord, type TabBarState } from '../protocol';
import { load } from './components';
import { host } from './host';
import { asText } from './text';

type Dict = Record<string, unknown>;

export interface PageRecord {
  readonly route: string;
  readonly query: Record<string, string>;
  readonly rawQuery: string;
  readonly root: RootComponent;
  readonly container: HTMLElement;
  readonly instance: Dict;
  scrollY: number;
  title: string | null;
  navigationBarColor: { background: string; textStyle: 'black' | 'white' } | null;
  navigationLoading: boolean;
  reachedBottom: boolean;
}

const MAX_PAGES = 10;
const stack: PageRecord[] = [];

export class NavigationError extends Error {}

export function currentPages(): Dict[] {
  return stack.map((p) => p.instance);
}

export function topPage(): PageRecord | undefined {
  return stack[stack.length - 1];
}

const tabPages = (): string[] => (appJson.tabBar?.list ?? []).map((item) => item.pagePath.replace(/^\//, ''));

function call(record: PageRecord, name: string, ...args: unknown[]): void {
  const fn = record.instance[name];
  if (typeof fn === 'function') (fn as (...a: unknown[]) => unknown).apply(record.instance, args);
}

/** "/pages/a/index?x=1" (or relative to the current page) → route and query, or a WeChat-style failure. */
function parseUrl(api: string, url: string): { route: string; query: Record<string, string>; rawQuery: string } {
  if (typeof url !== 'string' || url === '')
    throw new NavigationError(`${api}:fail parameter error: parameter.url should be String instead of ${typeof url}`);
  const [pathPart = '', rawQuery = ''] = url.split(/\?(.*)/s);
  let route: string;
  if (pathPart.startsWith('/')) route = pathPart.slice(1);
  else {
    const base = (topPage()?.route ?? '').split('/').slice(0, -1);
    for (const part of pathPart.split('/')) {
      if (part === '..') base.pop();
      else if (part !== '.' && part !== '') base.push(part);
    }
    route = base.join('/');
  }
  route = route.replace(/\.html$/, '');
  if (!allPages.includes(route)) throw new NavigationError(`${api}:fail page "${route}" is not found`);
  const query: Record<string, string> = {};
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue;
    const [key = '', value = ''] = pair.split(/=(.*)/s);
    query[key] = value;
  }
  return { route, query, rawQuery };
}

function windowOption(record: PageRecord, key: string): unknown {
  const own = components[record.route]?.json[key];
  return own !== undefined ? own : appJson.window?.[key];
}

function updateChrome(): void {
  const record = topPage();
  if (!record) return;
  const textStyle =
    record.navigationBarColor?.textStyle ??
    (windowOption(record, 'navigationBarTextStyle') === 'white' ? 'white' : 'black');
  const state: NavigationBarState = {
    title: record.title ?? asText(windowOption(record, 'navigationBarTitleText')),
    back: stack.length > 1,
    home: stack.length === 1 && record.route !== allPages[0] && !tabPages().includes(record.route),
    background:
      record.navigationBarColor?.background ?? asText(windowOption(record, 'navigationBarBackgroundColor'), '#000000'),
    textStyle,
    loading: record.navigationLoading,
    hidden: windowOption(record, 'navigationStyle') === 'custom',
  };
  host().setNavigationBar(state);
  const tabBar = appJson.tabBar;
  const tab: TabBarState | null = tabBar
    ? {
        color: tabBar.color ?? '#7A7E83',
        selectedColor: tabBar.selectedColor ?? '#3cc51f',
        backgroundColor: tabBar.backgroundColor ?? '#ffffff',
        items: tabBar.list.map((i) => ({ pagePath: i.pagePath.replace(/^\//, ''), text: i.text })),
        selected: tabPages().indexOf(record.route),
      }
    : null;
  host().setTabBar(tab && tab.selected >= 0 ? tab : null);
  host().pageChanged(record.route, record.rawQuery);
}

/** A DOM click becomes exparser's tap on the nearest component node (j-component itself only turns touches into taps). */
function bindTaps(container: HTMLElement): void {
  let lastTouch = 0;
  container.addEventListener('touchend', () => (lastTouch = Date.now()), { capture: true });
  container.addEventListener('click', (event) => {
    if (Date.now() - lastTouch < 800) return; // the touch already made the tap
    let el = event.target as (Node & { __wxElement?: ExparserNode }) | null;
    while (el && !el.__wxElement) el = el.parentNode;
    const target = el?.__wxElement;
    if (!target) return;
    const point = {
      x: event.pageX,
      y: event.pageY,
      clientX: event.clientX,
      clientY: event.clientY,
      pageX: event.pageX,
      pageY: event.pageY,
      identifier: 0,
    };
    exparser.Event.dispatchEvent(
      target,
      exparser.Event.create(
        'tap',
        { x: event.pageX, y: event.pageY },
        {
          originalEvent: event,
          bubbles: true,
          capturePhase: true,
          composed: true,
          extraFields: { touches: [], changedTouches: [point] },
        },
      ),
    );
  });
  // TDesign's transitions also listen for transitionend (they fall back to timers without it)
  for (const name of ['transitionend', 'animationend']) {
    container.addEventListener(name, (event) => {
      const target = (event.target as { __wxElement?: ExparserNode }).__wxElement;
      if (target)
        exparser.Event.dispatchEvent(
          target,
          exparser.Event.create(name, {}, { originalEvent: event, bubbles: false, composed: false }),
        );
    });
  }
}

let visits = 0;

function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/**
 * Records the page's data as the view receives it, the initial data and each setData after, in JSON bytes: what
 * WeChat sends from the logic layer to the webview (the screenshots run checks each against its budget).
 */
function recordSetData(route: string, instance: Dict): void {
  const log: SetDataRecord[] = (window.__wxPreviewSetData ??= []);
  visits += 1;
  const visit = visits;
  const data = instance['data'];
  const keys = typeof data === 'object' && data !== null ? Object.keys(data) : [];
  log.push({ route, visit, kind: 'initial', bytes: jsonBytes(data), keys });
  const setData = instance['setData'];
  if (typeof setData !== 'function') return;
  instance['setData'] = function (this: unknown, patch: Dict, callback?: () => void): unknown {
    log.push({ route, visit, kind: 'setData', bytes: jsonBytes(patch), keys: Object.keys(patch) });
    return (setData as (p: Dict, c?: () => void) => unknown).call(this, patch, callback);
  };
}

function createPage(route: string, query: Record<string, string>, rawQuery: string): PageRecord {
  const id = load(route, true);
  const container = document.createElement('div');
  container.className = 'wx-page';
  container.setAttribute('data-route', route);
  document.body.appendChild(container);
  const root = jComponent.create(id, { ...query });
  if (!root) throw new Error(`${route} did not register`);
  const instance = root.instance;
  Object.assign(instance, { route, __route__: route, options: { ...query } });
  recordSetData(route, instance);
  const record: PageRecord = {
    route,
    query,
    rawQuery,
    root,
    container,
    instance,
    scrollY: 0,
    title: null,
    navigationBarColor: null,
    navigationLoading: false,
    reachedBottom: false,
  };
  bindTaps(container);
  return record;
}

function show(record: PageRecord, first: boolean): void {
  record.container.style.display = '';
  updateChrome();
  window.scrollTo(0, record.scrollY);
  call(record, 'onShow');
  record.root.triggerPageLifeTime('show');
  if (first) setTimeout(() => call(record, 'onReady'), 0);
}

function hide(record: PageRecord): void {
  record.scrollY = window.scrollY;
  call(record, 'onHide');
  record.root.triggerPageLifeTime('hide');
  record.container.style.display = 'none';
}

function unload(record: PageRecord): void {
  call(record, 'onUnload');
  record.root.detach();
  record.container.remove();
}

/** Pushes a new page (onLoad, onShow, onReady) on top of the stack. */
function open(route: string, query: Record<string, string>, rawQuery: string): void {
  const record = createPage(route, query, rawQuery);
  stack.push(record);
  record.root.attach(record.container);
  call(record, 'onLoad', { ...query });
  show(record, true);
}

export function navigateTo(url: string): void {
  const { route, query, rawQuery } = parseUrl('navigateTo', url);
  if (tabPages().includes(route)) throw new NavigationError('navigateTo:fail can not navigateTo a tabbar page');
  if (stack.length >= MAX_PAGES) throw new NavigationError('navigateTo:fail webview count limit exceed');
  const current = topPage();
  if (current) hide(current);
  open(route, query, rawQuery);
}

export function redirectTo(url: string): void {
  const { route, query, rawQuery } = parseUrl('redirectTo', url);
  if (tabPages().includes(route)) throw new NavigationError('redirectTo:fail can not redirectTo a tabbar page');
  const current = stack.pop();
  if (current) unload(current);
  open(route, query, rawQuery);
}

export function navigateBack(delta: number): void {
  if (stack.length <= 1) throw new NavigationError('navigateBack:fail cannot navigate back at first page.');
  const count = Math.min(Math.max(1, Math.floor(delta) || 1), stack.length - 1);
  for (let i = 0; i < count; i += 1) {
    const record = stack.pop();
    if (record) unload(record);
  }
  const top = topPage();
  if (top) show(top, false);
}

export function reLaunch(url: string): void {
  const { route, query, rawQuery } = parseUrl('reLaunch', url);
  while (stack.length > 0) {
    const record = stack.pop();
    if (record) unload(record);
  }
  open(route, query, rawQuery);
}

export function switchTab(url: string): void {
  const { route } = parseUrl('switchTab', url.split('?')[0] ?? url);
  if (!tabPages().includes(route)) throw new NavigationError('switchTab:fail can not switch to no-tabBar page');
  // WeChat closes every non-tab page; tab pages stay alive, hidden
  while (stack.length > 0) {
    const record = stack.pop();
    if (record) unload(record);
  }
  open(route, {}, '');
}

/** Called when the window scrolls: onPageScroll, and onReachBottom once per arrival at the bottom. */
export function onWindowScroll(): void {
  const record = topPage();
  if (!record) return;
  call(record, 'onPageScroll', { scrollTop: window.scrollY });
  const distance = Number(windowOption(record, 'onReachBottomDistance') ?? 50);
  const atBottom = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - distance;
  if (atBottom && !record.reachedBottom) {
    record.reachedBottom = true;
    call(record, 'onReachBottom');
  } else if (!atBottom) {
    record.reachedBottom = false;
  }
}

export function setTitle(title: string): void {
  const record = topPage();
  if (!record) throw new NavigationError('setNavigationBarTitle:fail no page');
  record.title = title;
  updateChrome();
}

export function setNavigationBarColor(background: string, textStyle: 'black' | 'white'): void {
  const record = topPage();
  if (!record) throw new NavigationError('setNavigationBarColor:fail no page');
  record.navigationBarColor = { background, textStyle };
  updateChrome();
}

export function setNavigationLoading(on: boolean): void {
  const record = topPage();
  if (!record) return;
  record.navigationLoading = on;
  updateChrome();
}
