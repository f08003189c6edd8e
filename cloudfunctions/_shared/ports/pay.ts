/**
 * Payment behind a port: WeChat Pay through cloud.cloudPay today (the police's collecting bank as sub-merchant);
 * switching to the non-tax payment platform is one more adapter with the same four operations.
 */
import { parseCompactShanghaiTime } from '../../../miniprogram/domain/core/dates';
import { cloud } from '../cloud';
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

export interface PaymentPort {
  unifiedOrder(input: UnifiedOrderInput): Promise<PaymentRequest>;
  queryOrder(outTradeNo: string): Promise<OrderQuery>;
  closeOrder(outTradeNo: string): Promise<void>;
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
};
