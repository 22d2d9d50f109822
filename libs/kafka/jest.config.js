/** Unit tests: no running services. */
module.exports = {
  displayName: 'kafka',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
