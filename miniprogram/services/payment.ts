/** The `payment` function, and WeChat Pay's cashier with the parameters it returns. */
import type {
  CreatePaymentResult,
  PaymentStatusResult,
  PaymentReceiptResult,
  OrderItem,
  WxPaymentParams,
} from '../domain/payment/contract';
import type { DecisionResult } from '../domain/violation/contract';
import { forgetAnswers } from './cache';
import { cachedCall, call } from './cloud';
import { ServiceError } from './errors';

// The payment actions go to the `violation` function's payment desk: the driver's path wakes one function.

/** The server computes the amount when the order is created; the page never sends one. */
export function createPayment(decisionId: string): Promise<CreatePaymentResult> {
  return call('violation', 'pay', { decisionId });
}

export function getPaymentStatus(orderId: string): Promise<PaymentStatusResult> {
  return call('violation', 'payStatus', { orderId });
}

/** The electronic receipt of one of the caller's paid orders. */
export function getReceipt(orderId: string): Promise<PaymentReceiptResult> {
  return cachedCall('violation', 'receipt', { orderId });
}

/** One of the caller's penalty decisions with what is due today: the 处罚决定书 the payment pages lead to. */
export function getDecision(decisionId: string): Promise<DecisionResult> {
  return call('violation', 'decision', { decisionId });
}

export async function listPayments(): Promise<readonly OrderItem[]> {
  const { orders } = await cachedCall('violation', 'payments', {});
  return orders;
}

type SignType = 'MD5' | 'HMAC-SHA256' | 'RSA';

function signTypeOf(value: string): SignType {
  return value === 'HMAC-SHA256' || value === 'RSA' ? value : 'MD5';
}

/** Opens WeChat Pay's cashier; resolves when WeChat says paid (the server's status is still the truth). */
export function requestWxPayment(params: WxPaymentParams): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.requestPayment({
      timeStamp: params.timeStamp,
      nonceStr: params.nonceStr,
      package: params.package,
      signType: signTypeOf(params.signType),
      paySign: params.paySign,
      success: () => {
        // WeChat took the money: whatever was kept about fines and orders is out of date
        forgetAnswers();
        resolve();
      },
      fail: (res) => {
        const cancelled = typeof res.errMsg === 'string' && res.errMsg.indexOf('cancel') >= 0;
        reject(new ServiceError(cancelled ? 'PAY_CANCELLED' : 'PAY_FAILED'));
      },
    });
  });
}
