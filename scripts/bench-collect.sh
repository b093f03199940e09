#!/usr/bin/env bash
# Collection against the simulator: COMPANIES companies of JOBS jobs are added with
# `jobscout company add` (each checked with one fetch), then collected with `jobscout scrape
# --all`; prints the scrape's wall time and its summary. Release binaries must be built:
#   cargo build --release -p server -p sim
# Usage: scripts/bench-collect.sh [COMPANIES] [JOBS] [extra jobscout-sim flags...]
set -euo pipefail
companies=${1:-5}
jobs=${2:-20}
shift $(( $# > 2 ? 2 : $# ))
bin=${CARGO_TARGET_DIR:-target}/release
port=${PORT:-4100}
dir=$(mktemp -d)
"$bin/jobscout-sim" --addr "127.0.0.1:$port" --companies "$companies" --jobs "$jobs" "$@" \
  > "$dir/sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null; rm -rf "$dir"' EXIT
until curl -sf "http://127.0.0.1:$port/_sim/config" > "$dir/config.yaml"; do sleep 0.1; done
js() { "$bin/jobscout" --config "$dir/config.yaml" --db "$dir/jobs.db" "$@"; }
curl -sf "http://127.0.0.1:$port/_sim/world" | grep -o '"paste_url":"[^"]*"' | cut -d'"' -f4 |
  while read -r url; do js company add "$url" > /dev/null; done
start=$(date +%s%N)
status=0
js scrape --all > "$dir/summary.txt" 2> /dev/null || status=$?
end=$(date +%s%N)
tail -n 1 "$dir/summary.txt"
# The simulator's own log: requests served, and 429s it had to send (none when the client kept
# to collection.per_host_rps under --rate-limit).
curl -sf "http://127.0.0.1:$port/_sim/requests" | grep -o '"total":[0-9]*\|"rate_limited":{[^}]*}' | tr '\n' ' '
echo
echo "scrape: $(( (end - start) / 1000000 )) ms wall, exit $status, $companies companies x $jobs jobs"
