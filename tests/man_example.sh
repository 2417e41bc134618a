#!/usr/bin/env bash
# The program in libjks(3)'s EXAMPLES compiles against the library and does
# what the page says: lists a keystore (aliases as `jkstool list --aliases`
# prints them), checks it, writes a PKCS#12 jkstool reads back with the same
# aliases, and returns the status class on a wrong password (3).
#   usage: tests/man_example.sh BUILD_DIR   (from the repository root)
set -u
B=$(cd "${1:-build}" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CC=${CC:-cc}
fail=0
bad() { echo "man_example: FAIL: $*"; fail=1; }
sed -n '/^\.\\" example: begin$/,/^\.\\" example: end$/p' man/libjks.3 |
  sed -e '/^\.\\"/d' -e '/^\.Bd/d' -e '/^\.Ed/d' -e 's/\\e/\\/g' -e 's/^\\&//' >"$T/ex.c"
[ "$(wc -l <"$T/ex.c")" -gt 20 ] || { bad "no example found in man/libjks.3"; exit 1; }
$CC -std=c11 -Wall -Wextra -Werror -Iinclude -o "$T/ex" "$T/ex.c" "$B/libjks.a" -lcrypto -ltasn1 -lpthread \
  2>"$T/cc.err" || { bad "the example does not compile:"; cat "$T/cc.err"; exit 1; }
V=vectors/files/jks-mixed.jks
KS_PASS=changeit "$T/ex" "$V" "$T/out.p12" >"$T/out" 2>"$T/err" || bad "exit $?: $(cat "$T/err")"
"$B/jkstool" list "$V" --aliases >"$T/aliases"
[ -s "$T/aliases" ] || bad "no aliases from jkstool"
grep -v '^finding ' "$T/out" | cut -d' ' -f1 | diff - "$T/aliases" >/dev/null || bad "aliases differ: $(cat "$T/out")"
grep -q '^rsa private-key CN=' "$T/out" || bad "no 'rsa private-key CN=...' line: $(cat "$T/out")"
grep -q '^finding [a-z-]* \(error\|warning\|info\)$' "$T/out" || bad "no findings printed: $(cat "$T/out")"
"$B/jkstool" list "$T/out.p12" --storepass pass:changeit --aliases >"$T/p12aliases" 2>&1 || bad "PKCS#12 not readable: $(cat "$T/p12aliases")"
sort "$T/aliases" | diff - <(sort "$T/p12aliases") >/dev/null || bad "PKCS#12 aliases differ"
[ "$("$B/jkstool" list "$T/out.p12" --storepass pass:changeit --json | grep -o '"format":"[a-z0-9]*"')" = '"format":"pkcs12"' ] ||
  bad "output is not PKCS#12"
KS_PASS=wrong "$T/ex" "$V" "$T/out2.p12" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" = 3 ] || bad "wrong password: exit $rc, want 3"
grep -q 'password' "$T/err" || bad "wrong password: no message: $(cat "$T/err")"
[ -e "$T/out2.p12" ] && bad "wrote output after a failed read"
[ "$fail" = 0 ] && echo "man_example: the libjks(3) example compiles and works"
exit "$fail"
