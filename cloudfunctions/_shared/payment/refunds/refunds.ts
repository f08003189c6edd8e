/**
 * Refunds paid back through WeChat Pay. Each one is sent at most once however many approvals, retries, timer runs
 * and notifications race: a send is first claimed by a transaction that moves the refund to `refunding` (only one
 * can), and only the claimant calls cloudPay.refund, always with the payment's own out_refund_no. A send whose
 * outcome is unknown stays `refunding` and is settled by asking WeChat Pay (queryRefund); nothing a notification
 * says is believed.
 */
import { shanghaiDateTime } from '../../../../miniprogram/domain/core/dates';
import { DomainError } from '../../../../miniprogram/domain/core/errors';
import type { OrderRefund } from '../../../../miniprogram/domain/payment/contract';
import { audit } from '../../audit';
import { command } from '../../cloud';
import { nowIso, nowMs } from '../../clock';
import { COLLECTIONS } from '../../collections';
import { database, find, getById, setById, updateById, type NewDoc, type Scope } from '../../db';
import { actorLabel, type Actor } from '../../police/access';
import { cloudPayAdapter, type PaymentPort, type RefundQuery, type RefundSend } from '../../ports/pay';
import { cloudMessages, type MessagePort } from '../../ports/messages';
import type { OrderDoc, RefundDoc } from '../../records';
import { sendReminderNow } from '../../reminder/reminders';
import { inTransaction, type Tx } from '../../transaction';
import type { ListRefundsParams, ListRefundsResult, RefundRow, RequestRefundParams } from './contract';
import {
  checkApprover,
  checkRefundAmount,
  confirmationMove,
  driverRefund,
  isRefundStatus,
  nextStatus,
  outRefundNoFor,
  refundNotice,
  requireMove,
  sendIsLost,
  SYSTEM_REQUESTER,
  type RefundMove,
  type RefundStatus,
} from './rules';

/** WeChat Pay's refund notification goes to the payment callback, which tells it from a payment's by its fields. */
const REFUND_CALLBACK_FUNCTION = 'payCallback';
/** Refunds a timer run looks at, per status: far above a day's refunds. */
const SWEEP_LIMIT = 100;
/** An approval sends at once; the timer sends only approvals this old (their own send was lost). */
const APPROVED_UNSENT_MS = 60_000;

const NOT_FOUND = '没有该退款记录。';
const NOT_PAID = '该订单尚未缴款成功，没有可退的款项。';
const ALREADY_QUEUED = '该笔缴款已有退款记录，每笔缴款只能退款一次。';
const NOT_SENT = '该退款尚未审批发起，没有可向微信支付查询的退款。';
const QUERY_FAILED = '暂时无法向微信支付查询退款结果，请稍后重试。';

export interface RefundPorts {
  readonly pay?: PaymentPort;
  readonly messages?: MessagePort;
}

function statusOf(refund: RefundDoc): RefundStatus {
  // A stored status we do not know would otherwise allow nothing and say nothing: treat it as not yet approved.
  return isRefundStatus(refund.status) ? refund.status : 'queued';
}

function rowOf(refund: RefundDoc): RefundRow {
  return {
    refundId: refund._id,
    outTradeNo: refund.outTradeNo,
    transactionId: refund.transactionId,
    outRefundNo: refund.outRefundNo ?? outRefundNoFor(refund.outTradeNo),
    amount: refund.amount,
    reason: refund.reason,
    status: statusOf(refund),
    queuedAt: refund.queuedAt,
    requestedBy: refund.requestedBy ?? SYSTEM_REQUESTER,
    approvedBy: refund.approvedBy ?? null,
    approvedAt: refund.approvedAt ?? null,
    attempts: refund.attempts ?? 0,
    sentAt: refund.sentAt ?? null,
    wechatRefundId: refund.refundId ?? null,
    refundedAt: refund.refundedAt ?? null,
    failure: refund.failure ?? null,
  };
}

async function requireRefund(scope: Scope, refundId: string): Promise<RefundDoc> {
  const refund = await getById<RefundDoc>(scope, COLLECTIONS.refunds, refundId);
  if (!refund) throw new DomainError('NOT_FOUND', NOT_FOUND);
  return refund;
}

