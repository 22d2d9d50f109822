// Shared Jest setup: SWC transpiles TypeScript (type checking is the `typecheck` target's job),
// keeping decorator metadata so NestJS dependency injection works in tests.
const { pathsToModuleNameMapper } = require('./tools/jest/paths');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(),
  setupFiles: ['reflect-metadata', require.resolve('./tools/jest/load-env.js')],
  clearMocks: true,
};
