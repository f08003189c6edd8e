/**
 * 审计日志: the trail newest first, searched by officer, person (ID number or plate), record, action and days, a
 * page at a time; each entry opens to show the state before and after. ID numbers come back masked.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Button, Card, DateRangePicker, Form, Input, Space, Table, Tag } from 'tdesign-react';
import { shanghaiDate } from '../../../miniprogram/domain/core/dates';
import type { ParamsOf, ResultOf } from '../../../miniprogram/domain/core/envelope';
import type { ConsoleClient } from '../api';
import type { ConsoleActions } from '../contract';
import { formatInstant } from '../format';
import { LoadMore } from '../load-more';
import { usePagedList } from '../paged';

const PAGE = 20;

type ReadAuditParams = ParamsOf<ConsoleActions['readAudit']>;
type AuditItem = ResultOf<ConsoleActions['readAudit']>['entries'][number];

interface Search {
  readonly login: string;
  readonly person: string;
  readonly target: string;
  readonly entryAction: string;
  readonly range: readonly [string, string] | null;
}

const EMPTY: Search = { login: '', person: '', target: '', entryAction: '', range: null };

/** An 18-character ID number is a person; anything else typed there is read as a plate. */
const ID_NUMBER = /^\d{17}[\dXx]$/;

function paramsOf(search: Search): Omit<ReadAuditParams, 'limit' | 'after'> {
  const login = search.login.trim().toLowerCase();
  const person = search.person.trim();
  const target = search.target.trim();
  const entryAction = search.entryAction.trim();
  return {
    ...(login === '' ? {} : { actor: login.includes(':') ? login : `officer:${login}` }),
    ...(person === '' ? {} : ID_NUMBER.test(person) ? { idNumber: person } : { plate: person }),
    ...(target === '' ? {} : { target }),
    ...(entryAction === '' ? {} : { entryAction }),
    ...(search.range === null ? {} : { from: search.range[0], to: search.range[1] }),
  };
}

/** Before/after as indented JSON; a missing side says so. */
function stateText(value: unknown): string {
  if (value === null || value === undefined) return '（无）';
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function actorText(entry: AuditItem): string {
  if (entry.actor === null) return entry.openid === '' ? '系统' : `用户 ${entry.openid}`;
  const name = entry.actor.name === undefined ? '' : `（${entry.actor.name}）`;
  return `${entry.actor.login ?? entry.actor.label}${name}`;
}

function EntryDetail({ entry }: { readonly entry: AuditItem }) {
  return (
    <div className="audit-detail">
      <div>
        <div className="audit-detail-title">变更前</div>
        <pre className="audit-json">{stateText(entry.before)}</pre>
      </div>
      <div>
        <div className="audit-detail-title">变更后</div>
        <pre className="audit-json">{stateText(entry.after)}</pre>
      </div>
    </div>
  );
}

export function AuditScreen({ client }: { readonly client: ConsoleClient }) {
  const [draft, setDraft] = useState<Search>(EMPTY);
  const [search, setSearch] = useState<Search>(EMPTY);
  const [expanded, setExpanded] = useState<Array<string | number>>([]);

  const fetchPage = useCallback(
    async (after: string | undefined) => {
      const params = { ...paramsOf(search), limit: PAGE, ...(after === undefined ? {} : { after }) };
      const result = await client.call('readAudit', params);
      return { items: result.entries, next: result.next };
    },
    [client, search],
  );
  const { items: entries, next, loading, error, load } = usePagedList<AuditItem>(fetchPage);

  useEffect(() => {
    setExpanded([]);
    load();
  }, [load]);

  const field = (key: 'login' | 'person' | 'target' | 'entryAction') => ({
    value: draft[key],
    clearable: true,
    onChange: (value: string) => setDraft((d) => ({ ...d, [key]: value })),
    onEnter: () => setSearch(draft),
  });

  return (
    <Card title="审计日志" bordered className="screen">
      <Space direction="vertical" className="wide">
        <Form layout="inline" labelWidth={64} onSubmit={() => setSearch(draft)}>
          <Form.FormItem label="操作人">
            <Input name="login" placeholder="登录名，如 demo-finance" style={{ width: 200 }} {...field('login')} />
          </Form.FormItem>
          <Form.FormItem label="当事人">
            <Input name="person" placeholder="车牌号或完整身份证号" style={{ width: 200 }} {...field('person')} />
          </Form.FormItem>
          <Form.FormItem label="记录">
            <Input name="target" placeholder="如 refunds/GA…" style={{ width: 200 }} {...field('target')} />
          </Form.FormItem>
          <Form.FormItem label="操作">
            <Input
              name="entryAction"
              placeholder="如 refund.approve"
              style={{ width: 200 }}
              {...field('entryAction')}
            />
          </Form.FormItem>
          <Form.FormItem label="日期">
            <DateRangePicker
              value={draft.range === null ? [] : [...draft.range]}
              valueType="YYYY-MM-DD"
              disableDate={{ after: shanghaiDate(Date.now()) }}
              onChange={(value) => {
                const [from, to] = value.map(String);
                setDraft((d) => ({
                  ...d,
                  range: from === undefined || to === undefined || from === '' || to === '' ? null : [from, to],
                }));
              }}
            />
          </Form.FormItem>
          <Form.FormItem>
            <Space>
              <Button type="submit" loading={loading}>
                查询
              </Button>
              <Button
                variant="outline"
                onClick={() => {
                  setDraft(EMPTY);
                  setSearch(EMPTY);
                }}
              >
                重置
              </Button>
            </Space>
          </Form.FormItem>
        </Form>
        <p className="form-hint">
          最新的在前；点击行首的箭头查看变更前后的内容。身份证号只用于查询，结果中一律打码显示。
        </p>
        {error === null ? null : <Alert theme="error" message={error} />}
        <Table
          rowKey="id"
          loading={loading}
          data={entries.map((e) => ({ ...e }))}
          empty={error === null ? '没有符合条件的记录' : '加载失败'}
          expandedRowKeys={expanded}
          onExpandChange={(keys) => setExpanded(keys)}
          expandedRow={({ row }) => <EntryDetail entry={row} />}
          expandOnRowClick
          columns={[
            { colKey: 'at', title: '时间', width: 150, cell: ({ row }) => formatInstant(row.at) },
            { colKey: 'actor', title: '操作人', width: 200, ellipsis: true, cell: ({ row }) => actorText(row) },
            {
              colKey: 'action',
              title: '操作',
              width: 220,
              cell: ({ row }) => (
                <Tag variant="light" theme={row.action.startsWith('police.') ? 'default' : 'primary'}>
                  {row.action}
                </Tag>
              ),
            },
            { colKey: 'target', title: '记录', ellipsis: true },
          ]}
        />
        <LoadMore list={{ next, loading, load }} />
      </Space>
    </Card>
  );
}
