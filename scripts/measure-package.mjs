#!/usr/bin/env node
// Measures the mini program's packages the way WeChat builds them, and fails when the main package is over its limit.
//
//   node scripts/measure-package.mjs [--root DIR] [--limit-kb 300] [--minify] [--json] [--list]
//
// How (DevTools with "过滤无依赖文件" / ignoreUploadUnusedFiles, which project.config.json turns on):
// - every .ts of miniprogram/ is transpiled one file at a time with esbuild into a temporary copy, as DevTools'
//   TypeScript compiler plugin does (no bundling; --minify also minifies, as "上传时压缩" does);
// - from app.json (app.js/json/wxss, sitemap) and every page of every package, the files they need are followed:
//   usingComponents (transitively), JS import/require, WXML <import>/<include>/<wxs>, WXSS @import, WXS require;
// - a file belongs to the subpackage whose root contains it, otherwise to the main package: a TDesign component
//   weighs on the main package when a page takes it from the root's miniprogram_npm/, on a subpackage when the page
//   takes it from the subpackage's own copy (the build's npm step makes those copies).
// The main package is reported twice: as shipped (the limit applies) and as reached from the main package's own pages
// only. Sizes are bytes on disk; 1 KB = 1024 bytes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { root: REPO, limitKb: 300, minify: false, json: false, list: false };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--root') opts.root = path.resolve(argv[++i]);
    else if (a === '--limit-kb') opts.limitKb = Number(argv[++i]);
    else if (a === '--minify') opts.minify = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--list') opts.list = true;
    else if (a === '--help' || a === '-h') {
      console.log('node scripts/measure-package.mjs [--root DIR] [--limit-kb 300] [--minify] [--json] [--list]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isFinite(opts.limitKb) || opts.limitKb <= 0) throw new Error('--limit-kb needs a positive number');
  return opts;
}

const posix = (p) => p.split(path.sep).join('/');

/** Copies miniprogram/ (without the miniprogram_npm folders, which are linked) and turns each .ts into the .js DevTools would emit. */
async function compiledCopy(mpRoot, minify) {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-package-'));
  const visit = async (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const src = path.join(dir, entry.name);
      const rel = path.relative(mpRoot, src);
      const dest = path.join(out, rel);
      if (entry.isDirectory()) {
        if (entry.name === 'miniprogram_npm') {
          fs.symlinkSync(src, dest, 'dir');
          continue;
        }
        fs.mkdirSync(dest, { recursive: true });
        await visit(src);
      } else if (entry.name.endsWith('.d.ts') || entry.name === 'tsconfig.json') {
        // types and the editor's config are not shipped (packOptions.ignore)
      } else if (entry.name.endsWith('.ts')) {
        const code = fs.readFileSync(src, 'utf8');
        const js = await transform(code, { loader: 'ts', format: 'cjs', target: 'es2017', minify, sourcefile: rel });
        fs.writeFileSync(dest.replace(/\.ts$/, '.js'), js.code);
      } else {
        fs.copyFileSync(src, dest);
      }
    }
  };
  await visit(mpRoot);
  return out;
}

const isFile = (p) => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/** A bare module or component name, looked up in the miniprogram_npm folders from `fromDir` up to the root. */
function npmCandidates(root, fromDir, spec) {
  const dirs = [];
  let dir = fromDir;
  for (;;) {
    dirs.push(path.join(dir, 'miniprogram_npm', spec));
    if (dir === root || !dir.startsWith(root)) break;
    dir = path.dirname(dir);
  }
  return dirs;
}

function resolveScript(root, fromFile, spec, ext) {
  const fromDir = path.dirname(fromFile);
  const bases = spec.startsWith('/')
    ? [path.join(root, spec)]
    : spec.startsWith('.')
      ? [path.join(fromDir, spec)]
      : [...npmCandidates(root, fromDir, spec), path.join(fromDir, spec)];
  for (const base of bases) {
    for (const candidate of [base, `${base}${ext}`, path.join(base, `index${ext}`)]) {
      if (isFile(candidate)) return candidate;
    }
  }
  return null;
}

