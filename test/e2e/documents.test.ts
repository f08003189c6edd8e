/**
 * 李明 in the browser preview, clicking as a person would: a violation from the list to a paid decision's receipt,
 * from the receipt to its 处罚决定书 and back, and the list then shows the violation paid. Every figure on the way
 * comes from the cloud functions (the seeded demo, the pay sandbox playing WeChat Pay).
 */
import { startLocalCloud, type RunningCloud } from '../helpers/local-cloud';
import { describeInChromium, openPreview, useChromium } from './helpers/preview';

describeInChromium('李明 from the list to the receipt and the decision', () => {
  const browser = useChromium();
  let cloud: RunningCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({ args: ['--seed-if-empty'] });
  }, 60_000);

  afterAll(async () => {
    // Unset when beforeAll failed.
    await (cloud as RunningCloud | undefined)?.stop();
  });

  it('processes one violation, pays it, reads the receipt and the decision, and sees it paid on the list', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-li-ming');
    await phone.tap('可网上处理的违法');
    await phone.see('待处理');
    await phone.top().locator('.violations__pick').first().click();
    await phone.tap('接受处理');
    await phone.see('确认接受处理');
    await phone.tap('确认处理');
    await phone.see('应缴金额');
    const confirm = (await phone.top().textContent()) ?? '';
    const decisionNo = /4501\d{12}/.exec(confirm)?.[0] ?? '';
    expect(decisionNo).not.toBe('');

    await phone.tap('微信支付缴款');
    await phone.pay('success');
    await phone.see('缴款成功', 20_000);
    await phone.tap('查看电子缴款凭证');
    await phone.see('实缴金额');
    const receipt = (await phone.top().textContent()) ?? '';
    expect(receipt).toContain(decisionNo);
    expect(receipt).toContain('南宁市公安局交通警察支队');
    expect(receipt).toMatch(/GA4501\d{12}\d{8}/);

    await phone.tap(decisionNo);
    await phone.see('公安交通管理简易程序处罚决定书');
    await phone.see('已缴款');
    expect((await phone.top().textContent()) ?? '').toMatch(/行政复议|行政诉讼/);
    await phone.page.locator('#nav-back').click();
    await phone.see('实缴金额');

    await phone.switchUser('demo-li-ming');
    await phone.tap('违法处理');
    await phone.top().locator('.t-tabs__item').filter({ hasText: '已完成' }).first().click();
    // the paid card names his own decision (the bank-paid ones in the seed name none)
    await phone.see(decisionNo);
    expect(await phone.problems()).toBe('');
    await phone.close();
  }, 90_000);
});
