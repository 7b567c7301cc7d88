#!/usr/bin/env bash
# The long proofs: the suite's randomised tests run far longer than the test suite can afford
# (docs/BENCHMARKS.md, "Long proofs"). Each runs on SQLite and PostgreSQL from the suite's fixed
# seeds, so a failure replays with the same settings; prints each one's time and what it did.
#
#   scripts/proofs.sh                 # all three, at the sizes below
#   PROOF_SIM_SEEDS=5000 PROOF_MODEL_CASES=2000 PROOF_FUZZ_REQUESTS=100000 scripts/proofs.sh
#   scripts/proofs.sh sim             # only one: sim, model or fuzz
#
# sim:   the seeded sync simulation (sync_client.rs; the suite runs 200 seeds)
# model: the sequential model of a device on a failing network (sync_model.rs; the suite, 64 cases)
# fuzz:  another company's random requests over every route (tenant_fuzz.rs; the suite, 10,000)
# PostgreSQL as for the suite: BOSUN_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
export BOSUN_TEST_DATABASE_URL="${BOSUN_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export BOSUN_SIM_SEEDS="${PROOF_SIM_SEEDS:-1000}"
export BOSUN_MODEL_CASES="${PROOF_MODEL_CASES:-600}"
export BOSUN_FUZZ_REQUESTS="${PROOF_FUZZ_REQUESTS:-50000}"

declare -A filters=(
  [sim]=sync_client::BACKEND::seeded_simulation
  [model]=sync_model::BACKEND::a_device_on_a_failing_network
  [fuzz]=tenant_fuzz::BACKEND::another_company_learns_and_changes_nothing
)
chosen=("$@")
[[ ${#chosen[@]} -gt 0 ]] || chosen=(sim model fuzz)

cargo test -q -p bosun-server --test api --no-run 2>/dev/null || cargo test -p bosun-server --test api --no-run
status=0
for proof in "${chosen[@]}"; do
  [[ -n ${filters[$proof]:-} ]] || { echo "proofs: no proof named $proof (sim, model, fuzz)" >&2; exit 2; }
  for backend in sqlite postgres; do
    filter="${filters[$proof]/BACKEND/$backend}"
    started=$SECONDS
    if out="$(cargo test -q -p bosun-server --test api -- --nocapture --test-threads=1 "$filter" 2>&1)"; then
      result=passed
    else
      result=FAILED
      status=1
    fi
    summary="$(grep -E 'simulated seeds|cases|requests' <<<"$out" | grep -v '^running' | tail -n 1 || true)"
    printf 'proof %-6s %-8s %-6s %5d s  %s\n' "$proof" "$backend" "$result" "$((SECONDS - started))" "$summary"
    [[ $result == passed ]] || tail -n 40 <<<"$out" >&2
  done
done
exit "$status"
