/**
 * Starts the BUILT local cloud (`build/local-cloud/cli.cjs`, so run `npm run build` first) as a child process on a
 * free port with a fresh data folder under os.tmpdir(), for tests that drive it over HTTP or through the real
 * wx-server-sdk. useLocalCloud() stops its cloud and removes its folder after the test file (afterAll); a cloud
 * from startLocalCloud() is yours to stop(). Children still running when the test process exits are killed.
 *
 *   const cloud = useLocalCloud({ functions: FIXTURE_FUNCTIONS });   // at the top of a test file
 *   const { status, body } = await cloud().call('whoami', {}, 'o-alice');
 *
 * For SDK-level tests, `pointSdkAt(cloud())` sets the env wx-server-sdk reads to reach the local cloud (and gives a
 * function that restores the env); `sdk()` loads wx-server-sdk, initialised. `useSdkOnLocalCloud()` does all of it:
 *
 *   const { cloud, db } = useSdkOnLocalCloud();
 *   await db().collection('cars').add({ data: { plate: '桂A12345' } });
 */
import { Buffer } from 'node:buffer';
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { DB as SdkDB } from 'wx-server-sdk';

const REPO = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO, 'build', 'local-cloud', 'cli.cjs');
/** Tiny plain-JS functions for tests only (whoami, sdk, boom, slow, caller). */
export const FIXTURE_FUNCTIONS = path.join(REPO, 'test', 'fixtures', 'cloudfunctions');
/** Index declarations for tests (drivers.idNumber unique, violations {plate,status} and owner.city), independent of the project's. */
export const FIXTURE_INDEXES = path.join(REPO, 'test', 'fixtures', 'local-cloud', 'indexes.json');

export interface StartOptions {
  /** Folder of cloud functions to serve (default: the project's cloudfunctions/). */
  functions?: string;
  /** Index declaration file (default: the project's cloudfunctions/_shared/db/indexes.json). */
  indexes?: string;
  /** Function time limit in ms (the CLI's --time-limit). */
  timeLimitMs?: number;
  /** Instances per function (the CLI's --instances). */
  instances?: number;
  /** Reuse this data folder (default: a new one under os.tmpdir(), removed at stop()). */
  dataDir?: string;
  /** Extra CLI arguments, e.g. ['--seed-if-empty']. */
  args?: string[];
  /** true: timer triggers fire on schedule; by default they fire only through POST /timers/… (the CLI's --no-timers). */
  timers?: boolean;
  /** Largest file cloud storage accepts, in MB (the CLI's --max-file-mb; default 10). */
  maxFileMb?: number;
  /** Extra environment for the local cloud process (ADMIN_TOKEN, ...). */
  env?: Record<string, string>;
}

export interface CallResult<T = unknown> {
  status: number;
  body: T;
}

export interface RunningCloud {
  readonly url: string;
  readonly port: number;
  readonly adminToken: string;
  readonly dataDir: string;
  /** stdout/stderr lines so far (for failure messages). */
  readonly log: string[];
  /** POST /functions/<name> with the event as JSON; X-WX-OPENID when openid is given. Never throws on HTTP errors. */
  call<T = unknown>(name: string, event?: unknown, openid?: string): Promise<CallResult<T>>;
  /** Any request to the local cloud; the body is parsed as JSON when it is JSON. */
  request<T = unknown>(
    method: string,
    urlPath: string,
    body?: string,
    headers?: Record<string, string>,
  ): Promise<CallResult<T>>;
  /** Sends a signal and waits for the process to exit (SIGKILL = a crash; data stays for restart()). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and data folder (after kill() or on its own: stops first). */
  restart(): Promise<void>;
  /** SIGTERM, wait for exit, remove the data folder if this helper created it. */
  stop(): Promise<void>;
}

/**
 * One HTTP request on node:http, for helpers that must also work under `@jest-environment jsdom`, which has no
 * global `fetch`. Resolves with the status and the body as text on any HTTP status; rejects on a network error.
 */
