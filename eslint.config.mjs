// ESLint for the whole repository (`npm run lint`, part of `npm test`): typescript-eslint's strict type-checked set
// for the TypeScript, @eslint/js's recommended set for the JavaScript, and the import boundaries between folders.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;

/** Node's own globals, read from the running Node, since the `globals` package is not a dependency. */
const NODE_GLOBALS = Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly']));
const COMMONJS_GLOBALS = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
};

/** One `no-restricted-imports` entry per rule; each message says which boundary the import crosses. */
const restrict = (...patterns) => ['error', { patterns }];
const SERVER_SDK = { regex: '^wx-server-sdk(/|$)', message: 'wx-server-sdk runs only in cloud functions.' };
const CLOUDFUNCTIONS = {
  regex: '(^|/)cloudfunctions(/|$)',
  message: 'The mini program cannot ship cloud-function code; share it through miniprogram/domain.',
};
const SCRIPTS = { regex: '(^|/)scripts(/|$)', message: 'scripts/ is the Node tooling, not part of the mini program.' };
export default defineConfig(
  globalIgnores([
    // Generated (see .gitignore) or installed.
    'node_modules/',
    'miniprogram/miniprogram_npm/',
    'miniprogram/pages/*/miniprogram_npm/',
    'cloudfunctions/*/index.js',
    'build/',
    '.local-cloud*/',
    'artifacts/',
  ]),

  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // JavaScript: the build and start scripts (ES modules), jest's config and the test fixtures' functions (CommonJS).
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { ecmaVersion: 'latest', globals: NODE_GLOBALS },
  },
  {
    rules: {
      // A `let` read by closures before its one assignment (a server's state filled in once it is ready) cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    files: ['**/*.{js,cjs}'],
    languageOptions: { sourceType: 'commonjs', globals: { ...NODE_GLOBALS, ...COMMONJS_GLOBALS } },
  },

  // The test fixtures' mini program is plain JavaScript on WeChat's globals.
  {
    files: ['test/fixtures/miniprogram/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['wx', 'App', 'Page', 'Component', 'Behavior', 'getApp', 'getCurrentPages'].map((name) => [name, 'readonly']),
      ),
    },
  },

  // TypeScript: every file belongs to the program of the nearest tsconfig.json, which the project service finds.
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: ROOT } },
    rules: {
      // Numbers read the same in any template (counts, limits, status codes); nullish, objects and the rest stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `(res) => resolve(res)` callbacks are the idiom of every wx/Node callback API here; braces add nothing.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // As tsc's noUnusedLocals/noUnusedParameters: `{ omitted: _, ...rest }` and `_`-prefixed parameters are deliberate.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_' }],
    },
  },
  // typings/ has no tsconfig.json of its own: the ambient mini-program types belong to the mini program's program,
  // the wx-server-sdk fix and its check to typings/tsconfig.check.json.
  {
    files: ['typings/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: false,
        project: ['./typings/tsconfig.check.json', './miniprogram/tsconfig.json'],
        tsconfigRootDir: ROOT,
      },
    },
  },

  // Import boundaries.
  {
    files: ['miniprogram/pages/**', 'miniprogram/components/**', 'miniprogram/utils/**'],
    rules: { 'no-restricted-imports': restrict(CLOUDFUNCTIONS, SCRIPTS, SERVER_SDK) },
  },
  {
    files: ['miniprogram/domain/**'],
    rules: {
      'no-restricted-imports': restrict(SERVER_SDK, CLOUDFUNCTIONS, {
        regex: '(^|/)(services|pages|utils|components)(/|$)',
        message: 'The domain is shared with the cloud functions: it may not depend on the mini program around it.',
      }),
      'no-restricted-globals': [
        'error',
        ...['wx', 'getApp', 'getCurrentPages'].map((name) => ({
          name,
          message: 'The domain also runs in the cloud functions, where WeChat’s client globals do not exist.',
        })),
      ],
    },
  },
  {
    files: ['console/**'],
    rules: {
      'no-restricted-imports': restrict(SERVER_SDK, SCRIPTS, {
        // the admin contract, its pure access table and refund rules; any other server code stays on the server
        regex:
          '(^|/)cloudfunctions/(?!_shared/(police/(contract|access|officers/contract)|payment/refunds/(contract|rules))$)',
        message:
          'The console reaches the server over HTTP; it may read only the police and refund contracts and rules.',
      }),
    },
  },
  {
    files: ['cloudfunctions/**'],
    rules: {
      'no-restricted-imports': restrict({
        regex: '(^|/)miniprogram/(pages|services|utils|components)(/|$)',
        message:
          'Cloud functions may use the mini program’s domain only, not its pages, services, utils or components.',
      }),
    },
  },
);
