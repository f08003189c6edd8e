/**
 * 缴款对账 without the screen: totals by collecting unit, the table's order, the rows the bank receives (yuan with
 * two decimals, Asia/Shanghai times) and the CSV and XLSX files made from them.
 */
import { utils, write } from '@e965/xlsx';
import Papa from 'papaparse';
import type { PaymentStatus } from '../../miniprogram/domain/payment/contract';
import type { PaymentExportRow } from '../../cloudfunctions/_shared/police/contract';
import type { RefundStatus } from '../../cloudfunctions/_shared/payment/refunds/rules';
import { formatInstant } from './format';

export const PAYMENT_STATUS_LABELS: Readonly<Record<PaymentStatus, string>> = {
  unpaid: '未支付',
  paid: '已缴款',
  closed: '已关闭',
  refunded: '已退款',
  amount_mismatch: '金额不符',
  paid_unmatched: '重复缴款',
};

export const REFUND_STATUS_LABELS: Readonly<Record<RefundStatus, string>> = {
  queued: '待审批',
  approved: '已批准',
  refunding: '退款中',
  refunded: '已退款',
  failed: '退款失败',
};

/** Orders whose money paid no decision: what the officer must look into. */
export function isAnomaly(row: PaymentExportRow): boolean {
  return row.status === 'amount_mismatch' || row.status === 'paid_unmatched';
}

/** What WeChat Pay collected (fen); the ordered amount when it has not said. */
export function collectedFen(row: PaymentExportRow): number {
  return row.paidFee ?? row.amount;
}

export interface UnitTotal {
  readonly unit: string;
  readonly count: number;
  /** Collected, fen. */
  readonly collected: number;
  readonly anomalies: number;
}

/** One line per collecting unit (by name), then the whole of them as `合计`. */
export function totalsByUnit(rows: readonly PaymentExportRow[]): { units: UnitTotal[]; total: UnitTotal } {
  const byUnit = new Map<string, UnitTotal>();
  let total: UnitTotal = { unit: '合计', count: 0, collected: 0, anomalies: 0 };
  const add = (sum: UnitTotal, row: PaymentExportRow): UnitTotal => ({
    unit: sum.unit,
    count: sum.count + 1,
    collected: sum.collected + collectedFen(row),
    anomalies: sum.anomalies + (isAnomaly(row) ? 1 : 0),
  });
  for (const row of rows) {
    const unit = row.collectingUnit;
    byUnit.set(unit, add(byUnit.get(unit) ?? { unit, count: 0, collected: 0, anomalies: 0 }, row));
    total = add(total, row);
  }
  const units = [...byUnit.values()].sort((a, b) => a.unit.localeCompare(b.unit, 'zh-CN'));
  return { units, total };
}

export type PaymentSortKey = 'paidAt' | 'amount' | 'collected' | 'outTradeNo' | 'status';
export type SortOrder = 'asc' | 'desc';

function sortValue(row: PaymentExportRow, key: PaymentSortKey): string | number {
  switch (key) {
    case 'paidAt':
      return row.paidAt === null ? 0 : Date.parse(row.paidAt);
    case 'amount':
      return row.amount;
    case 'collected':
      return collectedFen(row);
    case 'outTradeNo':
      return row.outTradeNo;
    case 'status':
      return row.status;
  }
}

/** A sorted copy; equal values keep the order number's order, so a page never reshuffles. */
export function sortPayments(
  rows: readonly PaymentExportRow[],
  key: PaymentSortKey,
  order: SortOrder,
): PaymentExportRow[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x < y) return -sign;
    if (x > y) return sign;
    return a.outTradeNo < b.outTradeNo ? -1 : a.outTradeNo > b.outTradeNo ? 1 : 0;
  });
}

/** `123.45`: yuan with two decimals and no separators, as the bank's files want them. */
export function yuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export const EXPORT_HEADERS = [
  '商户订单号',
  '微信支付单号',
  '决定书编号',
  '收款单位',
  '缴款时间',
  '应收金额（元）',
  '实收金额（元）',
  '订单状态',
  '退款状态',
] as const;

/** The rows of the bank's file, every cell text, in the order listed. */
export function exportRecords(rows: readonly PaymentExportRow[]): string[][] {
  return rows.map((row) => [
    row.outTradeNo,
    row.transactionId ?? '',
    row.decisionNo ?? '',
    row.collectingUnit,
    row.paidAt === null ? '' : formatInstant(row.paidAt),
    yuanText(row.amount),
    yuanText(collectedFen(row)),
    PAYMENT_STATUS_LABELS[row.status],
    row.refundStatus === null ? '' : REFUND_STATUS_LABELS[row.refundStatus],
  ]);
}

/** CSV with a UTF-8 BOM, so Excel reads the Chinese right. */
export function paymentsCsv(rows: readonly PaymentExportRow[]): string {
  return `\uFEFF${Papa.unparse([[...EXPORT_HEADERS], ...exportRecords(rows)], { newline: '\r\n' })}\r\n`;
}

/** An XLSX workbook of one sheet; every cell is text, so order numbers keep their digits. */
export function paymentsXlsx(rows: readonly PaymentExportRow[]): ArrayBuffer {
  const sheet = utils.aoa_to_sheet([[...EXPORT_HEADERS], ...exportRecords(rows)]);
  sheet['!cols'] = EXPORT_HEADERS.map((h) => ({ wch: h === '收款单位' ? 26 : 22 }));
  const book = utils.book_new();
  utils.book_append_sheet(book, sheet, '缴款对账');
  return write(book, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer;
}
