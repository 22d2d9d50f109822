// The platform page's files (GET /) are served from dist/apps/gateway/platform-page/.
module.exports = require('../../tools/webpack/node-app.config')('gateway', [
  { input: 'apps/gateway/src/platform-page/assets', glob: '*', output: 'platform-page' },
]);
