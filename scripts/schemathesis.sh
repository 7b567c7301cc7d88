#!/usr/bin/env bash
# Property-based tests of the API against its own OpenAPI document, with schemathesis (PyPI):
# every phase (examples, coverage, fuzzing, stateful), every check, as the demo owner.
#
#   scripts/schemathesis.sh                           # 100 examples per operation
#   SCHEMATHESIS_MAX_EXAMPLES=20 scripts/schemathesis.sh
#   SCHEMATHESIS_EXCLUDE='POST /api/v1/faults,GET /api/v1/audit' scripts/schemathesis.sh
#   BOSUN_BIN=/path/to/bosun scripts/schemathesis.sh
#
# Settings (environment):
#   SCHEMATHESIS_MAX_EXAMPLES  test cases per operation and phase (default 100)
#   SCHEMATHESIS_SEED          hypothesis seed, fixed so that runs repeat (default 20260101)
#   SCHEMATHESIS_WORKERS       concurrent workers (default 1; see below)
#   SCHEMATHESIS_EXCLUDE       comma-separated operations to leave out, as 'METHOD /api/v1/path'
#   SCHEMATHESIS_EXCLUDE_SESSION
#                              the operations that could end the run's session or change its
#                              password, left out by default (below); set it empty to test them
#   SCHEMATHESIS_ARGS          more arguments for `schemathesis run`, word-split
#
# Installs schemathesis into target/schemathesis-venv (once per pinned version), starts
# `bosun serve --demo` on a free loopback port with a fresh SQLite data directory, waits for
# /readyz, runs schemathesis against /api/v1/openapi.json, stops the server and exits with
# schemathesis' result: non-zero when it found a failure. The owner's token comes from
# scripts/schemathesis/hooks.py, which signs in once and refreshes the session every
# 10 minutes (access tokens live at most 15). In target/schemathesis/: junit.xml,
# events.ndjson (every request and response), output.txt (the console), summary.txt (the
# failures grouped by kind, with a curl command each) and server.log.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BOSUN_BIN:-$root/target/release/bosun}"
venv="$root/target/schemathesis-venv"
out="$root/target/schemathesis"
# Pinned exactly: a new schemathesis release adds checks and changes what it generates, so an
# unpinned one would fail (or pass) a run for reasons outside this repository. 4.32.5 is the
# newest release PyPI offered when this script was written; raise it deliberately.
version="4.32.5"
max_examples="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
seed="${SCHEMATHESIS_SEED:-20260101}"
# One worker: two were no faster (the run waits on the server, 97 s against 87-94 s at 100
# examples), the stateful phase then repeats more closely from the seed, and two threads can
# meet in CPython 3.11's ast.parse (hypothesis parses its own sources to describe filters),
# which fails a run now and then with "SystemError: AST constructor recursion depth mismatch".
workers="${SCHEMATHESIS_WORKERS:-1}"
# The demo owner (see crates/demo): every operation is open to them.
email="owner@northwind.example"
company="northwind"
password="bosun-demo-2026"

# Left out by default: what would end the session whose token the run uses, or take away
# the credentials it signs in again with. Once either happens, every later request answers
# 401, and the failures are the script's, not the API's.
#   POST /auth/logout        ends the session its bearer token belongs to (today every fuzzed
#                            call is refused 403 for lacking X-Requested-With, which the schema
#                            does not mention; once it does, this would sign the run out)
#   DELETE /me/sessions/{id} the stateful phase reads the run's own session id from
#                            GET /me/sessions and can end it
#   PUT /me/password         a success changes the password the run signs in with; it cannot
#                            guess the current one, but it is one request from breaking the run
# DELETE /me/mfa and POST /me/mfa/recovery-codes stay in: with a wrong password (all the run
# can send) they only count towards locking the login, which the hook's refresh does not meet.
default_session_ops='POST /api/v1/auth/logout,DELETE /api/v1/me/sessions/{id},PUT /api/v1/me/password'
session_ops="${SCHEMATHESIS_EXCLUDE_SESSION-$default_session_ops}"

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "schemathesis: $*" >&2; exit 1; }
[[ -x $bin ]] || fail "no server binary at $bin (build it with: cargo build --release)"
command -v python3 >/dev/null || fail "python3 is missing"
[[ $max_examples =~ ^[1-9][0-9]*$ ]] || fail "SCHEMATHESIS_MAX_EXAMPLES must be a positive number, not '$max_examples'"
started=$SECONDS

