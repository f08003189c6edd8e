/**
 * 人员与接入 (administrators): the officers (create, roles, password reset, disable and re-enable, unlock) and the
 * integration keys of the registry's systems (create, rotate, revoke). Secrets the server hands out are shown once;
 * every step that takes something away is confirmed first; refusals are the server's own sentences.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Dialog,
  Input,
  MessagePlugin,
  Space,
  Table,
  Tag,
  Textarea,
  type PrimaryTableCol,
} from 'tdesign-react';
import { POLICE_ROLE_LABELS, POLICE_ROLES, type PoliceRole } from '../../../cloudfunctions/_shared/police/access';
import type { ResultOf } from '../../../miniprogram/domain/core/envelope';
import type { ConsoleClient } from '../api';
import type { ConsoleActions } from '../contract';
import { formatInstant } from '../format';
import { failureText } from '../messages';
import { oneTimeValues, pageOf, sortRows, type OneTimeValue, type SortState } from '../officers';

type Officer = ResultOf<ConsoleActions['listOfficers']>['officers'][number];
type IntegrationKey = ResultOf<ConsoleActions['listIntegrationKeys']>['keys'][number];
type OfficerState = Officer['state'];

const PAGE_SIZE = 10;

const STATE_LABELS: Readonly<Record<OfficerState, string>> = { active: '正常', locked: '已锁定', disabled: '已停用' };
const STATE_THEMES: Readonly<Record<OfficerState, 'success' | 'warning' | 'danger'>> = {
  active: 'success',
  locked: 'warning',
  disabled: 'danger',
};
const KEY_STATE_LABELS: Readonly<Record<IntegrationKey['state'], string>> = { active: '在用', revoked: '已吊销' };

async function copy(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    void MessagePlugin.success('已复制');
  } catch {
    void MessagePlugin.warning('浏览器不允许复制，请选中文字后手动复制。');
  }
}

/** A table's sort and page, kept together: sorting goes back to the first page. */
function useTableView(): {
  sort: SortState | null;
  page: number;
  setPage: (page: number) => void;
  setSort: (sort: SortState | null) => void;
} {
  const [sort, setSortState] = useState<SortState | null>(null);
  const [page, setPage] = useState(1);
  const setSort = (next: SortState | null) => {
    setSortState(next);
    setPage(1);
  };
  return { sort, page, setPage, setSort };
}

function sortOf(value: unknown): SortState | null {
  const one: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof one !== 'object' || one === null) return null;
  const { sortBy, descending } = one as { sortBy?: unknown; descending?: unknown };
  return typeof sortBy === 'string' ? { sortBy, descending: descending === true } : null;
}

interface Shown {
  readonly title: string;
  readonly intro: string;
  readonly values: readonly OneTimeValue[];
}

/** One-time secrets: shown here once, with a copy button each, never stored by the console. */
function OnceDialog({ shown, onClose }: { readonly shown: Shown | null; readonly onClose: () => void }) {
  return (
    <Dialog
      visible={shown !== null}
      header={shown?.title ?? ''}
      width={640}
      closeOnOverlayClick={false}
      closeOnEscKeydown={false}
      destroyOnClose
      cancelBtn={null}
      confirmBtn="我已妥善保存"
      onConfirm={onClose}
      onClose={onClose}
    >
      {shown === null ? null : (
        <Space direction="vertical" className="wide">
          <Alert
            theme="warning"
            message="以下内容只显示这一次，关闭后无法再次查看。请现在复制并交给本人，不要截图外传。"
          />
          <span>{shown.intro}</span>
          {shown.values.map((v) => (
            <div key={v.key} className="once-value">
              <div className="once-label">{v.label}</div>
              <div className="once-row">
                <Textarea value={v.value} readOnly autosize className="once-input" />
                <Button variant="outline" onClick={() => void copy(v.value)}>
                  复制
                </Button>
              </div>
            </div>
          ))}
        </Space>
      )}
    </Dialog>
  );
}

interface Confirming {
  readonly header: string;
  readonly body: string;
  readonly danger: boolean;
  readonly run: () => Promise<void>;
}

function RoleBoxes({
  value,
  onChange,
}: {
  readonly value: readonly PoliceRole[];
  readonly onChange: (roles: PoliceRole[]) => void;
}) {
  return (
    <Checkbox.Group
      value={[...value]}
      onChange={(checked) => onChange(POLICE_ROLES.filter((role) => checked.includes(role)))}
      options={POLICE_ROLES.map((role) => ({ value: role, label: POLICE_ROLE_LABELS[role] }))}
    />
  );
}

