# The README's two commands are `make run` and `make test`; both install what is missing first.
SHELL := bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

# Same flags and output name as `cargo leptos build` (debug), so cargo test and clippy reuse its
# artefacts instead of rebuilding hundreds of crates.
TEST_ENV := RUSTFLAGS="--cfg erase_components" LEPTOS_OUTPUT_NAME=jobscout
NATIVE_CRATES := -p model -p engine -p app -p server -p sim

.PHONY: run test demo bench setup setup-browser lint unit e2e fmt

## Set up and run Jobscout at http://127.0.0.1:3000 (release build).
run: setup
	cargo leptos serve --release

## Try it without internet: the simulator, Jobscout pointed at it, and a collection to watch.
demo: setup
	scripts/demo.sh

## Every performance figure, measured here and written into docs/BENCHMARKS.md (~15 min).
bench: setup
	scripts/bench.sh

## Set up and run every check and test: format, lint, unit and integration tests, Playwright.
test: setup-browser lint unit e2e

setup:
	scripts/setup.sh

setup-browser:
	scripts/setup.sh --browser

lint:
	cargo fmt --all -- --check
	$(TEST_ENV) cargo clippy $(NATIVE_CRATES) --features app/ssr --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

unit:
	$(TEST_ENV) cargo test $(NATIVE_CRATES) --features app/ssr

# Against the simulator and a throw-away database, so the suite never sees (or touches) the
# user's own data.
e2e:
	scripts/e2e.sh

fmt:
	cargo fmt --all
