module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'auth-client',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
