/**
 * The local cloud's command line: `serve` starts it; `timers` and `fire` talk to one that runs. Paths default to the
 * repository's own layout.
 *   node build/local-cloud/cli.cjs serve [--port 3000] [--data .local-cloud] [--functions cloudfunctions] [--indexes FILE]
 *     [--instances 4] [--time-limit MS] [--seed-if-empty] [--seed SIZE] [--no-timers] [--max-file-mb 10]
 *   node build/local-cloud/cli.cjs timers [--port 3000]                      (GET /timers)
 *   node build/local-cloud/cli.cjs fire <function> <trigger> [--port 3000]   (POST /timers/<function>/<trigger>)
 */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { startLocalCloud } from './server';
import { prepareDemoAccounts, seed, seedCityServices, seedSize } from './seed-runner';
import { demoPolice, demoPoliceFile } from './demo-police';
import { uploadEvidence } from '../seed/evidence';
import { instructions } from './instructions';

const repoRoot = path.resolve(__dirname, '..', '..');

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

async function serve(args: string[]): Promise<void> {
  const port = Number(option(args, 'port') ?? process.env['PORT'] ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);
  const adminToken = process.env['ADMIN_TOKEN'] || randomBytes(16).toString('hex');
  const instances = Number(option(args, 'instances') ?? 4);
  if (!Number.isInteger(instances) || instances < 1) throw new Error(`invalid --instances ${instances}`);
  // The cloud's default time limit is 3 s, configurable up to 60 s per function; tests shorten it to see a timeout.
  const timeLimitMs = Number(option(args, 'time-limit') ?? 20_000);
  if (!Number.isInteger(timeLimitMs) || timeLimitMs < 1) throw new Error(`invalid --time-limit ${timeLimitMs}`);
  const dataDir = path.resolve(
    option(args, 'data') ?? process.env['LOCAL_CLOUD_DATA'] ?? path.join(repoRoot, '.local-cloud'),
  );
  // Cloud storage's largest file; WeChat's own limit is far higher, a laptop's demo needs no more.
  const maxFileMb = Number(option(args, 'max-file-mb') ?? 10);
  if (!Number.isFinite(maxFileMb) || maxFileMb <= 0) throw new Error(`invalid --max-file-mb ${maxFileMb}`);
  const cloud = await startLocalCloud({
    port,
    dataDir,
    // Another folder of functions (the tests' fixtures); default: the project's.
    functionsRoot: path.resolve(option(args, 'functions') ?? path.join(repoRoot, 'cloudfunctions')),
    // Another index declaration file (tests declare their own); default: the project's versioned one.
    indexFile: path.resolve(
      option(args, 'indexes') ?? path.join(repoRoot, 'cloudfunctions', '_shared', 'db', 'indexes.json'),
    ),
    workerFile: path.join(repoRoot, 'build', 'local-cloud', 'worker.cjs'),
    previewDir: path.join(repoRoot, 'build', 'preview'),
    consoleDir: path.join(repoRoot, 'build', 'console'),
    adminToken,
    maxInstancesPerFunction: instances,
    timeLimitMs,
    maxFileBytes: Math.floor(maxFileMb * 1024 * 1024),
    // --no-timers: triggers are listed and fired by hand only, for runs that must not be disturbed by a schedule.
    timers: !args.includes('--no-timers'),
  });
  // One machine-readable line first, so scripts and tests can wait for it.
  console.log(
    JSON.stringify({
      event: 'listening',
      url: cloud.url,
      port: cloud.port,
      functions: cloud.pool.functionNames,
      adminToken,
    }),
  );
  const seedName = option(args, 'seed');
  const drivers = cloud.store.stats().collections['drivers'] ?? 0;
  // --seed SIZE loads until the registry holds that size (a benchmark's data is loaded once and reused).
  const wanted = seedName ? seedSize(seedName).drivers : 0;
  // The seed imports as the police system does: with an integration key the demo administrator made.
  const police =
    seedName !== undefined || args.includes('--seed-if-empty')
      ? await demoPolice(cloud.callFunction, adminToken, dataDir, () => cloud.clock.now().getTime())
      : null;
  const seedKey = (): string => {
    if (police === null)
      throw new Error(`an administrator exists but ${demoPoliceFile(dataDir)} does not: seed a new data folder`);
    return police.integrationKey;
  };
  if ((seedName && drivers < wanted) || (args.includes('--seed-if-empty') && drivers === 0)) {
    const report = await seed(
      cloud.callFunction,
      seedKey(),
      seedSize(seedName ?? 'demo'),
      (progress) => console.log(JSON.stringify({ event: 'seeding', ...progress })),
      uploadEvidence(cloud.url),
    );
    console.log(JSON.stringify({ event: 'seeded', ...report }));
    if (!seedName) await prepareDemoAccounts(cloud.callFunction, cloud.url);
  } else if (args.includes('--seed-if-empty') && (cloud.store.stats().collections['offices'] ?? 0) === 0) {
    // A data folder seeded before the city services existed gets their demo data too (idempotent upserts).
    await seedCityServices(cloud.callFunction, seedKey());
  }
  console.log(
    JSON.stringify({
      event: 'ready',
      url: cloud.url,
      instructions: instructions(cloud.url, adminToken, dataDir, police !== null),
    }),
  );
  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    void cloud.close().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

/** One request to a running local cloud; prints its JSON answer; exit code 0 for HTTP 200, else 1. */
async function talk(args: string[], method: string, urlPath: string): Promise<void> {
  const port = Number(option(args, 'port') ?? process.env['PORT'] ?? 3000);
  const host = option(args, 'host') ?? '127.0.0.1';
  const url = `http://${host}:${port}${urlPath}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      ...(method === 'POST' ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
    });
  } catch (error) {
    throw new Error(
      `no local cloud answers at ${url} (${(error as Error).message}); start it with npm start, or pass --port`,
    );
  }
  const text = await response.text();
  try {
    console.log(JSON.stringify(JSON.parse(text), null, 2));
  } catch {
    console.log(text);
  }
  if (response.status !== 200) process.exitCode = 1;
}

const USAGE = [
  'usage: cli.cjs serve [--port N] [--data DIR] [--functions DIR] [--indexes FILE] [--instances N] [--time-limit MS] [--seed-if-empty] [--seed demo|nanning|nanning/<divisor>] [--no-timers] [--max-file-mb N]',
  '       cli.cjs timers [--port N]                      list the timer triggers of a running local cloud',
  '       cli.cjs fire <function> <trigger> [--port N]   run a timer trigger now; prints what the function returned',
].join('\n');

const [command, ...rest] = process.argv.slice(2);
const fail = (error: unknown) => {
  console.error((error as Partial<Error> | undefined)?.message ?? String(error));
  process.exit(1);
};
if (command === 'serve') {
  serve(rest).catch((error: unknown) => {
    console.error(`local cloud failed to start: ${(error as Partial<Error> | undefined)?.stack ?? String(error)}`);
    process.exit(1);
  });
} else if (command === 'timers') {
  talk(rest, 'GET', '/timers').catch(fail);
} else if (command === 'fire' && rest[0] && rest[1] && !rest[0].startsWith('--') && !rest[1].startsWith('--')) {
  talk(rest.slice(2), 'POST', `/timers/${encodeURIComponent(rest[0])}/${encodeURIComponent(rest[1])}`).catch(fail);
} else {
  console.error(USAGE);
  process.exit(2);
}
