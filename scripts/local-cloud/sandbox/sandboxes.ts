/**
 * SANDBOX — stands in for the WeChat services only Tencent can provide: face verification (实人认证), WeChat Pay
 * subscribe messages and plate OCR (plate-ocr.ts). Functions reach them exactly as in production — WeChat Pay through
 * the SDK's cloudPay (wx.wxPayApi), the face, message and OCR APIs over HTTPS (here http://…/sandbox/wechat instead of
 * https://api.weixin.qq.com) — and a person plays the phone through POST /sandbox/face/… and /sandbox/pay/….
 * Everything it records lives in `sandbox_*` collections of the same on-disk store, so it survives restarts.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IndexFile, Store } from '../store/types';
import { RawReply, type AdminReply } from '../protocol/admin';
import { decodeCommApiData, encodeCommOpenApiResp, ProtobufError } from '../protocol/protobuf';
import type { LocalClock } from '../clock';
import { SUBSCRIBE_INDEXES, SubscribeMessages, sendResultJson } from './subscribe-messages';
import { PlateOcrSandbox } from './plate-ocr';

export interface SandboxDeps {
  store: Store;
  appId: string;
  clock: LocalClock;
  invoke: (name: string, event: unknown, openid: string) => Promise<unknown>;
  /** permissions.openapi of a function's config.json (undefined: no such function). */
  openApiPermissions: (functionName: string) => ReadonlySet<string> | undefined;
}

/** Who sent an open-API request: the invocation's function and openid, when it came from one. */
export interface OpenApiCaller {
  openid: string;
  functionName: string | null;
}

export interface SandboxHttpReply {
  status: number;
  body: unknown;
}

const FACE = 'sandbox_face';
const PAY = 'sandbox_pay';
/** One document per out_refund_no: WeChat Pay refunds a number at most once. */
const REFUNDS = 'sandbox_refunds';
const TOKENS = 'sandbox_tokens';
/** The sandbox's own indexes: local-only collections, so they are not in the deployable indexes.json. */
export const SANDBOX_INDEXES: IndexFile['collections'] = {
  [FACE]: { indexes: [{ name: 'outSeqNo', keys: { outSeqNo: 1 }, unique: true }] },
  [PAY]: { indexes: [{ name: 'transactionId', keys: { transactionId: 1 } }] },
  [REFUNDS]: { indexes: [{ name: 'outTradeNo', keys: { outTradeNo: 1 } }] },
  ...SUBSCRIBE_INDEXES,
};
/** The open APIs (`cloud.openapi.*`) the sandbox answers through wx.openApi. */
const SANDBOXED_OPEN_APIS = ['subscribeMessage.send'] as const;
/** The cloud's answer when config.json does not declare the API (WeChat: 'function has no permission to call this API'). */
const NO_OPEN_API_PERMISSION = -604101;
/** WeChat's JSON answers carry this content type; the SDK parses respData as JSON when it says application/json. */
const WECHAT_JSON = 'application/json; encoding=utf-8';
const VERIFY_TTL_S = 3600;
const TOKEN_TTL_S = 7200;
/** WeChat's verify_ret for success, and what the sandbox answers for a face scan that failed or never happened. */
const VERIFY_OK = 10000;
const VERIFY_FACE_INVALID = 90011;
const VERIFY_NOT_DONE = 90017;
const SUB_MCH_ID = '1900000109';
const MCH_ID = '1900000100';

type Json = Record<string, unknown>;

const UPDATE_ONE = { multi: false, upsert: false, replace: false } as const;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** cert_hash as WeChat defines it: SHA-256 hex of cert_type=<b64>&cert_name=<b64>&cert_no=<b64>. */
function certHash(certType: string, certName: string, certNo: string): string {
  const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return createHash('sha256')
    .update(`cert_type=${b64(certType)}&cert_name=${b64(certName)}&cert_no=${b64(certNo)}`)
    .digest('hex');
}

