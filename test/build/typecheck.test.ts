// The type-check step starts tsc only for a program whose files changed: an unchanged build skips it (npm start and
// npm test pay seconds per program otherwise), an edit or a new file checks again and still fails on a type error.
import { runBuild, tempProject, type TempProject } from '../helpers/build';

let project: TempProject;

// One project for the file, the tests in order: each tsc run costs a second or more on a busy machine.
beforeAll(() => {
  project = tempProject();
  project.write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        // no @types and no DOM: a program of one file checks in half a second
        types: [],
        lib: ['ES2022'],
      },
      include: ['scripts/**/*.ts'],
    }),
  );
  project.write('scripts/a.ts', 'export const a: number = 1;\n');
});
afterAll(() => project.remove());

const typecheck = () => runBuild(project.root, ['--only', 'typecheck']);

it('checks once, then skips while nothing changed', () => {
  const first = typecheck();
  expect(first.status).toBe(0);
  expect(first.output).toMatch(/ok\s+typecheck\s+\S+\s+server\n/);
  const second = typecheck();
  expect(second.status).toBe(0);
  expect(second.output).toMatch(/ok\s+typecheck\s+\S+\s+server \(up to date\)/);
});

it('checks again after an edit and fails on its type error, then again until it is fixed', () => {
  project.write('scripts/a.ts', 'export const a: number = "one";\n');
  const broken = typecheck();
  expect(broken.status).not.toBe(0);
  expect(broken.output).toContain('scripts/a.ts');
  expect(broken.output).not.toContain(project.root);
  // a failed program is never remembered as checked
  expect(typecheck().status).not.toBe(0);
  project.write('scripts/a.ts', 'export const a: number = 2;\n');
  expect(typecheck().output).toMatch(/ok\s+typecheck\s+\S+\s+server\n/);
});

it('checks again when a source file is added, though no listed file changed', () => {
  expect(typecheck().output).toMatch(/server \(up to date\)/);
  project.write('scripts/b.ts', 'export const b: string = 2;\n');
  const r = typecheck();
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('scripts/b.ts');
});
