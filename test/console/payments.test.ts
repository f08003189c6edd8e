import { read, utils } from '@e965/xlsx';
import Papa from 'papaparse';
import type { PaymentExportRow } from '../../cloudfunctions/_shared/police/contract';
import {
  EXPORT_HEADERS,
  exportRecords,
  paymentsCsv,
  paymentsXlsx,
  sortPayments,
  totalsByUnit,
  yuanText,
} from '../../console/src/payments';

const UNIT = '南宁市公安局交通警察支队';

function row(n: number, fields: Partial<PaymentExportRow> = {}): PaymentExportRow {
  return {
    orderId: `o${n}`,
    outTradeNo: `GA4501000000000${n}20260301`,
    transactionId: `4200${n}`,
    decisionNo: `45010000000000${n}`,
    amount: 20_000,
    status: 'paid',
    paidAt: `2026-03-01T0${n}:00:00+08:00`,
    paidFee: 20_000,
    collectingUnit: UNIT,
    refundStatus: null,
    ...fields,
  };
}

describe('totals by collecting unit', () => {
  it('no rows: no units and a zero total', () => {
    expect(totalsByUnit([])).toEqual({ units: [], total: { unit: '合计', count: 0, collected: 0, anomalies: 0 } });
  });

  it('counts what WeChat collected, one line per unit, anomalies apart', () => {
    const rows = [
      row(1),
      row(2, { status: 'amount_mismatch', paidFee: 7_000, refundStatus: 'queued' }),
      row(3, { collectingUnit: '某某单位', amount: 1, paidFee: null }),
    ];
    const { units, total } = totalsByUnit(rows);
    expect(total).toEqual({ unit: '合计', count: 3, collected: 27_001, anomalies: 1 });
    expect(units).toHaveLength(2);
    expect(units.find((u) => u.unit === UNIT)).toEqual({ unit: UNIT, count: 2, collected: 27_000, anomalies: 1 });
  });
});

describe('sorting', () => {
  it('by amount either way; ties keep the order number order', () => {
    const rows = [row(3, { amount: 5 }), row(1, { amount: 9 }), row(2, { amount: 5 })];
    expect(sortPayments(rows, 'amount', 'asc').map((r) => r.orderId)).toEqual(['o2', 'o3', 'o1']);
    expect(sortPayments(rows, 'amount', 'desc').map((r) => r.orderId)).toEqual(['o1', 'o2', 'o3']);
    expect(sortPayments(rows, 'paidAt', 'desc').map((r) => r.orderId)).toEqual(['o3', 'o2', 'o1']);
    expect(rows.map((r) => r.orderId)).toEqual(['o3', 'o1', 'o2']);
  });
});

describe('the bank file', () => {
  it('yuan with two decimals at the edges', () => {
    expect(yuanText(0)).toBe('0.00');
    expect(yuanText(1)).toBe('0.01');
    expect(yuanText(100_000_000)).toBe('1000000.00');
    expect(yuanText(-150)).toBe('-1.50');
  });

  it('rows in Shanghai time, collected and ordered amounts, statuses in words', () => {
    const [first] = exportRecords([row(2, { status: 'amount_mismatch', paidFee: 7_000, refundStatus: 'refunded' })]);
    expect(first).toEqual([
      'GA45010000000002' + '20260301',
      '42002',
      '450100000000002',
      UNIT,
      '2026-03-01 02:00',
      '200.00',
      '70.00',
      '金额不符',
      '已退款',
    ]);
  });

  it('CSV starts with a UTF-8 BOM and parses back to the same rows', () => {
    const rows = [row(1), row(2, { status: 'paid_unmatched', refundStatus: 'failed' })];
    const csv = paymentsCsv(rows);
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(parsed).toEqual([[...EXPORT_HEADERS], ...exportRecords(rows)]);
  });

  it('XLSX reads back to the same text, order numbers keeping every digit', () => {
    const rows = [row(1), row(2)];
    const book = read(paymentsXlsx(rows), { type: 'array' });
    const sheet = book.Sheets[book.SheetNames[0] ?? ''];
    if (sheet === undefined) throw new Error('no sheet');
    const back = utils.sheet_to_json<string[]>(sheet, { header: 1, raw: false });
    expect(back).toEqual([[...EXPORT_HEADERS], ...exportRecords(rows)]);
  });
});
