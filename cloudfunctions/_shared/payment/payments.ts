/**
 * Paying a decision: the server computes the amount due today and opens one WeChat Pay order per decision per day;
 * a payment is settled only on what WeChat Pay itself confirms (queryOrder), never on what a callback event claims.
 */
import { parseInstant, shanghaiDateTime, type IsoDate } from '../../../miniprogram/domain/core/dates';
import { DomainError } from '../../../miniprogram/domain/core/errors';
import { amountDue } from '../../../miniprogram/domain/violation/fees';
import { audit } from '../audit';
import { command } from '../cloud';
import { nowIso, nowMs, today } from '../clock';
import { COLLECTIONS } from '../collections';
import { database, find, getById, setById, updateById, type NewDoc, type Scope } from '../db';
import { cloudPayAdapter, PaymentPortError, type PaymentPort } from '../ports/pay';
import type { DecisionDoc, OrderDoc, ViolationDoc } from '../records';
import { exportKey } from '../sequence';
import { inTransaction, type Tx } from '../transaction';
import { driverRefunds, queueRefund as queueRefundOf } from './refunds/refunds';
import { SYSTEM_REQUESTER } from './refunds/rules';
import { requireVerified } from '../account/caller';
import {
  COLLECTING_UNIT,
  type CreatePaymentResult,
  type PaymentStatusResult,
  type PaymentListResult,
  type PaymentReceiptResult,
  type PaymentStatus,
  type OrderItem,
} from '../../../miniprogram/domain/payment/contract';

const PAY_CALLBACK_FUNCTION = 'payCallback';
const LIST_LIMIT = 50;

/**
 * One order per decision per day: `GA` + decision number + yyyyMMdd (26 characters, WeChat allows 32). An order of
 * the day that WeChat settled without paying the decision (amount_mismatch, closed) cannot be paid again, so the
 * next attempt that day is `R1`, `R2`, … after it (at most 29 characters).
 */
function outTradeNoFor(decisionNo: string, on: IsoDate, attempt = 0): string {
  return `GA${decisionNo}${on.replaceAll('-', '')}${attempt > 0 ? `R${attempt}` : ''}`;
}

/** Attempts per decision per day after a settled-but-unpaid order: each is a payment WeChat took and we refunded. */
const MAX_ATTEMPTS_PER_DAY = 99;

/** The end of `on` in Beijing time, as WeChat Pay writes times: tomorrow the surcharge may differ. */
function endOfDay(on: IsoDate): string {
  return `${on.replaceAll('-', '')}235959`;
}

const PAID_AT_BANK = '该处罚决定书已在银行等其他渠道缴款，无需重复缴纳。';
const PARTLY_PAID_AT_BANK = '该处罚决定书的部分违法记录已在银行等其他渠道缴款，不能在网上缴纳，请到交警窗口核实。';

/**
 * Some of the decision's violations are paid but the decision is not: the registry reported only part of it paid at a
 * bank (or did so before imports marked decisions paid). Paying the whole fine online would collect that part twice.
 */
async function partlyPaidElsewhere(tx: Scope, decision: DecisionDoc): Promise<boolean> {
  for (const item of decision.items) {
    const violation = await getById<ViolationDoc>(tx, COLLECTIONS.violations, item.violationId);
    if (violation?.status === 'paid') return true;
  }
  return false;
}

async function requireOwnDecision(scope: Scope, personId: string, decisionId: string): Promise<DecisionDoc> {
  const decision = await getById<DecisionDoc>(scope, COLLECTIONS.decisions, decisionId);
  if (!decision || decision.personId !== personId) throw new DomainError('NOT_FOUND', '处罚决定书不存在。');
  if (decision.status === 'paid')
    throw decision.paidVia === 'registry'
      ? new DomainError('ALREADY_PAID', PAID_AT_BANK)
      : new DomainError('ALREADY_PAID');
  return decision;
}

/** The bank's own payment time of a decision: the latest of its violations', when the registry gave every one. */
function bankPaidAtMs(dates: readonly (string | undefined)[]): number | null {
  let latest = Number.NEGATIVE_INFINITY;
  for (const date of dates) {
    const ms = date === undefined ? null : parseInstant(date);
    if (ms === null) return null;
    latest = Math.max(latest, ms);
  }
  return Number.isFinite(latest) ? latest : null;
}

