// Step "npm": what DevTools' "构建 npm" does for this project — every dependency of the root package.json that
// declares a "miniprogram" folder (today only tdesign-miniprogram) is copied to miniprogram/miniprogram_npm/<name>/.
// Dependencies without one (wx-server-sdk, better-sqlite3, ...) are server-side and are not packed.
// Then TDesign is fitted to the packages (tdesign.mjs): its icon rules cut to the icons the app can show, and each
// subpackage given its own copy of the components its pages use, as DevTools does for the subpackage roots listed in
// project.config.json's packNpmRelationList.
import fs from 'node:fs';
import path from 'node:path';
import { BuildError, REPO, cache, exists, readJson, statSignature, walk } from './util.mjs';
import { glyphNames, quotedNames, slimTslib, subsetIconWxss, tdesignClosure, tdesignUse } from './tdesign.mjs';

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

/** Cuts icon.wxss to the icons named anywhere the app reaches; returns how many glyph rules it keeps. */
function fitIcons(mpRoot, tdSrc, tdDest, shipped) {
  const original = fs.readFileSync(path.join(tdSrc, 'icon', 'icon.wxss'), 'utf8');
  const own = walk(mpRoot, ['.ts', '.wxml', '.wxs', '.json']).map((f) => path.join(mpRoot, f));
  const theirs = [...shipped].flatMap((folder) =>
    walk(path.join(tdSrc, folder), ['.js', '.wxml', '.wxs', '.json'], []).map((f) => path.join(tdSrc, folder, f)),
  );
  const named = quotedNames([...own, ...theirs]);
  const subset = subsetIconWxss(original, named);
  const target = path.join(tdDest, 'icon', 'icon.wxss');
  if (fs.readFileSync(target, 'utf8') !== subset) fs.writeFileSync(target, subset);
  return glyphNames(subset).size;
}

/** Gives each subpackage that uses TDesign its own copy of what it uses (from the fitted root copy). */
async function copyToSubpackages(mpRoot, tdDest, use, previous, srcSig) {
  const plans = {};
  for (const [sub, folders] of use.subpackages) {
    const npmDir = path.join(mpRoot, sub, 'miniprogram_npm');
    if (folders.size === 0) {
      await fs.promises.rm(npmDir, { recursive: true, force: true });
      continue;
    }
    const wanted = [...tdesignClosure(tdDest, folders)].sort();
    plans[sub] = wanted;
    const dest = path.join(npmDir, 'tdesign-miniprogram');
    const same = previous?.srcSig === srcSig && previous.plans?.[sub]?.join() === wanted.join() && exists(dest);
    if (!same) {
      await fs.promises.rm(npmDir, { recursive: true, force: true });
      const files = wanted.flatMap((folder) => allFiles(path.join(tdDest, folder)));
      await copyFiles(tdDest, files, dest);
    } else {
      // the fitted files change with the sources (a new icon name) while the folders stay the same
      for (const fitted of ['icon/icon.wxss', 'miniprogram_npm/tslib/index.js']) {
        if (!wanted.includes(fitted.split('/')[0])) continue;
        const text = fs.readFileSync(path.join(tdDest, fitted), 'utf8');
        const target = path.join(dest, fitted);
        if (fs.readFileSync(target, 'utf8') !== text) fs.writeFileSync(target, text);
      }
    }
  }
  return plans;
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
    if (p.name === 'tdesign-miniprogram') {
      const mpRoot = path.join(root, 'miniprogram');
      const use = tdesignUse(mpRoot);
      const shipped = new Set(tdesignClosure(dest, use.main));
      for (const folders of use.subpackages.values()) for (const f of tdesignClosure(dest, folders)) shipped.add(f);
      const glyphs = fitIcons(mpRoot, p.src, dest, shipped);
      const tslib = slimTslib(p.src);
      if (tslib === null) throw new BuildError('tdesign-miniprogram imports a tslib helper its own tslib lacks');
      const tslibFile = path.join(dest, 'miniprogram_npm', 'tslib', 'index.js');
      if (fs.readFileSync(tslibFile, 'utf8') !== tslib) fs.writeFileSync(tslibFile, tslib);
      const plans = await copyToSubpackages(mpRoot, dest, use, upToDate ? was.subpackages : undefined, srcSig);
      next[p.name].subpackages = { srcSig, plans };
      done.push(`${glyphs} icons, own copies in ${Object.keys(plans).length} subpackages`);
    }
  }
  store.write(next);
  return done.join(', ') || 'no mini program packages';
}
