#!/bin/sh
# Builds an N-article JSON Lines corpus for the scale benchmark from the 80,000 real
# articles of ../shared/corpus (dev + train-60k): distinct ids and URLs, dates over
# 1995-2026, bodies lightly varied after the first 80,000 (fixed seed: same N, same file).
#   scripts/scale-corpus.sh N [OUT]     (OUT defaults to target/scale/corpus-N.jsonl)
# Also writes OUT.stats.json (articles, input bytes, text bytes). Never commit the output.
set -eu
[ $# -ge 1 ] || { echo "usage: scripts/scale-corpus.sh N [OUT]" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${2:-$root/target/scale/corpus-$1.jsonl}"
mkdir -p "$(dirname "$out")"
exec python3 "$root/scripts/scale_corpus.py" --shared "${TINTUC_SHARED:-$root/../shared}" "$1" "$out"
