#!/usr/bin/env bash
# `npm start`: the whole platform locally, without Docker. Installs what is missing, starts the dev
# services (they keep running and keep their data after Ctrl-C), builds the three apps and runs
# them under tools/scripts/supervise.ts: an app that exits is restarted with backoff and a `›` line,
# the others keep running. Ctrl-C or SIGTERM (to npm or to this script) stops every app. Each app
# applies its database migrations at start.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Node 24 first on PATH for every step and process below (installed once if the machine's is older).
# shellcheck source=tools/scripts/node-runtime.sh
source tools/scripts/node-runtime.sh
export NX_DAEMON=false NX_NO_CLOUD=true KAFKAJS_NO_PARTITIONER_WARNING=1

bash tools/scripts/ensure-deps.sh
bash tools/dev-services/services.sh up
npx nx run-many -t build -p gateway processor monitor --output-style=static

set -a
# shellcheck disable=SC1091
source .env
set +a

# The token signing key, once per checkout: replacing it would invalidate every issued token.
if [[ ! -f "$AUTH_JWT_PRIVATE_KEY_FILE" ]]; then
  npm run -s admin -- generate-key "$AUTH_JWT_PRIVATE_KEY_FILE"
fi

supervisor=''
stop_apps() {
  trap - INT TERM EXIT
  if [[ -n $supervisor ]]; then
    echo "› stopping apps (dev services keep running: npm run services -- down)"
    kill -TERM "$supervisor" 2>/dev/null || true
    wait "$supervisor" 2>/dev/null || true
  fi
}
trap stop_apps INT TERM EXIT

# npm forwards SIGTERM to its `sh -c`, which dies without passing it on: under npm, the supervisor
# also stops the apps when that process (this script's parent) is gone.
SUPERVISOR_WATCH_PID=${npm_lifecycle_event:+$PPID} SWC_NODE_PROJECT=tools/tsconfig.json \
  node -r @swc-node/register tools/scripts/supervise.ts \
  gateway=dist/apps/gateway/main.js processor=dist/apps/processor/main.js \
  monitor=dist/apps/monitor/main.js &
supervisor=$!

wait_ready() {
  local name=$1 url=$2
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$url"; then
      echo "› $name ready"
      return 0
    fi
    sleep 1
  done
  echo "› $name did not become ready: curl $url" >&2
  return 1
}
wait_ready gateway "http://127.0.0.1:${GATEWAY_PORT}/health/ready"
wait_ready processor "http://127.0.0.1:${PROCESSOR_PORT}/health/ready"
wait_ready monitor "http://127.0.0.1:${MONITOR_PORT}/health/ready"

# A demo tenant with a client holding every tenant scope, so Swagger's Authorize works at once.
# Created once (the gateway has migrated by now); the secret is shown only in this file.
demo_client=.dev-services/auth/demo-client.json
if [[ ! -f "$demo_client" ]]; then
  npm run -s admin -- create-tenant demo --name "Demo tenant" >/dev/null 2>&1 || true
  (umask 077 && npm run -s admin -- create-client demo --name demo --json \
    --scopes "events:produce,events:consume,topics:admin,schemas:write,billing:read,logs:read" \
    >"$demo_client.tmp") && mv "$demo_client.tmp" "$demo_client"
fi

cat <<URLS

  Event Hub is running (a crashed app is restarted; Ctrl-C stops the apps)
    Swagger UI      http://127.0.0.1:${GATEWAY_PORT}/docs
    Demo client     $demo_client (client id and secret for Authorize / POST /oauth/token)
    Gateway         http://127.0.0.1:${GATEWAY_PORT}/health
    Processor       http://127.0.0.1:${PROCESSOR_PORT}/health
    Monitor         http://127.0.0.1:${MONITOR_PORT}/health   (log search: /logs, docs: /docs)
    Health          /health (report), /health/ready, /health/live on each of the three ports
    Metrics         /metrics on each of the three ports
    Kafka           ${KAFKA_BROKERS}
    Elasticsearch   ${ELASTICSEARCH_URL}

URLS

# Until Ctrl-C or SIGTERM: the supervisor restarts a crashed app and keeps the others running.
wait "$supervisor"
