/**
 * 设施报障: the facility team's daily list. Filters (status, type, district, filing days) go to the server, which
 * pages and orders by filing time; a map beside the table shows where the page's reports are, and a report opens in
 * a drawer with its photos, history and the next steps it may take.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, DateRangePicker, Drawer, Select, Space, Table } from 'tdesign-react';
import type { AdminFaultItem, ListFaultsParams } from '../../../cloudfunctions/_shared/police/contract';
import { FAULT_DISTRICT_NAMES, FAULT_DISTRICTS, type FaultDistrict } from '../../../miniprogram/domain/fault/districts';
import {
  FAULT_STATUS_NAMES,
  FAULT_STATUSES,
  FAULT_TYPE_NAMES,
  FAULT_TYPES,
  type FaultStatus,
  type FaultType,
} from '../../../miniprogram/domain/fault/fault';
import type { ConsoleClient } from '../api';
import { formatInstant } from '../format';
import { failureText } from '../messages';
import { FaultDetailView, StatusTag } from './fault-detail';
import { FaultMap } from './fault-map';

const PAGE_SIZES = [20, 50, 100];

interface Filters {
  readonly status: FaultStatus | null;
  readonly type: FaultType | null;
  readonly district: FaultDistrict | null;
  readonly days: readonly [string, string] | null;
}

/** The facility team's work queue first: what is waiting to be accepted. */
const INITIAL: Filters = { status: 'submitted', type: null, district: null, days: null };

function paramsOf(filters: Filters, descending: boolean, page: number, pageSize: number): ListFaultsParams {
  return {
    ...(filters.status === null ? {} : { status: filters.status }),
    ...(filters.type === null ? {} : { type: filters.type }),
    ...(filters.district === null ? {} : { district: filters.district }),
    ...(filters.days === null ? {} : { from: filters.days[0], to: filters.days[1] }),
    order: descending ? 'desc' : 'asc',
    offset: (page - 1) * pageSize,
    limit: pageSize,
  };
}

function pick<T extends string>(values: readonly T[], value: unknown): T | null {
  return values.find((v) => v === value) ?? null;
}

