// Step "preview": the browser preview `npm start` serves at / (scripts/preview/README in the main README, "Preview in
// a browser"). Nothing here goes into miniprogram/ or into what is uploaded to WeChat; everything lands in build/preview:
//   templates.js  every WXML of the app's component graph (pages, our components, the TDesign components they reach,
//                 the templates and WXS those import) through WeChat's wcc, as simulate compiles them for the tests
//   styles.js     every WXSS of that graph plus app.wxss through WeChat's wcsc, kept as wcsc's own pieces (rpx values
//                 and class-prefix markers) so the phone scales rpx to its frame width at run time
//   phone.js      esbuild bundle for the phone frame: j-component (exparser) + the wx shim + the app's own page and
//                 component code, each module evaluated when its component is first registered
//   shell.js      esbuild bundle for the page around the phone (navigation bar, user switcher, toasts, modals, sandboxes)
//   *.html, *.css from scripts/preview/static
//   icons/, icons.css TDesign's icons as SVG (tdesign-icons-svg) for when its icon font cannot be loaded
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { BuildError, cache, exists, localize, readJson, rel, statSignature, walk } from './util.mjs';
import { runCompiler } from './compilers.mjs';

const RECIPE = `esbuild ${esbuild.version}; preview v2`;

/** A usingComponents value resolved as DevTools does; null when it is not a component of this mini program. */
function resolveComponent(mpRoot, fromDir, value) {
  if (value.startsWith('plugin://') || value.startsWith('plugin-private://')) return null;
  const candidates = value.startsWith('/')
    ? [path.join(mpRoot, value)]
    : value.startsWith('.')
      ? [path.join(fromDir, value)]
      : [
          path.join(mpRoot, 'miniprogram_npm', value),
          path.join(mpRoot, 'miniprogram_npm', value, 'index'),
          path.join(fromDir, value),
        ];
  const found = candidates.find((c) => exists(`${c}.json`));
  if (!found) return null;
  // a subpackage's TDesign copy holds the root's files (the npm step copies them): the preview loads each once
  const copy = /^pages\/[^/]+\/(miniprogram_npm\/.*)$/.exec(rel(mpRoot, found));
  return copy && exists(path.join(mpRoot, `${copy[1]}.json`)) ? copy[1] : rel(mpRoot, found);
}

function scriptOf(mpRoot, base) {
  for (const ext of ['.ts', '.js']) if (exists(path.join(mpRoot, base + ext))) return path.join(mpRoot, base + ext);
  return null;
}

/** app.json's pages (subpackages included, in order) and every component they reach through usingComponents. */
function componentGraph(mpRoot) {
  const app = readJson(path.join(mpRoot, 'app.json'), mpRoot);
  const pages = [...(app.pages ?? [])];
  for (const sub of app.subpackages ?? app.subPackages ?? []) {
    for (const p of sub.pages ?? []) pages.push(`${String(sub.root).replace(/\/$/, '')}/${p}`);
  }
  const globalUsing = app.usingComponents ?? {};
  const components = new Map();
  const problems = [];
  const visit = (base, from) => {
    if (components.has(base)) return;
    const json = readJson(path.join(mpRoot, `${base}.json`), mpRoot);
    const script = scriptOf(mpRoot, base);
    if (!script) problems.push(`${base}: no .ts or .js (reached from ${from})`);
    if (!exists(path.join(mpRoot, `${base}.wxml`))) problems.push(`${base}: no .wxml (reached from ${from})`);
    const using = {};
    const declared = { ...globalUsing, ...(json.usingComponents ?? {}) };
    const entry = { json, script, wxss: exists(path.join(mpRoot, `${base}.wxss`)), using };
    components.set(base, entry);
    for (const [tag, value] of Object.entries(declared)) {
      const target = resolveComponent(mpRoot, path.dirname(path.join(mpRoot, base)), String(value));
      if (target === null) {
        problems.push(`${base}.json: usingComponents "${tag}": "${value}" is not a component the preview can load`);
        continue;
      }
      using[tag] = target;
      visit(target, base);
    }
  };
  for (const page of pages) visit(page, 'app.json');
  if (problems.length > 0) throw new BuildError(problems.join('\n'));
  return { app, pages, components };
}

