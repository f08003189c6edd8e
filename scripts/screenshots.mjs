#!/usr/bin/env node
/**
 * npm run screenshots [-- --only <name>[,<name>…]]
 *
 * Photographs every screen of the driver's journey in the browser preview at 375 px, in standard and care size
 * (WeChat's text size 16 and 20), and at 320 px in standard size, into
 * artifacts/screens/<screen>[.<state>].<standard|care|320>.png, with artifacts/screens/index.html showing them side by
 * side. Each page's setData (and initial data) on the way is measured in JSON bytes into artifacts/screens/setdata.json;
 * a page whose largest is over 16 KB fails the run. Builds first (quick when nothing changed), then per mode
 * starts its own local cloud on a free port with the seeded demo data and clicks through the preview in Chromium
 * (/usr/bin/chromium or CHROMIUM_PATH) with the e2e tests' helper. The screens are the table in
 * test/e2e/helpers/screens.ts; --only keeps the rows of those screen names. The police console's screens (sign-in and
 * each screen with the demo data, 1280 px) go beside them as console-<screen>.png, in a section of the same index
 * (test/e2e/helpers/console-screens.ts); --only console takes just those.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').filter(Boolean)) : null;
const OUT = path.join(root, 'artifacts', 'screens');

const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

// the table and the helpers are TypeScript shared with the e2e tests: bundled here as the build bundles the rest
// (two folders deep under the repo, so the helpers' paths relative to __dirname still reach the repo's root)
const esbuild = await import('esbuild');
const bundle = path.join(root, 'build', 'screenshots', 'run.cjs');
await esbuild.build({
  entryPoints: [path.join(root, 'test', 'e2e', 'helpers', 'screens.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  outfile: bundle,
  logLevel: 'warning',
});
const { SCREENS, takeScreenshots } = createRequire(import.meta.url)(bundle);

const screens = only ? SCREENS.filter((s) => only.has(s.name)) : SCREENS;
const withConsole = !only || only.has('console');
if (screens.length === 0 && !withConsole) {
  console.error(
    `no screen named ${[...(only ?? [])].join(', ')}; the names are in test/e2e/helpers/screens.ts, or console`,
  );
  process.exit(1);
}

let shots;
try {
  shots = await takeScreenshots(
    OUT,
    screens,
    (line) => console.log(line),
    screens.length === 0 ? [] : undefined,
    withConsole,
  );
} catch (error) {
  console.error(`npm run screenshots: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const count = (kind) => [...shots.outcomes, ...shots.console].filter((o) => o.kind === kind).length;
console.log(
  `${count('shot')} screenshots, ${count('absent')} of pages not built yet, ${count('failed')} failed: ${shots.index}`,
);
const { limitBytes, pages, over } = shots.setData;
const largest = pages[0];
console.log(
  `setData: ${pages.length} pages, largest ${largest ? `${largest.maxBytes} B (${largest.route})` : 'none'}, limit ${limitBytes} B`,
);
for (const page of over)
  console.error(
    `✗ setData over ${limitBytes} B: ${page.route} ${page.maxBytes} B (${page.keys.join(', ')}) at ${page.shot}`,
  );
process.exit(count('failed') === 0 && over.length === 0 ? 0 : 1);
