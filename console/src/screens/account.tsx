/** 账号安全: change one's password; the server ends every session of the officer, so the console signs in again. */
import { useState, type SubmitEvent } from 'react';
import { Alert, Button, Card, Input } from 'tdesign-react';
import type { ConsoleClient } from '../api';
import { failureText } from '../messages';
import { passwordHint } from '../password';

export function AccountScreen({ client }: { readonly client: ConsoleClient }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const login = client.current()?.officer.login ?? '';
  const hint = passwordHint({ login, current, next, again });

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (hint !== null || busy) return;
    setBusy(true);
    setError(null);
    client.call('changePassword', { current, next }).then(
      () => void client.signOut('passwordChanged'),
      (e: unknown) => {
        setBusy(false);
        setError(failureText(e));
      },
    );
  };

  return (
    <Card title="修改密码" bordered className="narrow-card">
      <form onSubmit={submit} className="stack-form">
        {error !== null ? <Alert theme="error" message={error} /> : null}
        {/* lets a password manager file the new password under the right login */}
        <input type="text" name="username" autoComplete="username" value={login} readOnly hidden />
        <label>
          当前密码
          <Input type="password" value={current} onChange={setCurrent} autocomplete="current-password" />
        </label>
        <label>
          新密码
          <Input type="password" value={next} onChange={setNext} autocomplete="new-password" />
        </label>
        <label>
          再次输入新密码
          <Input type="password" value={again} onChange={setAgain} autocomplete="new-password" />
        </label>
        <p className="form-hint">{hint ?? '修改成功后，所有已登录的页面都会退出，请用新密码重新登录。'}</p>
        <Button type="submit" loading={busy} disabled={hint !== null}>
          修改密码
        </Button>
      </form>
    </Card>
  );
}
