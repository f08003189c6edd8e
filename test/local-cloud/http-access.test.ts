/**
 * The HTTP access service on the local cloud (`<method> /http/<path>`, routes in <functions>/http-access.json): the
 * integration request a function receives (the fixture `echo` shows it), how its return value becomes the HTTP
 * response, path matching, CORS preflight, and the real `admin` function reached over HTTP answering its envelope.
 */
import { FIXTURE_FUNCTIONS, useLocalCloud } from '../helpers/local-cloud';
import { policeOf } from '../helpers/police';

jest.setTimeout(30_000);
const fixtures = useLocalCloud({ functions: FIXTURE_FUNCTIONS, instances: 2 });
const project = useLocalCloud({ instances: 2 });

interface Echo {
  event: {
    path: string;
    httpMethod: string;
    headers: Record<string, string>;
    multiValueHeaders: Record<string, string[]>;
    queryStringParameters: Record<string, string>;
    requestContext: { requestId: string; envId: string; appId: number; uin: number; sourceIp: string };
    body: string;
    isBase64Encoded: boolean;
  };
  openid: string | null;
}

describe('the integration request', () => {
  it('carries path, method, lower-case headers, query, context with the source address and the body as text', async () => {
    const body = JSON.stringify({ action: 'listFaults', note: '南宁' });
    const { status, body: echo } = await fixtures().request<Echo>('POST', '/http/echo?status=open&page=2', body, {
      'Content-Type': 'application/json',
      Authorization: 'Bearer secret-token',
      'X-Console-Version': '1.2.0',
      // A header that names a WeChat user gives no identity over HTTP.
      'X-WX-OPENID': 'o-pretender',
    });
    expect(status).toBe(200);
    expect(echo.openid).toBeNull();
    expect(echo.event).toMatchObject({
      path: '/echo',
      httpMethod: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer secret-token',
        'x-console-version': '1.2.0',
        'x-forwarded-for': '127.0.0.1',
      },
      multiValueHeaders: { authorization: ['Bearer secret-token'] },
      queryStringParameters: { status: 'open', page: '2' },
      requestContext: { envId: 'local', sourceIp: '127.0.0.1' },
      body,
      isBase64Encoded: false,
    });
    expect(echo.event.requestContext.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof echo.event.requestContext.appId).toBe('number');
    expect(Object.keys(echo.event.headers).every((name) => name === name.toLowerCase())).toBe(true);
    // No userInfo: WeChat adds it only to a mini program's calls.
    expect(echo.event).not.toHaveProperty('userInfo');
  });

  it("appends the client's address to an X-Forwarded-For it was sent, as a proxy does", async () => {
    const { body } = await fixtures().request<Echo>('POST', '/http/echo', '{}', {
      'x-forwarded-for': '198.51.100.7',
    });
    expect(body.event.headers['x-forwarded-for']).toBe('198.51.100.7, 127.0.0.1');
  });

  it('hands a binary body over in base64, and an empty one as an empty string', async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 0x7b]);
    const { body } = await fixtures().request<Echo>('POST', '/http/echo', bytes.toString('latin1'), {
      'content-type': 'application/octet-stream',
    });
    expect(body.event.isBase64Encoded).toBe(true);
    expect(Buffer.from(body.event.body, 'base64').length).toBeGreaterThan(0);
    const empty = await fixtures().request<Echo>('GET', '/http/echo');
    expect(empty.body.event).toMatchObject({ httpMethod: 'GET', body: '', isBase64Encoded: false });
  });
});

describe('paths', () => {
  it('reach the longest mapped path that covers them; anything else is 404', async () => {
    const sub = await fixtures().request<Echo>('POST', '/http/echo/sub/path', '{}');
    expect(sub.body.event.path).toBe('/echo/sub/path');
    // /echo/deeper is mapped to whoami, which answers the caller's identity
    const deeper = await fixtures().request<{ openid: string | null }>('POST', '/http/echo/deeper', '{}');
    expect(deeper.status).toBe(200);
    expect(deeper.body).toMatchObject({ openid: null, userInfo: null });
    for (const path of ['/http/echoes', '/http/nothing', '/http', '/http/']) {
      const missing = await fixtures().request<{ errCode: string }>('POST', path, '{}');
      expect({ path, status: missing.status, errCode: missing.body.errCode }).toEqual({
        path,
        status: 404,
        errCode: 'HTTP_ROUTE_NOT_FOUND',
      });
    }
  });

  it('are listed by /health', async () => {
    const { body } = await fixtures().request<{ http: Record<string, string> }>('GET', '/health');
    expect(body.http).toEqual({ '/echo': 'echo', '/echo/deeper': 'whoami' });
    const real = await project().request<{ http: Record<string, string> }>('GET', '/health');
    expect(real.body.http).toEqual({ '/police': 'admin' });
  });
});