/** A refund of everything WeChat Pay collected for `outTradeNo`, queued in the caller's transaction. */
export async function queueRefund(
  tx: Tx,
  fields: { outTradeNo: string; transactionId: string; amount: number; reason: string; requestedBy: string },
): Promise<RefundDoc> {
  const now = nowIso();
  const refund: NewDoc<RefundDoc> = {
    ...fields,
    queuedAt: now,
    status: 'queued',
    outRefundNo: outRefundNoFor(fields.outTradeNo),
    approvedBy: null,
    approvedAt: null,
    attempts: 0,
    sentAt: null,
    refundId: null,
    refundedAt: null,
    failure: null,
    updatedAt: now,
  };
  await setById(tx, COLLECTIONS.refunds, fields.outTradeNo, refund);
  await audit(tx, {
    openid: '',
    action: 'refund.queue',
    target: `refunds/${fields.outTradeNo}`,
    before: null,
    after: { status: 'queued', amount: fields.amount, by: fields.requestedBy },
  });
  return { _id: fields.outTradeNo, ...refund };
}

export async function listRefunds(params: ListRefundsParams): Promise<ListRefundsResult> {
  const filter: Record<string, unknown> = {
    ...(params.status === undefined ? {} : { status: params.status }),
    ...(params.after === undefined ? {} : { _id: command.gt(params.after) }),
  };
  // One more than asked says whether there is a next page.
  const found = await find<RefundDoc>(COLLECTIONS.refunds, filter, {
    orderBy: [['_id', 'asc']],
    limit: params.limit + 1,
  });
  const page = found.slice(0, params.limit);
  return {
    refunds: page.map(rowOf),
    next: found.length > params.limit ? (page[page.length - 1]?._id ?? null) : null,
  };
}

/** An officer asks to pay back a paid order (a decision paid twice, say); another officer approves it. */
export async function requestRefund(params: RequestRefundParams, actor: Actor): Promise<RefundRow> {
  const refund = await inTransaction(async (tx) => {
    const order = await getById<OrderDoc>(tx, COLLECTIONS.orders, params.outTradeNo);
    if (!order) throw new DomainError('NOT_FOUND', '没有该缴款订单。');
    if (order.paidFee === null || order.transactionId === null || order.status === 'unpaid')
      throw new DomainError('INVALID_TRANSITION', NOT_PAID);
    checkRefundAmount(params.amount, order.paidFee);
    if (await getById<RefundDoc>(tx, COLLECTIONS.refunds, order._id))
      throw new DomainError('INVALID_TRANSITION', ALREADY_QUEUED);
    return queueRefund(tx, {
      outTradeNo: order._id,
      transactionId: order.transactionId,
      amount: order.paidFee,
      reason: params.reason,
      requestedBy: actorLabel(actor),
    });
  });
  return rowOf(refund);
}

type Patch = Partial<NewDoc<RefundDoc>>;

/**
 * Moves the refund by `move` in one transaction with its audit entry; null when the move is not allowed now or
 * `patchOf` declines it (null).
 */
async function moveRefund(
  refundId: string,
  move: RefundMove,
  patchOf: (refund: RefundDoc) => Patch | null,
  options: { strict: boolean; by: string },
): Promise<{ before: RefundDoc; after: RefundDoc } | null> {
  return inTransaction(async (tx) => {
    const before = await requireRefund(tx, refundId);
    const from = statusOf(before);
    const to = options.strict ? requireMove(from, move) : nextStatus(from, move);
    const fields = to === null ? null : patchOf(before);
    if (to === null || fields === null) return null;
    const patch = { ...fields, status: to, updatedAt: nowIso() };
    await updateById(tx, COLLECTIONS.refunds, refundId, patch);
    await audit(tx, {
      openid: '',
      action: `refund.${move}`,
      target: `refunds/${refundId}`,
      before: from,
      after: { ...patch, by: options.by },
    });
    return { before, after: { ...before, ...patch } };
  });
}

/**
 * Claims the refund for one send (approved → refunding, or failed → refunding on a retry) and sends it. Only the
 * claimant sends; `strict` false answers a lost race with the refund as it is instead of INVALID_TRANSITION.
 */
