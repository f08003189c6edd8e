#!/usr/bin/env node
// npm start: build, start the local cloud, seed the Nanning demo data when the database is empty, say what to try.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

const port = process.env.PORT ?? '3000';
const child = spawn(
  process.execPath,
  [path.join(root, 'build', 'local-cloud', 'cli.cjs'), 'serve', '--port', port, '--seed-if-empty'],
  {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);

let announced = false;
let buffered = '';
child.stdout.setEncoding('utf8');
child.stdout.on('data', (chunk) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    if (!announced && line.startsWith('{"event":"ready"')) {
      announced = true;
      const ready = JSON.parse(line);
      console.log(ready.instructions);
    } else {
      console.log(line);
    }
  }
});

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
