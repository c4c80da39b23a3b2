/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // Starts one moto server (the real S3 API over HTTP) for the whole run; stopped by pid.
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  // Synthesizing stacks and talking to the emulator are slow on 2 cores; this is a hang guard, not a performance assertion.
  testTimeout: 120000,
  maxWorkers: 2,
};
