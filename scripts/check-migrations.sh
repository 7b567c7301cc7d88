#!/usr/bin/env bash
# Every schema change adds one file to each migrations folder in the same commit (STYLE.md §4):
# migrations/sqlite and migrations/postgres must hold the same file names. Exits non-zero,
# naming each file that has no counterpart. Usage: scripts/check-migrations.sh [repo-root]
set -euo pipefail

root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
sqlite_dir="$root/migrations/sqlite"
postgres_dir="$root/migrations/postgres"

for dir in "$sqlite_dir" "$postgres_dir"; do
    if [[ ! -d "$dir" ]]; then
        echo "check-migrations: missing folder $dir" >&2
        exit 2
    fi
done

list() { find "$1" -mindepth 1 -maxdepth 1 -type f -printf '%f\n' | LC_ALL=C sort; }

only_sqlite="$(LC_ALL=C comm -23 <(list "$sqlite_dir") <(list "$postgres_dir"))"
only_postgres="$(LC_ALL=C comm -13 <(list "$sqlite_dir") <(list "$postgres_dir"))"

if [[ -z "$only_sqlite" && -z "$only_postgres" ]]; then
    echo "check-migrations: migrations/sqlite and migrations/postgres have the same $(list "$sqlite_dir" | wc -l) file(s)"
    exit 0
fi

while IFS= read -r name; do
    [[ -n "$name" ]] && echo "check-migrations: $name is in migrations/sqlite but not in migrations/postgres" >&2
done <<<"$only_sqlite"
while IFS= read -r name; do
    [[ -n "$name" ]] && echo "check-migrations: $name is in migrations/postgres but not in migrations/sqlite" >&2
done <<<"$only_postgres"
exit 1
