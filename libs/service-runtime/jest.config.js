/** Unit tests: no running services. */
module.exports = {
  displayName: 'service-runtime',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
