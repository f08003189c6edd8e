#!/usr/bin/env node
// npm start: build, start the local cloud, seed the Nanning demo data when the database is empty, say what to try.
// Every build step and the seed are skipped when nothing changed since the last run, so a second start is quick;
// each phase prints a line saying what it does and how long it took.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = performance.now();
const since = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (line) => console.log(`[start] ${line}`);

say(
  existsSync(path.join(root, 'build', 'cache'))
    ? 'building (a step whose inputs did not change since the last build is skipped)…'
    : 'building everything for the first time: type-checks, bundles, WeChat compilers (a few minutes on 2 cores)…',
);
const buildStarted = performance.now();
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);
const built = since(buildStarted);
say(`built in ${built}`);

const port = process.env.PORT ?? '3000';
const dataDir = path.resolve(process.env.LOCAL_CLOUD_DATA ?? path.join(root, '.local-cloud'));
const seeded = existsSync(path.join(dataDir, 'demo-officers.json'));
say(
  seeded
    ? `starting the local cloud on port ${port} with the data in ${path.relative(root, dataDir) || dataDir} (seeded before: no seeding)…`
    : `starting the local cloud on port ${port}; ${path.relative(root, dataDir) || dataDir} is new, so the Nanning demo data is seeded once…`,
);
const cloudStarted = performance.now();
const child = spawn(
  process.execPath,
  [path.join(root, 'build', 'local-cloud', 'cli.cjs'), 'serve', '--port', port, '--seed-if-empty'],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);

/** The local cloud's JSON event lines, told as a person reads them; anything else is printed as it is. */
function describe(event) {
  const counts = (e) =>
    ['drivers', 'vehicles', 'violations', 'offices', 'guides', 'tows']
      .filter((k) => typeof e[k] === 'number' && e[k] > 0)
      .map((k) => `${e[k]} ${k}`)
      .join(', ');
  switch (event.event) {
    case 'listening':
      return `local cloud listening at ${event.url} (${since(cloudStarted)})${seeded ? '' : '; seeding…'}`;
    case 'seeding':
      return `seeding: ${counts(event) || 'starting'} so far (${Math.round(event.seconds)} s)`;
    case 'seeded':
      return `seeded ${counts(event)} in ${Math.round(event.seconds)} s; signing in the demo drivers…`;
    default:
      return null;
  }
}

let announced = false;
let buffered = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    let event;
    try {
      event = line.startsWith('{"event":') ? JSON.parse(line) : null;
    } catch {
      event = null;
    }
    if (!announced && event?.event === 'ready') {
      announced = true;
      say(`ready in ${since(started)} (build ${built}, local cloud ${since(cloudStarted)})`);
      console.log(event.instructions);
    } else {
      const told = event ? describe(event) : null;
      if (told) say(told);
      else console.log(line);
    }
  }
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
