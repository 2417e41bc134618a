#!/usr/bin/env bash
# Replay the regression corpus and the seed corpora through the standalone
# (uninstrumented, -O1 -g) harness drivers under valgrind memcheck; fails on
# any memory error or definite leak. Slow-ish (a minute or two); not part of
# `make check`.   usage: bash fuzz/valgrind-regress.sh
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${FB:-build-fuzz}/valgrind
mkdir -p "$OUT"
make --no-print-directory -s all >/dev/null || exit 1
mapfile -d '' files < <(find tests/regress fuzz/corpus -type f ! -name '*.md' -print0 2>/dev/null | sort -z)
fail=0
for src in fuzz/fuzz_*.c; do
    t=$(basename "$src" .c)
    cc -std=c11 -D_GNU_SOURCE -O1 -g -DFUZZ_STANDALONE $(make -s --no-print-directory print-incs) -Ifuzz \
        -o "$OUT/$t" "$src" build/libjks.a -lssl -lcrypto -ltasn1 -lpthread || { fail=1; continue; }
    if valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$OUT/$t" "${files[@]}" >"$OUT/$t.log" 2>&1; then
        echo "valgrind: $t: ${#files[@]} inputs clean"
    else
        echo "valgrind: $t: FAILED, see $OUT/$t.log"
        fail=1
    fi
done
exit $fail
