/**
 * 退款审批 in Chromium: a finance officer asks for the refund of a paid order, cannot approve it themselves (the
 * server's SAME_OFFICER sentence), and a second finance officer approves it and sees it refunded by WeChat Pay (the
 * local cloud's pay sandbox).
 */
import type { Page } from 'playwright-core';
import type { CreatePaymentResult } from '../../miniprogram/domain/payment/contract';
import { World } from '../helpers/story';
import { describeInChromium } from '../e2e/helpers/preview';
import { useConsole } from './console';

jest.setTimeout(120_000);
const police = useConsole();
const world = new World(police.cloud, 'cr');

/** A driver's 100-yuan decision paid through the pay sandbox: the order's merchant number. */
async function paidOrder(): Promise<string> {
  const { person, decision } = await world.decided([{ fine: 10_000 }]);
  const order = await world.ok<CreatePaymentResult>(
    'payment',
    { action: 'create', decisionId: decision.decisionId },
    person.openid,
  );
  const { status } = await world.pay(order.outTradeNo, { result: 'SUCCESS' });
  expect(status).toBe(200);
  return order.outTradeNo;
}

/** An action called with the page's own session, as the console would (the screen has no request form yet). */
async function callAs(page: Page, body: Record<string, unknown>): Promise<{ ok: boolean; code?: string }> {
  return page.evaluate(async (event) => {
    const key = Object.keys(sessionStorage).find((k) => k.includes('session')) ?? '';
    const raw = sessionStorage.getItem(key);
    const token = raw === null ? '' : (JSON.parse(raw) as { token: string }).token;
    const response = await fetch('/http/police', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(event),
    });
    return (await response.json()) as { ok: boolean; code?: string };
  }, body);
}

async function approveIn(page: Page, outTradeNo: string): Promise<void> {
  await page.locator('.t-menu').getByText('退款审批').click();
  // the screen may have listed the queue before the request: 刷新 reads it again
  await page.getByRole('button', { name: '刷新' }).click();
  const row = page.locator('tr', { has: page.getByRole('cell', { name: outTradeNo }) });
  await row.getByRole('button', { name: '批准' }).click();
  await page.locator('.t-popconfirm:visible').getByRole('button', { name: '确定' }).click();
}

describeInChromium('退款审批', () => {
  it('one finance officer asks, cannot approve their own request, and another approves it: refunded', async () => {
    const outTradeNo = await paidOrder();

    const asker = await police.signIn('demo-finance');
    expect(
      await callAs(asker, { action: 'requestRefund', outTradeNo, amount: 10_000, reason: '已在银行缴款' }),
    ).toEqual(expect.objectContaining({ ok: true }));
    await approveIn(asker, outTradeNo);
    await asker.getByText('同一笔退款的申请人和审批人不能是同一人。').waitFor();
    const own = asker.locator('tr', { has: asker.getByRole('cell', { name: outTradeNo }) });
    await own.getByText('待审批').waitFor();
    await asker.close();

    const approver = await police.signIn('demo-finance2');
    await approveIn(approver, outTradeNo);
    const row = approver.locator('tr', { has: approver.getByRole('cell', { name: outTradeNo }) });
    await row.getByText('已退款').waitFor({ timeout: 20_000 });
    await row.getByText('¥100.00').waitFor();
    await approver.screenshot({ path: 'artifacts/console/refunds-approved.png' });
    await approver.close();
  });
});
