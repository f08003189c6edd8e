// The main package as WeChat ships it (scripts/measure-package.mjs) stays within the 600 KB.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(REPO, 'scripts', 'measure-package.mjs');

interface Measured {
  limitBytes: number;
  main: { bytes: number; npmBytes: number };
  tdesignFolders: string[];
  problems: string[];
}

it('the main package, TDesign components of every page included, is at most 600 KB', () => {
  const measured = JSON.parse(
    execFileSync(process.execPath, [SCRIPT, '--json'], { cwd: REPO, encoding: 'utf8' }),
  ) as Measured;
  expect(measured.problems).toEqual([]);
  expect(measured.limitBytes).toBe(600 * 1024);
  expect(measured.main.bytes).toBeLessThanOrEqual(measured.limitBytes);
  // the components the pages use are really counted (icon's font alone is ~110 KB)
  expect(measured.tdesignFolders).toEqual(
    expect.arrayContaining(['button', 'cell', 'checkbox', 'dialog', 'icon', 'input', 'tabs']),
  );
  expect(measured.main.npmBytes).toBeGreaterThan(110 * 1024);
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
