/**
 * 王芳 answers 黄伟's request for her car in the browser preview, as a person would: the consent sheet says who asks,
 * for which car, what it allows, for how long and how to take it back, with two full-width buttons a thumb finds;
 * agreeing starts the face scan (the sandbox plays WeChat), and once it passes the car is bound to him — which he then
 * sees on his own phone. The request itself is made through the function, as his phone would (setup).
 */
import { startLocalCloud, type RunningCloud } from '../helpers/local-cloud';
import { describeInChromium, openPreview, useChromium } from './helpers/preview';

const PLATE = '桂AB2C34';

describeInChromium('王芳 consents to 黄伟 driving her car', () => {
  const browser = useChromium();
  let cloud: RunningCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({ args: ['--seed-if-empty'] });
    const { status, body } = await cloud.call<{ ok?: boolean }>(
      'vehicle',
      { action: 'requestBinding', plate: PLATE, plateType: '02', ownerName: '王芳' },
      'demo-huang-wei',
    );
    if (status !== 200 || body.ok !== true) throw new Error(`requestBinding: ${status} ${JSON.stringify(body)}`);
  }, 60_000);

  afterAll(async () => {
    // Unset when beforeAll failed.
    await (cloud as RunningCloud | undefined)?.stop();
  });

  it('reads the sheet, agrees with her face and the car is his to drive', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-wang-fang');
    await phone.tap('车主授权');
    await phone.see('申请人 黄*');
    await phone.tap('同意授权');
    await phone.see('同意后，对方可以');

    const sheet = phone.top().locator('#consent');
    // who, which car
    expect(await phone.top().locator('#consent-requester').textContent()).toBe('黄*');
    expect(await phone.top().locator('#consent-plate').textContent()).toBe(PLATE);
    const text = (await sheet.textContent()) ?? '';
    // what it allows, and what it does not cost her
    expect(text).toContain('查询和处理这辆车的电子监控违法');
    expect(text).toContain('不扣您的分');
    expect(text).toContain('缴纳罚款');
    // how long, and how to take it back
    expect(text).toContain('授权期限');
    expect(text).toContain('一直有效，直到您解除授权');
    expect(text).toContain('如何解除');
    expect(text).toContain('解除授权');
    expect(text).toMatch(/本申请 .+ 前有效/);
    expect(text).toContain('刷脸验证');

    // both answers are full-width buttons at least 48 px tall (layout sizes: the sheet may still be zooming in)
    const size = (el: HTMLElement) => ({ width: el.offsetWidth, height: el.offsetHeight });
    const dialog = await phone.top().locator('.t-dialog').first().evaluate(size);
    for (const label of ['同意并刷脸验证', '暂不同意']) {
      const box = await phone.top().locator('wx-button').filter({ hasText: label }).first().evaluate(size);
      expect([label, box.height >= 48]).toEqual([label, true]);
      expect([label, box.width >= dialog.width * 0.8]).toEqual([label, true]);
    }
    await phone.screenshot('owner-consent-sheet');

    await phone.tap('同意并刷脸验证');
    await phone.face('pass');
    await phone.see(`已授权，${PLATE} 已绑定到申请人账号。`);
    await phone.see('已授权的其他驾驶人');

    await phone.switchUser('demo-huang-wei');
    await phone.tap('我的车辆');
    await phone.see('车主 王* 已授权');
    await phone.see(PLATE);
    expect(await phone.problems()).toBe('');
    await phone.close();
  }, 90_000);
});
