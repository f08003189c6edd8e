/**
 * CloudBase's HTTP access service (HTTP 访问服务) hands a function an "integration request" instead of the caller's
 * event: `{ path, httpMethod, headers, multiValueHeaders, queryStringParameters, requestContext, body,
 * isBase64Encoded }`, headers named in lower case, the body a string (base64 when isBase64Encoded). This module
 * recognises one and unwraps it into the `{ action, ...params }` event its JSON body carries, plus what it says about
 * the sender. Pure: no SDK, no I/O, and no input makes it throw.
 */
import { isIP } from 'node:net';
import type { HttpOrigin } from './handler';

export type HttpUnwrap =
  /** Not an HTTP access event: the event is the call itself. */
  | { readonly kind: 'none' }
  | { readonly kind: 'call'; readonly event: Readonly<Record<string, unknown>>; readonly origin: HttpOrigin }
  /** An HTTP access event whose body is not a JSON object; `message` says why, in Chinese. */
  | { readonly kind: 'invalid'; readonly origin: HttpOrigin; readonly message: string };

/** Bodies past this are refused unread (the gateway's own limit is lower; this only bounds the work). */
const MAX_BODY_CHARS = 8 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The gateway always sends both; an event without them is a caller's own. */
function isHttpAccessEvent(event: unknown): event is Record<string, unknown> {
  return isRecord(event) && typeof event['httpMethod'] === 'string' && typeof event['path'] === 'string';
}

/** A header's value by name, whatever its case; the first value when several arrived. */
function header(headers: unknown, name: string): string | null {
  if (!isRecord(headers)) return null;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const value = headers[key];
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return null;
}

/** `Authorization: Bearer <token>` (scheme in any case); null for any other scheme or an empty token. */
function bearerOf(authorization: string | null): string | null {
  const match = authorization === null ? null : /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1] ?? null;
}

/** An IP address as a bucket key: IPv4-mapped IPv6 written as IPv4, IPv6 in lower case; null if it is not one. */
function normaliseIp(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  let ip = text.trim();
  // "[::1]" and "1.2.3.4:5678" as some proxies write them.
  if (ip.startsWith('[') && ip.includes(']')) ip = ip.slice(1, ip.indexOf(']'));
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1] !== undefined) ip = mapped[1];
  const version = isIP(ip);
  if (version === 4) return ip;
  if (version === 6) return ip.toLowerCase();
  return null;
}

/**
 * The client's address: the gateway's own `requestContext.sourceIp` when it gives one, else the first hop of
 * X-Forwarded-For (which the client itself may have written: good enough for a rate bucket, not for trust).
 */
function sourceIpOf(event: Record<string, unknown>): string | null {
  const context = event['requestContext'];
  const fromGateway = isRecord(context) ? normaliseIp(context['sourceIp']) : null;
  if (fromGateway !== null) return fromGateway;
  const forwarded = header(event['headers'], 'x-forwarded-for');
  return forwarded === null ? null : normaliseIp(forwarded.split(',')[0]);
}

function bodyText(event: Record<string, unknown>): string | { error: string } {
  const body = event['body'];
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') return { error: '请求体应为 JSON 文本。' };
  if (body.length > MAX_BODY_CHARS) return { error: '请求体过大。' };
  const encoded = event['isBase64Encoded'];
  if (encoded !== true && encoded !== 'true') return body;
  const compact = body.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return { error: '请求体的 Base64 编码有误。' };
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** An HTTP access event → the call its body carries; anything else → `none`. */
export function unwrapHttpEvent(event: unknown): HttpUnwrap {
  if (!isHttpAccessEvent(event)) return { kind: 'none' };
  const origin: HttpOrigin = {
    bearer: bearerOf(header(event['headers'], 'authorization')),
    sourceIp: sourceIpOf(event),
  };
  const text = bodyText(event);
  if (typeof text !== 'string') return { kind: 'invalid', origin, message: text.error };
  if (text.trim() === '') return { kind: 'call', event: {}, origin };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: 'invalid', origin, message: '请求体不是有效的 JSON。' };
  }
  if (!isRecord(parsed)) return { kind: 'invalid', origin, message: '请求体应为 JSON 对象，如 {"action": "…"}。' };
  return { kind: 'call', event: parsed, origin };
}
