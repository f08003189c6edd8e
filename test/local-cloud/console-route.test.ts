import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serveConsole } from '../../scripts/preview/console';

/** The console's route in a server of its own; anything it does not answer is a 418 here. */
describe('GET /console', () => {
  let root: string;
  let dir: string;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'console-route-'));
    dir = path.join(root, 'build');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(root, 'secret.txt'), 'outside the console folder');
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>交警管理台</title>');
    fs.writeFileSync(path.join(dir, 'main.js'), 'void 0;');
    server = http.createServer((req, res) => {
      if (serveConsole(dir, req, res)) return;
      res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('redirects /console to /console/ (keeping the query), whose page links its files relatively', async () => {
    const res = await fetch(`${base}/console?x=1`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/console/?x=1');
    const page = await fetch(`${base}/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('交警管理台');
    const script = await fetch(`${base}/console/main.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('answers 404 for a missing file and never serves outside its folder', async () => {
    expect((await fetch(`${base}/console/../secret.txt`)).status).toBe(418);
    expect((await fetch(`${base}/console/nothing.js`)).status).toBe(404);
    // sent as written (fetch would resolve the dots itself): not the console's, so passed on
    const raw = await new Promise<number>((resolve, reject) => {
      http.get(`${base}/console/%2e%2e/secret.txt`, (res) => resolve(res.statusCode ?? 0)).on('error', reject);
    });
    expect(raw).toBe(418);
    expect((await fetch(`${base}/console/%E0%A4%A`)).status).toBe(418);
  });

  it('leaves other paths and methods to the rest of the local cloud', async () => {
    expect((await fetch(`${base}/consoles`)).status).toBe(418);
    expect((await fetch(`${base}/http/police`, { method: 'POST', body: '{}' })).status).toBe(418);
    expect((await fetch(`${base}/console/`, { method: 'POST', body: '{}' })).status).toBe(418);
  });

  it('says how to build the console when it is not built', async () => {
    fs.rmSync(path.join(dir, 'index.html'));
    const res = await fetch(`${base}/console/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
