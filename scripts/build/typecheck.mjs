// Step "typecheck": `tsc --noEmit` once per program, in parallel. The programs differ in their globals:
// the mini program sees WeChat's (wx, App, Component), the server sees Node's, the tests see Node + jest + DOM;
// "typings" checks typings/wx-server-sdk.d.ts, which the server and test programs take on trust (skipLibCheck);
// "console" is the police web console (DOM + React JSX).
// Each keeps an incremental .tsbuildinfo under build/tsc; on top, a program whose files (as tsc listed them last time)
// and tsconfigs are unchanged, with no source file added or removed, is not started at all: tsc's own start-up costs
// seconds per program, which `npm start` and `npm test` would pay on every run.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BuildError, REPO, cache, exists, run, statSignature, walk } from './util.mjs';

const PROGRAMS = [
  { name: 'miniprogram', config: 'miniprogram/tsconfig.json' },
  { name: 'server', config: 'tsconfig.json' },
  { name: 'test', config: 'test/tsconfig.json' },
  { name: 'typings', config: 'typings/tsconfig.check.json' },
  { name: 'preview', config: 'scripts/preview/runtime/tsconfig.json' },
  { name: 'console', config: 'console/tsconfig.json' },
];

/** Folders whose TypeScript and JSON any program may include by a glob (a new file there re-checks everything). */
const SOURCE_DIRS = ['miniprogram', 'cloudfunctions', 'scripts', 'test', 'typings', 'console'];

function sourceFiles(root) {
  const top = fs.readdirSync(root).filter((f) => /^tsconfig.*\.json$/.test(f) || f === 'package-lock.json');
  const nested = SOURCE_DIRS.flatMap((dir) =>
    walk(path.join(root, dir), ['.ts', '.tsx', '.mts', '.cts', '.json'], ['node_modules', 'miniprogram_npm']).map((f) =>
      path.join(root, dir, f),
    ),
  );
  return [...top.map((f) => path.join(root, f)), ...nested];
}

export async function typecheck({ root, force }) {
  const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const recipe = `typescript ${JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'typescript', 'package.json'), 'utf8')).version}; typecheck v2`;
  const store = cache(root, 'typecheck');
  const previous = store.read();
  const known = previous.recipe === recipe && !force ? (previous.programs ?? {}) : {};
  const sources = sourceFiles(root);
  // A file added or removed anywhere may change what a glob takes in; an edit matters to the programs that list it.
  const configs = sources.filter((f) => /tsconfig[^/]*\.json$|package-lock\.json$/.test(f));
  const shared = createHash('sha1').update(sources.join('\n')).update(statSignature(configs)).digest('hex');
  const signatureOf = (files) => `${statSignature(files)} ${shared}`;
  const programs = PROGRAMS.filter((p) => exists(path.join(root, p.config)));
  const pretty = Boolean(process.stdout.isTTY);
  const results = await Promise.all(
    programs.map(async (p) => {
      const last = known[p.name];
      if (last && last.sig === signatureOf(last.files)) return { ...p, code: 0, skipped: true, files: last.files };
      const r = await run(
        process.execPath,
        [tsc, '--noEmit', '-p', p.config, '--pretty', String(pretty), '--listFiles'],
        { cwd: root },
      );
      // On success tsc prints only the list of its program's files, one absolute path a line.
      const files =
        r.code === 0
          ? r.stdout
              .split('\n')
              .filter((l) => path.isAbsolute(l.trim()))
              .map((l) => l.trim())
          : [];
      return { ...p, ...r, skipped: false, files };
    }),
  );
  const failed = results.filter((r) => r.code !== 0);
  const next = { recipe, programs: {} };
  for (const r of results) if (r.code === 0) next.programs[r.name] = { files: r.files, sig: signatureOf(r.files) };
  store.write(next);
  if (failed.length > 0) {
    const details = failed
      .map((r) => {
        const output = (r.stdout + r.stderr)
          .split('\n')
          .filter((l) => !path.isAbsolute(l.trim()))
          .join('\n');
        return `-- ${r.name} (${r.config}) --\n${output.trimEnd()}`;
      })
      .join('\n');
    throw new BuildError(`type errors in ${failed.map((r) => r.name).join(', ')}\n${details}`);
  }
  const skipped = results.filter((r) => r.skipped).length;
  return `${programs.map((p) => p.name).join(', ')}${skipped === programs.length ? ' (up to date)' : skipped > 0 ? ` (${skipped} up to date)` : ''}`;
}
