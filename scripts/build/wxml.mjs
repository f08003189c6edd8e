// Step "wxml": every .wxml and .wxs of the mini program (not miniprogram_npm) through WeChat's wcc, all at once as
// DevTools does. When that fails, each file is compiled alone to name every broken one, not just the first.
// wcc does not check that <import>/<include> targets exist, so that is checked here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildError, cache, exists, localize, rel, statSignature, walk } from './util.mjs';
import { runCompiler } from './compilers.mjs';

function usingComponentTags(mpRoot, wxml) {
  try {
    const json = JSON.parse(fs.readFileSync(path.join(mpRoot, wxml.replace(/\.wxml$/, '.json')), 'utf8'));
    return json && typeof json.usingComponents === 'object' && json.usingComponents
      ? Object.keys(json.usingComponents)
      : null;
  } catch {
    return null;
  }
}

/** wcc's -cc argument: "<n> <file> <k> <tags...> ..." over the files that declare usingComponents. */
function componentArg(mpRoot, files) {
  const parts = [];
  let n = 0;
  for (const f of files) {
    const tags = usingComponentTags(mpRoot, f);
    if (!tags) continue;
    n += 1;
    parts.push(f, String(tags.length), ...tags);
  }
  return [String(n), ...parts].join(' ');
}

function wccArgs(mpRoot, wxml, wxs) {
  return ['-d', '-o', os.devNull, '-cc', componentArg(mpRoot, wxml), ...wxml, ...wxs, '-gn', '$gwx'];
}

/** <import src> and <include src> whose target is not there (wcc checks <wxs src> itself). */
function missingReferences(mpRoot, wxml) {
  const problems = [];
  const source = fs.readFileSync(path.join(mpRoot, wxml), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  const re = /<(import|include)\b[^>]*?\bsrc\s*=\s*["']([^"'{}]+)["']/g;
  for (const m of source.matchAll(re)) {
    const [, tag, src] = m;
    const target = src.startsWith('/') ? path.join(mpRoot, src) : path.join(mpRoot, path.dirname(wxml), src);
    const candidates = path.extname(target) ? [target] : [target, `${target}.wxml`];
    if (!candidates.some((c) => exists(c) && fs.statSync(c).isFile())) {
      const line = source.slice(0, m.index).split('\n').length;
      problems.push(`${wxml}:${line}:1: <${tag} src="${src}">: no such file`);
    }
  }
  return problems;
}

/**
 * Compiles the WXML/WXS under `mpRoot`; resolves with the problems found (paths relative to `mpRoot`),
 * an empty list when everything compiles.
 */
async function checkWxml(mpRoot) {
  const wxml = walk(mpRoot, ['.wxml']);
  const wxs = walk(mpRoot, ['.wxs']);
  const problems = wxml.flatMap((f) => missingReferences(mpRoot, f));
  if (wxml.length === 0 && wxs.length === 0) return { problems, files: 0 };
  const all = await runCompiler('wcc', wccArgs(mpRoot, wxml, wxs), mpRoot);
  if (all.code !== 0) {
    // A broken .wxs would fail every template compiled with it: check the WXS alone first.
    const scripts =
      wxs.length > 0 ? await runCompiler('wcc', wccArgs(mpRoot, [], wxs), mpRoot) : { code: 0, message: '' };
    if (scripts.code !== 0) {
      problems.push(scripts.message || `wcc exited with ${scripts.code}`);
    } else {
      const single = await Promise.all(wxml.map((f) => runCompiler('wcc', wccArgs(mpRoot, [f], wxs), mpRoot)));
      const each = single.filter((r) => r.code !== 0).map((r) => r.message);
      problems.push(...(each.length > 0 ? each : [all.message || `wcc exited with ${all.code}`]));
    }
  }
  return { problems: [...new Set(problems)], files: wxml.length + wxs.length };
}

export async function wxml({ root, force }) {
  const mpRoot = path.join(root, 'miniprogram');
  const inputs = [...walk(mpRoot, ['.wxml', '.wxs', '.json'])].map((f) => path.join(mpRoot, f));
  const store = cache(root, 'wxml');
  const sig = statSignature(inputs);
  if (!force && store.read().sig === sig) return `${inputs.length} inputs up to date`;
  const { problems, files } = await checkWxml(mpRoot);
  if (problems.length > 0) {
    throw new BuildError(problems.map((p) => localize(p, rel(root, mpRoot))).join('\n'));
  }
  store.write({ sig });
  return `${files} file${files === 1 ? '' : 's'} compiled by wcc`;
}
