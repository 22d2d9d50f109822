// Maps the `@event-hub/*` path aliases of tsconfig.base.json to source files, so tests run against
// the libraries' TypeScript directly and the alias list is spelled once.
const { join } = require('path');
const { compilerOptions } = require('../../tsconfig.base.json');

function pathsToModuleNameMapper() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
    mapper[`^${alias}$`] = join(__dirname, '../..', target);
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
