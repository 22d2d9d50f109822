#!/usr/bin/env bash
# Local dev services for Event Hub, without Docker:
#   Kafka 3.9.1 (single-node KRaft), Elasticsearch 8.19.7, and Postgres and RabbitMQ when none answers.
#
#   tools/dev-services/services.sh up|start   [service...]   start (idempotent) and wait until really ready
#   tools/dev-services/services.sh down|stop  [service...]   graceful stop of what this script started
#   tools/dev-services/services.sh restart    [service...]   down, then up
#   tools/dev-services/services.sh status                    one line per service
#   tools/dev-services/services.sh reset      [service...]   down, then delete data/config/logs (engines kept)
#
# Services: kafka, elasticsearch (es), postgres (pg), rabbitmq (rabbit). Default: all four.
# Everything downloaded or written lives under <repo>/.dev-services/ (git-ignored); Maven keeps its
# usual download cache in ~/.m2.
set -euo pipefail

# ---------------------------------------------------------------------------------------------
# Layout. The repo root is derived from this file's location, so any cwd and any clone path work.
# ---------------------------------------------------------------------------------------------
SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd -P)
# Resolved when it is a symlink (a git worktree sharing another checkout's services): the
# processes are recognised by the real path on their command lines.
DEV_HOME=$(cd -- "$REPO_ROOT/.dev-services" 2>/dev/null && pwd -P) || DEV_HOME=$REPO_ROOT/.dev-services
ENGINES_DIR=$DEV_HOME/engines
DATA_DIR=$DEV_HOME/data
LOG_DIR=$DEV_HOME/logs
RUN_DIR=$DEV_HOME/run
CONF_DIR=$DEV_HOME/conf
TMP_DIR=$DEV_HOME/tmp

ALL_SERVICES=(kafka elasticsearch postgres rabbitmq)
# Elasticsearch and Postgres refuse to run as root; when we are root they run as this system user.
SERVICE_USER=eventhub

KAFKA_VERSION=3.9.1
KAFKA_HOME=$ENGINES_DIR/kafka-$KAFKA_VERSION
KAFKA_LIBS=$KAFKA_HOME/libs
KAFKA_HOST=127.0.0.1
KAFKA_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_START_TIMEOUT=${DEV_KAFKA_START_TIMEOUT:-90}   # seconds; env override for slow machines
KAFKA_STOP_TIMEOUT=60
KAFKA_CONF=$CONF_DIR/kafka
KAFKA_DATA=$DATA_DIR/kafka
KAFKA_LOGS=$LOG_DIR/kafka
KAFKA_PIDFILE=$RUN_DIR/kafka.pid
KAFKA_MAIN=kafka.Kafka

ES_VERSION=8.19.7
ES_HOME=$ENGINES_DIR/elasticsearch-$ES_VERSION
ES_HOST=127.0.0.1
ES_PORT=9200
ES_START_TIMEOUT=${DEV_ELASTICSEARCH_START_TIMEOUT:-180}
ES_STOP_TIMEOUT=60
ES_CONF=$CONF_DIR/elasticsearch
ES_DATA=$DATA_DIR/elasticsearch
ES_LOGS=$LOG_DIR/elasticsearch
ES_TMP=$TMP_DIR/elasticsearch
ES_RUN=$RUN_DIR/elasticsearch   # owned by the ES user, because ES writes its own pid file
ES_PIDFILE=$ES_RUN/elasticsearch.pid
ES_MAIN=org.elasticsearch.bootstrap.Elasticsearch
ES_CLI_MAIN=-Dcli.name=server   # the launcher JVM that starts the server JVM (seconds before it exists)

PG_DATA=$DATA_DIR/postgres
PG_LOGS=$LOG_DIR/postgres
PG_RUN=$RUN_DIR/postgres        # unix socket dir: the system one (/run/postgresql) is not ours to write
PG_START_TIMEOUT=60
PG_STOP_TIMEOUT=30
PG_MAIN='postgres -D'           # how the postmaster's command line starts (pg_ctl's does not match)

RMQ_START_TIMEOUT=${DEV_RABBITMQ_START_TIMEOUT:-60}
RMQ_STOP_TIMEOUT=60
RMQ_USER=rabbitmq                # Debian's package runs its nodes as this user

# Kafka runs on $JAVA_HOME/bin/java when JAVA_HOME is set, else on `java` from PATH.
JAVA_BIN=${JAVA_HOME:+$JAVA_HOME/bin/}java

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------
# Progress goes to stderr; stdout carries only the one-line-per-service results.
log() { printf '%s\n' "$*" >&2; }
die() { printf 'services.sh: error: %s\n' "$*" >&2; exit 1; }
require_cmd() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found: $2"; }
is_root() { [[ $EUID -eq 0 ]]; }

