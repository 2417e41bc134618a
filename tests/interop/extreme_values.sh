#!/usr/bin/env bash
# Creation dates at INT64_MIN, INT64_MAX, -1 ms and 0 ms: every command that
# prints or writes a date handles them without undefined behaviour (make
# check runs this again under ASan+UBSan, which stops on the first report).
# Dates are patched into a copy of vectors/files/jks-trusted.jks (no password
# given, so the integrity digest is not checked).
set -uo pipefail
JKSTOOL=${JKSTOOL:-build/jkstool}
case $JKSTOOL in /*) ;; *) JKSTOOL=$PWD/$JKSTOOL ;; esac
V=$PWD/vectors/files
source "$(dirname "$0")/lib/assert.bash"
TMP=$T
for ms in -9223372036854775808 9223372036854775807 -1 0 -999 -1001; do
    f=$TMP/date$ms.jks
    python3 - "$V/jks-trusted.jks" "$f" "$ms" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
off = 12 + 4                              # header, first entry's tag
al = struct.unpack(">H", d[off:off + 2])[0]
off += 2 + al
d[off:off + 8] = struct.pack(">q", int(sys.argv[3]))
open(sys.argv[2], "wb").write(bytes(d))
PY
    out=$("$JKSTOOL" list --json "$f" 2>&1); rc=$?
    check "list --json date $ms exits 0" [ $rc = 0 ]
    created=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["entries"][0]["created"])' "$out" 2>/dev/null)
    case $ms in
        0) check "date 0 is the epoch" [ "$created" = 1970-01-01T00:00:00Z ] ;;
        -1|-999) check "date $ms rounds down to 23:59:59" [ "$created" = 1969-12-31T23:59:59Z ] ;;
        -1001) check "date -1001 rounds down to 23:59:58" [ "$created" = 1969-12-31T23:59:58Z ] ;;
        *) check "date $ms prints something" [ -n "$created" ] ;;
    esac
    "$JKSTOOL" list -v "$f" >/dev/null 2>&1; check "list -v date $ms exits 0" [ $? = 0 ]
    "$JKSTOOL" convert "$f" "$TMP/d$ms.pem" --force >/dev/null 2>&1
    check "convert to pem date $ms exits 0" [ $? = 0 ]
    case $ms in -1|-999) check "pem comment has .999Z for $ms" grep -q "created=1969-12-31T23:59:59.$(printf %03d $((1000 + ms % 1000)))Z" "$TMP/d$ms.pem" ;; esac
    "$JKSTOOL" keytool -list -v -keystore "$f" -storepass changeit >/dev/null 2>&1
    rc=$?; check "keytool -list -v date $ms does not crash" [ $rc -lt 128 ]
done
# an alias with a newline and an ANSI escape (patched over the first alias,
# same length) is printed escaped: no forged line, no escape byte
python3 - "$V/jks-trusted.jks" "$TMP/evil.jks" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
off = 16
al = struct.unpack(">H", d[off:off + 2])[0]
evil = b"ev\nil\x1b[31mFORGED:x"
evil = (evil + b"x" * al)[:al]
d[off + 2:off + 2 + al] = evil
open(sys.argv[2], "wb").write(bytes(d))
PY
for mode in "" -v --aliases; do
    "$JKSTOOL" list $mode "$TMP/evil.jks" >"$TMP/evil.out" 2>"$TMP/evil.err"
    check "list $mode with a hostile alias exits 0" [ $? = 0 ]
    check "list $mode prints no ESC byte" bash -c '! grep -q $'"'"'\x1b'"'"' "$1"' _ "$TMP/evil.out"
    # (list shows the alias as Java names it, lower-cased: match either case)
    check "list $mode shows the newline escaped" grep -qi 'ev\\x0ail\\x1b\[31mFORGED' "$TMP/evil.out"
    check "list $mode forges no line" bash -c '! grep -q "^il" "$1"' _ "$TMP/evil.out"
done
"$JKSTOOL" list --json "$TMP/evil.jks" | python3 -c 'import json,sys; a=json.load(sys.stdin)["entries"][0]["alias"]; sys.exit(0 if a.startswith("ev\nil\x1b[31m") else 1)'
check "list --json keeps the alias exact (JSON-escaped)" [ $? = 0 ]

# no core dump can carry a password or key to disk: while jkstool waits for
# its password (a FIFO), its core size limit is 0
mkfifo "$TMP/pw.fifo"
"$JKSTOOL" list "$V/jks-chain3.jks" --storepass "file:$TMP/pw.fifo" >/dev/null 2>&1 &
pid=$!
lim=""
for _ in $(seq 1 50); do
    lim=$(awk '/^Max core file size/ {print $5 " " $6}' "/proc/$pid/limits" 2>/dev/null)
    [ "$lim" = "0 0" ] && break
    sleep 0.1
done
check "jkstool runs with a core size limit of 0 (got [$lim])" [ "$lim" = "0 0" ]
echo changeit >"$TMP/pw.fifo"
wait $pid
check "the listing then completes" [ $? = 0 ]

# a password file is read as it streams, 64 KiB at most: file:/dev/zero is
# refused at once (it was read to the 1 GiB file cap first)
start=$(date +%s%N)
timeout 20 "$JKSTOOL" list "$V/jks-chain3.jks" --storepass file:/dev/zero >/dev/null 2>"$TMP/zero.err"
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
check "file:/dev/zero as password is a usage error (exit $rc)" [ $rc = 2 ]
check "file:/dev/zero is refused in under 2 s (${ms} ms)" [ $ms -lt 2000 ]
check "the error says why" grep -q "no line end in its first 64 KiB" "$TMP/zero.err"

echo "extreme_values.sh: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