export function OfficersScreen({ client }: { readonly client: ConsoleClient }) {
  const [officers, setOfficers] = useState<readonly Officer[] | null>(null);
  const [keys, setKeys] = useState<readonly IntegrationKey[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [confirming, setConfirming] = useState<Confirming | null>(null);
  const [busy, setBusy] = useState(false);
  const [creating, setCreating] = useState(false);
  const [draft, setDraft] = useState<{ login: string; name: string; roles: PoliceRole[] }>({
    login: '',
    name: '',
    roles: [],
  });
  const [editing, setEditing] = useState<{ officer: Officer; roles: PoliceRole[] } | null>(null);
  const [keyName, setKeyName] = useState('');
  const officerView = useTableView();
  const keyView = useTableView();

  const load = useCallback(() => {
    setLoading(true);
    setError(null);
    Promise.all([client.call('listOfficers', {}), client.call('listIntegrationKeys', {})]).then(
      ([o, k]) => {
        setOfficers(o.officers);
        setKeys(k.keys);
        setLoading(false);
      },
      (e: unknown) => {
        setError(failureText(e));
        setLoading(false);
      },
    );
  }, [client]);

  useEffect(() => load(), [load]);

  const replaceOfficer = (item: Officer) =>
    setOfficers((list) => (list ?? []).map((o) => (o.login === item.login ? item : o)));
  const replaceKey = (item: IntegrationKey) =>
    setKeys((list) => {
      const rest = (list ?? []).filter((k) => k.keyId !== item.keyId);
      return [item, ...rest];
    });

  /** Runs a step with the busy flag; a refusal is the server's sentence in a message. */
  const step = async (run: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    try {
      await run();
      return true;
    } catch (e) {
      void MessagePlugin.error(failureText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const create = () =>
    void step(async () => {
      // no password sent: the server makes the temporary one and answers it once
      const answer = await client.call('createOfficer', {
        login: draft.login.trim(),
        name: draft.name.trim(),
        roles: draft.roles,
      });
      setCreating(false);
      setDraft({ login: '', name: '', roles: [] });
      setShown({
        title: `已创建警员 ${answer.officer.name}（${answer.officer.login}）`,
        intro: '请把下面的内容当面交给本人：首次登录时用它设置自己的密码并绑定认证器。',
        values: oneTimeValues(answer, ['officer']),
      });
      load();
    });

  const saveRoles = () => {
    if (editing === null) return;
    void step(async () => {
      replaceOfficer(await client.call('updateOfficer', { login: editing.officer.login, roles: editing.roles }));
      setEditing(null);
      void MessagePlugin.success('角色已更新。');
    });
  };

  const confirm = (c: Confirming) => setConfirming(c);
  const runConfirmed = () => {
    if (confirming === null) return;
    void step(confirming.run).then((done) => {
      if (done) setConfirming(null);
    });
  };

  const resetPassword = (o: Officer) =>
    confirm({
      header: `重置 ${o.name} 的密码`,
      body: `将为 ${o.name}（${o.login}）生成新的临时密码，其现有登录全部失效，下次登录需重新设置密码。`,
      danger: true,
      run: async () => {
        const answer = await client.call('resetOfficerPassword', { login: o.login });
        replaceOfficer(answer);
        setShown({
          title: `${o.name} 的新临时密码`,
          intro: '请交给本人：下次登录时用它重新设置密码。',
          values: oneTimeValues(answer, ['login', 'name', 'state', 'createdAt', 'updatedAt']),
        });
      },
    });

  const setState = (o: Officer, state: 'active' | 'disabled') =>
    confirm({
      header: state === 'disabled' ? `停用 ${o.name}` : `启用 ${o.name}`,
      body:
        state === 'disabled'
          ? `停用后 ${o.name}（${o.login}）无法登录，现有登录立即失效。`
          : `启用后 ${o.name}（${o.login}）可以重新登录。`,
      danger: state === 'disabled',
      run: async () => {
        replaceOfficer(await client.call('updateOfficer', { login: o.login, state }));
        void MessagePlugin.success(state === 'disabled' ? '已停用。' : '已启用。');
      },
    });

  const unlock = (o: Officer) =>
    confirm({
      header: `解锁 ${o.name}`,
      body: `${o.name}（${o.login}）因多次输错密码被锁定。确认是本人后再解锁。`,
      danger: false,
      run: async () => {
        replaceOfficer(await client.call('unlockOfficer', { login: o.login }));
        void MessagePlugin.success('已解锁。');
      },
    });

  const createKey = () =>
    void step(async () => {
      const answer = await client.call('createIntegrationKey', { name: keyName.trim() });
      replaceKey(answer.item);
      setKeyName('');
      setShown({
        title: `接入密钥：${answer.item.name}`,
        intro: '配置到对方系统中（Authorization: Bearer …）。服务器只保存它的摘要。',
        values: oneTimeValues(answer, ['item']),
      });
    });

  const rotateKey = (k: IntegrationKey) =>
    confirm({
      header: `轮换密钥“${k.name}”`,
      body: '轮换后旧密钥立即失效，对方系统需换用新密钥才能继续导入。',
      danger: true,
      run: async () => {
        const answer = await client.call('rotateIntegrationKey', { keyId: k.keyId });
        replaceKey(answer.item);
        setShown({
          title: `新的接入密钥：${answer.item.name}`,
          intro: '旧密钥已失效，请尽快换到对方系统中。',
          values: oneTimeValues(answer, ['item']),
        });
      },
    });

  const revokeKey = (k: IntegrationKey) =>
    confirm({
      header: `吊销密钥“${k.name}”`,
      body: '吊销后该密钥永久失效，无法恢复；需要时请新建一把。',
      danger: true,
      run: async () => {
        replaceKey(await client.call('revokeIntegrationKey', { keyId: k.keyId }));
        void MessagePlugin.success('已吊销。');
      },
    });

  const officerColumns: PrimaryTableCol<Officer>[] = [
    { colKey: 'login', title: '账号', width: 150, sorter: true },
    { colKey: 'name', title: '姓名', width: 140, sorter: true },
    {
      colKey: 'roles',
      title: '角色',
      cell: ({ row }) => (
        <Space size={4} breakLine>
          {row.roles.map((role) => (
            <Tag key={role} theme="primary" variant="light">
              {POLICE_ROLE_LABELS[role]}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      colKey: 'state',
      title: '状态',
      width: 90,
      sorter: true,
      cell: ({ row }) => (
        <Tag theme={STATE_THEMES[row.state]} variant="light">
          {STATE_LABELS[row.state]}
        </Tag>
      ),
    },
    {
      colKey: 'updatedAt',
      title: '更新时间',
      width: 150,
      sorter: true,
      cell: ({ row }) => formatInstant(row.updatedAt),
    },
    {
      colKey: 'actions',
      title: '操作',
      width: 300,
      cell: ({ row }) => (
        <Space size={4}>
          <Button
            size="small"
            variant="text"
            theme="primary"
            onClick={() => setEditing({ officer: row, roles: [...row.roles] })}
          >
            角色
          </Button>
          <Button size="small" variant="text" theme="primary" onClick={() => resetPassword(row)}>
            重置密码
          </Button>
          {row.state === 'locked' ? (
            <Button size="small" variant="text" theme="warning" onClick={() => unlock(row)}>
              解锁
            </Button>
          ) : null}
          {row.state === 'disabled' ? (
            <Button size="small" variant="text" theme="primary" onClick={() => setState(row, 'active')}>
              启用
            </Button>
          ) : (
            <Button size="small" variant="text" theme="danger" onClick={() => setState(row, 'disabled')}>
              停用
            </Button>
          )}
        </Space>
      ),
    },
  ];

  const keyColumns: PrimaryTableCol<IntegrationKey>[] = [
    { colKey: 'name', title: '名称', width: 220, sorter: true },
    { colKey: 'keyId', title: '编号', width: 180 },
    {
      colKey: 'state',
      title: '状态',
      width: 90,
      sorter: true,
      cell: ({ row }) => (
        <Tag theme={row.state === 'active' ? 'success' : 'default'} variant="light">
          {KEY_STATE_LABELS[row.state]}
        </Tag>
      ),
    },
    {
      colKey: 'createdAt',
      title: '创建时间',
      width: 150,
      sorter: true,
      cell: ({ row }) => formatInstant(row.createdAt),
    },
    {
      colKey: 'rotatedAt',
      title: '轮换时间',
      width: 150,
      sorter: true,
      cell: ({ row }) => (row.rotatedAt === null ? '—' : formatInstant(row.rotatedAt)),
    },
    {
      colKey: 'lastUsedAt',
      title: '最近使用',
      width: 150,
      sorter: true,
      cell: ({ row }) => (row.lastUsedAt === null ? '从未使用' : formatInstant(row.lastUsedAt)),
    },
    {
      colKey: 'actions',
      title: '操作',
      width: 140,
      cell: ({ row }) =>
        row.state === 'active' ? (
          <Space size={4}>
            <Button size="small" variant="text" theme="primary" onClick={() => rotateKey(row)}>
              轮换
            </Button>
            <Button size="small" variant="text" theme="danger" onClick={() => revokeKey(row)}>
              吊销
            </Button>
          </Space>
        ) : null,
    },
  ];

  const table = <T extends object>(
    rows: readonly T[] | null,
    view: ReturnType<typeof useTableView>,
    columns: PrimaryTableCol<T>[],
    rowKey: string,
    empty: string,
  ): ReactNode => {
    const sorted = sortRows(rows ?? [], view.sort);
    const page = pageOf(sorted, view.page, PAGE_SIZE);
    return (
      <Table<T>
        rowKey={rowKey}
        loading={loading && rows === null}
        data={page.rows}
        columns={columns}
        empty={empty}
        {...(view.sort === null ? {} : { sort: view.sort })}
        onSortChange={(value) => view.setSort(sortOf(value))}
        {...(sorted.length > PAGE_SIZE
          ? {
              pagination: {
                current: page.current,
                pageSize: PAGE_SIZE,
                total: sorted.length,
                showPageSize: false,
                onCurrentChange: (current: number) => view.setPage(current),
              },
            }
          : {})}
      />
    );
  };

  const draftReady = draft.login.trim() !== '' && draft.name.trim() !== '' && draft.roles.length > 0;

  return (
    <Space direction="vertical" className="wide" size="large">
      {error === null ? null : (
        <Alert
          theme="error"
          message={error}
          operation={
            <Button variant="text" onClick={load}>
              重试
            </Button>
          }
        />
      )}
      <Card
        title="警员"
        bordered
        className="screen"
        actions={
          <Space>
            <Button variant="text" onClick={load} loading={loading}>
              刷新
            </Button>
            <Button onClick={() => setCreating(true)}>新建警员</Button>
          </Space>
        }
      >
        {table(officers, officerView, officerColumns, 'login', '还没有警员')}
      </Card>
      <Card title="接入密钥" bordered className="screen">
        <Space direction="vertical" className="wide">
          <p className="form-hint">
            车管所、交警业务系统等通过接入密钥调用数据导入；每把密钥单独命名，可随时轮换或吊销。
          </p>
          <Space align="center">
            <Input
              value={keyName}
              onChange={setKeyName}
              placeholder="密钥名称，如：车管所导入"
              maxlength={40}
              style={{ width: 280 }}
            />
            <Button disabled={keyName.trim() === '' || busy} loading={busy && shown === null} onClick={createKey}>
              新建密钥
            </Button>
          </Space>
          {table(keys, keyView, keyColumns, 'keyId', '还没有接入密钥')}
        </Space>
      </Card>

      <Dialog
        visible={creating}
        header="新建警员"
        width={560}
        confirmBtn={{ content: '创建', loading: busy, disabled: !draftReady }}
        onConfirm={create}
        onClose={() => setCreating(false)}
      >
        <div className="stack-form">
          <label>
            账号
            <Input
              name="new-login"
              value={draft.login}
              onChange={(login) => setDraft((d) => ({ ...d, login }))}
              placeholder="3–32 位小写字母、数字或 . _ -，以字母开头"
            />
          </label>
          <label>
            姓名
            <Input name="new-name" value={draft.name} onChange={(name) => setDraft((d) => ({ ...d, name }))} />
          </label>
          <div>
            <div className="once-label">角色</div>
            <RoleBoxes value={draft.roles} onChange={(roles) => setDraft((d) => ({ ...d, roles }))} />
          </div>
          <p className="form-hint">创建后会显示一次性的登录信息，请当面交给本人。</p>
        </div>
      </Dialog>

      <Dialog
        visible={editing !== null}
        header={editing === null ? '' : `${editing.officer.name} 的角色`}
        confirmBtn={{ content: '保存', loading: busy, disabled: editing === null || editing.roles.length === 0 }}
        onConfirm={saveRoles}
        onClose={() => setEditing(null)}
      >
        {editing === null ? null : (
          <Space direction="vertical">
            <RoleBoxes value={editing.roles} onChange={(roles) => setEditing({ ...editing, roles })} />
            <span className="form-hint">去掉角色时，该警员的现有登录立即失效，需重新登录。</span>
          </Space>
        )}
      </Dialog>

      <Dialog
        visible={confirming !== null}
        header={confirming?.header ?? ''}
        theme={confirming?.danger === true ? 'danger' : 'default'}
        confirmBtn={{ content: '确定', loading: busy, theme: confirming?.danger === true ? 'danger' : 'primary' }}
        onConfirm={runConfirmed}
        onClose={() => setConfirming(null)}
      >
        {confirming?.body}
      </Dialog>

      <OnceDialog shown={shown} onClose={() => setShown(null)} />
    </Space>
  );
}