/** What the sandbox does with an order's next refunds (POST /sandbox/pay/<outTradeNo>/refund-outcome). */
const REFUND_OUTCOMES = ['SUCCESS', 'PROCESSING', 'CHANGE', 'REFUNDCLOSE', 'FAIL'] as const;
type RefundOutcome = (typeof REFUND_OUTCOMES)[number];

/** A refund's time as WeChat Pay writes it, `yyyy-MM-dd HH:mm:ss` in Beijing time. */
function refundTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/** WeChat Pay's time format, yyyyMMddHHmmss in Beijing time. */
function payTime(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

export class Sandboxes {
  readonly subscribe: SubscribeMessages;
  readonly plateOcr: PlateOcrSandbox;

  constructor(private readonly deps: SandboxDeps) {
    this.subscribe = new SubscribeMessages(deps.store, deps.clock);
    this.plateOcr = new PlateOcrSandbox(deps.store, deps.clock);
  }
  // async although nothing is awaited: whatever goes wrong reaches the caller as a rejection, never a throw.
  // eslint-disable-next-line @typescript-eslint/require-await
  async openApi(
    action: string,
    request: Record<string, unknown>,
    caller: OpenApiCaller,
  ): Promise<AdminReply | RawReply> {
    const api = str(request['apiName']);
    if (action === 'wx.openApi') return this.cloudCall(api, request, caller);
    if (action !== 'wx.wxPayApi') {
      return {
        code: 'UNSUPPORTED_OPEN_API',
        message: `[UNSUPPORTED_OPEN_API] the local cloud has no sandbox for ${action} ${api}`,
      };
    }
    const openid = caller.openid;
    let data: Json;
    try {
      const raw = request['requestData'];
      const parsed: unknown = JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : str(raw));
      if (!isRecord(parsed)) throw new Error('not an object');
      data = parsed;
    } catch {
      return { code: 'INVALID_PARAM', message: `[INVALID_PARAM] cloudPay.${api}: requestData is not a JSON object` };
    }
    const reply = this.pay(api, data, openid);
    return new RawReply(Buffer.from(JSON.stringify(reply)), 'application/json');
  }

  /**
   * `cloud.openapi.<api>(params)`: the SDK sends each top-level parameter as JSON bytes in a protobuf CommApiData
   * and reads WeChat's JSON answer out of a CommOpenApiResp; an errcode in it becomes the thrown error's errCode.
   */
  private cloudCall(api: string, request: Record<string, unknown>, caller: OpenApiCaller): AdminReply | RawReply {
    if (!(SANDBOXED_OPEN_APIS as readonly string[]).includes(api)) {
      return {
        code: 'UNSUPPORTED_OPEN_API',
        message: `[UNSUPPORTED_OPEN_API] the local cloud has no sandbox for openapi.${api || '(no apiName)'}; it answers ${SANDBOXED_OPEN_APIS.map((a) => `openapi.${a}`).join(', ')}`,
      };
    }
    // WeChat refuses a cloud call the function's config.json does not declare; a request from outside any
    // invocation (a test driving the SDK itself) has no function to check.
    if (caller.functionName !== null && !this.deps.openApiPermissions(caller.functionName)?.has(api)) {
      return new RawReply(
        encodeCommOpenApiResp({ respData: Buffer.alloc(0), contentType: '', errorCode: NO_OPEN_API_PERMISSION }),
      );
    }
    const raw = request['requestData'];
    const params: Json = {};
    try {
      const message = decodeCommApiData(Buffer.isBuffer(raw) ? raw : Buffer.from(str(raw), 'binary'));
      for (const pair of message.pairs) params[pair.key] = JSON.parse(pair.value.toString('utf8'));
    } catch (error) {
      const why =
        error instanceof ProtobufError ? `not a CommApiData message (${error.message})` : 'a parameter is not JSON';
      return { code: 'INVALID_PARAM', message: `[INVALID_PARAM] openapi.${api}: requestData is ${why}` };
    }
    const result = this.subscribe.send(params, 'openapi', caller.functionName);
    return new RawReply(
      encodeCommOpenApiResp({ respData: Buffer.from(sendResultJson(result)), contentType: WECHAT_JSON, httpCode: 200 }),
    );
  }

  private pay(api: string, data: Json, openid: string): Json {
    const base = {
      return_code: 'SUCCESS',
      return_msg: 'OK',
      appid: this.deps.appId,
      mch_id: MCH_ID,
      sub_mch_id: str(data['sub_mch_id']) || SUB_MCH_ID,
      nonce_str: randomBytes(8).toString('hex'),
      sandbox: true,
    };
    const fail = (errCode: string, errDes: string) => ({
      ...base,
      result_code: 'FAIL',
      err_code: errCode,
      err_code_des: errDes,
    });
    const outTradeNo = str(data['out_trade_no']);
    if (api !== 'refund' && api !== 'queryRefund' && !/^[0-9A-Za-z_-]{1,32}$/.test(outTradeNo))
      return fail('PARAM_ERROR', 'out_trade_no must be 1-32 of [0-9A-Za-z_-]');
    const [order] = this.deps.store.find(PAY, { _id: outTradeNo }, { limit: 1 });
    switch (api) {
      case 'unifiedOrder': {
        const totalFee = data['total_fee'];
        if (typeof totalFee !== 'number' || !Number.isInteger(totalFee) || totalFee <= 0)
          return fail('PARAM_ERROR', 'total_fee must be a positive integer (fen)');
        const functionName = str(data['function_name']);
        if (!functionName) return fail('PARAM_ERROR', 'function_name (the callback function) is required');
        if (order) {
          // WeChat answers a repeated out_trade_no with the same prepay when nothing changed, else refuses it.
          if (order['totalFee'] !== totalFee || order['tradeState'] !== 'NOTPAY')
            return fail('INVALID_REQUEST', '201 商户订单号重复');
          return { ...base, ...this.prepay(String(order['prepayId'])) };
        }
        const prepayId = `wx${randomBytes(14).toString('hex')}`;
        this.deps.store.insert(PAY, [
          {
            _id: outTradeNo,
            totalFee,
            functionName,
            body: str(data['body']),
            payerOpenid: openid,
            prepayId,
            tradeState: 'NOTPAY',
            createdAt: this.deps.clock.now(),
            refunds: [],
          },
        ]);
        return { ...base, ...this.prepay(prepayId) };
      }
      case 'queryOrder': {
        if (!order) return fail('ORDERNOTEXIST', '此交易订单号不存在');
        return {
          ...base,
          result_code: 'SUCCESS',
          trade_state: order['tradeState'],
          out_trade_no: outTradeNo,
          transaction_id: order['transactionId'] ?? '',
          total_fee: order['paidFee'] ?? order['totalFee'],
          time_end: order['timeEnd'] ?? '',
          sub_openid: order['payerOpenid'] ?? '',
        };
      }
      case 'closeOrder': {
        if (!order) return fail('ORDERNOTEXIST', '此交易订单号不存在');
        if (order['tradeState'] === 'SUCCESS') return fail('ORDERPAID', '订单已支付，不能关闭');
        this.deps.store.update(
          PAY,
          { _id: outTradeNo },
          { $set: { tradeState: 'CLOSED' } },
          { multi: false, upsert: false, replace: false },
        );
        return { ...base, result_code: 'SUCCESS' };
      }
      case 'refund':
        return this.refund(data, order, base, fail);
      case 'queryRefund':
        return this.queryRefund(data, base, fail);
      default:
        return fail('NOT_SUPPORTED', `the pay sandbox does not implement cloudPay.${api}`);
    }
  }

  /**
   * cloudPay.refund: the order must be paid, refund_fee within what it collected (all its refunds together), and the
   * same out_refund_no is the same refund — never a second one. The order's refund-outcome switch decides the rest.
   */
  private refund(data: Json, order: Json | undefined, base: Json, fail: (code: string, des: string) => Json): Json {
    const target = str(data['out_trade_no'])
      ? order
      : this.deps.store.find(PAY, { transactionId: str(data['transaction_id']) }, { limit: 1 })[0];
    if (!target || target['tradeState'] !== 'SUCCESS') return fail('ORDERNOTEXIST', '订单不存在或未支付');
    const outTradeNo = String(target['_id']);
    const refundFee = data['refund_fee'];
    if (typeof refundFee !== 'number' || !Number.isInteger(refundFee) || refundFee <= 0)
      return fail('PARAM_ERROR', 'refund_fee must be a positive integer (fen)');
    const outRefundNo = str(data['out_refund_no']);
    if (!/^[0-9A-Za-z_*@|-]{1,64}$/.test(outRefundNo))
      return fail('PARAM_ERROR', 'out_refund_no must be 1-64 of [0-9A-Za-z_-|*@]');
    const paid = Number(target['paidFee'] ?? target['totalFee']);
    if (data['total_fee'] !== paid) return fail('PARAM_ERROR', `total_fee must be what the order collected (${paid})`);
    this.deps.store.update(PAY, { _id: outTradeNo }, { $inc: { refundCalls: 1 } }, UPDATE_ONE);
    const outcome = (target['refundOutcome'] as RefundOutcome | undefined) ?? 'SUCCESS';
    const [existing] = this.deps.store.find(REFUNDS, { _id: outRefundNo }, { limit: 1 });
    const accepted = (refund: Json) => ({
      ...base,
      result_code: 'SUCCESS',
      transaction_id: target['transactionId'],
      out_trade_no: outTradeNo,
      out_refund_no: outRefundNo,
      refund_id: refund['refundId'],
      refund_fee: refund['refundFee'],
      total_fee: paid,
      cash_fee: paid,
    });
    if (existing) {
      if (existing['outTradeNo'] !== outTradeNo || existing['refundFee'] !== refundFee)
        return fail('INVALID_REQUEST', '同一退款单号的订单或退款金额与之前请求不一致');
      // A resend of a refund that went wrong (CHANGE, closed) tries it again; one already on its way is left alone.
      if ((existing['status'] === 'CHANGE' || existing['status'] === 'REFUNDCLOSE') && outcome !== 'FAIL') {
        this.deps.store.update(REFUNDS, { _id: outRefundNo }, { $set: this.refundState(outcome) }, UPDATE_ONE);
      }
      return accepted(existing);
    }
    if (outcome === 'FAIL') return fail('NOTENOUGH', '基本账户余额不足，请充值后重新发起');
    const refunded = this.deps.store
      .find(REFUNDS, { outTradeNo }, { limit: 100 })
      .filter((r) => r['status'] !== 'CHANGE' && r['status'] !== 'REFUNDCLOSE')
      .reduce((sum, r) => sum + Number(r['refundFee']), 0);
    if (refunded + refundFee > paid) return fail('INVALID_REQUEST', '退款金额大于支付金额');
    const refund = {
      _id: outRefundNo,
      outTradeNo,
      refundId: `50${randomBytes(12).toString('hex')}`,
      refundFee,
      functionName: str(data['function_name']),
      createdAt: this.deps.clock.now(),
      ...this.refundState(outcome),
    };
    this.deps.store.insert(REFUNDS, [refund]);
    return accepted(refund);
  }

  private refundState(outcome: Exclude<RefundOutcome, 'FAIL'>): Json {
    return { status: outcome, successTime: outcome === 'SUCCESS' ? refundTime(this.deps.clock.now()) : '' };
  }

  /** cloudPay.queryRefund by out_refund_no, answered as cloudPay answers it: one entry in each `…_list`. */
  private queryRefund(data: Json, base: Json, fail: (code: string, des: string) => Json): Json {
    const [refund] = this.deps.store.find(REFUNDS, { _id: str(data['out_refund_no']) }, { limit: 1 });
    if (!refund) return fail('REFUNDNOTEXIST', '退款订单查询失败');
    const [order] = this.deps.store.find(PAY, { _id: refund['outTradeNo'] }, { limit: 1 });
    return {
      ...base,
      result_code: 'SUCCESS',
      transaction_id: order?.['transactionId'] ?? '',
      out_trade_no: refund['outTradeNo'],
      total_fee: order?.['paidFee'] ?? order?.['totalFee'] ?? 0,
      refund_count: 1,
      out_refund_no_list: [refund['_id']],
      refund_id_list: [refund['refundId']],
      refund_fee_list: [refund['refundFee']],
      refund_status_list: [refund['status']],
      refund_success_time_list: [refund['successTime'] ?? ''],
      refund_recv_accout_list: ['支付用户零钱'],
    };
  }

  /** What wx.requestPayment needs; signed with nothing, since only the sandbox reads it. */
  private prepay(prepayId: string): Json {
    const timeStamp = String(Math.floor(this.deps.clock.now().getTime() / 1000));
    const nonceStr = randomBytes(8).toString('hex');
    return {
      result_code: 'SUCCESS',
      trade_type: 'JSAPI',
      prepay_id: prepayId,
      payment: {
        appId: this.deps.appId,
        timeStamp,
        nonceStr,
        package: `prepay_id=${prepayId}`,
        signType: 'MD5',
        paySign: 'SANDBOX',
      },
    };
  }
  async handleHttp(method: string, path: string[], query: URLSearchParams, body: unknown): Promise<SandboxHttpReply> {
    const [area, ...rest] = path;
    const input = isRecord(body) ? body : {};
    if (area === 'wechat') {
      const answer = await this.wechatApi(rest.join('/'), query, input);
      // The subscribe send's msgid is a bare 19-digit number, which only a hand-written JSON text can carry.
      return {
        status: 200,
        body:
          typeof answer === 'string' ? new RawReply(Buffer.from(answer), 'application/json; charset=utf-8') : answer,
      };
    }
    if (area === 'face' && method === 'POST' && rest.length === 1) return this.finishFace(rest[0] ?? '', input);
    if (area === 'pay' && method === 'POST' && rest.length === 1) return this.finishPayment(rest[0] ?? '', input);
    if (area === 'pay' && method === 'POST' && rest.length === 2 && rest[1] === 'refund-outcome')
      return this.setRefundOutcome(rest[0] ?? '', input);
    if (area === 'pay' && method === 'POST' && rest.length === 2 && rest[1] === 'refund-notify')
      return this.notifyRefunds(rest[0] ?? '', input);
    if (area === 'clock') {
      if (method === 'POST') {
        const days = input['days'];
        const offsetMs = typeof days === 'number' ? days * 86_400_000 : input['offsetMs'];
        if (typeof offsetMs !== 'number' || !Number.isFinite(offsetMs))
          return { status: 400, body: { errCode: 'INVALID', errMsg: 'send { "days": n } or { "offsetMs": n }' } };
        this.deps.clock.set(offsetMs);
      }
      return {
        status: 200,
        body: { sandbox: true, offsetMs: this.deps.clock.offsetMs, now: this.deps.clock.now().toISOString() },
      };
    }
    if (area === 'outbox' && method === 'GET' && rest.length === 0) return this.subscribe.outbox(query);
    if (area === 'ocr' && rest.length === 0)
      return method === 'POST' ? this.plateOcr.set(input) : this.plateOcr.show(query);
    if (area === 'subscribe' && rest.length === 0) {
      if (method === 'POST') return this.subscribe.grant(input);
      const openid = query.get('openid') ?? '';
      if (!openid)
        return { status: 400, body: { errCode: 'INVALID', errMsg: 'GET /sandbox/subscribe?openid=<openid>' } };
      return { status: 200, body: { sandbox: true, openid, credits: this.subscribe.credits(openid) } };
    }
    return {
      status: 404,
      body: { errCode: 'SANDBOX_NOT_FOUND', errMsg: `no sandbox at ${method} /sandbox/${path.join('/')}` },
    };
  }

  /** The phone's side of wx.requestFacialVerify: the person in front of the camera passes or fails. */
  private finishFace(verifyId: string, input: Json): SandboxHttpReply {
    const [session] = this.deps.store.find(FACE, { _id: verifyId }, { limit: 1 });
    if (!session)
      return { status: 404, body: { errCode: 'VERIFY_ID_NOT_FOUND', errMsg: `unknown verifyId ${verifyId}` } };
    if ((session['expiresAt'] as Date).getTime() < this.deps.clock.now().getTime())
      return { status: 410, body: { errCode: 'VERIFY_ID_EXPIRED', errMsg: 'verifyId expired (3600 s)' } };
    if (session['verifyRet'] !== null)
      return {
        status: 409,
        body: { errCode: 'VERIFY_ID_USED', errMsg: 'this face verification has already been done' },
      };
    if (typeof input['pass'] !== 'boolean')
      return { status: 400, body: { errCode: 'INVALID', errMsg: 'send { "pass": true | false }' } };
    const verifyRet = input['pass'] ? VERIFY_OK : VERIFY_FACE_INVALID;
    this.deps.store.update(
      FACE,
      { _id: verifyId },
      { $set: { verifyRet, doneAt: this.deps.clock.now() } },
      { multi: false, upsert: false, replace: false },
    );
    return { status: 200, body: { sandbox: true, verifyId, verifyRet } };
  }

  /** WeChat Pay reports the payer's payment: record it and call the order's callback function as WeChat would. */
  private async finishPayment(outTradeNo: string, input: Json): Promise<SandboxHttpReply> {
    const [order] = this.deps.store.find(PAY, { _id: outTradeNo }, { limit: 1 });
    if (!order)
      return { status: 404, body: { errCode: 'ORDER_NOT_FOUND', errMsg: `unknown outTradeNo ${outTradeNo}` } };
    const result = input['result'] ?? 'SUCCESS';
    if (result !== 'SUCCESS' && result !== 'FAIL')
      return { status: 400, body: { errCode: 'INVALID', errMsg: 'result must be SUCCESS or FAIL' } };
    const override = input['totalFee'];
    if (override !== undefined && (typeof override !== 'number' || !Number.isInteger(override) || override < 0)) {
      return { status: 400, body: { errCode: 'INVALID', errMsg: 'totalFee must be a non-negative integer (fen)' } };
    }
    if (order['tradeState'] === 'CLOSED')
      return { status: 409, body: { errCode: 'ORDER_CLOSED', errMsg: 'the order was closed' } };
    // Paying again is how a replay is tested: the first payment stands and the same notification is re-sent.
    if (order['tradeState'] !== 'SUCCESS' && result === 'SUCCESS') {
      const paid = {
        tradeState: 'SUCCESS',
        transactionId: `42000${payTime(this.deps.clock.now())}${randomBytes(5).toString('hex')}`,
        timeEnd: payTime(this.deps.clock.now()),
        paidFee: typeof override === 'number' ? override : order['totalFee'],
      };
      this.deps.store.update(PAY, { _id: outTradeNo }, { $set: paid }, { multi: false, upsert: false, replace: false });
      Object.assign(order, paid);
    } else if (order['tradeState'] !== 'SUCCESS') {
      this.deps.store.update(
        PAY,
        { _id: outTradeNo },
        { $set: { tradeState: 'PAYERROR' } },
        { multi: false, upsert: false, replace: false },
      );
      return { status: 200, body: { sandbox: true, outTradeNo, tradeState: 'PAYERROR', delivered: false } };
    }
    const event = {
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      appid: this.deps.appId,
      mchId: MCH_ID,
      subAppid: this.deps.appId,
      subMchId: SUB_MCH_ID,
      subOpenid: order['payerOpenid'] ?? '',
      outTradeNo,
      transactionId: order['transactionId'],
      totalFee: typeof override === 'number' ? override : order['paidFee'],
      cashFee: order['paidFee'],
      timeEnd: order['timeEnd'],
      tradeType: 'JSAPI',
      bankType: 'OTHERS',
      feeType: 'CNY',
      isSubscribe: 'N',
      nonceStr: randomBytes(8).toString('hex'),
    };
    let reply: unknown;
    try {
      reply = await this.deps.invoke(String(order['functionName']), event, '');
    } catch (error) {
      reply = { invokeError: (error as Error).message };
    }
    const acknowledged = isRecord(reply) && reply['errcode'] === 0;
    this.deps.store.update(
      PAY,
      { _id: outTradeNo },
      { $push: { notifications: { at: this.deps.clock.now(), acknowledged } } },
      { multi: false, upsert: false, replace: false },
    );
    return {
      status: 200,
      body: { sandbox: true, outTradeNo, tradeState: 'SUCCESS', delivered: true, acknowledged, reply },
    };
  }

  /**
   * How the order's refunds go from now on: SUCCESS (the default), PROCESSING (accepted, not done), CHANGE or
   * REFUNDCLOSE (accepted, then failed), FAIL (refused when asked, nothing refunded). Refunds still PROCESSING
   * take the new outcome at once, as the bank finishing them.
   */
  private setRefundOutcome(outTradeNo: string, input: Json): SandboxHttpReply {
    const [order] = this.deps.store.find(PAY, { _id: outTradeNo }, { limit: 1 });
    if (!order)
      return { status: 404, body: { errCode: 'ORDER_NOT_FOUND', errMsg: `unknown outTradeNo ${outTradeNo}` } };
    const result = REFUND_OUTCOMES.find((outcome) => outcome === input['result']);
    if (result === undefined)
      return {
        status: 400,
        body: { errCode: 'INVALID', errMsg: `result must be one of ${REFUND_OUTCOMES.join(', ')}` },
      };
    this.deps.store.update(PAY, { _id: outTradeNo }, { $set: { refundOutcome: result } }, UPDATE_ONE);
    let settled = 0;
    if (result !== 'FAIL' && result !== 'PROCESSING') {
      for (const refund of this.deps.store.find(REFUNDS, { outTradeNo }, { limit: 100 })) {
        if (refund['status'] !== 'PROCESSING') continue;
        this.deps.store.update(REFUNDS, { _id: refund['_id'] }, { $set: this.refundState(result) }, UPDATE_ONE);
        settled += 1;
      }
    }
    return { status: 200, body: { sandbox: true, outTradeNo, refundOutcome: result, settled } };
  }

  /** WeChat Pay tells the refund's function_name how its refunds ended, `times` times (a replay is the same event). */
  private async notifyRefunds(outTradeNo: string, input: Json): Promise<SandboxHttpReply> {
    const times = input['times'] ?? 1;
    if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > 1000)
      return { status: 400, body: { errCode: 'INVALID', errMsg: 'times must be an integer from 1 to 1000' } };
    const [order] = this.deps.store.find(PAY, { _id: outTradeNo }, { limit: 1 });
    const refunds = this.deps.store
      .find(REFUNDS, { outTradeNo }, { limit: 100 })
      .filter((refund) => refund['status'] !== 'PROCESSING');
    if (!order || refunds.length === 0)
      return { status: 404, body: { errCode: 'REFUND_NOT_FOUND', errMsg: `no finished refund of ${outTradeNo}` } };
    let delivered = 0;
    let acknowledged = 0;
    const replies: unknown[] = [];
    for (let i = 0; i < times; i += 1) {
      for (const refund of refunds) {
        // The decrypted req_info fields, camel-cased as cloudPay hands a function its events.
        const event = {
          returnCode: 'SUCCESS',
          appid: this.deps.appId,
          mchId: MCH_ID,
          subAppid: this.deps.appId,
          subMchId: SUB_MCH_ID,
          nonceStr: randomBytes(8).toString('hex'),
          transactionId: order['transactionId'],
          outTradeNo,
          refundId: refund['refundId'],
          outRefundNo: refund['_id'],
          totalFee: order['paidFee'] ?? order['totalFee'],
          refundFee: refund['refundFee'],
          settlementRefundFee: refund['refundFee'],
          refundStatus: refund['status'],
          successTime: refund['successTime'] ?? '',
          refundRecvAccout: '支付用户零钱',
          refundAccount: 'REFUND_SOURCE_UNSETTLED_FUNDS',
          refundRequestSource: 'API',
        };
        let reply: unknown;
        try {
          reply = await this.deps.invoke(str(refund['functionName']), event, '');
        } catch (error) {
          reply = { invokeError: (error as Error).message };
        }
        delivered += 1;
        if (isRecord(reply) && reply['errcode'] === 0) acknowledged += 1;
        if (i === 0) replies.push(reply);
      }
    }
    return { status: 200, body: { sandbox: true, outTradeNo, delivered, acknowledged, replies } };
  }

  /** The subset of api.weixin.qq.com the functions use, answering as WeChat does (errcode/errmsg). */
  private wechatApi(path: string, query: URLSearchParams, body: Json): Json | string | Promise<Json> {
    const now = this.deps.clock.now();
    if (path === 'cgi-bin/stable_token') {
      const token = `SANDBOX_${randomBytes(16).toString('hex')}`;
      this.deps.store.insert(TOKENS, [{ _id: token, expiresAt: new Date(now.getTime() + TOKEN_TTL_S * 1000) }]);
      return { access_token: token, expires_in: TOKEN_TTL_S };
    }
    const token = query.get('access_token') ?? '';
    const [issued] = token ? this.deps.store.find(TOKENS, { _id: token }, { limit: 1 }) : [];
    if (!issued || (issued['expiresAt'] as Date).getTime() < now.getTime())
      return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest (sandbox)' };

    if (path === 'cityservice/face/identify/getverifyid') {
      const outSeqNo = str(body['out_seq_no']);
      const openid = str(body['openid']);
      const cert = isRecord(body['cert_info']) ? body['cert_info'] : {};
      if (!/^[0-9A-Za-z_-]{5,32}$/.test(outSeqNo))
        return { errcode: 47001, errmsg: 'out_seq_no must be 5-32 of [0-9A-Za-z_-]' };
      if (!openid) return { errcode: 47001, errmsg: 'openid is required' };
      if (str(cert['cert_type']) !== 'IDENTITY_CARD' || !str(cert['cert_name']) || !str(cert['cert_no']))
        return { errcode: 47001, errmsg: 'cert_info needs cert_type IDENTITY_CARD, cert_name and cert_no' };
      if (this.deps.store.count(FACE, { outSeqNo }) > 0)
        return { errcode: 84005, errmsg: 'out_seq_no is not unique under this appid' };
      const verifyId = `SANDBOX-${randomBytes(24).toString('base64url')}`;
      this.deps.store.insert(FACE, [
        {
          _id: verifyId,
          outSeqNo,
          openid,
          certHash: certHash(str(cert['cert_type']), str(cert['cert_name']), str(cert['cert_no'])),
          // What the sandbox phone shows, masked as any screen would.
          who: `${str(cert['cert_name']).slice(0, 1)}*`,
          createdAt: now,
          expiresAt: new Date(now.getTime() + VERIFY_TTL_S * 1000),
          verifyRet: null,
        },
      ]);
      return { errcode: 0, errmsg: 'ok', verify_id: verifyId, expires_in: VERIFY_TTL_S };
    }
    if (path === 'cityservice/face/identify/queryverifyinfo') {
      const [session] = this.deps.store.find(FACE, { _id: str(body['verify_id']) }, { limit: 1 });
      if (!session) return { errcode: 84001, errmsg: 'invalid verify_id' };
      if (session['outSeqNo'] !== str(body['out_seq_no']))
        return { errcode: 84002, errmsg: 'out_seq_no does not match getVerifyId' };
      if (session['certHash'] !== str(body['cert_hash']))
        return { errcode: 84003, errmsg: 'cert_hash does not match cert_info' };
      if (session['openid'] !== str(body['openid']))
        return { errcode: 84004, errmsg: 'openid does not match getVerifyId' };
      return { errcode: 0, errmsg: 'ok', verify_ret: session['verifyRet'] ?? VERIFY_NOT_DONE };
    }
    if (path === 'cgi-bin/message/subscribe/send') return sendResultJson(this.subscribe.send(body, 'https', null));
    if (path === 'cv/ocr/platenum') return this.plateOcr.read(query);
    return { errcode: 40066, errmsg: `the sandbox does not implement /${path}` };
  }

  close(): void {}
}
