// WeChat's own template and style compilers, wcc (WXML + WXS) and wcsc (WXSS), from the miniprogram-compiler
// package (the same binaries miniprogram-simulate runs). npm installs them without the execute bit, so they are
// copied to build/bin and made executable there; node_modules is left as installed.
//
// Command lines (as miniprogram-compiler/src/wcc.js and wcsc.js, and DevTools, call them; cwd = miniprogram root,
// every path relative to it):
//   wcc  -d -o <out.js> -cc "<n> <page.wxml> <k> <tag...> ..." <all .wxml> <all .wxs> -gn $gwx
//        n = how many of the files declare usingComponents, then per such file its path, its tag count and tags;
//        exit 0 = ok, otherwise stderr is "<file>:<line>:<col>: <message>" for the first error.
//   wcsc -db -o <out.js> -pc <n> <page/component .wxss...> <other .wxss...>
//        n = how many of the leading files belong to a page/component (a .json beside them); every @import target
//        must be in the list too; exit 0 = ok, otherwise stderr is "ERR: <file>(<line>:<col>): <message>".
import fs from 'node:fs';
import path from 'node:path';
import { BuildError, REPO, run } from './util.mjs';

const PLATFORM_DIR = { linux: 'linux', darwin: 'mac', win32: 'windows' };

/** Absolute path of an executable copy of `wcc` or `wcsc`. */
function compilerPath(name) {
  const platform = PLATFORM_DIR[process.platform];
  if (!platform) throw new BuildError(`WeChat's ${name} has no build for ${process.platform}`);
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  const src = path.join(REPO, 'node_modules', 'miniprogram-compiler', 'bin', platform, exe);
  if (!fs.existsSync(src)) throw new BuildError(`${path.relative(REPO, src)} is missing (run npm install)`);
  const dest = path.join(REPO, 'build', 'bin', exe);
  const srcStat = fs.statSync(src);
  let ok;
  try {
    const d = fs.statSync(dest);
    ok =
      d.size === srcStat.size &&
      d.mtimeMs >= srcStat.mtimeMs &&
      (process.platform === 'win32' || (d.mode & 0o111) !== 0);
  } catch {
    ok = false;
  }
  if (!ok) {
    // Copy then rename, so a build running in parallel never executes a half-written binary.
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.${process.pid}.tmp`;
    fs.copyFileSync(src, tmp);
    fs.chmodSync(tmp, 0o755);
    fs.renameSync(tmp, dest);
  }
  return dest;
}

/** Runs a compiler with cwd = the mini program root; resolves with { code, message } (message = its stderr). */
export async function runCompiler(name, args, cwd) {
  const r = await run(compilerPath(name), args, { cwd });
  return { code: r.code, message: (r.stderr || r.stdout).trim() };
}
