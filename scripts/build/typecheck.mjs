// Step "typecheck": `tsc --noEmit` once per program, in parallel. The programs differ in their globals:
// the mini program sees WeChat's (wx, App, Component), the server sees Node's, the tests see Node + jest + DOM;
// "typings" checks typings/wx-server-sdk.d.ts, which the server and test programs take on trust (skipLibCheck);
// "console" is the police web console (DOM + React JSX).
// Each keeps an incremental .tsbuildinfo under build/tsc, so an unchanged program re-checks in well under a second.
import path from 'node:path';
import { BuildError, REPO, exists, run } from './util.mjs';

const PROGRAMS = [
  { name: 'miniprogram', config: 'miniprogram/tsconfig.json' },
  { name: 'server', config: 'tsconfig.json' },
  { name: 'test', config: 'test/tsconfig.json' },
  { name: 'typings', config: 'typings/tsconfig.check.json' },
  { name: 'preview', config: 'scripts/preview/runtime/tsconfig.json' },
  { name: 'console', config: 'console/tsconfig.json' },
];

export async function typecheck({ root }) {
  const tsc = path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
  const programs = PROGRAMS.filter((p) => exists(path.join(root, p.config)));
  const pretty = Boolean(process.stdout.isTTY);
  const results = await Promise.all(
    programs.map(async (p) => ({
      ...p,
      ...(await run(process.execPath, [tsc, '--noEmit', '-p', p.config, '--pretty', String(pretty)], { cwd: root })),
    })),
  );
  const failed = results.filter((r) => r.code !== 0);
  if (failed.length > 0) {
    const details = failed.map((r) => `-- ${r.name} (${r.config}) --\n${(r.stdout + r.stderr).trimEnd()}`).join('\n');
    throw new BuildError(`type errors in ${failed.map((r) => r.name).join(', ')}\n${details}`);
  }
  return programs.map((p) => p.name).join(', ');
}
