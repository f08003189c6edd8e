/**
 * Sign-in: login, password and the authenticator's code; the server's refusals in words, with the wait when limited.
 * A temporary password (a new or reset account) needs no code and leads to the enrolment step.
 */
import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import { Alert, Button, Card, Input } from 'tdesign-react';
import { ApiError, type ConsoleClient, type Enrolment } from '../api';
import { failureText, formatWait } from '../messages';
import { EnrolmentStep } from './enrolment';

export function SignInScreen({ client, notice }: { readonly client: ConsoleClient; readonly notice: string | null }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [retryAt, setRetryAt] = useState(0);
  const [now, setNow] = useState(Date.now);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [localNotice, setLocalNotice] = useState<string | null>(null);
  const leaveEnrolment = useCallback((text: string) => {
    setEnrolment(null);
    setPassword('');
    setLocalNotice(text);
  }, []);

  useEffect(() => {
    if (retryAt <= now) return undefined;
    const timer = setTimeout(() => setNow(Date.now()), 1000);
    return () => clearTimeout(timer);
  }, [retryAt, now]);

  const waitSeconds = Math.ceil((retryAt - now) / 1000);
  const ready = login.trim() !== '' && password !== '' && /^(\d{6})?$/.test(totp) && waitSeconds <= 0 && !busy;

  const submit = (event?: SubmitEvent) => {
    event?.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    client.signIn({ login: login.trim(), password, ...(totp === '' ? {} : { totp }) }).then(
      (answer) => {
        // a session re-renders the app from the client; only an enrolment stays on this screen
        if (!('kind' in answer)) return;
        setBusy(false);
        setTotp('');
        setEnrolment(answer);
      },
      (e: unknown) => {
        setBusy(false);
        setError(failureText(e));
        // a code is good once: the next try needs the next one
        setTotp('');
        const wait = e instanceof ApiError ? e.details?.retryAfterSeconds : undefined;
        if (wait !== undefined && wait > 0) {
          setNow(Date.now());
          setRetryAt(Date.now() + wait * 1000);
        }
      },
    );
  };

  if (enrolment !== null) return <EnrolmentStep client={client} enrolment={enrolment} onCancel={leaveEnrolment} />;
  const shown = localNotice ?? notice;

  return (
    <div className="sign-in">
      <Card title="桂A交管 · 交警管理台" bordered className="sign-in-card">
        <form onSubmit={submit} className="sign-in-form">
          {shown !== null && error === null ? <Alert theme="info" message={shown} /> : null}
          {error !== null ? <Alert theme="error" message={error} /> : null}
          <label>
            账号
            <Input value={login} onChange={setLogin} autocomplete="username" name="login" />
          </label>
          <label>
            密码
            <Input
              type="password"
              value={password}
              onChange={setPassword}
              autocomplete="current-password"
              name="password"
            />
          </label>
          <label>
            动态验证码
            <Input
              value={totp}
              onChange={(v) => setTotp(v.replace(/\D/g, '').slice(0, 6))}
              onEnter={() => submit()}
              placeholder="身份验证器中的 6 位数字；首次登录可不填"
              autocomplete="one-time-code"
              name="totp"
            />
          </label>
          <Button type="submit" block loading={busy} disabled={!ready}>
            {waitSeconds > 0 ? `请 ${formatWait(waitSeconds)}后再试` : '登录'}
          </Button>
        </form>
      </Card>
    </div>
  );
}
