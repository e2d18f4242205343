// Shared Jest settings: TypeScript through ts-jest (transpile only, tsc does the
// type checking in `build`), and @confer/* resolved to library sources so a
// spec never depends on a stale dist/.
const path = require('path');

const libs = [
  'contracts',
  'bus',
  'database',
  'telemetry',
  'http',
  'auth-client',
  'config',
  'outbox',
  'outbound',
];
const moduleNameMapper = Object.fromEntries(
  libs.map((name) => [`^@confer/${name}$`, path.join(__dirname, 'libs', name, 'src', 'index.ts')]),
);
moduleNameMapper['^@confer/bus/testing$'] = path.join(__dirname, 'libs', 'bus', 'src', 'testing', 'index.ts');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json'), diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  setupFiles: [path.join(__dirname, 'test', 'setup-reflect.js')],
  reporters: ['default', path.join(__dirname, 'test', 'support', 'summary-reporter.js')],
};
