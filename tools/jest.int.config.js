/** Integration specs of the dev services: real engines. */
module.exports = {
  displayName: 'tools:integration',
  preset: '../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.int-spec.ts'],
  testTimeout: 120000,
};
