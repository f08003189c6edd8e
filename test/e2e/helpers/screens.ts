/**
 * Every screen of the driver's journey, as data: how a person gets there in the preview (clicking, with the face and
 * pay sandboxes) and in which state. `npm run screenshots` photographs each row at 375 px in standard and care size,
 * and at 320 px in standard size, into artifacts/screens/ (scripts/screenshots.mjs), with every page's largest
 * setData in setdata.json; test/e2e/screenshots.test.ts shoots a few so the table cannot rot.
 * Rows run in order on one seeded local cloud per mode: a later row may rely on what an earlier one did (a violation
 * processed, a fine paid). A row whose page is not in app.json yet is skipped and listed as such in the index.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { CLI, startLocalCloud } from '../../helpers/local-cloud';
import { addConsoleToIndex, takeConsoleScreenshots, type ConsoleOutcome } from './console-screens';
import { findChromium, launchChromium, MISSING, openPreview, type Phone } from './preview';

/**
 * WeChat's text size settings the screens are taken at: the default, the care size (≥ 20 px), and the default on a
 * 320 px phone (`WIDTHS`), where value columns are the first to wrap or cut.
 */
export const MODES = { standard: 16, care: 20, '320': 16 } as const;
export type Mode = keyof typeof MODES;
/** The modes in the order they are shot (an object's integer-like key such as '320' would otherwise come first). */
const MODE_ORDER: readonly Mode[] = ['standard', 'care', '320'];
/** The phone's width in each mode, px. */
const WIDTHS: Readonly<Record<Mode, number>> = { standard: 375, care: 375, '320': 320 };

/** The most one setData (or a page's initial data) may carry, JSON bytes: WeChat's advice keeps it small. */
export const SETDATA_LIMIT_BYTES = 16 * 1024;

/** The largest setData of one page (route) across the run, and where it was seen. */
export interface SetDataSize {
  readonly route: string;
  readonly maxBytes: number;
  /** The keys of that largest call ('initial' data or a setData). */
  readonly keys: readonly string[];
  readonly kind: 'initial' | 'setData';
  /** The shot after whose steps it was recorded. */
  readonly shot: string;
  readonly calls: number;
}

export interface SetDataReport {
  readonly limitBytes: number;
  /** By route, largest first. */
  readonly pages: readonly SetDataSize[];
  /** The pages over the limit. */
  readonly over: readonly SetDataSize[];
}

interface SetDataRecord {
  readonly route: string;
  readonly visit: number;
  readonly kind: 'initial' | 'setData';
  readonly bytes: number;
  readonly keys: readonly string[];
}

/** The phone's setData log since the last call (the preview's router records it), emptied as it is read. */
async function drainSetData(phone: Phone): Promise<SetDataRecord[]> {
  return phone.inFrame(() => {
    const w = globalThis as unknown as { __wxPreviewSetData?: SetDataRecord[] };
    const log = w.__wxPreviewSetData ?? [];
    w.__wxPreviewSetData = [];
    return log;
  });
}

export interface Screen {
  /** The screen's name, as in the file name. */
  readonly name: string;
  /** The state shown, '' when the screen has one. */
  readonly state: string;
  /** The page this ends on (`pages/.../index`): the row is skipped while app.json does not have it. */
  readonly page: string;
  /** Who is signed in. */
  readonly user: string;
  /** true: go on from the previous row's phone, where it was left, instead of opening the preview afresh. */
  readonly continues?: boolean;
  /** What a person does to get there from the home page (or from where the previous row left off). */
  readonly go: (phone: Phone) => Promise<void>;
}

const LI_MING = 'demo-li-ming';
const WANG_FANG = 'demo-wang-fang';
const HUANG_WEI = 'demo-huang-wei';
/** Nobody registered under this openid in the seed: the mini program's first start. */
const NEW_USER = 'demo-new-user';

/** Waits for the page titled `title` to finish loading (no spinner left on it). */
async function settle(phone: Phone, title: string): Promise<void> {
  await phone.page.waitForFunction((want) => document.getElementById('nav-title')?.textContent === want, title);
  await phone.top().locator('.t-loading').first().waitFor({ state: 'hidden', timeout: 10_000 });
}

