/**
 * First sign-in (or after an administrator's reset): the officer scans a fresh TOTP secret into an authenticator
 * app, chooses their own password and proves the app works with a code; the server then answers a normal session.
 */
import QRCode from 'qrcode';
import { useCallback, useEffect, useState, type SubmitEvent } from 'react';
import { Alert, Button, Card, Image, Input, Loading, Space } from 'tdesign-react';
import { ApiError, type ConsoleClient, type Enrolment } from '../api';
import { failureText } from '../messages';
import { newPasswordHint, PASSWORD_POLICY_TEXT } from '../password';

interface Secret {
  readonly totpSecret: string;
  readonly qr: string;
}

type Load =
  | { readonly state: 'loading' }
  | { readonly state: 'error'; readonly text: string }
  | ({ readonly state: 'ready' } & Secret);

/** The secret in groups of four, as authenticator apps show typed-in keys. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function EnrolmentStep({
  client,
  enrolment,
  onCancel,
}: {
  readonly client: ConsoleClient;
  readonly enrolment: Enrolment;
  readonly onCancel: (notice: string) => void;
}) {
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [totp, setTotp] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);

  const fetchSecret = useCallback(() => {
    setLoad({ state: 'loading' });
    client
      .startEnrolment(enrolment)
      .then(async (made): Promise<Load> => ({
        state: 'ready',
        totpSecret: made.totpSecret,
        qr: await QRCode.toDataURL(made.otpauthUri, { margin: 1, width: 200 }),
      }))
      .then(setLoad, (e: unknown) => {
        if (e instanceof ApiError && (e.code === 'SESSION_EXPIRED' || e.code === 'FORBIDDEN'))
          onCancel('设置时间已超过 15 分钟，请用临时密码重新登录。');
        else setLoad({ state: 'error', text: failureText(e) });
      });
  }, [client, enrolment, onCancel]);

  useEffect(fetchSecret, [fetchSecret]);

  const hint = newPasswordHint({ login: enrolment.officer.login, next, again });
  const ready = load.state === 'ready' && hint === null && /^\d{6}$/.test(totp) && !busy;

  const submit = (event?: SubmitEvent) => {
    event?.preventDefault();
    if (!ready) return;
    setBusy(true);
    setError(null);
    client.completeEnrolment(enrolment, { newPassword: next, totp }).then(
      () => undefined,
      (e: unknown) => {
        setBusy(false);
        setTotp('');
        if (e instanceof ApiError && e.code === 'SESSION_EXPIRED') {
          onCancel('设置时间已超过 15 分钟，请用临时密码重新登录。');
          return;
        }
        const field = e instanceof ApiError ? e.details?.field : undefined;
        setError({ text: failureText(e), ...(field === undefined ? {} : { field }) });
      },
    );
  };

  return (
    <div className="sign-in">
      <Card
        title={`首次登录 · ${enrolment.officer.name}（${enrolment.officer.login}）`}
        bordered
        className="enrol-card"
      >
        <form onSubmit={submit} className="sign-in-form" aria-label="设置密码和动态验证码">
          <Alert theme="info" message="请设置自己的密码并绑定身份验证器，完成后才能使用管理台。临时密码随即失效。" />
          {error !== null ? <Alert theme="error" message={error.text} /> : null}
          <section className="enrol-step">
            <h3>1. 用身份验证器扫码</h3>
            {load.state === 'loading' ? <Loading text="正在生成二维码…" size="small" /> : null}
            {load.state === 'error' ? (
              <Space direction="vertical">
                <Alert theme="error" message={load.text} />
                <Button variant="outline" onClick={fetchSecret}>
                  重新生成
                </Button>
              </Space>
            ) : null}
            {load.state === 'ready' ? (
              <div className="enrol-qr">
                <Image src={load.qr} alt="身份验证器二维码" className="enrol-qr-image" fit="contain" />
                <div className="enrol-secret">
                  <p className="form-hint">
                    在手机上用腾讯身份验证器、Google Authenticator
                    等应用扫描左侧二维码。无法扫码时，选择“手动输入密钥”，输入：
                  </p>
                  <code data-testid="totp-secret" data-secret={load.totpSecret}>
                    {grouped(load.totpSecret)}
                  </code>
                  <p className="form-hint">类型选“基于时间”。每次打开本页会生成新的二维码，请以最后一次为准。</p>
                </div>
              </div>
            ) : null}
          </section>
          <section className="enrol-step">
            <h3>2. 设置新密码</h3>
            <p className="form-hint">{PASSWORD_POLICY_TEXT}</p>
            <input
              type="text"
              name="username"
              autoComplete="username"
              value={enrolment.officer.login}
              readOnly
              hidden
            />
            <label>
              新密码
              <Input
                type="password"
                value={next}
                onChange={setNext}
                autocomplete="new-password"
                name="newPassword"
                status={error?.field === 'newPassword' ? 'error' : 'default'}
              />
            </label>
            <label>
              再次输入新密码
              <Input type="password" value={again} onChange={setAgain} autocomplete="new-password" name="again" />
            </label>
            {next !== '' && hint !== null ? <p className="form-error">{hint}</p> : null}
          </section>
          <section className="enrol-step">
            <h3>3. 输入身份验证器上的 6 位数字</h3>
            <Input
              value={totp}
              onChange={(v) => setTotp(v.replace(/\D/g, '').slice(0, 6))}
              onEnter={() => submit()}
              placeholder="扫码后应用中显示的 6 位数字"
              autocomplete="one-time-code"
              name="enrolTotp"
              status={error?.field === 'totp' ? 'error' : 'default'}
            />
          </section>
          <Button type="submit" block loading={busy} disabled={!ready}>
            完成设置并登录
          </Button>
          <Button variant="text" block onClick={() => onCancel('已取消设置，请重新登录。')}>
            返回登录
          </Button>
        </form>
      </Card>
    </div>
  );
}
