// Three projects: unit tests (no servers, seconds), emulator tests (the stand-ins through the real drivers)
// and integration tests (a real Temporal dev server started once in global setup, plus the stand-ins).
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
  ],
};
const common = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/support/driver-env.ts'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'emulators',
      testMatch: ['<rootDir>/test/emulators/**/*.test.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/support/slow-tests.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
      setupFilesAfterEnv: [
        '<rootDir>/test/support/slow-tests.ts',
        '<rootDir>/test/support/quiet-temporal-logs.ts',
      ],
    },
  ],
};