/**
 * The registry (fed by the collecting bank) reported these violations paid, in the import's transaction `tx`: every
 * decision whose violations are now all paid is paid outside the app — when the bank says, if it said so for each of
 * them, else at `importedAtMs` — and goes to the police export again; one only partly paid stays unpaid.
 * `paid` maps the batch's violations the registry reports paid (the import's write leaves each of them paid) to the
 * bank's payment time when the row carried one.
 */
export async function markDecisionsPaidElsewhere(
  tx: Tx,
  paid: ReadonlyMap<string, string | undefined>,
  importedAtMs: number,
): Promise<void> {
  const decisionIds = new Set<string>();
  const bankDateOf = new Map<string, string | undefined>();
  for (const [id, date] of paid) {
    // Read in the transaction, not from the batch's earlier read: a driver may have processed it in between.
    const violation = await getById<ViolationDoc>(tx, COLLECTIONS.violations, id);
    if (violation?.decisionId) decisionIds.add(violation.decisionId);
    bankDateOf.set(id, date ?? violation?.paidAt);
  }
  for (const decisionId of decisionIds) {
    const decision = await getById<DecisionDoc>(tx, COLLECTIONS.decisions, decisionId);
    if (!decision || decision.status === 'paid') continue;
    const bankDates: (string | undefined)[] = [];
    let all = true;
    for (const item of decision.items) {
      if (bankDateOf.has(item.violationId)) {
        bankDates.push(bankDateOf.get(item.violationId));
        continue;
      }
      const violation = await getById<ViolationDoc>(tx, COLLECTIONS.violations, item.violationId);
      if (violation?.status !== 'paid') {
        all = false;
        break;
      }
      bankDates.push(violation.paidAt);
    }
    if (!all) continue;
    const paidAt = shanghaiDateTime(bankPaidAtMs(bankDates) ?? importedAtMs);
    await updateById(tx, COLLECTIONS.decisions, decisionId, {
      status: 'paid',
      paidAt,
      paidVia: 'registry',
      exportKey: exportKey(importedAtMs, decisionId),
    });
    await audit(tx, {
      openid: '',
      action: 'decision.paidElsewhere',
      target: `decisions/${decisionId}`,
      before: 'unpaid',
      after: { status: 'paid', paidVia: 'registry', paidAt },
    });
  }
}

export async function createPayment(
  openid: string,
  decisionId: string,
  pay: PaymentPort = cloudPayAdapter,
): Promise<CreatePaymentResult> {
  const caller = await requireVerified(openid);
  const on = today();
  const order = await inTransaction(async (tx) => {
    const decision = await requireOwnDecision(tx, caller.person._id, decisionId);
    if (await partlyPaidElsewhere(tx, decision)) throw new DomainError('ALREADY_PAID', PARTLY_PAID_AT_BANK);
    let outTradeNo = outTradeNoFor(decision.decisionNo, on);
    for (let attempt = 1; ; attempt += 1) {
      const existing = await getById<OrderDoc>(tx, COLLECTIONS.orders, outTradeNo);
      if (!existing) break;
      // Today's open order is the one to pay (concurrent creates share it).
      if (existing.status === 'unpaid') return existing;
      if (existing.status === 'paid') throw new DomainError('ALREADY_PAID');
      // Settled without paying the decision (a wrong amount, refunded): the decision is still due, on a new order.
      if (attempt > MAX_ATTEMPTS_PER_DAY)
        throw new DomainError('CONFLICT', '今日缴款尝试次数过多，请明天再试或到窗口缴款。');
      outTradeNo = outTradeNoFor(decision.decisionNo, on, attempt);
    }
    // Computed here, at creation, from the decision: the client never sends an amount.
    const amount = amountDue(decision.fine, decision.decidedOn, on);
    const created: NewDoc<OrderDoc> = {
      outTradeNo,
      decisionId,
      decisionNo: decision.decisionNo,
      personId: caller.person._id,
      openid,
      amount,
      fine: decision.fine,
      surcharge: amount - decision.fine,
      status: 'unpaid',
      createdAt: nowIso(),
      createdOn: on,
      payment: null,
      paidAt: null,
      transactionId: null,
      paidFee: null,
    };
    await setById(tx, COLLECTIONS.orders, outTradeNo, created);
    await audit(tx, {
      openid,
      action: 'payment.create',
      target: `orders/${outTradeNo}`,
      before: null,
      after: { status: 'unpaid', amount },
    });
    return { _id: outTradeNo, ...created };
  });
  let payment = order.payment;
  if (!payment) {
    try {
      // WeChat Pay answers a repeated outTradeNo with the same prepay, so a retry after a failure is safe.
      payment = await pay.unifiedOrder({
        outTradeNo: order.outTradeNo,
        totalFee: order.amount,
        body: `南宁交警-交通违法罚款-${order.decisionNo}`,
        callbackFunction: PAY_CALLBACK_FUNCTION,
        timeExpire: endOfDay(order.createdOn),
      });
    } catch (error) {
      if (error instanceof PaymentPortError) throw new DomainError('INTERNAL', '微信支付下单失败，请稍后重试。');
      throw error;
    }
    // command.set replaces the null field whole; a plain object would be flattened into payment.x paths.
    await updateById(database, COLLECTIONS.orders, order._id, { payment: command.set(payment) });
  }
  return {
    orderId: order._id,
    outTradeNo: order.outTradeNo,
    amount: order.amount,
    payment,
    fine: order.fine,
    surcharge: order.surcharge,
  };
}

