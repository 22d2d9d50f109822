const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

// Bundles our code and libs into dist/apps/monitor/main.js; node_modules stay external.
module.exports = {
  output: { path: join(__dirname, '../../dist/apps/monitor') },
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
    }),
  ],
};
