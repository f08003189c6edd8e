/**
 * CloudBase's HTTP access service (HTTP 访问服务) on the local cloud: `<method> /http/<path>` reaches the function
 * that `<functionsRoot>/http-access.json` maps `/<path>` to, the way `https://<env>.service.tcloudbase.com/<path>`
 * does in production. The request becomes the integration request CloudBase builds (lower-case headers, the body as
 * a string, base64 when it is not text, requestContext), the function runs with no openid, and its return value
 * becomes the HTTP response the gateway would send. Preflight OPTIONS is answered here, as the gateway answers it
 * for the environment's Web security domains.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FunctionError } from './functions/pool';

/** The file, beside the function folders, that says which paths reach which function. */
const HTTP_ROUTES_FILE = 'http-access.json';
/** Where the mapped paths live on the local cloud: `/police` is served at `/http/police`. */
const HTTP_PREFIX = '/http';

const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** A trigger path as the console accepts one: `/`, or segments of URL-safe characters, no trailing slash. */
const ROUTE_PATTERN = /^\/$|^(\/[\w.~-]+)+$/;
/** Bodies of these types are handed over in base64, as CloudBase does with binary bodies. */
const BINARY_TYPES =
  /^(application\/octet-stream|image\/|audio\/|video\/|multipart\/|application\/zip|application\/pdf)/i;
/** The account fields CloudBase fills in requestContext; the local cloud has none, so fixed stand-ins. */
const LOCAL_APP_ID = 1_000_000_000;
const LOCAL_UIN = 100_000_000_000;

class HttpRoutesError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the routes file (absent = nothing exposed). A path that is malformed or names no function stops the start,
 * as a console would refuse it, so a typo is found on a laptop.
 */
export function readHttpRoutes(functionsRoot: string, functionNames: readonly string[]): ReadonlyMap<string, string> {
  const file = path.join(functionsRoot, HTTP_ROUTES_FILE);
  if (!existsSync(file)) return new Map();
  const fail = (reason: string): never => {
    throw new HttpRoutesError(`${file}: ${reason}`);
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(parsed)) return fail('must be a JSON object such as { "/police": "admin" }');
  const routes = new Map<string, string>();
  for (const [route, name] of Object.entries(parsed)) {
    if (!ROUTE_PATTERN.test(route)) fail(`"${route}" is not a path such as "/police"`);
    if (typeof name !== 'string' || !functionNames.includes(name))
      fail(`"${route}" names ${JSON.stringify(name)}, which is not a function in ${functionsRoot}`);
    routes.set(route, String(name));
  }
  return routes;
}

/** The function a request path reaches: the longest mapped path equal to it or a folder above it. */
function matchRoute(routes: ReadonlyMap<string, string>, requestPath: string): string | null {
  let best: { route: string; name: string } | null = null;
  for (const [route, name] of routes) {
    const covers = route === '/' || requestPath === route || requestPath.startsWith(`${route}/`);
    if (covers && (best === null || route.length > best.route.length)) best = { route, name };
  }
  return best?.name ?? null;
}

/** What CORS needs on every answer to a browser: the local cloud allows any origin (no cookies are ever used). */
function corsHeaders(req: http.IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (origin === undefined) return {};
  return { 'access-control-allow-origin': origin, vary: 'Origin' };
}

function preflightHeaders(req: http.IncomingMessage): Record<string, string> {
  const asked = req.headers['access-control-request-headers'];
  return {
    ...corsHeaders(req),
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    // The console sends its session as a bearer token and its calls as JSON.
    'access-control-allow-headers': typeof asked === 'string' && asked !== '' ? asked : 'authorization, content-type',
    'access-control-max-age': '600',
  };
}

export interface IntegrationRequest {
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string>;
  requestContext: { requestId: string; envId: string; appId: number; uin: number; sourceIp: string };
  body: string;
  isBase64Encoded: boolean;
}

