// The build bundles each cloud function (cloudfunctions/<name>/src/index.ts -> index.js, CommonJS, wx-server-sdk
// left out) and refuses a function whose package.json does not pin wx-server-sdk 4.0.2. Runs on a throwaway project.
import fs from 'node:fs';
import path from 'node:path';
import { runBuild, tempProject, type TempProject } from '../helpers/build';

let project: TempProject;
beforeEach(() => {
  project = tempProject();
  project.write('tsconfig.json', '{}');
});
afterEach(() => project.remove());

function addFunction(name: string, { sdk = '4.0.2' }: { sdk?: string } = {}): void {
  project.write(
    `cloudfunctions/${name}/package.json`,
    JSON.stringify({ name, version: '1.0.0', main: 'index.js', dependencies: { 'wx-server-sdk': sdk } }),
  );
  project.write(
    `cloudfunctions/${name}/src/index.ts`,
    [
      "import * as cloud from 'wx-server-sdk';",
      "import { double } from '../../_shared/math';",
      'cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });',
      'export async function main(event: { n: number }): Promise<{ ok: true; data: number }> {',
      '  return { ok: true, data: double(event.n) };',
      '}',
    ].join('\n'),
  );
  project.write('cloudfunctions/_shared/math.ts', 'export const double = (n: number): number => n * 2;\n');
}

it('bundles each function into a CommonJS index.js whose exports.main runs, without wx-server-sdk inside', async () => {
  addFunction('calc');
  const r = runBuild(project.root, ['--only', 'cloudfunctions']);
  expect(r.output).toMatch(/ok\s+cloudfunctions.*calc/);
  expect(r.status).toBe(0);

  const bundle = path.join(project.root, 'cloudfunctions/calc/index.js');
  const code = fs.readFileSync(bundle, 'utf8');
  expect(code).toContain('require("wx-server-sdk")');
  expect(code.length).toBeLessThan(10_000);
  // the shared folder is code, not a function
  expect(fs.existsSync(path.join(project.root, 'cloudfunctions/_shared/index.js'))).toBe(false);

  const fn = (await import(bundle)) as { main(event: { n: number }): Promise<unknown> };
  await expect(fn.main({ n: 21 })).resolves.toEqual({ ok: true, data: 42 });
});

it('fails when a function does not pin wx-server-sdk 4.0.2, naming its package.json', () => {
  addFunction('calc', { sdk: '~2.6.3' });
  const r = runBuild(project.root, ['--only', 'cloudfunctions']);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain(
    'cloudfunctions/calc/package.json: dependencies["wx-server-sdk"] must be exactly "4.0.2" (found "~2.6.3")',
  );
});

it('fails when the entry does not export main', () => {
  addFunction('calc');
  project.write('cloudfunctions/calc/src/index.ts', 'export const handler = async () => 1;\n');
  const r = runBuild(project.root, ['--only', 'cloudfunctions']);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('cloudfunctions/calc/src/index.ts: must export `main`');
});

it('fails on an import that does not resolve, with file and line', () => {
  addFunction('calc');
  project.write(
    'cloudfunctions/calc/src/index.ts',
    "import { x } from './nope';\nexport const main = async () => x;\n",
  );
  const r = runBuild(project.root, ['--only', 'cloudfunctions']);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('cloudfunctions/calc/src/index.ts:1:');
  expect(r.output).toContain('Could not resolve "./nope"');
});

it('rebuilds only what changed', () => {
  addFunction('calc');
  addFunction('echo');
  expect(runBuild(project.root, ['--only', 'cloudfunctions']).output).toContain('2 rebuilt');
  expect(runBuild(project.root, ['--only', 'cloudfunctions']).output).toContain('0 rebuilt');
  project.write('cloudfunctions/_shared/math.ts', 'export const double = (n: number): number => n + n;\n');
  expect(runBuild(project.root, ['--only', 'cloudfunctions']).output).toContain('2 rebuilt');
});
