/** Unit tests: no running services. */
module.exports = {
  displayName: 'pix-data',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
