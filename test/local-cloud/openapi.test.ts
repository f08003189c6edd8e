/**
 * `cloud.openapi.subscribeMessage.send` through the real wx-server-sdk's `wx.openApi` action (protobuf both ways),
 * from functions in a throwaway folder: one-time subscription credits granted by POST /sandbox/subscribe and spent
 * one per message, WeChat's errcodes (43101 without a credit, 40003/40037/47003 for a malformed message), the
 * config.json permission (-604101), other open APIs refused by name, and the HTTPS path agreeing on credits and outbox.
 */
import { rmSync } from 'node:fs';
import {
  decodeCommApiData,
  decodeCommOpenApiResp,
  encodeCommApiData,
  encodeCommOpenApiResp,
  ProtobufError,
} from '../../scripts/local-cloud/protocol/protobuf';
import { functionsFolder, pointSdkAt, sdk, useLocalCloud } from '../helpers/local-cloud';

jest.setTimeout(20_000);

// Each function answers what the SDK gave it, or the error it threw, so tests see exactly what a function would.
const SEND = `
const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
exports.main = async (event) => {
  try {
    const res = await cloud.openapi.subscribeMessage.send(event.message);
    return { ok: true, errCode: res.errCode, errMsg: res.errMsg, hasMsgid: res.msgid !== undefined };
  } catch (error) {
    return { ok: false, errCode: error.errCode, errMsg: error.errMsg };
  }
};`;
const OTHER_API = `
const cloud = require('wx-server-sdk');
cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV });
exports.main = async () => {
  try {
    return { ok: true, res: await cloud.openapi.security.msgSecCheck({ content: 'hello' }) };
  } catch (error) {
    return { ok: false, errCode: error.errCode, errMsg: error.errMsg };
  }
};`;

