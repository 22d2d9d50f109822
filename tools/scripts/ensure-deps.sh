#!/usr/bin/env bash
# Installs the npm dependencies from the lockfile when they are missing or older than it.
#
# `npm install` rather than `npm ci`: the lockfile can only record the optional platform builds
# (@swc/core-*, sass-embedded-*) that the registry mirror used to write it serves, and `npm ci`
# refuses a lockfile without the others. `npm install` still installs the locked versions.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "› installing npm dependencies (npm install, locked versions)"
  npm install --no-audit --no-fund
fi
