#!/usr/bin/env bash
# Installs Debian's `chromium`, the headless browser the platform page's end-to-end test drives
# (through playwright-core, which downloads no browser of its own). Quick when it is installed.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing and this machine has no apt-get: install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
as_root=()
if [[ $(id -u) -ne 0 ]]; then as_root=(sudo); fi

echo "› installing chromium (apt) for the platform page's end-to-end test"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine or container may have no package lists yet.
if ! apt-cache show chromium >/dev/null 2>&1; then
  "${as_root[@]}" apt-get update -qq
fi
"${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium
