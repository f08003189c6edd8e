// Small helpers shared by the build steps: file walking, fingerprints for "nothing changed", child processes.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this script lives in (where node_modules is), whatever --root says. */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A step failure whose message is already fit for a person; the build prints it without a stack. */
export class BuildError extends Error {}

/** Posix-style relative path, as WeChat's compilers and error messages want it. */
export function rel(from, to) {
  return path.relative(from, to).split(path.sep).join('/');
}

/**
 * Every file under `dir` whose name ends with one of `exts`, as paths relative to `dir` (posix, sorted).
 * `skip` holds folder names never entered (node_modules, miniprogram_npm, dot folders always).
 */
export function walk(dir, exts, skip = ['node_modules', 'miniprogram_npm']) {
  const out = [];
  const visit = (abs, relDir) => {
    let entries;
    try {
      entries = fs.readdirSync(abs, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const relPath = relDir ? `${relDir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!skip.includes(e.name)) visit(path.join(abs, e.name), relPath);
      } else if (exts.some((x) => e.name.endsWith(x))) {
        out.push(relPath);
      }
    }
  };
  visit(dir, '');
  return out.sort();
}

/** A cheap signature of files (path, size, mtime): equal signatures mean nothing to redo. */
export function statSignature(absPaths) {
  const h = createHash('sha1');
  for (const p of absPaths) {
    try {
      const s = fs.statSync(p);
      h.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
    } catch {
      h.update(`${p}\0missing\n`);
    }
  }
  return h.digest('hex');
}

/** A JSON cache under <root>/build/cache, one file per step; a missing or broken cache is just empty. */
export function cache(root, name) {
  const file = path.join(root, 'build', 'cache', `${name}.json`);
  return {
    read() {
      try {
        return JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch {
        return {};
      }
    },
    write(value) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(value, null, 1)}\n`);
    },
  };
}

/** Runs a program; resolves with its exit code and captured output (never rejects on a non-zero exit). */
export function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), signal, stdout, stderr }));
  });
}

/** Reads and parses a JSON file, or throws a BuildError naming it. */
export function readJson(file, root) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new BuildError(`${rel(root, file)}: missing`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BuildError(`${rel(root, file)}: invalid JSON (${e.message})`);
  }
}

export function exists(p) {
  return fs.existsSync(p);
}

/**
 * Rewrites a WeChat compiler's message so each file it names is relative to the project root and located as
 * `file:line:col` (what editors link): "ERR: pages/a.wxss(2:1): x" -> "miniprogram/pages/a.wxss:2:1: x".
 */
export function localize(message, prefix) {
  return message
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line && !/^error file count/.test(line))
    .map((line) =>
      line
        .replace(/^ERR:\s*/, '')
        .replace(/^([^\s:()]+\.(?:wxml|wxs|wxss))\((\d+):(\d+)\):?/, '$1:$2:$3:')
        .replace(/^([^\s:()]+\.(?:wxml|wxs|wxss))(?=:)/, `${prefix}/$1`)
        .replace(/`([^`\s]+\.(?:wxml|wxs|wxss))`/g, (m, p) =>
          p.startsWith('/') || p.startsWith('.') ? m : `\`${prefix}/${p}\``,
        ),
    )
    .join('\n');
}
