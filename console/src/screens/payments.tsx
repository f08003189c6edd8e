/**
 * 缴款对账: the orders paid on the days chosen (Asia/Shanghai), totals by collecting unit, the table the bank's files
 * are made from (CSV and XLSX of exactly the rows listed), and the orders whose money paid no decision.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, DateRangePicker, MessagePlugin, Space, Table, Tag, type SortInfo } from 'tdesign-react';
import { addDays, shanghaiDate } from '../../../miniprogram/domain/core/dates';
import type { PaymentExportRow } from '../../../cloudfunctions/_shared/police/contract';
import type { ConsoleClient } from '../api';
import { formatFen, formatInstant } from '../format';
import { failureText } from '../messages';
import {
  collectedFen,
  isAnomaly,
  paymentsCsv,
  paymentsXlsx,
  PAYMENT_STATUS_LABELS,
  REFUND_STATUS_LABELS,
  sortPayments,
  totalsByUnit,
  type PaymentSortKey,
} from '../payments';

const SORT_KEYS: readonly PaymentSortKey[] = ['paidAt', 'amount', 'collected', 'outTradeNo', 'status'];
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function download(name: string, body: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function refundTag(row: PaymentExportRow) {
  if (row.refundStatus === null) return isAnomaly(row) ? <Tag variant="light">未申请退款</Tag> : null;
  const theme = row.refundStatus === 'refunded' ? 'success' : row.refundStatus === 'failed' ? 'danger' : 'warning';
  return (
    <Tag theme={theme} variant="light">
      {REFUND_STATUS_LABELS[row.refundStatus]}
    </Tag>
  );
}

/** What happened to an order whose money paid no decision, in a sentence. */
function anomalyText(row: PaymentExportRow): string {
  const collected = formatFen(collectedFen(row));
  if (row.status === 'amount_mismatch') return `应收 ${formatFen(row.amount)}，实收 ${collected}，决定书仍未缴款`;
  return `实收 ${collected}，决定书已在别处缴清（线上或银行）`;
}