/** The .wxml and .wxs files the graph's templates need: their own, plus what <import>, <include>, <wxs> and require reach. */
function templateFiles(mpRoot, components) {
  const wxml = new Set();
  const wxs = new Set();
  const resolve = (fromFile, src, ext) => {
    const abs = src.startsWith('/') ? path.join(mpRoot, src) : path.join(mpRoot, path.dirname(fromFile), src);
    const withExt = path.extname(abs) ? abs : `${abs}${ext}`;
    return exists(withExt) ? rel(mpRoot, withExt) : null;
  };
  const visitWxs = (file) => {
    if (wxs.has(file)) return;
    wxs.add(file);
    const source = fs.readFileSync(path.join(mpRoot, file), 'utf8');
    for (const m of source.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) {
      const target = resolve(file, m[1], '.wxs');
      if (target) visitWxs(target);
    }
  };
  const visitWxml = (file) => {
    if (wxml.has(file)) return;
    wxml.add(file);
    const source = fs.readFileSync(path.join(mpRoot, file), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    for (const m of source.matchAll(/<(import|include)\b[^>]*?\bsrc\s*=\s*["']([^"'{}]+)["']/g)) {
      const target = resolve(file, m[2], '.wxml');
      if (target) visitWxml(target);
    }
    for (const m of source.matchAll(/<wxs\b[^>]*?\bsrc\s*=\s*["']([^"'{}]+)["']/g)) {
      const target = resolve(file, m[1], '.wxs');
      if (target) visitWxs(target);
    }
  };
  for (const base of components.keys()) visitWxml(`${base}.wxml`);
  return { wxml: [...wxml].sort(), wxs: [...wxs].sort() };
}

/** wcc over the graph, with the -cc list of custom tags per component (as miniprogram-compiler calls it for simulate). */
async function compileTemplates(mpRoot, components, tmp) {
  const { wxml, wxs } = templateFiles(mpRoot, components);
  const cc = [];
  for (const [base, entry] of components) {
    const tags = Object.keys(entry.using);
    cc.push(`${base}.wxml`, String(tags.length), ...tags);
  }
  const out = path.join(tmp, 'templates.raw.js');
  const r = await runCompiler(
    'wcc',
    ['-d', '-o', out, '-cc', [String(components.size), ...cc].join(' '), ...wxml, ...wxs, '-gn', '$gwx'],
    mpRoot,
  );
  if (r.code !== 0) throw new BuildError(localize(r.message || `wcc exited with ${r.code}`, 'miniprogram'));
  const code = fs.readFileSync(out, 'utf8');
  // A classic script, not a module: wcc's output is sloppy-mode code, run as simulate runs it (new Function).
  return {
    text: `// Generated by scripts/build/preview.mjs from WeChat's wcc: ${wxml.length} WXML, ${wxs.length} WXS.\nvar __wxPreviewTemplates = function () {\n${code}\n;return $gwx;\n};\n`,
    files: [...wxml, ...wxs],
  };
}

/** The @import closure of a WXSS file (relative imports only, as the wxss step enforces). */
function importsOf(mpRoot, file, seen) {
  if (seen.has(file)) return;
  seen.add(file);
  let source;
  try {
    source = fs.readFileSync(path.join(mpRoot, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  } catch {
    return;
  }
  for (const m of source.matchAll(/@import\s+(?:url\(\s*)?["']([^"']+)["']/g)) {
    const target = rel(mpRoot, path.join(mpRoot, path.dirname(file), m[1]));
    if (exists(path.join(mpRoot, target))) importsOf(mpRoot, target, seen);
  }
}

/** wcsc's escaped output ("\x3d", "\n", ...) back to text. */
function unescape(text) {
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, c) => {
    if (c[0] === 'x' || c[0] === 'u') return String.fromCharCode(parseInt(c.slice(1), 16));
    return { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0' }[c] ?? c;
  });
}

/**
 * wcsc over the graph's WXSS and app.wxss. Its output is code that calls setCssToHead(pieces, warning, info); run
 * here with a setCssToHead that keeps the pieces: strings, [0, n] for n rpx, [1] for the component's class prefix,
 * [2, key] for a shared sheet. The phone turns them into CSS for its own width and each component's prefix.
 */
async function compileStyles(mpRoot, components, tmp) {
  const own = [...components.entries()].filter(([, e]) => e.wxss).map(([base]) => `${base}.wxss`);
  // app.wxss as one more component-like sheet: its classes get the page prefix (none), `page` becomes `body`.
  if (exists(path.join(mpRoot, 'app.wxss'))) own.push('app.wxss');
  const seen = new Set();
  for (const f of own) importsOf(mpRoot, f, seen);
  const imports = [...seen].filter((f) => !own.includes(f));
  const out = path.join(tmp, 'styles.raw.txt');
  const r = await runCompiler('wcsc', ['-o', out, '-pc', String(own.length), ...own, ...imports], mpRoot);
  if (r.code !== 0) throw new BuildError(localize(r.message || `wcsc exited with ${r.code}`, 'miniprogram'));
  const parts = fs.readFileSync(out, 'utf8').split('=');
  const chunks = new Map();
  for (let i = 2; i + 1 < parts.length; i += 2) chunks.set(parts[i], unescape(parts[i + 1]));

  const common = {};
  const commCode = chunks.get('comm') ?? '';
  if (commCode) {
    const context = {
      window: {
        screen: { width: 375, height: 667 },
        devicePixelRatio: 2,
        __styleSheetManager2__: { addItem() {}, setCss() {} },
      },
      navigator: { userAgent: '' },
      document: {},
      __COMMON_STYLESHEETS__: common,
      console,
    };
    vm.runInNewContext(`${commCode}\n;this.__COMMON_STYLESHEETS__ = __COMMON_STYLESHEETS__;`, context, {
      timeout: 5000,
    });
    Object.assign(common, context.__COMMON_STYLESHEETS__);
  }
  const files = {};
  for (const f of own) {
    const code = chunks.get(f);
    if (code === undefined) throw new BuildError(`wcsc said nothing about ${f}`);
    let captured = null;
    vm.runInNewContext(code, {
      setCssToHead: (pieces, warning, info) => {
        captured = { pieces, warning: warning ?? null, path: info?.path ?? f };
        return () => undefined;
      },
    });
    if (!captured) throw new BuildError(`wcsc's output for ${f} did not call setCssToHead`);
    files[f] = { pieces: captured.pieces, warning: captured.warning };
  }
  return {
    text: `// Generated by scripts/build/preview.mjs from WeChat's wcsc: ${own.length} sheets.\nvar __wxPreviewStyles = ${JSON.stringify({ common, files })};\n`,
    files: [...own, ...imports],
  };
}

/** Bare imports inside miniprogram_npm resolve as in the mini program: the nearest miniprogram_npm/<name> first. */
function miniprogramNpmResolver(mpRoot) {
  return {
    name: 'miniprogram-npm',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (!args.importer.includes(`${path.sep}miniprogram_npm${path.sep}`)) return undefined;
        const [name, ...rest] = args.path.split('/');
        let dir = path.dirname(args.importer);
        while (dir.startsWith(mpRoot)) {
          const candidate = path.join(dir, 'miniprogram_npm', name, ...rest);
          for (const file of [candidate, `${candidate}.js`, path.join(candidate, 'index.js')]) {
            if (exists(file) && fs.statSync(file).isFile()) return { path: file };
          }
          dir = path.dirname(dir);
        }
        return undefined;
      });
    },
  };
}

