#!/bin/sh
# First run: build tintuc, index the bundled sample archive, show a few searches.
#   scripts/demo.sh            (index in ./index, the default; TINTUC_INDEX=DIR for another)
set -eu
cd "$(dirname "$0")/.."
cargo build --release --locked
tintuc="${CARGO_TARGET_DIR:-target}/release/tintuc"
index="${TINTUC_INDEX:-index}"
export TINTUC_INDEX="$index"

run() {
    printf '\n$ tintuc %s\n' "$*"
    "$tintuc" "$@"
}

run ingest samples/articles
run stats
run search "thuy dien hoa binh"                 # no accents: finds Thuỷ điện Hoà Bình
run search "Đảng ủy" --limit 3                   # accents: exactly Đảng ủy (also written Đảng uỷ)
run search '"bưởi da xanh" OR "cà phê"' --sort newest
run search "nong dan" --from 2008 --to 2020 --histogram year --limit 3
printf '\nThe index is in %s; search it with: %s search "your words"\n' "$index" "$tintuc"
printf 'Or open the search page: run %s serve, then open http://127.0.0.1:8080 in a browser.\n' "$tintuc"
