#!/usr/bin/env bash
# Browser end-to-end tests of the web app (web/e2e) against the server with demo data.
#
#   scripts/e2e.sh                 # uses target/release/bosun and the web app embedded in it
#   BOSUN_BIN=/path/to/bosun scripts/e2e.sh
#   E2E_FILES='e2e/sync.test.mjs e2e/stock.test.mjs' scripts/e2e.sh   # some files only
#   E2E_WORKERS=1 scripts/e2e.sh   # one file at a time (default 2)
#   E2E_WEB=preview scripts/e2e.sh # serves a fresh `npm run build` of web/ with `vite preview`,
#                                  # proxying /api to the server (when the binary's copy is stale)
#
# Each worker starts its own `bosun serve --demo` on a free loopback port with a fresh data
# directory (scripts/lib/serve-demo.sh), waits for /readyz, then takes test files one at a
# time from a shared queue and runs each with BASE_URL pointing at its server, so no two files
# ever share a server at once and a slow file does not hold the other worker up. The browser
# tests wait on the page and the network about half the time, so two workers on two cores take
# well under the time of one. Exits non-zero when any file failed, naming them. Needs
# scripts/web-setup.sh to have run. Screenshots and each worker's server log (server-<n>.log):
# web/e2e/artifacts/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BOSUN_BIN:-$root/target/release/bosun}"
web_mode="${E2E_WEB:-embedded}"
workers="${E2E_WORKERS:-2}"
artifacts="$root/web/e2e/artifacts"
# shellcheck source=lib/serve-demo.sh
source "$root/scripts/lib/serve-demo.sh"

fail() { echo "e2e: $*" >&2; exit 1; }
[[ -x $bin ]] || fail "no server binary at $bin (build it with: cargo build --release)"
[[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] || fail "Chromium is missing; run scripts/web-setup.sh"
[[ -d $root/web/node_modules/playwright-core ]] || fail "web/node_modules is missing; run scripts/web-setup.sh"
[[ $web_mode == embedded || $web_mode == preview ]] || fail "E2E_WEB is 'embedded' or 'preview', not '$web_mode'"
[[ $workers =~ ^[1-9][0-9]*$ ]] || fail "E2E_WORKERS must be a positive number, not '$workers'"

top="$(mktemp -d -t bosun-e2e.XXXXXX)"
mkdir -p "$artifacts"
worker_pids=()
cleanup() {
  local pid
  for pid in "${worker_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$top"
}
trap cleanup EXIT

if [[ $web_mode == preview ]]; then
  (cd "$root/web" && npm run --silent build)
fi

# The queue: one test file per line, paths relative to web/.
queue="$top/queue"
# shellcheck disable=SC2086 # E2E_FILES is a word-split list of files or globs, as npm's script takes it
(cd "$root/web" && ls -1 ${E2E_FILES:-e2e/*.test.mjs}) >"$queue"
files=$(wc -l <"$queue")
[[ $files -gt 0 ]] || fail "no test files match ${E2E_FILES:-e2e/*.test.mjs}"
if [[ $workers -gt $files ]]; then workers=$files; fi

# The next file of the queue, or nothing when it is empty (taken under a lock).
next_file() {
  (
    flock 9
    head -n 1 "$queue"
    sed -i 1d "$queue"
  ) 9>"$queue.lock"
}

# One worker: its own server, then files from the queue until none is left. Each file's output
# is printed whole when it ends (workers' lines never interleave); a failed file is listed in
# $top/failed.
worker() {
  local n=$1 file started status base_url
  serve_tag="e2e[$n]"
  work="$top/worker-$n"
  mkdir -p "$work"
  trap 'serve_stop; [[ -f $work/server.log ]] && cp "$work/server.log" "$artifacts/server-$n.log"' EXIT
  serve_demo "$bin" || { echo "worker $n: no server" >>"$top/failed"; return 1; }
  base_url="$server_url"
  if [[ $web_mode == preview ]]; then
    serve_preview || { echo "worker $n: no vite preview" >>"$top/failed"; return 1; }
    base_url="$preview_url"
  else
    serve_check_embedded || { echo "worker $n: the server serves no web app" >>"$top/failed"; return 1; }
  fi
  while file="$(next_file)" && [[ -n $file ]]; do
    started=$SECONDS
    set +e
    (cd "$root/web" && BASE_URL="$base_url" node --test --test-concurrency=1 "$file") >"$work/out" 2>&1
    status=$?
    set -e
    {
      printf '\n==> %s: %s on worker %d, %d s\n' "$file" "$([[ $status -eq 0 ]] && echo passed || echo FAILED)" "$n" "$((SECONDS - started))"
      cat "$work/out"
    } | flock "$top/print.lock" cat
    if [[ $status -ne 0 ]]; then
      flock "$top/failed.lock" bash -c 'echo "$1" >>"$2"' _ "$file" "$top/failed"
    fi
  done
}

echo "e2e: $files test files, $workers workers, each with its own $bin serve --demo"
started=$SECONDS
for n in $(seq 1 "$workers"); do
  worker "$n" &
  worker_pids+=("$!")
done
wait "${worker_pids[@]}" || true
worker_pids=()

if [[ -s $top/failed ]]; then
  echo
  echo "e2e: failed after $((SECONDS - started)) s:"
  sed 's/^/  /' "$top/failed"
  exit 1
fi
echo
echo "e2e: all $files test files passed in $((SECONDS - started)) s"