/**
 * j-component, changed at bundle time where it differs from WeChat in what a person sees (node_modules is left as
 * installed; the page tests keep simulate's behaviour):
 * - addGlobalClass is always false there, while WeChat honours a component's addGlobalClass / styleIsolation
 *   "apply-shared" (TDesign relies on it; the preview's Component() passes the choice in options.addGlobalClass);
 * - writeIdToDOM is false there, while a person inspecting the page (and the browser tests) look elements up by id;
 * - `class` on a component that declares "class" among its externalClasses (every TDesign component: they are
 *   virtual hosts, with no element of their own) sets the host's class there; WeChat passes it to the component as
 *   that external class, which is how TDesign's dialog buttons, grid items, ... get their owner's classes.
 */
const J_COMPONENT_PATCHES = {
  'componentmanager.js': [
    ['addGlobalClass: false,', 'addGlobalClass: !!options.addGlobalClass,'],
    ['writeIdToDOM: false,', 'writeIdToDOM: true,'],
  ],
  'render.js': [
    [
      "if (name === 'id' || name === 'slot' || (isComponentNode && name === 'class')) {",
      "if (isComponentNode && name === 'class' && exparserNode.hasExternalClass('class')) {\n      exparserNode.setExternalClass('class', value || '')\n      if (exparserNode.$$) exparserNode.class = value || ''\n    } else if (name === 'id' || name === 'slot' || (isComponentNode && name === 'class')) {",
    ],
  ],
};

