// Step "console": the police web console (console/, README "Police console") -> build/console: main.js (esbuild
// bundle of console/src/main.tsx with React and the tdesign-react components it uses, minified), main.css (the CSS
// those components import) and index.html. The local cloud serves the folder at /console; production uploads it to
// CloudBase static hosting.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { BuildError, cache, exists, rel, statSignature, walk } from './util.mjs';

const RECIPE = `esbuild ${esbuild.version}; console v1`;

export async function consoleApp({ root, force }) {
  const source = path.join(root, 'console');
  const entry = path.join(source, 'src', 'main.tsx');
  if (!exists(entry)) return 'no console yet';
  const out = path.join(root, 'build', 'console');
  const store = cache(root, 'console');
  const previous = store.read();
  const own = [
    ...walk(source, ['.ts', '.tsx', '.html', '.json']).map((f) => path.join(source, f)),
    fileURLToPath(import.meta.url),
  ];
  const outputs = ['index.html', 'main.js', 'main.css'].map((f) => path.join(out, f));
  const inputs = [...new Set([...own, ...(previous.bundled ?? [])])].sort();
  if (
    !force &&
    previous.recipe === RECIPE &&
    previous.sig === statSignature(inputs) &&
    outputs.every(exists) &&
    previous.outSig === statSignature(outputs)
  ) {
    return 'up to date';
  }
  let result;
  try {
    result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: path.join(out, 'main.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      jsx: 'automatic',
      minify: true,
      sourcemap: 'linked',
      legalComments: 'linked',
      logLevel: 'silent',
      metafile: true,
      charset: 'utf8',
      // React's production build; TDesign's CSS refers to no fonts or pictures of its own that need a loader.
      define: { 'process.env.NODE_ENV': '"production"' },
    });
  } catch (e) {
    if (!(e && Array.isArray(e.errors))) throw e;
    throw new BuildError(
      e.errors
        .map(
          (m) =>
            `${m.location ? `${rel(root, path.resolve(root, m.location.file))}:${m.location.line}:${m.location.column + 1}: ` : ''}error: ${m.text}`,
        )
        .join('\n'),
    );
  }
  fs.copyFileSync(path.join(source, 'index.html'), path.join(out, 'index.html'));
  const bundled = Object.keys(result.metafile.inputs).map((p) => path.resolve(root, p));
  const allInputs = [...new Set([...own, ...bundled])].sort();
  store.write({ recipe: RECIPE, sig: statSignature(allInputs), bundled, outSig: statSignature(outputs) });
  const size = (file) => `${Math.round(fs.statSync(path.join(out, file)).size / 1024)} KB`;
  return `main.js ${size('main.js')}, main.css ${size('main.css')} -> build/console`;
}
