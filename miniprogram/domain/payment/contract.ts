/** The payment contract (`payment` function): an order for a decision, its status, the receipts list. */

import type { Action, EmptyParams } from '../core/envelope';
import type { DecisionIdParams } from '../violation/contract';

export const PAYMENT_STATUSES = ['unpaid', 'paid', 'amount_mismatch', 'closed', 'paid_unmatched', 'refunded'] as const;

export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What `wx.requestPayment` takes, as `cloud.cloudPay.unifiedOrder` returns it in `payment`. */
export interface WxPaymentParams {
  readonly timeStamp: string;
  readonly nonceStr: string;
  readonly package: string;
  readonly signType: string;
  readonly paySign: string;
}

export interface CreatePaymentResult {
  readonly orderId: string;
  readonly outTradeNo: string;
  /** Integer fen, computed by the server when the order is created. */
  readonly amount: number;
  readonly payment: WxPaymentParams;
  readonly fine?: number;
  readonly surcharge?: number;
}

export interface OrderIdParams {
  readonly orderId: string;
}

export interface PaymentStatusResult {
  readonly orderId: string;
  readonly status: PaymentStatus;
  readonly amount?: number;
  readonly paidAt?: string;
  /** The decision the order pays, for the result page's links to the 决定书 and the receipt. */
  readonly decisionId?: string;
  readonly decisionNo?: string;
}

/** What became of the money of a payment that did not pay its decision (or was refunded by the police). */
export interface OrderRefund {
  /** `refunding` from the moment it is queued until WeChat Pay confirms; `refunded` once it has. */
  readonly status: 'refunding' | 'refunded';
  /** The words the driver sees, decided by the server: 退款中 or 已退款. */
  readonly label: string;
  /** Integer fen going back: always the whole amount WeChat Pay collected. */
  readonly amount: number;
  /** When WeChat Pay paid it back (ISO 8601, +08:00); only once refunded. */
  readonly refundedAt?: string;
}

export interface OrderItem {
  readonly orderId: string;
  readonly decisionId: string;
  readonly outTradeNo: string;
  readonly amount: number;
  readonly status: PaymentStatus;
  readonly decisionNo?: string;
  readonly createdAt?: string;
  readonly paidAt?: string;
  /** Present once the payment's money is being, or has been, paid back. */
  readonly refund?: OrderRefund;
}

/**
 * The payment actions the `violation` function answers too, by the same use cases: the driver's path from the list
 * to the receipts then wakes one function. The `payment` function keeps answering them under their own names.
 */
export interface PaymentDeskActions {
  readonly pay: PaymentActions['create'];
  readonly payStatus: PaymentActions['status'];
  readonly payments: PaymentActions['list'];
  readonly receipt: PaymentActions['receipt'];
}

export interface PaymentListResult {
  readonly orders: readonly OrderItem[];
}

/** The unit that imposes and collects the fines, as the receipt names it. */
export const COLLECTING_UNIT = '南宁市公安局交通警察支队';

/** The electronic receipt (电子缴款凭证) of an order that paid its decision. */
export interface PaymentReceiptResult {
  readonly orderId: string;
  readonly outTradeNo: string;
  /** WeChat Pay's transaction id (微信支付交易单号). */
  readonly transactionId: string;
  /** Integer fen WeChat Pay collected. */
  readonly amount: number;
  readonly fine: number;
  readonly surcharge: number;
  readonly paidAt: string;
  readonly decisionId: string;
  readonly decisionNo: string;
  readonly collectingUnit: string;
}

/** The `payment` function's actions. */
export interface PaymentActions {
  readonly create: Action<DecisionIdParams, CreatePaymentResult>;
  readonly status: Action<OrderIdParams, PaymentStatusResult>;
  readonly list: Action<EmptyParams, PaymentListResult>;
  readonly receipt: Action<OrderIdParams, PaymentReceiptResult>;
}
