#!/usr/bin/env bash
# Prints raw / gzip / brotli bytes of what the browser downloads on a first visit: the wasm,
# the JS glue, the CSS and their sum. Uses the .gz/.br files the release build precompressed.
set -euo pipefail
dir=${1:-target/site/pkg}
size() { [ -f "$1" ] && stat -c %s "$1" || echo 0; }
printf '%-8s %-44s %10s %10s %10s\n' kind file raw gzip brotli
total_raw=0 total_gz=0 total_br=0
for kind in wasm js css; do
  for f in "$dir"/*."$kind"; do
    [ -e "$f" ] || continue
    raw=$(size "$f"); gz=$(size "$f.gz"); br=$(size "$f.br")
    [ "$gz" = 0 ] && gz=$(gzip -9 -c "$f" | wc -c)
    printf '%-8s %-44s %10d %10d %10d\n' "$kind" "$(basename "$f")" "$raw" "$gz" "$br"
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  done
done
printf '%-8s %-44s %10d %10d %10d\n' total "" "$total_raw" "$total_gz" "$total_br"
