// The main package as WeChat ships it (scripts/measure-package.mjs) stays within 300 KB: home and what it needs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(REPO, 'scripts', 'measure-package.mjs');
const MINIPROGRAM = path.join(REPO, 'miniprogram');

interface Measured {
  limitBytes: number;
  main: { bytes: number; npmBytes: number };
  tdesignFolders: string[];
  files: { file: string; bytes: number; package: string }[];
  problems: string[];
}

const measured = JSON.parse(
  execFileSync(process.execPath, [SCRIPT, '--json', '--list'], { cwd: REPO, encoding: 'utf8' }),
) as Measured;

it('the main package, TDesign components of home included, is at most 300 KB', () => {
  expect(measured.problems).toEqual([]);
  expect(measured.limitBytes).toBe(300 * 1024);
  expect(measured.main.bytes).toBeLessThanOrEqual(measured.limitBytes);
  // home's components are really counted; those only subpackages use ship in the subpackages
  expect(measured.tdesignFolders).toEqual(expect.arrayContaining(['button', 'cell', 'grid-item', 'icon', 'tag']));
  expect(measured.tdesignFolders).not.toEqual(expect.arrayContaining(['tabs']));
  for (const folder of ['checkbox', 'dialog', 'input', 'tabs', 'radio', 'steps', 'progress']) {
    expect(measured.tdesignFolders).not.toContain(folder);
  }
  expect(measured.main.npmBytes).toBeGreaterThan(60 * 1024);
});

it('ships the icon rules and tslib helpers cut to what the app uses', () => {
  const bytesOf = (file: string): number => measured.files.find((f) => f.file === file)?.bytes ?? 0;
  expect(bytesOf('miniprogram_npm/tdesign-miniprogram/icon/icon.wxss')).toBeGreaterThan(1024);
  expect(bytesOf('miniprogram_npm/tdesign-miniprogram/icon/icon.wxss')).toBeLessThan(10 * 1024);
  expect(bytesOf('miniprogram_npm/tdesign-miniprogram/miniprogram_npm/tslib/index.js')).toBeLessThan(2 * 1024);
});

it("takes every subpackage's TDesign components from the subpackage's own copy", () => {
  const app = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM, 'app.json'), 'utf8')) as {
    subpackages: { root: string }[];
  };
  const offenders: string[] = [];
  for (const { root } of app.subpackages) {
    const dir = path.join(MINIPROGRAM, root);
    const visit = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        if (e.name === 'miniprogram_npm') continue;
        const p = path.join(d, e.name);
        if (e.isDirectory()) visit(p);
        else if (e.name.endsWith('.json')) {
          const copies = fs.readFileSync(p, 'utf8').match(/"[^"]*miniprogram_npm\//g) ?? [];
          const own = `"/${root.replace(/\/$/, '')}/miniprogram_npm/`;
          if (copies.some((c) => c !== own)) offenders.push(path.relative(MINIPROGRAM, p));
        }
      }
    };
    visit(dir);
  }
  // a path into the root's copy would put the component back in the main package
  expect(offenders).toEqual([]);
  for (const f of measured.files.filter((x) => x.package !== '(main)' && x.file.includes('miniprogram_npm/'))) {
    expect(f.file.startsWith(`${f.package}/miniprogram_npm/`)).toBe(true);
  }
});

it('fails, naming the size, when the main package is over the limit', () => {
  let failure: { status: number; stderr: string } | undefined;
  try {
    execFileSync(process.execPath, [SCRIPT, '--limit-kb', '100'], { cwd: REPO, encoding: 'utf8', stdio: 'pipe' });
  } catch (error: unknown) {
    failure = error as { status: number; stderr: string };
  }
  expect(failure?.status).toBe(1);
  expect(failure?.stderr).toMatch(/FAIL: the main package is [\d.]+ KB, over the 100 KB limit/);
});
