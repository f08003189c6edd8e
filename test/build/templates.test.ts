// The build compiles every WXML and WXSS file with WeChat's own compilers (wcc, wcsc) and checks the JSON, so a
// broken template fails `npm test` with the file and the compiler's message. Runs on a copy of miniprogram/.
import { runBuild, tempProject, type TempProject } from '../helpers/build';

const HOME = 'miniprogram/pages/home/index/index';
let project: TempProject;

beforeEach(() => {
  project = tempProject({ withMiniprogram: true });
});
afterEach(() => project.remove());

it('passes on the mini program as it is', () => {
  const r = runBuild(project.root, ['--only', 'json,wxml,wxss']);
  expect(r.output).toMatch(/ok\s+json/);
  expect(r.output).toMatch(/ok\s+wxml/);
  expect(r.output).toMatch(/ok\s+wxss/);
  expect(r.status).toBe(0);
});

it('fails on a WXML tag left open, naming the file, line and column', () => {
  project.write(`${HOME}.wxml`, '<view class="page">\n  <text>未闭合\n</view>\n');
  const r = runBuild(project.root, ['--only', 'wxml']);
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(/FAIL\s+wxml/);
  expect(r.output).toContain(`${HOME}.wxml:3:`);
  expect(r.output).toContain('expect end-tag `text`');
});

it('fails on a broken WXML expression and names every broken file', () => {
  project.write(`${HOME}.wxml`, '<view wx:if="{{ready">x</view>\n');
  project.write('miniprogram/pages/other/index.wxml', '<view>{{ a + }}</view>\n');
  const r = runBuild(project.root, ['--only', 'wxml']);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain(`${HOME}.wxml:1:`);
  expect(r.output).toContain('miniprogram/pages/other/index.wxml:1:');
});

it('fails on an <import> of a template that does not exist', () => {
  project.write(`${HOME}.wxml`, '<import src="./missing.wxml"/>\n<view/>\n');
  const r = runBuild(project.root, ['--only', 'wxml']);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain(`${HOME}.wxml:1:1: <import src="./missing.wxml">: no such file`);
});

it('fails on a broken WXSS rule, naming the file, line and column', () => {
  project.write(`${HOME}.wxss`, '.home {\n  color: red;\n');
  const r = runBuild(project.root, ['--only', 'wxss']);
  expect(r.status).not.toBe(0);
  expect(r.output).toMatch(/FAIL\s+wxss/);
  expect(r.output).toMatch(new RegExp(`${HOME}\\.wxss:\\d+:\\d+: unexpected`));
});

it('fails on a WXSS @import of a file that does not exist', () => {
  project.write('miniprogram/app.wxss', '@import "./styles/missing.wxss";\npage {}\n');
  const r = runBuild(project.root, ['--only', 'wxss']);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('miniprogram/app.wxss');
});

it('fails on usingComponents pointing at no component, naming the JSON', () => {
  project.write(`${HOME}.json`, JSON.stringify({ usingComponents: { 't-nope': '/components/nope/nope' } }));
  const r = runBuild(project.root, ['--only', 'json']);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain(`${HOME}.json: usingComponents["t-nope"]`);
});

it('fails on a page listed in app.json that does not exist', () => {
  const app = JSON.parse(project.read('miniprogram/app.json')) as { pages: string[] };
  app.pages.push('pages/ghost/index/index');
  project.write('miniprogram/app.json', JSON.stringify(app));
  project.write(`${HOME}.json`, '{}');
  const r = runBuild(project.root, ['--only', 'json']);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('pages/ghost/index/index');
});

it('does not recompile unchanged templates, and notices a change', () => {
  expect(runBuild(project.root, ['--only', 'wxml']).status).toBe(0);
  expect(runBuild(project.root, ['--only', 'wxml']).output).toContain('up to date');
  project.write(`${HOME}.wxml`, '<view>{{</view>\n');
  expect(runBuild(project.root, ['--only', 'wxml']).status).not.toBe(0);
});

it('fails on a broken WXS module, naming it', () => {
  project.write('miniprogram/utils/format.wxs', 'module.exports = { fen: function (v) { return v / }; };\n');
  const r = runBuild(project.root, ['--only', 'wxml']);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('miniprogram/utils/format.wxs:1:');
});
