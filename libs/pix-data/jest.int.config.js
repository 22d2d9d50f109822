/** Integration tests: talk to the real Kafka, Postgres and Elasticsearch. */
module.exports = {
  displayName: 'pix-data:integration',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.int-spec.ts'],
  testTimeout: 120000,
};
