#!/usr/bin/env bash
# Prints the path of a promtool (Prometheus' rule and config checker), installing it first when
# missing. Used by tools/observability/monitoring-queries.spec.ts to check deploy/prometheus.
#
# Order: PROMTOOL when set, a promtool on PATH, then the copy this script extracted before into
# PROMTOOL_HOME (default .dev-services/engines/promtool, beside the other dev-service engines). Otherwise Debian's `prometheus` package (which ships promtool) is
# downloaded with `apt-get download` — no root, nothing installed system-wide — and only
# usr/bin/promtool is kept. Neither Maven Central nor npm publishes promtool.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ -n "${PROMTOOL:-}" ]]; then
  echo "$PROMTOOL"
  exit 0
fi
if command -v promtool >/dev/null 2>&1; then
  command -v promtool
  exit 0
fi

engines=${PROMTOOL_HOME:-.dev-services/engines/promtool}
if [[ ! -x $engines/promtool ]]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-promtool: no promtool on PATH and no apt-get to fetch Debian's prometheus package;" \
      "install promtool or set PROMTOOL" >&2
    exit 1
  fi
  work=$(mktemp -d)
  # apt hands the download to its unprivileged _apt user, which must be able to write here.
  chmod 0777 "$work"
  trap 'rm -rf "$work"' EXIT
  echo "› downloading Debian's prometheus package for promtool" >&2
  (cd "$work" && apt-get download -q prometheus >&2)
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  mkdir -p "$engines"
  install -m 0755 "$work/root/usr/bin/promtool" "$engines/promtool"
fi
echo "$(cd "$engines" && pwd -P)/promtool"
