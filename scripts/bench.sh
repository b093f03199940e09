#!/usr/bin/env bash
# `make bench`: every performance figure Jobscout claims, measured here and written into
# docs/BENCHMARKS.md between its "summary" markers (the sections below them explain each
# figure and keep earlier measurements). Builds release, seeds 5,000 / 100,000 / 1,000,000-job
# databases (kept in $CARGO_TARGET_DIR/bench-db between runs; BENCH_RESEED=1 seeds afresh), then:
# the store and LLM criterion benches, HTTP load with oha at 1, 50 and 100 connections, the
# ADR's cached and cold list at 5,000 jobs, collection throughput, LLM extraction, SSE fan-out
# to 1,000 subscribers with reads under writes, server RSS, the wasm bundle.
# Loopback only; every load step is bounded in time. About 15 minutes on 2 cores once built.
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTFLAGS="--cfg erase_components" LEPTOS_OUTPUT_NAME=jobscout
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
target=${CARGO_TARGET_DIR:-target}
export CARGO_TARGET_DIR=$target
bin=$target/release
dbs=$target/bench-db
work=$(mktemp -d)
results=$work/results
mkdir -p "$dbs"
: > "$results"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
started=$(date +%s)
say() { echo "== $* ($(( $(date +%s) - started )) s)" >&2; }
put() { printf '%s\t%s\n' "$1" "$2" >> "$results"; }
get() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$results"; }

say "tools"
command -v jq > /dev/null || apt-get install -y jq > /dev/null 2>&1 || sudo apt-get install -y jq
if ! oha --version 2> /dev/null | grep -q '1\.16\.0'; then
  cargo install --locked oha --version 1.16.0 || cargo install oha --version 1.16.0
fi

say "release build"
cargo leptos build --release > "$work/build.log" 2>&1 || { tail -n 30 "$work/build.log"; exit 1; }
cargo build --release -p sim --bin jobscout-sim -p server --example sse_subscribers > "$work/build.log" 2>&1 ||
  { tail -n 30 "$work/build.log"; exit 1; }

say "databases"
for n in 5000 100000 1000000; do
  if [ "${BENCH_RESEED:-0}" = 1 ] || [ ! -s "$dbs/$n.db" ]; then
    rm -f "$dbs/$n.db" "$dbs/$n.db-wal" "$dbs/$n.db-shm"
    "$bin/jobscout" --db "$dbs/$n.db" seed --synthetic "$n" > "$work/seed-$n.txt"
    # "N jobs in C companies (...) in S s (I s of it building indexes): R jobs/s"
    put "seed_${n}_s" "$(grep -o 'in [0-9.]* s (' "$work/seed-$n.txt" | grep -o '[0-9.]*')"
  fi
  put "db_${n}_bytes" "$(stat -c %s "$dbs/$n.db")"
done

say "criterion: store at 100,000 and 1,000,000 jobs, LLM preparation"
for n in 100000 1000000; do
  JOBSCOUT_BENCH_JOBS=$n JOBSCOUT_BENCH_DB="$dbs/$n.db" \
    cargo bench -p server --bench store -- --noplot --sample-size 10 --warm-up-time 0.5 \
      --measurement-time 2 > "$work/store-$n.log" 2>&1 ||
    { tail -n 30 "$work/store-$n.log"; exit 1; }
  cp "$dbs/$n.md" "$work/store-$n.md"
done
cargo bench -p server --bench llm -- --noplot --warm-up-time 1 --measurement-time 2 > "$work/llm.log" 2>&1 ||
  { tail -n 30 "$work/llm.log"; exit 1; }

