/** Processing a batch and, when asked, opening the new decision's payment order in the same call. */
import type { ProcessParams, ProcessResult } from '../../../miniprogram/domain/violation/contract';
import { createPayment } from '../payment/payments';
import { processViolations } from './violations';

export async function processAndOrder(openid: string, params: ProcessParams): Promise<ProcessResult> {
  const decision = await processViolations(openid, params);
  if (params.pay !== true) return decision;
  try {
    // today's open order, as payment.create would answer it: paying later the same day reuses it
    return { ...decision, order: await createPayment(openid, decision.decisionId) };
  } catch (error: unknown) {
    // the decision stands either way; the payment page opens the order itself when it has none
    console.error('[violation.process] order', error);
    return decision;
  }
}
