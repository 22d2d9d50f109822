/** Unit tests: no running services. */
module.exports = {
  displayName: 'processor',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
