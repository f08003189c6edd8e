/**
 * 数据导入: choose a CSV or Excel file and what it holds, see its columns checked and its first rows, then send it in
 * batches with progress, cancel and resume; refused rows are listed and downloadable as a CSV report.
 */
import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { Alert, Button, Card, Progress, Select, Space, Table, Tag } from 'tdesign-react';
import Papa from 'papaparse';
import type { ImportResult } from '../../../cloudfunctions/_shared/police/contract';
import type { ConsoleClient } from '../api';
import { failureText, formatWait } from '../messages';
import { ImportRun, type ImportProgress } from '../imports/batcher';
import { checkColumns, columnsUsable, type ColumnCheck } from '../imports/columns';
import { convertRows, type RowIssue } from '../imports/convert';
import { fieldLabel, IMPORT_KIND_IDS, IMPORT_KINDS, type ImportKindId, type ImportRows } from '../imports/kinds';
import { issuesCsv } from '../imports/report';
import { readTable, TableError, type Table as FileTable } from '../imports/table';

const PREVIEW_ROWS = 5;

type Senders = {
  readonly [K in ImportKindId]: (
    client: ConsoleClient,
    rows: readonly ImportRows[K][],
    signal: AbortSignal,
  ) => Promise<ImportResult>;
};

const SENDERS: Senders = {
  drivers: (client, rows, signal) => client.call('importDrivers', { rows }, signal),
  vehicles: (client, rows, signal) => client.call('importVehicles', { rows }, signal),
  violations: (client, rows, signal) => client.call('importViolations', { rows }, signal),
  offices: (client, rows, signal) => client.call('importOffices', { rows }, signal),
  tows: (client, rows, signal) => client.call('importTows', { rows }, signal),
  guides: (client, rows, signal) => client.call('importGuides', { rows }, signal),
};

/** The file's rows as the kind's rows (with the issues found on the way) and a run that sends them. */
function prepare<K extends ImportKindId>(
  client: ConsoleClient,
  id: K,
  table: FileTable,
  check: ColumnCheck,
  onProgress: (p: ImportProgress) => void,
): { run: ImportRun<ImportRows[K]>; issues: readonly RowIssue[] } {
  const { rows, issues } = convertRows(IMPORT_KINDS[id], table, check);
  const send = SENDERS[id];
  return { run: new ImportRun(rows, (batch, signal) => send(client, batch, signal), { onProgress }), issues };
}

/** The kind whose required columns the headers cover best: what the file most likely holds. */
function likelyKind(headers: readonly string[], fallback: ImportKindId): ImportKindId {
  let best = fallback;
  let bestMissing = checkColumns(IMPORT_KINDS[fallback].fields, headers).missing.length;
  for (const id of IMPORT_KIND_IDS) {
    const missing = checkColumns(IMPORT_KINDS[id].fields, headers).missing.length;
    if (missing < bestMissing) [best, bestMissing] = [id, missing];
  }
  return best;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function baseName(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '');
}

interface Started {
  readonly run: { run(): Promise<ImportProgress>; cancel(): void };
  readonly localIssues: readonly RowIssue[];
}

