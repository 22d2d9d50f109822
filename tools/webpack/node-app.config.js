const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * Webpack config of a NestJS app: bundles our code and libs into dist/apps/<name>/main.js and
 * leaves node_modules external. Type checking is the `typecheck` target's job, not the build's.
 * `assets`: files copied as they are next to main.js (Nx asset globs, paths from the repo root).
 */
module.exports = function nodeAppConfig(name, assets = []) {
  return {
    output: { path: join(__dirname, '../../dist/apps', name) },
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        optimization: false,
        outputHashing: 'none',
        sourceMap: true,
        generatePackageJson: false,
        skipTypeChecking: true,
        assets,
      }),
    ],
  };
};
