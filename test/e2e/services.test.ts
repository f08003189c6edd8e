/**
 * City services in the browser preview, clicked through in Chromium against the seeded demo (李明 registered, his
 * cars bound): reminders asked for on the settings page, accepted in the subscribe sandbox, sent by the timer fired by
 * hand and listed back; a driver-credit certificate requested and then checked by someone else on the public
 * verify page; offices sorted by distance once location is allowed, with navigation through the map sandbox.
 */
import { REMINDER_TEMPLATE_IDS } from '../../miniprogram/domain/reminder/reminders';
import { startLocalCloud, type RunningCloud } from '../helpers/local-cloud';
import { describeInChromium, openPreview, useChromium } from './helpers/preview';
import { match } from '../helpers/matchers';

let cloud: RunningCloud;

describeInChromium('city services and the licence extras in a browser', () => {
  const browser = useChromium();

  beforeAll(async () => {
    cloud = await startLocalCloud({ args: ['--seed-if-empty'] });
  }, 120_000);
  afterAll(async () => {
    // Unset when beforeAll failed.
    await (cloud as RunningCloud | undefined)?.stop();
  });

  it('reminders: asked on the settings page, accepted on the phone, sent once by the timer', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-li-ming');
    await phone.tap('提醒设置');
    await phone.see('提醒类型');
    await phone.tap('开启违法、年检和缴款提醒');
    await phone.page.locator('#subscribe-sandbox').waitFor();
    await phone.screenshot('30-subscribe-sandbox');
    await phone.page.locator('#subscribe-sandbox-accept').click();
    await phone.see('已开启');

    const fired = await cloud.request<{ ok: boolean; data: { sent: number } }>('POST', '/timers/reminder/daily', '{}', {
      'content-type': 'application/json',
    });
    expect(fired.body).toMatchObject({ ok: true, data: { sent: match.any(Number) } });
    expect(fired.body.data.sent).toBeGreaterThanOrEqual(1);
    const outbox = await cloud.request<{ messages: { templateId: string }[] }>(
      'GET',
      '/sandbox/outbox?touser=demo-li-ming',
    );
    expect(outbox.body.messages.map((m) => m.templateId)).toContain(REMINDER_TEMPLATE_IDS.inspectionDue);

    await phone.switchUser('demo-li-ming');
    await phone.tap('提醒设置');
    await phone.see('机动车年检提醒');
    await phone.screenshot('31-reminders-sent');
    expect(await phone.problems()).toBe('');
    await phone.close();
  }, 60_000);

  it('certificate: 李明 requests one; someone without an account checks it with the number and code', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-li-ming');
    await phone.tap('本记分周期记分');
    await phone.see('驾驶证信息');
    await phone.tap('驾驶人信用证明');
    await phone.tap('申请新的信用证明');
    const number = ((await (await phone.see(/^XY\d{16}$/)).textContent()) ?? '').trim();
    const code = ((await phone.top().locator('#code').textContent()) ?? '').trim();
    expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    await phone.screenshot('32-certificate');

    // an employer: a WeChat user who never registered
    await phone.switchUser('demo-huang-wei');
    await phone.tap('信用证明核验');
    await phone.type('证明编号', number);
    await phone.type('核验码', code.toLowerCase());
    await phone.tap('核验');
    await phone.see('真实有效');
    await phone.see('李*');
    await phone.screenshot('33-certificate-verified');
    expect(await phone.problems()).toBe('');
    await phone.close();
  }, 60_000);

  it('offices: nearest first once location is allowed, navigation opens the map', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-li-ming');
    await phone.tap('网点导航');
    await phone.page.locator('#location-sandbox').waitFor();
    await phone.page.locator('#location-sandbox-allow').click();
    await phone.see(/公里|米/);
    await phone.screenshot('34-offices');
    await phone.top().locator('wx-button').filter({ hasText: '导航前往' }).first().click();
    await phone.page.locator('#open-location-sandbox').waitFor();
    await phone.page.locator('#open-location-sandbox-close').click();
    expect(await phone.problems()).toBe('');
    await phone.close();
  }, 60_000);
});
