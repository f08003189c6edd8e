/**
 * The local cloud's static route for the police web console (built by `npm run build` into build/console):
 * GET /console redirects to /console/, which is its page; GET /console/<file> its files.
 */
import type http from 'node:http';
import { serveStatic } from './serve';

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
  return serveStatic(
    {
      dir,
      prefix: '/console/',
      page: '/console/',
      name: 'console',
      notBuilt: 'The police console is not built: run `npm run build` (npm start does), then reload.\n',
    },
    req,
    res,
  );
}
