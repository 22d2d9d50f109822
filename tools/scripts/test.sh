#!/usr/bin/env bash
# `npm test`: the whole suite. Installs what is missing, starts the dev services, then runs format
# and lint checks, typecheck, unit tests, builds, integration tests and end-to-end tests against
# the real Kafka, Postgres, Elasticsearch and RabbitMQ. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false KAFKAJS_NO_PARTITIONER_WARNING=1 FORCE_COLOR=0

log=$(mktemp -t event-hub-test.XXXXXX)
trap 'rm -f "$log"' EXIT

step() { echo; echo "━━ $*"; }
# Runs a step, keeping its output for the summary line.
run() { "$@" 2>&1 | tee -a "$log"; }

step "dependencies"
bash tools/scripts/ensure-deps.sh
step "dev services"
bash tools/dev-services/services.sh up

summary() {
  local passed failed skipped
  passed=$(grep -Eo 'Tests: .*' "$log" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  failed=$(grep -Eo 'Tests: .*' "$log" | grep -Eo '[0-9]+ failed' | awk '{s+=$1} END {print s+0}')
  skipped=$(grep -Eo 'Tests: .*' "$log" | grep -Eo '[0-9]+ skipped' | awk '{s+=$1} END {print s+0}')
  echo
  echo "npm test: ${passed} passed, ${failed} failed, ${skipped} skipped"
}
trap 'summary; rm -f "$log"' EXIT

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
