#!/usr/bin/env bash
# Overhead of GET /metrics' per-request recording on the storefront product page: two API
# processes on one PostgreSQL database, the same sources and settings except METRICS_TOKEN,
# measured alternately (off, on, off, on, …) with autocannon on 127.0.0.1. Not part of CI.
# Runs the sources through tsx: the production bundle looks for prisma/migrations one folder
# too high since src/platform/db moved one level down.
#   bench/metrics-overhead.sh [rounds=3] [seconds=10] [connections=8]
set -euo pipefail
ROUNDS=${1:-3}; SECONDS_PER_RUN=${2:-10}; CONNECTIONS=${3:-8}
ADMIN_URL=${BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}
DB=metrics_overhead
URL=${ADMIN_URL%/*}/$DB
psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
dir=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"' EXIT INT TERM
start() { # port, extra env…
  local port=$1; shift
  env DATABASE_URL="$URL" PORT="$port" HOST=127.0.0.1 LOG_LEVEL=warn DEMO_DATA=true ERASURE_WORKER_INTERVAL_MS=0 \
    RATE_LIMIT_ENABLED=false NODE_ENV=production "$@" \
    node --max-semi-space-size=64 --import tsx src/server.ts >"$dir/$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 120); do grep -q Listening "$dir/$port.log" && return; sleep 0.5; done
  cat "$dir/$port.log"; exit 1
}
start 4701 # makes the demo store and prints its keys
start 4702 METRICS_TOKEN=bench-metrics-token-0123456789
KEY=$(grep -o 'pk_[A-Za-z0-9_-]*' "$dir/4701.log" | head -1)
SKU=$(psql "$URL" -tAc "SELECT sku FROM products ORDER BY sku LIMIT 1")
QUERY=$(node -e 'const d=require("fs").readFileSync("bench/documents.ts","utf8");const q=/PRODUCT_PAGE = \/\* GraphQL \*\/ `([^`]*)`/.exec(d)[1];process.stdout.write(JSON.stringify({query:q,variables:{sku:process.argv[1]}}))' "$SKU")
run() {
  npx autocannon -j -c "$CONNECTIONS" -d "$SECONDS_PER_RUN" -m POST -H "authorization=Bearer $KEY" \
    -H content-type=application/json -b "$QUERY" "http://127.0.0.1:$1/graphql" 2>/dev/null |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(`${r.requests.average} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non2xx ${r.non2xx}, errors ${r.errors}`)})'
}
run 4701 >/dev/null; run 4702 >/dev/null # warm-up
for i in $(seq "$ROUNDS"); do
  echo "round $i  metrics off: $(run 4701)"
  echo "round $i  metrics on:  $(run 4702)"
done
curl -s -H 'authorization: Bearer bench-metrics-token-0123456789' http://127.0.0.1:4702/metrics | grep '^graphql_requests_total'
