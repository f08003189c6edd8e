/**
 * Runs the real build (`node scripts/build.mjs`) on a throwaway project: a folder under build/tmp/ (inside the
 * repo, so `require('wx-server-sdk')` from a bundle there finds the repo's node_modules), never the real tree.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '..', '..');

export interface TempProject {
  readonly root: string;
  /** Writes `content` to `relPath` under the project, creating folders. */
  write(relPath: string, content: string): void;
  read(relPath: string): string;
  remove(): void;
}

/** A new empty project folder; `withMiniprogram` copies the real miniprogram/ into it (miniprogram_npm linked). */
export function tempProject({ withMiniprogram = false }: { withMiniprogram?: boolean } = {}): TempProject {
  const base = path.join(REPO, 'build', 'tmp');
  fs.mkdirSync(base, { recursive: true });
  const root = fs.mkdtempSync(path.join(base, 'project-'));
  if (withMiniprogram) {
    fs.cpSync(path.join(REPO, 'miniprogram'), path.join(root, 'miniprogram'), {
      recursive: true,
      filter: (src) => path.basename(src) !== 'miniprogram_npm',
    });
    // TDesign as the build packed it (templates may @import its styles), shared read-only rather than copied:
    // the root's copy and each subpackage's.
    const pages = fs.readdirSync(path.join(REPO, 'miniprogram', 'pages')).map((p) => path.join('pages', p));
    for (const dir of ['', ...pages]) {
      const npm = path.join(REPO, 'miniprogram', dir, 'miniprogram_npm');
      if (fs.existsSync(npm)) fs.symlinkSync(npm, path.join(root, 'miniprogram', dir, 'miniprogram_npm'), 'dir');
    }
  }
  return {
    root,
    write(relPath, content) {
      const file = path.join(root, relPath);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    },
    read(relPath) {
      return fs.readFileSync(path.join(root, relPath), 'utf8');
    },
    remove() {
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface BuildRun {
  status: number | null;
  /** stdout and stderr together, colour-free. */
  output: string;
}

/** `node scripts/build.mjs --root <root> ...args`, synchronously. */
export function runBuild(root: string, args: string[]): BuildRun {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs'), '--root', root, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