async function claimAndSend(
  refundId: string,
  move: 'send' | 'retry',
  by: string,
  ports: RefundPorts,
  strict: boolean,
): Promise<RefundRow> {
  const claimed = await moveRefund(
    refundId,
    move,
    (refund) => ({
      outRefundNo: refund.outRefundNo ?? outRefundNoFor(refund.outTradeNo),
      attempts: (refund.attempts ?? 0) + 1,
      sentAt: nowIso(),
      failure: null,
    }),
    { strict, by },
  );
  if (claimed === null) return rowOf(await requireRefund(database, refundId));
  const refund = claimed.after;
  const pay = ports.pay ?? cloudPayAdapter;
  let sent: RefundSend;
  try {
    sent = await pay.refund({
      outTradeNo: refund.outTradeNo,
      outRefundNo: refund.outRefundNo ?? outRefundNoFor(refund.outTradeNo),
      totalFee: refund.amount,
      refundFee: refund.amount,
      reason: refund.reason,
      callbackFunction: REFUND_CALLBACK_FUNCTION,
    });
  } catch (error) {
    // The refund may or may not exist at WeChat Pay: it stays refunding, and queryRefund settles it.
    console.error('[refund] send outcome unknown', refundId, error);
    return rowOf(refund);
  }
  if (!sent.accepted) {
    const attempt = refund.attempts;
    const failed = await moveRefund(
      refundId,
      'fail',
      (current) =>
        // A later retry's claim is not this send's to fail.
        current.attempts === attempt ? { failure: `微信支付拒绝退款：${sent.code} ${sent.message}`.trim() } : null,
      { strict: false, by: 'wechat' },
    );
    return rowOf(failed?.after ?? (await requireRefund(database, refundId)));
  }
  if (sent.refundId !== '') await updateById(database, COLLECTIONS.refunds, refundId, { refundId: sent.refundId });
  return (await syncOne(refundId, ports)).row;
}

export async function approveRefund(refundId: string, actor: Actor, ports: RefundPorts = {}): Promise<RefundRow> {
  const approver = actorLabel(actor);
  await inTransaction(async (tx) => {
    const refund = await requireRefund(tx, refundId);
    const from = statusOf(refund);
    requireMove(from, 'approve');
    checkApprover(refund.requestedBy ?? SYSTEM_REQUESTER, approver);
    const patch = { status: 'approved' as const, approvedBy: approver, approvedAt: nowIso(), updatedAt: nowIso() };
    await updateById(tx, COLLECTIONS.refunds, refundId, patch);
    await audit(tx, {
      openid: '',
      action: 'refund.approve',
      target: `refunds/${refundId}`,
      before: from,
      after: { status: 'approved', by: approver },
    });
  });
  // The timer may have claimed it in between: then that run sends it, and this answers with where it stands.
  return claimAndSend(refundId, 'send', approver, ports, false);
}

export function retryRefund(refundId: string, actor: Actor, ports: RefundPorts = {}): Promise<RefundRow> {
  return claimAndSend(refundId, 'retry', actorLabel(actor), ports, true);
}

interface Synced {
  readonly row: RefundRow;
  /** This call moved it (refunded or failed); a replayed notification finds it already moved. */
  readonly changed: boolean;
}

/** Asks WeChat Pay about a sent refund and applies what it says; a refund not sent is left as it is. */
async function syncOne(refundId: string, ports: RefundPorts): Promise<Synced> {
  const refund = await requireRefund(database, refundId);
  const status = statusOf(refund);
  if (status !== 'refunding' && status !== 'failed') return { row: rowOf(refund), changed: false };
  const pay = ports.pay ?? cloudPayAdapter;
  const answer = await pay.queryRefund(refund.outRefundNo ?? outRefundNoFor(refund.outTradeNo));
  const sentAtMs = refund.sentAt ? Date.parse(refund.sentAt) : null;
  const move =
    confirmationMove(answer.state) ??
    (status === 'refunding' && sendIsLost(answer.state, sentAtMs, nowMs()) ? 'fail' : null);
  if (move === null) return { row: rowOf(refund), changed: false };
  const moved = await moveRefund(refundId, move, (current) => settledFields(current, move, answer), {
    strict: false,
    by: 'wechat',
  });
  if (moved === null) return { row: rowOf(await requireRefund(database, refundId)), changed: false };
  if (move === 'confirm') await tellDriver(moved.after, ports.messages ?? cloudMessages);
  return { row: rowOf(moved.after), changed: true };
}

function settledFields(refund: RefundDoc, move: 'confirm' | 'fail', answer: RefundQuery): Patch {
  if (move === 'confirm')
    return {
      refundId: answer.refundId || (refund.refundId ?? null),
      // WeChat Pay's own time: the driver's money came back then, however late we asked.
      refundedAt: shanghaiDateTime(answer.refundedAtMs ?? nowMs()),
      failure: null,
    };
  return {
    failure:
      answer.state === 'NOT_FOUND' ? '微信支付没有收到该退款申请，请重试。' : `微信支付退款未成功（${answer.state}）。`,
  };
}

