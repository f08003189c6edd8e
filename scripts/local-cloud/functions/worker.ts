/**
 * One function instance, as the cloud runs it: a container with its own process.env that serves one invocation at
 * a time. The SDK reads the caller's identity and the cloud's address from process.env on every call, so the env is
 * set per invocation; worker threads each own a copy of process.env, so instances never see each other's openid.
 */
import { parentPort, workerData } from 'node:worker_threads';
import path from 'node:path';
import { preloadSdk } from './preload-sdk';

export interface InstanceData {
  functionName: string;
  functionDir: string;
  port: number;
  envId: string;
  appId: string;
}

export interface InvokeMessage {
  invocationId: string;
  event: unknown;
  openid: string;
  /** Where the instance's SDK requests go; carries the invocation id so the local cloud can count round trips. */
  adminUrl: string;
  timeLimitMs: number;
  /** Variables the local cloud sets per invocation (sandbox addresses, its clock). */
  env: Record<string, string>;
}

export type ResultMessage =
  /** json: the return value as JSON text, so the local cloud can send it on without cloning or encoding it again. */
  | { invocationId: string; ok: true; json: string }
  | { invocationId: string; ok: false; errCode: number | string; errMsg: string };

const data = workerData as InstanceData;
const port = parentPort;
if (!port) throw new Error('worker.ts must run as a worker thread');

// The same variables the cloud sets in a function's container; dummy secrets satisfy the SDK's signer. A worker's
// own process.env is a native store, each read a trip into C++ under a lock, and the SDK reads about twenty variables
// on every request: the instance keeps its env as a plain object instead (still its own, as in a container).
process.env = {
  ...process.env,
  TENCENTCLOUD_RUNENV: 'SCF',
  TENCENTCLOUD_REGION: 'ap-shanghai',
  TENCENTCLOUD_SECRETID: 'local-cloud',
  TENCENTCLOUD_SECRETKEY: 'local-cloud',
  SCF_NAMESPACE: data.envId,
  SCF_FUNCTIONNAME: data.functionName,
  TCB_ENV: data.envId,
  WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP',
  WX_APPID: data.appId,
  WX_CLIENTIP: '127.0.0.1',
  SILENCE: 'true',
};

type Main = (event: unknown, context: unknown) => unknown;
const sdk = preloadSdk(data.functionDir);
// Loaded once per instance, like a warm container: module-level state (cloud.init, caches) lives as long as the instance.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loaded = require(path.join(data.functionDir, 'index.js')) as { main?: Main };
const main = loaded.main;

port.on('message', (message: InvokeMessage) => {
  void invoke(message).then((reply) => {
    port.postMessage(reply);
    sdk.saveCodeCache();
  });
});

async function invoke(message: InvokeMessage): Promise<ResultMessage> {
  const { invocationId } = message;
  // No openid (a server-to-server call or a trigger) means no OPENID in getWXContext(), as in the cloud.
  if (message.openid) process.env['WX_OPENID'] = message.openid;
  else delete process.env['WX_OPENID'];
  process.env['TCB_CONTEXT_CNFG'] = JSON.stringify({ URL: message.adminUrl });
  Object.assign(process.env, message.env);
  try {
    if (typeof main !== 'function') throw new Error(`function ${data.functionName} does not export main`);
    const context = {
      request_id: invocationId,
      function_name: data.functionName,
      function_version: '$LATEST',
      namespace: data.envId,
      memory_limit_in_mb: 256,
      time_limit_in_ms: message.timeLimitMs,
    };
    const result = await main(message.event, context);
    // What WeChat hands back to the caller is JSON: anything else is dropped the same way here.
    const json = result === undefined ? 'null' : (JSON.stringify(result) as string | undefined);
    if (json === undefined) throw new Error(`the function returned ${typeof result}, which JSON cannot carry`);
    return { invocationId, ok: true, json };
  } catch (error) {
    const e = error as { errCode?: unknown; errMsg?: unknown; message?: unknown } | null | undefined;
    const errCode = typeof e?.errCode === 'number' || typeof e?.errCode === 'string' ? e.errCode : -504002;
    const errMsg =
      typeof e?.errMsg === 'string' ? e.errMsg : typeof e?.message === 'string' ? e.message : String(error);
    return { invocationId, ok: false, errCode, errMsg: `functions execute fail | ${errMsg}` };
  }
}
