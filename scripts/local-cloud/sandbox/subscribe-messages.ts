/**
 * SANDBOX — WeChat's one-time subscribe messages (一次性订阅消息). On a phone, each time a user accepts a template in
 * `wx.requestSubscribeMessage` the app may send that user one message of that template; a send without such a
 * credit is refused with errcode 43101. Here POST /sandbox/subscribe plays the user accepting, and both ways a
 * function can send — the cloud call `cloud.openapi.subscribeMessage.send` and the HTTPS
 * `cgi-bin/message/subscribe/send` — go through send() below, so they spend the same credits and land in the same
 * outbox (`sandbox_outbox`, GET /sandbox/outbox).
 */
import { randomInt } from 'node:crypto';
import type { IndexFile, Store } from '../store/types';
import type { LocalClock } from '../clock';

const OUTBOX = 'sandbox_outbox';
const SUBSCRIPTIONS = 'sandbox_subscriptions';

export const SUBSCRIBE_INDEXES: IndexFile['collections'] = {
  [OUTBOX]: {
    indexes: [
      { name: 'touser_sentAt', keys: { touser: 1, sentAt: -1 } },
      { name: 'templateId_sentAt', keys: { templateId: 1, sentAt: -1 } },
      { name: 'sentAt', keys: { sentAt: -1 } },
    ],
  },
  [SUBSCRIPTIONS]: { indexes: [{ name: 'openid', keys: { openid: 1 } }] },
};

/** wx.requestSubscribeMessage takes at most 3 template ids per call. */
const MAX_TEMPLATES_PER_REQUEST = 3;
const OUTBOX_DEFAULT_LIMIT = 100;
const OUTBOX_MAX_LIMIT = 1000;
const OPENID = /^[\w-]{1,64}$/;
const TEMPLATE_ID = /^[\w-]{1,128}$/;

type Json = Record<string, unknown>;

/** What WeChat answers: errcode 0 with a msgid, or an errcode and errmsg. */
export interface SendResult {
  errcode: number;
  errmsg: string;
  /** WeChat's msgid is a 19-digit number (beyond 2^53), so it is kept as its digits. */
  msgid?: string;
}

export interface SubscribeHttpReply {
  status: number;
  body: unknown;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function creditId(openid: string, templateId: string): string {
  return `${openid}|${templateId}`;
}

/** The JSON text WeChat sends, with msgid written as a bare 19-digit number as WeChat writes it. */
export function sendResultJson(result: SendResult): string {
  const head = JSON.stringify({ errcode: result.errcode, errmsg: result.errmsg });
  return result.msgid === undefined ? head : `${head.slice(0, -1)},"msgid":${result.msgid}}`;
}

export class SubscribeMessages {
  constructor(
    private readonly store: Store,
    private readonly clock: LocalClock,
  ) {}

  /** subscribeMessage.send, with WeChat's checks in WeChat's order: touser, template_id, data, then the credit. */
  send(body: Json, via: 'openapi' | 'https', sender: string | null): SendResult {
    const touser = str(body['touser']);
    const templateId = str(body['template_id']);
    if (!OPENID.test(touser))
      return { errcode: 40003, errmsg: 'invalid openid (sandbox: touser is missing or not an openid)' };
    if (!TEMPLATE_ID.test(templateId))
      return { errcode: 40037, errmsg: 'invalid template_id (sandbox: template_id is missing or malformed)' };
    const data = body['data'];
    if (!isRecord(data) || Object.keys(data).length === 0)
      return { errcode: 47003, errmsg: 'argument invalid! data is empty (sandbox)' };
    for (const [key, entry] of Object.entries(data)) {
      const value = isRecord(entry) ? entry['value'] : undefined;
      if ((typeof value !== 'string' && typeof value !== 'number') || String(value).trim() === '') {
        return { errcode: 47003, errmsg: `argument invalid! data.${key}.value is empty (sandbox)` };
      }
    }
    // One credit per message: the conditional decrement is the check, so two sends racing for one credit cannot both pass.
    const spent = this.store.update(
      SUBSCRIPTIONS,
      { _id: creditId(touser, templateId), credits: { $gt: 0 } },
      { $inc: { credits: -1 }, $set: { updatedAt: this.clock.now() } },
      { multi: false, upsert: false, replace: false },
    );
    if (spent.updated !== 1)
      return {
        errcode: 43101,
        errmsg:
          'user refuse to accept the msg (sandbox: no subscription credit left for this template; POST /sandbox/subscribe grants one)',
      };
    const msgid = `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e9)).padStart(9, '0')}`;
    this.store.insert(OUTBOX, [
      {
        touser,
        templateId,
        page: str(body['page']),
        data,
        miniprogramState: str(body['miniprogram_state']) || 'formal',
        lang: str(body['lang']) || 'zh_CN',
        msgid,
        via,
        sender,
        sentAt: this.clock.now(),
      },
    ]);
    return { errcode: 0, errmsg: 'ok', msgid };
  }

