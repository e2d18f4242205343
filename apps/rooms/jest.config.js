module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'rooms',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
