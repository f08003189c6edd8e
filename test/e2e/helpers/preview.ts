/**
 * Drives the browser preview (the page `npm start` serves at /) in Debian's Chromium with playwright-core, against a
 * local cloud started for the test file. The mini program runs in the iframe #screen (the phone's webview); WeChat's
 * native parts — navigation bar, modals, the face and payment sandboxes — are in the page around it.
 *
 *   describeInChromium('the preview', () => {
 *     const browser = useChromium();
 *     it('...', async () => {
 *       const phone = await openPreview(browser(), cloud().url, 'demo-li-ming');
 *       await phone.tap('违法处理');
 *       await phone.screenshot('violations');
 *     });
 *   });
 *
 * Without Chromium the tests are skipped with a message, except under CI=true, where that is a failure.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type FrameLocator, type Locator, type Page } from 'playwright-core';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SCREENSHOTS = path.join(REPO, 'artifacts', 'screenshots');

/** Without these, headless Chromium tries to reach Google's services and is refused. */
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH. */
export function findChromium(): string | null {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser'])
    if (fs.existsSync(candidate)) return candidate;
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], {
      encoding: 'utf8',
    }).trim();
    return found || null;
  } catch {
    return null;
  }
}

export const MISSING =
  'Chromium is not installed: `apt-get install -y chromium` (.ci/run does it), or set CHROMIUM_PATH';

/** describe() when Chromium is there; otherwise skipped with a message, or failing under CI. */
export function describeInChromium(name: string, body: () => void): void {
  if (findChromium() !== null) {
    describe(name, body);
    return;
  }
  if (process.env['CI']) {
    describe(name, () => {
      it('has Chromium to run in', () => {
        throw new Error(MISSING);
      });
    });
    return;
  }
  console.warn(`${name}: skipped. ${MISSING}.`);
  describe.skip(name, body);
}

/** Chromium on a fresh profile; close() shuts it and removes the profile (the screenshots script uses it too). */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const executablePath = findChromium();
  if (executablePath === null) throw new Error(MISSING);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 960, height: 860 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    return {
      context,
      async close() {
        await context.close();
        fs.rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/** A fresh Chromium profile for the test file (beforeAll), closed and removed after it (afterAll). */
export function useChromium(): () => BrowserContext {
  let launched: Awaited<ReturnType<typeof launchChromium>> | undefined;
  beforeAll(async () => {
    launched = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await launched?.close();
  });
  return () => {
    if (!launched) throw new Error('Chromium did not start (beforeAll failed?)');
    return launched.context;
  };
}

export type FaceAnswer = 'pass' | 'fail' | 'cancel';
export type PayAnswer = 'success' | 'fail' | 'cancel';

export interface Phone {
  readonly page: Page;
  /** The mini program's document (the iframe). */
  readonly frame: FrameLocator;
  /** The page on top of the stack (only it is shown). */
  top(): Locator;
  /** Taps the visible text (a button, a cell, a grid item) on the top page. */
  tap(text: string | RegExp): Promise<void>;
  /** Types into the t-input whose label is `label` on the top page. */
  type(label: string, value: string): Promise<void>;
  /** Waits until the top page shows `text`. */
  see(text: string | RegExp, timeout?: number): Promise<Locator>;
  /** The navigation bar's title. */
  title(): Promise<string>;
  /** Switches the demo user (the mini program starts again on its home page). */
  switchUser(openid: string): Promise<void>;
  /** Answers the face-verification sandbox dialog (waits for it). */
  face(answer: FaceAnswer): Promise<void>;
  /** Answers the WeChat Pay sandbox sheet (waits for it). */
  pay(answer: PayAnswer): Promise<void>;
  /** Saves a PNG of the phone (and any dialog over it) to <dir, default artifacts/screenshots>/<name>.png. */
  screenshot(name: string, dir?: string): Promise<string>;
  /** Runs `fn` in the mini program's frame (where `wx`, getApp and getCurrentPages are). */
  inFrame<T>(fn: () => T | Promise<T>): Promise<T>;
  /** Errors and unsupported features the preview listed beside the phone. */
  problems(): Promise<string>;
  close(): Promise<void>;
}

export interface PreviewOptions {
  /** WeChat's text size setting the phone reports (`fontSizeSetting`, px): 16 by default, 20 and up is care size. */
  fontSize?: number;
  /** The phone's width in px: 375 by default; 320 plays the narrowest phones. */
  width?: number;
}

/** Opens the preview served by the local cloud at `baseUrl`, signed in as `openid`, on its home page. */
export async function openPreview(
  context: BrowserContext,
  baseUrl: string,
  openid: string,
  options: PreviewOptions = {},
): Promise<Phone> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const query = new URLSearchParams({ user: openid });
  if (options.fontSize !== undefined) query.set('fontSize', String(options.fontSize));
  if (options.width !== undefined) query.set('width', String(options.width));
  await page.goto(`${baseUrl}/?${query.toString()}`);
  const frame = page.frameLocator('#screen');
  const top = () => frame.locator('.wx-page').last();
  const ready = async () => {
    await top().locator('page').waitFor({ state: 'attached' });
  };
  await ready();

  const phone: Phone = {
    page,
    frame,
    top,
    async tap(text) {
      // a button takes the tap itself (its ::after covers its text, as in WeChat); anything else by its text
      const label =
        typeof text === 'string' ? new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) : text;
      const button = top().locator('wx-button').filter({ hasText: label });
      await button
        .or(top().getByText(text, { exact: typeof text === 'string' }))
        .first()
        .click();
    },
    async type(label, value) {
      const labelled = top().locator('.t-input__label').getByText(label, { exact: true });
      await labelled
        .locator('xpath=ancestor::*[contains(concat(" ", @class, " "), " t-input ")][1]')
        .locator('input')
        .fill(value);
    },
    async see(text, timeout = 10_000) {
      const found = top().getByText(text, { exact: false }).first();
      await found.waitFor({ state: 'visible', timeout });
      return found;
    },
    async title() {
      return (await page.locator('#nav-title').textContent()) ?? '';
    },
    async switchUser(id) {
      await page.selectOption('#user', id);
      await page.waitForFunction((want) => {
        const iframe = document.getElementById('screen') as HTMLIFrameElement | null;
        return (
          iframe?.contentWindow?.location.search.includes(`openid=${want}`) === true &&
          iframe.contentDocument?.querySelector('.wx-page page') !== null
        );
      }, id);
      await ready();
    },
    async face(answer) {
      await page.locator(`#face-${answer}`).click();
      await page.locator('#face-sandbox').waitFor({ state: 'detached' });
    },
    async pay(answer) {
      await page.locator(`#pay-${answer}`).click();
      await page.locator('#pay-sandbox').waitFor({ state: 'detached' });
    },
    async screenshot(name, dir = SCREENSHOTS) {
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}.png`);
      // let TDesign's transitions (300 ms) finish so the picture is what a person sees
      await page.waitForTimeout(400);
      await page.locator('#phone').screenshot({ path: file });
      return file;
    },
    async inFrame(fn) {
      const frameHandle = page.frames().find((f) => f.url().includes('/preview/phone.html'));
      if (!frameHandle) throw new Error('the phone frame is not loaded');
      return frameHandle.evaluate(fn);
    },
    async problems() {
      const listed = (await page.locator('#problems').textContent()) ?? '';
      return [listed, ...errors].filter(Boolean).join('\n');
    },
    async close() {
      await page.close();
    },
  };
  return phone;
}
