/**
 * 缴款对账 in the browser: a finance officer sees the day's paid orders and totals, the order WeChat took the wrong
 * amount for among the anomalies with its refund's state, and downloads CSV and XLSX files that read back to the
 * rows listed.
 */
import { readFileSync } from 'node:fs';
import { read, utils } from '@e965/xlsx';
import Papa from 'papaparse';
import type { Page } from 'playwright-core';
import type { CreatePaymentResult } from '../../miniprogram/domain/payment/contract';
import { describeInChromium } from '../e2e/helpers/preview';
import { World } from '../helpers/story';
import { useConsole } from './console';

jest.setTimeout(120_000);
const world = useConsole();
const story = new World(world.cloud, 'cpay');

/** A driver's decision paid today through the pay sandbox; `totalFee` plays WeChat taking another amount. */
async function paid(fine: number, totalFee?: number): Promise<string> {
  const { person, decision } = await story.decided([{ fine }]);
  const order = await story.ok<CreatePaymentResult>(
    'payment',
    { action: 'create', decisionId: decision.decisionId },
    person.openid,
  );
  await story.pay(order.outTradeNo, totalFee === undefined ? { result: 'SUCCESS' } : { result: 'SUCCESS', totalFee });
  return order.outTradeNo;
}

async function saved(page: Page, button: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const where = await file.path();
  return readFileSync(where);
}

describeInChromium('缴款对账', () => {
  it("shows the day's paid orders and totals, the anomalies, and exports the rows as CSV and XLSX", async () => {
    const good = await paid(12_300);
    const short = await paid(8_000, 7_000);
    const page = await world.signIn('demo-finance');
    await page.locator('.t-menu').getByText('缴款对账').click();
    await page.getByText(good).first().waitFor();
    await page.getByText(short).first().waitFor();

    // Totals: the two orders, what WeChat actually collected (123.00 + 70.00), one of them an anomaly.
    const total = page.locator('tr', { hasText: '合计' });
    await total.getByText('¥193.00').waitFor();
    expect(await total.locator('td').allInnerTexts()).toEqual(['合计', '2', '¥193.00', '1']);
    // The anomaly says what happened and where its refund stands.
    const anomaly = page.locator('.t-card', { hasText: '异常缴款' }).locator('tr', { hasText: short });
    await anomaly.getByText('应收 ¥80.00，实收 ¥70.00').waitFor();
    await anomaly.getByText('待审批').waitFor();
    await page.screenshot({ path: 'artifacts/console/payments.png', fullPage: true });

    const csv = (await saved(page, '导出 CSV')).toString('utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const csvRows = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    const book = read(await saved(page, '导出 XLSX'), { type: 'buffer' });
    const sheet = book.Sheets[book.SheetNames[0] ?? ''];
    if (sheet === undefined) throw new Error('the workbook has no sheet');
    const xlsxRows = utils.sheet_to_json<string[]>(sheet, { header: 1, raw: false });
    expect(xlsxRows).toEqual(csvRows);
    expect(csvRows[0]?.[0]).toBe('商户订单号');
    const byOrder = new Map(csvRows.slice(1).map((row) => [row[0], row]));
    expect(byOrder.size).toBe(2);
    expect(byOrder.get(good)).toEqual(
      expect.arrayContaining(['南宁市公安局交通警察支队', '123.00', '已缴款']) as unknown,
    );
    expect(byOrder.get(short)).toEqual(expect.arrayContaining(['80.00', '70.00', '金额不符', '待审批']) as unknown);
    await page.close();
  });

  it('a day without payments says so, with zero totals', async () => {
    const page = await world.signIn('demo-finance2');
    await page.goto(`${world.cloud().url}/console#/payments`);
    const picker = page.locator('.t-date-range-picker input').first();
    await picker.waitFor();
    await picker.fill('2026-01-01');
    const end = page.locator('.t-date-range-picker input').nth(1);
    await end.fill('2026-01-01');
    await end.press('Enter');
    await page.getByText('所选日期没有缴款').waitFor();
    await page.locator('tr', { hasText: '合计' }).getByText('¥0.00').waitFor();
    await page.close();
  });
});