async function stage(phone: Phone, label: string): Promise<void> {
  await phone.top().locator('.t-tabs__item').filter({ hasText: label }).first().click();
  await phone.see('共 ');
}

async function toViolations(phone: Phone): Promise<void> {
  await phone.tap('违法处理');
  await settle(phone, '违法处理');
  await phone.see('共 ');
}

/** The table: in journey order. */
export const SCREENS: readonly Screen[] = [
  {
    name: 'home',
    state: '',
    page: 'pages/home/index/index',
    user: LI_MING,
    go: async (p) => {
      await p.see('我的状态');
    },
  },
  {
    name: 'home-services',
    state: '',
    page: 'pages/home/index/index',
    user: LI_MING,
    continues: true,
    go: async (p) => {
      // the service entries below the to-dos: a grid, and in care mode one large row each
      await p.top().getByText('城市服务', { exact: true }).scrollIntoViewIfNeeded();
    },
  },
  {
    name: 'home',
    state: 'new-user',
    page: 'pages/home/index/index',
    user: NEW_USER,
    go: async (p) => {
      await p.see('您还未注册');
    },
  },
  {
    name: 'register',
    state: '',
    page: 'pages/account/register/index',
    user: NEW_USER,
    continues: true,
    go: async (p) => {
      await p.tap('去实名认证');
      await p.see('实名信息（与身份证一致）');
    },
  },
  {
    name: 'violation-list',
    state: 'pending',
    page: 'pages/violation/list/index',
    user: LI_MING,
    go: toViolations,
  },
  {
    name: 'payment-confirm',
    state: '',
    page: 'pages/payment/confirm/index',
    user: LI_MING,
    continues: true,
    go: async (p) => {
      await p.top().locator('.violations__pick').first().click();
      await p.tap('接受处理');
      await p.see('确认接受处理');
      await p.tap('确认处理');
      await p.see('应缴金额');
      await settle(p, await p.title());
    },
  },
  {
    name: 'decision',
    state: 'unpaid',
    page: 'pages/payment/decision/index',
    user: LI_MING,
    continues: true,
    go: async (p) => {
      await p.tap('决定书编号');
      await p.see('公安交通管理简易程序处罚决定书');
    },
  },
  {
    name: 'violation-list',
    state: 'unpaid',
    page: 'pages/violation/list/index',
    user: LI_MING,
    go: async (p) => {
      await toViolations(p);
      await stage(p, '待缴款');
    },
  },
  {
    name: 'payment-result',
    state: 'paid',
    page: 'pages/payment/result/index',
    user: LI_MING,
    continues: true,
    go: async (p) => {
      await p.tap('去缴款');
      await p.see('应缴金额');
      await p.tap('微信支付缴款');
      await p.pay('success');
      await p.see('缴款成功', 20_000);
    },
  },
  {
    name: 'receipt',
    state: '',
    page: 'pages/payment/receipt/index',
    user: LI_MING,
    continues: true,
    go: async (p) => {
      await p.tap('查看电子缴款凭证');
      await p.see('实缴金额');
    },
  },
  {
    name: 'violation-list',
    state: 'paid',
    page: 'pages/violation/list/index',
    user: LI_MING,
    go: async (p) => {
      await toViolations(p);
      await stage(p, '已完成');
    },
  },
  {
    name: 'violation-detail',
    state: '',
    page: 'pages/violation/detail/index',
    user: LI_MING,
    continues: true,
    go: async (p) => {
      await p.top().locator('.violations__card').first().click();
      // the detail's own title: reading the title right after the tap may still give the list's
      await settle(p, '违法详情');
    },
  },
  {
    name: 'receipts',
    state: '',
    page: 'pages/payment/receipts/index',
    user: LI_MING,
    go: async (p) => {
      await p.tap('缴款记录');
      await p.see('共 1 笔');
    },
  },
  {
    name: 'decision',
    state: 'paid',
    page: 'pages/payment/decision/index',
    user: LI_MING,
    continues: true,
    go: async (p) => {
      await p.tap('处罚决定书');
      await p.see('公安交通管理简易程序处罚决定书');
    },
  },
  {
    name: 'licence',
    state: '',
    page: 'pages/licence/index/index',
    user: LI_MING,
    go: async (p) => {
      await p.tap('驾驶证记分');
      await settle(p, '驾驶证记分');
      await p.see('本记分周期已记');
    },
  },
  {
    name: 'certificate',
    state: '',
    page: 'pages/certificate/detail/index',
    user: LI_MING,
    continues: true,
    go: async (p) => {
      await p.tap('驾驶人信用证明');
      await p.tap('申请新的信用证明');
      await p.see(/^XY\d{16}$/);
    },
  },
  {
    name: 'vehicles',
    state: '',
    page: 'pages/vehicle/list/index',
    user: LI_MING,
    go: async (p) => {
      await p.tap('我的车辆');
      await settle(p, '我的车辆');
      await p.see('桂A12345');
    },
  },
  {
    name: 'bind',
    state: 'own',
    page: 'pages/vehicle/bind/index',
    user: WANG_FANG,
    go: async (p) => {
      await p.tap('我的车辆');
      await settle(p, '我的车辆');
      await p.tap('绑定本人车辆');
      await p.see('登记在您名下的车辆');
      await p.see('桂AF35678');
    },
  },
  {
    name: 'bind',
    state: 'other',
    page: 'pages/vehicle/bind/index',
    user: HUANG_WEI,
    go: async (p) => {
      await p.tap('我的车辆');
      await settle(p, '我的车辆');
      await p.tap('绑定他人车辆');
      await p.see('机动车所有人');
      for (const key of ['B', '2', 'C', '3', '4'])
        await p
          .top()
          .locator('wx-button')
          .filter({ hasText: new RegExp(`^${key}$`) })
          .click();
      await p.type('车主姓名', '王芳');
      await p.tap('提交申请');
      await p.see('申请已提交，等待车主同意');
    },
  },
  {
    name: 'owner-requests',
    state: 'consent',
    page: 'pages/vehicle/requests/index',
    user: WANG_FANG,
    go: async (p) => {
      await p.tap('车主授权');
      await p.see('申请人 黄*');
      await p.tap('同意授权');
      await p.see('同意后，对方可以');
    },
  },
  {
    name: 'reminders',
    state: '',
    page: 'pages/reminder/settings/index',
    user: LI_MING,
    go: async (p) => {
      await p.tap('提醒设置');
      await p.see('提醒类型');
    },
  },
  {
    name: 'tow',
    state: '',
    page: 'pages/tow/query/index',
    user: LI_MING,
    go: async (p) => {
      await p.tap('拖车查询');
      await settle(p, '拖车查询');
    },
  },
  {
    name: 'guides',
    state: '',
    page: 'pages/guide/list/index',
    user: LI_MING,
    go: async (p) => {
      await p.tap('办事指南');
      await settle(p, '办事指南');
    },
  },
  {
    name: 'move-car',
    state: '',
    page: 'pages/move-car/request/index',
    user: LI_MING,
    go: async (p) => {
      await p.tap('一键挪车');
      await p.see('拍照识别车牌');
    },
  },
  {
    name: 'fault-report',
    state: '',
    page: 'pages/fault/report/index',
    user: LI_MING,
    go: async (p) => {
      await p.tap('设施报修');
      await settle(p, '交通设施报障');
    },
  },
  {
    name: 'mine',
    state: '',
    page: 'pages/mine/index/index',
    user: LI_MING,
    go: async (p) => {
      await p.tap('我的');
      await settle(p, await p.title());
    },
  },
];

