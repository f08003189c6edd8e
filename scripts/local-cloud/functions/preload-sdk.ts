/**
 * Starting a function instance used to mean loading wx-server-sdk's ~425 modules, about 250 ms of CPU per instance —
 * most of what a test file's local cloud spends. The build bundles the SDK into one file beside this worker
 * (`wx-server-sdk.cjs`); an instance compiles it with V8's code cache and registers it under the package's own
 * path, so the function's `require('wx-server-sdk')` gets the same code without resolving or compiling it again.
 * The cache is written once per Node version, by the first instance that runs without it.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { threadId } from 'node:worker_threads';
import vm from 'node:vm';

const BUNDLE = path.join(__dirname, 'wx-server-sdk.cjs');
const CACHE = path.join(__dirname, `wx-server-sdk.${process.version}.${process.arch}.v8cache`);

interface PreloadedSdk {
  /** Writes the code cache if this instance ran without a usable one; call once the instance has served a call. */
  saveCodeCache(): void;
}

/**
 * Registers the bundled SDK for a function in `functionDir`, when that function would load the same package the
 * bundle was made from. Without a bundle (a build step not run) the function loads the package as usual.
 */
export function preloadSdk(functionDir: string): PreloadedSdk {
  const none: PreloadedSdk = { saveCodeCache: () => undefined };
  if (!existsSync(BUNDLE)) return none;
  let resolved: string;
  try {
    resolved = require.resolve('wx-server-sdk', { paths: [functionDir] });
  } catch {
    return none;
  }
  // A function with its own copy of the SDK keeps it: the bundle is the repository's copy only.
  if (resolved !== require.resolve('wx-server-sdk', { paths: [__dirname] })) return none;

  const cached = existsSync(CACHE) ? readFileSync(CACHE) : undefined;
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), {
    filename: BUNDLE,
    ...(cached ? { cachedData: cached } : {}),
  });
  const sdk = new Module(resolved);
  sdk.filename = resolved;
  sdk.paths = module.paths;
  const wrapper = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: Module,
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(sdk.exports, sdk.exports, require, sdk, BUNDLE, path.dirname(BUNDLE));
  sdk.loaded = true;
  require.cache[resolved] = sdk;

  let needsCache = cached === undefined || script.cachedDataRejected === true;
  return {
    saveCodeCache() {
      if (!needsCache) return;
      needsCache = false;
      try {
        // Written after a call, so the functions that call compiled lazily are in the cache too; the rename makes
        // the file appear whole to instances starting meanwhile.
        const temporary = `${CACHE}.${process.pid}.${threadId}`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, CACHE);
      } catch {
        // A read-only build folder only costs the next instance its speed.
      }
    },
  };
}
