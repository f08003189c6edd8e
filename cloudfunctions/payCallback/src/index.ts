/**
 * WeChat Pay's result notifications, of payments and of refunds. Any mini-program client can call this function too,
 * so nothing in the event is trusted: it is recorded, and the order is settled only on what cloudPay.queryOrder
 * confirms, a refund only on what cloudPay.queryRefund does.
 * `{ errcode: 0 }` stops WeChat's retries, so it is answered only once the notification is durably recorded
 * and its outcome applied; anything else makes WeChat send it again.
 */
import { nowIso } from '../../_shared/clock';
import { COLLECTIONS } from '../../_shared/collections';
import { database, insert, updateById } from '../../_shared/db';
import { type PayCallbackReply, parsePayCallbackEvent, PAY_CALLBACK_ACK } from '../../_shared/payment/pay-callback';
import { settle } from '../../_shared/payment/payments';
import { isRefundNotification, refundNotificationTradeNo } from '../../_shared/payment/refunds/parse';
import { refundNotified } from '../../_shared/payment/refunds/refunds';

/** Only the fields WeChat documents, bounded, so a forged event cannot write anything large or strange. */
function summary(event: unknown): Record<string, string | number | null> {
  const source = typeof event === 'object' && event !== null ? (event as Record<string, unknown>) : {};
  const keep = [
    'returnCode',
    'resultCode',
    'outTradeNo',
    'transactionId',
    'totalFee',
    'timeEnd',
    'subOpenid',
    'outRefundNo',
    'refundStatus',
  ];
  return Object.fromEntries(
    keep.map((key) => {
      const value = source[key];
      return [
        key,
        typeof value === 'string'
          ? value.slice(0, 64)
          : typeof value === 'number' && Number.isFinite(value)
            ? value
            : null,
      ];
    }),
  );
}

export async function main(event: unknown): Promise<PayCallbackReply | { errcode: number; errmsg: string }> {
  const notificationId = await insert(database, COLLECTIONS.payNotifications, {
    receivedAt: nowIso(),
    event: summary(event),
    outcome: 'received',
  });
  const refund = isRefundNotification(event);
  let outTradeNo: string | null = null;
  try {
    outTradeNo = refund ? refundNotificationTradeNo(event) : parsePayCallbackEvent(event).outTradeNo;
  } catch {
    // Not a notification WeChat would send: recorded, acknowledged, nothing to settle.
  }
  let outcome = 'malformed';
  if (outTradeNo !== null) {
    try {
      outcome = refund ? await refundNotified(outTradeNo) : await settle(outTradeNo);
    } catch (error) {
      // Whatever stopped the settling (a CONFLICT after the retries included) is transient: answering errcode 0
      // here would stop WeChat's retries and leave a paid decision unpaid.
      console.error('[payCallback] settling failed; WeChat will send it again', error);
      await updateById(database, COLLECTIONS.payNotifications, notificationId, { outcome: 'error' }).catch(
        () => undefined,
      );
      return { errcode: 1, errmsg: 'retry later' };
    }
  }
  await updateById(database, COLLECTIONS.payNotifications, notificationId, { outcome });
  return PAY_CALLBACK_ACK;
}
