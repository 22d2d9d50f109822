/** Unit tests: no running services. */
module.exports = {
  displayName: 'rabbitmq',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
