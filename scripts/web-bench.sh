#!/usr/bin/env bash
# The web app's figures (issue 11 §7): first-load JS, LCP under a slow CPU and network, the
# outbox drain over the designed link, and opening an assigned work order offline (issue 12 §5).
# See web/scripts/bench.mjs for what each one measures.
#
#   scripts/web-bench.sh                    # builds web/, serves it with `vite preview` in front
#                                           # of target/release/bosun serve --demo, measures
#   BOSUN_BIN=/path/to/bosun scripts/web-bench.sh --only js,lcp --runs 5
#   scripts/web-bench.sh --only workorder --navigations 20
#   WEB_BENCH_BUILD=0 scripts/web-bench.sh  # measures web/dist as it is
#   WEB_BENCH_WEB=embedded scripts/web-bench.sh
#                                           # the app as the binary serves it (the web/dist
#                                           # embedded when it was built; no build, no preview)
#
# Starts the server on a free loopback port with a fresh data directory
# (scripts/lib/serve-demo.sh, as scripts/e2e.sh does), so each run begins from the same demo
# data. Arguments go to the bench. Prints the figures and writes web/e2e/artifacts/bench.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BOSUN_BIN:-$root/target/release/bosun}"
web_mode="${WEB_BENCH_WEB:-preview}"
artifacts="$root/web/e2e/artifacts"
serve_tag=web-bench
# shellcheck source=lib/serve-demo.sh
source "$root/scripts/lib/serve-demo.sh"

fail() { echo "web-bench: $*" >&2; exit 1; }
[[ -x $bin ]] || fail "no server binary at $bin (build it with: cargo build --release)"
[[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] || fail "Chromium is missing; run scripts/web-setup.sh"
[[ -d $root/web/node_modules/playwright-core ]] || fail "web/node_modules is missing; run scripts/web-setup.sh"
[[ $web_mode == embedded || $web_mode == preview ]] || fail "WEB_BENCH_WEB is 'preview' or 'embedded', not '$web_mode'"

work="$(mktemp -d -t bosun-web-bench.XXXXXX)"
mkdir -p "$artifacts"
cleanup() {
  serve_stop
  if [[ -f $work/server.log ]]; then cp "$work/server.log" "$artifacts/bench-server.log"; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ $web_mode == preview ]]; then
  if [[ ${WEB_BENCH_BUILD:-1} != 0 ]]; then
    (cd "$root/web" && npm run --silent build >"$work/build.log" 2>&1) || { cat "$work/build.log" >&2; exit 1; }
  fi
  [[ -f $root/web/dist/index.html ]] || fail "web/dist has no build"
fi

serve_demo "$bin"
if [[ $web_mode == preview ]]; then
  serve_preview
  base_url="$preview_url"
  echo "web-bench: $bin serve --demo at $server_url, vite preview of web/dist at $preview_url"
else
  serve_check_embedded
  base_url="$server_url"
  echo "web-bench: $bin serve --demo at $server_url, serving the web app embedded in it"
fi

cd "$root/web"
BASE_URL="$base_url" WEB_BENCH_WEB="$web_mode" node scripts/bench.mjs "$@"
