#!/usr/bin/env bash
# Runs one honggfuzz target for a time budget (stable toolchain):
#
#   scripts/fuzz.sh TARGET SECONDS      # TARGET: html charset text jsonl warc date query analysis api
#   scripts/fuzz.sh all SECONDS         # every target in turn, SECONDS each
#   scripts/fuzz.sh list
#
# Needs `cargo install honggfuzz` and Debian's binutils-dev libunwind-dev liblzma-dev.
# The corpus of TARGET lives in fuzz/corpus/TARGET (seeded on first use from samples/,
# tests/fixtures/ and fuzz/seeds/TARGET; new entries honggfuzz finds are kept there),
# crashes in fuzz/artifacts/TARGET; both are git-ignored. The summary honggfuzz prints
# at the end (iterations, time, coverage, crashes, timeouts, slowest input) goes to
# fuzz/artifacts/TARGET.log.
# An input that runs longer than FUZZ_TIMEOUT seconds (default 10) is a finding like a
# crash: honggfuzz stops it with SIGVTALRM and keeps it in fuzz/artifacts/TARGET as
# SIGVTALRM.*.fuzz, and the script names it as a timeout.
# Exit status: 0 when no crash or timeout was found, 1 when one was (the inputs are
# listed). FUZZ_THREADS (default 1) sets the fuzzing threads.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/fuzz"
targets=(html charset text jsonl warc date query analysis api)

usage() {
    echo "usage: scripts/fuzz.sh TARGET|all SECONDS   (targets: ${targets[*]})" >&2
    exit 2
}

[[ ${1:-} == list ]] && { printf '%s\n' "${targets[@]}"; exit 0; }
[[ $# -eq 2 && $2 =~ ^[0-9]+$ ]] || usage
target=$1
seconds=$2
timeout=${FUZZ_TIMEOUT:-10}

if ! command -v cargo-hfuzz >/dev/null 2>&1 && [[ ! -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo-hfuzz" ]]; then
    echo "scripts/fuzz.sh: cargo-hfuzz is not installed (cargo install honggfuzz)" >&2
    exit 3
fi

# Seeds: the real sample files and small fixtures for each target (never ../shared).
seed() {
    local t=$1 dir="$fuzz/corpus/$1" f i=0
    [[ -d $dir && -n $(ls -A "$dir") ]] && return
    mkdir -p "$dir"
    # Targets whose first input byte holds option flags get a 0 byte in front.
    local pre=1
    [[ $t == text || $t == analysis ]] && pre=0
    add() {
        local to="$dir/seed-$((i++))-$(basename "$1")"
        if ((pre)); then { printf '\0'; cat "$1"; } >"$to"; else cp "$1" "$to"; fi
    }
    local own="$fuzz/seeds/$t"
    if [[ -d $own ]]; then for f in "$own"/*; do [[ -f $f ]] && add "$f"; done; fi
    case $t in
        html) for f in "$root"/samples/articles/html/* "$root"/tests/fixtures/*.html; do add "$f"; done ;;
        charset | text | analysis)
            for f in "$root"/samples/articles/text/* "$root"/tests/fixtures/analysis_seed.* \
                "$root"/tests/fixtures/extract_*.txt "$root"/tests/fixtures/segment_sentences.txt; do add "$f"; done ;;
        jsonl) for f in "$root"/samples/articles/*.jsonl "$root"/tests/fixtures/*.jsonl; do add "$f"; done ;;
        query | date | warc | api) ;;
    esac
    if [[ $t == date ]]; then
        # One seed per date line of the text samples.
        grep -h -o -E '.{0,24}[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}.{0,24}' "$root"/samples/articles/text/* |
            while IFS= read -r line; do printf '\0%s' "$line" >"$dir/seed-line-$((i++))"; done
    fi
}

run_one() {
    local t=$1 out="$fuzz/artifacts/$1"
    seed "$t"
    mkdir -p "$out"
    echo "== fuzz $t for ${seconds}s (corpus $(ls "$fuzz/corpus/$t" | wc -l) files)" >&2
    local before
    before=$(find "$out" -name '*.fuzz' | wc -l)
    (
        cd "$fuzz"
        HFUZZ_WORKSPACE="$fuzz/hfuzz_workspace" HFUZZ_INPUT="$fuzz/corpus/$t" \
            HFUZZ_RUN_ARGS="--run_time $seconds -n ${FUZZ_THREADS:-1} --timeout $timeout --tmout_sigvtalrm \
                --rlimit_as 4096 --max_file_size 262144 --crashdir $out -v ${HFUZZ_EXTRA_ARGS:-}" \
            cargo hfuzz run "$t"
    ) >"$out.log" 2>&1 || { echo "honggfuzz failed for $t: see $out.log" >&2; tail -20 "$out.log" >&2; return 3; }
    grep -a -o 'Summary iterations.*' "$out.log" | tail -1 | sed "s/^/$t: /" >&2 || true
    local after timeouts
    after=$(find "$out" -name '*.fuzz' | wc -l)
    timeouts=$(grep -a -c 'took too much time' "$out.log" || true)
    if ((timeouts > 0)); then
        echo "$t: TIMEOUT: $timeouts input(s) ran longer than ${timeout}s (kept as $out/SIGVTALRM.*.fuzz)" >&2
    fi
    if ((after > before)); then
        echo "$t: $((after - before)) new crash(es) or timeout(s) in $out:" >&2
        find "$out" -name '*.fuzz' | sort >&2
        return 1
    fi
    ((timeouts == 0)) || return 1
}

status=0
if [[ $target == all ]]; then
    for t in "${targets[@]}"; do run_one "$t" || status=1; done
else
    [[ " ${targets[*]} " == *" $target "* ]] || usage
    run_one "$target" || status=$?
fi
exit $status
