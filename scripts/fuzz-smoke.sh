#!/usr/bin/env bash
# CI's fuzz smoke: every honggfuzz target for FUZZ_SMOKE_SECONDS (default 30) on the
# stable toolchain. Installs what honggfuzz needs when it can (Debian's binutils-dev,
# libunwind-dev, liblzma-dev with apt-get as root; `cargo install honggfuzz --locked`)
# and says clearly when the smoke is skipped because it cannot. A crash fails it, and so
# does an input running longer than FUZZ_TIMEOUT seconds (default 10): both are kept in
# fuzz/artifacts/TARGET (timeouts as SIGVTALRM.*.fuzz) and named in the output.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SMOKE_SECONDS:-30}
skip() {
    echo "fuzz smoke: SKIPPED: $*" >&2
    exit 0
}

missing=()
for p in binutils-dev libunwind-dev liblzma-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
    command -v apt-get >/dev/null || skip "no apt-get to install ${missing[*]}"
    [[ $(id -u) == 0 ]] || skip "not root: cannot install ${missing[*]} (apt-get install ${missing[*]})"
    echo "fuzz smoke: installing ${missing[*]}" >&2
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null ||
        skip "apt-get install ${missing[*]} failed"
fi
if ! command -v cargo-hfuzz >/dev/null 2>&1; then
    echo "fuzz smoke: installing cargo-hfuzz (cargo install honggfuzz)" >&2
    cargo install --quiet --locked honggfuzz --version "^0.5" || skip "cargo install honggfuzz failed"
fi

status=0
failed=()
for t in $(scripts/fuzz.sh list); do
    scripts/fuzz.sh "$t" "$seconds"
    case $? in
        0) ;;
        1) status=1; failed+=("$t (crash or timeout: fuzz/artifacts/$t, log fuzz/artifacts/$t.log)") ;;
        *) echo "fuzz smoke: $t could not run" >&2; status=1; failed+=("$t (could not run)") ;;
    esac
done
if ((status == 0)); then
    echo "fuzz smoke: every target ran ${seconds}s without a crash or a timeout" >&2
else
    printf 'fuzz smoke: FAILED: %s\n' "${failed[@]}" >&2
fi
exit $status
