import { defineFunction } from '../../_shared/handler';
import { createPayment, listPayments, paymentReceipt, paymentStatus } from '../../_shared/payment/payments';
import { processAndOrder } from '../../_shared/violation/process-and-pay';
import { decisionDetail, listViolations, violationDetail } from '../../_shared/violation/violations';

export const main = defineFunction('violation', {
  list: (params, caller) => listViolations(caller.openid, params),
  process: (params, caller) => processAndOrder(caller.openid, params),
  decision: (params, caller) => decisionDetail(caller.openid, params.decisionId),
  detail: (params, caller) => violationDetail(caller.openid, params.violationId),
  // the payment desk: the same use cases as the payment function, so the fines-and-pay path wakes one function
  pay: (params, caller) => createPayment(caller.openid, params.decisionId),
  payStatus: (params, caller) => paymentStatus(caller.openid, params.orderId),
  payments: (_params, caller) => listPayments(caller.openid),
  receipt: (params, caller) => paymentReceipt(caller.openid, params.orderId),
});