  /** POST /sandbox/subscribe { openid, templateIds }: the user taps 允许 for these templates (one credit each). */
  grant(input: Json): SubscribeHttpReply {
    const openid = str(input['openid']);
    const templateIds = input['templateIds'];
    if (!OPENID.test(openid))
      return { status: 400, body: { errCode: 'INVALID', errMsg: 'openid must be 1-64 of [A-Za-z0-9_-]' } };
    if (!Array.isArray(templateIds) || templateIds.length === 0 || templateIds.length > MAX_TEMPLATES_PER_REQUEST) {
      return {
        status: 400,
        body: {
          errCode: 'INVALID',
          errMsg: `templateIds must list 1 to ${MAX_TEMPLATES_PER_REQUEST} template ids, as wx.requestSubscribeMessage takes`,
        },
      };
    }
    const ids = new Set<string>();
    for (const id of templateIds) {
      if (typeof id !== 'string' || !TEMPLATE_ID.test(id))
        return {
          status: 400,
          body: { errCode: 'INVALID', errMsg: `template id ${JSON.stringify(id)} is not 1-128 of [A-Za-z0-9_-]` },
        };
      ids.add(id);
    }
    const now = this.clock.now();
    const result: Json = { errMsg: 'requestSubscribeMessage:ok' };
    for (const templateId of ids) {
      this.store.update(
        SUBSCRIPTIONS,
        { _id: creditId(openid, templateId) },
        { $inc: { credits: 1 }, $set: { openid, templateId, updatedAt: now } },
        { multi: false, upsert: true, replace: false },
      );
      result[templateId] = 'accept';
    }
    return { status: 200, body: { sandbox: true, openid, result, credits: this.credits(openid) } };
  }

  /** GET /sandbox/subscribe?openid=…: the credits left per template. */
  credits(openid: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const doc of this.store.find(SUBSCRIPTIONS, { openid }, { limit: 1000 }))
      out[str(doc['templateId'])] = Number(doc['credits'] ?? 0);
    return out;
  }

  /** GET /sandbox/outbox[?touser=…][&templateId=…][&limit=n]: newest first. */
  outbox(query: URLSearchParams): SubscribeHttpReply {
    const filter: Json = {};
    const touser = query.get('touser');
    const templateId = query.get('templateId');
    if (touser) filter['touser'] = touser;
    if (templateId) filter['templateId'] = templateId;
    const rawLimit = query.get('limit');
    const limit = rawLimit === null ? OUTBOX_DEFAULT_LIMIT : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > OUTBOX_MAX_LIMIT) {
      return {
        status: 400,
        body: { errCode: 'INVALID', errMsg: `limit must be an integer from 1 to ${OUTBOX_MAX_LIMIT}` },
      };
    }
    const messages = this.store.find(OUTBOX, filter, { sort: { sentAt: -1 }, limit });
    return { status: 200, body: { sandbox: true, messages } };
  }
}
