#!/usr/bin/env bash
# The kill -9 durability bench: runs the harness of crates/server/tests/durability.rs for many
# trials (SECURITY.md, "Durability and recovery") and prints its figures: trials, acknowledged
# writes, losses (must be 0) and acknowledged writes per second.
#
# Usage: scripts/durability-bench.sh [TRIALS]            (default 25)
# Environment: BOSUN_DURABILITY_WRITERS  concurrent writers per trial (default 8)
#              PROFILE                   release (default) or dev, the build the figures come from
# Only 127.0.0.1 is used: each trial starts `bosun serve` on a fresh SQLite data dir.
set -euo pipefail
cd "$(dirname "$0")/.."

trials="${1:-${BOSUN_DURABILITY_TRIALS:-25}}"
profile="${PROFILE:-release}"
case "$profile" in
    release) build=(--release) ;;
    dev) build=() ;;
    *) echo "PROFILE must be release or dev, not $profile" >&2; exit 2 ;;
esac

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
echo "durability bench: $trials trials, ${BOSUN_DURABILITY_WRITERS:-8} writers, $profile build" >&2
status=0
BOSUN_DURABILITY_TRIALS="$trials" cargo test "${build[@]}" -p bosun-server --test durability \
    -- --nocapture --test-threads=1 >"$log" 2>&1 || status=$?

grep '^durability:' "$log" || true
if [ "$status" -ne 0 ]; then
    echo "durability bench FAILED (exit $status); the end of the output:" >&2
    tail -n 40 "$log" >&2
    exit "$status"
fi