export type SettleOutcome = 'paid' | 'replay' | 'not_paid' | 'unknown_order' | 'amount_mismatch' | 'paid_unmatched';

/** Money WeChat took that cannot pay the decision: queued for a finance officer to approve paying it back. */
async function queueRefund(
  tx: Tx,
  outTradeNo: string,
  transactionId: string,
  amount: number,
  reason: string,
): Promise<void> {
  await queueRefundOf(tx, { outTradeNo, transactionId, amount, reason, requestedBy: SYSTEM_REQUESTER });
}

/**
 * Applies what WeChat Pay confirms for `outTradeNo`. Idempotent: a settled order is never changed again.
 * Money WeChat took that cannot pay an unpaid decision is kept on record and queued for refund.
 */
export async function settle(outTradeNo: string, pay: PaymentPort = cloudPayAdapter): Promise<SettleOutcome> {
  const confirmed = await pay.queryOrder(outTradeNo);
  if (!confirmed.found || confirmed.tradeState !== 'SUCCESS') return 'not_paid';
  return inTransaction(async (tx) => {
    const order = await getById<OrderDoc>(tx, COLLECTIONS.orders, outTradeNo);
    if (!order) {
      // A resent notification of an unknown order is already on record (and its refund perhaps paid out since).
      if (await getById(tx, COLLECTIONS.refunds, outTradeNo)) return 'replay';
      await queueRefund(
        tx,
        outTradeNo,
        confirmed.transactionId,
        confirmed.totalFee,
        '未知订单：微信支付确认已付款，但系统中没有该订单',
      );
      await audit(tx, {
        openid: '',
        action: 'payment.unknown',
        target: `orders/${outTradeNo}`,
        before: null,
        after: 'refund_queued',
      });
      return 'unknown_order';
    }
    if (order.status !== 'unpaid') return 'replay';
    // WeChat's own payment time, not this callback's: a fine paid at 23:59 counts as paid that day however late we hear.
    const paidFields = {
      transactionId: confirmed.transactionId,
      paidFee: confirmed.totalFee,
      paidAt: shanghaiDateTime(confirmed.paidAtMs ?? nowMs()),
    };
    let outcome: SettleOutcome;
    if (confirmed.totalFee !== order.amount) {
      outcome = 'amount_mismatch';
      await queueRefund(
        tx,
        outTradeNo,
        confirmed.transactionId,
        confirmed.totalFee,
        `金额不符：应付 ${order.amount} 分，实付 ${confirmed.totalFee} 分`,
      );
    } else {
      const decision = await getById<DecisionDoc>(tx, COLLECTIONS.decisions, order.decisionId);
      if (!decision || decision.status === 'paid') {
        outcome = 'paid_unmatched';
        const where = decision?.paidVia === 'registry' ? '已在银行等其他渠道缴款' : '已经缴款';
        await queueRefund(
          tx,
          outTradeNo,
          confirmed.transactionId,
          confirmed.totalFee,
          `重复缴款：该处罚决定书${where}`,
        );
      } else if (await partlyPaidElsewhere(tx, decision)) {
        outcome = 'paid_unmatched';
        await queueRefund(
          tx,
          outTradeNo,
          confirmed.transactionId,
          confirmed.totalFee,
          '重复缴款：该处罚决定书的部分违法记录已在银行等其他渠道缴款',
        );
      } else {
        outcome = 'paid';
        // Paid: the police export carries the decision again, with its payment.
        await updateById(tx, COLLECTIONS.decisions, decision._id, {
          status: 'paid',
          paidAt: paidFields.paidAt,
          paidOrderId: outTradeNo,
          paidVia: 'wechat',
          exportKey: exportKey(nowMs(), decision._id),
        });
        for (const item of decision.items)
          await updateById(tx, COLLECTIONS.violations, item.violationId, { status: 'paid' });
      }
    }
    await updateById(tx, COLLECTIONS.orders, outTradeNo, { ...paidFields, status: outcome });
    await audit(tx, {
      openid: order.openid,
      action: 'payment.settle',
      target: `orders/${outTradeNo}`,
      before: 'unpaid',
      after: outcome,
    });
    return outcome;
  });
}

