/**
 * 设施报障 in the console: a driver files a report with a photo through the `fault` function, the fault handler
 * finds it by filter, opens it from the map, sees the photo load, moves it through its states with notes, and the
 * history names the officer of each step; the reporter's full name shows only after a deliberate click.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import type { FaultDetail, FaultUploadTarget } from '../../miniprogram/domain/fault/contract';
import { describeInChromium } from '../e2e/helpers/preview';
import { useConsole } from './console';

jest.setTimeout(120_000);
const world = useConsole();
const SHOTS = path.join(__dirname, '..', '..', 'artifacts', 'console');
const DRIVER = 'demo-li-ming';

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k += 1) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A real PNG (a bent orange guardrail on grey) the browser can decode, so the photo visibly loads. */
function photo(width = 96, height = 64): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows: number[] = [];
  for (let y = 0; y < height; y += 1) {
    rows.push(0);
    for (let x = 0; x < width; x += 1) {
      const rail = Math.abs(y - 32 - Math.round(8 * Math.sin(x / 12))) < 4;
      rows.push(...(rail ? [227, 115, 24] : [200, 204, 210]));
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function fileReport(description: string): Promise<FaultDetail> {
  const cloud = world.cloud();
  const target = await cloud.call<{ ok: true; data: FaultUploadTarget }>('fault', { action: 'uploadTarget' }, DRIVER);
  const uploaded = await fetch(
    `${cloud.url}/storage/upload?cloudPath=${encodeURIComponent(`${target.body.data.dir}guardrail.png`)}`,
    { method: 'POST', headers: { 'x-wx-openid': DRIVER, 'content-type': 'image/png' }, body: new Uint8Array(photo()) },
  );
  const { fileID } = (await uploaded.json()) as { fileID: string };
  const reply = await cloud.call<{ ok: boolean; data: FaultDetail }>(
    'fault',
    {
      action: 'submit',
      type: 'guardrail',
      latitude: 22.782,
      longitude: 108.285,
      name: '星光大道与壮锦大道交叉口',
      address: '南宁市江南区星光大道',
      description,
      fileIDs: [fileID],
    },
    DRIVER,
  );
  if (!reply.body.ok) throw new Error(JSON.stringify(reply.body));
  return reply.body.data;
}

async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.locator('.fault-filters .t-select__wrap', { hasText: label }).click();
  await page.locator('.t-select-option', { hasText: option }).last().click();
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describeInChromium('设施报障 in the console', () => {
  it('filters to the report, opens it from the map, sees its photo, accepts and fixes it with notes', async () => {
    const description = `护栏被撞弯 ${Date.now()}`;
    const report = await fileReport(description);

    const page = await world.signIn('demo-faults');
    await page.locator('.t-menu').getByText('设施报障').click();
    await page.locator('.fault-filters').waitFor();
    await choose(page, '类型', '护栏');
    await choose(page, '区域', '江南区');
    const row = page.locator('.t-table__body tr', { hasText: description });
    await row.waitFor();
    expect(await page.locator('.t-table__body tr', { hasText: '护栏被撞弯' }).count()).toBe(1);
    await expect(row.textContent()).resolves.toContain('江南区');
    await shoot(page, 'faults-list');
    await page.locator('.fault-map-card .t-radio-button', { hasText: '全市七城区' }).click();
    await page.waitForTimeout(400);
    await shoot(page, 'faults-map-city');

    // the map shows it in the centre's view; its marker opens the report
    await page.locator(`circle[data-report-id="${report.reportId}"]`).click();
    const drawer = page.locator('.t-drawer__content-wrapper');
    await drawer.getByText('处理记录').waitFor();
    const img = drawer.locator('img[alt="照片 1"]');
    await img.waitFor();
    await page.waitForFunction(
      () => {
        const el = document.querySelector<HTMLImageElement>('.t-drawer img[alt="照片 1"]');
        return el !== null && el.complete && el.naturalWidth === 96;
      },
      undefined,
      { timeout: 10_000 },
    );

    // only the steps the state machine allows: from submitted, accept or reject (rejecting needs a note)
    expect(await drawer.locator('.t-radio-button').allTextContents()).toEqual(['受理', '不予受理']);
    await drawer.locator('.t-radio-button', { hasText: '不予受理' }).click();
    // TDesign draws a disabled button as a div
    await drawer.locator('.t-button.t-is-disabled', { hasText: '确认不予受理' }).waitFor();
    await drawer.getByText('不予受理时请写明原因').waitFor();
    await shoot(page, 'faults-detail');

    await drawer.locator('.t-radio-button', { hasText: '受理' }).first().click();
    await drawer.locator('textarea[name="fault-note"]').fill('已派养护班组前往');
    await drawer.locator('.t-button', { hasText: '确认受理' }).click();
    await drawer.locator('.t-timeline-item', { hasText: '已派养护班组前往' }).waitFor();
    expect(await drawer.locator('.t-radio-button').allTextContents()).toEqual(['标记已修复', '不予受理']);

    await drawer.locator('.t-radio-button', { hasText: '标记已修复' }).click();
    await drawer.locator('textarea[name="fault-note"]').fill('护栏已更换');
    await drawer.locator('.t-button', { hasText: '确认标记已修复' }).click();
    await drawer.getByText('已办结（已修复），不能再变更。').waitFor();

    const steps = await drawer.locator('.t-timeline-item').allTextContents();
    expect(steps).toHaveLength(3);
    expect(steps[0]).toContain('已提交');
    expect(steps[0]).toContain('报告人提交');
    expect(steps[1]).toEqual(expect.stringContaining('已受理'));
    expect(steps[1]).toEqual(expect.stringContaining('演示报障处理（demo-faults）'));
    expect(steps[1]).toEqual(expect.stringContaining('已派养护班组前往'));
    expect(steps[2]).toEqual(expect.stringContaining('已修复'));
    expect(steps[2]).toEqual(expect.stringContaining('演示报障处理（demo-faults）'));
    expect(steps[2]).toEqual(expect.stringContaining('护栏已更换'));

    // the reporter stays masked until the officer asks, and the ask is confirmed first
    expect(await drawer.locator('.fault-reporter').textContent()).toBe('李*');
    await drawer.locator('.t-button', { hasText: '查看完整姓名' }).click();
    await page.locator('.t-popconfirm').getByRole('button', { name: '查看' }).click();
    await drawer.getByText('已记入审计').waitFor();
    expect(await drawer.locator('.fault-reporter').textContent()).toBe('李明');
    await shoot(page, 'faults-fixed');

    // the list (still filtered to 已提交) no longer holds it; under 已修复 it is there
    await drawer
      .locator('.t-drawer__close-btn')
      .click()
      .catch(() => page.keyboard.press('Escape'));
    await row.waitFor({ state: 'detached' });
    await choose(page, '状态', '已修复');
    await page.locator('.t-table__body tr', { hasText: description }).waitFor();
    await page.close();
  });

  it('an empty filter says so, and a failed list says why', async () => {
    const page = await world.signIn('demo-faults');
    await page.locator('.t-menu').getByText('设施报障').click();
    await choose(page, '区域', '武鸣区');
    await choose(page, '类型', '交通标线');
    await page.getByText('没有符合条件的报障').waitFor();
    await page.route('**/http/police', (route) => route.abort());
    await page.getByRole('button', { name: '刷新' }).click();
    await page.getByText('无法连接到服务器').waitFor();
    await shoot(page, 'faults-error');
    await page.close();
  });
});