const folder = functionsFolder({
  notify: { source: SEND, config: { permissions: { openapi: ['subscribeMessage.send'] } } },
  undeclared: { source: SEND },
  checker: { source: OTHER_API, config: { permissions: { openapi: ['security.msgSecCheck'] } } },
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const cloud = useLocalCloud({ functions: folder, timers: false });

interface SendReply {
  ok: boolean;
  errCode: number;
  errMsg: string;
  hasMsgid?: boolean;
}

interface OutboxMessage {
  touser: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
  msgid: string;
  via: 'openapi' | 'https';
  sender: string | null;
}

let serial = 0;
/** A fresh openid and template per test, so credits never leak between tests. */
function fresh(): { openid: string; template: string } {
  serial += 1;
  return { openid: `o-sub-${serial}`, template: `TPL-${serial}-reminder` };
}

function message(touser: string, templateId: string): Record<string, unknown> {
  return {
    touser,
    templateId,
    page: 'pages/home/index',
    data: { thing1: { value: '年检到期提醒' }, date2: { value: '2024-05-01' } },
  };
}

async function send(functionName: string, msg: Record<string, unknown>): Promise<SendReply> {
  const { status, body } = await cloud().call<SendReply>(functionName, { message: msg }, 'o-caller');
  expect(status).toBe(200);
  return body;
}

async function grant(
  openid: string,
  templateIds: string[],
): Promise<{ status: number; body: { credits: Record<string, number>; result: Record<string, string> } }> {
  return cloud().request('POST', '/sandbox/subscribe', JSON.stringify({ openid, templateIds }), {
    'content-type': 'application/json',
  });
}

async function outbox(query: string): Promise<OutboxMessage[]> {
  const { body } = await cloud().request<{ messages: OutboxMessage[] }>('GET', `/sandbox/outbox?${query}`);
  return body.messages;
}

/** The HTTPS way a function can send (api.weixin.qq.com/cgi-bin/message/subscribe/send), on the sandbox. */
async function sendOverHttps(
  msg: Record<string, unknown>,
): Promise<{ errcode: number; errmsg: string; msgid?: number }> {
  const token = await cloud().request<{ access_token: string }>(
    'POST',
    '/sandbox/wechat/cgi-bin/stable_token',
    JSON.stringify({ grant_type: 'client_credential' }),
    {
      'content-type': 'application/json',
    },
  );
  const { body } = await cloud().request<{ errcode: number; errmsg: string; msgid?: number }>(
    'POST',
    `/sandbox/wechat/cgi-bin/message/subscribe/send?access_token=${token.body.access_token}`,
    JSON.stringify(msg),
    { 'content-type': 'application/json' },
  );
  return body;
}

describe('the protobuf codec', () => {
  it('round-trips a request and an answer, negative int32 error codes included', () => {
    const request = {
      apiType: 0,
      appid: 'wx123',
      pairs: [
        { key: 'touser', value: Buffer.from('"o-1"') },
        {
          key: 'data',
          value: Buffer.from('{"a":{"value":"桂A"}}'),
          contentType: 'application/json',
          filename: 'x.json',
        },
      ],
    };
    expect(decodeCommApiData(encodeCommApiData(request))).toEqual(request);
    const answer = {
      respData: Buffer.from('{"errcode":0}'),
      contentType: 'application/json',
      errorCode: -604101,
      httpCode: 200,
    };
    expect(decodeCommOpenApiResp(encodeCommOpenApiResp(answer))).toEqual(answer);
  });

  it('refuses truncated input instead of reading past it', () => {
    const bytes = encodeCommApiData({
      apiType: 0,
      appid: 'wx123',
      pairs: [{ key: 'touser', value: Buffer.from('"o-1"') }],
    });
    expect(() => decodeCommApiData(bytes.subarray(0, bytes.length - 3))).toThrow(ProtobufError);
  });
});

describe('subscribeMessage.send through wx.openApi', () => {
  it('without a subscription credit WeChat refuses with 43101, thrown by the SDK with that errCode', async () => {
    const { openid, template } = fresh();
    const reply = await send('notify', message(openid, template));
    expect(reply).toMatchObject({ ok: false, errCode: 43101 });
    expect(reply.errMsg).toMatch(/^openapi\.subscribeMessage\.send:fail user refuse to accept the msg/);
    expect(await outbox(`touser=${openid}`)).toEqual([]);
  });

  it('one accepted request = one message per template; the outbox records it with what was sent', async () => {
    const { openid, template } = fresh();
    const other = `${template}-other`;
    const granted = await grant(openid, [template, other]);
    expect(granted.status).toBe(200);
    expect(granted.body.result).toMatchObject({ [template]: 'accept', [other]: 'accept' });
    expect(granted.body.credits).toEqual({ [template]: 1, [other]: 1 });

    expect(await send('notify', message(openid, template))).toEqual({
      ok: true,
      errCode: 0,
      errMsg: 'openapi.subscribeMessage.send:ok',
      hasMsgid: true,
    });
    expect(await send('notify', message(openid, template))).toMatchObject({ ok: false, errCode: 43101 });
    // The other template's credit is untouched.
    const left = await cloud().request<{ credits: Record<string, number> }>(
      'GET',
      `/sandbox/subscribe?openid=${openid}`,
    );
    expect(left.body.credits).toEqual({ [template]: 0, [other]: 1 });

    const sent = await outbox(`touser=${openid}`);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      touser: openid,
      templateId: template,
      page: 'pages/home/index',
      via: 'openapi',
      sender: 'notify',
      data: { thing1: { value: '年检到期提醒' } },
    });
    // WeChat's msgid is a 19-digit number; the outbox keeps its digits.
    expect(sent[0]?.msgid).toMatch(/^\d{19}$/);
  });

  it('credits add up, and racing sends never spend more than there are', async () => {
    const { openid, template } = fresh();
    for (let i = 0; i < 3; i += 1) expect((await grant(openid, [template])).status).toBe(200);
    const replies = await Promise.all(Array.from({ length: 8 }, () => send('notify', message(openid, template))));
    expect(replies.filter((r) => r.ok)).toHaveLength(3);
    expect(replies.filter((r) => !r.ok).every((r) => r.errCode === 43101)).toBe(true);
    expect(await outbox(`touser=${openid}&templateId=${template}`)).toHaveLength(3);
  });

  it('a malformed message gets WeChat errcodes (40003 touser, 40037 template_id, 47003 data) and spends no credit', async () => {
    const { openid, template } = fresh();
    await grant(openid, [template]);
    const good = message(openid, template);
    expect(await send('notify', { ...good, touser: undefined })).toMatchObject({ ok: false, errCode: 40003 });
    expect(await send('notify', { ...good, templateId: undefined })).toMatchObject({ ok: false, errCode: 40037 });
    expect(await send('notify', { ...good, data: undefined })).toMatchObject({ ok: false, errCode: 47003 });
    const emptyValue = await send('notify', { ...good, data: { thing1: { value: '' } } });
    expect(emptyValue).toMatchObject({ ok: false, errCode: 47003 });
    expect(emptyValue.errMsg).toContain('data.thing1.value');
    // The credit is still there for the well-formed message.
    expect(await send('notify', good)).toMatchObject({ ok: true, errCode: 0 });
  });

  it('a function whose config.json does not declare subscribeMessage.send is refused with -604101, as WeChat does', async () => {
    const { openid, template } = fresh();
    await grant(openid, [template]);
    expect(await send('undeclared', message(openid, template))).toMatchObject({
      ok: false,
      errCode: -604101,
      errMsg: 'system error: error code: -604101',
    });
    expect(await outbox(`touser=${openid}`)).toEqual([]);
  });

  it('other open APIs are refused with a message naming them', async () => {
    const { status, body } = await cloud().call<SendReply>('checker', {}, 'o-caller');
    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    expect(body.errMsg).toContain('openapi.security.msgSecCheck');
    expect(body.errMsg).toContain('UNSUPPORTED_OPEN_API');
  });

  it('the SDK in a process outside any function (a test) can send too: no function, no permission to check', async () => {
    const { openid, template } = fresh();
    await grant(openid, [template]);
    const restore = pointSdkAt(cloud());
    try {
      const openapi = sdk().openapi as {
        subscribeMessage: { send(params: Record<string, unknown>): Promise<{ errCode: number }> };
      };
      await expect(openapi.subscribeMessage.send(message(openid, template))).resolves.toMatchObject({ errCode: 0 });
      await expect(openapi.subscribeMessage.send(message(openid, template))).rejects.toMatchObject({ errCode: 43101 });
    } finally {
      restore();
    }
  });
});

