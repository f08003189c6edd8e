import type { PaymentActions } from '../../../miniprogram/domain/payment/contract';
import { type Parsers, OPAQUE_ID } from '../parse/fields';

/** Parsers of the `payment` function's actions. */
export const paymentParsers: Parsers<PaymentActions> = {
  create: (r) => ({ decisionId: r.string('decisionId', OPAQUE_ID) }),
  status: (r) => ({ orderId: r.string('orderId', OPAQUE_ID) }),
  list: () => ({}),
  receipt: (r) => ({ orderId: r.string('orderId', OPAQUE_ID) }),
};
