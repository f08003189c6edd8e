/**
 * The local cloud's static route for the police web console (built by `npm run build` into build/console):
 * GET /console redirects to /console/, which is its page; GET /console/<file> its files.
 */
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { TYPES } from './serve';

/** The file under `dir` that a GET of `pathname` asks for, or null when it is not the console's. */
function consoleFile(dir: string, pathname: string): string | null {
  if (pathname === '/console/') return path.join(dir, 'index.html');
  if (!pathname.startsWith('/console/')) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(pathname.slice('/console/'.length));
  } catch {
    return null;
  }
  const file = path.resolve(dir, relative);
  // never outside the console folder
  return file.startsWith(path.resolve(dir) + path.sep) ? file : null;
}

/** Answers `req` when it is a GET for the console; returns false (answering nothing) otherwise. */
export function serveConsole(dir: string, req: http.IncomingMessage, res: http.ServerResponse): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const { pathname, search } = new URL(req.url ?? '/', 'http://local');
  if (pathname === '/console') {
    // the page's relative links (main.js, main.css) resolve under /console/ only
    res.writeHead(301, { location: `/console/${search}` });
    res.end();
    return true;
  }
  const file = consoleFile(dir, pathname);
  if (file === null) return false;
  readFile(file).then(
    (bytes) => {
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': bytes.length,
        'cache-control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : bytes);
    },
    () => {
      const page = pathname === '/console/';
      res.writeHead(page ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(
        page
          ? 'The police console is not built: run `npm run build` (npm start does), then reload.\n'
          : `No console file at ${pathname}\n`,
      );
    },
  );
  return true;
}
