/**
 * HTTPS calls to WeChat's server APIs that cloud calls do not cover (face verification 2.0, subscribe messages).
 * WECHAT_API_BASE is https://api.weixin.qq.com in production; the local cloud points it at its sandbox.
 * APP_SECRET is configured on the function in the cloud console; the sandbox accepts any.
 */
import http from 'node:http';
import https from 'node:https';
import { cloud } from '../cloud';
import { textOf } from '../text';

const DEFAULT_BASE = 'https://api.weixin.qq.com';
const TIMEOUT_MS = 8000;

export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
  ) {
    super(`WeChat API error ${errcode}: ${errmsg}`);
  }
}

function base(): string {
  return process.env['WECHAT_API_BASE'] || DEFAULT_BASE;
}

/** POSTs JSON and parses the JSON answer; node's own http(s) so it runs on every cloud-function Node version. */
export function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const target = new URL(url);
  const payload = Buffer.from(JSON.stringify(body));
  const client = target.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
        timeout: TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          try {
            const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
            resolve(parsed as Record<string, unknown>);
          } catch {
            reject(new Error(`WeChat API ${target.pathname} answered ${res.statusCode} with no JSON`));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`WeChat API ${target.pathname} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

let cachedToken: { token: string; expiresAt: number; base: string } | null = null;

/** The stable access token (cgi-bin/stable_token), cached per instance until shortly before it expires. */
async function accessToken(): Promise<string> {
  const now = Date.now();
  if (cachedToken && cachedToken.base === base() && cachedToken.expiresAt > now) return cachedToken.token;
  const appid = cloud.getWXContext().APPID ?? process.env['WX_APPID'] ?? '';
  const reply = await postJson(`${base()}/cgi-bin/stable_token`, {
    grant_type: 'client_credential',
    appid,
    secret: process.env['APP_SECRET'] ?? '',
  });
  const token = reply['access_token'];
  if (typeof token !== 'string')
    throw new WechatApiError(Number(reply['errcode'] ?? -1), textOf(reply['errmsg'], 'no access_token'));
  const expiresIn = typeof reply['expires_in'] === 'number' ? reply['expires_in'] : 7200;
  cachedToken = { token, expiresAt: now + (expiresIn - 300) * 1000, base: base() };
  return token;
}

/**
 * Calls `path` with the access token; a WeChat error (errcode ≠ 0) is thrown as WechatApiError. A token WeChat no
 * longer accepts (invalid 40001 / expired 42001: refreshed elsewhere, AppSecret reset, clocks apart) is dropped and
 * the call made once more with a fresh one, so the driver does not pay for a stale cache with a failed step.
 */
export async function callWechatApi(path: string, body: unknown): Promise<Record<string, unknown>> {
  for (let attempt = 1; ; attempt += 1) {
    // a path may carry its own query (the OCR APIs take img_url there)
    const separator = path.includes('?') ? '&' : '?';
    const reply = await postJson(
      `${base()}${path}${separator}access_token=${encodeURIComponent(await accessToken())}`,
      body,
    );
    const errcode = Number(reply['errcode'] ?? 0);
    if (errcode === 40001 || errcode === 42001) {
      cachedToken = null;
      if (attempt === 1) continue;
    }
    if (errcode !== 0) throw new WechatApiError(errcode, textOf(reply['errmsg']));
    return reply;
  }
}
