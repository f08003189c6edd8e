/**
 * The local cloud's static route for the browser preview (built by `npm run build` into build/preview):
 * GET / is the preview page, GET /preview/<file> its files. Everything else is left to the local cloud's own routes.
 */
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

/** A built folder served under a path prefix, with one page. */
interface StaticSite {
  readonly dir: string;
  /** `/preview/` or `/console/`: files are `<prefix><relative path>`. */
  readonly prefix: string;
  /** The path that answers the folder's index.html. */
  readonly page: string;
  /** Said when the page itself cannot be read. */
  readonly notBuilt: string;
  /** Names the site in a missing file's answer. */
  readonly name: string;
}

/** The file under the site's folder that a GET of `pathname` asks for, or null when it is not the site's. */
function siteFile(site: StaticSite, pathname: string): string | null {
  if (pathname === site.page) return path.join(site.dir, 'index.html');
  if (!pathname.startsWith(site.prefix)) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice(site.prefix.length));
  } catch {
    return null;
  }
  const file = path.resolve(site.dir, relative);
  // never outside the site's folder
  return file.startsWith(path.resolve(site.dir) + path.sep) ? file : null;
}

/** Answers `req` when it is a GET of one of the site's files; returns false (answering nothing) otherwise. */
export function serveStatic(site: StaticSite, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const { pathname } = new URL(req.url ?? '/', 'http://local');
  const file = siteFile(site, pathname);
  if (file === null) return false;
  readFile(file).then(
    (bytes) => {
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': bytes.length,
        // a rebuild must show at the next reload
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    },
    () => {
      const page = pathname === site.page;
      res.writeHead(page ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(page ? site.notBuilt : `No ${site.name} file at ${pathname}\n`);
    },
  );
  return true;
}

/** Answers `req` when it is a GET for the preview; returns false (answering nothing) otherwise. */
export function servePreview(dir: string, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  return serveStatic(
    {
      dir,
      prefix: '/preview/',
      page: '/',
      name: 'preview',
      notBuilt: 'The browser preview is not built: run `npm run build` (npm start does), then reload.\n',
    },
    req,
    res,
  );
}
