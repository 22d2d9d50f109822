#!/usr/bin/env bash
# Installs the npm dependencies from the lockfile when they are missing or older than it, with the
# supported Node (tools/scripts/node-runtime.sh, installed first when the machine's is older).
#
# `npm ci`, never `npm install`: it installs exactly what package-lock.json records and never
# rewrites it, so starting or testing a fresh clone leaves every tracked file as committed. The
# lockfile records the optional platform builds of every OS (@swc/core-*, sass-embedded-*);
# package.json pins sass-embedded (overrides) to a release whose platform builds are all
# published, since `npm ci` refuses a lockfile that lacks one of them.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=tools/scripts/node-runtime.sh
source tools/scripts/node-runtime.sh

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "› installing npm dependencies (npm ci, from the lockfile)"
  npm ci --no-audit --no-fund
fi