/** A component path from usingComponents: absolute from the root, relative to the JSON, or an npm package. */
function resolveComponent(root, jsonFile, spec) {
  if (spec.startsWith('plugin://') || spec.startsWith('plugin-private://')) return null;
  const fromDir = path.dirname(jsonFile);
  const bases = spec.startsWith('/')
    ? [path.join(root, spec)]
    : spec.startsWith('.')
      ? [path.join(fromDir, spec)]
      : [...npmCandidates(root, fromDir, spec), path.join(fromDir, spec)];
  for (const base of bases) {
    for (const candidate of [base, path.join(base, 'index')]) {
      if (isFile(`${candidate}.json`)) return candidate;
    }
  }
  return null;
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1');
}

/** Files `file` needs, by its kind. */
function dependenciesOf(root, file, problems) {
  const text = fs.readFileSync(file, 'utf8');
  const deps = [];
  const need = (resolved, what) => {
    if (resolved) deps.push(resolved);
    else problems.push(`${posix(path.relative(root, file))}: cannot resolve ${what}`);
  };
  if (file.endsWith('.js') || file.endsWith('.wxs')) {
    const code = stripComments(text);
    const specs = new Set();
    for (const m of code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)) specs.add(m[1]);
    if (file.endsWith('.js')) {
      for (const m of code.matchAll(/\b(?:import|export)\b[^"'`;]*?\bfrom\s*["'`]([^"'`]+)["'`]/g)) specs.add(m[1]);
      for (const m of code.matchAll(/\bimport\s*["'`]([^"'`]+)["'`]/g)) specs.add(m[1]);
    }
    for (const spec of specs)
      need(resolveScript(root, file, spec, file.endsWith('.wxs') ? '.wxs' : '.js'), `"${spec}"`);
  } else if (file.endsWith('.wxml')) {
    const source = text.replace(/<!--[\s\S]*?-->/g, '');
    for (const m of source.matchAll(/<(import|include|wxs)\b[^>]*?\bsrc\s*=\s*["']([^"'{}]+)["']/g)) {
      const [, tag, src] = m;
      const base = src.startsWith('/') ? path.join(root, src) : path.join(path.dirname(file), src);
      const ext = tag === 'wxs' ? '.wxs' : '.wxml';
      need([base, `${base}${ext}`].find(isFile), `<${tag} src="${src}">`);
    }
  } else if (file.endsWith('.wxss')) {
    for (const m of stripComments(text).matchAll(/@import\s+(?:url\()?\s*["']([^"']+)["']/g)) {
      const src = m[1];
      const base = src.startsWith('/') ? path.join(root, src) : path.join(path.dirname(file), src);
      need([base, `${base}.wxss`].find(isFile), `@import "${src}"`);
    }
  } else if (file.endsWith('.json')) {
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      problems.push(`${posix(path.relative(root, file))}: not JSON`);
      return deps;
    }
    for (const spec of Object.values(json.usingComponents ?? {})) {
      if (typeof spec !== 'string') continue;
      const base = resolveComponent(root, file, spec);
      if (base === null) {
        if (!spec.startsWith('plugin')) problems.push(`${posix(path.relative(root, file))}: no component at "${spec}"`);
        continue;
      }
      deps.push(...unitFiles(base));
    }
  }
  return deps;
}

/** A page or component: those of its four files that exist. */
function unitFiles(base) {
  return ['.json', '.js', '.wxml', '.wxss'].map((ext) => `${base}${ext}`).filter(isFile);
}

/** Every file reached from `entries`, each once. */
function reach(root, entries, problems) {
  const seen = new Set();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const dep of dependenciesOf(root, file, problems)) if (!seen.has(dep)) queue.push(dep);
  }
  return seen;
}

function packageOf(rel, roots) {
  const found = roots.find((r) => rel === r || rel.startsWith(`${r}/`));
  return found ?? '(main)';
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

export async function measure({ root = REPO, minify = false } = {}) {
  const mpRoot = path.join(root, 'miniprogram');
  if (!fs.existsSync(path.join(mpRoot, 'miniprogram_npm'))) {
    throw new Error('miniprogram/miniprogram_npm is missing: run `npm run build` first');
  }
  const copy = await compiledCopy(mpRoot, minify);
  try {
    const app = JSON.parse(fs.readFileSync(path.join(copy, 'app.json'), 'utf8'));
    const subpackages = app.subpackages ?? app.subPackages ?? [];
    const roots = subpackages.map((s) => s.root.replace(/\/+$/, ''));
    const appEntries = ['app.json', 'app.js', 'app.wxss', app.sitemapLocation ?? 'sitemap.json']
      .map((f) => path.join(copy, f))
      .filter(isFile);
    const mainPages = (app.pages ?? []).flatMap((p) => unitFiles(path.join(copy, p)));
    const subPages = subpackages.flatMap((s) => (s.pages ?? []).flatMap((p) => unitFiles(path.join(copy, s.root, p))));
    const problems = [];
    const all = reach(copy, [...appEntries, ...mainPages, ...subPages], problems);
    const fromMainOnly = reach(copy, [...appEntries, ...mainPages], []);

    const packages = new Map();
    const files = [];
    for (const file of all) {
      const rel = posix(path.relative(copy, file));
      const size = fs.statSync(file).size;
      const pkg = packageOf(rel, roots);
      const entry = packages.get(pkg) ?? { bytes: 0, files: 0, npmBytes: 0 };
      entry.bytes += size;
      entry.files += 1;
      if (rel.startsWith('miniprogram_npm/')) entry.npmBytes += size;
      packages.set(pkg, entry);
      files.push({ file: rel, bytes: size, package: pkg, fromMainPages: fromMainOnly.has(file) });
    }
    const main = packages.get('(main)') ?? { bytes: 0, files: 0, npmBytes: 0 };
    const mainPagesOnly = files
      .filter((f) => f.fromMainPages && f.package === '(main)')
      .reduce((s, f) => s + f.bytes, 0);
    const tdesign = new Set(
      files
        .filter((f) => f.package === '(main)' && f.file.startsWith('miniprogram_npm/tdesign-miniprogram/'))
        .map((f) => f.file.split('/')[2]),
    );
    return {
      main: { ...main, ownBytes: main.bytes - main.npmBytes },
      mainFromMainPagesOnly: mainPagesOnly,
      subpackages: roots.map((r) => ({ root: r, ...(packages.get(r) ?? { bytes: 0, files: 0, npmBytes: 0 }) })),
      tdesignFolders: [...tdesign].sort(),
      files: files.sort((a, b) => b.bytes - a.bytes),
      problems,
    };
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const result = await measure(opts);
  const limit = opts.limitKb * 1024;
  if (opts.json) {
    console.log(JSON.stringify({ limitBytes: limit, ...result, files: opts.list ? result.files : undefined }, null, 2));
  } else {
    console.log(
      `main package: ${kb(result.main.bytes)} in ${result.main.files} files (limit ${opts.limitKb} KB${opts.minify ? ', minified' : ''})`,
    );
    console.log(
      `  own code and templates: ${kb(result.main.ownBytes)}; TDesign and its npm deps: ${kb(result.main.npmBytes)}`,
    );
    console.log(`  TDesign folders shipped: ${result.tdesignFolders.join(' ')}`);
    console.log(`  reached from the main package's own pages only: ${kb(result.mainFromMainPagesOnly)}`);
    for (const s of result.subpackages) console.log(`subpackage ${s.root}: ${kb(s.bytes)} in ${s.files} files`);
    if (opts.list)
      for (const f of result.files) console.log(`${String(f.bytes).padStart(8)}  ${f.package.padEnd(18)} ${f.file}`);
  }
  for (const p of result.problems) console.error(`warning: ${p}`);
  if (result.main.bytes > limit) {
    console.error(`FAIL: the main package is ${kb(result.main.bytes)}, over the ${opts.limitKb} KB limit`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