# A store case's p95 in milliseconds, from the bench's table ("1.23 ms" or "850.0 µs").
p95() {
  awk -F'|' -v c="$2" '$2 ~ "^ " c " $" {
    v = $5; gsub(/ /, "", v); n = v + 0; if (v ~ /µs/) n /= 1000; print n }' "$work/store-$1.md"
}
# The slowest p95 among cases starting with a prefix.
p95_max() {
  awk -F'|' -v c="$2" 'index($2, " " c) == 1 {
    v = $5; gsub(/ /, "", v); n = v + 0; if (v ~ /µs/) n /= 1000; if (n > m) m = n } END { print m }' "$work/store-$1.md"
}
for n in 100000 1000000; do
  put "first_page_p95_$n" "$(p95 $n list/first_page)"
  put "page_1000_p95_$n" "$(p95 $n list/page_1000)"
  put "filters_p95_$n" "$(p95_max $n list/)"
  put "search_p95_$n" "$(p95_max $n search/)"
  put "cache_hit_p95_$n" "$(p95 $n cache/hit)"
  put "upsert_jobs_s_$n" "$(grep -o 'upsert/200_new[^(]*([0-9]*' "$work/store-$n.md" | grep -o '[0-9]*$')"
done
put cache_key_long_us "$(grep -A1 'cache_key/long page' "$work/llm.log" | grep -o 'time: *\[[^]]*\]' | awk '{ print $4, $5 }')"

# The server on DB with the built site, at ADDR; its pid in $server.
serve() {
  LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg JOBSCOUT_LOG__LEVEL=warn \
    "$bin/jobscout" --db "$1" serve --addr "127.0.0.1:$2" > "$work/server.log" 2>&1 &
  server=$!
  pids+=("$server")
  until curl -sf "http://127.0.0.1:$2/health" > /dev/null; do sleep 0.2; done
}
stop() { kill "$server"; wait "$server" 2> /dev/null || true; }
rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }
# oha for SECONDS at CONNECTIONS against URL (extra oha flags after), JSON kept as NAME.
# At 100 connections (the figures targets judge) oha runs three times and the median run by
# requests/s is reported: on two cores shared with oha one 5 s sample swings by ±20 %.
load() {
  local name=$1 seconds=$2 connections=$3 url=$4
  shift 4
  local runs=1 i median
  [ "$connections" -ge 100 ] && runs=3
  for i in $(seq "$runs"); do
    oha --no-tui --output-format json -z "${seconds}s" -c "$connections" "$@" "$url" > "$work/oha-$name-$i.json"
  done
  median=$(for i in $(seq "$runs"); do
    echo "$(jq '.summary.requestsPerSec' "$work/oha-$name-$i.json") $i"
  done | sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2) { print $2 }')
  cp "$work/oha-$name-$median.json" "$work/oha-$name.json"
  put "${name}_runs" "$(for i in $(seq "$runs"); do jq '.summary.requestsPerSec | floor' "$work/oha-$name-$i.json"; done | paste -sd/)"
  put "${name}_rps" "$(jq '.summary.requestsPerSec | floor' "$work/oha-$name.json")"
  put "${name}_p50" "$(jq '.latencyPercentiles.p50 * 1000 * 100 | round / 100' "$work/oha-$name.json")"
  put "${name}_p99" "$(jq '.latencyPercentiles.p99 * 1000 * 100 | round / 100' "$work/oha-$name.json")"
  # Requests still in flight when the time is up are cut off by oha, not failed by the server.
  put "${name}_errors" "$(jq '[.statusCodeDistribution | to_entries[] | select(.key != "200") | .value] + [.errorDistribution | to_entries[] | select(.key | test("deadline") | not) | .value] | add // 0' "$work/oha-$name.json")"
}

say "HTTP load at 100,000 jobs"
serve "$dbs/100000.db" 3600
base=http://127.0.0.1:3600
put rss_idle_100000_kb "$(rss_kb)"
peak=0
for c in 1 50 100; do
  for what in jobs search page page_cold; do
    flags=()
    case $what in
      jobs) url="$base/api/v1/jobs?limit=50" ;;
      search) url="$base/api/v1/jobs?q=engineer&limit=50" ;;
      page) url="$base/" ;;
      # Rendered afresh from the database every time, past every cache: its cost is the
      # counts query (a few hundred ms at 100,000 jobs), so one connection says it all.
      page_cold) [ "$c" -eq 1 ] || continue
        url="$base/"; flags=(-H "Cache-Control: no-cache") ;;
    esac
    load "${what}_100000_c$c" 5 "$c" "$url" "${flags[@]}"
    now=$(rss_kb)
    [ "$now" -gt "$peak" ] && peak=$now
  done
