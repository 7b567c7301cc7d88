#!/usr/bin/env bash
# The web app's figures (issue 11 §7): first-load JS, LCP under a slow CPU and network, and the
# outbox drain over the designed link. See web/scripts/bench.mjs for what each one measures.
#
#   scripts/web-bench.sh                    # builds web/, serves it with `vite preview` in front
#                                           # of target/release/bosun serve --demo, measures
#   BOSUN_BIN=/path/to/bosun scripts/web-bench.sh --only js,lcp --runs 5
#   WEB_BENCH_BUILD=0 scripts/web-bench.sh  # measures web/dist as it is
#
# Starts the server on a free loopback port with a fresh data directory (as scripts/e2e.sh
# does), so each run begins from the same demo data. Arguments go to the bench. Prints the
# figures and writes web/e2e/artifacts/bench.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BOSUN_BIN:-$root/target/release/bosun}"
artifacts="$root/web/e2e/artifacts"

fail() { echo "web-bench: $*" >&2; exit 1; }
[[ -x $bin ]] || fail "no server binary at $bin (build it with: cargo build --release)"
[[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] || fail "Chromium is missing; run scripts/web-setup.sh"
[[ -d $root/web/node_modules/playwright-core ]] || fail "web/node_modules is missing; run scripts/web-setup.sh"

free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

wait_for() {
  local url=$1 pid=$2 what=$3
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "web-bench: $what exited before it was ready" >&2; return 1; }
    sleep 0.5
  done
  echo "web-bench: $what was not ready after 120 s" >&2
  return 1
}

work="$(mktemp -d -t bosun-web-bench.XXXXXX)"
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
  if [[ -f $work/server.log ]]; then cp "$work/server.log" "$artifacts/bench-server.log"; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ ${WEB_BENCH_BUILD:-1} != 0 ]]; then
  (cd "$root/web" && npm run --silent build >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; exit 1; }
fi
[[ -f $root/web/dist/index.html ]] || fail "web/dist has no build"

port="$(free_port)"
"$bin" serve --demo --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
if ! wait_for "http://127.0.0.1:$port/readyz" "$server_pid" "the server"; then
  tail -n 40 "$work/server.log" >&2
  exit 1
fi

preview_port="$(free_port)"
(cd "$root/web" && BOSUN_API_URL="http://127.0.0.1:$port" exec node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port "$preview_port" --strictPort) \
  >"$work/preview.log" 2>&1 &
preview_pid=$!
wait_for "http://127.0.0.1:$preview_port/" "$preview_pid" "vite preview" || { cat "$work/preview.log" >&2; exit 1; }

echo "web-bench: $bin serve --demo on :$port, vite preview of web/dist on :$preview_port"
cd "$root/web"
BASE_URL="http://127.0.0.1:$preview_port" node scripts/bench.mjs "$@"
