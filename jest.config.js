/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Every file starts its own local cloud on a free port with its own temporary data folder, so files never share a
  // port, a data folder or a clock. Three workers on two cores: a file often waits on its cloud or its browser, and
  // the third fills that idle time (a full run: 326 s with two workers, 292 s with three).
  maxWorkers: 3,
  // Two workers and their local clouds share two cores, so a test may wait for CPU; files that need more say so.
  testTimeout: 60_000,
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // One seeded demo data folder per run, copied by each browser test's local cloud instead of seeding it again.
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Bare imports inside miniprogram_npm resolve as in the mini program: TDesign's own dayjs, tslib, ... first.
  moduleDirectories: ['node_modules', 'miniprogram_npm'],
  moduleNameMapper: {
    // Pages import TDesign's JS APIs (Toast, Message, ...) by npm path; the mini program has them in miniprogram_npm.
    '^tdesign-miniprogram/(.*)$': '<rootDir>/miniprogram/miniprogram_npm/tdesign-miniprogram/$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/miniprogram_npm/'],
};
