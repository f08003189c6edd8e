/** Parsers of the refund actions (police side) and of WeChat Pay's refund notification (trusted for nothing). */
import { isPlainObject } from '../../../../miniprogram/domain/core/fields';
import { MAX_AMOUNT_FEN } from '../../../../miniprogram/domain/violation/fees';
import { FREE_TEXT } from '../../parse/fields';
import type { FieldReader } from '../../parse/reader';
import { MAX_REFUND_PAGE, type ListRefundsParams, type RefundIdParams, type RequestRefundParams } from './contract';
import { outTradeNoOfRefund, REFUND_STATUSES } from './rules';

const OUT_TRADE_NO = { max: 32, pattern: /^[0-9A-Za-z_-]+$/, message: '商户订单号格式有误。' };

export function readListRefunds(r: FieldReader): ListRefundsParams {
  const status = r.has('status') ? r.oneOf('status', REFUND_STATUSES, '不支持的退款状态。') : undefined;
  const after = r.optionalString('after', OUT_TRADE_NO);
  return {
    limit: r.int('limit', { min: 1, max: MAX_REFUND_PAGE }),
    ...(status === undefined ? {} : { status }),
    ...(after === undefined ? {} : { after }),
  };
}

export function readRequestRefund(r: FieldReader): RequestRefundParams {
  return {
    outTradeNo: r.string('outTradeNo', OUT_TRADE_NO),
    // 0 and any other amount are read here and refused by the rule, naming what was collected.
    amount: r.int('amount', { min: 0, max: MAX_AMOUNT_FEN }),
    reason: r.string('reason', { ...FREE_TEXT, message: '退款原因最多 200 个字。' }),
  };
}

export function readRefundId(r: FieldReader): RefundIdParams {
  return { refundId: r.string('refundId', OUT_TRADE_NO) };
}

/** The fields of a notification WeChat Pay would send about a refund: at the top level or inside `reqInfo`. */
function notificationFields(event: unknown): Record<string, unknown> | null {
  if (!isPlainObject(event)) return null;
  const inner = event['reqInfo'];
  return isPlainObject(inner) ? { ...event, ...inner } : event;
}

/** A refund notification names a refund (out_refund_no, refund status, or the encrypted req_info) where a payment's does not. */
export function isRefundNotification(event: unknown): boolean {
  const fields = notificationFields(event);
  return fields !== null && ('outRefundNo' in fields || 'refundStatus' in fields || 'reqInfo' in fields);
}

/** The payment whose refund the notification is about, or null when it names none of ours. */
export function refundNotificationTradeNo(event: unknown): string | null {
  const fields = notificationFields(event);
  if (fields === null) return null;
  const outRefundNo = fields['outRefundNo'];
  if (typeof outRefundNo === 'string' && outRefundNo.length <= 64) return outTradeNoOfRefund(outRefundNo);
  const outTradeNo = fields['outTradeNo'];
  return typeof outTradeNo === 'string' && OUT_TRADE_NO.pattern.test(outTradeNo) && outTradeNo.length <= 32
    ? outTradeNo
    : null;
}
