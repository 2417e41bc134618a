#!/usr/bin/env bash
# make fuzz: a local campaign, one target after another on ONE core (this
# machine is shared), FUZZ_SECONDS per target. Engine: AFL++ persistent mode
# with ASan+UBSan (FUZZ_ENGINE=afl, default) or libFuzzer (FUZZ_ENGINE=libfuzzer).
# Output: fuzz/out/<target>/ (AFL output dirs), fuzz/out/summary.txt, crashing
# inputs copied to fuzz/out/crashes/<target>/. After each AFL run the queue is
# replayed through the libFuzzer build with LeakSanitizer (AFL's persistent
# mode cannot attribute leaks). Exit 1 when anything crashed, hung or leaked.
# FUZZ_OUT moves the output directory, so that two campaigns (one per core)
# can run side by side without sharing a summary.
set -uo pipefail
cd "$(dirname "$0")/.."
FB=${FB:-build-fuzz}
S=${FUZZ_SECONDS:-600}
ENGINE=${FUZZ_ENGINE:-afl}
TMO=${FUZZ_TIMEOUT_MS:-5000}
TARGETS=${FUZZ_TARGETS:-jks jceks javaser pkcs12 pem roundtrip cert}
OUT=${FUZZ_OUT:-fuzz/out}
mkdir -p "$OUT"
SUM=$OUT/summary.txt
bad=0
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1
# persistent mode: leaks are checked by the replay below, not inside AFL
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:max_allocation_size_mb=512:allocator_may_return_null=0
{
    echo "libjks fuzz campaign, $(date -u '+%Y-%m-%d %H:%M UTC'), engine $ENGINE, ${S}s per target, one core"
    printf '%-10s %10s %8s %8s %8s %8s %7s %6s\n' target execs exec/s corpus edges bitmap crashes hangs
} >"$SUM"
for t in $TARGETS; do
    case $t in pkcs12|pem|cert) dict=fuzz/dict/pkcs12.dict ;; *) dict=fuzz/dict/jks.dict ;; esac
    o=$OUT/$t
    rm -rf "$o"
    mkdir -p "$o"
    in=fuzz/corpus/$t
    if [ ! -d "$in" ] || [ -z "$(ls -A "$in" 2>/dev/null)" ]; then
        in=$o/seed-in; mkdir -p "$in"; printf '\010changeit' >"$in/empty"
    fi
    echo "fuzz: $t for ${S}s ($ENGINE)"
    if [ "$ENGINE" = afl ]; then
        timeout $((S + 300)) afl-fuzz -i "$in" -o "$o" -V "$S" -t "$TMO" -m none -x "$dict" \
            -- "$FB/afl/fuzz_$t" >"$o/afl.log" 2>&1
        st=$o/default/fuzzer_stats
        get() { sed -n "s/^$1 *: *//p" "$st" 2>/dev/null | head -1; }
        execs=$(get execs_done); eps=$(get execs_per_sec); corpus=$(get corpus_count)
        edges=$(get edges_found); cvg=$(get bitmap_cvg)
        crashes=$(get saved_crashes); hangs=$(get saved_hangs)
        # leak check: replay the whole queue with LeakSanitizer on
        ASAN_OPTIONS=detect_leaks=1 "$FB/lf/fuzz_$t" -runs=0 -timeout=20 "$o/default/queue" \
            >"$o/leakcheck.log" 2>&1 || { echo "fuzz: $t: replay of the queue failed (leak?): $o/leakcheck.log"; bad=1; }
        if [ "${crashes:-0}" != 0 ] || [ "${hangs:-0}" != 0 ]; then
            mkdir -p "$OUT/crashes/$t"
            cp "$o"/default/crashes/id* "$o"/default/hangs/id* "$OUT/crashes/$t/" 2>/dev/null
            bad=1
        fi
    else
        mkdir -p "$o/corpus"
        ASAN_OPTIONS=detect_leaks=1 "$FB/lf/fuzz_$t" -max_total_time="$S" -timeout=$((TMO / 1000 + 1)) \
            -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=65536 -dict="$dict" \
            -artifact_prefix="$o/" -print_final_stats=1 "$o/corpus" "$in" >"$o/libfuzzer.log" 2>&1
        rc=$?
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$o/libfuzzer.log" | tail -1)
        eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$o/libfuzzer.log" | tail -1)
        corpus=$(ls "$o/corpus" | wc -l)
        edges=$(grep -o 'cov: [0-9]*' "$o/libfuzzer.log" | tail -1 | cut -d' ' -f2)
        cvg=-; hangs=0; crashes=0
        [ $rc -ne 0 ] && { crashes=1; bad=1; }
    fi
    printf '%-10s %10s %8s %8s %8s %8s %7s %6s\n' "$t" "${execs:--}" "${eps:--}" "${corpus:--}" \
        "${edges:--}" "${cvg:--}" "${crashes:--}" "${hangs:--}" >>"$SUM"
done
if [ "$ENGINE" = afl ] && command -v afl-whatsup >/dev/null 2>&1; then
    { echo; for t in $TARGETS; do echo "afl-whatsup -s -d $OUT/$t:"
        TERM=dumb afl-whatsup -s -d "$OUT/$t" 2>/dev/null | grep -E 'run time|Total execs|Cumulative|Crashes|Pending'; done; } >>"$SUM"
fi
cat "$SUM"
[ $bad = 0 ] || echo "fuzz: findings above: inputs in $OUT/crashes/ (add fixed ones to tests/regress/)"
exit $bad
