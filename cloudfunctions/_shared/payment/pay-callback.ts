/**
 * The WeChat Pay callback's event (from WeChat Pay, or from anyone pretending to be it), its parser and the reply.
 */

import { type StringRule, badField } from '../../../miniprogram/domain/core/fields';
import { MAX_AMOUNT_FEN } from '../../../miniprogram/domain/violation/fees';
import { guardParse, FieldReader } from '../parse/reader';

export interface PayCallbackEvent {
  readonly returnCode: string;
  readonly resultCode?: string;
  readonly outTradeNo: string;
  readonly transactionId?: string;
  readonly totalFee?: number;
  /** `yyyyMMddHHmmss`, Beijing time. */
  readonly timeEnd?: string;
  readonly subOpenid?: string;
}

/** The only answer that stops WeChat's retries. */
export interface PayCallbackReply {
  readonly errcode: 0;
  readonly errmsg: 'OK';
}

export const PAY_CALLBACK_ACK: PayCallbackReply = { errcode: 0, errmsg: 'OK' };

const OUT_TRADE_NO: StringRule = { max: 32, pattern: /^[0-9A-Za-z_-]+$/ };

/**
 * The WeChat Pay callback's fields, shape-checked only: the callback trusts none of them and confirms the order
 * with WeChat Pay (queryOrder) before marking anything paid.
 */
export function parsePayCallbackEvent(event: unknown): PayCallbackEvent {
  return guardParse(() => {
    const r = new FieldReader(event);
    const base = {
      returnCode: r.string('returnCode', { max: 32 }),
      outTradeNo: r.string('outTradeNo', OUT_TRADE_NO),
    };
    const resultCode = r.optionalString('resultCode', { max: 32 });
    const transactionId = r.optionalString('transactionId', { max: 64, pattern: /^[0-9A-Za-z_-]+$/ });
    const timeEnd = r.optionalString('timeEnd', { max: 14, pattern: /^\d{14}$/ });
    const subOpenid = r.optionalString('subOpenid', { max: 128, pattern: /^[0-9A-Za-z_-]+$/ });
    const totalFee = readTotalFee(r);
    return {
      ...base,
      ...(resultCode === undefined ? {} : { resultCode }),
      ...(transactionId === undefined ? {} : { transactionId }),
      ...(totalFee === undefined ? {} : { totalFee }),
      ...(timeEnd === undefined ? {} : { timeEnd }),
      ...(subOpenid === undefined ? {} : { subOpenid }),
    };
  });
}

/** WeChat sends `totalFee` as a number; a digit string is accepted too. */
function readTotalFee(r: FieldReader): number | undefined {
  const value = r.raw('totalFee');
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && /^\d{1,12}$/.test(value)) {
    const fee = Number(value);
    if (fee > MAX_AMOUNT_FEN) throw badField(r.path('totalFee'));
    return fee;
  }
  return r.int('totalFee', { min: 0, max: MAX_AMOUNT_FEN });
}