step "schemathesis $version in ${venv#"$root"/}"
if [[ "$("$venv/bin/schemathesis" --version 2>/dev/null || true)" != *"version $version" ]]; then
  rm -rf "$venv"
  # Debian's python3 makes virtual environments only with python3-venv (for ensurepip).
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    echo "schemathesis: installing python3-venv from Debian"
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends python3-venv
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
"$venv/bin/schemathesis" --version

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until the URL answers 200, or fails when the process is gone or time is up.
wait_for() {
  local url=$1 pid=$2
  for _ in $(seq 1 240); do
    if curl -fs -o /dev/null --max-time 2 "$url"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "schemathesis: the server exited before it was ready" >&2; return 1; }
    sleep 0.5
  done
  echo "schemathesis: the server was not ready after 120 s" >&2
  return 1
}

work="$(mktemp -d -t bosun-schemathesis.XXXXXX)"
mkdir -p "$work/data"
rm -rf "$out"
mkdir -p "$out"
server_pid=""
cleanup() {
  if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ -f $work/server.log ]]; then cp "$work/server.log" "$out/server.log"; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(free_port)"
base_url="http://127.0.0.1:$port"
step "bosun serve --demo on 127.0.0.1:$port"
# Rate limits high enough never to answer 429 to the run: it makes thousands of requests a
# minute as one person from one address. Everything else is the default configuration.
BOSUN__LIMITS__BASIC_PER_MINUTE=1000000 \
BOSUN__LIMITS__PRO_PER_MINUTE=1000000 \
BOSUN__LIMITS__ENTERPRISE_PER_MINUTE=1000000 \
BOSUN__LIMITS__ANONYMOUS_PER_MINUTE=1000000 \
  "$bin" serve --demo --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
if ! wait_for "$base_url/readyz" "$server_pid"; then
  tail -n 40 "$work/server.log" >&2
  exit 1
fi
# Fails early, and plainly, when the demo login does not work.
curl -fsS -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\",\"company\":\"$company\"}" "$base_url/api/v1/auth/login" ||
  fail "the demo owner cannot sign in"

args=(
  run "$base_url/api/v1/openapi.json"
  --url "$base_url"
  --phases examples,coverage,fuzzing,stateful
  --checks all
  # Every case of a scenario runs even after one failed, so the reports list every failure.
  --continue-on-failure
  --max-examples "$max_examples"
  --seed "$seed"
  --workers "$workers"
  # No example database: a run replays nothing from an earlier one, so the seed decides it.
  --generation-database none
  --report junit,ndjson
  --report-junit-path "$out/junit.xml"
  # Every request and response, for reading failures after the fact.
  --report-ndjson-path "$out/events.ndjson"
  --no-color
)
excluded=()
IFS=',' read -r -a listed <<<"$session_ops,${SCHEMATHESIS_EXCLUDE:-}"
for op in "${listed[@]}"; do
  op="${op#"${op%%[![:space:]]*}"}"
  op="${op%"${op##*[![:space:]]}"}"
  if [[ -n $op ]]; then
    excluded+=("$op")
    args+=(--exclude-name "$op")
  fi
done
# shellcheck disable=SC2206 # word-split on purpose
if [[ -n ${SCHEMATHESIS_ARGS:-} ]]; then args+=($SCHEMATHESIS_ARGS); fi

step "schemathesis: $max_examples examples per operation, seed $seed"
if ((${#excluded[@]})); then printf 'left out: %s\n' "${excluded[@]}"; else echo 'left out: nothing'; fi
set +e
(
  cd "$out"
  export SCHEMATHESIS_HOOKS="$root/scripts/schemathesis/hooks.py"
  export BOSUN_ST_BASE_URL="$base_url" BOSUN_ST_EMAIL="$email" BOSUN_ST_PASSWORD="$password" BOSUN_ST_COMPANY="$company"
  "$venv/bin/schemathesis" "${args[@]}"
) 2>&1 | tee "$out/output.txt"
status=${PIPESTATUS[0]}
set -e

# The failures grouped by kind, with one curl each (scripts/schemathesis/summarize.py).
if [[ -f $out/events.ndjson ]]; then
  python3 "$root/scripts/schemathesis/summarize.py" "$out/events.ndjson" >"$out/summary.txt" || true
  step "failures by kind (${out#"$root"/}/summary.txt)"
  grep -a '^##\|^No failures' "$out/summary.txt" || true
fi

printf '\nschemathesis exited %d after %d s; reports in %s\n' "$status" "$((SECONDS - started))" "${out#"$root"/}"
exit "$status"
