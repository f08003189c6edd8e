// What the npm step does to TDesign after packing it, so that the main package carries only what home needs:
// - each subpackage whose pages name TDesign components in its own copy ("/pages/violation/miniprogram_npm/
//   tdesign-miniprogram/tabs/tabs") gets that copy: the components named and what they import. A path into the
//   root's copy (/miniprogram_npm/…) would weigh on the main package; a bare npm path would be found from the
//   page's folder upwards by WeChat, but not by miniprogram-simulate, so the pages spell the path out;
// - icon.wxss (2,352 glyph rules, 110 KB; the font itself comes from tdesign.gtimg.com) keeps the rules of the icons
//   this mini program can show: every quoted name in its own sources or in the TDesign components it ships.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { readJson, walk } from './util.mjs';

const COPY = 'miniprogram_npm/tdesign-miniprogram/';
const GLYPH_RULE = /^\.t-icon-([a-z0-9-]+):before\{[^}]*\}\n?/gm;

/** The TDesign folder a usingComponents value names, and the package whose copy it is ('' for the root's). */
function tdesignFolder(value) {
  const at = value.indexOf(COPY);
  if (!value.startsWith('/') || at < 0) return null;
  return { folder: value.slice(at + COPY.length).split('/')[0], owner: value.slice(1, Math.max(at - 1, 0)) };
}

/** The subpackages' roots (no trailing slash), from app.json. */
function subpackageRoots(mpRoot) {
  const app = readJson(path.join(mpRoot, 'app.json'), mpRoot);
  return (app.subpackages ?? app.subPackages ?? []).map((s) => String(s.root).replace(/\/+$/, ''));
}

/** The TDesign folders named in each copy: `main` (the root's) and each subpackage root's. */
export function tdesignUse(mpRoot) {
  const roots = subpackageRoots(mpRoot);
  const use = { main: new Set(), subpackages: new Map(roots.map((r) => [r, new Set()])) };
  for (const file of walk(mpRoot, ['.json'])) {
    if (file === 'tsconfig.json') continue;
    const json = readJson(path.join(mpRoot, file), mpRoot);
    for (const value of Object.values(json.usingComponents ?? {})) {
      const found = typeof value === 'string' ? tdesignFolder(value) : null;
      if (!found) continue;
      (use.subpackages.get(found.owner) ?? use.main).add(found.folder);
    }
  }
  return use;
}

/** `folders` and every TDesign folder their files reach ("../common/…", "../icon/icon", tslib's miniprogram_npm). */
export function tdesignClosure(tdRoot, folders) {
  const done = new Set();
  const queue = [...folders];
  while (queue.length > 0) {
    const folder = queue.pop();
    if (done.has(folder) || !fs.existsSync(path.join(tdRoot, folder))) continue;
    done.add(folder);
    for (const file of walk(path.join(tdRoot, folder), ['.js', '.json', '.wxml', '.wxss', '.wxs'], [])) {
      const text = fs.readFileSync(path.join(tdRoot, folder, file), 'utf8');
      const depth = file.split('/').length;
      for (const m of text.matchAll(/["'(]((?:\.\.\/)+)([a-z][a-z0-9-_]*)\//g)) {
        // only references that climb out of this folder to a sibling name another folder
        if (m[1].length / 3 === depth) queue.push(m[2]);
      }
      if (/\bfrom\s*"(?:tslib|dayjs|tinycolor2|marked)"|require\("(?:tslib|dayjs|tinycolor2|marked)"\)/.test(text)) {
        queue.push('miniprogram_npm');
      }
    }
  }
  return done;
}

/** Every quoted lower-case token of the files under `dirs` (our sources, the TDesign folders shipped). */
export function quotedNames(files) {
  const names = new Set();
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/["'`]([a-z][a-z0-9-]*)["'`]/g)) names.add(m[1]);
  }
  return names;
}

/** icon.wxss with only the glyph rules of `keep`; the font face and the base classes stay as they are. */
export function subsetIconWxss(text, keep) {
  return text.replace(GLYPH_RULE, (rule, name) => (keep.has(name) ? rule : ''));
}

/** The glyph names icon.wxss defines. */
export function glyphNames(text) {
  return new Set([...text.matchAll(GLYPH_RULE)].map((m) => m[1]));
}

/**
 * TDesign's tslib (12 KB, every helper) cut to the helpers its components import (`__decorate`, `__awaiter`,
 * `__rest` today): each is taken from TDesign's own copy, so the code is the same. Null when a helper is missing.
 */
export function slimTslib(tdSrc) {
  const file = path.join(tdSrc, 'miniprogram_npm', 'tslib', 'index.js');
  const used = new Set();
  for (const f of walk(tdSrc, ['.js'], [])) {
    const text = fs.readFileSync(path.join(tdSrc, f), 'utf8');
    for (const m of text.matchAll(/import\{([^}]*)\}from"tslib"/g)) for (const n of m[1].split(',')) used.add(n.trim());
  }
  const module = { exports: {} };
  const sandbox = { module, exports: module.exports, Promise, Reflect, Object, Symbol, TypeError };
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox, { filename: file });
  const helpers = [...used].sort().map((name) => {
    const fn = module.exports[name];
    if (typeof fn !== 'function') return null;
    return `exports.${name} = ${String(fn)};`;
  });
  if (helpers.includes(null)) return null;
  const head = `// tslib's helpers that TDesign imports (${[...used].sort().join(', ')}), cut by the build from its copy.`;
  return `${head}\n${helpers.join('\n')}\n`;
}
