/**
 * 人员与接入 in Chromium: an administrator creates an officer (the one-time secrets shown once), changes roles,
 * disables and re-enables, is refused disabling the last administrator in the server's words, unlocks an officer the
 * server locked, and creates, rotates and revokes an integration key.
 */
import type { Page } from 'playwright-core';
import { describeInChromium } from '../e2e/helpers/preview';
import { useConsole } from './console';

jest.setTimeout(90_000);
const world = useConsole();
/** One administrator's page for the whole file (each sign-in waits for a fresh TOTP step). */
let admin: Page | null = null;
let finished = false;

// a failed test leaves its page photographed as it stood, and the next test signs in afresh
afterEach(async () => {
  if (!finished && admin !== null && !admin.isClosed()) {
    await admin.screenshot({ path: 'artifacts/console/officers-failed.png' });
    await admin.close();
    admin = null;
  }
  finished = false;
});

afterAll(async () => {
  await admin?.close();
});

async function openScreen(options: { fresh?: boolean } = {}): Promise<Page> {
  if (options.fresh === true) {
    await admin?.close();
    admin = null;
  }
  if (admin === null || admin.isClosed()) {
    admin = await world.signIn('demo-admin');
    admin.setDefaultTimeout(15_000);
  }
  await admin.locator('.t-menu').getByText('人员与接入').click();
  await admin.getByRole('button', { name: '刷新' }).click();
  await admin.getByRole('cell', { name: 'demo-finance2' }).waitFor();
  return admin;
}

function rowOf(page: Page, login: string) {
  return page.locator('tr', { has: page.getByRole('cell', { name: login, exact: true }) });
}

/** The open dialog's confirm button (TDesign renders closed dialogs too, hidden). */
// A closed dialog stays in the page while it zooms out, which on a loaded machine outlasts the next one's opening.
const OPEN_DIALOG = '.t-dialog:not(.t-dialog-zoom-exit):visible';

async function confirmDialog(page: Page, label = '确定'): Promise<void> {
  await page.locator(OPEN_DIALOG).getByRole('button', { name: label }).click();
}

