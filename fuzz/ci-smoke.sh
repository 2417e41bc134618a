#!/usr/bin/env bash
# CI step (called by .ci/run after `make check`): build the libFuzzer
# harnesses and run every fuzz target briefly (make fuzz-smoke); fails on any
# crash, leak, hang or oversized allocation. Needs clang with libFuzzer
# (Debian: clang + libclang-rt-dev, i.e. libclang-rt-14-dev / llvm-14's
# compiler-rt; `clang -fsanitize=fuzzer` must link).
#   FUZZ_SMOKE_SECONDS  seconds per target (default 30; 7 targets)
set -euo pipefail
cd "$(dirname "$0")/.."
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$probe/p.c"
if ! ${CLANG:-clang} -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" 2>"$probe/err"; then
    echo "fuzz-smoke: clang cannot build libFuzzer targets here:" >&2
    sed 's/^/  /' "$probe/err" >&2
    echo "fuzz-smoke: install clang and its compiler-rt (libclang-rt-dev)" >&2
    exit 1
fi
make --no-print-directory fuzz-smoke FUZZ_SMOKE_SECONDS="${FUZZ_SMOKE_SECONDS:-30}"
