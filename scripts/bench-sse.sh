#!/usr/bin/env bash
# SSE fan-out during a big run: COMPANIES simulated companies (default 1,000) of 50 jobs under
# the simulator's per-host limit, collected once to warm up, then three timed runs of every
# company: without subscribers, with SUBSCRIBERS (default 1,000) streams on
# /api/v1/runs/events, and without again. Prints each run's wall time and the server's peak
# RSS above idle, then `RESULT key value` lines for scripts/bench.sh. With READS_DIR set (and
# oha installed), also measures reads under writes into READS_DIR/oha-*.json: the job list and
# search while the warm-up run writes its first collection, and the job list during a fourth
# run, which invalidates the caches after every company. Release binaries first:
#   cargo build --release -p server -p sim && cargo build --release -p server --example sse_subscribers
set -euo pipefail
companies=${1:-1000}
subscribers=${2:-1000}
target=${CARGO_TARGET_DIR:-target}
bin=$target/release
sim_port=${SIM_PORT:-4200}
port=${PORT:-3500}
reads=${READS_DIR:-}
dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT

# The simulator refuses more than 600 requests a second per host; Jobscout keeps to 500.
"$bin/jobscout-sim" --addr "127.0.0.1:$sim_port" --companies "$companies" --jobs 50 --rate-limit 600 > "$dir/sim.log" 2>&1 &
sim=$!
pids+=($sim)
# Waits for URL to answer while process PID lives; if it dies (a port still taken), says why.
wait_for() {
  until curl -sf "$1" > "$3"; do
    kill -0 "$2" 2> /dev/null || { echo "exited before answering $1:" >&2; tail -n 5 "$4" >&2; exit 1; }
    sleep 0.1
  done
}
wait_for "http://127.0.0.1:$sim_port/_sim/config" "$sim" "$dir/config.yaml" "$dir/sim.log"
export JOBSCOUT_COLLECTION__PER_HOST_RPS=500 JOBSCOUT_LOG__LEVEL=warn
# Every company in one `company add` (each still checked with one fetch).
curl -sf "http://127.0.0.1:$sim_port/_sim/world" | grep -o '"paste_url":"[^"]*"' | cut -d'"' -f4 > "$dir/urls"
xargs "$bin/jobscout" --config "$dir/config.yaml" --db "$dir/jobs.db" company add < "$dir/urls" > /dev/null 2>&1 || true
# Started directly, so that $! is the server's own process.
"$bin/jobscout" --config "$dir/config.yaml" --db "$dir/jobs.db" \
  serve --addr "127.0.0.1:$port" > "$dir/server.log" 2>&1 &
server=$!
pids+=($server)
base="http://127.0.0.1:$port"
wait_for "$base/health" "$server" /dev/null "$dir/server.log"

rss() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }
# CPU time a process has used, in clock ticks (user + system).
cpu() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2> /dev/null || echo 0; }
ticks=$(getconf CLK_TCK)
# Reads for 10 s at 10 connections against URL into READS_DIR/oha-NAME.json, in the background.
reads_during() {
  [ -n "$reads" ] || return 0
  oha --no-tui --output-format json -z 10s -c 10 "$base$2" > "$reads/oha-$1.json" 2> /dev/null &
  wait $!
}
# Starts a run of every company, runs READS (a command) alongside, waits for the run, prints
# "milliseconds peak_rss_kb server_cpu_ms". Answers go to a file first: a pipe closed early by
# `head` would fail the pipeline under pipefail.
timed_run() {
  local start id peak=0 now status during=${1:-true} cpu_before
  cpu_before=$(cpu "$server")
  start=$(date +%s%N)
  curl -sf -X POST -H 'content-type: application/json' -d '{"all": true}' "$base/api/v1/runs" > "$dir/started.json"
  # The run's own fields come first in its JSON: its id, then its status.
  # awk reads to the end: `head` would close the pipe early and fail it under pipefail.
  id=$(grep -o '"id":[0-9]*' "$dir/started.json" | awk -F: 'NR == 1 { print $2 }')
  $during &
  local reader=$!
  while :; do
    now=$(rss)
    if [ "$now" -gt "$peak" ]; then peak=$now; fi
    curl -sf "$base/api/v1/runs/$id" > "$dir/run.json" || true
    status=$(grep -o '"status":"[a-z]*"' "$dir/run.json" | awk 'NR == 1')
    case "$status" in *running* | *queued* | "") sleep 0.2 ;; *) break ;; esac
  done
  echo "$(( ($(date +%s%N) - start) / 1000000 )) $peak $(( ($(cpu "$server") - cpu_before) * 1000 / ticks ))"
  wait "$reader" || true
}
first_collection_reads() {
  reads_during writes_list "/api/v1/jobs?limit=50"
  reads_during writes_search "/api/v1/jobs?q=engineer&limit=50"
}
invalidation_reads() { reads_during invalidate_list "/api/v1/jobs?limit=50"; }

