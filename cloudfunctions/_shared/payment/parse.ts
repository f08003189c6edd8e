import type { PaymentActions, PaymentDeskActions } from '../../../miniprogram/domain/payment/contract';
import { type Parsers, OPAQUE_ID } from '../parse/fields';

/** Parsers of the `payment` function's actions. */
export const paymentParsers: Parsers<PaymentActions> = {
  create: (r) => ({ decisionId: r.string('decisionId', OPAQUE_ID) }),
  status: (r) => ({ orderId: r.string('orderId', OPAQUE_ID) }),
  list: () => ({}),
  receipt: (r) => ({ orderId: r.string('orderId', OPAQUE_ID) }),
};

/** The same parsers under the names the `violation` function answers them by. */
export const paymentDeskParsers: Parsers<PaymentDeskActions> = {
  pay: paymentParsers.create,
  payStatus: paymentParsers.status,
  payments: paymentParsers.list,
  receipt: paymentParsers.receipt,
};