describe('the HTTPS path (cgi-bin/message/subscribe/send) agrees', () => {
  it('spends the same credits and fills the same outbox', async () => {
    const { openid, template } = fresh();
    await grant(openid, [template]);
    await grant(openid, [template]);
    const body = {
      touser: openid,
      template_id: template,
      page: 'pages/home/index',
      data: { thing1: { value: '到期' } },
    };
    const first = await sendOverHttps(body);
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok' });
    expect(typeof first.msgid).toBe('number');
    expect(await send('notify', message(openid, template))).toMatchObject({ ok: true });
    expect(await sendOverHttps(body)).toMatchObject({ errcode: 43101 });
    expect(await send('notify', message(openid, template))).toMatchObject({ ok: false, errCode: 43101 });
    expect((await outbox(`templateId=${template}`)).map((m) => m.via).sort()).toEqual(['https', 'openapi']);
  });

  it('answers the same errcodes for malformed messages', async () => {
    expect(await sendOverHttps({ template_id: 'T', data: { a: { value: 'x' } } })).toMatchObject({ errcode: 40003 });
    expect(await sendOverHttps({ touser: 'o-x', data: { a: { value: 'x' } } })).toMatchObject({ errcode: 40037 });
    expect(await sendOverHttps({ touser: 'o-x', template_id: 'T' })).toMatchObject({ errcode: 47003 });
  });
});

describe('POST /sandbox/subscribe and GET /sandbox/outbox', () => {
  it('refuse what wx.requestSubscribeMessage would not take', async () => {
    expect((await grant('o-x', ['A', 'B', 'C', 'D'])).status).toBe(400);
    expect((await grant('o-x', [])).status).toBe(400);
    expect((await grant('not an openid', ['A'])).status).toBe(400);
    expect((await cloud().request('GET', '/sandbox/outbox?limit=0')).status).toBe(400);
  });

  it('filter by touser and templateId, newest first', async () => {
    const { openid, template } = fresh();
    const second = `${template}-2`;
    await grant(openid, [template, second]);
    await send('notify', message(openid, template));
    await send('notify', message(openid, second));
    expect((await outbox(`touser=${openid}`)).map((m) => m.templateId)).toEqual([second, template]);
    expect((await outbox(`touser=${openid}&templateId=${second}`)).map((m) => m.templateId)).toEqual([second]);
    expect(await outbox(`touser=${openid}&templateId=nope`)).toEqual([]);
  });
});
