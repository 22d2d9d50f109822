#!/usr/bin/env bash
# `npm start`: the whole platform locally, without Docker. Installs what is missing, starts the dev
# services (they keep running and keep their data after Ctrl-C), builds the three apps and runs
# them under tools/scripts/supervise.ts: an app that exits is restarted with backoff and a `›` line,
# the others keep running. Ctrl-C or SIGTERM (to npm or to this script) stops every app. Each app
# applies its database migrations at start. Ends with what to run next and how long the start took.
set -euo pipefail
started_at=$SECONDS
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true KAFKAJS_NO_PARTITIONER_WARNING=1

# .env gives the defaults; a variable set in the environment wins (as in services.sh), so
# `GATEWAY_PORT=9000 npm start` works.
environment=$(export -p | grep -v '^declare -[a-zA-Z]*r')   # readonly ones cannot be re-set
set -a
# shellcheck disable=SC1091
source .env
set +a
eval "$environment"

# The dev services need no npm package: on a first start their engines download (Maven) and they
# boot while Node and the npm dependencies install and the apps build; they are awaited before the
# apps start.
bash tools/dev-services/services.sh up &
services=$!

# Node 24 first on PATH for every step and process below (installed once if the machine's is older).
# shellcheck source=tools/scripts/node-runtime.sh
source tools/scripts/node-runtime.sh
bash tools/scripts/ensure-deps.sh

# The token signing key, once per checkout (replacing it would invalidate every issued token),
# made while the apps build.
key=''
if [[ ! -f "$AUTH_JWT_PRIVATE_KEY_FILE" ]]; then
  npm run -s admin -- generate-key "$AUTH_JWT_PRIVATE_KEY_FILE" &
  key=$!
fi
npx nx run-many -t build -p gateway processor monitor --output-style=static
[[ -z $key ]] || wait "$key"
wait "$services" || { echo "› the dev services did not start (see above)" >&2; exit 1; }

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
  for _ in $(seq 1 240); do
    if curl -fs -o /dev/null "$url"; then
      echo "› $name ready"
      return 0
    fi
    sleep 0.5
  done
  echo "› $name did not become ready: curl $url" >&2
  return 1
}
wait_ready gateway "http://127.0.0.1:${GATEWAY_PORT}/health/ready"

# A demo tenant with a client holding every tenant scope, so Swagger's Authorize works at once.
# Created once, as soon as the gateway has migrated, while the other apps get ready; the secret is
# shown only in this file, kept beside the signing key (.dev-services/auth/ by default).
demo_client=$(dirname "$AUTH_JWT_PRIVATE_KEY_FILE")/demo-client.json
demo=''
if [[ ! -f "$demo_client" ]]; then
  (
    npm run -s admin -- create-tenant demo --name "Demo tenant" >/dev/null 2>&1 || true
    umask 077
    npm run -s admin -- create-client demo --name demo --json \
      --scopes "events:produce,events:consume,topics:admin,schemas:write,billing:read,logs:read" \
      >"$demo_client.tmp" && mv "$demo_client.tmp" "$demo_client"
  ) &
  demo=$!
fi
wait_ready processor "http://127.0.0.1:${PROCESSOR_PORT}/health/ready"
wait_ready monitor "http://127.0.0.1:${MONITOR_PORT}/health/ready"
[[ -z $demo ]] || wait "$demo" || echo "› could not create the demo client ($demo_client)" >&2

gateway=http://127.0.0.1:${GATEWAY_PORT}
cat <<URLS

  Event Hub is running (a crashed app is restarted; Ctrl-C stops the apps)
    Swagger UI      $gateway/docs
    Demo client     $demo_client (client id and secret for Authorize / POST /oauth/token)
    Gateway         $gateway/health
    Processor       http://127.0.0.1:${PROCESSOR_PORT}/health
    Monitor         http://127.0.0.1:${MONITOR_PORT}/health   (log search: /logs, docs: /docs)
    Health          /health (report), /health/ready, /health/live on each of the three ports
    Metrics         /metrics on each of the three ports
    Kafka           ${KAFKA_BROKERS}
    Elasticsearch   ${ELASTICSEARCH_URL}

URLS
# What a reader runs next, in this order: a token for the demo client, a first command with it, and
# the API documentation. Quoted heredoc: $TOKEN and $(...) are for the reader's shell.
[[ $demo_client == /* ]] || demo_client=./$demo_client
sed -e "s|@GATEWAY@|$gateway|g" -e "s|@DEMO_CLIENT@|$demo_client|g" <<'NEXT'
  Next:
    TOKEN=$(curl -s -u "$(node -p "const c = require('@DEMO_CLIENT@'); c.clientId + ':' + c.clientSecret")" -d grant_type=client_credentials @GATEWAY@/oauth/token | node -p "JSON.parse(require('fs').readFileSync(0)).access_token")
    curl -i -X POST @GATEWAY@/users -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"name":"Ana Souza","email":"ana@example.com","document":"529.982.247-25"}'
    Swagger UI: @GATEWAY@/docs (Authorize with the demo client)
NEXT
echo
echo "  Started in $((SECONDS - started_at)) s"
echo

# Until Ctrl-C or SIGTERM: the supervisor restarts a crashed app and keeps the others running.
wait "$supervisor"
