# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing.
# Everything else here is a step of those two, or a developer convenience (`make watch`).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.11
# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)
# The browser's wasm names the source file of every panic location it keeps: for dependencies
# that is an absolute path under $CARGO_HOME/registry/src/<index>/, the same ~60-byte prefix
# ~95 times. Cut to the crate's folder (cargo-leptos adds its own flags to these; see
# docs/decisions.md, "Bundle size").
REGISTRY_SRC := $(firstword $(wildcard $(or $(CARGO_HOME),$(HOME)/.cargo)/registry/src/index.crates.io-*/))
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS := $(if $(REGISTRY_SRC),--remap-path-prefix=$(REGISTRY_SRC)=)

SITE_ADDR ?= 127.0.0.1:3000
DATABASE_URL ?= sqlite://data/mcf.db
SERVER_ENV := LEPTOS_SITE_ROOT=target/site LEPTOS_HASH_FILES=true LEPTOS_SITE_ADDR=$(SITE_ADDR)

.PHONY: help run test build site watch bench bundle-report lighthouse tools test-tools lint lint-host lint-wasm test-build unit e2e browser-tests clean

help:
	@echo "make run            build in release and serve on http://$(SITE_ADDR) (SQLite in ./data)"
	@echo "make test           every check: fmt, clippy, unit, integration (SQLite + PostgreSQL), end-to-end"
	@echo "make watch          rebuild and reload the browser on every change (development)"
	@echo "make bench          load figures: journal autosave, dashboard, bare axum (release, SQLite)"
	@echo "make bundle-report  raw / gzip / brotli sizes of what a first visit downloads"
	@echo "make lighthouse     Lighthouse performance (mobile) of the home, a competency and the dashboard page"

## ---- the two commands -------------------------------------------------------------------

run: tools build
	@mkdir -p data
	$(SERVER_ENV) DATABASE_URL=$(DATABASE_URL) SEED_DEMO=true target/release/server

# Two streams side by side: the host's checks (fmt and clippy, then the test build) beside the
# browser's (its clippy, then its build; both in the browser's own target dir, so neither
# waits for the other's cargo lock); each has long stretches on one core (the app crate's
# compile, the LTO link, wasm-opt) that the other fills. Then the tests, then the browser tests
# (run side by side they slowed each other past the browser tests' timeouts). See
# docs/decisions.md, "CI time". The browser stream's lines carry a `[site]` prefix.
test: tools test-tools
	@( $(MAKE) --no-print-directory lint-wasm site 2>&1 | sed -u 's/^/[site] /' ) & site=$$!; \
	  if ! $(MAKE) --no-print-directory lint-host test-build; then wait $$site; exit 1; fi; \
	  wait $$site
	@$(MAKE) --no-print-directory unit browser-tests
	@echo "make test: all checks passed"

## ---- steps -------------------------------------------------------------------------------

build: tools
	cargo leptos build --release --precompress --split
	node scripts/minify-split-loader.mjs target/site/pkg

watch: tools
	cargo leptos watch

lint: lint-host lint-wasm

lint-host: tools
	cargo fmt --all -- --check
	cargo clippy --workspace --exclude frontend --all-targets -- -D warnings

# In target/front, where cargo-leptos builds the browser's code.
lint-wasm: tools
	cargo clippy -p frontend --target wasm32-unknown-unknown --target-dir target/front -- -D warnings

# The test binaries (and target/debug/server, which the browser tests run).
test-build: tools
	cargo test --workspace --exclude frontend --no-run

# Tests run side by side (four at a time: much of their time is spent waiting on a database).
# They once had to run one at a time; see docs/decisions.md, "Tests", for the render that hung.
unit: tools test-tools
	REQUIRE_POSTGRES=1 scripts/with-postgres.sh cargo test --workspace --exclude frontend -- --test-threads=4

# The browser tests load the wasm exactly as it ships (release, split) from a server built the
# way the tests build it: `cargo test` already made target/debug/server, so the release server's
# compile (the longest stage of CI) buys nothing a test could see. `make run` and `make bench`
# build in release. See docs/decisions.md, "CI time".
e2e: test-tools site test-build browser-tests

# The browser tests alone, over whatever `site` and `test-build` last built (no cargo here:
# `make test` runs them while `cargo test` holds the build directory).
browser-tests: test-tools
	cp target/release/hash.txt target/debug/hash.txt
	cd end2end && SERVER_BIN=./target/debug/server npx playwright test

# Only the browser side of `build`: wasm (release, split), JS, CSS and assets, no compression.
# The shared chunks only lose their custom sections here instead of a full wasm-opt pass
# (scripts/wasm-opt/wasm-opt says why); the main wasm and route files are optimized as in `build`.
site: tools
	WASM_OPT_QUICK_CHUNKS=1 cargo leptos build --release --split --frontend-only
	node scripts/minify-split-loader.mjs target/site/pkg

# The load generator is ours (server/src/bin/loadgen.rs): each journal writer must save on the
# version its last save returned, which oha and wrk cannot do. Same features as the server
# binary, so it reuses the release build's dependencies.
bench: build
	cargo build --release --package=server --bin=loadgen --no-default-features --features=ssr
	@scripts/bench.sh

bundle-report: build
	@scripts/bundle-report.sh target/site/pkg

# Lighthouse (npm, pinned in scripts/lighthouse; 12.8, the last for Debian's node 20) in
# Debian's Chromium: three pages' scores.
lighthouse: build test-tools .tools/lighthouse.stamp
	@scripts/lighthouse.sh

.tools/lighthouse.stamp: scripts/lighthouse/package.json scripts/lighthouse/package-lock.json
	@# `npm ci` refuses this lock: a dependency asks for the "latest" third-party-web as a peer.
	cd scripts/lighthouse && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-save --no-audit --no-fund
	@mkdir -p .tools && touch $@

clean:
	cargo clean
	rm -rf node_modules end2end/node_modules

## ---- installs (each skipped when already present at the pinned version) ---------------------

tools: .tools/npm-build.stamp
	@# mold links the host's binaries (.cargo/config.toml, scripts/cc-mold); Debian's.
	@scripts/apt-ensure.sh mold
	@# cargo-leptos runs node_modules/.bin/wasm-opt: our wrapper, which runs binaryen's.
	@[ "$$(readlink node_modules/.bin/wasm-opt)" = ../../scripts/wasm-opt/wasm-opt ] \
	  || ln -sfn ../../scripts/wasm-opt/wasm-opt node_modules/.bin/wasm-opt
	@# The toolchain rust-toolchain.toml pins (with its wasm target); instant when present.
	@rustup toolchain install
	@rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@if [ "$$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $(CARGO_LEPTOS_VERSION)" ]; then \
	  echo "installing cargo-leptos $(CARGO_LEPTOS_VERSION) (about 11 minutes, once per machine)"; \
	  cargo install --locked --version $(CARGO_LEPTOS_VERSION) cargo-leptos; \
	fi
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 2 minutes, once per machine)"; \
	  cargo install --force --version $(WASM_BINDGEN_VERSION) wasm-bindgen-cli; \
	fi

.tools/npm-build.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund
	@mkdir -p .tools && touch $@

test-tools: .tools/npm-e2e.stamp
	@scripts/apt-ensure.sh chromium postgresql python3 python3-aiosmtpd

.tools/npm-e2e.stamp: end2end/package.json end2end/package-lock.json
	cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@mkdir -p .tools && touch $@
