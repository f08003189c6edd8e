/**
 * Registers the mini program's pages and components with j-component, as miniprogram-simulate's load() does for the
 * page tests: the components a page uses are given ids first, then each one's code runs (children first) and its
 * Component() call registers it with its compiled template, its usingComponents (tag → id) and its relations (path →
 * id). Unlike simulate, a component is registered once for the whole preview, and its WXSS is added then.
 *
 * Class prefixes as in WeChat: a page has none (page WXSS is global), a component's classes are "<tag>--<class>";
 * addGlobalClass / styleIsolation "apply-shared" (all of TDesign) also keeps the plain class, so page styles apply.
 */
import jComponent from 'j-component';
import { components as manifest } from 'preview:manifest';
import { injectStyle } from './styles';

type Dict = Record<string, unknown>;

interface Loading {
  path: string;
  id: string;
  tagName: string;
  prefix: string;
  isPage: boolean;
  using: Record<string, string>;
  registered: boolean;
}

const gwx = (() => {
  // wcc's output reads this to pick the template format j-component understands (as simulate sets it).
  (window as unknown as Dict)['__webview_engine_version__'] = 0.02;
  return __wxPreviewTemplates();
})();

/** Component path (root-relative, no extension) → j-component id. */
const ids = new Map<string, string>();
const usedPrefixes = new Set<string>();
let loading: Loading | null = null;
let counter = 0;

function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `relative` ("../cell/cell", "/components/x/index") from the component at `from`, as a root-relative path. */
function resolvePath(from: string, relative: string): string {
  const parts = relative.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const part of relative.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function uniquePrefix(tagName: string): string {
  let prefix = tagName;
  for (let n = 2; usedPrefixes.has(prefix); n += 1) prefix = `${tagName}${n}`;
  usedPrefixes.add(prefix);
  return prefix;
}

function componentDefinition(item: Loading, options: Dict): Dict {
  const entry = manifest[item.path];
  const own = isDict(options['options']) ? options['options'] : {};
  const isolation = own['styleIsolation'] ?? entry?.json['styleIsolation'];
  const template = gwx(`${item.path}.wxml`);
  if (typeof template !== 'function') throw new Error(`${item.path}.wxml was not compiled (run npm run build)`);
  const definition: Dict = {
    ...options,
    id: item.id,
    path: `/${item.path}`,
    template,
    usingComponents: item.using,
    tagName: item.tagName,
    options: {
      ...own,
      classPrefix: item.prefix,
      addGlobalClass: own['addGlobalClass'] === true || isolation === 'apply-shared' || isolation === 'shared',
    },
  };
  // relations name other components by path; j-component (exparser) knows them by id
  const relations = options['relations'];
  if (isDict(relations)) {
    const byId: Dict = {};
    for (const [key, value] of Object.entries(relations)) {
      const target = ids.get(resolvePath(item.path, key));
      if (target && isDict(value)) byId[target] = { ...value, target };
      else byId[key] = value;
    }
    definition['relations'] = byId;
  }
  return definition;
}

/** WeChat's Component(): only valid while the preview evaluates a component's code. */
function Component(options: Dict): void {
  const item = loading;
  if (item === null) throw new Error('Component() was called outside of loading a component (asynchronously?)');
  if (item.registered) throw new Error(`${item.path}: Component() was called twice`);
  jComponent.register(componentDefinition(item, options));
  item.registered = true;
}

function Behavior(definition: Dict): string {
  return jComponent.behavior(definition);
}

/** Page(): this app writes every page with Component(); a Page() page would need its own adapter. */
function Page(): void {
  throw new Error(
    `Page() is not supported by the preview: write pages with Component({ methods }) (${loading?.path ?? 'unknown page'})`,
  );
}

export function installComponentGlobals(): void {
  const g = globalThis as unknown as Dict;
  g['Component'] = Component;
  g['Behavior'] = Behavior;
  g['Page'] = Page;
}

/** Registers the page or component at `path` (and everything it uses); returns its j-component id. */
export function load(path: string, isPage: boolean): string {
  const known = ids.get(path);
  if (known !== undefined) return known;
  const order: Loading[] = [];
  const visit = (p: string, tagName: string, page: boolean): string => {
    const existing = ids.get(p);
    if (existing !== undefined) return existing;
    const entry = manifest[p];
    if (!entry) throw new Error(`${p} is not a component of this mini program (not in the preview's build)`);
    counter += 1;
    const id = `preview-${counter}`;
    ids.set(p, id);
    const item: Loading = {
      path: p,
      id,
      tagName,
      prefix: page ? '' : uniquePrefix(tagName),
      isPage: page,
      using: {},
      registered: false,
    };
    for (const [tag, target] of Object.entries(entry.using)) item.using[tag] = visit(target, tag, false);
    order.push(item);
    return id;
  };
  const id = visit(path, isPage ? 'page' : (path.split('/').slice(-2, -1)[0] ?? 'component'), isPage);
  for (const item of order) {
    const entry = manifest[item.path];
    if (!entry) continue;
    loading = item;
    try {
      entry.load();
    } finally {
      loading = null;
    }
    if (!item.registered) throw new Error(`${item.path}: its code did not call Component()`);
    if (entry.wxss) injectStyle(`${item.path}.wxss`, item.prefix, item.isPage ? 'page' : 'component');
  }
  return id;
}