export function ImportsScreen({ client }: { readonly client: ConsoleClient }) {
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState('');
  const [table, setTable] = useState<FileTable | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [kindId, setKindId] = useState<ImportKindId>('drivers');
  const [started, setStarted] = useState<Started | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const kind = IMPORT_KINDS[kindId];
  const check = useMemo(() => (table === null ? null : checkColumns(kind.fields, table.headers)), [kind, table]);
  const running = progress?.state === 'running';

  // leaving the screen stops sending; the rows already answered stay imported
  useEffect(() => () => started?.run.cancel(), [started]);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (file === undefined) return;
    setStarted(null);
    setProgress(null);
    setReadError(null);
    setTable(null);
    setFileName(file.name);
    file.arrayBuffer().then(
      (buffer) => {
        try {
          const read = readTable(file.name, new Uint8Array(buffer));
          setTable(read);
          setKindId((current) => likelyKind(read.headers, current));
        } catch (e) {
          setReadError(e instanceof TableError ? e.message : '无法读取该文件。');
        }
      },
      () => setReadError('无法读取该文件。'),
    );
  };

  const start = () => {
    if (table === null || check === null || !columnsUsable(check)) return;
    const prepared = prepare(client, kindId, table, check, setProgress);
    const next = { run: prepared.run, localIssues: prepared.issues };
    setStarted(next);
    setProgress(prepared.run.progress());
    void prepared.run.run();
  };

  const issues = useMemo(
    () => [...(started?.localIssues ?? []), ...(progress?.issues ?? [])].sort((a, b) => a.line - b.line),
    [started, progress],
  );
  const labelOf = (key: string) => fieldLabel(kind.fields, key);

  const previewColumns = kind.fields
    .filter((f) => check?.columns.has(f.key) === true)
    .map((f) => ({ colKey: f.key, title: f.label, ellipsis: true }));
  const previewData = (table?.rows.slice(0, PREVIEW_ROWS) ?? []).map((r) => {
    const cells: Record<string, string> = { line: String(r.line) };
    for (const f of kind.fields) {
      const index = check?.columns.get(f.key);
      if (index !== undefined) cells[f.key] = r.cells[index] ?? '';
    }
    return cells;
  });

  const template = () =>
    download(
      `${kind.label}导入模板.csv`,
      `\uFEFF${Papa.unparse([kind.fields.map((f) => f.label)], { newline: '\r\n' })}\r\n`,
    );

  return (
    <Space direction="vertical" size="large" className="screen">
      <Card title="数据导入" bordered>
        <Space direction="vertical">
          <Space align="center">
            <span>导入内容</span>
            <Select
              value={kindId}
              style={{ width: 200 }}
              disabled={started !== null}
              options={IMPORT_KIND_IDS.map((id) => ({ value: id, label: IMPORT_KINDS[id].label }))}
              onChange={(value) => {
                const id = IMPORT_KIND_IDS.find((k) => k === value);
                if (id !== undefined) setKindId(id);
              }}
            />
            <input
              ref={input}
              type="file"
              accept=".csv,.txt,.xlsx,.xls"
              className="hidden-input"
              onChange={choose}
              data-testid="import-file"
            />
            <Button variant="outline" disabled={running} onClick={() => input.current?.click()}>
              选择文件
            </Button>
            <Button variant="text" onClick={template}>
              下载模板
            </Button>
            {fileName === '' ? null : (
              <span className="form-hint">
                {fileName}
                {table === null
                  ? ''
                  : `（${table.source === 'xlsx' ? 'Excel' : table.source === 'gbk' ? 'CSV，GBK 编码' : 'CSV，UTF-8 编码'}，${table.rows.length} 行数据）`}
              </span>
            )}
          </Space>
          <p className="form-hint">
            支持 CSV（UTF-8 或 GBK 编码）和
            Excel（.xlsx）。第一行为表头，可用中文或英文列名；按记录编号更新已有数据，重复导入不会产生重复记录。
          </p>
          {readError === null ? null : <Alert theme="error" message={readError} />}
        </Space>
      </Card>

      {table === null || check === null ? null : (
        <Card title="列检查" bordered>
          <Space direction="vertical">
            {check.missing.length === 0 ? null : (
              <Alert
                theme="error"
                message={`缺少必填列：${check.missing.map((f) => f.label).join('、')}。请补齐后重新选择文件，或确认“导入内容”是否选对。`}
              />
            )}
            {check.repeated.length === 0 ? null : (
              <Alert theme="error" message={`以下列重复：${check.repeated.join('、')}。同一项只能有一列。`} />
            )}
            {check.unknown.length === 0 ? null : (
              <Alert theme="warning" message={`以下列无法识别，不会导入：${check.unknown.join('、')}。`} />
            )}
            <Space breakLine size="small">
              {kind.fields.map((f) => (
                <Tag
                  key={f.key}
                  theme={check.columns.has(f.key) ? 'success' : f.required ? 'danger' : 'default'}
                  variant="light"
                  title={f.format ?? ''}
                >
                  {check.yuan.has(f.key) ? `${f.label.replace(/（分）$/, '')}（元）` : f.label}
                  {f.required ? '' : '（选填）'}
                </Tag>
              ))}
            </Space>
            <Table
              rowKey="line"
              size="small"
              bordered
              columns={[{ colKey: 'line', title: '行号', width: 70 }, ...previewColumns]}
              data={previewData}
              empty="文件中没有数据行"
            />
            <Space align="center">
              <span>
                共 {table.rows.length} 行数据，预览前 {Math.min(PREVIEW_ROWS, table.rows.length)} 行。
              </span>
              <Button disabled={!columnsUsable(check) || started !== null} onClick={start}>
                开始导入
              </Button>
            </Space>
          </Space>
        </Card>
      )}

      {started === null || progress === null ? null : (
        <Card title="导入进度" bordered>
          <Space direction="vertical" className="wide">
            <Progress
              theme="line"
              percentage={progress.rowsTotal === 0 ? 100 : Math.floor((progress.rowsDone * 100) / progress.rowsTotal)}
              status={progress.state === 'failed' ? 'error' : progress.state === 'done' ? 'success' : 'active'}
            />
            <div className="figures">
              <span>{`已发送 ${progress.rowsDone} / ${progress.rowsTotal} 行（${progress.batchesDone} / ${progress.batchesTotal} 批）`}</span>
              {started.localIssues.length === 0 ? null : (
                <span>{`检查未通过 ${started.localIssues.length} 行（未发送）`}</span>
              )}
              <span>新增 {progress.inserted}</span>
              <span>更新 {progress.updated}</span>
              <span>未导入 {issues.length}</span>
              <span>
                {progress.rowsPerSecond === null ? '速度计算中' : `每秒 ${Math.round(progress.rowsPerSecond)} 行`}
              </span>
              {progress.state === 'running' && progress.secondsLeft !== null ? (
                <span>预计还需 {formatWait(progress.secondsLeft)}</span>
              ) : null}
            </div>
            {progress.state === 'done' ? (
              <Alert
                theme="success"
                message={`导入完成：新增 ${progress.inserted} 条，更新 ${progress.updated} 条，未导入 ${issues.length} 行。`}
              />
            ) : null}
            {progress.state === 'cancelled' ? (
              <Alert theme="info" message="已取消。点“继续”从第一批未完成的数据接着导入，已导入的数据不会重复。" />
            ) : null}
            {progress.state === 'failed' ? (
              <Alert
                theme="error"
                message={`导入中断：${failureText(progress.failure)} 点“继续”从中断的那一批接着导入。`}
              />
            ) : null}
            <Space>
              {running ? (
                <Button theme="default" onClick={() => started.run.cancel()}>
                  取消
                </Button>
              ) : null}
              {progress.state === 'cancelled' || progress.state === 'failed' ? (
                <Button onClick={() => void started.run.run()}>继续</Button>
              ) : null}
            </Space>
          </Space>
        </Card>
      )}

      {started === null || issues.length === 0 ? null : (
        <Card
          title={`未导入的行（${issues.length}）`}
          bordered
          actions={
            <Button
              variant="outline"
              onClick={() => download(`${baseName(fileName)}-错误报告.csv`, issuesCsv(issues, labelOf))}
            >
              下载错误报告
            </Button>
          }
        >
          <Table
            rowKey="key"
            size="small"
            columns={[
              { colKey: 'line', title: '行号', width: 80 },
              { colKey: 'field', title: '字段', width: 160 },
              { colKey: 'message', title: '说明' },
            ]}
            data={issues.map((i, n) => ({
              key: `${i.line}-${n}`,
              line: i.line,
              field: i.field === undefined ? '' : labelOf(i.field),
              message: i.message,
            }))}
            pagination={{ defaultPageSize: 10, total: issues.length }}
          />
        </Card>
      )}
    </Space>
  );
}
