#!/usr/bin/env bash
# Prepares a machine for the web app's checks: Debian's Chromium for the browser tests (never a
# downloaded browser) and web/node_modules from the committed lockfile. Safe to run again: each
# step is skipped when already done.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ ! -x /usr/bin/chromium ]]; then
  echo "web-setup: installing chromium from Debian"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends chromium
fi

cd "$root/web"
# Reinstall only when the lockfile changed since the last successful install.
stamp="node_modules/.bosun-web-setup"
want="$(sha256sum package-lock.json | cut -d' ' -f1) $(node --version)"
if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
  echo "web-setup: node_modules matches package-lock.json"
else
  echo "web-setup: installing node modules"
  if ! npm ci --no-audit --no-fund; then
    echo "web-setup: npm ci failed; web/package-lock.json must install as committed" >&2
    exit 1
  fi
  echo "$want" >"$stamp"
fi
