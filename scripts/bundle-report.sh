#!/usr/bin/env bash
# Prints raw / gzip / brotli bytes of what the browser downloads: the first visit (main wasm,
# JS glue, split loader, CSS) and then each lazily loaded route and the shared chunks.
# Uses the .gz/.br files the release build precompressed.
set -euo pipefail
dir=${1:-target/site/pkg}
size() { [ -f "$1" ] && stat -c %s "$1" || echo 0; }
row() { printf '%-58s %10s %10s %10s\n' "$@"; }
sum_raw=0 sum_gz=0 sum_br=0
add() {
  local f=$1 raw gz br
  raw=$(size "$f"); gz=$(size "$f.gz"); br=$(size "$f.br")
  [ "$gz" = 0 ] && gz=$(gzip -9 -c "$f" | wc -c)
  row "$(basename "$f" | sed -E 's/\.[A-Za-z0-9_-]{22}\././')" "$raw" "$gz" "$br"
  sum_raw=$((sum_raw + raw)); sum_gz=$((sum_gz + gz)); sum_br=$((sum_br + br))
}
total() { row "$1" "$sum_raw" "$sum_gz" "$sum_br"; sum_raw=0 sum_gz=0 sum_br=0; }
row "file (hash removed)" raw gzip brotli
echo "-- first visit to the home page (other pages add their route below) --"
for f in "$dir"/mcf.*.wasm "$dir"/mcf.*.js "$dir"/__wasm_split.*.js "$dir"/mcf.*.css; do
  [ -e "$f" ] && add "$f"
done
first_raw=$sum_raw first_gz=$sum_gz first_br=$sum_br
total "FIRST VISIT TOTAL (code and styles, every language)"
# The interface strings the browser fetches for the page's language (app/locales; none are in the
# WebAssembly): the shell table on every first visit, the pages table with the first page after.
strings=$(mktemp -d)
server_bin=${SERVER_BIN:-target/release/server}
if [ -x "$server_bin" ] && "$server_bin" interface-strings "$strings" >/dev/null 2>&1; then
  echo "-- interface strings, per language (fetched as JSON, cached for good) --"
  for lang in $(ls "$strings" | sed 's/-.*//' | sort -u); do
    for f in "$strings/$lang"-*.json; do
      raw=$(size "$f"); gz=$(gzip -9 -c "$f" | wc -c)
      br=$(node -e 'const z=require("zlib");process.stdout.write(String(z.brotliCompressSync(require("fs").readFileSync(process.argv[1]),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}).length))' "$f")
      row "$(basename "$f" | sed -E 's/\.[0-9a-f]{16}\./\./')" "$raw" "$gz" "$br"
      case "$f" in *-shell.*)
        row "FIRST VISIT IN $lang (code, styles and $lang shell strings)" "$((first_raw + raw))" "$((first_gz + gz))" "$((first_br + br))";;
      esac
    done
  done
fi
rm -rf "$strings"
echo "-- loaded with the first page of their group (app/src/root.rs, lazy_pages!) --"
for f in "$dir"/split_*.wasm; do [ -e "$f" ] && add "$f"; done
total "routes total"
n=0
for f in "$dir"/chunk_*.wasm; do [ -e "$f" ] || continue; n=$((n + 1)); r=$(size "$f"); g=$(size "$f.gz"); b=$(size "$f.br"); sum_raw=$((sum_raw + r)); sum_gz=$((sum_gz + g)); sum_br=$((sum_br + b)); done
total "shared chunks ($n files)"
