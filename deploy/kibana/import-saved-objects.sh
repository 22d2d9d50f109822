#!/bin/sh
# One-shot: imports deploy/kibana/saved-objects.ndjson into Kibana.
# overwrite=true keeps it idempotent, so every `docker compose up` re-applies
# the file; add saved searches and dashboards as further lines of the ndjson.
set -eu

KIBANA_URL="${KIBANA_URL:-http://kibana:5601}"
SAVED_OBJECTS="${SAVED_OBJECTS:-/deploy/kibana/saved-objects.ndjson}"
# With Elasticsearch security on, Kibana's API needs a user (compose: elastic).
AUTH=""
if [ -n "${KIBANA_PASSWORD_FILE:-}" ]; then
  AUTH="${KIBANA_USERNAME:-elastic}:$(cat "$KIBANA_PASSWORD_FILE")"
fi

# Kibana can report healthy a moment before its saved-objects API accepts
# imports, so retry for a while instead of failing the first time.
attempt=1
while :; do
  # No --fail: old curl builds lack --fail-with-body, and the body is what we check.
  if response=$(curl -sS -X POST ${AUTH:+-u "$AUTH"} \
      "$KIBANA_URL/api/saved_objects/_import?overwrite=true" \
      -H 'kbn-xsrf: event-hub' \
      --form "file=@$SAVED_OBJECTS"); then
    # The API answers 200 even when single objects fail: check the flag.
    case "$response" in
      *'"success":true'*) echo "imported $SAVED_OBJECTS: $response"; exit 0 ;;
    esac
  fi
  echo "import attempt $attempt failed: ${response:-no response}" >&2
  if [ "$attempt" -ge 30 ]; then
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 5
done
