#!/usr/bin/env node
// `npm run build` (and the first half of `npm start`, `npm test`, `npm run bench`): type-check, bundle the cloud
// functions and the local cloud, pack TDesign into miniprogram_npm, compile WXML/WXSS with WeChat's compilers, bundle
// the police web console.
// Every step runs (independent ones in parallel) and prints one line with its time; any failure -> exit 1.
// Steps remember what they last did under build/cache, so a rebuild with nothing changed is quick.
//
//   node scripts/build.mjs [--only a,b] [--skip a,b] [--force] [--root DIR]
//     steps: typecheck, cloudfunctions, local-cloud, npm, json, wxml, wxss, preview, console
//     --force  ignore the caches     --root  build another checkout or a copy (tests use it)
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BuildError, REPO } from './build/util.mjs';
import { typecheck } from './build/typecheck.mjs';
import { cloudfunctions } from './build/cloudfunctions.mjs';
import { localCloud } from './build/local-cloud.mjs';
import { npm } from './build/npm.mjs';
import { json } from './build/json.mjs';
import { wxml } from './build/wxml.mjs';
import { wxss } from './build/wxss.mjs';
import { preview } from './build/preview.mjs';
import { consoleApp } from './build/console.mjs';

/** `after`: steps that must have finished first (json checks usingComponents against the packed npm). */
const STEPS = [
  { name: 'typecheck', run: typecheck, after: [] },
  { name: 'cloudfunctions', run: cloudfunctions, after: [] },
  { name: 'local-cloud', run: localCloud, after: [] },
  { name: 'npm', run: npm, after: [] },
  { name: 'json', run: json, after: ['npm'] },
  { name: 'wxml', run: wxml, after: [] },
  { name: 'wxss', run: wxss, after: ['npm'] },
  { name: 'preview', run: preview, after: ['npm'] },
  { name: 'console', run: consoleApp, after: [] },
];

function parseArgs(argv) {
  const opts = { root: REPO, only: null, skip: [], force: false };
  const list = (v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--only') opts.only = list(value());
    else if (flag === '--skip') opts.skip = list(value());
    else if (flag === '--force') opts.force = true;
    else if (flag === '--root') opts.root = path.resolve(value());
    else if (flag === '--help' || flag === '-h') {
      console.log('node scripts/build.mjs [--only a,b] [--skip a,b] [--force] [--root DIR]');
      console.log(`steps: ${STEPS.map((s) => s.name).join(', ')}`);
      process.exit(0);
    } else throw new BuildError(`unknown argument ${a}`);
  }
  for (const name of [...(opts.only ?? []), ...opts.skip]) {
    if (!STEPS.some((s) => s.name === name))
      throw new BuildError(`unknown step "${name}" (steps: ${STEPS.map((s) => s.name).join(', ')})`);
  }
  return opts;
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const seconds = (ms) => `${(ms / 1000).toFixed(2)}s`.padStart(7);
const indent = (text) =>
  text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const selected = STEPS.filter((s) => (opts.only ? opts.only.includes(s.name) : true) && !opts.skip.includes(s.name));
  const started = performance.now();
  const done = new Map();
  const failures = [];

  const runStep = async (step) => {
    await Promise.all(step.after.filter((n) => done.has(n)).map((n) => done.get(n)));
    const t0 = performance.now();
    try {
      const summary = await step.run({ root: opts.root, force: opts.force });
      console.log(`${paint('32', 'ok  ')} ${step.name.padEnd(15)}${seconds(performance.now() - t0)}  ${summary}`);
    } catch (e) {
      failures.push(step.name);
      const message = e instanceof BuildError ? e.message : (e && e.stack) || String(e);
      console.log(`${paint('31', 'FAIL')} ${step.name.padEnd(15)}${seconds(performance.now() - t0)}`);
      console.log(indent(message));
    }
  };
  for (const step of selected) done.set(step.name, runStep(step));
  await Promise.all(done.values());

  const total = seconds(performance.now() - started).trim();
  if (failures.length > 0) {
    console.log(paint('31', `build failed in ${total}: ${failures.join(', ')}`));
    process.exitCode = 1;
  } else {
    console.log(`build done in ${total}`);
  }
}

main().catch((e) => {
  console.error(e instanceof BuildError ? `build: ${e.message}` : e);
  process.exitCode = 1;
});
