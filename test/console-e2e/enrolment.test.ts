/**
 * First sign-in in the console: an officer the administrator just made signs in with the temporary password, scans
 * the QR code (here: reads the secret shown beside it), sets their own password with a code, and lands in the
 * console; the temporary password opens nothing afterwards.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { describeInChromium } from '../e2e/helpers/preview';
import { useConsole } from './console';

jest.setTimeout(120_000);
const world = useConsole();
const ARTIFACTS = path.join(__dirname, '..', '..', 'artifacts', 'console');
const NEW_PASSWORD = 'Yongzhou-road-2026';

type Body = { ok: true; data: Record<string, unknown> } | { ok: false; code: string };

async function admin(event: Record<string, unknown>): Promise<Body> {
  return (await world.cloud().call<Body>('admin', event)).body;
}

async function must(event: Record<string, unknown>): Promise<Record<string, unknown>> {
  const body = await admin(event);
  if (!body.ok) throw new Error(`admin.${String(event['action'])} failed: ${body.code}`);
  return body.data;
}

describeInChromium('enrolment in the console', () => {
  it('a new officer signs in with the temporary password, scans the QR code, enrols and lands in the console', async () => {
    const { sessionToken } = await must({
      action: 'signIn',
      login: 'demo-admin',
      password: world.demo().password,
      totp: await world.code('demo-admin'),
    });
    const made = await must({
      action: 'createOfficer',
      credential: sessionToken,
      login: 'lin-xiaoyu',
      name: '林晓雨',
      roles: ['finance'],
    });
    const temporary = String(made['temporaryPassword']);
    expect(made).not.toHaveProperty('totpSecret');

    const page = await world.open();
    await page.locator('input[name="login"]').fill('lin-xiaoyu');
    await page.locator('input[name="password"]').fill(temporary);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('img[alt="身份验证器二维码"]').waitFor({ timeout: 15_000 });
    const secret = (await page.getByTestId('totp-secret').getAttribute('data-secret')) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect((await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '')).toBe(secret);

    // the form names what is wrong before sending
    await page.locator('input[name="newPassword"]').fill('short');
    await page.getByText('新密码至少 12 个字符。').waitFor({ timeout: 15_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'enrolment.png'), fullPage: true });

    await page.locator('input[name="newPassword"]').fill(NEW_PASSWORD);
    await page.locator('input[name="again"]').fill(NEW_PASSWORD);
    // a wrong code is refused in words and the form stays
    await page.locator('input[name="enrolTotp"]').fill('000000');
    const now = Date.parse((await world.cloud().request<{ now: string }>('GET', '/sandbox/clock')).body.now);
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now });
    if (code !== '000000') {
      await page.getByRole('button', { name: '完成设置并登录' }).click();
      await page.getByText('动态验证码不正确').waitFor({ timeout: 15_000 });
    }
    await page.locator('input[name="enrolTotp"]').fill(code);
    await page.getByRole('button', { name: '完成设置并登录' }).click();
    await page.getByText('退出登录').first().waitFor({ timeout: 15_000 });
    await page.locator('.t-menu').getByText('退款审批').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(ARTIFACTS, 'enrolled.png') });

    // the temporary password opens nothing any more
    expect(await admin({ action: 'signIn', login: 'lin-xiaoyu', password: temporary })).toMatchObject({
      ok: false,
      code: 'SIGN_IN_FAILED',
    });
    await page.close();
  });
});
