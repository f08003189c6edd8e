/**
 * One report in full: its photos, where and what, its history (each step with the officer and the note), the next
 * steps the state machine allows from where it stands (a note required to reject), and the reporter's full name
 * only after a deliberate, audited click.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Descriptions,
  Divider,
  Image,
  MessagePlugin,
  Popconfirm,
  Radio,
  Space,
  Tag,
  Textarea,
  Timeline,
} from 'tdesign-react';
import type { AdminFaultItem } from '../../../cloudfunctions/_shared/police/contract';
import { FAULT_DISTRICT_NAMES } from '../../../miniprogram/domain/fault/districts';
import {
  FAULT_NOTE_MAX,
  FAULT_STATUS_NAMES,
  FAULT_TRANSITIONS,
  FAULT_TYPE_NAMES,
  type FaultStatus,
} from '../../../miniprogram/domain/fault/fault';
import type { ConsoleClient } from '../api';
import { formatInstant } from '../format';
import { failureText } from '../messages';
import { STATUS_COLOURS } from './fault-map';

/** What moving a report to each status is called. */
const ACTION_LABELS: Readonly<Record<FaultStatus, string>> = {
  submitted: '退回',
  accepted: '受理',
  fixed: '标记已修复',
  rejected: '不予受理',
};

export function StatusTag({ status }: { readonly status: FaultStatus }) {
  return (
    <Tag variant="light" style={{ color: STATUS_COLOURS[status], borderColor: STATUS_COLOURS[status] }}>
      {FAULT_STATUS_NAMES[status]}
    </Tag>
  );
}

export function FaultDetailView(props: {
  readonly client: ConsoleClient;
  readonly report: AdminFaultItem;
  readonly onChanged: (report: AdminFaultItem) => void;
}) {
  const { client, report } = props;
  const allowed = FAULT_TRANSITIONS[report.status];
  const [next, setNext] = useState<FaultStatus | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [reporter, setReporter] = useState<string | null>(null);
  const [revealing, setRevealing] = useState(false);

  // another report, or this one moved on: start the form afresh
  useEffect(() => {
    setNext(null);
    setNote('');
  }, [report.reportId, report.status]);
  useEffect(() => setReporter(null), [report.reportId]);

  const noteMissing = next === 'rejected' && note.trim() === '';
  const save = () => {
    if (next === null || noteMissing) return;
    setSaving(true);
    const trimmed = note.trim();
    client
      .call('updateFault', { reportId: report.reportId, status: next, ...(trimmed === '' ? {} : { note: trimmed }) })
      .then(
        (updated) => {
          void MessagePlugin.success(`已${ACTION_LABELS[next]}，当前状态“${FAULT_STATUS_NAMES[updated.status]}”。`);
          setSaving(false);
          props.onChanged(updated);
        },
        (e: unknown) => {
          void MessagePlugin.error(failureText(e));
          setSaving(false);
        },
      );
  };

  const reveal = () => {
    setRevealing(true);
    client.call('revealFaultReporter', { reportId: report.reportId }).then(
      (result) => {
        setReporter(result.reporterName);
        setRevealing(false);
      },
      (e: unknown) => {
        void MessagePlugin.error(failureText(e));
        setRevealing(false);
      },
    );
  };

  return (
    <Space direction="vertical" className="wide fault-detail">
      <Descriptions
        column={1}
        tableLayout="auto"
        labelStyle={{ width: 72, whiteSpace: 'nowrap' }}
        items={[
          { label: '状态', content: <StatusTag status={report.status} /> },
          { label: '类型', content: FAULT_TYPE_NAMES[report.type] },
          { label: '区域', content: FAULT_DISTRICT_NAMES[report.district] },
          {
            label: '地点',
            content: (
              <span>
                {report.name || '（未命名地点）'}
                {report.address === '' || report.address === report.name ? null : (
                  <span className="form-hint"> {report.address}</span>
                )}
                <span className="form-hint">
                  {' '}
                  （{report.latitude.toFixed(5)}, {report.longitude.toFixed(5)}）
                </span>
              </span>
            ),
          },
          { label: '描述', content: report.description },
          { label: '提交时间', content: formatInstant(report.createdAt) },
          {
            label: '报告人',
            content: (
              <Space size="small" align="center">
                <span className="fault-reporter">{reporter ?? report.reporterName}</span>
                {reporter === null ? (
                  <Popconfirm
                    content="查看报告人完整姓名会记入审计日志，仅在需要联系报告人时查看。"
                    confirmBtn="查看"
                    onConfirm={reveal}
                  >
                    <Button size="small" variant="text" theme="primary" loading={revealing}>
                      查看完整姓名
                    </Button>
                  </Popconfirm>
                ) : (
                  <Tag size="small" theme="warning" variant="light">
                    已记入审计
                  </Tag>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Divider align="left">照片（{report.photos.length}）</Divider>
      {report.photos.length === 0 ? (
        <span className="form-hint">报告人未上传照片。</span>
      ) : (
        <Space size="small" breakLine>
          {report.photos.map((p, i) =>
            p.url === '' ? (
              <Tag key={p.fileID} theme="danger" variant="light">
                照片 {i + 1} 已丢失
              </Tag>
            ) : (
              <a key={p.fileID} href={p.url} target="_blank" rel="noreferrer" title="在新窗口查看原图">
                <Image src={p.url} alt={`照片 ${i + 1}`} className="fault-photo" fit="cover" />
              </a>
            ),
          )}
        </Space>
      )}
      <Divider align="left">处理记录</Divider>
      <Timeline labelAlign="left" mode="same">
        {report.history.map((h, i) => (
          <Timeline.Item key={`${h.at}-${i}`} label={formatInstant(h.at)} dotColor={STATUS_COLOURS[h.status]}>
            <div className="fault-step">
              <strong>{FAULT_STATUS_NAMES[h.status]}</strong>
              <span className="form-hint">
                {h.officer === null ? '报告人提交' : `${h.officer.name}（${h.officer.login}）`}
              </span>
            </div>
            {h.note === '' ? null : <div className="fault-note">{h.note}</div>}
          </Timeline.Item>
        ))}
      </Timeline>
      <Divider align="left">处理</Divider>
      {allowed.length === 0 ? (
        <Alert theme="info" message={`已办结（${FAULT_STATUS_NAMES[report.status]}），不能再变更。`} />
      ) : (
        <Space direction="vertical" className="wide">
          <Radio.Group
            variant="default-filled"
            value={next ?? ''}
            onChange={(value) => setNext(allowed.find((s) => s === value) ?? null)}
          >
            {allowed.map((s) => (
              <Radio.Button key={s} value={s}>
                {ACTION_LABELS[s]}
              </Radio.Button>
            ))}
          </Radio.Group>
          <Textarea
            name="fault-note"
            value={note}
            onChange={setNote}
            maxlength={FAULT_NOTE_MAX}
            autosize={{ minRows: 3 }}
            status={noteMissing ? 'error' : 'default'}
            tips={noteMissing ? '不予受理时请写明原因，报告人会看到这段说明。' : '处理说明，报告人会看到（选填）。'}
            placeholder="例如：已派养护班组前往处理"
          />
          <Button theme="primary" disabled={next === null || noteMissing} loading={saving} onClick={save}>
            {next === null ? '请选择处理方式' : `确认${ACTION_LABELS[next]}`}
          </Button>
        </Space>
      )}
    </Space>
  );
}
