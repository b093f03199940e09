#!/usr/bin/env bash
# Try Jobscout without internet: the simulator stands in for the job boards, Jobscout (release
# build) follows its companies, and a collection starts as soon as the app is up, so the Runs
# page shows it live. A fresh demo database each time under data/demo/. Ctrl-C stops both.
set -euo pipefail
target=${CARGO_TARGET_DIR:-target}
sim_port=${SIM_PORT:-4000}
port=${PORT:-3000}
export PATH="$PWD/node_modules/.bin:$PATH"

cargo leptos build --release
cargo build --release --quiet -p sim --bin jobscout-sim
dir=data/demo
mkdir -p "$dir"
rm -f "$dir"/jobscout.db*

pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
# Every simulated board answers in about 300 ms, like a real one, so the run takes long enough
# to watch.
"$target/release/jobscout-sim" --addr "127.0.0.1:$sim_port" --companies 24 --jobs 40 \
  --faults '*=latency:300' > "$dir/sim.log" 2>&1 &
pids+=($!)
until curl -sf "http://127.0.0.1:$sim_port/_sim/config" > "$dir/config.yaml"; do sleep 0.2; done
export JOBSCOUT_CONFIG="$dir/config.yaml" JOBSCOUT_DATABASE__PATH="$dir/jobscout.db"

echo "following the simulator's companies…"
curl -sf "http://127.0.0.1:$sim_port/_sim/world" | grep -o '"paste_url":"[^"]*"' | cut -d'"' -f4 |
  while read -r url; do "$target/release/jobscout" company add "$url" > /dev/null || true; done

LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=jobscout \
  "$target/release/jobscout" serve --addr "127.0.0.1:$port" &
pids+=($!)
until curl -sf "http://127.0.0.1:$port/health" > /dev/null; do sleep 0.2; done
curl -sf -X POST -H 'content-type: application/json' -d '{"all": true}' \
  "http://127.0.0.1:$port/api/v1/runs" > /dev/null
echo
echo "Jobscout is collecting from the simulator: open http://127.0.0.1:$port/runs to watch,"
echo "then http://127.0.0.1:$port/ for the jobs. Ctrl-C stops it."
wait "${pids[1]}"
