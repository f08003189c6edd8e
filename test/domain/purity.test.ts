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
