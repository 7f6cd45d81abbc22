#!/usr/bin/env bash
# Runs one fuzz target for SECONDS on its seed corpus (fuzz/seeds/TARGET) with
# its dictionary (fuzz/dicts/), keeping what it finds in fuzz/corpus/TARGET
# (not committed) and crashes in fuzz/artifacts/TARGET.
#
#   fuzz/run.sh TARGET SECONDS [libFuzzer options...]
#   fuzz/run.sh xml 3600 -jobs=2 -workers=2
#
# TARGET: datetime, csv, xml, spreadsheet, xlsx_parts, ods_parts.
# Builds with optimizations, debug assertions and overflow checks, and no
# sanitizer (FUZZ_SANITIZER=address for AddressSanitizer, several times
# slower). Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable
# toolchain works through RUSTC_BOOTSTRAP=1.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    echo "usage: $0 TARGET SECONDS [libFuzzer options...]" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2

# -max_len: a little above the largest seed; larger inputs only slow a target down.
case "$target" in
    datetime) dict=datetime max_len=64 ;;
    csv) dict=csv max_len=4096 ;;
    xml) dict=xml max_len=8192 ;;
    spreadsheet) dict=spreadsheet max_len=16384 ;;
    xlsx_parts) dict=spreadsheet max_len=16384 ;;
    ods_parts) dict=spreadsheet max_len=32768 ;;
    *)
        echo "$0: unknown target \`$target\` (datetime, csv, xml, spreadsheet, xlsx_parts, ods_parts)" >&2
        exit 2
        ;;
esac

cd "$(dirname "$0")/.."
mkdir -p "fuzz/corpus/$target"
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run -O --debug-assertions --sanitizer "${FUZZ_SANITIZER:-none}" "$target" \
    "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -dict="fuzz/dicts/$dict.dict" \
    -max_len="$max_len" \
    -max_total_time="$seconds" \
    -rss_limit_mb=1024 \
    -timeout=10 \
    -print_final_stats=1 \
    "$@"