echo "warm-up: $(timed_run first_collection_reads) (ms, peak RSS kB, server CPU ms)"
idle=$(rss)
read -r a_ms a_peak a_cpu <<< "$(timed_run)"
# 0: each subscriber follows the first run that starts after it connected. The subscribers
# share the two cores with the server they measure: at the lowest priority they take only the
# CPU the server leaves, as clients on other machines would.
nice -n 19 "$target/release/examples/sse_subscribers" "$base" "$subscribers" 0 > "$dir/subscribers.txt" 2>&1 &
subs=$!
pids+=($subs)
sleep 5
subs_idle=$(rss)
# One more stream, kept as it arrives: what a tab is sent during the run, in bytes.
curl -sN "$base/api/v1/runs/events" > "$dir/stream.txt" &
streamer=$!
pids+=($streamer)
read -r b_ms b_peak b_cpu <<< "$(timed_run)"
sleep 1
kill "$streamer" 2> /dev/null || true
stream_bytes=$(wc -c < "$dir/stream.txt")
wait "$subs" || true
# The subscribers' own CPU: they share the cores with the server.
subs_cpu=$(grep -o 'CPU [0-9]* ms' "$dir/subscribers.txt" | grep -o '[0-9]*' || echo 0)
read -r c_ms c_peak c_cpu <<< "$(timed_run)"
# Once more, with reads alongside (not part of the comparison above).
timed_run invalidation_reads > /dev/null
slowdown=$(awk -v b="$b_ms" -v a="$a_ms" -v c="$c_ms" 'BEGIN { printf "%.2f", 2 * b / (a + c) }')
echo "idle RSS: ${idle} kB; with $subscribers streams open before the run: ${subs_idle} kB"
echo "run without subscribers:   ${a_ms} ms, peak RSS +$(( (a_peak - idle) / 1024 )) MB, server CPU ${a_cpu} ms"
echo "run with $subscribers subscribers: ${b_ms} ms, peak RSS +$(( (b_peak - idle) / 1024 )) MB, server CPU ${b_cpu} ms (the subscribers used ${subs_cpu} ms)"
echo "run without again:         ${c_ms} ms, peak RSS +$(( (c_peak - idle) / 1024 )) MB, server CPU ${c_cpu} ms"
echo "slowdown with subscribers: $slowdown x the mean of the runs without"
echo "one stream was sent $stream_bytes bytes from before the run to its end"
cat "$dir/subscribers.txt"
finished=$(grep -o '^[0-9]*/' "$dir/subscribers.txt" | tr -d / || echo 0)
echo "RESULT sse_finished ${finished:-0}"
echo "RESULT sse_without_ms $a_ms"
echo "RESULT sse_with_ms $b_ms"
echo "RESULT sse_again_ms $c_ms"
echo "RESULT sse_slowdown $slowdown"
echo "RESULT sse_cpu_ratio $(awk -v b="$b_cpu" -v a="$a_cpu" -v c="$c_cpu" 'BEGIN { printf "%.2f", 2 * b / (a + c) }')"
echo "RESULT sse_subscribers_cpu_ms $subs_cpu"
echo "RESULT sse_stream_bytes $stream_bytes"
echo "RESULT sse_connect_growth_mb $(( (subs_idle - idle) / 1024 ))"
echo "RESULT sse_run_growth_mb $(( (b_peak - subs_idle) / 1024 ))"
echo "RESULT sse_total_growth_mb $(( (b_peak - idle) / 1024 ))"