function patchJComponent() {
  return {
    name: 'j-component-as-wechat',
    setup(build) {
      build.onLoad({ filter: /j-component[\\/]src[\\/].*\.js$/ }, (args) => {
        const patches = J_COMPONENT_PATCHES[path.basename(args.path)];
        if (!patches) return undefined;
        let source = fs.readFileSync(args.path, 'utf8');
        for (const [from, to] of patches) {
          if (!source.includes(from))
            throw new Error(`j-component changed: "${from}" not found in ${path.basename(args.path)}`);
          source = source.replace(from, to);
        }
        return { contents: source, loader: 'js' };
      });
    },
  };
}

/** `preview:manifest`: app.json, and per component its JSON, resolved usingComponents and a lazy loader of its code. */
function manifestPlugin(mpRoot, graph) {
  return {
    name: 'preview-manifest',
    setup(build) {
      build.onResolve({ filter: /^preview:manifest$/ }, () => ({ path: 'manifest', namespace: 'preview' }));
      build.onLoad({ filter: /.*/, namespace: 'preview' }, () => {
        const lines = [];
        lines.push(`export const appJson = ${JSON.stringify(graph.app)};`);
        lines.push(`export const pages = ${JSON.stringify(graph.pages)};`);
        const appScript = scriptOf(mpRoot, 'app');
        lines.push(`export const loadApp = () => { ${appScript ? `require(${JSON.stringify(appScript)});` : ''} };`);
        lines.push('export const components = {');
        for (const [base, entry] of graph.components) {
          const json = { ...entry.json };
          delete json.usingComponents;
          lines.push(
            `  ${JSON.stringify(base)}: { json: ${JSON.stringify(json)}, using: ${JSON.stringify(entry.using)}, wxss: ${entry.wxss}, load: () => { require(${JSON.stringify(entry.script)}); } },`,
          );
        }
        lines.push('};');
        return { contents: lines.join('\n'), loader: 'js', resolveDir: mpRoot };
      });
    },
  };
}

async function bundle(root, mpRoot, graph) {
  const runtime = path.join(root, 'scripts', 'preview', 'runtime');
  const out = path.join(root, 'build', 'preview');
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    sourcemap: 'linked',
    logLevel: 'silent',
    metafile: true,
    charset: 'utf8',
    // j-component and exparser are written for Node's `global` (as in jsdom).
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"development"' },
  };
  try {
    const [phone, shell] = await Promise.all([
      esbuild.build({
        ...common,
        entryPoints: [path.join(runtime, 'phone', 'main.ts')],
        outfile: path.join(out, 'phone.js'),
        plugins: [manifestPlugin(mpRoot, graph), miniprogramNpmResolver(mpRoot), patchJComponent()],
      }),
      esbuild.build({
        ...common,
        entryPoints: [path.join(runtime, 'shell', 'main.ts')],
        outfile: path.join(out, 'shell.js'),
      }),
    ]);
    return [...Object.keys(phone.metafile.inputs), ...Object.keys(shell.metafile.inputs)]
      .filter((p) => !p.startsWith('preview:'))
      .map((p) => path.resolve(root, p));
  } catch (e) {
    if (!(e && Array.isArray(e.errors))) throw e;
    throw new BuildError(
      e.errors
        .map(
          (m) =>
            `${m.location ? `${rel(root, path.resolve(root, m.location.file))}:${m.location.line}:${m.location.column + 1}: ` : ''}error: ${m.text}`,
        )
        .join('\n'),
    );
  }
}

