/**
 * The unwrapping of CloudBase's HTTP access events on its own (cloudfunctions/_shared/http-access.ts): the call its
 * JSON body carries, the bearer token and the client's address; anything else is left alone, and no event, however
 * malformed, makes it throw.
 */
import { unwrapHttpEvent } from '../../cloudfunctions/_shared/http-access';

/** An integration request as CloudBase builds one for a POST to /police. */
function request(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    path: '/police',
    httpMethod: 'POST',
    headers: { host: 'env-id.service.tcloudbase.com', 'content-type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: {},
    requestContext: { requestId: 'cdbb96328072184d19d3fcd243e8cc4d', envId: 'env-id', appId: 123, uin: 456 },
    body: '{"action":"listFaults"}',
    isBase64Encoded: false,
    ...overrides,
  };
}

describe('what is an HTTP access event', () => {
  it('leaves every other event alone', () => {
    for (const event of [
      undefined,
      null,
      0,
      'text',
      [],
      {},
      { action: 'list' },
      { Type: 'Timer', TriggerName: 'daily' },
      { httpMethod: 'POST' },
      { path: '/police' },
      { httpMethod: 1, path: '/police' },
      [request()],
    ])
      expect(unwrapHttpEvent(event)).toEqual({ kind: 'none' });
  });

  it('unwraps the JSON body into the call, with no bearer or address when none were given', () => {
    expect(unwrapHttpEvent(request({ body: '{"action":"listFaults","status":"open"}' }))).toEqual({
      kind: 'call',
      event: { action: 'listFaults', status: 'open' },
      origin: { bearer: null, sourceIp: null },
    });
  });

  it('reads a base64 body (isBase64Encoded true, or "true" as some gateways write it)', () => {
    const body = Buffer.from('{"action":"refundQueue","note":"退款"}').toString('base64');
    for (const flag of [true, 'true'])
      expect(unwrapHttpEvent(request({ body, isBase64Encoded: flag }))).toMatchObject({
        kind: 'call',
        event: { action: 'refundQueue', note: '退款' },
      });
    // false as a string is no flag: the text is read as it is
    expect(unwrapHttpEvent(request({ body, isBase64Encoded: 'false' }))).toMatchObject({ kind: 'invalid' });
  });

  it('takes an empty or missing body as an empty call (which the parser then refuses for its missing action)', () => {
    for (const body of ['', '   ', undefined, null])
      expect(unwrapHttpEvent(request({ body }))).toMatchObject({ kind: 'call', event: {} });
  });

  it('answers a body that is not a JSON object as invalid, never throwing', () => {
    const bodies: unknown[] = [
      '{',
      'not json',
      '[]',
      '[{"action":"x"}]',
      'null',
      '42',
      '"text"',
      'true',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      { action: 'listFaults' },
      42,
      ['{"action":"x"}'],
      'x'.repeat(9 * 1024 * 1024),
    ];
    for (const body of bodies) {
      const result = unwrapHttpEvent(request({ body }));
      expect(result.kind).toBe('invalid');
      if (result.kind === 'invalid') expect(result.message).toMatch(/请求体/);
    }
    for (const body of ['not base64!', 'abc', '====', 'e30=x'])
      expect(unwrapHttpEvent(request({ body, isBase64Encoded: true }))).toMatchObject({ kind: 'invalid' });
    // base64 of text that is not JSON
    expect(
      unwrapHttpEvent(request({ body: Buffer.from('{oops').toString('base64'), isBase64Encoded: true })),
    ).toMatchObject({ kind: 'invalid', message: '请求体不是有效的 JSON。' });
  });

  it('survives malformed headers and contexts', () => {
    for (const overrides of [
      { headers: undefined },
      { headers: null },
      { headers: 'authorization: Bearer x' },
      { headers: [['authorization', 'Bearer x']] },
      { headers: { authorization: 42 } },
      { headers: { authorization: ['Bearer', 'x'] } },
      { requestContext: null },
      { requestContext: 'ctx' },
      { requestContext: { sourceIp: 12 } },
      { headers: { 'x-forwarded-for': { first: '1.2.3.4' } } },
    ])
      expect(unwrapHttpEvent(request(overrides))).toMatchObject({
        kind: 'call',
        origin: { bearer: null, sourceIp: null },
      });
  });
});

describe('the bearer token', () => {
  const bearer = (headers: Record<string, unknown>): string | null => {
    const result = unwrapHttpEvent(request({ headers }));
    return result.kind === 'none' ? null : result.origin.bearer;
  };

  it('comes from Authorization: Bearer, header name and scheme in any case', () => {
    expect(bearer({ authorization: 'Bearer abc.def-123' })).toBe('abc.def-123');
    expect(bearer({ Authorization: 'bearer abc' })).toBe('abc');
    expect(bearer({ AUTHORIZATION: '  BEARER   abc  ' })).toBe('abc');
    expect(bearer({ authorization: ['Bearer first', 'Bearer second'] })).toBe('first');
  });

  it('is null for another scheme, an empty token or a token with spaces', () => {
    for (const value of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'abc', 'Bearer a b', 'Token abc', ''])
      expect(bearer({ authorization: value })).toBeNull();
  });

  it('is read on an invalid body too, so the caller can still be told apart', () => {
    expect(unwrapHttpEvent(request({ headers: { authorization: 'Bearer t' }, body: '{' }))).toMatchObject({
      kind: 'invalid',
      origin: { bearer: 't' },
    });
  });
});

describe('the source address', () => {
  const sourceIp = (overrides: Record<string, unknown>): string | null => {
    const result = unwrapHttpEvent(request(overrides));
    return result.kind === 'none' ? null : result.origin.sourceIp;
  };

  it("is the gateway's requestContext.sourceIp first", () => {
    expect(
      sourceIp({
        requestContext: { sourceIp: '203.0.113.7' },
        headers: { 'x-forwarded-for': '198.51.100.1' },
      }),
    ).toBe('203.0.113.7');
  });

  it('else the first hop of X-Forwarded-For', () => {
    expect(sourceIp({ headers: { 'x-forwarded-for': '198.51.100.1, 10.0.0.1, 10.0.0.2' } })).toBe('198.51.100.1');
    expect(sourceIp({ headers: { 'X-Forwarded-For': ' 198.51.100.1 ' } })).toBe('198.51.100.1');
    expect(sourceIp({ requestContext: { sourceIp: 'garbage' }, headers: { 'x-forwarded-for': '198.51.100.1' } })).toBe(
      '198.51.100.1',
    );
  });

  it('is written one way per address: IPv4-mapped IPv6 as IPv4, IPv6 in lower case, ports and brackets dropped', () => {
    expect(sourceIp({ requestContext: { sourceIp: '::ffff:127.0.0.1' } })).toBe('127.0.0.1');
    expect(sourceIp({ requestContext: { sourceIp: '2001:DB8::1' } })).toBe('2001:db8::1');
    expect(sourceIp({ requestContext: { sourceIp: '[2001:db8::1]:443' } })).toBe('2001:db8::1');
    expect(sourceIp({ requestContext: { sourceIp: '203.0.113.7:5678' } })).toBe('203.0.113.7');
  });

  it('is null when nothing names an address', () => {
    for (const value of ['', 'unknown', 'localhost', '999.1.1.1', '1.2.3', '<script>', ' , 1.2.3.4'])
      expect(sourceIp({ requestContext: { sourceIp: value }, headers: { 'x-forwarded-for': value } })).toBeNull();
  });
});
