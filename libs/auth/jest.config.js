/** Unit tests: no running services. */
module.exports = {
  displayName: 'auth',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
