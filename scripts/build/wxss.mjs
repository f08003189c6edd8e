// Step "wxss": every .wxss of the mini program (not miniprogram_npm, though files there reached by @import are
// passed along) through WeChat's wcsc, all at once; on failure each file alone, to name every broken one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildError, cache, exists, localize, rel, statSignature, walk } from './util.mjs';
import { runCompiler } from './compilers.mjs';

const IMPORT = /@import\s+(?:url\(\s*)?["']([^"']+)["']/g;

/**
 * `file` plus everything it @imports, transitively (paths relative to mpRoot). Absolute imports are reported:
 * the bundled wcsc resolves @import relative to the importing file only.
 */
function withImports(mpRoot, file, problems) {
  const seen = new Set();
  const visit = (f) => {
    if (seen.has(f)) return;
    seen.add(f);
    let source;
    try {
      source = fs.readFileSync(path.join(mpRoot, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    } catch {
      return; // wcsc names the missing file itself
    }
    for (const m of source.matchAll(IMPORT)) {
      const target = m[1];
      if (target.startsWith('/')) {
        const line = source.slice(0, m.index).split('\n').length;
        problems.push(
          `${f}:${line}:1: @import "${target}": use a path relative to this file (wcsc does not resolve absolute imports)`,
        );
        continue;
      }
      const resolved = rel(mpRoot, path.join(mpRoot, path.dirname(f), target));
      if (exists(path.join(mpRoot, resolved))) visit(resolved);
    }
  };
  visit(file);
  return [...seen];
}

/** wcsc's file list: page/component styles (a .json beside them) first, as its -pc count expects. */
function wcscArgs(mpRoot, files) {
  const isComponent = (f) => exists(path.join(mpRoot, f.replace(/\.wxss$/, '.json')));
  const components = files.filter(isComponent);
  const others = files.filter((f) => !isComponent(f));
  return ['-db', '-o', os.devNull, '-pc', String(components.length), ...components, ...others];
}

/** Compiles the WXSS under `mpRoot`; resolves with the problems found (paths relative to `mpRoot`). */
async function checkWxss(mpRoot) {
  const own = walk(mpRoot, ['.wxss']);
  const problems = [];
  const closure = (f) => withImports(mpRoot, f, []);
  const everything = [...new Set(own.flatMap((f) => withImports(mpRoot, f, problems)))];
  if (own.length === 0) return { problems, files: 0 };
  const all = await runCompiler('wcsc', wcscArgs(mpRoot, everything), mpRoot);
  if (all.code !== 0) {
    const single = await Promise.all(own.map((f) => runCompiler('wcsc', wcscArgs(mpRoot, closure(f)), mpRoot)));
    const each = single.filter((r) => r.code !== 0).map((r) => r.message);
    problems.push(...(each.length > 0 ? each : [all.message || `wcsc exited with ${all.code}`]));
  }
  return { problems: [...new Set(problems)], files: everything.length };
}

export async function wxss({ root, force }) {
  const mpRoot = path.join(root, 'miniprogram');
  const inputs = walk(mpRoot, ['.wxss', '.json']).map((f) => path.join(mpRoot, f));
  const store = cache(root, 'wxss');
  const sig = statSignature(inputs);
  if (!force && store.read().sig === sig) return `${inputs.length} inputs up to date`;
  const { problems, files } = await checkWxss(mpRoot);
  if (problems.length > 0) throw new BuildError(problems.map((p) => localize(p, rel(root, mpRoot))).join('\n'));
  store.write({ sig });
  return `${files} file${files === 1 ? '' : 's'} compiled by wcsc`;
}
