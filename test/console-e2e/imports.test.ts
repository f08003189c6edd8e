/**
 * 数据导入 in Chromium: a data-import officer loads a violations CSV with a few bad rows, sees the preview and the row
 * count, runs it to the end, and downloads the error report, whose lines name the bad rows of the file.
 */
import { readFileSync } from 'node:fs';
import { describeInChromium } from '../e2e/helpers/preview';
import { useConsole } from './console';

jest.setTimeout(120_000);
const world = useConsole();

const HEADER = '违法编号,号牌号码,违法时间,违法地点,违法行为,罚款金额（元）,记分,采集方式,处理状态';

function good(n: number): string {
  return `E2E-IMP-${n},桂A12345,2025-03-0${(n % 9) + 1} 08:05:09,民族大道与竹溪大道交叉口,闯红灯,200,6,电子监控,未处理`;
}

/** File lines (Excel's numbering: the header is line 1) → the row written there. */
const BAD: Readonly<Record<number, string>> = {
  4: 'E2E-IMP-BAD-PLATE,粤B12345,2025-03-02 09:00:00,青秀路,超速,100,3,电子监控,未处理',
  7: 'E2E-IMP-NEG-FINE,桂A12345,2025-03-02 09:00:00,青秀路,超速,-50,3,电子监控,未处理',
  10: 'E2E-IMP-NO-PLACE,桂A12345,2025-03-02 09:00:00,,超速,100,3,电子监控,未处理',
};
const LINES = 12;

function csv(): string {
  const lines = [HEADER];
  for (let line = 2; line <= LINES; line += 1) lines.push(BAD[line] ?? good(line));
  return `${lines.join('\r\n')}\r\n`;
}

describeInChromium('数据导入', () => {
  it('previews a violations CSV, imports the good rows, and reports the bad ones by file line', async () => {
    const page = await world.signIn('demo-import');
    await page.locator('.t-menu').getByText('数据导入').click();
    await page.getByTestId('import-file').setInputFiles({
      name: 'violations.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv(), 'utf8'),
    });
    await page.getByText(`共 ${LINES - 1} 行数据`).waitFor();
    // the kind follows from the headers, and the preview shows the first rows
    expect(await page.locator('.t-select input').first().inputValue()).toBe('交通违法记录');
    await page.getByRole('cell', { name: 'E2E-IMP-2', exact: true }).waitFor();

    await page.getByRole('button', { name: '开始导入' }).click();
    const done = page.getByText(/导入完成：新增 \d+ 条，更新 \d+ 条，未导入 3 行。/);
    await done.waitFor({ timeout: 60_000 });
    expect(await done.textContent()).toContain(`新增 ${LINES - 1 - 3} 条`);
    await page.screenshot({ path: 'artifacts/console/imports-done.png', fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载错误报告' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('violations-错误报告.csv');
    const report = readFileSync(await download.path(), 'utf8');
    expect(report.startsWith('\uFEFF行号,字段,错误代码,说明')).toBe(true);
    const lines = report
      .slice(1)
      .trim()
      .split(/\r\n/)
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    expect(lines).toEqual([4, 7, 10]);
    expect(report).toContain('号牌号码');
    expect(report).toContain('罚款金额');
    expect(report).toContain('违法地点');
    await page.close();
  });
});
