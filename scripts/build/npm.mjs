// Step "npm": what DevTools' "构建 npm" does for this project — every dependency of the root package.json that
// declares a "miniprogram" folder (today only tdesign-miniprogram) is copied to miniprogram/miniprogram_npm/<name>/.
// Dependencies without one (wx-server-sdk, better-sqlite3, ...) are server-side and are not packed.
import fs from 'node:fs';
import path from 'node:path';
import { BuildError, REPO, cache, exists, readJson, statSignature } from './util.mjs';

function allFiles(dir) {
  const out = [];
  const visit = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

/**
 * Copies `files` (absolute, under `src`) to the same places under `dest`, many at a time and without blocking the
 * event loop (fs.cpSync held up the other steps for seconds; fs.promises.cp copies one file at a time).
 */
async function copyFiles(src, files, dest) {
  const dirs = new Set(files.map((f) => path.dirname(path.join(dest, path.relative(src, f)))));
  for (const d of [...dirs].sort()) fs.mkdirSync(d, { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++];
      await fs.promises.copyFile(f, path.join(dest, path.relative(src, f)));
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}

/** Packages to pack: root dependencies whose package.json has a "miniprogram" field, resolved from node_modules. */
function miniprogramPackages(root) {
  const pkg = readJson(path.join(root, 'package.json'), root);
  const found = [];
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    const dir = [root, REPO]
      .map((r) => path.join(r, 'node_modules', name))
      .find((d) => exists(path.join(d, 'package.json')));
    if (!dir) throw new BuildError(`dependency ${name} is not installed (run npm install)`);
    const meta = readJson(path.join(dir, 'package.json'), root);
    if (typeof meta.miniprogram === 'string') {
      found.push({ name, version: meta.version, src: path.join(dir, meta.miniprogram) });
    }
  }
  return found;
}

export async function npm({ root, force }) {
  const packages = miniprogramPackages(root);
  const store = cache(root, 'npm');
  const previous = store.read();
  const next = {};
  const done = [];
  for (const p of packages) {
    if (!exists(p.src)) throw new BuildError(`${p.name}: its "miniprogram" folder ${p.src} is missing`);
    const dest = path.join(root, 'miniprogram', 'miniprogram_npm', p.name);
    const srcFiles = allFiles(p.src);
    const srcSig = statSignature(srcFiles);
    const was = previous[p.name];
    const upToDate =
      !force &&
      was &&
      was.version === p.version &&
      was.srcSig === srcSig &&
      exists(dest) &&
      allFiles(dest).length === srcFiles.length;
    if (!upToDate) {
      await fs.promises.rm(dest, { recursive: true, force: true });
      await copyFiles(p.src, srcFiles, dest);
    }
    next[p.name] = { version: p.version, srcSig };
    done.push(`${p.name}@${p.version}${upToDate ? '' : ' (copied)'}`);
  }
  store.write(next);
  return done.join(', ') || 'no mini program packages';
}