/**
 * TDesign's icon font comes from its CDN; offline the phone draws each icon from tdesign-icons-svg instead (the same
 * set by name): icons/<name>.svg, and icons.css giving each `.t-icon-<name>` its picture (phone.css uses it as a mask).
 */
function writeIcons(root, out) {
  const dir = path.join(root, 'node_modules', 'tdesign-icons-svg', 'src');
  if (!exists(dir)) return 0;
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.svg'))
    .map((f) => f.slice(0, -4))
    .sort();
  fs.rmSync(path.join(out, 'icons'), { recursive: true, force: true });
  fs.mkdirSync(path.join(out, 'icons'), { recursive: true });
  for (const name of names) {
    // the package writes view-box, which no renderer reads: without a viewBox the 24-unit drawing is cut to 1em
    const svg = fs.readFileSync(path.join(dir, `${name}.svg`), 'utf8').replace(' view-box=', ' viewBox=');
    fs.writeFileSync(path.join(out, 'icons', `${name}.svg`), svg);
  }
  writeAtomic(
    path.join(out, 'icons.css'),
    `${names.map((n) => `.t-icon-${n}{--wx-preview-icon:url("icons/${n}.svg")}`).join('\n')}\n`,
  );
  return names.length;
}

function writeAtomic(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export async function preview({ root, force }) {
  const mpRoot = path.join(root, 'miniprogram');
  const runtimeDir = path.join(root, 'scripts', 'preview');
  if (!exists(path.join(runtimeDir, 'runtime', 'phone', 'main.ts'))) return 'no preview runtime yet';
  if (!exists(path.join(mpRoot, 'miniprogram_npm')))
    throw new BuildError('miniprogram/miniprogram_npm is missing (the npm step packs it)');
  const out = path.join(root, 'build', 'preview');
  const store = cache(root, 'preview');
  const previous = store.read();
  const sources = [
    ...walk(mpRoot, ['.json', '.wxml', '.wxs', '.wxss', '.ts', '.js'], ['node_modules']).map((f) =>
      path.join(mpRoot, f),
    ),
    ...walk(runtimeDir, ['.ts', '.html', '.css', '.json']).map((f) => path.join(runtimeDir, f)),
    // this step itself: a change to how templates, styles or bundles are made is a change of output
    fileURLToPath(import.meta.url),
    path.join(root, 'node_modules', 'tdesign-icons-svg', 'package.json'),
  ].filter(exists);
  const outputs = ['index.html', 'phone.html', 'templates.js', 'styles.js', 'phone.js', 'shell.js', 'icons.css'].map(
    (f) => path.join(out, f),
  );
  const inputs = [...new Set([...sources, ...(previous.bundled ?? [])])].sort();
  if (
    !force &&
    previous.recipe === RECIPE &&
    previous.sig === statSignature(inputs) &&
    outputs.every(exists) &&
    previous.outSig === statSignature(outputs)
  ) {
    return 'up to date';
  }

  const graph = componentGraph(mpRoot);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-build-'));
  try {
    const [templates, styles, bundled] = await Promise.all([
      compileTemplates(mpRoot, graph.components, tmp),
      compileStyles(mpRoot, graph.components, tmp),
      bundle(root, mpRoot, graph),
    ]);
    writeAtomic(path.join(out, 'templates.js'), templates.text);
    writeAtomic(path.join(out, 'styles.js'), styles.text);
    for (const f of walk(path.join(runtimeDir, 'static'), ['.html', '.css'])) {
      writeAtomic(path.join(out, f), fs.readFileSync(path.join(runtimeDir, 'static', f), 'utf8'));
    }
    const icons = writeIcons(root, out);
    const allInputs = [...new Set([...sources, ...bundled])].sort();
    store.write({ recipe: RECIPE, sig: statSignature(allInputs), bundled, outSig: statSignature(outputs) });
    return `${graph.pages.length} pages, ${graph.components.size} components, ${templates.files.length} templates, ${styles.files.length} style sheets, ${icons} offline icons -> build/preview`;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
