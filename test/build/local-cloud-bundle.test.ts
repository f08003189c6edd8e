// The build bundles the local cloud's entry points into build/local-cloud/*.cjs (packages left in node_modules),
// and skips an entry point that is not written yet. Runs on a throwaway project.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runBuild, tempProject, type TempProject } from '../helpers/build';

let project: TempProject;
beforeEach(() => {
  project = tempProject();
  project.write('tsconfig.json', '{}');
});
afterEach(() => project.remove());

it('skips quietly when there is no entry point yet', () => {
  const r = runBuild(project.root, ['--only', 'local-cloud']);
  expect(r.status).toBe(0);
  expect(r.output).toMatch(/ok\s+local-cloud.*no entry points yet/);
});

it('bundles cli.ts and functions/worker.ts into runnable CommonJS, node_modules packages kept external', () => {
  project.write(
    'scripts/local-cloud/greeting.ts',
    'export const greeting = (who: string): string => `你好，${who}`;\n',
  );
  project.write(
    'scripts/local-cloud/cli.ts',
    "import { EJSON } from 'bson';\nimport { greeting } from './greeting';\nconsole.log(greeting('南宁'), EJSON.stringify({ a: 1 }));\n",
  );
  project.write(
    'scripts/local-cloud/functions/worker.ts',
    "import { greeting } from '../greeting';\nconsole.log(greeting('worker'));\n",
  );

  const r = runBuild(project.root, ['--only', 'local-cloud']);
  expect(r.status).toBe(0);
  const cli = path.join(project.root, 'build/local-cloud/cli.cjs');
  expect(fs.readFileSync(cli, 'utf8')).toContain('require("bson")');
  expect(execFileSync(process.execPath, [cli], { encoding: 'utf8' })).toBe('你好，南宁 {"a":1}\n');
  expect(
    execFileSync(process.execPath, [path.join(project.root, 'build/local-cloud/worker.cjs')], { encoding: 'utf8' }),
  ).toBe('你好，worker\n');
});
