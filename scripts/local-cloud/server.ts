import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest, RawReply, type AdminReply } from './protocol/admin';
import { parseMultipart } from './protocol/multipart';
import { FunctionError, FunctionPool, listFunctions } from './functions/pool';
import { readFunctionConfigs } from './functions/config';
import { TimerScheduler } from './timers/scheduler';
import { DEFAULT_MAX_FILE_BYTES, LocalStorage } from './storage/storage';
import { openStore } from './store/index';
import type { IndexFile, Store } from './store/types';
import { SANDBOX_INDEXES, Sandboxes } from './sandbox/sandboxes';
import { PingAnSandbox } from './sandbox/pingan';
import { RoundTripStats } from './round-trips';
import { LocalClock } from './clock';
import { HttpAccess, readHttpRoutes } from './http-access';
import { servePreview } from '../preview/serve';
import { serveConsole } from '../preview/console';

export interface LocalCloudOptions {
  port: number;
  host?: string;
  dataDir: string;
  functionsRoot: string;
  indexFile: string;
  workerFile: string;
  envId?: string;
  appId?: string;
  adminToken: string;
  maxInstancesPerFunction?: number;
  timeLimitMs?: number;
  /** build/preview: GET / and /preview/* serve the browser preview from it (scripts/preview/serve.ts). */
  previewDir?: string;
  /** build/console: GET /console and /console/* serve the police web console from it (scripts/preview/console.ts). */
  consoleDir?: string;
  /** Largest file cloud storage accepts (default 10 MB). */
  maxFileBytes?: number;
  /** false: timer triggers are listed and fired by hand only (POST /timers/…), never on schedule. Default true. */
  timers?: boolean;
}

export interface LocalCloud {
  url: string;
  port: number;
  store: Store;
  pool: FunctionPool;
  clock: LocalClock;
  timers: TimerScheduler;
  storage: LocalStorage;
  /** Calls a function as a mini-program user would (what POST /functions/<name> does). */
  callFunction: (name: string, event: unknown, openid: string) => Promise<unknown>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Deeper events cannot be handed to a function instance (structured clone) and no real event needs them. */
const MAX_JSON_DEPTH = 256;
const OPENID_PATTERN = /^[\w-]{1,64}$/;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errCode: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  // Function config.json files first: one WeChat would refuse stops the start before anything is opened.
  const configs = readFunctionConfigs(options.functionsRoot, listFunctions(options.functionsRoot));
  const httpRoutes = readHttpRoutes(options.functionsRoot, listFunctions(options.functionsRoot));
  const declared = JSON.parse(readFileSync(options.indexFile, 'utf8')) as IndexFile;
  const store = openStore({
    dir: options.dataDir,
    indexes: { collections: { ...declared.collections, ...SANDBOX_INDEXES } },
  });
  const envId = options.envId ?? 'local';
  const appId = options.appId ?? 'wxlocalcloud00000';
  const roundTrips = new RoundTripStats();
  const host = options.host ?? '127.0.0.1';
  // Functions read ADMIN_TOKEN from their environment, as a deployer configures it per function in the console.
  process.env['ADMIN_TOKEN'] = options.adminToken;

  let pool: FunctionPool | undefined;
  let port = options.port;
  /** Invocations in flight: the id travels in the SDK's URL, so each /admin request is attributed to its caller. */
  const invocations = new Map<string, { name: string; openid: string }>();
  const clock = new LocalClock();

  /** Runs a function; its return value comes back as the JSON text the instance wrote. */
  const invokeJson = async (name: string, event: unknown, openid: string): Promise<string> => {
    if (!pool) throw new FunctionError(-504002, 'the local cloud is not ready');
    const invocationId = randomUUID();
    invocations.set(invocationId, { name, openid });
    roundTrips.begin(invocationId, name, event);
    try {
      return await pool.invokeJson({
        name,
        event: withUserInfo(event, openid, appId),
        openid,
        invocationId,
        adminUrl: `http://${host}:${port}/admin/inv/${invocationId}`,
        env: {
          // The WeChat server APIs that cloud calls cannot reach (face verification, subscribe messages) go over
          // HTTPS to api.weixin.qq.com in production; here the same requests go to the sandbox.
          WECHAT_API_BASE: `http://${host}:${port}/sandbox/wechat`,
          // Ping An's electronic-policy API (the insurer port's first adapter): its labelled sandbox here.
          PINGAN_API_BASE: `http://${host}:${port}/sandbox/pingan`,
          LOCAL_CLOUD_CLOCK_OFFSET_MS: String(clock.offsetMs),
        },
      });
    } finally {
      invocations.delete(invocationId);
      roundTrips.end(invocationId);
    }
  };
  const invoke = async (name: string, event: unknown, openid: string): Promise<unknown> =>
    JSON.parse(await invokeJson(name, event, openid)) as unknown;

