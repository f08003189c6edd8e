#!/usr/bin/env node
/**
 * npm run bench:console [-- --rows 200000] [--direct-rows 20000] [--no-build]
 *
 * Import throughput of the police console: generates a violations CSV of --rows rows, has demo-import load it in the
 * 数据导入 screen in headless Chromium (/usr/bin/chromium or CHROMIUM_PATH) on a freshly seeded local cloud, runs it
 * and reads rows per second from the screen. Then the server alone: --direct-rows more rows sent straight to
 * POST /http/police with the seed's integration key, in the console's batches of 1000, one at a time, so the two
 * figures show whether the browser side or the server is the bottleneck. Writes artifacts/bench/console-import.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROWS = Number(opt('rows', 200_000));
const DIRECT_ROWS = Number(opt('direct-rows', 20_000));
const BATCH = 1000;
const PERIOD_MS = 30_000;
const log = (...parts) => console.error(`[bench:console ${new Date().toISOString().slice(11, 19)}]`, ...parts);

if (!args.includes('--no-build')) {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => p && existsSync(p),
);
if (!chromiumPath) {
  console.error('bench:console needs Chromium (apt-get install chromium, or CHROMIUM_PATH)');
  process.exit(1);
}

const { chromium } = await import('playwright-core');
const { Secret, TOTP } = await import('otpauth');

// ---------- the local cloud, seeded ----------
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-console-'));
const cloud = spawn(
  process.execPath,
  [
    path.join(root, 'build', 'local-cloud', 'cli.cjs'),
    'serve',
    '--port',
    '0',
    '--data',
    dataDir,
    '--seed-if-empty',
    '--no-timers',
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve, reject) => {
  let seen = '';
  cloud.once('exit', (code) => reject(new Error(`local cloud exited with ${code}`)));
  readline.createInterface({ input: cloud.stdout }).on('line', (line) => {
    try {
      const event = JSON.parse(line);
      if (event.event === 'listening') seen = event.url;
      if (event.event === 'ready') resolve(seen);
    } catch {
      // plain log lines
    }
  });
});
const stop = () => cloud.kill('SIGTERM');
process.on('exit', stop);
log(`local cloud ${url}`);
const demo = JSON.parse(readFileSync(path.join(dataDir, 'demo-officers.json'), 'utf8'));

// ---------- the file ----------
const PLATE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const plateOf = (n) => {
  let s = '';
  for (let i = 0, k = n; i < 5; i += 1, k = Math.floor(k / PLATE_CHARS.length))
    s += PLATE_CHARS[k % PLATE_CHARS.length];
  return `桂A${s}`;
};
const run = Date.now().toString(36);
const rowOf = (prefix, n) =>
  `${prefix}-${n},${plateOf(n)},2025-03-${String((n % 28) + 1).padStart(2, '0')} 08:${String(n % 60).padStart(2, '0')}:09,民族大道与竹溪大道交叉口,闯红灯,200,6,电子监控,未处理`;
const HEADER = '违法编号,号牌号码,违法时间,违法地点,违法行为,罚款金额（元）,记分,采集方式,处理状态';
const csvFile = path.join(dataDir, 'violations.csv');
const lines = [HEADER];
for (let n = 0; n < ROWS; n += 1) lines.push(rowOf(`B${run}`, n));
writeFileSync(csvFile, `${lines.join('\r\n')}\r\n`);
log(`${ROWS} rows, ${(readFileSync(csvFile).length / 1e6).toFixed(1)} MB`);

// ---------- the browser ----------
const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
const page = await browser.newPage({
  viewport: { width: 1280, height: 860 },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
});
const serverStep = async () => {
  const reply = await fetch(`${url}/sandbox/clock`);
  return Math.floor(Date.parse((await reply.json()).now) / PERIOD_MS);
};
const officer = demo.officers.find((o) => o.login === 'demo-import');
await page.goto(`${url}/console`);
await page.locator('input[name="login"]').fill('demo-import');
await page.locator('input[name="password"]').fill(demo.password);
await page
  .locator('input[name="totp"]')
  .fill(TOTP.generate({ secret: Secret.fromBase32(officer.totpSecret), timestamp: (await serverStep()) * PERIOD_MS }));
await page.getByRole('button', { name: '登录' }).click();
await page.getByText('退出登录').first().waitFor({ timeout: 15_000 });
await page.locator('.t-menu').getByText('数据导入').click();

const readStart = Date.now();
await page.getByTestId('import-file').setInputFiles(csvFile);
await page.getByText(`共 ${ROWS} 行数据`).waitFor({ timeout: 300_000 });
const readSeconds = (Date.now() - readStart) / 1000;
log(`read and checked in the browser: ${readSeconds.toFixed(1)} s`);

const sendStart = Date.now();
await page.getByRole('button', { name: '开始导入' }).click();
await page.getByText('导入完成').waitFor({ timeout: 3_600_000 });
const sendSeconds = (Date.now() - sendStart) / 1000;
const figures = await page.locator('.figures').innerText();
const shown = Number(/每秒 (\d+) 行/.exec(figures)?.[1] ?? NaN);
const done = await page.getByText('导入完成').innerText();
log(`console: ${done}; ${figures.replace(/\s+/g, ' ')}; ${sendSeconds.toFixed(1)} s to send`);
await browser.close();

// ---------- the server alone ----------
const call = async (body) => {
  const reply = await fetch(`${url}/http/police`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${demo.integrationKey}` },
    body: JSON.stringify(body),
  });
  const answer = await reply.json();
  if (!answer.ok) throw new Error(`importViolations: ${JSON.stringify(answer).slice(0, 300)}`);
  return answer.data;
};
const directRows = Array.from({ length: DIRECT_ROWS }, (_, n) => ({
  violationId: `D${run}-${n}`,
  plate: plateOf(n + ROWS),
  plateType: '02',
  occurredAt: '2025-03-01T08:05:09+08:00',
  place: '民族大道与竹溪大道交叉口',
  behaviour: '闯红灯',
  fine: 20_000,
  points: 6,
  source: 'camera',
  status: 'unprocessed',
  disputed: false,
}));
const directStart = Date.now();
for (let i = 0; i < directRows.length; i += BATCH)
  await call({ action: 'importViolations', rows: directRows.slice(i, i + BATCH) });
const directSeconds = (Date.now() - directStart) / 1000;

const result = {
  at: new Date().toISOString(),
  cpus: os.cpus().length,
  rows: ROWS,
  browserReadSeconds: Number(readSeconds.toFixed(1)),
  consoleSendSeconds: Number(sendSeconds.toFixed(1)),
  consoleRowsPerSecond: Math.round(ROWS / sendSeconds),
  consoleShownRowsPerSecond: shown,
  directRows: DIRECT_ROWS,
  directRowsPerSecond: Math.round(DIRECT_ROWS / directSeconds),
};
mkdirSync(path.join(root, 'artifacts', 'bench'), { recursive: true });
writeFileSync(path.join(root, 'artifacts', 'bench', 'console-import.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
stop();
rmSync(dataDir, { recursive: true, force: true });
