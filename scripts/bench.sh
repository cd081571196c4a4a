#!/usr/bin/env bash
# `make bench`: the release server on loopback over a fresh seeded SQLite database, a bare axum
# "hello" server beside it, and `loadgen` driving both over HTTP for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."

server_port=${BENCH_PORT:-3400}
hello_port=$((server_port + 1))
data=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

# Two runtime workers whatever the machine (the page-hang check of issue 14 is about them).
TOKIO_WORKER_THREADS=2 DB_MAX_CONNECTIONS="${DB_MAX_CONNECTIONS:-8}" DATABASE_URL="sqlite://$data/bench.db" LEPTOS_SITE_ADDR="127.0.0.1:$server_port" \
  LEPTOS_SITE_ROOT=target/site LEPTOS_HASH_FILES=true RUST_LOG=warn SEED_DEMO=true TRUST_FORWARDED_FOR=true \
  target/release/server >"$data/server.log" 2>&1 &
pids+=($!)
target/release/loadgen hello "127.0.0.1:$hello_port" &
pids+=($!)

for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$server_port") 2>/dev/null \
    && (exec 3<>"/dev/tcp/127.0.0.1/$hello_port") 2>/dev/null; then
    break
  fi
  sleep 0.2
done

echo "machine: $(nproc) cores, $(uname -sr); server and load generator share them"
BENCH_DATABASE_URL="sqlite://$data/bench.db" target/release/loadgen bench "127.0.0.1:$server_port" "127.0.0.1:$hello_port"
