/**
 * The local cloud's static route for the browser preview (built by `npm run build` into build/preview):
 * GET / is the preview page, GET /preview/<file> its files. Everything else is left to the local cloud's own routes.
 */
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';

export const TYPES: Record<string, string> = {
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

/** The file under `dir` that a GET of `pathname` asks for, or null when it is not the preview's. */
function previewFile(dir: string, pathname: string): string | null {
  if (pathname === '/') return path.join(dir, 'index.html');
  if (!pathname.startsWith('/preview/')) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice('/preview/'.length));
  } catch {
    return null;
  }
  const file = path.resolve(dir, relative);
  // never outside the preview folder
  return file.startsWith(path.resolve(dir) + path.sep) ? file : null;
}

/** Answers `req` when it is a GET for the preview; returns false (answering nothing) otherwise. */
export function servePreview(dir: string, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const { pathname } = new URL(req.url ?? '/', 'http://local');
  const file = previewFile(dir, pathname);
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
      const text =
        pathname === '/'
          ? 'The browser preview is not built: run `npm run build` (npm start does), then reload.\n'
          : `No preview file at ${pathname}\n`;
      res.writeHead(pathname === '/' ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(text);
    },
  );
  return true;
}
