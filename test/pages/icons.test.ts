// Every icon a page can show keeps its glyph rule in each icon.wxss the build ships (the root's and each
// subpackage's copy), since the build cuts TDesign's 2,352 rules down to the names the app uses.
import fs from 'node:fs';
import path from 'node:path';
import { CITY_SERVICES } from '../../miniprogram/pages/home/index/city-services';

const REPO = path.resolve(__dirname, '..', '..');
const MINIPROGRAM = path.join(REPO, 'miniprogram');
const GLYPH = /^\.t-icon-([a-z0-9-]+):before\{/gm;

function files(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'miniprogram_npm') return [];
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p, ext);
    return e.name.endsWith(ext) ? [p] : [];
  });
}

function glyphs(file: string): Set<string> {
  return new Set([...fs.readFileSync(file, 'utf8').matchAll(GLYPH)].map((m) => m[1] ?? ''));
}

/** Static names in WXML (t-icon's name, a component's icon attributes) and `icon: '…'` in the pages' data. */
function namesUsed(): Map<string, string> {
  const used = new Map<string, string>();
  for (const file of files(MINIPROGRAM, '.wxml')) {
    const text = fs.readFileSync(file, 'utf8');
    const where = path.relative(MINIPROGRAM, file);
    for (const m of text.matchAll(/<t-icon\b[^>]*?\sname="([^"{}]+)"/g)) used.set(m[1] ?? '', where);
    for (const m of text.matchAll(/\s(?:icon|left-icon|prefix-icon|suffix-icon)="([^"{}]+)"/g)) {
      used.set(m[1] ?? '', where);
    }
  }
  for (const file of files(MINIPROGRAM, '.ts')) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bicon: '([a-z0-9-]+)'/g)) used.set(m[1] ?? '', path.relative(MINIPROGRAM, file));
  }
  for (const service of CITY_SERVICES) used.set(service.icon, 'pages/home/index/city-services.ts');
  // drawn by TDesign itself: t-cell's arrow, t-notice-bar's info icon, t-dialog's and t-tag's close
  for (const name of ['chevron-right', 'info-circle-filled', 'close']) used.set(name, 'TDesign');
  return used;
}

const shipped = [
  path.join(MINIPROGRAM, 'miniprogram_npm/tdesign-miniprogram/icon/icon.wxss'),
  ...fs
    .readdirSync(path.join(MINIPROGRAM, 'pages'))
    .map((p) => path.join(MINIPROGRAM, 'pages', p, 'miniprogram_npm/tdesign-miniprogram/icon/icon.wxss'))
    .filter((f) => fs.existsSync(f)),
];

it('finds the icon names the pages use', () => {
  const used = namesUsed();
  expect(used.size).toBeGreaterThan(20);
  expect([...used.keys()]).toEqual(expect.arrayContaining(['user-circle', 'error-circle', 'book', 'vehicle']));
});

it('names only real TDesign icons', () => {
  const all = glyphs(path.join(REPO, 'node_modules/tdesign-miniprogram/miniprogram_dist/icon/icon.wxss'));
  const unknown = [...namesUsed()].filter(([name]) => !all.has(name)).map(([name, where]) => `${name} (${where})`);
  expect(unknown).toEqual([]);
});

it.each(shipped.map((f) => [path.relative(MINIPROGRAM, f)]))('%s keeps every icon the pages use', (file) => {
  const kept = glyphs(path.join(MINIPROGRAM, file));
  const missing = [...namesUsed()].filter(([name]) => !kept.has(name)).map(([name, where]) => `${name} (${where})`);
  expect(missing).toEqual([]);
  expect(kept.size).toBeLessThan(200);
});
