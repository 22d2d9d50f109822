/** Integration tests: talk to the real Kafka, Postgres and Elasticsearch. */
const preset = require('../../jest.preset.js');

module.exports = {
  displayName: 'gateway:integration',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.int-spec.ts'],
  testTimeout: 120000,
  // Swagger UI serves its assets with @fastify/static, whose content-disposition dependency is ESM
  // only; Node loads it natively, Jest needs it compiled to CommonJS.
  transform: {
    ...preset.transform,
    '/content-disposition/.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@fastify/static/node_modules/)?content-disposition/)',
  ],
};
