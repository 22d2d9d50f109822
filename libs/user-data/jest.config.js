/** Unit tests: no running services. */
module.exports = {
  displayName: 'user-data',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
