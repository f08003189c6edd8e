/**
 * Payment behind a port: WeChat Pay through cloud.cloudPay today (the police's collecting bank as sub-merchant);
 * switching to the non-tax payment platform is one more adapter with the same operations.
 */
import { parseCompactShanghaiTime, parseInstant } from '../../../miniprogram/domain/core/dates';
import { cloud } from '../cloud';
import type { WeChatRefundState } from '../payment/refunds/rules';
import { textOf } from '../text';

export interface UnifiedOrderInput {
  outTradeNo: string;
  totalFee: number;
  body: string;
  /** The cloud function WeChat Pay calls back. */
  callbackFunction: string;
  /** yyyyMMddHHmmss, Beijing time: after it the order cannot be paid (the amount changes at midnight). */
  timeExpire: string;
}

export interface PaymentRequest {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

export type TradeState = 'SUCCESS' | 'NOTPAY' | 'CLOSED' | 'PAYERROR' | 'REFUND' | 'USERPAYING' | 'REVOKED' | 'UNKNOWN';

export interface OrderQuery {
  found: boolean;
  tradeState: TradeState;
  totalFee: number;
  transactionId: string;
  timeEnd: string;
  /** When WeChat Pay took the money (timeEnd as an instant); null when it is missing or malformed. */
  paidAtMs: number | null;
}

export interface RefundInput {
  outTradeNo: string;
  /** Fixed per payment: WeChat Pay refunds one out_refund_no at most once, so a resend is the same refund. */
  outRefundNo: string;
  /** What the order collected (WeChat's total_fee) and what goes back: always equal, refunds are whole. */
  totalFee: number;
  refundFee: number;
  reason: string;
  /** The cloud function WeChat Pay sends the refund notification to. */
  callbackFunction: string;
}

/** WeChat Pay took the refund (it completes later), or refused it for good; an unknown outcome throws instead. */
export type RefundSend =
  | { readonly accepted: true; readonly refundId: string }
  | { readonly accepted: false; readonly code: string; readonly message: string };

export interface RefundQuery {
  state: WeChatRefundState;
  refundId: string;
  refundFee: number;
  /** When WeChat Pay paid it back; null until it has, or when the time is missing or malformed. */
  refundedAtMs: number | null;
}

export interface PaymentPort {
  unifiedOrder(input: UnifiedOrderInput): Promise<PaymentRequest>;
  queryOrder(outTradeNo: string): Promise<OrderQuery>;
  closeOrder(outTradeNo: string): Promise<void>;
  /** Throws PaymentPortError when the outcome is unknown: the refund may or may not exist at WeChat Pay. */
  refund(input: RefundInput): Promise<RefundSend>;
  queryRefund(outRefundNo: string): Promise<RefundQuery>;
}

export class PaymentPortError extends Error {}

const TRADE_STATES: readonly TradeState[] = [
  'SUCCESS',
  'NOTPAY',
  'CLOSED',
  'PAYERROR',
  'REFUND',
  'USERPAYING',
  'REVOKED',
];

/** Refusals after which nothing was refunded and the same out_refund_no may be sent again; others are final. */
const REFUND_RETRYABLE = ['SYSTEMERROR', 'BIZERR_NEED_RETRY', 'FREQUENCY_LIMITED'];

const REFUND_STATES: readonly WeChatRefundState[] = ['SUCCESS', 'PROCESSING', 'CHANGE', 'REFUNDCLOSE'];

/**
 * One refund's field in a queryRefund reply: cloudPay answers lists (`refundStatusList`), WeChat Pay's own API
 * documents `refund_status_$n` (camel-cased by the SDK to `refundStatus_0`); queried by out_refund_no there is one.
 */
function firstOf(reply: PayReply, field: string): unknown {
  const list = reply[`${field}List`];
  if (Array.isArray(list) && list.length > 0) return list[0];
  return reply[`${field}_0`] ?? reply[`${field}0`] ?? reply[field];
}

/** `2026-12-07 10:20:30`, Beijing time, as WeChat Pay writes a refund's success time. */
function parseRefundTime(text: string): number | null {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? parseInstant(`${text.replace(' ', 'T')}+08:00`) : null;
}

/**
 * WeChat Pay's err_code: the SDK camel-cases it to errCode and then writes its own errCode (0) over it, so it is
 * read only when it survived as text.
 */
function wechatErrCode(reply: PayReply): string {
  const code = reply['errCode'];
  return typeof code === 'string' ? code : '';
}

function subMchId(): string {
  return process.env['PAY_SUB_MCH_ID'] || '1900000109';
}

function envId(): string {
  return cloud.getWXContext().ENV ?? process.env['TCB_ENV'] ?? '';
}

type PayReply = Record<string, unknown>;

function ensureSuccess(api: string, reply: PayReply): PayReply {
  if (reply['returnCode'] !== 'SUCCESS')
    throw new PaymentPortError(`cloudPay.${api}: ${String(reply['returnMsg'] ?? reply['returnCode'])}`);
  return reply;
}

export const cloudPayAdapter: PaymentPort = {
  async unifiedOrder(input) {
    const reply = ensureSuccess(
      'unifiedOrder',
      await cloud.cloudPay.unifiedOrder({
        body: input.body,
        outTradeNo: input.outTradeNo,
        spbillCreateIp: '127.0.0.1',
        subMchId: subMchId(),
        totalFee: input.totalFee,
        envId: envId(),
        functionName: input.callbackFunction,
        tradeType: 'JSAPI',
        timeExpire: input.timeExpire,
      }),
    );
    const payment = reply['payment'] as { [K in keyof PaymentRequest]?: unknown } | undefined;
    if (reply['resultCode'] !== 'SUCCESS' || !payment || typeof payment.package !== 'string') {
      throw new PaymentPortError(
        `cloudPay.unifiedOrder refused: ${textOf(reply['errCode'])} ${textOf(reply['errCodeDes'])}`,
      );
    }
    return {
      timeStamp: textOf(payment.timeStamp),
      nonceStr: textOf(payment.nonceStr),
      package: payment.package,
      signType: textOf(payment.signType, 'MD5'),
      paySign: textOf(payment.paySign),
    };
  },
  async queryOrder(outTradeNo) {
    const reply = ensureSuccess('queryOrder', await cloud.cloudPay.queryOrder({ subMchId: subMchId(), outTradeNo }));
    if (reply['resultCode'] !== 'SUCCESS')
      return { found: false, tradeState: 'UNKNOWN', totalFee: 0, transactionId: '', timeEnd: '', paidAtMs: null };
    const state = textOf(reply['tradeState']);
    const timeEnd = textOf(reply['timeEnd']);
    return {
      found: true,
      tradeState: (TRADE_STATES as readonly string[]).includes(state) ? (state as TradeState) : 'UNKNOWN',
      totalFee: Number(reply['totalFee'] ?? 0),
      transactionId: textOf(reply['transactionId']),
      timeEnd,
      // Parsed here: another payment platform writes its time its own way, and the use case wants an instant.
      paidAtMs: parseCompactShanghaiTime(timeEnd),
    };
  },
  async closeOrder(outTradeNo) {
    ensureSuccess('closeOrder', await cloud.cloudPay.closeOrder({ subMchId: subMchId(), outTradeNo }));
  },
  async refund(input) {
    const reply = ensureSuccess(
      'refund',
      await cloud.cloudPay.refund({
        subMchId: subMchId(),
        outTradeNo: input.outTradeNo,
        outRefundNo: input.outRefundNo,
        totalFee: input.totalFee,
        refundFee: input.refundFee,
        refundDesc: input.reason.slice(0, 80),
        envId: envId(),
        functionName: input.callbackFunction,
      }),
    );
    if (reply['resultCode'] === 'SUCCESS') return { accepted: true, refundId: textOf(reply['refundId']) };
    const code = wechatErrCode(reply);
    if (REFUND_RETRYABLE.includes(code)) throw new PaymentPortError(`cloudPay.refund: ${code}, outcome unknown`);
    // Refused (or a code we cannot read): failed, and a retry resends the same out_refund_no, which is always safe.
    return { accepted: false, code, message: textOf(reply['errCodeDes'], code) };
  },
  async queryRefund(outRefundNo) {
    const reply = ensureSuccess('queryRefund', await cloud.cloudPay.queryRefund({ subMchId: subMchId(), outRefundNo }));
    // A definite "no" to the query (REFUNDNOTEXIST, though the code itself may be unreadable): WeChat Pay has no
    // such refund; the use case fails it only after a grace, and a retry resends the same out_refund_no.
    if (reply['resultCode'] !== 'SUCCESS')
      return { state: 'NOT_FOUND', refundId: '', refundFee: 0, refundedAtMs: null };
    const status = textOf(firstOf(reply, 'refundStatus'));
    return {
      state: (REFUND_STATES as readonly string[]).includes(status) ? (status as WeChatRefundState) : 'UNKNOWN',
      refundId: textOf(firstOf(reply, 'refundId')),
      refundFee: Number(firstOf(reply, 'refundFee') ?? 0),
      refundedAtMs: parseRefundTime(textOf(firstOf(reply, 'refundSuccessTime'))),
    };
  },
};
