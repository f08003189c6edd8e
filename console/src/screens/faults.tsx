/** 设施报障: the reports in one status, oldest first, and the next steps each may take (受理, 已修复, 不受理). */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, Dialog, Image, MessagePlugin, Radio, Space, Table, Textarea } from 'tdesign-react';
import type { AdminFaultItem } from '../../../cloudfunctions/_shared/police/contract';
import {
  FAULT_NOTE_MAX,
  FAULT_STATUS_NAMES,
  FAULT_STATUSES,
  FAULT_TRANSITIONS,
  FAULT_TYPE_NAMES,
  type FaultStatus,
} from '../../../miniprogram/domain/fault/fault';
import type { ConsoleClient } from '../api';
import { formatInstant } from '../format';
import { failureText } from '../messages';

const PAGE = 50;

/** The button that moves a report to each status. */
const ACTION_LABELS: Readonly<Record<FaultStatus, string>> = {
  submitted: '退回',
  accepted: '受理',
  fixed: '已修复',
  rejected: '不受理',
};

interface Pending {
  readonly report: AdminFaultItem;
  readonly status: FaultStatus;
}

export function FaultsScreen({ client }: { readonly client: ConsoleClient }) {
  const [status, setStatus] = useState<FaultStatus>('submitted');
  const [reports, setReports] = useState<readonly AdminFaultItem[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    client.call('listFaults', { status, limit: PAGE }).then(
      (result) => {
        setReports(result.reports);
        setLoading(false);
      },
      (e: unknown) => {
        setError(failureText(e));
        setLoading(false);
      },
    );
  }, [client, status]);

  useEffect(load, [load]);

  const noteRequired = pending?.status === 'rejected';
  const save = () => {
    if (pending === null || (noteRequired && note.trim() === '')) return;
    setSaving(true);
    const trimmed = note.trim();
    client
      .call('updateFault', {
        reportId: pending.report.reportId,
        status: pending.status,
        ...(trimmed === '' ? {} : { note: trimmed }),
      })
      .then(
        () => {
          void MessagePlugin.success(`已标记为“${FAULT_STATUS_NAMES[pending.status]}”。`);
          setPending(null);
          setSaving(false);
          load();
        },
        (e: unknown) => {
          void MessagePlugin.error(failureText(e));
          setSaving(false);
        },
      );
  };

  return (
    <Card title="设施报障" bordered className="screen">
      <Space direction="vertical" className="wide">
        <Space align="center">
          <Radio.Group
            variant="default-filled"
            value={status}
            onChange={(value) => {
              const next = FAULT_STATUSES.find((s) => s === value);
              if (next !== undefined) setStatus(next);
            }}
          >
            {FAULT_STATUSES.map((s) => (
              <Radio.Button key={s} value={s}>
                {FAULT_STATUS_NAMES[s]}
              </Radio.Button>
            ))}
          </Radio.Group>
          <Button variant="text" onClick={load} loading={loading}>
            刷新
          </Button>
        </Space>
        {error === null ? null : <Alert theme="error" message={error} />}
        <Table
          rowKey="reportId"
          loading={loading}
          data={reports.map((r) => ({ ...r }))}
          empty={`没有“${FAULT_STATUS_NAMES[status]}”的报障`}
          columns={[
            { colKey: 'createdAt', title: '提交时间', width: 150, cell: ({ row }) => formatInstant(row.createdAt) },
            { colKey: 'type', title: '类型', width: 100, cell: ({ row }) => FAULT_TYPE_NAMES[row.type] },
            { colKey: 'place', title: '地点', width: 160, ellipsis: true },
            { colKey: 'description', title: '描述', ellipsis: true },
            { colKey: 'reporterName', title: '报告人', width: 80 },
            {
              colKey: 'photos',
              title: '照片',
              width: 110,
              cell: ({ row }) => (
                <Space size="small">
                  {row.photos.map((p) =>
                    p.url === '' ? null : (
                      <a key={p.fileID} href={p.url} target="_blank" rel="noreferrer">
                        <Image src={p.url} style={{ width: 40, height: 40 }} fit="cover" />
                      </a>
                    ),
                  )}
                </Space>
              ),
            },
            {
              colKey: 'actions',
              title: '处理',
              width: 170,
              cell: ({ row }) => (
                <Space size="small">
                  {FAULT_TRANSITIONS[row.status].map((next) => (
                    <Button
                      key={next}
                      size="small"
                      variant={next === 'rejected' ? 'outline' : 'base'}
                      theme={next === 'rejected' ? 'danger' : 'primary'}
                      onClick={() => {
                        setNote('');
                        setPending({ report: row, status: next });
                      }}
                    >
                      {ACTION_LABELS[next]}
                    </Button>
                  ))}
                </Space>
              ),
            },
          ]}
        />
      </Space>
      <Dialog
        visible={pending !== null}
        header={pending === null ? '' : `${ACTION_LABELS[pending.status]}：${pending.report.place || '报障'}`}
        confirmBtn={{ content: '确定', loading: saving, disabled: noteRequired && note.trim() === '' }}
        onConfirm={save}
        onClose={() => setPending(null)}
      >
        <Space direction="vertical" className="wide">
          <span>
            {noteRequired ? '请写明不受理的原因，报告人会看到这段说明。' : '处理说明（选填），报告人会看到。'}
          </span>
          <Textarea value={note} onChange={setNote} maxlength={FAULT_NOTE_MAX} autosize={{ minRows: 3 }} />
        </Space>
      </Dialog>
    </Card>
  );
}
