/** Unit tests: no running services. */
module.exports = {
  displayName: 'observability',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
