/**
 * 退款审批: money WeChat collected that cannot pay a decision, page by page. A second finance officer approves a
 * queued refund (the server refuses the one who asked for it) and retries a failed one.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, MessagePlugin, Popconfirm, Select, Space, Table, Tag } from 'tdesign-react';
import type { RefundRow } from '../../../cloudfunctions/_shared/payment/refunds/contract';
import { REFUND_STATUSES, type RefundStatus } from '../../../cloudfunctions/_shared/payment/refunds/rules';
import type { ConsoleClient } from '../api';
import { formatFen, formatInstant } from '../format';
import { failureText } from '../messages';
import { LoadMore } from '../load-more';
import { usePagedList } from '../paged';

const PAGE = 20;

const STATUS_LABELS: Readonly<Record<RefundStatus, string>> = {
  queued: '待审批',
  approved: '已批准',
  refunding: '退款中',
  refunded: '已退款',
  failed: '退款失败',
};

const STATUS_THEMES: Readonly<Record<RefundStatus, 'default' | 'primary' | 'success' | 'danger' | 'warning'>> = {
  queued: 'warning',
  approved: 'primary',
  refunding: 'primary',
  refunded: 'success',
  failed: 'danger',
};

export function RefundsScreen({ client }: { readonly client: ConsoleClient }) {
  const [status, setStatus] = useState<RefundStatus | 'all'>('queued');
  const [acting, setActing] = useState<string | null>(null);

  const fetchPage = useCallback(
    async (after: string | undefined) => {
      const params = {
        limit: PAGE,
        ...(status === 'all' ? {} : { status }),
        ...(after === undefined ? {} : { after }),
      };
      const result = await client.call('listRefunds', params);
      return { items: result.refunds, next: result.next };
    },
    [client, status],
  );
  const { items: refunds, setItems: setRefunds, next, loading, error, load } = usePagedList<RefundRow>(fetchPage);

  useEffect(() => load(), [load]);

  const act = (refund: RefundRow, action: 'approveRefund' | 'retryRefund') => {
    setActing(refund.refundId);
    client.call(action, { refundId: refund.refundId }).then(
      (updated) => {
        setActing(null);
        setRefunds((shown) => shown.map((r) => (r.refundId === updated.refundId ? updated : r)));
        void MessagePlugin.success(action === 'approveRefund' ? '已批准，正在退款。' : '已重新发起退款。');
      },
      (e: unknown) => {
        setActing(null);
        void MessagePlugin.error(failureText(e));
      },
    );
  };

  return (
    <Card title="退款审批" bordered className="screen">
      <Space direction="vertical" className="wide">
        <Space align="center">
          <span>状态</span>
          <Select
            value={status}
            style={{ width: 160 }}
            options={[
              { value: 'all', label: '全部' },
              ...REFUND_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
            ]}
            onChange={(value) => {
              const chosen = value === 'all' ? 'all' : REFUND_STATUSES.find((s) => s === value);
              if (chosen !== undefined) setStatus(chosen);
            }}
          />
          <Button variant="text" onClick={() => load()} loading={loading}>
            刷新
          </Button>
        </Space>
        <p className="form-hint">退款金额为原缴款的全额；批准人不能是申请人本人。</p>
        {error === null ? null : <Alert theme="error" message={error} />}
        <Table
          rowKey="refundId"
          loading={loading}
          data={refunds.map((r) => ({ ...r }))}
          empty="没有符合条件的退款"
          columns={[
            { colKey: 'queuedAt', title: '申请时间', width: 150, cell: ({ row }) => formatInstant(row.queuedAt) },
            { colKey: 'outTradeNo', title: '商户订单号', width: 220 },
            { colKey: 'amount', title: '金额', width: 110, align: 'right', cell: ({ row }) => formatFen(row.amount) },
            { colKey: 'reason', title: '原因', ellipsis: true },
            { colKey: 'requestedBy', title: '申请人', width: 150, ellipsis: true },
            {
              colKey: 'status',
              title: '状态',
              width: 100,
              cell: ({ row }) => (
                <Tag theme={STATUS_THEMES[row.status]} variant="light" title={row.failure ?? ''}>
                  {STATUS_LABELS[row.status]}
                </Tag>
              ),
            },
            {
              colKey: 'actions',
              title: '操作',
              width: 100,
              cell: ({ row }) =>
                row.status === 'queued' ? (
                  <Popconfirm
                    content={`确认把 ${formatFen(row.amount)} 退回订单 ${row.outTradeNo} 的付款人？`}
                    onConfirm={() => act(row, 'approveRefund')}
                  >
                    <Button size="small" loading={acting === row.refundId}>
                      批准
                    </Button>
                  </Popconfirm>
                ) : row.status === 'failed' ? (
                  <Button
                    size="small"
                    variant="outline"
                    loading={acting === row.refundId}
                    onClick={() => act(row, 'retryRefund')}
                  >
                    重试
                  </Button>
                ) : null,
            },
          ]}
        />
        <LoadMore list={{ next, loading, load }} />
      </Space>
    </Card>
  );
}
