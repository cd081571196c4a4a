#!/usr/bin/env bash
# `make lighthouse`: Lighthouse (mobile, performance) in Debian's Chromium on the home page, a
# competency page and a teacher's dashboard, served by the release server over a fresh
# SQLite database with the demo cohort. Prints the three scores and their key figures.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${LIGHTHOUSE_PORT:-3500}
base="http://127.0.0.1:$port"
data=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

DATABASE_URL="sqlite://$data/lh.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
  LEPTOS_HASH_FILES=true RUST_LOG=warn SEED_DEMO=true MAIL_DIR="$data/mail" \
  target/release/server >"$data/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

# The demo teacher's session, for the dashboard.
cookie=$(curl -s -D - -o /dev/null "$base/api/account/sign-in" \
  -H "Origin: $base" -H "Sec-Fetch-Site: same-origin" \
  --data-urlencode "email=teacher@demo.test" --data-urlencode "password=demo teacher password" \
  --data-urlencode "next=/" | tr -d '\r' | awk -F': ' 'tolower($1)=="set-cookie" && $2 ~ /session=/ { split($2, a, ";"); print a[1] }')
[ -n "$cookie" ] || { echo "could not sign the demo teacher in" >&2; exit 1; }

lighthouse=scripts/lighthouse/node_modules/.bin/lighthouse
flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync"
printf '%-48s %6s %8s %8s %8s %6s\n' page score FCP LCP TBT CLS
for page in "/" "/frameworks/mcf/competencies/communication" "/dashboard"; do
  extra=()
  [ "$page" = "/dashboard" ] && extra=(--extra-headers "{\"Cookie\": \"$cookie\"}")
  CHROME_PATH=/usr/bin/chromium "$lighthouse" "$base$page" --quiet --only-categories=performance \
    --chrome-flags="$flags" --output=json --output-path="$data/report.json" "${extra[@]}" >/dev/null 2>&1 \
    || { echo "lighthouse failed on $page" >&2; exit 1; }
  node -e '
    const r = require(process.argv[1]);
    const a = r.audits, v = (k) => a[k] ? a[k].displayValue.replace(/\s/g, "") : "-";
    const s = Math.round(r.categories.performance.score * 100);
    console.log(`${process.argv[2].padEnd(48)} ${String(s).padStart(6)} ${v("first-contentful-paint").padStart(8)} ${v("largest-contentful-paint").padStart(8)} ${v("total-blocking-time").padStart(8)} ${v("cumulative-layout-shift").padStart(6)}`);
  ' "$data/report.json" "$page"
done
echo "Target (issue 14): performance ≥ 95 on each (Lighthouse mobile preset, simulated throttling)."
