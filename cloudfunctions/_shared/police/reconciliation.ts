/** What the police's collecting bank reconciles against: paid orders by day, and refunds waiting for approval. */
import { addDays } from '../../../miniprogram/domain/core/dates';
import { COLLECTING_UNIT, type PaymentStatus } from '../../../miniprogram/domain/payment/contract';
import { command } from '../cloud';
import { COLLECTIONS } from '../collections';
import { find, type StoredDoc } from '../db';
import type { RefundStatus } from '../payment/refunds/rules';
import type { RefundDoc } from '../records';
import type {
  ExportPaymentsParams,
  ExportPaymentsResult,
  PaymentExportRow,
  RefundQueueResult,
  RefundItem,
} from './contract';

const PAGE = 1000;
/** A safety bound on one export; the bank exports day by day, far below it. */
const MAX_EXPORT_ROWS = 50_000;

interface OrderDoc extends StoredDoc {
  outTradeNo: string;
  transactionId?: string | null;
  decisionNo?: string | null;
  amount: number;
  status: PaymentStatus;
  paidAt?: string | null;
  paidFee?: number | null;
}

/** Pages through a query ordered by _id, so no page is skipped or repeated while new rows arrive. */
async function findAll<T extends StoredDoc>(
  collection: string,
  filter: Record<string, unknown>,
  limit: number,
): Promise<T[]> {
  const out: T[] = [];
  let after = '';
  while (out.length < limit) {
    const page = await find<T>(
      collection,
      { ...filter, _id: command.gt(after) },
      { orderBy: [['_id', 'asc']], limit: PAGE },
    );
    out.push(...page);
    if (page.length < PAGE) break;
    after = page[page.length - 1]?._id ?? after;
  }
  return out.slice(0, limit);
}

/** A batch of ids per `_id in` lookup. */
const LOOKUP_BATCH = 500;

/** The refund state of each payment that has one (a refund's id is its payment's outTradeNo). */
async function refundStates(outTradeNos: readonly string[]): Promise<Map<string, RefundStatus>> {
  const states = new Map<string, RefundStatus>();
  for (let i = 0; i < outTradeNos.length; i += LOOKUP_BATCH) {
    const ids = outTradeNos.slice(i, i + LOOKUP_BATCH);
    const found = await find<RefundDoc>(COLLECTIONS.refunds, { _id: command.in(ids) }, { limit: ids.length });
    for (const refund of found) states.set(refund._id, refund.status);
  }
  return states;
}

export async function exportPayments(range: ExportPaymentsParams): Promise<ExportPaymentsResult> {
  // paidAt is an ISO instant in +08:00, so the day range is a string range.
  const orders = await findAll<OrderDoc>(
    COLLECTIONS.orders,
    { paidAt: command.gte(`${range.from}T00:00:00+08:00`).and(command.lt(`${addDays(range.to, 1)}T00:00:00+08:00`)) },
    MAX_EXPORT_ROWS,
  );
  const refunds = await refundStates(orders.map((order) => order.outTradeNo));
  const payments: PaymentExportRow[] = orders.map((order) => ({
    orderId: order._id,
    outTradeNo: order.outTradeNo,
    transactionId: order.transactionId ?? null,
    decisionNo: order.decisionNo ?? null,
    amount: order.amount,
    status: order.status,
    paidAt: order.paidAt ?? null,
    // The bank matches what it received: on an amount_mismatch order that is not `amount`.
    paidFee: order.paidFee ?? null,
    // Every order pays the one unit the receipt names; kept per row so the bank's file says whom it paid.
    collectingUnit: COLLECTING_UNIT,
    refundStatus: refunds.get(order.outTradeNo) ?? null,
  }));
  return { payments };
}

export async function refundQueue(): Promise<RefundQueueResult> {
  const queued = await findAll<RefundDoc>(COLLECTIONS.refunds, { status: 'queued' }, MAX_EXPORT_ROWS);
  const refunds: RefundItem[] = queued.map((r) => ({
    outTradeNo: r.outTradeNo,
    transactionId: r.transactionId,
    amount: r.amount,
    reason: r.reason,
    queuedAt: r.queuedAt,
  }));
  return { refunds };
}