export function FaultsScreen({ client }: { readonly client: ConsoleClient }) {
  const [filters, setFilters] = useState<Filters>(INITIAL);
  const [descending, setDescending] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [reports, setReports] = useState<readonly AdminFaultItem[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<AdminFaultItem | null>(null);

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    client.call('listFaults', paramsOf(filters, descending, page, pageSize)).then(
      (result) => {
        setReports(result.reports);
        setTotal(result.total);
        setLoading(false);
      },
      (e: unknown) => {
        setError(failureText(e));
        setLoading(false);
      },
    );
  }, [client, filters, descending, page, pageSize]);

  useEffect(load, [load]);

  const filter = (patch: Partial<Filters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setPage(1);
  };

  const changed = (updated: AdminFaultItem) => {
    setOpen(updated);
    setReports((current) => current.map((r) => (r.reportId === updated.reportId ? updated : r)));
    load();
  };

  const filtered = filters.type !== null || filters.district !== null || filters.days !== null;
  const emptyText =
    filters.status === null && !filtered
      ? '还没有任何报障'
      : `没有符合条件的报障${filters.status === null ? '' : `（${FAULT_STATUS_NAMES[filters.status]}）`}`;

  return (
    <Card title="设施报障" bordered className="screen">
      <Space direction="vertical" className="wide">
        <div className="fault-filters">
          <Select
            style={{ width: 160 }}
            label="状态："
            clearable
            placeholder="全部"
            value={filters.status ?? ''}
            options={FAULT_STATUSES.map((s) => ({ label: FAULT_STATUS_NAMES[s], value: s }))}
            onChange={(value) => filter({ status: pick(FAULT_STATUSES, value) })}
          />
          <Select
            style={{ width: 160 }}
            label="类型："
            clearable
            placeholder="全部"
            value={filters.type ?? ''}
            options={FAULT_TYPES.map((t) => ({ label: FAULT_TYPE_NAMES[t], value: t }))}
            onChange={(value) => filter({ type: pick(FAULT_TYPES, value) })}
          />
          <Select
            style={{ width: 160 }}
            label="区域："
            clearable
            placeholder="全部"
            value={filters.district ?? ''}
            options={FAULT_DISTRICTS.map((d) => ({ label: FAULT_DISTRICT_NAMES[d], value: d }))}
            onChange={(value) => filter({ district: pick(FAULT_DISTRICTS, value) })}
          />
          <DateRangePicker
            style={{ width: 250 }}
            clearable
            placeholder={['提交日期起', '止']}
            valueType="YYYY-MM-DD"
            value={filters.days === null ? [] : [...filters.days]}
            onChange={(value) => {
              const [from, to] = value;
              filter({ days: typeof from === 'string' && typeof to === 'string' ? [from, to] : null });
            }}
          />
          <Button variant="outline" onClick={() => filter(INITIAL)}>
            重置
          </Button>
          <Button variant="text" onClick={load} loading={loading}>
            刷新
          </Button>
        </div>
        {error === null ? null : (
          <Alert
            theme="error"
            message={error}
            operation={
              <Button size="small" variant="text" onClick={load}>
                重试
              </Button>
            }
          />
        )}
        <div className="fault-body">
          <div className="fault-table">
            <Table
              rowKey="reportId"
              loading={loading}
              hover
              data={reports.map((r) => ({ ...r }))}
              empty={error === null ? emptyText : '列表未能加载'}
              sort={{ sortBy: 'createdAt', descending }}
              onSortChange={(sort) => {
                const one = Array.isArray(sort) ? sort[0] : sort;
                setDescending(one?.descending === true);
                setPage(1);
              }}
              onRowClick={({ row }) => setOpen(reports.find((r) => r.reportId === row.reportId) ?? null)}
              rowClassName={({ row }) => (row.reportId === open?.reportId ? 'fault-row-open' : '')}
              pagination={{
                current: page,
                pageSize,
                total,
                pageSizeOptions: PAGE_SIZES,
                showJumper: total > pageSize * 5,
                onChange: (info) => {
                  setPage(info.current);
                  setPageSize(info.pageSize);
                },
              }}
              columns={[
                {
                  colKey: 'createdAt',
                  title: '提交时间',
                  width: 150,
                  sorter: true,
                  cell: ({ row }) => formatInstant(row.createdAt),
                },
                { colKey: 'status', title: '状态', width: 80, cell: ({ row }) => <StatusTag status={row.status} /> },
                { colKey: 'type', title: '类型', width: 84, cell: ({ row }) => FAULT_TYPE_NAMES[row.type] },
                {
                  colKey: 'district',
                  title: '区域',
                  width: 84,
                  cell: ({ row }) => FAULT_DISTRICT_NAMES[row.district],
                },
                {
                  colKey: 'place',
                  title: '地点与描述',
                  ellipsis: true,
                  cell: ({ row }) => `${row.place || '（未命名地点）'} · ${row.description}`,
                },
                {
                  colKey: 'open',
                  title: '',
                  width: 64,
                  cell: ({ row }) => (
                    <Button size="small" variant="text" theme="primary">
                      {row.reportId === open?.reportId ? '查看中' : '查看'}
                    </Button>
                  ),
                },
              ]}
            />
          </div>
          <Card className="fault-map-card" bordered title={`位置（本页 ${reports.length} 条）`}>
            <FaultMap reports={reports} selected={open?.reportId ?? null} onOpen={setOpen} />
          </Card>
        </div>
      </Space>
      <Drawer
        visible={open !== null}
        size="560px"
        header={open === null ? '' : `${FAULT_TYPE_NAMES[open.type]} · ${open.place || '未命名地点'}`}
        footer={false}
        onClose={() => setOpen(null)}
      >
        {open === null ? null : <FaultDetailView client={client} report={open} onChanged={changed} />}
      </Drawer>
    </Card>
  );
}
