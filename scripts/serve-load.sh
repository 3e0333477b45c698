#!/usr/bin/env bash
# Load benchmark of `tintuc serve` on the dev corpus: the scenarios of issue #9.
#
#   scripts/serve-load.sh [INDEX] [SECONDS]
#
# Builds the release binary and examples/serve_load.rs, ingests
# ../shared/corpus/dev.jsonl.gz into INDEX (default /tmp/tintuc-load/idx) when it
# is not there, then, each against a freshly started server (so peak RSS is per
# scenario), with 50 keep-alive connections asking what the page asks
# (`limit=20&histogram=auto&facets=12`):
#   1. one repeated query (`giá vàng`), closed-loop;
#   2. 200 distinct dev relevance queries in rotation, cache filled first, closed-loop;
#   3. the same with the cache off (`--cache-mb 0`), closed-loop;
#   4. the same uncached, open-loop at RATE requests/s (default 100; RATE=... to change);
#   5. the same cached, open-loop at CACHED_RATE (default 2000).
# Each prints one JSON line (p50/p90/p99, req/s, failed, server CPU per request,
# peak RSS, load average before and after). The machine is shared: quote the load
# average and the CPU time per request with any figure.
set -euo pipefail
cd "$(dirname "$0")/.."
INDEX=${1:-/tmp/tintuc-load/idx}
SECS=${2:-20}
RATE=${RATE:-100}
CACHED_RATE=${CACHED_RATE:-2000}
SHARED=${TINTUC_SHARED:-../shared}
QUERIES="$SHARED/eval/relevance/dev/queries.jsonl"
[ -f "$QUERIES" ] || { echo "serve-load: $QUERIES is absent (real data lives beside the repo)" >&2; exit 1; }
cargo build --release --locked --bin tintuc --example serve_load >&2
BIN=${TINTUC_BIN:-target/release/tintuc}
LOAD=target/release/examples/serve_load
if [ ! -f "$INDEX/tintuc.json" ]; then
  "$BIN" --index "$INDEX" ingest --json "$SHARED/corpus/dev.jsonl.gz" >&2
fi

run() { # NAME SERVE_ARGS -- LOAD_ARGS
  local name=$1; shift
  local serve_args=()
  while [ "$1" != "--" ]; do serve_args+=("$1"); shift; done; shift
  local out; out=$(mktemp)
  "$BIN" --index "$INDEX" serve --addr 127.0.0.1:0 "${serve_args[@]}" >"$out" &
  local pid=$!
  local addr=""
  for _ in $(seq 100); do
    addr=$(sed -n 's|.*http://||p' "$out" | head -1)
    [ -n "$addr" ] && break
    sleep 0.1
  done
  [ -n "$addr" ] || { echo "serve-load: the server did not start" >&2; kill "$pid"; exit 1; }
  printf '%s ' "$name"
  "$LOAD" --addr "$addr" --pid "$pid" --seconds "$SECS" "$@"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -f "$out"
}

run repeated -- --query "giá vàng" --warm
run rotating-cached -- --queries "$QUERIES" --distinct 200 --warm
run rotating-uncached --cache-mb 0 -- --queries "$QUERIES" --distinct 200
run open-loop-uncached --cache-mb 0 -- --queries "$QUERIES" --distinct 200 --rate "$RATE"
run open-loop-cached -- --queries "$QUERIES" --distinct 200 --warm --rate "$CACHED_RATE"
