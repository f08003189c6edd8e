/**
 * @jest-environment jsdom
 */
// What page tests rely on from test/helpers/simulate.ts, on a fixture page (test/fixtures/miniprogram) that taps
// TDesign buttons, reads a TDesign input's change event, calls a cloud function, navigates and uses storage.
import fs from 'node:fs';
import path from 'node:path';
import { loadPage } from '../helpers/simulate';
import { tempProject, type TempProject, REPO } from '../helpers/build';

let project: TempProject;
let root: string;
beforeAll(() => {
  project = tempProject();
  root = path.join(project.root, 'miniprogram');
  fs.cpSync(path.join(__dirname, '..', 'fixtures', 'miniprogram'), root, { recursive: true });
  // A copy, not a symlink: simulate finds templates with glob, which does not enter symlinked folders.
  fs.cpSync(path.join(REPO, 'miniprogram', 'miniprogram_npm'), path.join(root, 'miniprogram_npm'), { recursive: true });
});
afterAll(() => project.remove());

it('runs onLoad with the query and launches the fixture app', async () => {
  const page = await loadPage('pages/echo/index', { root, query: { plate: '桂A12345' } });
  expect(page.data['plate']).toBe('桂A12345');
  expect(page.wx.cloud.init).toHaveBeenCalledWith({ env: 'fixture-env', traceUser: true });
  expect(page.app.globalData['from']).toBe('fixture');
});

it('answers wx.cloud.callFunction from the handlers and records the calls', async () => {
  const page = await loadPage('pages/echo/index', {
    root,
    query: { plate: '桂A12345' },
    cloud: { violation: (data) => ({ ok: true, data: { count: data['plate'] === '桂A12345' ? 2 : 0 } }) },
  });
  await page.tap('#ask');
  expect(page.cloudCalls).toEqual([{ name: 'violation', data: { action: 'list', plate: '桂A12345' } }]);
  expect(page.text('.result')).toBe('2 条，来自 fixture');
  expect(page.storage.get('lastPlate')).toBe('桂A12345');
});

it('makes callFunction fail like a function that threw, and without a handler', async () => {
  const failing = await loadPage('pages/echo/index', {
    root,
    cloud: () => {
      throw new Error('boom');
    },
  });
  await failing.tap('#ask');
  expect(failing.data['result']).toBe('失败：cloud.callFunction:fail boom');

  const unanswered = await loadPage('pages/echo/index', { root });
  await unanswered.tap('#ask');
  expect(unanswered.data['result']).toContain('no cloud handler for "violation"');
});

it('emits a TDesign component event, spies on navigation, starts storage from the options', async () => {
  const page = await loadPage('pages/echo/index', { root, storage: { lastPlate: '桂A00001' } });
  expect(page.data['plate']).toBe('桂A00001');
  await page.emit('#plate', 'change', { value: '桂AD12345' });
  await page.tap('#go');
  expect(page.wx.navigateTo).toHaveBeenCalledWith({ url: '/pages/pay/index?plate=桂AD12345' });
});

it('lets a test replace a wx API', async () => {
  const navigateTo = jest.fn();
  const page = await loadPage('pages/echo/index', { root, wx: { navigateTo } });
  await page.tap('#go');
  expect(navigateTo).toHaveBeenCalledTimes(1);
  expect(page.wx.navigateTo).toBe(navigateTo);
});
