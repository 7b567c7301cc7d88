#!/usr/bin/env bash
# Browser end-to-end tests of the web app (web/e2e) against the release server with demo data.
#
#   scripts/e2e.sh                 # uses target/release/bosun and the web app embedded in it
#   BOSUN_BIN=/path/to/bosun scripts/e2e.sh
#   E2E_WEB=preview scripts/e2e.sh # serves a fresh `npm run build` of web/ with `vite preview`,
#                                  # proxying /api to the server (when the binary's copy is stale)
#
# Starts `bosun serve --demo` on a free loopback port with a fresh data directory, waits for
# /readyz, runs the tests with BASE_URL, stops the server and exits with the tests' result.
# Needs scripts/web-setup.sh to have run. Screenshots and the server log: web/e2e/artifacts/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BOSUN_BIN:-$root/target/release/bosun}"
web_mode="${E2E_WEB:-embedded}"
artifacts="$root/web/e2e/artifacts"

fail() { echo "e2e: $*" >&2; exit 1; }
[[ -x $bin ]] || fail "no server binary at $bin (build it with: cargo build --release)"
[[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] || fail "Chromium is missing; run scripts/web-setup.sh"
[[ -d $root/web/node_modules/playwright-core ]] || fail "web/node_modules is missing; run scripts/web-setup.sh"

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Waits until the URL answers 200, or fails when the process is gone or time is up.
wait_for() {
  local url=$1 pid=$2 what=$3
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null --max-time 2 "$url"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "e2e: $what exited before it was ready" >&2; return 1; }
    sleep 0.5
  done
  echo "e2e: $what was not ready after 120 s" >&2
  return 1
}

work="$(mktemp -d -t bosun-e2e.XXXXXX)"
mkdir -p "$work/data" "$artifacts"
server_pid=""
preview_pid=""
cleanup() {
  local pid
  for pid in "$preview_pid" "$server_pid"; do
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ -f $work/server.log ]]; then cp "$work/server.log" "$artifacts/server.log"; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(free_port)"
echo "e2e: starting $bin serve --demo on 127.0.0.1:$port"
"$bin" serve --demo --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
if ! wait_for "http://127.0.0.1:$port/readyz" "$server_pid" "the server"; then
  tail -n 40 "$work/server.log" >&2
  exit 1
fi

base_url="http://127.0.0.1:$port"
if [[ $web_mode == preview ]]; then
  (cd "$root/web" && npm run --silent build)
  preview_port="$(free_port)"
  (cd "$root/web" && BOSUN_API_URL="$base_url" exec node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port "$preview_port" --strictPort) \
    >"$work/preview.log" 2>&1 &
  preview_pid=$!
  wait_for "http://127.0.0.1:$preview_port/" "$preview_pid" "vite preview" || { cat "$work/preview.log" >&2; exit 1; }
  base_url="http://127.0.0.1:$preview_port"
elif ! curl -fsS --max-time 5 "$base_url/" | grep -q 'id="root"'; then
  fail "$base_url/ does not serve the web app; the binary embeds web/dist as it was when it was built (run 'npm run build' in web/ and rebuild the binary, or use E2E_WEB=preview)"
fi

echo "e2e: running the browser tests against $base_url"
set +e
(cd "$root/web" && BASE_URL="$base_url" npm run --silent e2e)
status=$?
set -e
exit "$status"
