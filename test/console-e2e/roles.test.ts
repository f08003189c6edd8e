/**
 * Roles in the console: an officer sees only the screens their roles open, and the server refuses the actions of the
 * others even when the officer's own session calls them directly.
 */
import { describeInChromium } from '../e2e/helpers/preview';
import { useConsole } from './console';

const world = useConsole();

describeInChromium('the console by role', () => {
  it('a fault handler sees 设施报障 but not 退款审批 or 数据导入, and cannot list refunds', async () => {
    const page = await world.signIn('demo-faults');
    const menu = page.locator('.t-menu');
    await menu.getByText('设施报障').waitFor();
    expect(await menu.getByText('退款审批').count()).toBe(0);
    expect(await menu.getByText('数据导入').count()).toBe(0);

    // The same session, calling the refund list through the console's own HTTP path, is refused by the server.
    const refused = await page.evaluate(async () => {
      const raw = sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.includes('session')) ?? '');
      const token = raw === null ? '' : (JSON.parse(raw) as { token: string }).token;
      const response = await fetch('/http/police', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ action: 'listRefunds', limit: 10 }),
      });
      return (await response.json()) as { ok: boolean; code?: string };
    });
    expect(refused).toEqual(expect.objectContaining({ ok: false, code: 'FORBIDDEN' }));
    await page.close();
  });

  it('a wrong TOTP code is refused with the same words as a wrong password', async () => {
    const page = await world.open();
    await page.locator('input[name="login"]').fill('demo-finance');
    await page.locator('input[name="password"]').fill(world.demo().password);
    await page.locator('input[name="totp"]').fill('000000');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('账号、密码或动态验证码不正确').waitFor();
    await page.close();
  });
});
