#!/usr/bin/env bash
# `npm start`: the whole platform locally, without Docker. Installs what is missing, starts the dev
# services (they keep running and keep their data after Ctrl-C), builds the three apps and runs
# them. Each app applies its database migrations at start.
set -euo pipefail
cd "$(dirname "$0")/../.."
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

pids=()
stop_apps() {
  trap - INT TERM EXIT
  echo "› stopping apps (dev services keep running: npm run services -- down)"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop_apps INT TERM EXIT

for app in gateway processor monitor; do
  node --enable-source-maps "dist/apps/$app/main.js" &
  pids+=($!)
done

wait_healthy() {
  local name=$1 url=$2
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$url"; then
      echo "› $name healthy"
      return 0
    fi
    sleep 1
  done
  echo "› $name did not become healthy: curl $url" >&2
  return 1
}
wait_healthy gateway "http://127.0.0.1:${GATEWAY_PORT}/health"
wait_healthy processor "http://127.0.0.1:${PROCESSOR_PORT}/health"
wait_healthy monitor "http://127.0.0.1:${MONITOR_PORT}/health"

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

  Event Hub is running (Ctrl-C stops the apps)
    Swagger UI      http://127.0.0.1:${GATEWAY_PORT}/docs
    Demo client     $demo_client (client id and secret for Authorize / POST /oauth/token)
    Gateway         http://127.0.0.1:${GATEWAY_PORT}/health
    Processor       http://127.0.0.1:${PROCESSOR_PORT}/health
    Monitor         http://127.0.0.1:${MONITOR_PORT}/health   (log search: /logs, docs: /docs)
    Metrics         /metrics on each of the three ports
    Kafka           ${KAFKA_BROKERS}
    Elasticsearch   ${ELASTICSEARCH_URL}

URLS

# If any app exits, stop the others too.
wait -n "${pids[@]}"
