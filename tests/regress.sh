#!/usr/bin/env bash
# Replay the crash/hang/leak regression corpus (tests/regress/<target>/*)
# under ASan+UBSan+LeakSanitizer. Called by `make check` after the sanitizer
# build as:   bash tests/regress.sh build-asan/jkstool
#  1. builds the fuzz harnesses (fuzz/fuzz_*.c) as standalone replay drivers
#     against <dir of jkstool>/libjks.a with the same sanitizers, and feeds
#     EVERY regression file to EVERY harness (each must survive any bytes);
#  2. runs `jkstool list` on each store input (harness prefix stripped, its
#     password as --storepass, --max-iterations 2048), which must exit 0, 3,
#     4 or 5 without a sanitizer report.
# Fails on any sanitizer report, abort, signal or timeout. Files are named
# after what they reproduce; see tests/regress/README.md.
set -uo pipefail
cd "$(dirname "$0")/.."
JKSTOOL=${1:-build-asan/jkstool}
BD=$(dirname "$JKSTOOL")
LIB=$BD/libjks.a
CC=${CC:-cc}
RD=tests/regress
OUT=$BD/regress
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS=detect_leaks=1:exitcode=99:abort_on_error=0:max_allocation_size_mb=512:allocator_may_return_null=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
TMO=${REGRESS_TIMEOUT:-60}
INCS=$(make -s --no-print-directory print-incs)

[ -d "$RD" ] || { echo "regress: no $RD"; exit 0; }
[ -f "$LIB" ] || { echo "regress: $LIB missing (build the sanitizer tree first)" >&2; exit 1; }
mapfile -d '' files < <(find "$RD" -type f ! -name '*.md' -print0 | sort -z)
[ ${#files[@]} -gt 0 ] || { echo "regress: corpus empty"; exit 0; }
mkdir -p "$OUT"

fail=0
targets=()
for src in fuzz/fuzz_*.c; do
    t=$(basename "$src" .c)
    bin=$OUT/$t
    if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ] || [ fuzz/fuzz_common.h -nt "$bin" ] || [ "$LIB" -nt "$bin" ]; then
        if ! $CC -std=c11 -D_GNU_SOURCE -O1 -g $SAN -DFUZZ_STANDALONE $INCS -Ifuzz -o "$bin" "$src" "$LIB" -lssl -lcrypto -ltasn1 -lpthread 2>"$OUT/$t.cc.log"; then
            echo "regress: cannot build $t:"; sed 's/^/  /' "$OUT/$t.cc.log" | head -20
            fail=1
            continue
        fi
    fi
    targets+=("$t")
done

# 1. every file through every harness: one process per harness; on failure,
# one process per file to name the culprit
for t in "${targets[@]}"; do
    if ! timeout "$TMO" "$OUT/$t" "${files[@]}" >"$OUT/$t.log" 2>&1; then
        for f in "${files[@]}"; do
            if ! timeout "$TMO" "$OUT/$t" "$f" >"$OUT/$t.one.log" 2>&1; then
                echo "regress: FAIL $t < $f"
                grep -m5 -E 'ERROR|runtime error|SUMMARY|Aborted|Assertion' "$OUT/$t.one.log" | sed 's/^/  /'
                fail=1
            fi
        done
    fi
done

# 2. the CLI on each store input (dirs of the store harnesses)
n_cli=0
for f in "${files[@]}"; do
    case "$f" in */javaser/*) continue ;; esac
    tmp=$OUT/cli-input
    # prefix: flags (0x10 no store password, 0x20 password as --keypass)
    flags_pw=$(python3 - "$f" "$tmp" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
n = d[0] & 0x0F if d else 0
open(sys.argv[2], "wb").write(d[1 + n:])
print(d[0] if d else 0, d[1:1 + n].split(b"\0")[0].decode("latin-1"), end="")
PY
) || continue
    flags=${flags_pw%% *}
    pw=${flags_pw#* }
    args=(list "$tmp" --max-iterations 2048 -v)
    (( flags & 0x10 )) || args+=(--storepass "pass:$pw")
    (( flags & 0x20 )) && args+=(--keypass "pass:$pw")
    timeout "$TMO" "$JKSTOOL" "${args[@]}" </dev/null >/dev/null 2>"$OUT/cli.err"
    rc=$?
    n_cli=$((n_cli + 1))
    if [ $rc -ne 0 ] && [ $rc -ne 3 ] && [ $rc -ne 4 ] && [ $rc -ne 5 ] || \
        grep -q -E 'Sanitizer|runtime error' "$OUT/cli.err"; then
        echo "regress: FAIL jkstool list < $f (exit $rc)"
        grep -m5 -E 'ERROR|runtime error|SUMMARY|jkstool' "$OUT/cli.err" | sed 's/^/  /'
        fail=1
    fi
done

if [ $fail = 0 ]; then
    echo "regress: ${#files[@]} inputs x ${#targets[@]} harnesses and $n_cli jkstool runs clean (ASan+UBSan+LSan)"
fi
exit $fail
