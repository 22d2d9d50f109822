/** Unit tests: no running services. */
module.exports = {
  displayName: 'persistence',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
