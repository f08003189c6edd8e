// Step "json": the checks DevTools makes on the mini program's JSON before it compiles anything — every .json
// parses, every page listed in app.json exists, every usingComponents entry points at a component that exists.
import path from 'node:path';
import { BuildError, exists, readJson, rel, walk } from './util.mjs';

/** The file a component path points at (without extension), or null for paths we do not check (plugins). */
function resolveComponent(mpRoot, jsonDir, value) {
  if (value.startsWith('plugin://') || value.startsWith('plugin-private://')) return null;
  if (value.startsWith('/')) return [path.join(mpRoot, value)];
  if (value.startsWith('.')) return [path.join(jsonDir, value)];
  // A bare path: miniprogram_npm first (as DevTools resolves npm components), then relative to the JSON.
  return [
    path.join(mpRoot, 'miniprogram_npm', value),
    path.join(mpRoot, 'miniprogram_npm', value, 'index'),
    path.join(jsonDir, value),
  ];
}

function isComponent(base) {
  return exists(`${base}.json`) && exists(`${base}.wxml`) && (exists(`${base}.js`) || exists(`${base}.ts`));
}

function checkMiniprogramJson(mpRoot) {
  const problems = [];
  const jsonFiles = walk(mpRoot, ['.json']).filter((f) => f !== 'tsconfig.json');
  const parsed = new Map();
  for (const f of jsonFiles) {
    try {
      parsed.set(f, readJson(path.join(mpRoot, f), mpRoot));
    } catch (e) {
      if (!(e instanceof BuildError)) throw e;
      problems.push(e.message);
    }
  }

  const app = parsed.get('app.json');
  if (!app && !problems.some((p) => p.startsWith('app.json'))) problems.push('app.json: missing');
  if (app) {
    const pages = [...(app.pages ?? [])];
    for (const sub of app.subpackages ?? app.subPackages ?? []) {
      for (const p of sub.pages ?? []) pages.push(`${sub.root.replace(/\/$/, '')}/${p}`);
    }
    if (!Array.isArray(app.pages) || app.pages.length === 0)
      problems.push('app.json: "pages" must list at least one page');
    for (const page of pages) {
      const base = path.join(mpRoot, page);
      const missing = [];
      if (!exists(`${base}.wxml`)) missing.push(`${page}.wxml`);
      if (!exists(`${base}.ts`) && !exists(`${base}.js`)) missing.push(`${page}.ts`);
      if (missing.length) problems.push(`app.json: page "${page}" has no ${missing.join(' and no ')}`);
    }
    for (const item of app.tabBar?.list ?? []) {
      if (!pages.includes(item.pagePath)) problems.push(`app.json: tabBar page "${item.pagePath}" is not in "pages"`);
    }
    if (app.sitemapLocation && !exists(path.join(mpRoot, app.sitemapLocation))) {
      problems.push(`app.json: sitemapLocation "${app.sitemapLocation}" does not exist`);
    }
  }

  for (const [f, json] of parsed) {
    const using = json?.usingComponents;
    if (!using || typeof using !== 'object') continue;
    const dir = path.dirname(path.join(mpRoot, f));
    for (const [tag, value] of Object.entries(using)) {
      if (typeof value !== 'string') {
        problems.push(`${f}: usingComponents["${tag}"] must be a path string`);
        continue;
      }
      const candidates = resolveComponent(mpRoot, dir, value);
      if (candidates && !candidates.some(isComponent)) {
        problems.push(
          `${f}: usingComponents["${tag}"] -> "${value}": no component there (needs .json, .wxml and .ts/.js at /${rel(mpRoot, candidates[0])})`,
        );
      }
    }
  }
  return { problems, files: jsonFiles.length };
}

export async function json({ root }) {
  const { problems, files } = checkMiniprogramJson(path.join(root, 'miniprogram'));
  if (problems.length) throw new BuildError(problems.map((p) => `miniprogram/${p}`).join('\n'));
  return `${files} JSON files`;
}
