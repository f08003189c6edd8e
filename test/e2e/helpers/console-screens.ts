/**
 * The police console's part of `npm run screenshots`: on its own freshly seeded local cloud, each screen at 1280 px
 * with the demo data (sign-in, then each screen as the demo officer whose role opens it), into
 * `<dir>/console-<screen>.png`, and a section of index.html listing them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import { startLocalCloud, type RunningCloud } from '../../helpers/local-cloud';

const PERIOD_MS = 30_000;

interface DemoOfficers {
  password: string;
  officers: { login: string; totpSecret: string }[];
}

/** A violations file with one bad row, so the preview and its column check have something to show. */
const IMPORT_SAMPLE = [
  '违法编号,号牌号码,违法时间,违法地点,违法行为,罚款金额（元）,记分,采集方式,处理状态',
  'SHOT-1,桂A12345,2025-03-01 08:05:09,民族大道与竹溪大道交叉口,闯红灯,200,6,电子监控,未处理',
  'SHOT-2,桂AD12345,2025-03-02 18:40:00,青秀路,违反禁令标志,100,3,电子监控,未处理',
  'SHOT-3,粤B12345,2025-03-03 09:00:00,友爱北路,超速,200,6,电子监控,未处理',
].join('\r\n');

interface ConsoleShot {
  /** `console-<screen>`: the file's name without `.png`. */
  readonly name: string;
  readonly label: string;
  readonly login: string | null;
  readonly screen: string;
  /** What to do on the screen before the photo. */
  readonly prepare?: (page: Page) => Promise<void>;
}

const CONSOLE_SHOTS: readonly ConsoleShot[] = [
  { name: 'console-sign-in', label: '登录', login: null, screen: '' },
  {
    name: 'console-imports',
    label: '数据导入（已选文件：列检查与预览）',
    login: 'demo-import',
    screen: 'imports',
    prepare: async (page) => {
      await page.getByTestId('import-file').setInputFiles({
        name: '违法记录.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(IMPORT_SAMPLE, 'utf8'),
      });
      await page.getByText('共 3 行数据').waitFor();
    },
  },
  { name: 'console-refunds', label: '退款审批', login: 'demo-finance', screen: 'refunds' },
  { name: 'console-faults', label: '设施报障', login: 'demo-faults', screen: 'faults' },
  { name: 'console-payments', label: '缴款对账', login: 'demo-finance', screen: 'payments' },
  { name: 'console-audit', label: '审计日志', login: 'demo-audit', screen: 'audit' },
  {
    name: 'console-officers',
    label: '人员与接入',
    login: 'demo-admin',
    screen: 'officers',
    prepare: (page) => page.getByRole('cell', { name: 'demo-finance2' }).waitFor(),
  },
  { name: 'console-account', label: '账号安全', login: 'demo-admin', screen: 'account' },
];

async function serverStep(cloud: RunningCloud): Promise<number> {
  const reply = await cloud.request<{ now: string }>('GET', '/sandbox/clock');
  return Math.floor(Date.parse(reply.body.now) / PERIOD_MS);
}

async function signIn(page: Page, cloud: RunningCloud, demo: DemoOfficers, login: string, used: Map<string, number>) {
  const officer = demo.officers.find((o) => o.login === login);
  if (officer === undefined) throw new Error(`no demo officer ${login}`);
  // each code is accepted once (the seed used demo-admin's current one): wait for a step not used yet
  let step = await serverStep(cloud);
  while (step <= (used.get(login) ?? -1)) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    step = await serverStep(cloud);
  }
  used.set(login, step);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill(demo.password);
  await page
    .locator('input[name="totp"]')
    .fill(TOTP.generate({ secret: Secret.fromBase32(officer.totpSecret), timestamp: step * PERIOD_MS }));
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('退出登录').first().waitFor({ timeout: 15_000 });
}

export type ConsoleOutcome =
  | { readonly name: string; readonly label: string; readonly kind: 'shot'; readonly file: string }
  | { readonly name: string; readonly label: string; readonly kind: 'failed'; readonly error: string };

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** The console's section, put before the end of the index the journey's run wrote (or a page of its own). */
export function addConsoleToIndex(dir: string, outcomes: readonly ConsoleOutcome[]): void {
  const rows = outcomes
    .map((o) =>
      o.kind === 'shot'
        ? `<tr><th>${escape(o.label)}<br><small>${escape(o.name)}.png</small></th><td><a href="${escape(path.basename(o.file))}"><img class="console" src="${escape(path.basename(o.file))}" alt="${escape(o.name)}" loading="lazy"></a></td></tr>`
        : `<tr><th>${escape(o.label)}</th><td class="failed">${escape(o.name)}：失败 — ${escape(o.error)}</td></tr>`,
    )
    .join('\n');
  const section = `<h2>交警管理台（1280 px）</h2>
<style>img.console { display: block; max-width: 960px; border: 1px solid #eee; }</style>
<table><tbody>
${rows}
</tbody></table>
`;
  const file = path.join(dir, 'index.html');
  const html = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '<!doctype html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>桂A交管 — 页面截图</title></head><body>\n</body></html>\n';
  fs.writeFileSync(file, html.replace('</body>', `${section}</body>`));
}

/** Photographs the console's screens into `dir`, beside the journey's pictures. */
export async function takeConsoleScreenshots(
  context: BrowserContext,
  dir: string,
  log: (line: string) => void = () => undefined,
): Promise<ConsoleOutcome[]> {
  const cloud = await startLocalCloud({ args: ['--seed-if-empty'] });
  const outcomes: ConsoleOutcome[] = [];
  try {
    const demo = JSON.parse(fs.readFileSync(path.join(cloud.dataDir, 'demo-officers.json'), 'utf8')) as DemoOfficers;
    const used = new Map<string, number>([['demo-admin', await serverStep(cloud)]]);
    log(`console (1280 px) at ${cloud.url}/console`);
    for (const shot of CONSOLE_SHOTS) {
      const page = await context.newPage();
      try {
        await page.setViewportSize({ width: 1280, height: 860 });
        await page.goto(`${cloud.url}/console`);
        if (shot.login === null) await page.locator('input[name="login"]').waitFor();
        else {
          await signIn(page, cloud, demo, shot.login, used);
          await page.evaluate((screen) => {
            window.location.hash = `#/${screen}`;
          }, shot.screen);
          await shot.prepare?.(page);
          // let tables finish loading
          await page.waitForFunction(() => document.querySelector('.t-table__loading, .t-loading') === null);
        }
        const file = path.join(dir, `${shot.name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        outcomes.push({ name: shot.name, label: shot.label, kind: 'shot', file });
        log(`✓ ${shot.name}`);
      } catch (error) {
        const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
        outcomes.push({ name: shot.name, label: shot.label, kind: 'failed', error: message });
        log(`✗ ${shot.name}: ${message}`);
      } finally {
        await page.close();
      }
    }
  } finally {
    await cloud.stop();
  }
  return outcomes;
}
