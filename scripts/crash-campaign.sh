#!/usr/bin/env bash
# The long kill -9 campaign (issue #11): `kill -9` at RUNS random moments (fixed SEED)
# during `ingest`, during `crawl` against a local site and during `reindex`; after each
# the index must open, `stats` must work, and re-running must give exactly the articles
# of a clean run (same ids, same content hashes, none twice). Prints one table row per
# command. The ingest input is the dev corpus (../shared/corpus/dev.jsonl.gz) when it
# is present, else CRASH_ARTICLES generated articles plus samples/.
#
#   scripts/crash-campaign.sh [RUNS=20] [SEED=11]
set -euo pipefail
cd "$(dirname "$0")/.."
export CRASH_RUNS=${1:-20} CRASH_SEED=${2:-11}
shared=${TINTUC_SHARED:-../shared}
if [[ -z ${CRASH_INPUT:-} && -f $shared/corpus/dev.jsonl.gz ]]; then
    CRASH_INPUT="$(cd "$shared/corpus" && pwd)/dev.jsonl.gz"
    export CRASH_INPUT
fi
echo "crash campaign: ${CRASH_RUNS} kills per command, seed ${CRASH_SEED}, ingest input ${CRASH_INPUT:-generated}" >&2
cargo test --release --test crash_campaign -- --ignored --nocapture long_campaign 2>&1 |
    tee /dev/stderr | grep '^|' || true
