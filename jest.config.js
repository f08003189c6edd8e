/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Both cores: every file starts its own local cloud on a free port with its own temporary data folder, so files
  // never share a port, a data folder or a clock.
  maxWorkers: 2,
  // Two workers and their local clouds share two cores, so a test may wait for CPU; files that need more say so.
  testTimeout: 60_000,
  transform: {
    '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Bare imports inside miniprogram_npm resolve as in the mini program: TDesign's own dayjs, tslib, ... first.
  moduleDirectories: ['node_modules', 'miniprogram_npm'],
  moduleNameMapper: {
    // Pages import TDesign's JS APIs (Toast, Message, ...) by npm path; the mini program has them in miniprogram_npm.
    '^tdesign-miniprogram/(.*)$': '<rootDir>/miniprogram/miniprogram_npm/tdesign-miniprogram/$1',
  },
  testPathIgnorePatterns: ['/node_modules/', '/miniprogram_npm/'],
};
