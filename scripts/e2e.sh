#!/usr/bin/env bash
# Browser end-to-end tests of the web app (web/e2e) against the release server with demo data.
#
#   scripts/e2e.sh                 # uses target/release/bosun and the web app embedded in it
#   BOSUN_BIN=/path/to/bosun scripts/e2e.sh
#   E2E_WEB=preview scripts/e2e.sh # serves a fresh `npm run build` of web/ with `vite preview`,
#                                  # proxying /api to the server (when the binary's copy is stale)
#
# Starts `bosun serve --demo` on a free loopback port with a fresh data directory
# (scripts/lib/serve-demo.sh), waits for /readyz, runs the tests with BASE_URL, stops the server
# and exits with the tests' result. Needs scripts/web-setup.sh to have run. Screenshots and the
# server log: web/e2e/artifacts/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BOSUN_BIN:-$root/target/release/bosun}"
web_mode="${E2E_WEB:-embedded}"
artifacts="$root/web/e2e/artifacts"
serve_tag=e2e
# shellcheck source=lib/serve-demo.sh
source "$root/scripts/lib/serve-demo.sh"

fail() { echo "e2e: $*" >&2; exit 1; }
[[ -x $bin ]] || fail "no server binary at $bin (build it with: cargo build --release)"
[[ -x ${CHROMIUM_PATH:-/usr/bin/chromium} ]] || fail "Chromium is missing; run scripts/web-setup.sh"
[[ -d $root/web/node_modules/playwright-core ]] || fail "web/node_modules is missing; run scripts/web-setup.sh"
[[ $web_mode == embedded || $web_mode == preview ]] || fail "E2E_WEB is 'embedded' or 'preview', not '$web_mode'"

work="$(mktemp -d -t bosun-e2e.XXXXXX)"
mkdir -p "$artifacts"
cleanup() {
  serve_stop
  if [[ -f $work/server.log ]]; then cp "$work/server.log" "$artifacts/server.log"; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "e2e: starting $bin serve --demo"
serve_demo "$bin"

base_url="$server_url"
if [[ $web_mode == preview ]]; then
  (cd "$root/web" && npm run --silent build)
  serve_preview
  base_url="$preview_url"
else
  serve_check_embedded
fi

echo "e2e: running the browser tests against $base_url"
set +e
(cd "$root/web" && BASE_URL="$base_url" npm run --silent e2e)
status=$?
set -e
exit "$status"
