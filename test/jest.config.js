// Integration and end-to-end tests: real PostgreSQL, NATS and HTTP servers.
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'integration',
  rootDir: __dirname,
  testMatch: [
    '<rootDir>/integration/**/*.spec.ts',
    '<rootDir>/e2e/**/*.spec.ts',
    '<rootDir>/deploy/**/*.spec.ts',
  ],
  testTimeout: 30000,
};
