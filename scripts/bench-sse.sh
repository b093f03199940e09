#!/usr/bin/env bash
# SSE fan-out during a big run: COMPANIES simulated companies (default 1,000) of 50 jobs under
# the simulator's per-host limit, collected once to warm up, then three timed runs of every
# company: without subscribers, with SUBSCRIBERS (default 1,000) streams on
# /api/v1/runs/events, and without again. Prints each run's wall time and the server's peak
# RSS above idle. Release binaries first:
#   cargo build --release -p server -p sim && cargo build --release -p server --example sse_subscribers
set -euo pipefail
companies=${1:-1000}
subscribers=${2:-1000}
target=${CARGO_TARGET_DIR:-target}
bin=$target/release
sim_port=${SIM_PORT:-4200}
port=${PORT:-3500}
dir=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$dir"' EXIT

"$bin/jobscout-sim" --addr "127.0.0.1:$sim_port" --companies "$companies" --jobs 50 --rate-limit 250 > "$dir/sim.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$sim_port/_sim/config" > "$dir/config.yaml"; do sleep 0.1; done
js() { JOBSCOUT_LOG__LEVEL=warn "$bin/jobscout" --config "$dir/config.yaml" --db "$dir/jobs.db" "$@"; }
curl -sf "http://127.0.0.1:$sim_port/_sim/world" | grep -o '"paste_url":"[^"]*"' | cut -d'"' -f4 |
  while read -r url; do js company add "$url" > /dev/null 2>&1 || true; done
# Started directly (not through `js`), so that $! is the server's own process.
JOBSCOUT_LOG__LEVEL=warn "$bin/jobscout" --config "$dir/config.yaml" --db "$dir/jobs.db" \
  serve --addr "127.0.0.1:$port" > "$dir/server.log" 2>&1 &
server=$!
pids+=($server)
base="http://127.0.0.1:$port"
until curl -sf "$base/health" > /dev/null; do sleep 0.2; done

rss() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }
# Starts a run of every company, waits for it, prints "milliseconds peak_rss_kb". Answers go
# to a file first: a pipe closed early by `head` would fail the pipeline under pipefail.
timed_run() {
  local start id peak=0 now status
  start=$(date +%s%N)
  curl -sf -X POST -H 'content-type: application/json' -d '{"all": true}' "$base/api/v1/runs" > "$dir/started.json"
  # The run's own fields come first in its JSON: its id, then its status.
  id=$(grep -o '"id":[0-9]*' "$dir/started.json" | head -n 1 | cut -d: -f2)
  while :; do
    now=$(rss)
    if [ "$now" -gt "$peak" ]; then peak=$now; fi
    curl -sf "$base/api/v1/runs/$id" > "$dir/run.json" || true
    status=$(grep -o '"status":"[a-z]*"' "$dir/run.json" | head -n 1)
    case "$status" in *running* | *queued* | "") sleep 0.2 ;; *) break ;; esac
  done
  echo "$(( ($(date +%s%N) - start) / 1000000 )) $peak"
}

echo "warm-up: $(timed_run) (ms, peak RSS kB)"
idle=$(rss)
result=$(timed_run)
a_ms=${result% *} a_peak=${result#* }
# 0: each subscriber follows the first run that starts after it connected.
"$target/release/examples/sse_subscribers" "$base" "$subscribers" 0 > "$dir/subscribers.txt" 2>&1 &
subs=$!
pids+=($subs)
sleep 5
subs_idle=$(rss)
result=$(timed_run)
b_ms=${result% *} b_peak=${result#* }
wait "$subs" || true
result=$(timed_run)
c_ms=${result% *} c_peak=${result#* }
echo "idle RSS: ${idle} kB; with $subscribers streams open before the run: ${subs_idle} kB"
echo "run without subscribers:   ${a_ms} ms, peak RSS +$(( (a_peak - idle) / 1024 )) MB"
echo "run with $subscribers subscribers: ${b_ms} ms, peak RSS +$(( (b_peak - idle) / 1024 )) MB"
echo "run without again:         ${c_ms} ms, peak RSS +$(( (c_peak - idle) / 1024 )) MB"
echo "slowdown with subscribers: $(awk -v b="$b_ms" -v a="$a_ms" -v c="$c_ms" 'BEGIN { printf "%.2f", 2 * b / (a + c) }') x the mean of the runs without"
cat "$dir/subscribers.txt"
