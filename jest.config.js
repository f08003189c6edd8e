/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
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
