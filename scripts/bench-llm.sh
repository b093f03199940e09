#!/usr/bin/env bash
# LLM extraction throughput against the simulator's vLLM stand-in: COMPANIES careers sites
# with no structured data (default 10) of JOBS jobs (default 10), so about COMPANIES x JOBS job
# pages for the model, answered after LATENCY ms each (default 500) with LLM_CONCURRENCY calls
# in flight (default 8). Prints the scrape's wall time and the model's request count; then
# each site gets one new job and a new process scrapes again: every page read before comes
# from the cache, only the new pages go to the model.
# Release binaries first: cargo build --release -p server -p sim
# Usage: scripts/bench-llm.sh [COMPANIES] [JOBS] [LATENCY_MS] [LLM_CONCURRENCY]
set -euo pipefail
companies=${1:-10}
jobs=${2:-10}
latency=${3:-500}
concurrency=${4:-8}
bin=${CARGO_TARGET_DIR:-target}/release
port=${SIM_PORT:-4300}
dir=$(mktemp -d)
# The world cycles through eight kinds of site; one in eight has no structured data.
"$bin/jobscout-sim" --addr "127.0.0.1:$port" --companies $((companies * 8)) --jobs "$jobs" \
  --llm-latency-ms "$latency" --llm-concurrency 64 > "$dir/sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/_sim/config" > "$dir/config.yaml"; do sleep 0.1; done
# The careers pages come from this one local simulator: fetched at up to 1,000 a second, so the
# figure is the extraction's, not the politeness limit's (200 a second in the simulator's config).
js() {
  JOBSCOUT_LLM__CONCURRENCY=$concurrency JOBSCOUT_LOG__LEVEL=warn JOBSCOUT_COLLECTION__PER_HOST_RPS=1000 \
    "$bin/jobscout" --config "$dir/config.yaml" --db "$dir/jobs.db" "$@"
}
curl -sf "http://127.0.0.1:$port/_sim/world" > "$dir/world.json"
grep -o '{[^{}]*"provider":"html"[^{}]*}' "$dir/world.json" | grep -o '"paste_url":"[^"]*"' |
  cut -d'"' -f4 | while read -r url; do js company add "$url" > /dev/null; done
pages=$(grep -o '{[^{}]*"provider":"html"[^{}]*}' "$dir/world.json" |
  grep -o '"listed_jobs":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
chat() {
  curl -sf "http://127.0.0.1:$port/_sim/requests" > "$dir/requests.json"
  grep -o '"endpoint":"POST /v1/chat/completions"[^}]*"count":[0-9]*\|"count":[0-9]*[^}]*"endpoint":"POST /v1/chat/completions"' \
    "$dir/requests.json" | grep -o '"count":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'
}
start=$(date +%s%N)
status=0
js scrape --all > "$dir/summary.txt" 2> /dev/null || status=$?
end=$(date +%s%N)
first=$(chat)
tail -n 1 "$dir/summary.txt"
echo "first scrape: $(( (end - start) / 1000000 )) ms wall, exit $status, $pages job pages, $first LLM requests ($latency ms each, $concurrency at once)"
# One new job on every site; a new process over the same database.
grep -o '{[^{}]*"provider":"html"[^{}]*}' "$dir/world.json" | grep -o '"board_token":"[^"]*"' |
  cut -d'"' -f4 | while read -r slug; do
    curl -sf -X POST -H 'content-type: application/json' -d '{"count": 1}' \
      "http://127.0.0.1:$port/_sim/world/$slug/jobs" > /dev/null
  done
start=$(date +%s%N)
js scrape --all > "$dir/summary2.txt" 2> /dev/null || true
end=$(date +%s%N)
echo "second scrape (one new job per site): $(( (end - start) / 1000000 )) ms wall, $(( $(chat) - first )) new LLM requests for $companies new pages"
