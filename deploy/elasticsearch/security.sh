#!/bin/sh
# Elasticsearch security for the compose stack, in two one-shot steps:
#   generate  before Elasticsearch starts: a random password per user, written
#             once into $CREDENTIALS_DIR (a volume); existing ones are kept.
#   apply     once Elasticsearch is healthy: sets kibana_system's password and
#             creates the monitor's role and user (idempotent, re-run on every up).
# The elastic superuser's password reaches Elasticsearch through
# ELASTIC_PASSWORD_FILE on its first start.
set -eu

CREDENTIALS_DIR="${CREDENTIALS_DIR:-/run/es-credentials}"
# The monitor's password lives on a volume of its own, so the monitor never sees the others.
MONITOR_CREDENTIALS_DIR="${MONITOR_CREDENTIALS_DIR:-$CREDENTIALS_DIR}"
# Elasticsearch, Kibana and the apps' images all run as uid 1000.
CREDENTIALS_OWNER="${CREDENTIALS_OWNER:-1000:1000}"
ELASTICSEARCH_URL="${ELASTICSEARCH_URL:-http://elasticsearch:9200}"
MONITOR_USER="${MONITOR_USER:-event_hub_monitor}"
MONITOR_INDEX_PATTERN="${MONITOR_INDEX_PATTERN:-event-hub-logs-*}"

password_file() {
  if [ "$1" = "$MONITOR_USER" ]; then echo "$MONITOR_CREDENTIALS_DIR/$1"; else echo "$CREDENTIALS_DIR/$1"; fi
}

generate() {
  umask 077
  for user in elastic kibana_system "$MONITOR_USER"; do
    file=$(password_file "$user")
    if [ ! -s "$file" ]; then
      # Letters and digits only: safe inside JSON and shell words without quoting games.
      tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 >"$file"
      echo "generated a password for $user"
    fi
    if [ "$(id -u)" = 0 ]; then chown "$CREDENTIALS_OWNER" "$file"; fi
  done
}

# PUT/POST a JSON body as elastic; retried while Elasticsearch settles after start.
call() {
  method=$1 path=$2 body=$3 attempt=1
  while :; do
    if curl -fsS -X "$method" -u "elastic:$(cat "$CREDENTIALS_DIR/elastic")" \
        -H 'Content-Type: application/json' "$ELASTICSEARCH_URL$path" -d "$body" >/dev/null; then
      return 0
    fi
    if [ "$attempt" -ge 30 ]; then
      echo "$method $path failed" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep 5
  done
}

apply() {
  call POST /_security/user/kibana_system/_password \
    "{\"password\":\"$(cat "$CREDENTIALS_DIR/kibana_system")\"}"
  # What the monitor does and nothing more: cluster health, its index template, and
  # create/read/mapping updates on its own indices.
  call PUT /_security/role/event_hub_monitor "{
    \"cluster\": [\"monitor\", \"manage_index_templates\"],
    \"indices\": [{
      \"names\": [\"$MONITOR_INDEX_PATTERN\"],
      \"privileges\": [\"create_index\", \"create_doc\", \"read\", \"view_index_metadata\", \"manage\"]
    }]
  }"
  call PUT "/_security/user/$MONITOR_USER" "{
    \"password\": \"$(cat "$(password_file "$MONITOR_USER")")\",
    \"roles\": [\"event_hub_monitor\"]
  }"
  echo "kibana_system and $MONITOR_USER are set up"
}

case "${1:-}" in
  generate) generate ;;
  apply) apply ;;
  *) echo "usage: $0 generate|apply" >&2; exit 2 ;;
esac
