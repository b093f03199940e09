#!/usr/bin/env bash
# USERS simulated users (default 100) for SECONDS (default 300) against the release server on
# a copy of the 100,000-job benchmark database: lists, searches, job details, the rendered Jobs
# page and writes (server/benches/users.rs). Prints latency per action, errors, and the server's
# RSS every 5 s with its trend. Loopback only; the copy is deleted afterwards.
# Needs the release build and the bench databases: run `make bench` once (or
# `cargo leptos build --release` and `jobscout seed --synthetic 100000`, DB=that file).
# Usage: scripts/load-users.sh [SECONDS] [USERS]
set -euo pipefail
seconds=${1:-300}
users=${2:-100}
target=${CARGO_TARGET_DIR:-target}
bin=$target/release
db=${DB:-$target/bench-db/100000.db}
port=${PORT:-3700}
[ -f "$db" ] || { echo "no database at $db: run make bench once, or set DB" >&2; exit 1; }
dir=$(mktemp -d)
server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2> /dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
# Writes change the copy, never the benchmark database.
cp "$db" "$dir/jobs.db"
LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg JOBSCOUT_LOG__LEVEL=warn \
  "$bin/jobscout" --db "$dir/jobs.db" serve --addr "127.0.0.1:$port" > "$dir/server.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health" > /dev/null; do sleep 0.2; done
RUSTFLAGS="" cargo bench --quiet -p server --bench users -- \
  "http://127.0.0.1:$port" "$seconds" "$users" "$server"
