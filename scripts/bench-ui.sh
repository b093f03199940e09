#!/usr/bin/env bash
# UI figures for docs/BENCHMARKS.md: release build, 100,000 synthetic jobs, then
#   - the server-rendered Jobs page (50 jobs): median and p95 of 200 requests;
#   - Playwright at 100,000 jobs: next page after the sentinel, search results after the last
#     keystroke, DOM size after scrolling through 1,000 jobs (end2end/perf/ui.spec.ts);
#   - the release wasm bundle, raw and gzip -9.
# Usage: scripts/bench-ui.sh [JOBS]   (needs `make setup` and `make setup-browser` done once)
set -euo pipefail
jobs=${1:-100000}
target=${CARGO_TARGET_DIR:-target}
port=${PORT:-3400}
export PATH="$PWD/node_modules/.bin:$PATH"
cargo leptos build --release > /dev/null
dir=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$dir"' EXIT
"$target/release/jobscout" --db "$dir/jobs.db" seed --synthetic "$jobs" > /dev/null
LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=jobscout \
  JOBSCOUT_LOG__LEVEL=warn "$target/release/jobscout" --db "$dir/jobs.db" serve --addr "127.0.0.1:$port" > "$dir/server.log" 2>&1 &
server=$!
until curl -sf "http://127.0.0.1:$port/health" > /dev/null; do sleep 0.2; done

for _ in $(seq 20); do curl -s -o /dev/null "http://127.0.0.1:$port/"; done
for _ in $(seq 200); do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/"; done |
  sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "SSR Jobs page (50 of %s jobs): median %.1f ms, p95 %.1f ms over %d requests\n", "'"$jobs"'", t[int(NR / 2) + 1], t[int(NR * 0.95)], NR }'

(cd end2end && BASE_URL="http://127.0.0.1:$port" npx playwright test --config perf/playwright.config.ts > "$dir/perf.log" 2>&1) ||
  { cat "$dir/perf.log"; exit 1; }
grep -o 'UI-PERF.*' "$dir/perf.log"

wasm=target/site/pkg/jobscout.wasm
echo "wasm bundle: $(stat -c %s "$wasm") B raw, $(gzip -9 -c "$wasm" | wc -c) B gzip -9"