  const sandboxes = new Sandboxes({
    store,
    appId,
    invoke,
    clock,
    openApiPermissions: (name) => configs.get(name)?.openapi,
  });
  const storage = new LocalStorage({
    dataDir: options.dataDir,
    envId,
    clock,
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    // The URLs storage hands out are fetched by functions on this machine and by the preview's browser.
    baseUrl: () => `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
  });
  const timers = new TimerScheduler(
    [...configs.values()].flatMap((config) => config.triggers),
    {
      clock,
      // A trigger has no caller: no OPENID, as in the cloud.
      run: (trigger, event) => invoke(trigger.functionName, event, ''),
      log: (line) => console.log(JSON.stringify(line)),
      scheduled: options.timers ?? true,
    },
  );
  const pingan = new PingAnSandbox({ now: () => clock.now() });
  // The HTTP access service: no openid ever, as in the cloud.
  const httpAccess = new HttpAccess({ routes: httpRoutes, envId, invoke });

  const handleAdmin = async (body: unknown, invocationId: string | undefined): Promise<AdminReply | RawReply> => {
    const caller = invocationId ? invocations.get(invocationId) : undefined;
    if (invocationId && caller) roundTrips.count(invocationId, body);
    const openid = caller?.openid ?? '';
    return handleAdminRequest(body, {
      store,
      now: () => clock.now(),
      requestId: randomUUID(),
      openid,
      storage,
      invokeFunction: (name, event) => invoke(name, event, openid),
      openApi: (action, request) => sandboxes.openApi(action, request, { openid, functionName: caller?.name ?? null }),
    });
  };

  const server = http.createServer((req, res) => {
    if (options.previewDir !== undefined && servePreview(options.previewDir, req, res)) return;
    if (options.consoleDir !== undefined && serveConsole(options.consoleDir, req, res)) return;
    // Storage streams its own bodies (files past the JSON body limit) and answers COS-style XML.
    if (storage.handles(req)) {
      void storage.handle(req, res);
      return;
    }
    // Any method (OPTIONS included), its own headers and body: it answers as CloudBase's gateway would.
    if (httpAccess.handles(req)) {
      void httpAccess.handle(req, res);
      return;
    }
    void route(req).then(
      ({ status, body }) => (body instanceof RawReply ? sendRaw(res, body) : send(res, status, body)),
      (error: unknown) => {
        if (error instanceof HttpError) send(res, error.status, { errCode: error.errCode, errMsg: error.message });
        else
          send(res, 500, {
            errCode: 'INTERNAL',
            errMsg: (error as Partial<Error> | undefined)?.message ?? String(error),
          });
      },
    );
  });

  async function route(req: http.IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://local');
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && url.pathname === '/health') {
      return {
        status: 200,
        body: {
          ok: true,
          envId,
          functions: pool?.functionNames ?? [],
          http: Object.fromEntries(httpRoutes),
          store: store.stats(),
          instances: pool?.stats() ?? {},
        },
      };
    }
    if (req.method === 'GET' && url.pathname === '/stats') {
      return { status: 200, body: { store: store.stats(), roundTrips: roundTrips.summary() } };
    }
    if (parts[0] === 'sandbox') {
      const body = req.method === 'POST' ? await readBody(req) : {};
      if (parts[1] === 'pingan') return pingan.handleHttp(req.method ?? 'GET', parts.slice(2), body);
      const reply = await sandboxes.handleHttp(req.method ?? 'GET', parts.slice(1), url.searchParams, body);
      return { status: reply.status, body: reply.body };
    }
    if (req.method === 'GET' && url.pathname === '/timers') return { status: 200, body: { timers: timers.list() } };
    if (parts[0] === 'timers' && req.method === 'POST') {
      if (parts.length !== 3) throw new HttpError(404, 'NOT_FOUND', 'POST /timers/<function>/<trigger>');
      const trigger = timers.find(parts[1] ?? '', parts[2] ?? '');
      if (!trigger)
        throw new HttpError(
          404,
          'TRIGGER_NOT_FOUND',
          `no timer trigger ${parts[2]} on function ${parts[1]} (GET /timers lists them)`,
        );
      const body = await readBody(req);
      const time = isRecord(body) && typeof body['time'] === 'string' ? new Date(body['time']) : clock.now();
      if (Number.isNaN(time.getTime()))
        throw new HttpError(400, 'INVALID_TIME', 'time must be an ISO 8601 date, e.g. "2024-05-01T18:00:00Z"');
      try {
        return { status: 200, body: await timers.fire(trigger, time) };
      } catch (error) {
        if (error instanceof FunctionError) throw new HttpError(500, String(error.errCode), error.errMsg);
        throw error;
      }
    }
    if (req.method !== 'POST') throw new HttpError(404, 'NOT_FOUND', `no route for ${req.method} ${url.pathname}`);
    const body = await readBody(req);
    if (parts[0] === 'admin') {
      // The SDK's own endpoint: /admin or /admin/inv/<invocationId>.
      const invocationId = parts[1] === 'inv' ? parts[2] : undefined;
      return { status: 200, body: await handleAdmin(body, invocationId) };
    }
    if (parts[0] === 'functions' && parts.length === 2) {
      const name = parts[1] ?? '';
      // Absent header = a server-to-server call (WeChat's invokecloudfunction HTTP API): no OPENID in the context.
      const openid = req.headers['x-wx-openid'] ?? '';
      if (typeof openid !== 'string' || (openid !== '' && !OPENID_PATTERN.test(openid))) {
        throw new HttpError(
          400,
          'INVALID_OPENID',
          'header X-WX-OPENID must be the caller openid: 1-64 of [A-Za-z0-9_-]',
        );
      }
      if (!pool?.has(name)) throw new HttpError(404, 'FUNCTION_NOT_FOUND', `no cloud function named ${name}`);
      try {
        // The instance's JSON text goes out as it is: decoding and encoding it here would cost the one busy thread.
        const json = await invokeJson(name, body, openid);
        return { status: 200, body: new RawReply(Buffer.from(json, 'utf8'), 'application/json; charset=utf-8') };
      } catch (error) {
        if (error instanceof FunctionError) throw new HttpError(500, String(error.errCode), error.errMsg);
        throw error;
      }
    }
    throw new HttpError(404, 'NOT_FOUND', `no route for POST ${url.pathname}`);
  }

  // Function instances keep their connections to /admin open (Node's agent drops an idle one after 5 s): the
  // server must not close one first, or a request sent on it in that moment fails with ECONNRESET.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  pool = new FunctionPool({
    functionsRoot: options.functionsRoot,
    workerFile: options.workerFile,
    port,
    envId,
    appId,
    maxInstancesPerFunction: options.maxInstancesPerFunction ?? 4,
    timeLimitMs: options.timeLimitMs ?? 20_000,
  });
  const readyPool = pool;
  timers.start();

  return {
    url: `http://${host}:${port}`,
    port,
    store,
    pool: readyPool,
    clock,
    timers,
    storage,
    callFunction: invoke,
    async close() {
      timers.stop();
      // Stop taking requests, end running functions as a stopped container would, then drop what is still open:
      // waiting for in-flight invocations held Ctrl-C / SIGTERM for up to the function time limit.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await readyPool.close();
      server.closeAllConnections();
      await closed;
      sandboxes.close();
      store.close();
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** WeChat adds the caller to the event of a function called from a mini program. */
function withUserInfo(event: unknown, openid: string, appId: string): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event) || !openid) return event;
  return { ...event, userInfo: { appId, openId: openid } };
}

/**
 * JSON bodies, and the multipart form the SDK uses for open-API calls (wx.openApi / wx.wxPayApi), whose file
 * parts arrive as Buffers.
 */
async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const raw = await readRaw(req);
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    try {
      return parseMultipart(raw, type);
    } catch (error) {
      throw new HttpError(
        400,
        'INVALID_MULTIPART',
        `request body is not valid multipart/form-data: ${(error as Error).message}`,
      );
    }
  }
  const text = raw.toString('utf8');
  if (text.trim() === '') return {};
  if (nestingDepth(text) > MAX_JSON_DEPTH)
    throw new HttpError(400, 'INVALID_JSON', `request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'INVALID_JSON', 'request body is not valid JSON');
  }
}

/** How deep objects and arrays nest in a JSON text (strings skipped), without parsing it. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i += 1; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth -= 1;
  }
  return max;
}

function readRaw(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, 'BODY_TOO_LARGE', `request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Open-API answers are raw bytes; the SDK reads `application/json; charset=utf-8` as an error, so success uses another type. */
function sendRaw(res: http.ServerResponse, reply: RawReply): void {
  if (res.headersSent) return;
  res.writeHead(200, { 'content-type': reply.contentType, 'content-length': reply.bytes.length });
  res.end(reply.bytes);
}