export function httpRequest(
  url: string | URL,
  { method = 'GET', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const all: Record<string, string | number> = { ...headers };
    if (body !== undefined) all['content-length'] = Buffer.byteLength(body);
    const req = http.request(url, { method, headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const children = new Set<ChildProcess>();
// If the test process ends without afterAll (a crash, a forced exit), take the local clouds with it. Registered only
// while a child runs, so test files loading this module one after another do not pile up listeners.
const killChildren = (): void => {
  for (const child of children) child.kill('SIGKILL');
};

/** The seeded demo data every `--seed-if-empty` cloud of this jest run copies (see test/helpers/global-setup.ts). */
const SEED_TEMPLATE = process.env['LOCAL_CLOUD_SEED_TEMPLATE'];

/**
 * The folder of the run's seeded demo data, seeded by whichever test file asks first (the others wait for it):
 * seeding costs about 3 s of CPU, and a dozen browser test files each start from the same demo data.
 */
async function seededTemplate(root: string): Promise<string> {
  const data = path.join(root, 'data');
  const lock = path.join(root, 'seeding');
  mkdirSync(root, { recursive: true });
  const waitUntil = Date.now() + 120_000;
  while (!existsSync(data)) {
    try {
      mkdirSync(lock);
    } catch {
      // another worker is seeding; if it died doing so, seed here after two minutes
      if (Date.now() < waitUntil) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        continue;
      }
    }
    try {
      if (existsSync(data)) break;
      const seeding = await startLocalCloud({ args: ['--seed-if-empty'], dataDir: mkdtempSync(`${root}/seed-`) });
      await seeding.kill('SIGTERM');
      renameSync(seeding.dataDir, data);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return data;
}

/** Starts one local cloud; stop() it yourself, or use useLocalCloud() to have it stopped after the file. */
export async function startLocalCloud(options: StartOptions = {}): Promise<RunningCloud> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const ownsData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'local-cloud-test-'));
  const plainSeed =
    options.args?.length === 1 &&
    options.args[0] === '--seed-if-empty' &&
    Object.keys(options).every((key) => key === 'args');
  if (SEED_TEMPLATE !== undefined && ownsData && plainSeed)
    cpSync(await seededTemplate(SEED_TEMPLATE), dataDir, { recursive: true });
  const log: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let port = 0;
  let url = '';
  let adminToken = '';

  const launch = async (): Promise<void> => {
    const args = [CLI, 'serve', '--port', String(port), '--data', dataDir];
    if (options.functions) args.push('--functions', options.functions);
    if (options.indexes) args.push('--indexes', options.indexes);
    if (options.timeLimitMs) args.push('--time-limit', String(options.timeLimitMs));
    if (options.instances) args.push('--instances', String(options.instances));
    // Tests fire timers by hand (POST /timers/…): a schedule firing mid-test would make them depend on the hour.
    if (options.timers !== true) args.push('--no-timers');
    if (options.maxFileMb !== undefined) args.push('--max-file-mb', String(options.maxFileMb));
    args.push(...(options.args ?? []));
    const proc = spawn(process.execPath, args, {
      cwd: REPO,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    if (children.size === 0) process.on('exit', killChildren);
    children.add(proc);
    exited = new Promise((resolve) =>
      proc.once('exit', () => {
        children.delete(proc);
        if (children.size === 0) process.off('exit', killChildren);
        resolve();
      }),
    );
    readline.createInterface({ input: proc.stderr }).on('line', (line) => log.push(line));
    const lines = readline.createInterface({ input: proc.stdout });
    await new Promise<void>((resolve, reject) => {
      // A cold start on a busy machine (two test workers, each with a cloud, on two cores) can take several seconds.
      const timer = setTimeout(() => fail(new Error('not ready within 60 s')), 60_000);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(new Error(`local cloud did not start: ${error.message}\n${log.join('\n')}`));
      };
      proc.once('exit', (code, signal) => fail(new Error(`exited with ${code ?? signal}`)));
      lines.on('line', (line) => {
        log.push(line);
        let event: { event?: string; url?: string; port?: number; adminToken?: string };
        try {
          event = JSON.parse(line) as typeof event;
        } catch {
          return;
        }
        if (event.event === 'listening') {
          url = String(event.url);
          port = Number(event.port);
          adminToken = String(event.adminToken);
        }
        // 'ready' comes after any seeding the arguments asked for.
        if (event.event === 'ready') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  };

  const kill = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };

  const request = async <T>(
    method: string,
    urlPath: string,
    body?: string,
    headers: Record<string, string> = {},
  ): Promise<CallResult<T>> => {
    const res = await httpRequest(`${url}${urlPath}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = res.text;
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the text itself
    }
    return { status: res.status, body: parsed as T };
  };

  const cloud: RunningCloud = {
    get url() {
      return url;
    },
    get port() {
      return port;
    },
    get adminToken() {
      return adminToken;
    },
    dataDir,
    log,
    call: (name, event = {}, openid) =>
      request('POST', `/functions/${name}`, JSON.stringify(event), {
        'content-type': 'application/json',
        ...(openid === undefined ? {} : { 'x-wx-openid': openid }),
      }),
    request,
    kill,
    async restart() {
      await kill('SIGTERM');
      await launch();
    },
    async stop() {
      await kill('SIGTERM');
      if (ownsData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await launch();
  } catch (error) {
    await cloud.stop();
    throw error;
  }
  return cloud;
}

/** Starts a local cloud before the file's tests (beforeAll) and stops it after them (afterAll). */
export function useLocalCloud(options: StartOptions = {}, startTimeoutMs = 90_000): () => RunningCloud {
  let cloud: RunningCloud | undefined;
  beforeAll(async () => {
    cloud = await startLocalCloud(options);
  }, startTimeoutMs);
  afterAll(async () => {
    await cloud?.stop();
  });
  return () => {
    if (!cloud) throw new Error('the local cloud has not started (beforeAll failed?)');
    return cloud;
  };
}

/** The variables wx-server-sdk reads from process.env, as the worker sets them in a function instance. */
function sdkEnv(cloud: { port: number }, openid?: string): Record<string, string | undefined> {
  return {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${cloud.port}/admin` }),
    // SCF: the SDK takes its config from the env above instead of asking a metadata host outside this machine.
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    TENCENTCLOUD_SECRETID: 'local-cloud',
    TENCENTCLOUD_SECRETKEY: 'local-cloud',
    SCF_NAMESPACE: 'local',
    TCB_ENV: 'local',
    WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID',
    WX_APPID: 'wxlocalcloud00000',
    WX_OPENID: openid,
    SILENCE: 'true',
  };
}

/** Points this process's wx-server-sdk at `cloud`; returns a function that puts process.env back as it was. */
export function pointSdkAt(cloud: { port: number }, openid?: string): () => void {
  const vars = sdkEnv(cloud, openid);
  const saved = Object.fromEntries(Object.keys(vars).map((key) => [key, process.env[key]]));
  const assign = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  };
  assign(vars);
  return () => assign(saved);
}

/** wx-server-sdk, initialised for the current env (call pointSdkAt first). */
export function sdk(): typeof import('wx-server-sdk') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
  return cloud;
}

/** In a test file: a local cloud for the file, with this process's wx-server-sdk pointed at it (env restored after). */
export function useSdkOnLocalCloud(
  options: StartOptions = {},
  openid = 'o-test-sdk',
): { cloud: () => RunningCloud; db: () => DB } {
  const cloud = useLocalCloud(options);
  let restore: (() => void) | undefined;
  let database: DB | undefined;
  beforeAll(() => {
    restore = pointSdkAt(cloud(), openid);
    database = sdk().database();
  });
  afterAll(() => restore?.());
  return {
    cloud,
    db: () => {
      if (!database) throw new Error('the SDK is not pointed at the local cloud yet');
      return database;
    },
  };
}

/**
 * wx-server-sdk's database as typings/wx-server-sdk.d.ts types it, plus what the SDK does that its d.ts leaves out
 * and the tests use (the local cloud must answer it as the cloud does).
 */
export interface DB extends SdkDB.Database {
  readonly command: Command;
  /** `offset`: milliseconds added to the server's clock. */
  serverDate(options?: SdkDB.IServerDateOptions): SdkDB.ServerDate;
}

/**
 * `db.command`. `_.not` also takes a regular expression: a JS RegExp, which the SDK sends, or a db.RegExp, which the
 * SDK itself drops (a test shows it). `_.min`/`_.max` compare dates too.
 */
export interface Command extends SdkDB.DatabaseCommand {
  not(expression: SdkDB.DatabaseLogicCommand | RegExp | SdkDB.RegExp): SdkDB.DatabaseLogicCommand;
  min(value: number | Date): SdkDB.DatabaseUpdateCommand;
  max(value: number | Date): SdkDB.DatabaseUpdateCommand;
}

/** What `collection(name).add({ data: [...] })` of many documents answers: their ids, in order, and no `_id`. */
export interface AddManyResult extends Partial<SdkDB.IAddResult> {
  _ids: string[];
}

export interface FunctionSource {
  /** index.js; `require('wx-server-sdk')` finds the project's copy. */
  source: string;
  /** config.json as WeChat reads it: { permissions: { openapi: [...] }, triggers: [...] }; a string is written as is. */
  config?: unknown;
}

/**
 * A folder of throwaway cloud functions for one test file (`functions` option of startLocalCloud), e.g. one with a
 * timer trigger or an open-API permission. Its node_modules links the project's wx-server-sdk. Remove it yourself.
 */
export function functionsFolder(functions: Record<string, FunctionSource>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'local-cloud-functions-'));
  mkdirSync(path.join(root, 'node_modules'));
  symlinkSync(
    path.join(REPO, 'node_modules', 'wx-server-sdk'),
    path.join(root, 'node_modules', 'wx-server-sdk'),
    'dir',
  );
  for (const [name, fn] of Object.entries(functions)) {
    mkdirSync(path.join(root, name));
    writeFileSync(path.join(root, name, 'index.js'), fn.source);
    if (fn.config !== undefined)
      writeFileSync(
        path.join(root, name, 'config.json'),
        typeof fn.config === 'string' ? fn.config : JSON.stringify(fn.config, null, 2),
      );
  }
  return root;
}
