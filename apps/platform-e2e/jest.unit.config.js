/** Unit tests of the e2e suite's own helpers (no apps, no services). */
module.exports = {
  displayName: 'platform-e2e-unit',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