/** One message per payment once refunded (the reminder log's fixed key), if the driver subscribed to it. */
async function tellDriver(refund: RefundDoc, messages: MessagePort): Promise<void> {
  try {
    const order = await getById<OrderDoc>(database, COLLECTIONS.orders, refund.outTradeNo);
    if (!order || !refund.refundedAt) return;
    await sendReminderNow(
      order.openid,
      refundNotice({
        outTradeNo: refund.outTradeNo,
        decisionNo: order.decisionNo,
        amount: refund.amount,
        refundedAt: refund.refundedAt,
      }),
      messages,
    );
  } catch (error) {
    // The refund is done whatever happens to the message; the driver sees it in 缴款记录 anyway.
    console.error('[refund] could not tell the driver', refund._id, error);
  }
}

/** `syncRefund`: ask WeChat Pay now (an approved refund whose send was lost is sent). */
export async function syncRefund(refundId: string, actor: Actor, ports: RefundPorts = {}): Promise<RefundRow> {
  const refund = await requireRefund(database, refundId);
  const status = statusOf(refund);
  if (status === 'queued') throw new DomainError('INVALID_TRANSITION', NOT_SENT);
  if (status === 'approved') return claimAndSend(refundId, 'send', actorLabel(actor), ports, false);
  try {
    return (await syncOne(refundId, ports)).row;
  } catch (error) {
    if (error instanceof DomainError) throw error;
    console.error('[refund] query failed', refundId, error);
    throw new DomainError('INTERNAL', QUERY_FAILED);
  }
}

export type RefundNotificationOutcome = 'refund_unknown' | 'refund_not_sent' | 'refund_settled' | 'refund_unchanged';

/** WeChat Pay's refund notification, or anyone's imitation of it: only which refund to ask WeChat Pay about. */
export async function refundNotified(outTradeNo: string, ports: RefundPorts = {}): Promise<RefundNotificationOutcome> {
  const refund = await getById<RefundDoc>(database, COLLECTIONS.refunds, outTradeNo);
  if (!refund) return 'refund_unknown';
  const status = statusOf(refund);
  if (status === 'queued' || status === 'approved') return 'refund_not_sent';
  return (await syncOne(outTradeNo, ports)).changed ? 'refund_settled' : 'refund_unchanged';
}

export interface RefundSweepResult {
  readonly sent: number;
  readonly checked: number;
  readonly settled: number;
  readonly errors: number;
}

/** The timer: refunds still refunding are asked about, approvals whose send was lost are sent. */
export async function syncPendingRefunds(ports: RefundPorts = {}): Promise<RefundSweepResult> {
  const tally = { sent: 0, checked: 0, settled: 0, errors: 0 };
  const [refunding, approved] = await Promise.all([
    find<RefundDoc>(COLLECTIONS.refunds, { status: 'refunding' }, { orderBy: [['_id', 'asc']], limit: SWEEP_LIMIT }),
    find<RefundDoc>(COLLECTIONS.refunds, { status: 'approved' }, { orderBy: [['_id', 'asc']], limit: SWEEP_LIMIT }),
  ]);
  for (const refund of refunding) {
    try {
      tally.checked += 1;
      if ((await syncOne(refund._id, ports)).changed) tally.settled += 1;
    } catch (error) {
      tally.errors += 1;
      console.error('[refund] sweep could not check', refund._id, error);
    }
  }
  for (const refund of approved) {
    const approvedMs = refund.approvedAt ? Date.parse(refund.approvedAt) : 0;
    if (nowMs() - approvedMs < APPROVED_UNSENT_MS) continue;
    try {
      tally.sent += 1;
      await claimAndSend(refund._id, 'send', 'timer', ports, false);
    } catch (error) {
      tally.errors += 1;
      console.error('[refund] sweep could not send', refund._id, error);
    }
  }
  return tally;
}

/** The driver's view of the refunds of these orders (payment records), by order id. */
export async function driverRefunds(orderIds: readonly string[]): Promise<Map<string, OrderRefund>> {
  if (orderIds.length === 0) return new Map();
  const refunds = await find<RefundDoc>(
    COLLECTIONS.refunds,
    { _id: command.in([...orderIds]) },
    { limit: orderIds.length },
  );
  return new Map(refunds.map((refund) => [refund._id, driverRefund({ ...refund, status: statusOf(refund) })]));
}
