#!/usr/bin/env bash
# The Playwright suite against a real world in miniature: the simulator on a free port, a
# throw-away database where `jobscout company add` follows its companies (all but the last
# two, which the Companies tests add through the UI) and `jobscout scrape --all` collects
# them, then `cargo leptos end-to-end --release` with the server pointed at both: the suite
# checks the build `make run` serves (release-only failures exist: type depth, hydration).
set -euo pipefail
bin=${CARGO_TARGET_DIR:-target}/debug
dir=$(mktemp -d)
sim_pid=
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

RUSTFLAGS="--cfg erase_components" LEPTOS_OUTPUT_NAME=jobscout \
  cargo build --quiet -p sim --bin jobscout-sim -p server --bin jobscout

"$bin/jobscout-sim" --addr 127.0.0.1:0 --companies 10 --jobs 40 > "$dir/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 100); do
  sim_url=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/sim.log" | head -n 1 || true)
  [ -n "$sim_url" ] && break
  sleep 0.1
done
[ -n "$sim_url" ] || { cat "$dir/sim.log"; echo "the simulator did not start" >&2; exit 1; }
curl -sf "$sim_url/_sim/config" > "$dir/config.yaml"

export JOBSCOUT_CONFIG="$dir/config.yaml" JOBSCOUT_DATABASE__PATH="$dir/e2e.db"
urls=$(curl -sf "$sim_url/_sim/world" | grep -o '"paste_url":"[^"]*"' | cut -d'"' -f4)
echo "$urls" | head -n -2 | while read -r url; do "$bin/jobscout" company add "$url" > /dev/null; done
# Exit 2 means some company was partial (a careers page left for the LLM): still a world to test.
"$bin/jobscout" scrape --all > /dev/null 2>&1 || [ $? -eq 2 ]

SIM_URL="$sim_url" cargo leptos end-to-end --release
