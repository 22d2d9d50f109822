#!/usr/bin/env bash
# `npm test`: the whole suite. Installs what is missing, starts the dev services, then runs format
# and lint checks, typecheck, unit tests, builds, integration tests and end-to-end tests against
# the real Kafka, Postgres, Elasticsearch and RabbitMQ. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Node 24 first on PATH for every step and process below (installed once if the machine's is older).
# shellcheck source=tools/scripts/node-runtime.sh
source tools/scripts/node-runtime.sh
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false KAFKAJS_NO_PARTITIONER_WARNING=1 FORCE_COLOR=0

log=$(mktemp -t event-hub-test.XXXXXX)
trap 'rm -f "$log"' EXIT

step() { echo; echo "━━ $*"; }
# Runs a step, keeping its output for the summary line.
run() { "$@" 2>&1 | tee -a "$log"; }

# What the tracked files differ from HEAD by, before and after the run: installing, building and
# testing must never rewrite a tracked file (the lockfile above all).
tracked_changes() { git diff HEAD --binary 2>/dev/null | sha1sum; }
tracked_before=$(tracked_changes)

step "dependencies"
echo "node $(node -v) ($(command -v node))"
bash tools/scripts/ensure-deps.sh
# promtool, for the alert rule checks of tools/observability (Debian's prometheus package).
echo "promtool: $(bash tools/scripts/ensure-promtool.sh)"
# The headless browser of the platform page's end-to-end test (apt, once).
bash tools/scripts/ensure-chromium.sh
step "dev services"
bash tools/dev-services/services.sh up

# One plain closing line summed over every Jest run (the counts never change the exit code), after
# failing the run if it changed a tracked file.
summary() {
  local status=$? counts
  if [[ "$(tracked_changes)" != "$tracked_before" ]]; then
    echo "npm test changed tracked files (git diff HEAD --stat):"
    git diff HEAD --stat
    status=1
  fi
  counts=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^Tests: ' || true)
  total() { grep -Eo "[0-9]+ $1" <<<"$counts" | awk '{s+=$1} END {print s+0}'; }
  echo
  # The failed tests' names last, beside the counts: a CI report that keeps only the end of the
  # output still says which test failed.
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *● .+ › ' | sed 's/^ *//' | sort -u | head -20 |
    sed 's/^/failed: /' || true
  echo "npm test: $(total passed) passed, $(total failed) failed, $(total skipped) skipped"
  rm -f "$log"
  exit "$status"
}
trap summary EXIT

step "format"
run npx prettier --check .
step "lint, typecheck, unit tests"
run npx nx run-many -t lint typecheck test --parallel=2 --output-style=static
step "build"
run npx nx run-many -t build --output-style=static
step "integration tests (real services)"
run npx nx run-many -t integration --parallel=1 --output-style=static
step "end-to-end tests (built apps as processes)"
run npx nx run-many -t e2e --parallel=1 --output-style=static
