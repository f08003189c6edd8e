/**
 * 审计日志 in the browser: an auditor finds, by officer, the refund approval a finance officer made in this test,
 * opens it, and follows the record to the refund's own entry with its state before and after.
 */
import type { CreatePaymentResult } from '../../miniprogram/domain/payment/contract';
import type { RefundRow } from '../../cloudfunctions/_shared/payment/refunds/contract';
import { describeInChromium } from '../e2e/helpers/preview';
import { World } from '../helpers/story';
import { useConsole } from './console';

jest.setTimeout(120_000);
const world = useConsole();
const story = new World(world.cloud, 'caud');

describeInChromium('审计日志', () => {
  it("finds another officer's refund approval by their login and shows the refund's state before and after", async () => {
    // WeChat takes the wrong amount: settling queues a refund, which a finance officer approves.
    const { person, decision } = await story.decided([{ fine: 8_000 }]);
    const order = await story.ok<CreatePaymentResult>(
      'payment',
      { action: 'create', decisionId: decision.decisionId },
      person.openid,
    );
    await story.pay(order.outTradeNo, { result: 'SUCCESS', totalFee: 7_000 });
    const approved = await story.admin<RefundRow>('approveRefund', { refundId: order.outTradeNo });
    const login = (approved.approvedBy ?? '').replace(/^officer:/, '');
    expect(login).toMatch(/^demo-finance/);

    const page = await world.signIn('demo-audit');
    await page.locator('.t-menu').getByText('审计日志').click();
    await page.locator('input[name="login"]').fill(login);
    await page.getByRole('button', { name: '查询' }).click();
    // The unfiltered first page may already show the approval: wait until the filtered answer has replaced it.
    await page.waitForFunction((officer) => {
      const actors = Array.from(document.querySelectorAll('tbody tr td:nth-child(3)'), (cell) => cell.textContent);
      return actors.length > 0 && actors.every((text) => text.startsWith(officer));
    }, login);
    const call = page.locator('tr', { hasText: `call:refunds/${order.outTradeNo}` });
    await call.getByText('police.approveRefund').waitFor();
    await call.click();
    await page.locator('.audit-json', { hasText: `"refundId": "${order.outTradeNo}"` }).waitFor();

    // The record itself: the refund's own entries, approval included, with the state before and after.
    await page.locator('input[name="login"]').fill('');
    await page.locator('input[name="target"]').fill(`refunds/${order.outTradeNo}`);
    await page.getByRole('button', { name: '查询' }).click();
    const entry = page.locator('tr', { hasText: 'refund.approve' });
    await entry.waitFor();
    await entry.click();
    await page.locator('.audit-json', { hasText: 'queued' }).first().waitFor();
    await page.locator('.audit-json', { hasText: `"by": "officer:${login}"` }).waitFor();
    await page.screenshot({ path: 'artifacts/console/audit.png', fullPage: true });

    // A person searched by full ID number: the answer never shows it in full.
    await page.locator('input[name="target"]').fill('');
    await page.locator('input[name="person"]').fill(person.idNumber);
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('binding.own').first().waitFor();
    const shown = await page.locator('tbody').innerText();
    expect(shown).not.toContain(person.idNumber);
    await page.close();
  });

  it('a search nothing matches says so', async () => {
    const page = await world.signIn('demo-audit');
    await page.goto(`${world.cloud().url}/console#/audit`);
    await page.locator('input[name="entryAction"]').fill('nothing.done');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText('没有符合条件的记录').waitFor();
    await page.close();
  });
});
