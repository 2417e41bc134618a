#!/usr/bin/env bash
# make fuzz-smoke: every target for FUZZ_SMOKE_SECONDS (default 30) with the
# libFuzzer builds (ASan+UBSan+LeakSanitizer). libFuzzer's own exit status
# reports crashes, leaks, timeouts (-timeout) and oversized allocations
# (-malloc_limit_mb) directly, so no stats parsing is needed; AFL++ is used
# for the longer campaign (make fuzz). Fails on the first target that finds
# anything; the reproducer is left in $FB/smoke/<target>/.
set -uo pipefail
cd "$(dirname "$0")/.."
FB=${FB:-build-fuzz}
S=${FUZZ_SMOKE_SECONDS:-30}
TARGETS=${FUZZ_TARGETS:-jks jceks javaser pkcs12 pem roundtrip cert bks uber bcfks}
fail=0
for t in $TARGETS; do
    bin=$FB/lf/fuzz_$t
    d=$FB/smoke/$t
    case $t in pkcs12|pem|cert) dict=fuzz/dict/pkcs12.dict ;; *) dict=fuzz/dict/jks.dict ;; esac
    rm -rf "$d"
    mkdir -p "$d/corpus"
    seeds=()
    [ -d "fuzz/corpus/$t" ] && seeds+=("fuzz/corpus/$t")
    # (tests/regress is replayed by make check, not used as seeds: its
    # PKCS#12 input, which the JKS reader also accepts as Java does, sends
    # mutants into 2048-round PBKDF2/MAC derivations, 10x slower)
    "$bin" -max_total_time="$S" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
        -max_len=65536 -dict="$dict" -artifact_prefix="$d/" -print_final_stats=1 \
        "$d/corpus" "${seeds[@]}" >"$d/log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$d/log" | tail -1)
    if [ $rc -ne 0 ]; then
        echo "fuzz-smoke: $t: FAILED (exit $rc) after ${execs:-?} executions; see $d/log:"
        grep -m3 -E 'ERROR|runtime error|SUMMARY|Test unit written' "$d/log" | sed 's/^/  /'
        fail=1
    else
        echo "fuzz-smoke: $t: ok, ${execs:-?} executions in ${S}s, ${cov:-cov: ?} edges"
    fi
done
exit $fail