describeInChromium('人员与接入', () => {
  it('lists the officers with their roles, creates one and shows its secrets once, edits roles', async () => {
    const page = await openScreen();
    const finance = rowOf(page, 'demo-finance');
    await finance.locator('.t-tag', { hasText: '财务' }).waitFor();
    await finance.locator('.t-tag', { hasText: '正常' }).waitFor();

    await page.getByRole('button', { name: '新建警员' }).click();
    await page.locator('input[name="new-login"]').fill('wu.min');
    await page.locator('input[name="new-name"]').fill('吴敏');
    await page.locator(OPEN_DIALOG).getByText('审计', { exact: true }).click();
    await confirmDialog(page, '创建');

    const once = page.locator(OPEN_DIALOG, { hasText: '只显示这一次' });
    await once.waitFor();
    await once.getByText('临时密码', { exact: true }).waitFor();
    const values = await once
      .locator('textarea')
      .evaluateAll((areas) => areas.map((a) => (a as HTMLTextAreaElement).value));
    expect(values).toHaveLength(1);
    expect(values[0]?.length).toBeGreaterThanOrEqual(12);
    await page.screenshot({ path: 'artifacts/console/officers-once.png' });
    await once.getByRole('button', { name: '我已妥善保存' }).click();
    await once.waitFor({ state: 'hidden' });
    // the secret is nowhere on the page any more
    await page.waitForFunction(
      (shown) =>
        !Array.from(document.querySelectorAll<HTMLTextAreaElement>('textarea')).some((a) => shown.includes(a.value)),
      values,
    );

    const created = rowOf(page, 'wu.min');
    await created.locator('.t-tag', { hasText: '审计' }).waitFor();
    await created.getByRole('button', { name: '角色' }).click();
    await page.locator(OPEN_DIALOG).getByText('财务', { exact: true }).click();
    await confirmDialog(page, '保存');
    await created.locator('.t-tag', { hasText: '财务' }).waitFor();
    finished = true;
  });

  it('disables and re-enables an officer after a confirmation; the last administrator cannot be disabled', async () => {
    const page = await openScreen();
    const audit = rowOf(page, 'demo-audit');
    await audit.getByRole('button', { name: '停用' }).click();
    await page.locator(OPEN_DIALOG).getByText('无法登录').waitFor();
    await confirmDialog(page);
    await audit.locator('.t-tag', { hasText: '已停用' }).waitFor();
    await audit.getByRole('button', { name: '启用' }).click();
    await confirmDialog(page);
    await audit.locator('.t-tag', { hasText: '正常' }).waitFor();

    await rowOf(page, 'demo-admin').getByRole('button', { name: '停用' }).click();
    await confirmDialog(page);
    await page.getByText('至少要保留一名在用的管理员。').waitFor();
    // the refused step's dialog stays open for another try: cancel it
    await page.locator(OPEN_DIALOG).getByRole('button', { name: '取消' }).click();
    await page.locator(OPEN_DIALOG).waitFor({ state: 'hidden' });
    finished = true;
  });

  it('creates an integration key (shown once), rotates it for a new one, and revokes it', async () => {
    const page = await openScreen();
    await page.getByPlaceholder('密钥名称').fill('测试导入系统');
    await page.getByRole('button', { name: '新建密钥' }).click();
    const once = page.locator(OPEN_DIALOG);
    await once.getByText('接入密钥', { exact: true }).waitFor();
    const first = await once.locator('textarea').inputValue();
    expect(first).toMatch(/^pk_/);
    await once.getByRole('button', { name: '我已妥善保存' }).click();

    const row = rowOf(page, '测试导入系统');
    await row.getByText('从未使用').waitFor();
    await row.getByRole('button', { name: '轮换' }).click();
    await page.locator(OPEN_DIALOG).getByText('旧密钥立即失效').waitFor();
    await confirmDialog(page);
    const second = await page.locator(OPEN_DIALOG).locator('textarea').inputValue();
    expect(second).toMatch(/^pk_/);
    expect(second).not.toBe(first);
    await page.locator(OPEN_DIALOG).getByRole('button', { name: '我已妥善保存' }).click();

    await row.getByRole('button', { name: '吊销' }).click();
    await confirmDialog(page);
    await row.locator('.t-tag', { hasText: '已吊销' }).waitFor();
    expect(await row.getByRole('button', { name: '轮换' }).count()).toBe(0);
    finished = true;
  });
  it('unlocks an officer locked by wrong passwords', async () => {
    // ten wrong passwords lock demo-faults (the clock moved past each wait the server imposes); the 11th says so
    let offsetMs = 0;
    const codes: string[] = [];
    for (let i = 0; i < 11; i += 1) {
      const { body } = await world
        .cloud()
        .request<{ ok: boolean; code?: string }>(
          'POST',
          '/http/police',
          JSON.stringify({ action: 'signIn', login: 'demo-faults', password: 'wrong-password-123', totp: '000000' }),
          { 'content-type': 'application/json' },
        );
      codes.push(body.code ?? 'ok');
      offsetMs += 65 * 60_000;
      await world.cloud().request('POST', '/sandbox/clock', JSON.stringify({ offsetMs }), {
        'content-type': 'application/json',
      });
    }
    expect(codes).toEqual([...Array<string>(10).fill('SIGN_IN_FAILED'), 'ACCOUNT_LOCKED']);
    // the clock moved by hours: the administrator's session has ended
    const page = await openScreen({ fresh: true });
    const faults = rowOf(page, 'demo-faults');
    await faults.locator('.t-tag', { hasText: '已锁定' }).waitFor();
    await faults.getByRole('button', { name: '解锁' }).click();
    await confirmDialog(page);
    await faults.locator('.t-tag', { hasText: '正常' }).waitFor();
    finished = true;
  });
});
