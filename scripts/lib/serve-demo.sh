# shellcheck shell=bash
# Serving Bosun with its demo data for the browser tests (scripts/e2e.sh) and the web app's
# figures (scripts/web-bench.sh). Sourced, not run. The caller sets:
#
#   serve_tag   how messages start ("e2e", "web-bench")
#   work        a scratch directory of its own (the data directory and logs go there)
#
# and calls serve_stop from its EXIT trap. Exposes free_port, wait_for, serve_demo (the server:
# server_pid, server_url), serve_preview (vite preview of web/dist proxying to the server:
# preview_pid, preview_url) and serve_check_embedded (the binary serves a web app at /).

serve_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
server_pid=""
server_url=""
preview_pid=""
preview_url=""

# A free loopback port (the kernel's choice, released before use).
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Waits until the URL answers 200, or fails when the process is gone or time is up.
wait_for() {
  local url=$1 pid=$2 what=$3
  for _ in $(seq 1 240); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "$serve_tag: $what exited before it was ready" >&2; return 1; }
    sleep 0.5
  done
  echo "$serve_tag: $what was not ready after 120 s" >&2
  return 1
}

# `$1 serve --demo` on a free loopback port with a fresh data directory under $work, so each
# run begins from the same demo data; its log is $work/server.log.
serve_demo() {
  local bin=$1 port
  mkdir -p "$work/data"
  port="$(free_port)"
  "$bin" serve --demo --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  server_pid=$!
  server_url="http://127.0.0.1:$port"
  if ! wait_for "$server_url/readyz" "$server_pid" "the server"; then
    tail -n 40 "$work/server.log" >&2
    return 1
  fi
}

# `vite preview` of web/dist (build it first) proxying /api to the server; log $work/preview.log.
serve_preview() {
  local port
  port="$(free_port)"
  (cd "$serve_root/web" && BOSUN_API_URL="$server_url" exec node node_modules/vite/bin/vite.js preview --host 127.0.0.1 --port "$port" --strictPort) \
    >"$work/preview.log" 2>&1 &
  preview_pid=$!
  preview_url="http://127.0.0.1:$port"
  wait_for "$preview_url/" "$preview_pid" "vite preview" || { cat "$work/preview.log" >&2; return 1; }
}

# Whether the server itself serves the web app (the copy embedded in the binary at its build).
serve_check_embedded() {
  if ! curl -fsS --max-time 5 "$server_url/" | grep -q 'id="root"'; then
    echo "$serve_tag: $server_url/ does not serve the web app; the binary embeds web/dist as it was when it was built (run 'npm run build' in web/ and rebuild the binary, or serve a fresh build with vite preview)" >&2
    return 1
  fi
}

# Stops the preview and the server, if started.
serve_stop() {
  local pid
  for pid in "$preview_pid" "$server_pid"; do
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
}
