// Step "local-cloud": the local cloud's entry points -> build/local-cloud/*.cjs. Packages stay in node_modules
// (better-sqlite3 is native); only the project's own TypeScript is bundled. Entries not written yet are skipped.
// One more output is wx-server-sdk itself as a single file: a function instance loads it far faster than the
// package's ~425 modules (see functions/preload-sdk.ts).
import fs from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { BuildError, cache, exists, rel, statSignature } from './util.mjs';

const ENTRIES = [
  { src: 'scripts/local-cloud/cli.ts', out: 'build/local-cloud/cli.cjs' },
  { src: 'scripts/local-cloud/functions/worker.ts', out: 'build/local-cloud/worker.cjs' },
  { src: 'node_modules/wx-server-sdk/index.js', out: 'build/local-cloud/wx-server-sdk.cjs', packages: 'bundle' },
];

const RECIPE = `esbuild ${esbuild.version}; cjs node20; packages external; inline sourcemap; v2`;

// The node SDK reads its version from ../../package.json beside its own file; bundled, that path would be wrong.
const sdkVersionPath = {
  name: 'sdk-version-path',
  setup(build) {
    build.onLoad({ filter: /[\\/]@cloudbase[\\/]node-sdk[\\/]dist[\\/]utils[\\/]version\.js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      const packageJson = path.join(path.dirname(args.path), '..', '..', 'package.json');
      return {
        contents: text.replace(
          /path\.join\(__dirname, ['"]\.\.\/\.\.\/package\.json['"]\)/,
          JSON.stringify(packageJson),
        ),
      };
    });
  },
};

export async function localCloud({ root, force }) {
  const entries = ENTRIES.filter((e) => exists(path.join(root, e.src)));
  if (entries.length === 0) return 'no entry points yet';
  const store = cache(root, 'local-cloud');
  const previous = store.read();
  const next = {};
  const problems = [];
  let built = 0;
  await Promise.all(
    entries.map(async (entry) => {
      const out = path.join(root, entry.out);
      const was = previous[entry.src];
      if (
        !force &&
        was &&
        was.recipe === RECIPE &&
        exists(out) &&
        statSignature(was.inputs) === was.inputsSig &&
        statSignature([out]) === was.outSig
      ) {
        next[entry.src] = was;
        return;
      }
      try {
        const result = await esbuild.build({
          absWorkingDir: root,
          entryPoints: [path.join(root, entry.src)],
          outfile: out,
          bundle: true,
          platform: 'node',
          target: 'node20',
          format: 'cjs',
          ...(entry.packages === 'bundle'
            ? { plugins: [sdkVersionPath] }
            : // Inline maps: stack traces point at the .ts (node --enable-source-maps); size does not matter here.
              { packages: 'external', sourcemap: 'inline' }),
          logLevel: 'silent',
          metafile: true,
        });
        const inputs = [
          ...Object.keys(result.metafile.inputs).map((p) => path.resolve(root, p)),
          path.join(root, 'tsconfig.json'),
        ];
        next[entry.src] = { recipe: RECIPE, inputs, inputsSig: statSignature(inputs), outSig: statSignature([out]) };
        built += 1;
      } catch (e) {
        if (!(e && Array.isArray(e.errors))) throw e;
        const lines = e.errors.map((m) => {
          const loc = m.location
            ? `${rel(root, path.resolve(root, m.location.file))}:${m.location.line}:${m.location.column + 1}: `
            : '';
          return `${loc}error: ${m.text}`;
        });
        problems.push(`${entry.src}:\n${lines.join('\n')}`);
      }
    }),
  );
  store.write(next);
  if (problems.length > 0) throw new BuildError(problems.join('\n'));
  return `${entries.map((e) => e.out).join(', ')} (${built} rebuilt)`;
}
