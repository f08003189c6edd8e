import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

/** The domain is shared by pages and cloud functions: it may import only itself and must not touch the outside. */
const DOMAIN = join(__dirname, '..', '..', 'miniprogram', 'domain');
const files = readdirSync(DOMAIN).filter((f) => f.endsWith('.ts'));

describe('domain purity', () => {
  it.each(files)('%s imports only ./ siblings and uses no wx, Node, clock or any', (file) => {
    const source = readFileSync(join(DOMAIN, file), 'utf8');
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const match of code.matchAll(/\bfrom\s+'([^']+)'/g)) expect(match[1]).toMatch(/^\.\/[a-z-]+$/);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toMatch(/\bwx\./);
    expect(code).not.toMatch(/\bprocess\./);
    expect(code).not.toMatch(/Date\.now|new Date\b|Math\.random/);
    expect(code).not.toMatch(/:\s*any\b|as any\b|<any>/);
  });

  it('index re-exports every module', () => {
    const index = readFileSync(join(DOMAIN, 'index.ts'), 'utf8');
    for (const file of files.filter((f) => f !== 'index.ts')) {
      expect(index).toContain(`from './${file.replace(/\.ts$/, '')}'`);
    }
  });
});

/** Pages, components and utils reach the cloud only through services/ (app.ts initialises it). */
describe('one service layer', () => {
  const MINIPROGRAM = join(__dirname, '..', '..', 'miniprogram');
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
