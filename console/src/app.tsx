/** The shell: the sign-in screen without a session; with one, the menu of the screens the officer's roles open. */
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Button, Layout, Menu, Space, Tag } from 'tdesign-react';
import { POLICE_ROLE_LABELS } from '../../cloudfunctions/_shared/police/access';
import type { ConsoleClient } from './api';
import { SESSION_END_TEXT } from './messages';
import { screensFor, type ScreenId } from './screens';
import { AccountScreen } from './screens/account';
import { AuditScreen } from './screens/audit';
import { FaultsScreen } from './screens/faults';
import { ImportsScreen } from './screens/imports';
import { OfficersScreen } from './screens/officers';
import { PaymentsScreen } from './screens/payments';
import { RefundsScreen } from './screens/refunds';
import { SignInScreen } from './screens/sign-in';

function hashScreen(): string {
  return window.location.hash.replace(/^#\/?/, '');
}

function screenBody(id: ScreenId, client: ConsoleClient): ReactNode {
  switch (id) {
    case 'imports':
      return <ImportsScreen client={client} />;
    case 'refunds':
      return <RefundsScreen client={client} />;
    case 'faults':
      return <FaultsScreen client={client} />;
    case 'officers':
      return <OfficersScreen client={client} />;
    case 'account':
      return <AccountScreen client={client} />;
    case 'payments':
      return <PaymentsScreen client={client} />;
    case 'audit':
      return <AuditScreen client={client} />;
  }
}

export function App({ client }: { readonly client: ConsoleClient }) {
  const session = useSyncExternalStore(client.subscribe, client.current);
  const [wanted, setWanted] = useState(hashScreen);
  useEffect(() => {
    const follow = () => setWanted(hashScreen());
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  if (session === null) {
    const ended = client.lastEnd();
    return <SignInScreen client={client} notice={ended === null ? null : SESSION_END_TEXT[ended]} />;
  }
  const screens = screensFor(session.officer.roles);
  const current = screens.find((s) => s.id === wanted) ?? screens[0];
  return (
    <Layout className="console-layout">
      <Layout.Header className="console-header">
        <div className="console-brand">桂A交管 · 交警管理台</div>
        <Space align="center" size="small">
          <span>{session.officer.name}</span>
          {session.officer.roles.map((role) => (
            <Tag key={role} theme="primary" variant="light">
              {POLICE_ROLE_LABELS[role]}
            </Tag>
          ))}
          <Button variant="text" onClick={() => void client.signOut()}>
            退出登录
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Aside width="232px">
          <Menu
            value={current?.id ?? ''}
            onChange={(value) => {
              window.location.hash = `#/${String(value)}`;
            }}
          >
            {screens.map((s) => (
              <Menu.MenuItem key={s.id} value={s.id}>
                {s.label}
              </Menu.MenuItem>
            ))}
          </Menu>
        </Layout.Aside>
        <Layout.Content className="console-content">
          {current === undefined ? null : screenBody(current.id, client)}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