/** `violation-list.paid.care`, `home.standard`. */
export function shotName(screen: Pick<Screen, 'name' | 'state'>, mode: Mode): string {
  return [screen.name, screen.state, mode].filter(Boolean).join('.');
}

/** The pages app.json declares (main package and subpackages), to skip rows whose page has not landed yet. */
export function declaredPages(appJsonPath: string): Set<string> {
  const app = JSON.parse(fs.readFileSync(appJsonPath, 'utf8')) as {
    pages: string[];
    subpackages?: { root: string; pages: string[] }[];
  };
  const pages = new Set(app.pages);
  for (const sub of app.subpackages ?? []) for (const page of sub.pages) pages.add(`${sub.root}${page}`);
  return pages;
}

export type Outcome =
  | { screen: Screen; mode: Mode; kind: 'shot'; file: string }
  | { screen: Screen; mode: Mode; kind: 'absent' }
  | { screen: Screen; mode: Mode; kind: 'failed'; error: string; file: string | null };

/**
 * Shoots `screens` in `mode` into `dir`, in order, against the preview at `baseUrl` (a freshly seeded local cloud:
 * the rows change its data). A failing row is photographed as it stands and reported; the rows after it go on.
 */
async function shoot(
  context: BrowserContext,
  baseUrl: string,
  mode: Mode,
  screens: readonly Screen[],
  dir: string,
  pages: Set<string>,
  onSetData: (record: SetDataRecord, shot: string) => void,
  log: (line: string) => void = () => undefined,
): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let phone: Phone | null = null;
  let broken = false;
  for (const screen of screens) {
    if (!pages.has(screen.page)) {
      outcomes.push({ screen, mode, kind: 'absent' });
      log(`- ${shotName(screen, mode)}: ${screen.page} is not in app.json yet`);
      continue;
    }
    const name = shotName(screen, mode);
    try {
      if (!screen.continues || phone === null || broken) {
        await phone?.close();
        phone = await openPreview(context, baseUrl, screen.user, { fontSize: MODES[mode], width: WIDTHS[mode] });
        broken = false;
      }
      await screen.go(phone);
      const file = await phone.screenshot(name, dir);
      for (const record of await drainSetData(phone)) onSetData(record, name);
      outcomes.push({ screen, mode, kind: 'shot', file });
      log(`✓ ${name}`);
    } catch (error) {
      broken = true;
      const file = phone ? await phone.screenshot(`${name}.failed`, dir).catch(() => null) : null;
      const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
      outcomes.push({ screen, mode, kind: 'failed', error: message, file });
      log(`✗ ${name}: ${message}`);
    }
  }
  await phone?.close();
  return outcomes;
}

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** index.html: one row per screen, standard | care side by side, with the names; absent and failed rows say so. */
function writeIndex(dir: string, outcomes: readonly Outcome[]): string {
  const rows = new Map<string, Partial<Record<Mode, Outcome>>>();
  for (const outcome of outcomes) {
    const key = [outcome.screen.name, outcome.screen.state].filter(Boolean).join('.');
    rows.set(key, { ...rows.get(key), [outcome.mode]: outcome });
  }
  const cell = (outcome: Outcome | undefined): string => {
    if (!outcome) return '<td class="note">未拍摄</td>';
    const name = shotName(outcome.screen, outcome.mode);
    if (outcome.kind === 'absent')
      return `<td class="note">${escape(outcome.screen.page)} 尚未加入 app.json：页面上线后自动拍摄</td>`;
    if (outcome.kind === 'failed') {
      const img = outcome.file
        ? `<img src="${escape(path.basename(outcome.file))}" alt="${escape(name)}" loading="lazy">`
        : '';
      return `<td class="failed"><div>${escape(name)}：失败 — ${escape(outcome.error)}</div>${img}</td>`;
    }
    const file = escape(path.basename(outcome.file));
    return `<td><div>${escape(name)}</div><a href="${file}"><img src="${file}" alt="${escape(name)}" loading="lazy"></a></td>`;
  };
  const body = [...rows.entries()]
    .map(
      ([key, byMode]) =>
        `<tr><th>${escape(key)}<br><small>${escape(byMode.standard?.screen.page ?? byMode.care?.screen.page ?? '')}</small></th>${cell(byMode.standard)}${cell(byMode.care)}${cell(byMode['320'])}</tr>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>桂A交管 — 页面截图</title>
<style>
body { font: 14px/1.5 system-ui, sans-serif; margin: 24px; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ddd; padding: 8px; vertical-align: top; text-align: left; }
th { width: 180px; }
td img { display: block; max-width: 375px; margin-top: 4px; border: 1px solid #eee; }
td.note { color: #888; width: 375px; }
td.failed { color: #c5221f; width: 375px; }
</style></head><body>
<h1>桂A交管 — 页面截图</h1>
<p>标准字号（fontSizeSetting ${MODES.standard}，375 px）| 关怀字号（fontSizeSetting ${MODES.care}，375 px）| 标准字号，320 px 窄屏。由 <code>npm run screenshots</code> 生成于 ${escape(new Date().toISOString())}；各页面 setData 大小见 setdata.json。</p>
<table><thead><tr><th>页面 · 状态</th><th>标准</th><th>关怀</th><th>320 px</th></tr></thead>
<tbody>
${body}
</tbody></table></body></html>
`;
  const file = path.join(dir, 'index.html');
  fs.writeFileSync(file, html);
  return file;
}

export interface Shots {
  readonly outcomes: readonly Outcome[];
  /** The index.html written beside the pictures. */
  readonly index: string;
  /** Every page's largest setData on the way, also written as setdata.json beside the pictures. */
  readonly setData: SetDataReport;
  /** The police console's screens (`console-<screen>.png`), when asked for. */
  readonly console: readonly ConsoleOutcome[];
}

/** Keeps each route's largest setData; `report` lists them, largest first, with those over the limit. */
function setDataSizes(): { add(record: SetDataRecord, shot: string): void; report(): SetDataReport } {
  const byRoute = new Map<string, SetDataSize>();
  return {
    add(record, shot) {
      const seen = byRoute.get(record.route);
      const calls = (seen?.calls ?? 0) + 1;
      if (seen !== undefined && seen.maxBytes >= record.bytes) {
        byRoute.set(record.route, { ...seen, calls });
        return;
      }
      const { route, bytes, keys, kind } = record;
      byRoute.set(route, { route, maxBytes: bytes, keys, kind, shot, calls });
    },
    report() {
      const pages = [...byRoute.values()].sort((a, b) => b.maxBytes - a.maxBytes || a.route.localeCompare(b.route));
      return { limitBytes: SETDATA_LIMIT_BYTES, pages, over: pages.filter((p) => p.maxBytes > SETDATA_LIMIT_BYTES) };
    },
  };
}

/**
 * `npm run screenshots`: the rows of `screens` in every mode into `dir` (emptied first), each mode on its own local
 * cloud freshly seeded with the demo data, then the index. Throws at once when Chromium is missing.
 */
export async function takeScreenshots(
  dir: string,
  screens: readonly Screen[] = SCREENS,
  log: (line: string) => void = () => undefined,
  modes: readonly Mode[] = MODE_ORDER,
  withConsole = false,
): Promise<Shots> {
  if (findChromium() === null) throw new Error(MISSING);
  // from the local cloud's path, which is right both here and in the script's bundle of this file
  const pages = declaredPages(path.resolve(path.dirname(CLI), '..', '..', 'miniprogram', 'app.json'));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const chromium = await launchChromium();
  const outcomes: Outcome[] = [];
  const sizes = setDataSizes();
  let consoleShots: ConsoleOutcome[] = [];
  try {
    for (const mode of modes) {
      // freshly seeded for each mode: the rows process and pay violations as they go
      const cloud = await startLocalCloud({ args: ['--seed-if-empty'] });
      try {
        log(`${mode} (fontSizeSetting ${MODES[mode]}, ${WIDTHS[mode]} px), preview at ${cloud.url}`);
        const onSetData = (record: SetDataRecord, shot: string) => {
          sizes.add(record, shot);
        };
        outcomes.push(...(await shoot(chromium.context, cloud.url, mode, screens, dir, pages, onSetData, log)));
      } finally {
        await cloud.stop();
      }
    }
    if (withConsole) consoleShots = await takeConsoleScreenshots(chromium.context, dir, log);
  } finally {
    await chromium.close();
  }
  const setData = sizes.report();
  fs.writeFileSync(path.join(dir, 'setdata.json'), `${JSON.stringify(setData, null, 2)}\n`);
  const index = writeIndex(dir, outcomes);
  if (withConsole) addConsoleToIndex(dir, consoleShots);
  return { outcomes, index, setData, console: consoleShots };
}
