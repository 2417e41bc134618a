#!/usr/bin/env bash
# Post-quantum keys Java 24 and later make (keytool -keyalg ML-DSA-44/65/87,
# ML-KEM-768 signed by an ML-DSA key), which the OpenSSL 3.0 libjks runs on
# cannot decode: listed by the names keytool 25 gives them, the keytool mode's
# text equal to keytool 17's (which prints their OIDs), `check` without a
# false "issuer missing" for a self-signed ML-DSA certificate, and `convert`
# PKCS#12 <-> JKS keeping every key byte for byte (Dump.java by JDK 25 on the
# source and on our output: same certificates, same PKCS#8). Needs JDK 25
# (skipped, loudly, when absent: JDK 17 cannot make these keys).
set -u
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
HERE=$(cd "$(dirname "$0")" && pwd)
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin
. "$HERE/lib/assert.bash" # $T, PASS/FAIL, ok, bad, run, check
if [ ! -x "$J25/keytool" ]; then
    echo "pq.sh: SKIPPED: no JDK 25 at $J25 (JDK 17 cannot make ML-DSA keys)"
    exit 0
fi
K25=$J25/keytool
q() { "$@" >/dev/null 2>&1 </dev/null || { echo "setup failed: $*" >&2; exit 5; }; }
for a in 44 65 87; do
    q "$K25" -genkeypair -alias "mldsa$a" -keyalg "ML-DSA-$a" -dname "CN=ML-DSA-$a key" -validity 365 \
        -keystore pq.p12 -storetype PKCS12 -storepass changeit
done
q "$K25" -genkeypair -alias kem -keyalg ML-KEM-768 -signer mldsa65 -dname "CN=ML-KEM-768 key" \
    -validity 365 -keystore pq.p12 -storetype PKCS12 -storepass changeit
q "$K25" -exportcert -alias mldsa87 -rfc -file root87.pem -keystore pq.p12 -storepass changeit
q "$K25" -importcert -noprompt -alias root87 -file root87.pem -keystore pq.p12 -storepass changeit
SP="--storepass pass:changeit"

# names: each certificate's signature and key lines as keytool 25 prints them
"$K25" -list -v -keystore pq.p12 -storepass changeit >kt25.txt 2>&1
run 0 "$JKSTOOL" list -v pq.p12 $SP && cp "$T/out" ours.txt
for a in 44 65 87; do
    check "ML-DSA-$a named as keytool 25 names it" \
        grep -qx "Signature algorithm name: ML-DSA-$a" ours.txt
    check "keytool 25 prints the same signature name for ML-DSA-$a" \
        grep -qx "Signature algorithm name: ML-DSA-$a" kt25.txt
    check "ML-DSA-$a key line as keytool 25's" \
        grep -qx "Subject Public Key Algorithm: ML-DSA-$a key" ours.txt
    check "keytool 25 prints the same key line for ML-DSA-$a" \
        grep -qx "Subject Public Key Algorithm: ML-DSA-$a key" kt25.txt
done
check "ML-KEM-768 key named as keytool 25" grep -qx "Subject Public Key Algorithm: ML-KEM-768 key" ours.txt
check "keytool 25: ML-KEM-768 key" grep -qx "Subject Public Key Algorithm: ML-KEM-768 key" kt25.txt
check "no 0-bit key line" sh -c '! grep -q "0-bit" ours.txt'

# JSON: decrypted, named, no public key claimed
run 0 "$JKSTOOL" list --json pq.p12 $SP && cp "$T/out" ours.json
check "JSON names every key and claims no public key" python3 - ours.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keys = {e["alias"]: e["key"] for e in d["entries"] if "key" in e}
want = {"mldsa44": ("ML-DSA", "ML-DSA-44"), "mldsa65": ("ML-DSA", "ML-DSA-65"),
        "mldsa87": ("ML-DSA", "ML-DSA-87"), "kem": ("ML-KEM", "ML-KEM-768")}
ok = keys.keys() == want.keys() and all(
    k["decrypted"] and k.get("error") == "unsupported-key-algorithm" and
    (k["algorithm"], k["curve"]) == want[a] and "spki_sha256" not in k for a, k in keys.items())
print(keys) if not ok else None
sys.exit(0 if ok else 1)
PY

# the keytool mode: keytool 17 cannot name them and prints their OIDs
"$J17/keytool" -list -v -keystore pq.p12 -storepass changeit >kt17.txt 2>&1
"$JKSTOOL" keytool -list -v -keystore pq.p12 -storepass changeit >ourkt.txt 2>&1
check "keytool mode -list -v equals keytool 17's" cmp -s kt17.txt ourkt.txt ||
    diff kt17.txt ourkt.txt | head -10 >&2

# check: a self-signed ML-DSA certificate is not "issued by a missing CA"
"$JKSTOOL" check pq.p12 $SP --json >check.json 2>/dev/null
check "check: no chain-incomplete on self-signed ML-DSA certificates" python3 - check.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
bad = [f for f in d["findings"] if f["id"] == "chain-incomplete" and f["alias"].startswith("mldsa")]
selfs = {f["alias"] for f in d["findings"] if f["id"] == "self-signed-identity"}
print(bad, selfs) if bad or not {"mldsa44", "mldsa65", "mldsa87"} <= selfs else None
sys.exit(1 if bad or not {"mldsa44", "mldsa65", "mldsa87"} <= selfs else 0)
PY

# convert both ways: JDK 25 sees the same certificates and the same PKCS#8 bytes
run 0 "$JKSTOOL" convert pq.p12 pq.jks $SP
run 0 "$JKSTOOL" convert pq.jks back.p12 $SP
"$J25/java" "$HERE/java/Dump.java" --file pq.p12 --storepass changeit --type PKCS12 \
    --file pq.jks --storepass changeit --type JKS --file back.p12 --storepass changeit \
    --type PKCS12 >dump.txt 2>dump.err || bad "Dump.java (JDK 25) failed: $(head -c 300 dump.err)"
check "JDK 25 sees the same entries, certificates and key bytes after both conversions" \
    python3 - dump.txt <<'PY'
import json, sys
views = [json.loads(l) for l in open(sys.argv[1])]
def norm(v):
    return [(e["alias"], e["kind"], e.get("chain_sha256"), e.get("pkcs8_sha256")) for e in v["entries"]]
a = norm(views[0])
ok = len(views) == 3 and all(v["ok"] for v in views) and len(a) == 5 and \
     all(x[3] for x in a if x[1] == "private-key") and norm(views[1]) == a and norm(views[2]) == a
print(views) if not ok else None
sys.exit(0 if ok else 1)
PY

echo "pq.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
