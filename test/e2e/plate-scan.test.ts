/**
 * Scanning a plate in the browser preview: on 一键挪车, wx.chooseMedia opens the labelled OCR sandbox sheet, where the
 * person types what the camera sees (POST /sandbox/ocr); the generated photo is uploaded, read by the real
 * moveCar.recognisePlate, and the keyboard shows the plate — nothing is sent until the driver taps.
 */
import { startLocalCloud, type RunningCloud } from '../helpers/local-cloud';
import { describeInChromium, openPreview, useChromium } from './helpers/preview';

jest.setTimeout(120_000);
let cloud: RunningCloud;

describeInChromium('plate scanning in the browser preview', () => {
  const browser = useChromium();

  beforeAll(async () => {
    // the demo seed: 黄伟 registered and face-verified
    cloud = await startLocalCloud({ args: ['--seed-if-empty'] });
  }, 90_000);

  afterAll(async () => {
    // Unset when beforeAll failed.
    await (cloud as RunningCloud | undefined)?.stop();
  });

  it('the sandbox sheet sets what the camera sees; the keyboard is pre-filled for the driver to confirm', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-huang-wei');
    await phone.inFrame(() =>
      (globalThis as unknown as { wx: { navigateTo(o: { url: string }): void } }).wx.navigateTo({
        url: '/pages/move-car/request/index',
      }),
    );
    await phone.see('拍照识别车牌');

    await phone.tap('拍照识别车牌');
    const sheet = phone.page.locator('#plate-ocr-sandbox');
    await sheet.waitFor({ state: 'visible' });
    expect(await sheet.textContent()).toContain('沙箱 SANDBOX');
    expect(await sheet.textContent()).toContain('模拟车牌识别');
    await phone.page.locator('#plate-ocr-sandbox-input').fill('粤B12345');
    await phone.page.locator('#plate-ocr-sandbox-generate').click();
    await phone.see('识别到的号牌为 粤B12345');

    await phone.tap('拍照识别车牌');
    await phone.page.locator('#plate-ocr-sandbox-input').fill('桂AB2C34');
    await phone.page.locator('#plate-ocr-sandbox-generate').click();
    await phone.see('已识别号牌 桂AB2C34');
    const plate = await phone.inFrame(() => {
      const pages = (
        globalThis as unknown as { getCurrentPages(): Array<{ data: Record<string, unknown> }> }
      ).getCurrentPages();
      return pages[pages.length - 1]?.data['plate'];
    });
    expect(plate).toBe('桂AB2C34');
    await phone.screenshot('move-car-plate-scan');
    expect(await phone.problems()).toBe('');
  });
});