done
put rss_load_100000_kb "$peak"
stop

say "HTTP load at 1,000,000 jobs"
serve "$dbs/1000000.db" 3601
base=http://127.0.0.1:3601
put rss_idle_1000000_kb "$(rss_kb)"
load search_1000000_c100 5 100 "$base/api/v1/jobs?q=engineer&limit=50"
load jobs_1000000_c100 5 100 "$base/api/v1/jobs?limit=50"
put rss_load_1000000_kb "$(rss_kb)"
stop

say "the ADR's list at 5,000 jobs, cached and cold"
serve "$dbs/5000.db" 3602
base=http://127.0.0.1:3602
load adr_cached_5000 5 50 "$base/api/v1/jobs?limit=50"
load adr_cold_5000 5 50 "$base/api/v1/jobs?limit=50" -H 'cache-control: no-cache'
load adr_indexed_5000 5 1 "$base/api/v1/jobs?limit=50&remote=remote&sort=salary" -H 'cache-control: no-cache'
stop

say "collection: 5 companies x 20 jobs"
for i in 1 2 3; do
  PORT=4110 scripts/bench-collect.sh 5 20 > "$work/collect-$i.txt" 2>&1
  grep -o 'scrape: [0-9]* ms' "$work/collect-$i.txt" | grep -o '[0-9]*' >> "$work/collect-ms"
done
put collect_100_ms "$(sort -n "$work/collect-ms" | sed -n 2p)"

say "LLM extraction: 100 pages, 500 ms each, 8 at once"
SIM_PORT=4310 scripts/bench-llm.sh 10 10 500 8 > "$work/llm-run.txt" 2>&1
put llm_first_ms "$(grep -o 'first scrape: [0-9]* ms' "$work/llm-run.txt" | grep -o '[0-9]*')"
put llm_pages "$(grep -o '[0-9]* job pages' "$work/llm-run.txt" | grep -o '[0-9]*')"
put llm_requests "$(grep -o '[0-9]* LLM requests (' "$work/llm-run.txt" | grep -o '[0-9]*')"
put llm_second_requests "$(grep -o '[0-9]* new LLM requests' "$work/llm-run.txt" | grep -o '[0-9]*')"

say "SSE fan-out to 1,000 subscribers, reads under writes"
READS_DIR=$work SIM_PORT=4210 PORT=3510 scripts/bench-sse.sh 1000 1000 > "$work/sse.txt" 2>&1 ||
  { cat "$work/sse.txt"; exit 1; }
grep '^RESULT' "$work/sse.txt" | while read -r _ key value; do put "$key" "$value"; done
for name in writes_list writes_search invalidate_list; do
  if [ -s "$work/oha-$name.json" ]; then
    put "${name}_p50" "$(jq '.latencyPercentiles.p50 * 1000 * 100 | round / 100' "$work/oha-$name.json")"
    put "${name}_p99" "$(jq '.latencyPercentiles.p99 * 1000 * 100 | round / 100' "$work/oha-$name.json")"
    put "${name}_rps" "$(jq '.summary.requestsPerSec | floor' "$work/oha-$name.json")"
  fi
done

wasm=target/site/pkg/jobscout.wasm
put wasm_raw "$(stat -c %s "$wasm")"
put wasm_gzip "$(gzip -9 -c "$wasm" | wc -c)"
put minutes "$(( ($(date +%s) - started + 59) / 60 ))"

say "writing docs/BENCHMARKS.md"
scripts/bench-report.sh "$results" "$work" > "$work/summary.md"
awk -v summary="$work/summary.md" '
  /<!-- bench:summary:begin -->/ { print; while ((getline line < summary) > 0) print line; skip = 1; next }
  /<!-- bench:summary:end -->/ { skip = 0 }
  !skip { print }' docs/BENCHMARKS.md > "$work/BENCHMARKS.md"
cp "$work/BENCHMARKS.md" docs/BENCHMARKS.md
say "done"
cat "$work/summary.md"
