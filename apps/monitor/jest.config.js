/** Unit tests: no running services. */
module.exports = {
  displayName: 'monitor',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
