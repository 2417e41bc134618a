#!/usr/bin/env bash
# Proves that `make layering` (tools/layering.sh) catches what it promises:
# on a scratch copy of the tree it plants, one at a time, an upward include,
# a sibling-codec include and an internal include in cli/ and check/, and
# expects each to fail with a line naming the file; the unplanted copy passes.
set -uo pipefail
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
dirs="base model crypto cert jks pkcs12 pem bks ops check cli include tools"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "layering_test: FAIL: $*"; fail=$((fail + 1)); }

fresh() {
    rm -rf "$T/tree" && mkdir -p "$T/tree"
    for d in $dirs; do cp -r "$d" "$T/tree/"; done
}
# plant FILE LINE: add an include line at the top of FILE in a fresh copy,
# run the checker, expect failure and a message naming FILE
plant() {
    local file=$1 line=$2 what=$3
    fresh
    sed -i "1i $line" "$T/tree/$file"
    if out=$(bash tools/layering.sh "$T/tree" 2>&1); then
        bad "$what: checker passed"
    elif ! grep -q "^$file:1:" <<<"$out"; then
        bad "$what: no line naming $file:1 in: $out"
    else
        ok
    fi
}

# allow FILE LINE: a downward include must not be reported
allow() {
    local file=$1 line=$2 what=$3
    fresh
    sed -i "1i $line" "$T/tree/$file"
    out=$(bash tools/layering.sh "$T/tree" 2>&1)
    if grep -q "^$file:1:" <<<"$out"; then bad "$what: reported: $out"; else ok; fi
}

fresh
if out=$(bash tools/layering.sh "$T/tree" 2>&1); then ok; else bad "clean tree refused: $out"; fi
plant base/cursor.c '#include "store.h"' "base including model (upward)"
plant model/store.c '#include "keys.h"' "model including crypto (upward)"
plant crypto/protect.c '#include "cert.h"' "crypto including cert (upward)"
allow cert/certinfo.c '#include "codec.h"' "cert including model (downward)"
allow ops/codec.c '#include "p12.h"' "ops including a codec (downward)"
plant jks/jksfile.c '#include "p12.h"' "codec including a sibling codec"
plant pem/pem.c '#include "p12.h"' "pem including pkcs12"
plant ops/codec.c '#include "check_int.h"' "ops including check (upward)"
plant cli/main.c '#include "store.h"' "cli including an internal header"
plant check/check.c '#include "cursor.h"' "check including an internal header"
plant jks/jksfile.c '#include "nosuch.h"' "unknown header"
echo "layering_test: $pass passed, $fail failed"
[ "$fail" = 0 ]
