#!/usr/bin/env bash
# Which client key Java's key managers choose when several qualify (issue 14
# item 1): a Java program (JDK 17, compiled once) builds JKS, JCEKS and
# PKCS#12 stores of 1..200 entries with random aliases (some non-ASCII; JCEKS
# at most 24 keys, as JDK 17 opens each in ~55 ms),
# trusted certificates between them, valid, expired, not-yet-valid,
# serverAuth-only, EKU-less and keyEncipherment-only leaves under two CAs,
# and prints what SunX509 and PKIX return from
# chooseClientAlias({"RSA","EC"}, issuers, null) with no issuers, CA 1, CA 2.
# `jkstool probe --explain-choice` (jks_client_key_choice) must say the same.
set -u
J=${JKSTOOL:?set JKSTOOL to the jkstool binary}
JAVA_HOME_17=${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}
STORES=${PROBE_CHOICE_STORES:-36}
PY=/usr/bin/python3
HERE=$(cd "$(dirname "$0")" && pwd)
pass=0 fail=0
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
JAVAC=$JAVA_HOME_17/bin/javac JAVA=$JAVA_HOME_17/bin/java
[ -x "$JAVAC" ] || { JAVAC=$(command -v javac); JAVA=$(command -v java); }
if [ -z "$JAVAC" ] || ! "$PY" -c 'import cryptography' 2>/dev/null; then
  echo "probe_choice: SKIP (needs JDK 17 javac and python3-cryptography)"
  exit 0
fi
mkdir -p "$T/pool" "$T/out" "$T/cls"
"$PY" "$HERE/lib/keychoice_pool.py" "$T/pool" 16 || { echo "FAIL: key pool"; exit 1; }
"$JAVAC" -d "$T/cls" "$HERE/java/KeyChoice.java" || { echo "FAIL: javac"; exit 1; }
"$JAVA" -cp "$T/cls" KeyChoice "$T/pool" "$T/out" 20261205 "$STORES" \
  > "$T/expect" 2> "$T/leaves" || { echo "FAIL: Java oracle"; cat "$T/leaves"; exit 1; }
# each PKCS#12 key's leaf certificate as Java pairs them (entries made in one
# millisecond share a localKeyId: the name decides); JKS/JCEKS store chains in
# the entry
grep '\.pkcs12 ' "$T/leaves" > "$T/leaves.p12"
mv "$T/leaves.p12" "$T/leaves"
for f in $(cut -d' ' -f1 "$T/leaves" | sort -u); do
  "$J" list "$T/out/$f" --storepass pass:changeit --max-work 100000000000 --json |
    "$PY" -c 'import json,sys
for e in json.load(sys.stdin)["entries"]:
    if e["kind"] == "private-key": print(sys.argv[1], e["chain"][0]["sha256"].replace(":", "").lower(), e["alias"])' "$f"
done | sort > "$T/leaves.ours"
sort "$T/leaves" > "$T/leaves.java"
if cmp -s "$T/leaves.java" "$T/leaves.ours"; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL: key/leaf pairing differs from Java:"; diff "$T/leaves.java" "$T/leaves.ours" | head -5; fi
multi=0
while read -r f set sx px; do
  args=()
  [ "$set" != none ] && args=(--ca-names "$T/pool/$set.pem")
  got=$("$J" probe "$T/out/$f" --storepass pass:changeit --explain-choice "${args[@]}" --json |
    "$PY" -c 'import json,sys; d=json.load(sys.stdin); print("sunx509=%s pkix=%s %d" % (d["sunx509"] or "-", d["pkix"] or "-", d["qualifying"]))')
  if [ "${got% *}" = "$sx $px" ]; then
    pass=$((pass + 1))
    [ "${got##* }" -gt 1 ] && multi=$((multi + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $f issuers $set: Java $sx $px, jkstool ${got% *}"
  fi
done < "$T/expect"
# the cases must include ones where the two key managers disagree
differ=$(awk '{ split($3, a, "="); split($4, b, "="); if (a[2] != b[2]) n++ } END { print n + 0 }' "$T/expect")
if [ "$differ" -gt 0 ] && [ "$multi" -gt 0 ]; then pass=$((pass + 1)); else
  fail=$((fail + 1)); echo "FAIL: no case where SunX509 and PKIX differ ($differ) or several keys qualify ($multi)"; fi
# usage errors
"$J" probe "$T/out/s000.jks" --explain-choice --connect 127.0.0.1:1 >/dev/null 2>&1
[ $? -eq 2 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: --explain-choice with --connect not exit 2"; }
"$J" probe "$T/out/s000.jks" --explain-choice --key-manager foo >/dev/null 2>&1
[ $? -eq 2 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: bad --key-manager not exit 2"; }
echo "probe_choice: $pass passed, $fail failed ($(wc -l < "$T/expect") store/issuer cases, $differ where SunX509 and PKIX differ, $multi with several qualifying keys)"
[ "$fail" -eq 0 ]
