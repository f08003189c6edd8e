/**
 * The police console in Chromium against a seeded local cloud: `useConsole()` at the top of a test file starts both
 * (the seed makes the demo officers and writes their TOTP secrets to the data folder), and `signIn(login)` opens
 * /console in a fresh page and signs that demo officer in through the form, as an officer would.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { useLocalCloud, type RunningCloud } from '../helpers/local-cloud';
import { freshTotpStep } from '../helpers/police';
import { useChromium } from '../e2e/helpers/preview';

interface DemoOfficers {
  password: string;
  officers: { login: string; roles: string[]; totpSecret: string }[];
  integrationKey: string;
}

const PERIOD_MS = 30_000;

export interface ConsoleWorld {
  cloud: () => RunningCloud;
  /** The seed's demo officers (logins, password, TOTP secrets) and its integration key. */
  demo: () => DemoOfficers;
  /** A new page at /console with `login` signed in (waits for the menu). */
  signIn: (login: string) => Promise<Page>;
  /** A new page at /console, not signed in. */
  open: () => Promise<Page>;
  /** A TOTP code for `login` the server has not accepted yet (waits for the next step when needed). */
  code: (login: string) => Promise<string>;
}

export function useConsole(): ConsoleWorld {
  const cloud = useLocalCloud({ args: ['--seed-if-empty'] });
  const browser = useChromium();
  const usedSteps = new Map<string, number>();
  let demo: DemoOfficers | undefined;

  const demoOfficers = (): DemoOfficers => {
    demo ??= JSON.parse(readFileSync(path.join(cloud().dataDir, 'demo-officers.json'), 'utf8')) as DemoOfficers;
    return demo;
  };

  const nowMs = async (): Promise<number> => {
    const reply = await cloud().request<{ now: string }>('GET', '/sandbox/clock');
    return Date.parse(reply.body.now);
  };

  const code = async (login: string): Promise<string> => {
    const officer = demoOfficers().officers.find((o) => o.login === login);
    if (!officer) throw new Error(`no demo officer ${login}`);
    // The seed signed demo-admin in at its start (to make the others): begin after that step for it, once.
    if (!usedSteps.has(login)) {
      const step = Math.floor((await nowMs()) / PERIOD_MS);
      usedSteps.set(login, login === 'demo-admin' ? step : step - 1);
    }
    for (;;) {
      const now = await nowMs();
      const step = freshTotpStep(now, usedSteps.get(login) ?? null);
      if (step !== null) {
        usedSteps.set(login, step);
        return TOTP.generate({ secret: Secret.fromBase32(officer.totpSecret), timestamp: step * PERIOD_MS });
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, PERIOD_MS - (now % PERIOD_MS) + 50)));
    }
  };

  const open = async (): Promise<Page> => {
    const page = await browser().newPage();
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(`${cloud().url}/console`);
    return page;
  };

  const signIn = async (login: string): Promise<Page> => {
    const page = await open();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill(demoOfficers().password);
    await page.locator('input[name="totp"]').fill(await code(login));
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('退出登录').first().waitFor({ timeout: 15_000 });
    return page;
  };

  return { cloud, demo: demoOfficers, signIn, open, code };
}
