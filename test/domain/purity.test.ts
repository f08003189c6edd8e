import { readdirSync, readFileSync } from 'fs';
import { dirname, join, resolve, sep } from 'path';

/** The domain is shared by pages and cloud functions: it may import only itself and must not touch the outside. */
const DOMAIN = join(__dirname, '..', '..', 'miniprogram', 'domain');
const MINIPROGRAM = join(__dirname, '..', '..', 'miniprogram');
const tsFiles = (root: string, dir = ''): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'miniprogram_npm' ? [] : tsFiles(root, rel);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
const files = tsFiles(DOMAIN);
const stripComments = (source: string): string => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
const importsOf = (code: string): string[] => [...code.matchAll(/\bfrom\s+'([^']+)'/g)].map((match) => match[1] ?? '');

describe('domain purity', () => {
  it('finds the feature folders', () => {
    expect(files.filter((f) => f.endsWith('contract.ts')).length).toBeGreaterThanOrEqual(12);
  });

  it.each(files)('%s imports only the domain and uses no wx, Node, clock or any', (file) => {
    const code = stripComments(readFileSync(join(DOMAIN, file), 'utf8'));
    for (const specifier of importsOf(code)) {
      expect(specifier).toMatch(/^\.\.?\//);
      expect(resolve(dirname(join(DOMAIN, file)), specifier).startsWith(DOMAIN + sep)).toBe(true);
    }
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toMatch(/\bwx\./);
    expect(code).not.toMatch(/\bprocess\./);
    expect(code).not.toMatch(/Date\.now|new Date\b|Math\.random/);
    expect(code).not.toMatch(/:\s*any\b|as any\b|<any>/);
  });
});

/** The phone ships only what is under miniprogram/: nothing there reaches the cloud functions' code. */
describe('phone and server apart', () => {
  it.each(tsFiles(MINIPROGRAM))('%s imports nothing outside miniprogram/', (file) => {
    const code = stripComments(readFileSync(join(MINIPROGRAM, file), 'utf8'));
    for (const specifier of importsOf(code).filter((s) => s.startsWith('.'))) {
      expect(resolve(dirname(join(MINIPROGRAM, file)), specifier).startsWith(MINIPROGRAM + sep)).toBe(true);
    }
  });
});

/** Pages, components and utils reach the cloud only through services/ (app.ts initialises it). */
describe('one service layer', () => {
  const sources = (dir: string): string[] =>
    readdirSync(join(MINIPROGRAM, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = join(dir, entry.name);
      if (entry.isDirectory()) return sources(rel);
      return entry.name.endsWith('.ts') ? [rel] : [];
    });
  const outsideServices = ['pages', 'components', 'utils'].flatMap(sources);

  it('finds the page sources', () => {
    expect(outsideServices.filter((f) => f.startsWith('pages')).length).toBeGreaterThan(20);
  });

  it.each(outsideServices)('%s never calls wx.cloud', (file) => {
    const code = readFileSync(join(MINIPROGRAM, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\bwx\s*\.\s*cloud\b|\bwx\s*\[\s*['"]cloud['"]\s*\]/);
  });
});