function textOf(bytes: Buffer, contentType: string): string | null {
  if (BINARY_TYPES.test(contentType)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The integration request for `req`, as the gateway builds it; the client's address is appended to X-Forwarded-For as a proxy does. */
function integrationRequest(
  req: http.IncomingMessage,
  requestPath: string,
  query: URLSearchParams,
  body: Buffer,
  envId: string,
): IntegrationRequest {
  const sourceIp = req.socket.remoteAddress ?? '';
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(req.headersDistinct)) if (values) multiValueHeaders[name] = values;
  const forwarded = multiValueHeaders['x-forwarded-for'] ?? [];
  multiValueHeaders['x-forwarded-for'] = [[...forwarded, sourceIp].join(', ')];
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multiValueHeaders)) headers[name] = values.join(', ');
  const queryStringParameters: Record<string, string> = {};
  for (const [name, value] of query) queryStringParameters[name] = value;
  const text = textOf(body, req.headers['content-type'] ?? '');
  return {
    path: requestPath,
    httpMethod: req.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters,
    requestContext: {
      requestId: randomUUID().replace(/-/g, ''),
      envId,
      appId: LOCAL_APP_ID,
      uin: LOCAL_UIN,
      sourceIp,
    },
    body: text ?? body.toString('base64'),
    isBase64Encoded: text === null,
  };
}

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function json(status: number, value: unknown): HttpReply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify(value ?? null)),
  };
}

/**
 * A function's return value as the gateway answers it: an integration response (`statusCode`, `headers`, `body`,
 * `isBase64Encoded`) as it says; a string or number as text; anything else as JSON, all with status 200.
 */
function integrationResponse(result: unknown): HttpReply {
  if (isRecord(result) && typeof result['statusCode'] === 'number') {
    const status = Math.trunc(result['statusCode']);
    const headers: Record<string, string> = {};
    const given = result['headers'];
    if (isRecord(given))
      for (const [name, value] of Object.entries(given))
        if (typeof value === 'string' || typeof value === 'number') headers[name.toLowerCase()] = String(value);
    const raw = result['body'];
    const text = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : JSON.stringify(raw);
    const base64 = result['isBase64Encoded'] === true || result['isBase64Encoded'] === 'true';
    return {
      status: status >= 100 && status <= 599 ? status : 502,
      headers,
      body: base64 ? Buffer.from(text, 'base64') : Buffer.from(text),
    };
  }
  if (typeof result === 'string' || typeof result === 'number')
    return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(String(result)) };
  return json(200, result);
}

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface HttpAccessOptions {
  routes: ReadonlyMap<string, string>;
  envId: string;
  /** Runs a function as the cloud does; the openid is always '' here. */
  invoke: (name: string, event: unknown, openid: string) => Promise<unknown>;
}

export class HttpAccess {
  constructor(private readonly options: HttpAccessOptions) {}

  handles(req: http.IncomingMessage): boolean {
    const url = req.url ?? '/';
    return url === HTTP_PREFIX || url.startsWith(`${HTTP_PREFIX}/`) || url.startsWith(`${HTTP_PREFIX}?`);
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = await this.reply(req).catch((error: unknown): HttpReply =>
      error instanceof FunctionError
        ? json(500, { errCode: String(error.errCode), errMsg: error.errMsg })
        : json(500, { errCode: 'INTERNAL', errMsg: (error as Partial<Error> | undefined)?.message ?? String(error) }),
    );
    if (res.headersSent) return;
    res.writeHead(reply.status, {
      ...reply.headers,
      ...corsHeaders(req),
      'content-length': reply.body.length,
    });
    res.end(reply.body);
  }

  private async reply(req: http.IncomingMessage): Promise<HttpReply> {
    const url = new URL(req.url ?? '/', 'http://local');
    const requestPath = url.pathname.slice(HTTP_PREFIX.length) || '/';
    const name = matchRoute(this.options.routes, requestPath);
    if (name === null) {
      const mapped = [...this.options.routes.keys()].map((route) => `${HTTP_PREFIX}${route}`).join(', ');
      return json(404, {
        errCode: 'HTTP_ROUTE_NOT_FOUND',
        errMsg: `no HTTP access path ${requestPath} (mapped: ${mapped || 'none'}; see ${HTTP_ROUTES_FILE})`,
      });
    }
    if (req.method === 'OPTIONS') return { status: 204, headers: preflightHeaders(req), body: Buffer.alloc(0) };
    const body = await readBody(req);
    if (body === null)
      return json(413, { errCode: 'BODY_TOO_LARGE', errMsg: `request body over ${MAX_BODY_BYTES} bytes` });
    const event = integrationRequest(req, requestPath, url.searchParams, body, this.options.envId);
    return integrationResponse(await this.options.invoke(name, event, ''));
  }
}