describe('the response', () => {
  const replying = (reply: unknown) =>
    fixtures().request('POST', '/http/echo', JSON.stringify({ reply }), {
      'content-type': 'application/json',
    });

  it('is an integration response as the function gives it', async () => {
    const { status, body } = await replying({
      statusCode: 201,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Request-Cost': 3 },
      body: '<b>已创建</b>',
    });
    expect(status).toBe(201);
    expect(body).toBe('<b>已创建</b>');
    const base64 = await replying({
      statusCode: 200,
      body: Buffer.from('解码').toString('base64'),
      isBase64Encoded: true,
    });
    expect(base64.body).toBe('解码');
  });

  it('is JSON with status 200 for an object, text for a string or a number', async () => {
    expect(await replying({ ok: true, data: { n: 1 } })).toEqual({ status: 200, body: { ok: true, data: { n: 1 } } });
    expect(await replying('hello gateway')).toEqual({ status: 200, body: 'hello gateway' });
    expect(await replying(42)).toEqual({ status: 200, body: 42 });
  });
});

describe('CORS', () => {
  const origin = 'http://localhost:5173';

  it('answers a preflight for a mapped path without running the function', async () => {
    const { status, body } = await fixtures().request('OPTIONS', '/http/echo', undefined, {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    });
    expect(status).toBe(204);
    expect(body).toBe('');
    const raw = await rawHeaders('OPTIONS', '/http/echo', {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    });
    expect(raw).toMatchObject({
      'access-control-allow-origin': origin,
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    });
    expect(raw['access-control-allow-methods']).toContain('POST');
    expect(raw['access-control-allow-credentials']).toBeNull();
    expect((await fixtures().request('OPTIONS', '/http/nothing', undefined, { origin })).status).toBe(404);
  });

  it('allows the browser to read the answer of a call from another origin', async () => {
    const raw = await rawHeaders('POST', '/http/echo', { origin, 'content-type': 'application/json' }, '{}');
    expect(raw).toMatchObject({ 'access-control-allow-origin': origin, vary: 'Origin' });
  });

  /** The CORS headers of a response, as a browser reads them (null when absent). */
  async function rawHeaders(
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<Record<string, string | null>> {
    const res = await fetch(`${fixtures().url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    await res.arrayBuffer();
    const names = ['allow-origin', 'allow-headers', 'allow-methods', 'allow-credentials', 'max-age'];
    return {
      ...Object.fromEntries(names.map((name) => [`access-control-${name}`, res.headers.get(`access-control-${name}`)])),
      vary: res.headers.get('vary'),
    };
  }
});

describe('the admin function over HTTP', () => {
  const police = (body: string, headers: Record<string, string> = {}) =>
    project().request('POST', '/http/police', body, { 'content-type': 'application/json', ...headers });

  it('answers its normal envelope to an officer session sent as a bearer, and FORBIDDEN without one', async () => {
    const session = await policeOf(project()).credentialFor('refundQueue');
    const reply = await police(JSON.stringify({ action: 'refundQueue' }), { authorization: `Bearer ${session}` });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ ok: true, data: {} });
    // The deployer's bootstrap secret opens nothing but bootstrapOfficer.
    expect(await police(JSON.stringify({ action: 'refundQueue', adminToken: project().adminToken }))).toMatchObject({
      body: { ok: false, code: 'FORBIDDEN' },
    });
    expect(await police(JSON.stringify({ action: 'refundQueue' }))).toEqual({
      status: 200,
      body: { ok: false, code: 'FORBIDDEN', message: expect.any(String) as string },
    });
  });

  it('answers a body that is not a JSON object INVALID_ARGUMENT, naming the body', async () => {
    for (const body of ['{', '[1,2]', 'null'])
      expect(await police(body, { authorization: 'Bearer x' })).toMatchObject({
        status: 200,
        body: { ok: false, code: 'INVALID_ARGUMENT', details: { field: 'body' } },
      });
  });

  it('a mini-program caller without a credential is FORBIDDEN, even dressed as an HTTP call', async () => {
    const token = project().adminToken;
    expect((await project().call('admin', { action: 'refundQueue' }, 'o-http-user')).body).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
    // An openid means the call came from WeChat, never through the gateway: its event is read as it is.
    const dressed = {
      path: '/police',
      httpMethod: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ action: 'refundQueue', adminToken: token }),
      isBase64Encoded: false,
    };
    expect((await project().call('admin', dressed, 'o-http-user')).body).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    });
  });

  it('never runs a timer from a body that says it is one', async () => {
    const timer = { Type: 'Timer', TriggerName: 'daily', Time: new Date().toISOString() };
    const event = { path: '/reminder', httpMethod: 'POST', headers: {}, body: JSON.stringify(timer) };
    // Without an openid (a server-to-server call) the HTTP shape is unwrapped, and the body is no trigger.
    expect((await project().call('reminder', event)).body).toMatchObject({ ok: false, code: 'INVALID_ARGUMENT' });
  });
});
