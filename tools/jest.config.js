/** Specs of the repository's own tooling (compose file validation, bench helpers). */
module.exports = {
  displayName: 'tools',
  preset: '../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.int-spec\\.ts$'],
};
