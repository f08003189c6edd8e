import { defineFunction } from '../../_shared/handler';
import { createPayment, listPayments, paymentReceipt, paymentStatus } from '../../_shared/payment/payments';

export const main = defineFunction('payment', {
  create: (params, caller) => createPayment(caller.openid, params.decisionId),
  status: (params, caller) => paymentStatus(caller.openid, params.orderId),
  list: (_params, caller) => listPayments(caller.openid),
  receipt: (params, caller) => paymentReceipt(caller.openid, params.orderId),
});