export function PaymentsScreen({ client }: { readonly client: ConsoleClient }) {
  const today = shanghaiDate(Date.now());
  const [range, setRange] = useState<[string, string]>([today, today]);
  const [rows, setRows] = useState<readonly PaymentExportRow[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: PaymentSortKey; descending: boolean }>({ key: 'paidAt', descending: true });

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    client.call('exportPayments', { from: range[0], to: range[1] }).then(
      (result) => {
        setRows(result.payments);
        setLoading(false);
      },
      (e: unknown) => {
        setError(failureText(e));
        setLoading(false);
      },
    );
  }, [client, range]);

  useEffect(() => load(), [load]);

  const sorted = useMemo(
    () => sortPayments(rows ?? [], sort.key, sort.descending ? 'desc' : 'asc'),
    [rows, sort.key, sort.descending],
  );
  const totals = useMemo(() => totalsByUnit(rows ?? []), [rows]);
  const anomalies = useMemo(() => sorted.filter(isAnomaly), [sorted]);
  const fileName = range[0] === range[1] ? `缴款对账_${range[0]}` : `缴款对账_${range[0]}_${range[1]}`;

  const exportAs = (kind: 'csv' | 'xlsx') => {
    if (sorted.length === 0) return;
    if (kind === 'csv') download(`${fileName}.csv`, paymentsCsv(sorted), 'text/csv;charset=utf-8');
    else download(`${fileName}.xlsx`, paymentsXlsx(sorted), XLSX_TYPE);
    void MessagePlugin.success(`已导出 ${sorted.length} 笔缴款。`);
  };

  const onSort = (info: SortInfo | SortInfo[] | undefined) => {
    const one = Array.isArray(info) ? info[0] : info;
    const key = SORT_KEYS.find((k) => k === one?.sortBy);
    if (one === undefined || key === undefined) setSort({ key: 'paidAt', descending: true });
    else setSort({ key, descending: one.descending });
  };

  return (
    <Space direction="vertical" className="wide screen">
      <Card title="缴款对账" bordered>
        <Space direction="vertical" className="wide">
          <Space align="center" breakLine>
            <span>缴款日期</span>
            <DateRangePicker
              value={range}
              valueType="YYYY-MM-DD"
              allowInput
              clearable={false}
              disableDate={{ after: today }}
              presets={{
                今天: [today, today],
                昨天: [addDays(today, -1), addDays(today, -1)],
                近7天: [addDays(today, -6), today],
              }}
              onChange={(value) => {
                const [from, to] = value.map(String);
                if (from !== undefined && to !== undefined && from !== '' && to !== '') setRange([from, to]);
              }}
            />
            <Button variant="outline" loading={loading} onClick={load}>
              刷新
            </Button>
            <Button disabled={sorted.length === 0} onClick={() => exportAs('csv')}>
              导出 CSV
            </Button>
            <Button disabled={sorted.length === 0} onClick={() => exportAs('xlsx')}>
              导出 XLSX
            </Button>
          </Space>
          <p className="form-hint">按微信支付确认的缴款时间（北京时间）统计；实收为微信支付实际收到的金额。</p>
          {error === null ? null : <Alert theme="error" message={error} />}
          <Table
            rowKey="unit"
            size="small"
            loading={loading}
            data={[...totals.units, totals.total].map((t) => ({ ...t }))}
            columns={[
              { colKey: 'unit', title: '收款单位' },
              { colKey: 'count', title: '笔数', width: 100, align: 'right' },
              {
                colKey: 'collected',
                title: '实收金额',
                width: 160,
                align: 'right',
                cell: ({ row }) => formatFen(row.collected),
              },
              { colKey: 'anomalies', title: '其中异常', width: 100, align: 'right' },
            ]}
          />
        </Space>
      </Card>
      <Card title={`缴款明细（${sorted.length} 笔）`} bordered>
        <Table
          rowKey="orderId"
          loading={loading}
          data={sorted.map((r) => ({ ...r }))}
          empty={error === null ? '所选日期没有缴款' : '加载失败'}
          sort={{ sortBy: sort.key, descending: sort.descending }}
          onSortChange={onSort}
          pagination={{ defaultPageSize: 20, total: sorted.length, pageSizeOptions: [20, 50, 100] }}
          columns={[
            {
              colKey: 'paidAt',
              title: '缴款时间',
              width: 150,
              sorter: true,
              cell: ({ row }) => (row.paidAt === null ? '' : formatInstant(row.paidAt)),
            },
            { colKey: 'outTradeNo', title: '商户订单号', sorter: true },
            { colKey: 'decisionNo', title: '决定书编号', width: 160 },
            {
              colKey: 'amount',
              title: '应收',
              width: 110,
              align: 'right',
              sorter: true,
              cell: ({ row }) => formatFen(row.amount),
            },
            {
              colKey: 'collected',
              title: '实收',
              width: 110,
              align: 'right',
              sorter: true,
              cell: ({ row }) => formatFen(collectedFen(row)),
            },
            {
              colKey: 'status',
              title: '状态',
              width: 100,
              sorter: true,
              cell: ({ row }) => (
                <Tag theme={isAnomaly(row) ? 'danger' : 'success'} variant="light">
                  {PAYMENT_STATUS_LABELS[row.status]}
                </Tag>
              ),
            },
            { colKey: 'refundStatus', title: '退款', width: 110, cell: ({ row }) => refundTag(row) },
          ]}
        />
      </Card>
      <Card title={`异常缴款（${anomalies.length} 笔）`} bordered>
        <Table
          rowKey="orderId"
          loading={loading}
          data={anomalies.map((r) => ({ ...r }))}
          empty="所选日期没有金额不符或重复缴款的订单"
          pagination={{ defaultPageSize: 10, total: anomalies.length }}
          columns={[
            { colKey: 'outTradeNo', title: '商户订单号', width: 250 },
            {
              colKey: 'status',
              title: '类型',
              width: 100,
              cell: ({ row }) => (
                <Tag theme="danger" variant="light">
                  {PAYMENT_STATUS_LABELS[row.status]}
                </Tag>
              ),
            },
            { colKey: 'what', title: '情况', cell: ({ row }) => anomalyText(row) },
            { colKey: 'refundStatus', title: '退款', width: 110, cell: ({ row }) => refundTag(row) },
          ]}
        />
      </Card>
    </Space>
  );
}