async function requireOwnOrder(personId: string, orderId: string): Promise<OrderDoc> {
  const order = await getById<OrderDoc>(database, COLLECTIONS.orders, orderId);
  if (!order || order.personId !== personId) throw new DomainError('NOT_FOUND', '缴款订单不存在。');
  return order;
}

/**
 * The status a driver sees: an unpaid order past its WeChat Pay expiry (the end of the day it was created) is closed,
 * as WeChat closed it; its decision stays unpaid and is paid on a new order.
 */
function shownStatus(order: OrderDoc, on: IsoDate): PaymentStatus {
  return order.status === 'unpaid' && order.createdOn < on ? 'closed' : order.status;
}

export async function paymentStatus(openid: string, orderId: string): Promise<PaymentStatusResult> {
  const caller = await requireVerified(openid);
  let order = await requireOwnOrder(caller.person._id, orderId);
  // A lost or late callback must not leave a paid driver waiting: ask WeChat Pay directly.
  if (order.status === 'unpaid' && (await settle(order._id)) !== 'not_paid')
    order = await requireOwnOrder(caller.person._id, orderId);
  const result: PaymentStatusResult = {
    orderId: order._id,
    status: shownStatus(order, today()),
    amount: order.amount,
    decisionId: order.decisionId,
    decisionNo: order.decisionNo,
  };
  return order.paidAt ? { ...result, paidAt: order.paidAt } : result;
}

const NO_RECEIPT_UNPAID = '该笔订单尚未缴款成功，没有电子缴款凭证。';
const NO_RECEIPT_REFUND = '该笔支付未用于缴纳罚款（将原路退回或已退回），没有电子缴款凭证。';

/**
 * Only an order that paid its decision has a receipt. The caller's own order without one is ORDER_NOT_PAID, naming
 * the decision still to pay when the order is merely unpaid; someone else's order stays NOT_FOUND.
 */
export async function paymentReceipt(openid: string, orderId: string): Promise<PaymentReceiptResult> {
  const caller = await requireVerified(openid);
  const order = await requireOwnOrder(caller.person._id, orderId);
  if (order.status !== 'paid' || order.transactionId === null || order.paidAt === null) {
    if (order.status === 'unpaid' || order.status === 'closed')
      throw new DomainError('ORDER_NOT_PAID', NO_RECEIPT_UNPAID, { decisionId: order.decisionId });
    throw new DomainError('ORDER_NOT_PAID', NO_RECEIPT_REFUND);
  }
  return {
    orderId: order._id,
    outTradeNo: order.outTradeNo,
    transactionId: order.transactionId,
    amount: order.paidFee ?? order.amount,
    fine: order.fine,
    surcharge: order.surcharge,
    paidAt: order.paidAt,
    decisionId: order.decisionId,
    decisionNo: order.decisionNo,
    collectingUnit: COLLECTING_UNIT,
  };
}

export async function listPayments(openid: string): Promise<PaymentListResult> {
  const caller = await requireVerified(openid);
  const on = today();
  const orders = await find<OrderDoc>(
    COLLECTIONS.orders,
    { personId: caller.person._id },
    { orderBy: [['createdAt', 'desc']], limit: LIST_LIMIT },
  );
  // The server decides what the driver reads of a refund (退款中 / 已退款), not the page.
  const refunds = await driverRefunds(orders.map((order) => order._id));
  return {
    orders: orders.map((order): OrderItem => {
      const refund = refunds.get(order._id);
      const item: OrderItem = {
        orderId: order._id,
        decisionId: order.decisionId,
        outTradeNo: order.outTradeNo,
        amount: order.amount,
        status: shownStatus(order, on),
        decisionNo: order.decisionNo,
        createdAt: order.createdAt,
      };
      const withPaid = order.paidAt ? { ...item, paidAt: order.paidAt } : item;
      return refund ? { ...withPaid, refund } : withPaid;
    }),
  };
}
