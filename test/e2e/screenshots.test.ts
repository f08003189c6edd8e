/**
 * A small part of `npm run screenshots`, so the table in helpers/screens.ts and the preview's text size and width
 * settings cannot rot: the home page of a registered driver and of a new user, at 375 px in standard and care size and
 * at 320 px, on the seeded demo data, with the index that shows them side by side and every page's setData within
 * its 16 KB budget.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLocalCloud, type RunningCloud } from '../helpers/local-cloud';
import { describeInChromium, openPreview, useChromium } from './helpers/preview';
import { declaredPages, MODES, SCREENS, SETDATA_LIMIT_BYTES, shotName, takeScreenshots } from './helpers/screens';

const APP_JSON = path.resolve(__dirname, '..', '..', 'miniprogram', 'app.json');

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const head = fs.readFileSync(file).subarray(0, 24);
  expect(head.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
}

describe('the screens table', () => {
  it('names every screen once per state, and each page it names is one app.json has', () => {
    const names = SCREENS.map((s) => shotName(s, 'care'));
    expect(new Set(names).size).toBe(names.length);
    expect(shotName({ name: 'violation-list', state: 'paid' }, 'care')).toBe('violation-list.paid.care');
    expect(shotName({ name: 'home', state: '' }, 'standard')).toBe('home.standard');
    const pages = declaredPages(APP_JSON);
    const notYet = SCREENS.filter((s) => !pages.has(s.page)).map((s) => s.page);
    expect(notYet).toEqual([]);
  });
});

describeInChromium('npm run screenshots, in part', () => {
  const browser = useChromium();
  let cloud: RunningCloud;
  let dir = '';

  beforeAll(async () => {
    cloud = await startLocalCloud({ args: ['--seed-if-empty'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'screens-'));
  }, 60_000);

  afterAll(async () => {
    // Unset when beforeAll failed.
    await (cloud as RunningCloud | undefined)?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tells the phone the text size it was opened with, as WeChat reports fontSizeSetting', async () => {
    const phone = await openPreview(browser(), cloud.url, 'demo-wei-li', { fontSize: MODES.care });
    type Wx = { getAppBaseInfo(): { fontSizeSetting: number }; getSystemInfoSync(): { fontSizeSetting: number } };
    const read = () => {
      const wx = (globalThis as unknown as { wx: Wx }).wx;
      return [wx.getAppBaseInfo().fontSizeSetting, wx.getSystemInfoSync().fontSizeSetting];
    };
    expect(await phone.inFrame(read)).toEqual([20, 20]);
    // another person on the same phone: the setting is the phone's, it stays
    await phone.switchUser('demo-li-ming');
    expect(await phone.inFrame(read)).toEqual([20, 20]);
    await phone.close();

    const plain = await openPreview(browser(), cloud.url, 'demo-wei-li');
    expect(await plain.inFrame(read)).toEqual([16, 16]);
    await plain.close();
  }, 60_000);

  it('photographs the home page of a driver and of a new user at 375 px, standard and care, and at 320 px', async () => {
    const homes = SCREENS.filter((s) => s.name === 'home');
    expect(homes.map((s) => s.state)).toEqual(['', 'new-user']);
    const { outcomes, index, setData } = await takeScreenshots(dir, homes);

    expect(outcomes.map((o) => [shotName(o.screen, o.mode), o.kind])).toEqual([
      ['home.standard', 'shot'],
      ['home.new-user.standard', 'shot'],
      ['home.care', 'shot'],
      ['home.new-user.care', 'shot'],
      ['home.320', 'shot'],
      ['home.new-user.320', 'shot'],
    ]);
    for (const outcome of outcomes) {
      if (outcome.kind !== 'shot') continue;
      expect(path.basename(outcome.file)).toBe(`${shotName(outcome.screen, outcome.mode)}.png`);
      expect(pngSize(outcome.file).width).toBe(outcome.mode === '320' ? 320 : 375);
    }
    const html = fs.readFileSync(index, 'utf8');
    expect(html).toContain('<img src="home.new-user.standard.png"');
    expect(html).toContain('<img src="home.new-user.care.png"');
    expect(html).toContain('<img src="home.320.png"');

    // every setData of the home page on the way, measured and within budget, and written beside the pictures
    const home = setData.pages.find((p) => p.route === 'pages/home/index/index');
    expect(home?.calls).toBeGreaterThan(1);
    expect(home?.maxBytes).toBeGreaterThan(0);
    expect(setData.over).toEqual([]);
    for (const page of setData.pages)
      expect([page.route, page.maxBytes <= SETDATA_LIMIT_BYTES]).toEqual([page.route, true]);
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'setdata.json'), 'utf8')) as typeof setData;
    expect(written).toEqual(setData);
  }, 180_000);
});