usage() {
  sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# Last lines of a log file, indented, for error messages.
log_tail() {
  [[ -f $1 ]] || return 0
  tail -n "${2:-15}" -- "$1" | sed 's/^/    | /'
}

# TCP connect test with a 1 s bound (bash's /dev/tcp: no nc/curl needed).
port_open() { timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null; }

# Who listens on a port, for "port already in use" messages (ss is optional).
port_owner() { ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:.*' | head -n1 || true; }

# ---------------------------------------------------------------------------------------------
# Configuration: <repo>/.env provides defaults, real environment variables win.
# ---------------------------------------------------------------------------------------------
load_dotenv() {
  local file=$REPO_ROOT/.env line key value
  [[ -f $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    [[ $line =~ ^[[:space:]]*(export[[:space:]]+)?([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*=(.*)$ ]] || continue
    key=${BASH_REMATCH[2]} value=${BASH_REMATCH[3]}
    case $key in DEV_KAFKA_HEAP | DEV_ELASTICSEARCH_HEAP | DATABASE_URL | RABBITMQ_URL) ;; *) continue ;; esac
    printenv "$key" >/dev/null && continue   # set in the real environment: keep it
    printf -v "$key" '%s' "$(dotenv_value "$value")"
  done <"$file"
}

# dotenv-style value: trim, unquote "..." / '...', drop a trailing " # comment" on bare values.
dotenv_value() {
  local v=$1
  v=${v#"${v%%[![:space:]]*}"}
  if [[ $v =~ ^\"([^\"]*)\"[[:space:]]*(#.*)?$ || $v =~ ^\'([^\']*)\'[[:space:]]*(#.*)?$ ]]; then
    printf '%s' "${BASH_REMATCH[1]}"
    return
  fi
  v=${v%%[[:space:]]#*}
  printf '%s' "${v%"${v##*[![:space:]]}"}"
}

load_config() {
  load_dotenv
  DEV_KAFKA_HEAP=${DEV_KAFKA_HEAP:-512m}
  DEV_ELASTICSEARCH_HEAP=${DEV_ELASTICSEARCH_HEAP:-512m}
  DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/event_hub}
  RABBITMQ_URL=${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672}
  local var
  for var in DEV_KAFKA_HEAP DEV_ELASTICSEARCH_HEAP; do
    [[ ${!var} =~ ^[0-9]+[kKmMgG]$ ]] || die "$var='${!var}' is not a JVM heap size such as 512m or 1g"
  done
  parse_database_url
  parse_rabbitmq_url
}

# Splits DATABASE_URL into PG_USER/PG_HOST/PG_PORT/PG_DB (the password is never needed: trust auth).
parse_database_url() {
  local re='^postgres(ql)?://(([^:@/]*)(:[^@/]*)?@)?(\[[^]/]*\]|[^:/?]*)(:([0-9]+))?(/([^?]*))?'
  [[ $DATABASE_URL =~ $re ]] || die "cannot parse DATABASE_URL (expected postgres://user@host:port/db)"
  PG_USER=${BASH_REMATCH[3]:-postgres}
  PG_HOST=${BASH_REMATCH[5]:-127.0.0.1}
  PG_HOST=${PG_HOST#[}
  PG_HOST=${PG_HOST%]}
  PG_PORT=${BASH_REMATCH[7]:-5432}
  PG_DB=${BASH_REMATCH[9]:-$PG_USER}
}

# Splits RABBITMQ_URL into RMQ_SCHEME/RMQ_LOGIN/RMQ_PASSWORD/RMQ_HOST/RMQ_PORT/RMQ_VHOST and names
# the project-local node and its directories after the port, so a node for another port (a test's)
# never shares anything with the default one.
parse_rabbitmq_url() {
  local re='^(amqps?)://(([^:@/]*)(:([^@/]*))?@)?(\[[^]/]*\]|[^:/?]*)(:([0-9]+))?(/([^?]*))?'
  [[ $RABBITMQ_URL =~ $re ]] || die "cannot parse RABBITMQ_URL (expected amqp://user:password@host:port/vhost)"
  RMQ_SCHEME=${BASH_REMATCH[1]}
  RMQ_LOGIN=$(url_decode "${BASH_REMATCH[3]:-guest}")
  RMQ_PASSWORD=$(url_decode "${BASH_REMATCH[5]:-guest}")
  RMQ_HOST=${BASH_REMATCH[6]:-127.0.0.1}
  RMQ_HOST=${RMQ_HOST#[}
  RMQ_HOST=${RMQ_HOST%]}
  [[ $RMQ_SCHEME == amqps ]] && RMQ_PORT=${BASH_REMATCH[8]:-5671} || RMQ_PORT=${BASH_REMATCH[8]:-5672}
  RMQ_VHOST=$(url_decode "${BASH_REMATCH[10]:-/}")   # amqp://h/ and amqp://h both mean vhost "/"
  [[ -n $RMQ_VHOST ]] || RMQ_VHOST=/
  # Erlang distribution port of the node: RabbitMQ's own convention (AMQP port + 20000) unless set.
  RMQ_DIST_PORT=${DEV_RABBITMQ_DIST_PORT:-$((RMQ_PORT + 20000))}
  ((RMQ_PORT <= 65535 && RMQ_DIST_PORT <= 65535)) ||
    die "RabbitMQ port $RMQ_PORT or distribution port $RMQ_DIST_PORT (DEV_RABBITMQ_DIST_PORT) is above 65535"
  RMQ_NODE=eventhub-$RMQ_PORT@localhost
  RMQ_BASE=$DATA_DIR/rabbitmq-$RMQ_PORT
  RMQ_LOGS=$LOG_DIR/rabbitmq-$RMQ_PORT
  RMQ_CONF=$CONF_DIR/rabbitmq-$RMQ_PORT
  RMQ_RUN=$RUN_DIR/rabbitmq-$RMQ_PORT
  RMQ_PIDFILE=$RMQ_RUN/rabbitmq.pid
}

url_decode() { printf '%b' "${1//%/\\x}"; }

# ---------------------------------------------------------------------------------------------
# Running as the unprivileged service user (only when we are root)
# ---------------------------------------------------------------------------------------------
RUN_AS=()   # command prefix that drops to $SERVICE_USER; empty when not root

ensure_service_user() {
  is_root || return 0
  if ! id -u "$SERVICE_USER" >/dev/null 2>&1; then
    require_cmd useradd "cannot create the '$SERVICE_USER' user that runs Elasticsearch/Postgres"
    log "creating system user '$SERVICE_USER' (Elasticsearch and Postgres refuse to run as root)"
    useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
  fi
  require_cmd setpriv "needed to run Elasticsearch/Postgres as '$SERVICE_USER' (package util-linux)"
  RUN_AS=(setpriv "--reuid=$SERVICE_USER" "--regid=$SERVICE_USER" --init-groups --)
}

as_service_user() { "${RUN_AS[@]}" "$@"; }

# Hands ES/PG their own writable dirs. Skips the recursive chown when the top is already theirs,
# so restarts stay fast even with a big data dir.
own_by_service_user() {
  is_root || return 0
  local dir
  for dir in "$@"; do
    [[ $(stat -c %U -- "$dir") == "$SERVICE_USER" ]] || chown -R "$SERVICE_USER:$SERVICE_USER" -- "$dir"
  done
}

# The service user must be able to walk every parent of .dev-services (e.g. a repo under /root
# is not reachable). Names the exact directory that blocks it.
check_reachable_by_service_user() {   # path [user]
  is_root || return 0
  local user=${2:-$SERVICE_USER} path='' part
  local -a parts as_user=(setpriv "--reuid=$user" "--regid=$user" --init-groups --)
  IFS=/ read -ra parts <<<"${1#/}"
  for part in "${parts[@]}"; do
    path+=/$part
    "${as_user[@]}" test -x "$path" && continue
    grant_traversal "$path" "$user" && "${as_user[@]}" test -x "$path" && continue
    die "user '$user' cannot traverse '$path', so it cannot \
reach $1. Elasticsearch/Postgres (and RabbitMQ, as '$RMQ_USER') run as '$SERVICE_USER' when services.sh runs as root; \
make every parent directory traversable (chmod o+x '$path') or clone the repo somewhere world-traversable."
  done
}

# A repo under a private directory (e.g. /root): let only the service user pass through it, with a
# POSIX ACL (search permission, no listing), instead of opening it to everyone.
grant_traversal() {   # path user
  if ! command -v setfacl >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || return 1
    log "installing acl (apt-get) to let '$2' traverse $1"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq acl; } >/dev/null || return 1
  fi
  log "granting '$2' traversal of $1 (setfacl u:$2:x)"
  setfacl -m "u:$2:x" -- "$1"
}

# ---------------------------------------------------------------------------------------------
# Processes. A pid only counts as ours if it is alive AND its command line shows both our
# .dev-services path and the expected program, so stale pid files or reused pids are never killed.
# ---------------------------------------------------------------------------------------------
pid_is_ours() {
  local pid=$1 path_marker=$2 prog_marker=$3 cmd
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
  [[ $cmd == *"$path_marker"* && $cmd == *"$prog_marker"* ]]
}

read_pid() {
  local pid=''
  [[ -r $1 ]] || return 1
  read -r pid <"$1" || true
  [[ $pid =~ ^[0-9]+$ ]] && echo "$pid"
}

# pid from the pid file, else (pid file lost) by scanning command lines for our markers.
find_our_pid() {
  local pidfile=$1 path_marker=$2 prog_marker=$3 pid f
  if pid=$(read_pid "$pidfile") && pid_is_ours "$pid" "$path_marker" "$prog_marker"; then
    echo "$pid"
    return 0
  fi
  for f in $(grep -lzF -- "$path_marker" /proc/[0-9]*/cmdline 2>/dev/null); do
    pid=${f#/proc/}
    pid=${pid%/cmdline}
    if pid_is_ours "$pid" "$path_marker" "$prog_marker"; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

wait_gone() {   # pid path_marker prog_marker seconds
  local deadline=$((SECONDS + $4))
  while pid_is_ours "$1" "$2" "$3"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Graceful stop: SIGTERM, wait up to the grace period, then SIGKILL.
terminate() {   # name pid path_marker prog_marker grace_seconds
  local name=$1 pid=$2 grace=$5
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_gone "$pid" "$3" "$4" "$grace"; then
    log "$name: pid $pid still running ${grace}s after SIGTERM, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_gone "$pid" "$3" "$4" 10 || die "$name: pid $pid survived SIGKILL"
  fi
}

# "-Xms512m -Xmx512m" as the running JVM actually got it (last flag wins in Java, so take the last).
jvm_heap_flags() {
  local cmd xms xmx
  cmd=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/cmdline") || return 0
  xms=$(grep -E '^-Xms[0-9]+[kKmMgG]?$' <<<"$cmd" | tail -n1 || true)
  xmx=$(grep -E '^-Xmx[0-9]+[kKmMgG]?$' <<<"$cmd" | tail -n1 || true)
  echo "${xms:--Xms?} ${xmx:--Xmx?}"
}

rss_mib() { awk '/^VmRSS:/ { printf "%d MiB", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || true; }

# ---------------------------------------------------------------------------------------------
# Maven: fetches the engines once. Its chatter goes to a log, our stdout stays clean.
# ---------------------------------------------------------------------------------------------
run_maven() {
  require_cmd mvn "Maven is needed once to download the engines from Maven Central (apt-get install maven)"
  mkdir -p "$LOG_DIR"
  local mlog=$LOG_DIR/maven.log
  if ! mvn -q -B -Dstyle.color=never -f "$SCRIPT_DIR/pom.xml" -Ddev.services.home="$DEV_HOME" "$@" \
    </dev/null >>"$mlog" 2>&1 9>&-; then
    log_tail "$mlog" 30 >&2
    die "Maven failed ($*); full output in $mlog"
  fi
}

# The engines of the given services that are not downloaded yet, fetched by one Maven run: one JVM
# start and plugin resolution instead of two, and Kafka's jars and Elasticsearch's zip in one go
# (31 s in two runs, 22 s in one, with an empty ~/.m2). Each lands in a staging dir that is renamed
# at the end, so an interrupted download is never taken as complete.
ensure_engines() {
  local s kafka_staging=$KAFKA_HOME/libs.partial es_staging=$ENGINES_DIR/.elasticsearch-unpack
  local -a goals=() props=() names=()
  local fetch_kafka='' fetch_es=''
  for s in "$@"; do
    case $s in
      kafka)
        [[ -d $KAFKA_LIBS ]] && continue
        rm -rf -- "$kafka_staging"
        mkdir -p "$KAFKA_HOME"
        goals+=(dependency:copy-dependencies@kafka-libs)
        props+=(-Dkafka.libs.dir="$kafka_staging")
        names+=("Kafka $KAFKA_VERSION jars")
        fetch_kafka=1 ;;
      elasticsearch)
        [[ -x $ES_HOME/bin/elasticsearch ]] && continue
        rm -rf -- "$es_staging"
        mkdir -p "$ENGINES_DIR"
        goals+=(dependency:unpack@elasticsearch-dist)
        props+=(-Des.unpack.dir="$es_staging")
        names+=("the Elasticsearch $ES_VERSION distribution")
        fetch_es=1 ;;
    esac
  done
  ((${#goals[@]} > 0)) || return 0
  log "first run: downloading ${names[0]}${names[1]:+ and ${names[1]}} from Maven Central..."
  run_maven "${goals[@]}" "${props[@]}"
  if [[ -n $fetch_kafka ]]; then
    mv -- "$kafka_staging" "$KAFKA_LIBS"
  fi
  if [[ -n $fetch_es ]]; then
    [[ -x $es_staging/elasticsearch-$ES_VERSION/bin/elasticsearch ]] ||
      die "elasticsearch: the unpacked distribution has no executable bin/elasticsearch"
    rm -rf -- "$ES_HOME"
    mv -- "$es_staging/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf -- "$es_staging"
  fi
}

# =============================================================================================
# Kafka
# =============================================================================================
ensure_kafka_engine() { ensure_engines kafka; }

# Rewritten on every start (cheap, and config changes in this script then take effect).
write_kafka_config() {
  mkdir -p "$KAFKA_CONF" "$KAFKA_DATA" "$KAFKA_LOGS" "$RUN_DIR"
  cat >"$KAFKA_CONF/server.properties" <<EOF
# Generated by tools/dev-services/services.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA/log

# Single node: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
# Consumers join immediately instead of waiting 3 s for more group members (faster tests).
group.initial.rebalance.delay.ms=0
# Topics are created explicitly by the services/tests, never by a typo in a producer.
auto.create.topics.enable=false
num.partitions=3
EOF

  # Broker logging (reload4j, like the stock distribution) into .dev-services/logs/kafka.
  cat >"$KAFKA_CONF/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, server
log4j.appender.server=org.apache.log4j.RollingFileAppender
log4j.appender.server.File=${kafka.logs.dir}/server.log
log4j.appender.server.MaxFileSize=20MB
log4j.appender.server.MaxBackupIndex=5
log4j.appender.server.layout=org.apache.log4j.PatternLayout
log4j.appender.server.layout.ConversionPattern=[%d] %p %m (%c)%n

log4j.appender.stateChange=org.apache.log4j.RollingFileAppender
log4j.appender.stateChange.File=${kafka.logs.dir}/state-change.log
log4j.appender.stateChange.MaxFileSize=20MB
log4j.appender.stateChange.MaxBackupIndex=2
log4j.appender.stateChange.layout=org.apache.log4j.PatternLayout
log4j.appender.stateChange.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.state.change.logger=INFO, stateChange
log4j.additivity.state.change.logger=false

log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka=INFO
EOF

  # Command-line tools (StorageTool etc.): warnings only, on stderr.
  cat >"$KAFKA_CONF/tools-log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# Runs a Kafka CLI class from the broker's classpath (also handy by hand, see README).
kafka_tool() {
  "$JAVA_BIN" -Xmx256m -Dlog4j.configuration="file:$KAFKA_CONF/tools-log4j.properties" \
    -cp "$KAFKA_LIBS/*" "$@"
}

# KRaft needs the log dir formatted with a cluster id once; the id is kept in the data dir.
format_kafka_storage() {
  [[ -f $KAFKA_DATA/log/meta.properties ]] && return 0
  local id_file=$KAFKA_DATA/cluster.id cluster_id
  if [[ ! -s $id_file ]]; then
    kafka_tool kafka.tools.StorageTool random-uuid | tr -d '[:space:]' >"$id_file"
  fi
  cluster_id=$(<"$id_file")
  [[ -n $cluster_id ]] || die "kafka: could not generate a cluster id"
  log "kafka: formatting storage in $KAFKA_DATA/log (cluster id $cluster_id)"
  kafka_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_CONF/server.properties" \
    --ignore-formatted >>"$KAFKA_LOGS/storage-format.log" 2>&1 ||
    die "kafka: storage format failed; see $KAFKA_LOGS/storage-format.log"
}

kafka_pid() { find_our_pid "$KAFKA_PIDFILE" "$KAFKA_CONF/server.properties" "$KAFKA_MAIN"; }

# Readiness = the broker answers a real Kafka Metadata request (v1, no topics) and lists itself
# among the live brokers. KRaft leaves fenced (not yet ready) brokers out of that list, so a
# non-zero broker count means it can serve clients. Raw protocol over /dev/tcp: takes milliseconds,
# unlike spawning a JVM tool.
#   request:  int32 size=21 | int16 api_key=3 | int16 api_version=1 | int32 correlation_id=42
#             | string client_id "devsvcs" (int16 len 7 + bytes) | int32 topics=0
#   response: int32 size | int32 correlation_id | int32 broker_count | ...
kafka_probe() {
  local hex
  hex=$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/$0/$1" || exit 1
      printf "\x00\x00\x00\x15\x00\x03\x00\x01\x00\x00\x00\x2a\x00\x07devsvcs\x00\x00\x00\x00" >&3
      head -c 12 <&3 | od -An -tx1 | tr -d " \n"' "$KAFKA_HOST" "$KAFKA_PORT" 2>/dev/null) || return 1
  [[ ${#hex} -eq 24 && ${hex:8:8} == 0000002a && ${hex:16:8} != 00000000 ]]
}

kafka_launch() {
  local pid
  if pid=$(kafka_pid); then
    KAFKA_STATE=already
    return 0
  fi
  port_open "$KAFKA_HOST" "$KAFKA_PORT" &&
    die "kafka: $KAFKA_HOST:$KAFKA_PORT is already taken by a process services.sh did not start $(port_owner "$KAFKA_PORT"); stop it first"
  port_open "$KAFKA_HOST" "$KAFKA_CONTROLLER_PORT" &&
    die "kafka: controller port $KAFKA_HOST:$KAFKA_CONTROLLER_PORT is already taken $(port_owner "$KAFKA_CONTROLLER_PORT")"
  require_cmd "$JAVA_BIN" "Kafka needs Java 17 (apt-get install openjdk-17-jre-headless)"
  ensure_kafka_engine
  write_kafka_config
  format_kafka_storage

  # setsid: own session, so the broker survives the caller's terminal/process group going away.
  # All std streams go to files and fd 9 (our lock) is closed, so nothing waits on the broker.
  local heap=$DEV_KAFKA_HEAP
  (
    cd "$KAFKA_HOME"
    exec setsid "$JAVA_BIN" -Xms"$heap" -Xmx"$heap" \
      -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
      -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
      "-Xlog:gc*:file=$KAFKA_LOGS/gc.log:time,tags:filecount=5,filesize=20M" \
      -Dkafka.logs.dir="$KAFKA_LOGS" -Dlog4j.configuration="file:$KAFKA_CONF/log4j.properties" \
      -cp "$KAFKA_LIBS/*" "$KAFKA_MAIN" "$KAFKA_CONF/server.properties"
  ) </dev/null >"$KAFKA_LOGS/kafka.out" 2>&1 9>&- &   # JVM stdout/stderr of this start only
  echo $! >"$KAFKA_PIDFILE"
  KAFKA_STATE=started
  KAFKA_STARTED_AT=$SECONDS
}

kafka_await() {
  local pid deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  until kafka_probe; do
    if ! pid=$(kafka_pid); then
      log_tail "$KAFKA_LOGS/server.log" 10 >&2
      log_tail "$KAFKA_LOGS/kafka.out" 10 >&2
      die "kafka: the broker exited during startup; see $KAFKA_LOGS/kafka.out and server.log"
    fi
    ((SECONDS < deadline)) || die "kafka: not ready after ${KAFKA_START_TIMEOUT}s (pid $pid is still \
running; see $KAFKA_LOGS/server.log; 'services.sh down kafka' stops it)"
    sleep 0.3
  done
  pid=$(kafka_pid) || die "kafka: answered on $KAFKA_HOST:$KAFKA_PORT but its process is not ours"
  if [[ $KAFKA_STATE == already ]]; then
    echo "kafka: already running on $KAFKA_HOST:$KAFKA_PORT (pid $pid)"
  else
    echo "kafka: ready on $KAFKA_HOST:$KAFKA_PORT (pid $pid, heap $DEV_KAFKA_HEAP, $((SECONDS - KAFKA_STARTED_AT))s)"
  fi
}

kafka_stop() {
  local pid
  if pid=$(kafka_pid); then
    terminate kafka "$pid" "$KAFKA_CONF/server.properties" "$KAFKA_MAIN" "$KAFKA_STOP_TIMEOUT"
    echo "kafka: stopped (was pid $pid)"
  else
    echo "kafka: not running"
  fi
  rm -f -- "$KAFKA_PIDFILE"
}

kafka_status() {
  local pid state
  if pid=$(kafka_pid); then
    kafka_probe && state=running || state='running (not answering yet)'
    printf '%-14s %-28s pid %-8s %s:%-5s  %s  rss %s\n' kafka "$state" "$pid" "$KAFKA_HOST" "$KAFKA_PORT" \
      "$(jvm_heap_flags "$pid")" "$(rss_mib "$pid")"
  else
    printf '%-14s %-28s %-12s %s:%-5s  heap %s (DEV_KAFKA_HEAP)\n' kafka stopped - "$KAFKA_HOST" "$KAFKA_PORT" \
      "$DEV_KAFKA_HEAP"
  fi
}

# =============================================================================================
# Elasticsearch
# =============================================================================================
ensure_es_engine() { ensure_engines elasticsearch; }

# $ES_JAVA_HOME if set, else the JDK behind the default `java`.
es_java_home() {
  if [[ -n ${ES_JAVA_HOME:-} ]]; then
    echo "$ES_JAVA_HOME"
    return
  fi
  local java
  java=$(command -v java) || die "elasticsearch: java not found (install openjdk-17, or set ES_JAVA_HOME)"
  java=$(readlink -f -- "$java")   # e.g. /usr/lib/jvm/java-17-openjdk-amd64/bin/java
  dirname -- "$(dirname -- "$java")"
}

# ES's writable dirs, all under .dev-services and owned by the service user. The engine itself
# stays root-owned and read-only; ES gets a private copy of its config dir (it writes a keystore).
es_prepare_dirs() {
  mkdir -p "$CONF_DIR" "$ES_DATA" "$ES_LOGS" "$ES_TMP" "$ES_RUN"
  [[ -d $ES_CONF ]] || cp -R -- "$ES_HOME/config" "$ES_CONF"
  ensure_service_user
  own_by_service_user "$ES_CONF" "$ES_DATA" "$ES_LOGS" "$ES_TMP" "$ES_RUN"
  check_reachable_by_service_user "$ES_HOME/bin"
  check_reachable_by_service_user "$ES_DATA"
}

es_pid() { find_our_pid "$ES_PIDFILE" "-Des.path.home=$ES_HOME" "$ES_MAIN"; }

# A launcher still busy starting a node (maybe from an earlier `up` that gave up): never start a
# second node next to it, it would only fail on the data dir lock.
es_launcher_pid() { find_our_pid /dev/null "-Des.path.home=$ES_HOME" "$ES_CLI_MAIN"; }

# GET / is 405 in this minimal distribution (no rest-root module), so readiness is cluster health.
es_healthy() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 \
    "http://$ES_HOST:$ES_PORT/_cluster/health?wait_for_status=yellow&timeout=1s" 2>/dev/null) || true
  [[ $code == 200 ]]
}

es_launch() {
  local pid
  if pid=$(es_pid); then
    ES_STATE=already
    return 0
  fi
  if pid=$(es_launcher_pid); then
    log "elasticsearch: a start is already in progress (launcher pid $pid), waiting for it"
    ES_STATE=starting
    ES_STARTED_AT=$SECONDS
    return 0
  fi
  port_open "$ES_HOST" "$ES_PORT" &&
    die "elasticsearch: $ES_HOST:$ES_PORT is already taken by a process services.sh did not start $(port_owner "$ES_PORT"); stop it first"
  require_cmd curl "used to check Elasticsearch health (apt-get install curl)"
  ensure_es_engine
  es_prepare_dirs

  local heap=$DEV_ELASTICSEARCH_HEAP java_home
  java_home=$(es_java_home)
  local -a settings=(
    -E cluster.name=event-hub-dev
    -E node.name=event-hub-dev
    -E discovery.type=single-node
    -E xpack.security.enabled=false
    -E network.host="$ES_HOST"
    -E http.port="$ES_PORT"
    -E path.data="$ES_DATA"
    -E path.logs="$ES_LOGS"
    # A full-ish dev disk must not flip indices to read-only.
    -E cluster.routing.allocation.disk.threshold_enabled=false
    # Tests delete index patterns such as events-*.
    -E action.destructive_requires_name=false
    # No ML module in this distribution anyway; x-pack-core accepts the flag and it keeps ML off.
    -E xpack.ml.enabled=false
  )
  rm -f -- "$ES_PIDFILE"
  # -d: ES daemonizes once the node has started; -p: ES writes the server pid. The launcher runs in
  # the background so this script enforces its own timeout; cwd is a dir the service user can read.
  (
    cd "$ES_LOGS"
    # ES warns below 65535 open files; raising works as root (or within the hard limit), else skip.
    ulimit -n 65535 2>/dev/null || true
    exec setsid "${RUN_AS[@]}" env HOME="$ES_TMP" ES_PATH_CONF="$ES_CONF" ES_TMPDIR="$ES_TMP" \
      ES_JAVA_HOME="$java_home" ES_JAVA_OPTS="-Xms$heap -Xmx$heap" \
      "$ES_HOME/bin/elasticsearch" "${settings[@]}" -d -p "$ES_PIDFILE"
  ) </dev/null >"$ES_LOGS/startup.log" 2>&1 9>&- &
  ES_LAUNCHER_PID=$!
  ES_STATE=started
  ES_STARTED_AT=$SECONDS
}

es_await() {
  local pid rc deadline=$((SECONDS + ES_START_TIMEOUT))
  until es_healthy; do
    # The launcher exits 0 once the node runs, non-zero (with the reason on stderr) if it cannot.
    if [[ -n ${ES_LAUNCHER_PID:-} ]] && ! kill -0 "$ES_LAUNCHER_PID" 2>/dev/null; then
      rc=0
      wait "$ES_LAUNCHER_PID" || rc=$?
      ES_LAUNCHER_PID=
      if ((rc != 0)); then
        log_tail "$ES_LOGS/startup.log" 25 >&2
        die "elasticsearch: failed to start (launcher exit $rc); see $ES_LOGS/startup.log and $ES_LOGS/event-hub-dev.log"
      fi
    fi
    if [[ -z ${ES_LAUNCHER_PID:-} ]] && ! es_pid >/dev/null && ! es_launcher_pid >/dev/null; then
      log_tail "$ES_LOGS/event-hub-dev.log" >&2
      die "elasticsearch: the node exited during startup; see $ES_LOGS/event-hub-dev.log"
    fi
    ((SECONDS < deadline)) || die "elasticsearch: not healthy (yellow) after ${ES_START_TIMEOUT}s; \
see $ES_LOGS/event-hub-dev.log ('services.sh down elasticsearch' stops it)"
    sleep 1
  done
  pid=$(es_pid) || die "elasticsearch: answered on $ES_HOST:$ES_PORT but its process is not ours"
  if [[ $ES_STATE == already ]]; then
    echo "elasticsearch: already running on http://$ES_HOST:$ES_PORT (pid $pid)"
  else
    echo "elasticsearch: ready on http://$ES_HOST:$ES_PORT (pid $pid, heap $DEV_ELASTICSEARCH_HEAP, $((SECONDS - ES_STARTED_AT))s)"
  fi
}

es_stop() {
  local pid stopped=''
  # A launcher mid-start goes first, so it cannot bring up a node behind our back.
  if pid=$(es_launcher_pid); then
    terminate elasticsearch-launcher "$pid" "-Des.path.home=$ES_HOME" "$ES_CLI_MAIN" "$ES_STOP_TIMEOUT"
    stopped="launcher pid $pid"
  fi
  if pid=$(es_pid); then
    terminate elasticsearch "$pid" "-Des.path.home=$ES_HOME" "$ES_MAIN" "$ES_STOP_TIMEOUT"
    stopped="${stopped:+$stopped, }pid $pid"
  fi
  if [[ -n $stopped ]]; then
    echo "elasticsearch: stopped (was $stopped)"
  else
    echo "elasticsearch: not running"
  fi
  rm -f -- "$ES_PIDFILE"
}

es_status() {
  local pid state
  if pid=$(es_pid); then
    es_healthy && state=running || state='running (not healthy yet)'
    printf '%-14s %-28s pid %-8s %s:%-5s  %s  rss %s\n' elasticsearch "$state" "$pid" "$ES_HOST" "$ES_PORT" \
      "$(jvm_heap_flags "$pid")" "$(rss_mib "$pid")"
  elif pid=$(es_launcher_pid); then
    printf '%-14s %-28s pid %-8s %s:%-5s  launcher is starting the node\n' elasticsearch starting "$pid" "$ES_HOST" "$ES_PORT"
  else
    printf '%-14s %-28s %-12s %s:%-5s  heap %s (DEV_ELASTICSEARCH_HEAP)\n' elasticsearch stopped - "$ES_HOST" \
      "$ES_PORT" "$DEV_ELASTICSEARCH_HEAP"
  fi
}

# =============================================================================================
# Postgres: use whatever answers at DATABASE_URL; only if nothing does, run a project-local
# cluster. Only that local cluster is ever stopped by this script.
# =============================================================================================
pg_bindir() {
  local dir
  if command -v pg_config >/dev/null 2>&1 && dir=$(pg_config --bindir 2>/dev/null) &&
    [[ -x $dir/initdb && -x $dir/pg_ctl ]]; then
    echo "$dir"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    [[ -x $dir/initdb && -x $dir/pg_ctl ]] && echo "$dir" && return 0
  done
  return 1
}

pg_ready() {   # host port
  local isready bindir
  if ! isready=$(command -v pg_isready 2>/dev/null); then
    bindir=$(pg_bindir) || bindir=/nonexistent
    isready=$bindir/pg_isready
  fi
  if [[ -x $isready ]]; then
    "$isready" -q -h "$1" -p "$2" -t 2 >/dev/null 2>&1
  else
    port_open "$1" "$2"   # no client tools at all: an open port is the best we can do
  fi
}

pg_local_pid() { find_our_pid "$PG_DATA/postmaster.pid" "$PG_DATA" "$PG_MAIN"; }

# Port the local cluster really listens on (4th line of postmaster.pid).
pg_local_port() { sed -n 4p "$PG_DATA/postmaster.pid" 2>/dev/null || true; }

is_local_host() { [[ $1 == 127.0.0.1 || $1 == localhost || $1 == ::1 ]]; }

pg_initdb() {
  local bindir=$1
  log "postgres: creating a local cluster in $PG_DATA (superuser '$PG_USER', trust auth)"
  (cd "$DEV_HOME" && as_service_user "$bindir/initdb" -D "$PG_DATA" -U "$PG_USER" --auth=trust \
    -E UTF8 --locale=C.UTF-8) </dev/null >"$PG_LOGS/initdb.log" 2>&1 9>&- ||
    die "postgres: initdb failed; see $PG_LOGS/initdb.log"
  # Our settings live in a separate file that is rewritten on each start (the port may change).
  echo "include_if_exists = 'dev-services.conf'" >>"$PG_DATA/postgresql.conf"
}

pg_write_settings() {
  local socket_dir=$PG_RUN
  # Unix socket paths are limited to 107 bytes; with a very deep repo path, go TCP-only.
  ((${#socket_dir} + 20 < 107)) || socket_dir=''
  cat >"$PG_DATA/dev-services.conf" <<EOF
# Generated by tools/dev-services/services.sh on every start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$socket_dir'
EOF
}

pg_create_database() {
  local bindir=$1 exists
  [[ $PG_DB == postgres ]] && return 0
  exists=$("$bindir/psql" -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -tA -v db="$PG_DB" \
    <<<"SELECT 1 FROM pg_database WHERE datname = :'db';") || die "postgres: cannot query the local cluster"
  [[ $exists == 1 ]] && return 0
  log "postgres: creating database '$PG_DB'"
  "$bindir/createdb" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -- "$PG_DB"
}

pg_start() {   # runs to completion; prints its line from pg_await
  local pid bindir
  PG_STATE=''
  if pid=$(pg_local_pid); then
    PG_STATE=already
    return 0
  fi
  if pg_ready "$PG_HOST" "$PG_PORT"; then
    PG_STATE=external
    return 0
  fi
  is_local_host "$PG_HOST" || die "postgres: DATABASE_URL points at $PG_HOST:$PG_PORT, which does not \
answer; a local cluster is only started for 127.0.0.1/localhost"
  port_open 127.0.0.1 "$PG_PORT" && die "postgres: port $PG_PORT is taken but does not answer as Postgres $(port_owner "$PG_PORT")"
  bindir=$(pg_bindir) || die "postgres: nothing answers on $PG_HOST:$PG_PORT and initdb/pg_ctl were not \
found to start a local cluster (apt-get install postgresql)"

  ensure_service_user
  mkdir -p "$PG_DATA" "$PG_LOGS" "$PG_RUN"
  own_by_service_user "$PG_DATA" "$PG_LOGS" "$PG_RUN"
  check_reachable_by_service_user "$PG_DATA"
  [[ -f $PG_DATA/PG_VERSION ]] || pg_initdb "$bindir"
  pg_write_settings

  local started=$SECONDS
  # setsid so the postmaster outlives the caller's session; pg_ctl -w waits for "ready".
  (cd "$DEV_HOME" && exec setsid "${RUN_AS[@]}" "$bindir/pg_ctl" -D "$PG_DATA" -l "$PG_LOGS/postgres.log" \
    -w -t "$PG_START_TIMEOUT" start) </dev/null >>"$PG_LOGS/pg_ctl.log" 2>&1 9>&- || {
    log_tail "$PG_LOGS/postgres.log" >&2
    die "postgres: local cluster did not start within ${PG_START_TIMEOUT}s; see $PG_LOGS/postgres.log"
  }
  pg_ready 127.0.0.1 "$PG_PORT" || die "postgres: started but pg_isready fails on 127.0.0.1:$PG_PORT"
  pg_create_database "$bindir"
  PG_STATE=started
  PG_ELAPSED=$((SECONDS - started))
}

pg_await() {
  local pid
  case $PG_STATE in
    external) echo "postgres: external server ready on $PG_HOST:$PG_PORT (not managed by services.sh)" ;;
    already)
      pid=$(pg_local_pid) || die "postgres: local cluster vanished"
      echo "postgres: already running (local cluster) on 127.0.0.1:$(pg_local_port) (pid $pid)" ;;
    started)
      pid=$(pg_local_pid) || die "postgres: local cluster vanished"
      echo "postgres: ready (local cluster) on 127.0.0.1:$PG_PORT (pid $pid, db $PG_DB, ${PG_ELAPSED}s)" ;;
  esac
}

pg_stop() {
  local pid bindir
  if pid=$(pg_local_pid); then
    bindir=$(pg_bindir) || die "postgres: pg_ctl not found to stop the local cluster (pid $pid)"
    ensure_service_user   # pg_ctl refuses root too
    # Fast shutdown (SIGINT: disconnect clients, checkpoint). Plain SIGTERM would be "smart"
    # and wait for every client to go away. Fall back to immediate if it hangs.
    if ! (cd "$DEV_HOME" && as_service_user "$bindir/pg_ctl" -D "$PG_DATA" -m fast -w -t "$PG_STOP_TIMEOUT" stop) \
      </dev/null >>"$PG_LOGS/pg_ctl.log" 2>&1 9>&-; then
      log "postgres: fast shutdown timed out, using immediate shutdown"
      (cd "$DEV_HOME" && as_service_user "$bindir/pg_ctl" -D "$PG_DATA" -m immediate -w stop) \
        </dev/null >>"$PG_LOGS/pg_ctl.log" 2>&1 9>&- || terminate postgres "$pid" "$PG_DATA" "$PG_MAIN" 5
    fi
    echo "postgres: stopped local cluster (was pid $pid)"
  elif pg_ready "$PG_HOST" "$PG_PORT"; then
    echo "postgres: external server on $PG_HOST:$PG_PORT left alone (not started by services.sh)"
  else
    echo "postgres: not running"
  fi
}

pg_status() {
  local pid
  if pid=$(pg_local_pid); then
    printf '%-14s %-28s pid %-8s %s:%-5s  local cluster in %s  rss %s\n' postgres running "$pid" 127.0.0.1 \
      "$(pg_local_port)" "$PG_DATA" "$(rss_mib "$pid")"
  elif pg_ready "$PG_HOST" "$PG_PORT"; then
    printf '%-14s %-28s %-12s %s:%-5s  not managed by services.sh\n' postgres 'running (external)' - "$PG_HOST" "$PG_PORT"
  else
    printf '%-14s %-28s %-12s %s:%-5s\n' postgres stopped - "$PG_HOST" "$PG_PORT"
  fi
}

# =============================================================================================
# RabbitMQ: like Postgres, use whatever answers at RABBITMQ_URL; only if nothing does, run a
# project-local node of Debian's rabbitmq-server (installed with apt-get when missing), named
# eventhub-<port>@localhost, with its data, logs and config under .dev-services. Only that node is
# ever stopped by this script, never a RabbitMQ it did not start (the machine's node).
# =============================================================================================

# Readiness = the broker answers the AMQP 0-9-1 protocol header with a Connection.Start method
# frame (no login), which a port held by anything else, or a node whose app is stopped, does not.
#   sent:     "AMQP" 0 0 9 1
#   expected: frame type 1 (method) | channel 0 | int32 size | class 10 (connection) | method 10 (start)
rmq_probe() {   # host port
  local hex
  hex=$(timeout 3 bash -c '
      exec 3<>"/dev/tcp/$0/$1" || exit 1
      printf "AMQP\x00\x00\x09\x01" >&3
      head -c 11 <&3 | od -An -tx1 | tr -d " \n"' "$1" "$2" 2>/dev/null) || return 1
  [[ ${#hex} -eq 22 && ${hex:0:6} == 010000 && ${hex:14:8} == 000a000a ]]
}

# A TLS port (amqps) cannot be probed with the plain header: an open port is the best we can do.
rmq_answers() {
  if [[ $RMQ_SCHEME == amqps ]]; then port_open "$RMQ_HOST" "$RMQ_PORT"; else rmq_probe "$RMQ_HOST" "$RMQ_PORT"; fi
}

# The beam process of our node: its environment carries our mnesia base (set by rmq_launch), which
# no other node's does. Pid file first, then a scan for when the pid file is gone.
rmq_pid() {
  local marker=RABBITMQ_MNESIA_BASE=$RMQ_BASE pid f
  if pid=$(read_pid "$RMQ_PIDFILE") && rmq_pid_is_ours "$pid" "$marker"; then
    echo "$pid"
    return 0
  fi
  for f in $(grep -lzxF -- "$marker" /proc/[0-9]*/environ 2>/dev/null); do
    pid=${f#/proc/}
    pid=${pid%/environ}
    rmq_pid_is_ours "$pid" "$marker" && echo "$pid" && return 0
  done
  return 1
}

rmq_pid_is_ours() {   # pid marker
  grep -qzxF -- "$2" "/proc/$1/environ" 2>/dev/null && grep -qzF beam "/proc/$1/cmdline" 2>/dev/null
}

# Debian's rabbitmq-server and rabbitmqctl are wrappers that, run as root, switch to the rabbitmq
# user (su keeps the environment, so our RABBITMQ_* variables reach the node).
rmqctl() { timeout "$RMQ_STOP_TIMEOUT" rabbitmqctl -q -n "$RMQ_NODE" "$@" </dev/null 9>&-; }

ensure_rabbitmq_server() {
  command -v rabbitmq-server >/dev/null 2>&1 && return 0
  if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
    die "rabbitmq: nothing answers at $RMQ_HOST:$RMQ_PORT and rabbitmq-server is not installed (as root, \
services.sh installs it with apt-get: apt-get install rabbitmq-server)"
  fi
  log "rabbitmq: installing Debian's rabbitmq-server (apt-get)"
  mkdir -p "$LOG_DIR"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server; } \
    </dev/null >>"$LOG_DIR/apt-rabbitmq.log" 2>&1 9>&- || {
    log_tail "$LOG_DIR/apt-rabbitmq.log" >&2
    die "rabbitmq: apt-get install rabbitmq-server failed; see $LOG_DIR/apt-rabbitmq.log"
  }
}

# Rewritten on every start. Only the first boot of an empty node creates the URL's user and vhost.
rmq_write_config() {
  mkdir -p "$RMQ_CONF/conf.d"   # empty: /etc/rabbitmq/conf.d belongs to the machine's node
  cat >"$RMQ_CONF/rabbitmq.conf" <<EOF
# Generated by tools/dev-services/services.sh on every start; edit the script, not this file.
listeners.tcp.local = 127.0.0.1:$RMQ_PORT
default_user = $RMQ_LOGIN
default_pass = $RMQ_PASSWORD
default_vhost = $RMQ_VHOST
EOF
  # Replaces /etc/rabbitmq/rabbitmq-env.conf, which names the machine's node.
  cat >"$RMQ_CONF/rabbitmq-env.conf" <<'EOF'
ERL_EPMD_ADDRESS=127.0.0.1
SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
EOF
  echo '[].' >"$RMQ_CONF/enabled_plugins"
}

rmq_launch() {
  local pid
  RMQ_STATE=''
  if pid=$(rmq_pid); then
    RMQ_STATE=already
    return 0
  fi
  if rmq_answers; then
    RMQ_STATE=external
    return 0
  fi
  is_local_host "$RMQ_HOST" || die "rabbitmq: RABBITMQ_URL points at $RMQ_HOST:$RMQ_PORT, which does not \
answer AMQP; a local node is only started for 127.0.0.1/localhost"
  [[ $RMQ_SCHEME == amqp ]] || die "rabbitmq: nothing answers at $RMQ_HOST:$RMQ_PORT (amqps); the local node \
speaks plain amqp only"
  port_open 127.0.0.1 "$RMQ_PORT" &&
    die "rabbitmq: port $RMQ_PORT is taken but does not answer AMQP $(port_owner "$RMQ_PORT")"
  ensure_rabbitmq_server
  # Installing the package may have started the machine's node on this very port.
  if rmq_answers; then
    RMQ_STATE=external
    return 0
  fi
  port_open 127.0.0.1 "$RMQ_DIST_PORT" && die "rabbitmq: the node's Erlang distribution port \
$RMQ_DIST_PORT (AMQP port + 20000, or DEV_RABBITMQ_DIST_PORT) is taken $(port_owner "$RMQ_DIST_PORT")"
  is_root || die "rabbitmq: nothing answers at $RMQ_HOST:$RMQ_PORT; starting a local node needs root \
(Debian's rabbitmq-server runs it as the '$RMQ_USER' user)"

  rmq_write_config
  mkdir -p "$RMQ_BASE" "$RMQ_LOGS" "$RMQ_RUN"
  chown -R "$RMQ_USER:" -- "$RMQ_BASE" "$RMQ_LOGS" "$RMQ_RUN"
  check_reachable_by_service_user "$RMQ_BASE" "$RMQ_USER"
  rm -f -- "$RMQ_PIDFILE"
  # -detached: the node daemonizes; readiness is awaited by probing, with our own timeout.
  (
    cd /
    exec env RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_DIST_PORT="$RMQ_DIST_PORT" \
      RABBITMQ_MNESIA_BASE="$RMQ_BASE" RABBITMQ_LOG_BASE="$RMQ_LOGS" RABBITMQ_PID_FILE="$RMQ_PIDFILE" \
      RABBITMQ_CONFIG_FILE="$RMQ_CONF/rabbitmq.conf" RABBITMQ_CONF_ENV_FILE="$RMQ_CONF/rabbitmq-env.conf" \
      RABBITMQ_CONFIG_FILES="$RMQ_CONF/conf.d" RABBITMQ_ADVANCED_CONFIG_FILE="$RMQ_CONF/advanced.config" \
      RABBITMQ_ENABLED_PLUGINS_FILE="$RMQ_CONF/enabled_plugins" \
      rabbitmq-server -detached
  ) </dev/null >"$RMQ_LOGS/startup.log" 2>&1 9>&- ||
    { log_tail "$RMQ_LOGS/startup.log" >&2; die "rabbitmq: rabbitmq-server -detached failed; see $RMQ_LOGS/startup.log"; }
  RMQ_STATE=started
  RMQ_STARTED_AT=$SECONDS
}

rmq_await() {
  local pid deadline=$((SECONDS + RMQ_START_TIMEOUT)) node_log=$RMQ_LOGS/$RMQ_NODE.log
  case $RMQ_STATE in
    external)
      echo "rabbitmq: external server ready on $RMQ_HOST:$RMQ_PORT (not managed by services.sh)"
      return 0 ;;
  esac
  until rmq_answers; do
    # The pid file appears early in the boot; once it has, a vanished process is a failed start.
    if [[ -s $RMQ_PIDFILE ]] && ! rmq_pid >/dev/null; then
      log_tail "$node_log" >&2
      die "rabbitmq: node $RMQ_NODE exited during startup; see $node_log"
    fi
    ((SECONDS < deadline)) || {
      log_tail "$node_log" >&2
      log_tail "$RMQ_LOGS/startup.log" >&2
      # A running node whose app was stopped (rabbitmqctl stop_app) keeps its port closed.
      [[ $RMQ_STATE == already ]] && log "rabbitmq: if its app was stopped: rabbitmqctl -n $RMQ_NODE start_app"
      die "rabbitmq: node $RMQ_NODE does not answer AMQP on 127.0.0.1:$RMQ_PORT after ${RMQ_START_TIMEOUT}s; \
see $node_log ('services.sh down rabbitmq' stops it)"
    }
    sleep 0.5
  done
  pid=$(rmq_pid) || die "rabbitmq: answered on 127.0.0.1:$RMQ_PORT but its process is not node $RMQ_NODE"
  if [[ $RMQ_STATE == already ]]; then
    echo "rabbitmq: already running (local node $RMQ_NODE) on 127.0.0.1:$RMQ_PORT (pid $pid)"
  else
    echo "rabbitmq: ready (local node $RMQ_NODE) on 127.0.0.1:$RMQ_PORT (pid $pid, $((SECONDS - RMQ_STARTED_AT))s)"
  fi
}

# Stops the local node this script started (its data is kept); a RabbitMQ it did not start is the
# machine's and is left alone.
rmq_stop() {
  local pid
  if pid=$(rmq_pid); then
    rmqctl stop >>"$RMQ_LOGS/stop.log" 2>&1 || log "rabbitmq: 'rabbitmqctl stop' failed, terminating pid $pid"
    if ! wait_gone_rmq "$pid" "$RMQ_STOP_TIMEOUT"; then
      kill -TERM "$pid" 2>/dev/null || true
      wait_gone_rmq "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; }
    fi
    echo "rabbitmq: stopped local node $RMQ_NODE (was pid $pid)"
  elif rmq_answers; then
    echo "rabbitmq: external server on $RMQ_HOST:$RMQ_PORT left alone (not started by services.sh)"
  else
    echo "rabbitmq: not running"
  fi
  rm -f -- "$RMQ_PIDFILE"
}

wait_gone_rmq() {   # pid seconds
  local deadline=$((SECONDS + $2))
  while rmq_pid_is_ours "$1" "RABBITMQ_MNESIA_BASE=$RMQ_BASE"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

rmq_status() {
  local pid state
  if pid=$(rmq_pid); then
    rmq_answers && state=running || state='running (not answering)'
    printf '%-14s %-28s pid %-8s %s:%-5s  local node %s  rss %s\n' rabbitmq "$state" "$pid" 127.0.0.1 \
      "$RMQ_PORT" "$RMQ_NODE" "$(rss_mib "$pid")"
  elif rmq_answers; then
    printf '%-14s %-28s %-12s %s:%-5s  not managed by services.sh\n' rabbitmq 'running (external)' - "$RMQ_HOST" "$RMQ_PORT"
  else
    printf '%-14s %-28s %-12s %s:%-5s\n' rabbitmq stopped - "$RMQ_HOST" "$RMQ_PORT"
  fi
}

# =============================================================================================
# Commands
# =============================================================================================
resolve_services() {
  SERVICES=()
  (($# > 0)) || set -- "${ALL_SERVICES[@]}"
  local s
  for s in "$@"; do
    case $s in
      kafka) SERVICES+=(kafka) ;;
      elasticsearch | es) SERVICES+=(elasticsearch) ;;
      postgres | postgresql | pg) SERVICES+=(postgres) ;;
      rabbitmq | rabbit) SERVICES+=(rabbitmq) ;;
      *) die "unknown service '$s' (expected: kafka, elasticsearch, postgres, rabbitmq)" ;;
    esac
  done
}

# Serializes up/down/reset, so two callers (e.g. parallel test setups) cannot double-start a service.
take_lock() {
  mkdir -p "$DEV_HOME"
  exec 9>"$DEV_HOME/.lock"
  flock -w 300 9 || die "another services.sh has been busy for 5 minutes (lock $DEV_HOME/.lock)"
}

# A fresh Debian machine may lack the JVM or Maven the engines need: install them from Debian's
# packages when we can (root with apt-get), otherwise say what is missing.
ensure_toolchain() {
  local missing=()
  command -v java >/dev/null 2>&1 || [[ -n ${JAVA_HOME:-} ]] || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  ((${#missing[@]} == 0)) && return 0
  if is_root && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]} (apt-get)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    die "missing ${missing[*]}: install Java 17+ and Maven"
  fi
}

cmd_up() {
  resolve_services "$@"
  local s
  # Only Kafka and Elasticsearch need the JVM and Maven.
  [[ " ${SERVICES[*]} " == *" kafka "* || " ${SERVICES[*]} " == *" elasticsearch "* ]] && ensure_toolchain
  ensure_engines "${SERVICES[@]}"
  # Launch everything first, then wait: Kafka and Elasticsearch boot in parallel.
  for s in "${SERVICES[@]}"; do
    case $s in
      kafka) kafka_launch ;;
      elasticsearch) es_launch ;;
      postgres) pg_start ;;
      rabbitmq) rmq_launch ;;
    esac
  done
  for s in "${SERVICES[@]}"; do
    case $s in
      kafka) kafka_await ;;
      elasticsearch) es_await ;;
      postgres) pg_await ;;
      rabbitmq) rmq_await ;;
    esac
  done
}

cmd_down() {
  resolve_services "$@"
  local s
  for s in "${SERVICES[@]}"; do
    case $s in
      kafka) kafka_stop ;;
      elasticsearch) es_stop ;;
      postgres) pg_stop ;;
      rabbitmq) rmq_stop ;;
    esac
  done
}

cmd_status() {
  kafka_status
  es_status
  pg_status
  rmq_status
}

# Stops, then deletes everything but the downloaded engines: data, generated config, logs, tmp.
cmd_reset() {
  cmd_down "$@"
  local s
  for s in "${SERVICES[@]}"; do
    case $s in
      kafka) rm -rf -- "$KAFKA_DATA" "$KAFKA_CONF" "$KAFKA_LOGS" ;;
      elasticsearch) rm -rf -- "$ES_DATA" "$ES_CONF" "$ES_LOGS" "$ES_TMP" "$ES_RUN" ;;
      postgres) rm -rf -- "$PG_DATA" "$PG_LOGS" "$PG_RUN" ;;
      rabbitmq) rm -rf -- "$RMQ_BASE" "$RMQ_LOGS" "$RMQ_CONF" "$RMQ_RUN" ;;
    esac
    echo "$s: data deleted"
  done
}

main() {
  local cmd=${1:-help}
  (($# == 0)) || shift
  case $cmd in
    help | -h | --help) usage; return 0 ;;
  esac
  load_config
  case $cmd in
    up | start) take_lock; cmd_up "$@" ;;
    down | stop) take_lock; cmd_down "$@" ;;
    restart) take_lock; cmd_down "$@"; cmd_up "$@" ;;
    status) cmd_status ;;
    reset) take_lock; cmd_reset "$@" ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
