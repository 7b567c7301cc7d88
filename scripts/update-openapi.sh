#!/usr/bin/env bash
# Regenerates everything derived from the OpenAPI document after an intended API change: the
# snapshot, the web app's copy (web/src/api/openapi.json) and its generated TypeScript types
# (web/src/api/schema.gen.ts, never edited by hand).
#
# The API test `openapi::the_openapi_document_is_unchanged` compares the document the server
# serves at /api/v1/openapi.json with the committed snapshot
# crates/server/tests/api/snapshots/api__openapi__openapi.snap, so any change to routes,
# bodies or views fails the suite until the snapshot is regenerated with this script and
# committed; the diff of the .snap file is the API change a reviewer reads.
#
# Usage: scripts/update-openapi.sh   (from anywhere in the repository)
set -euo pipefail
cd "$(dirname "$0")/.."

# The web app's copy and its generated types.
cargo run -q -p bosun-server --bin bosun -- openapi > web/src/api/openapi.json
(cd web && npm run --silent gen:api)

# Write the new snapshot in place (no .snap.new left behind for cargo-insta to review).
INSTA_UPDATE=always cargo test -p bosun-server --test api -- openapi::
# Then prove the committed form passes as CI will run it.
INSTA_UPDATE=no cargo test -p bosun-server --test api -- openapi::

git --no-pager diff --stat -- crates/server/tests/api/snapshots/ web/src/api/ || true
echo "Updated; review the diff above and commit crates/server/tests/api/snapshots/ and web/src/api/."
