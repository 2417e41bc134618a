#!/usr/bin/env bash
# Interop: `jkstool convert` over {JKS, JCEKS, PKCS#12 modern, PKCS#12 legacy,
# PEM}, each to every other and back, checked against our own listing, against
# keytool 17 (and 25 when present) through ONE JVM each (java/LoadAll.java),
# and against the openssl CLI. Plus the refusals: no overwrite without
# --force, no partial file, exit codes, file modes. PKCS#12 cases are skipped
# (loudly) while the PKCS#12 codec reports "not supported yet".
set -u
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
HERE=$(cd "$(dirname "$0")" && pwd)
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin
KT=$J17/keytool
. "$(dirname "$0")/lib/assert.bash" # $T, PASS/FAIL, ok, bad, run, check
SP=pass:changeit
mkdir -p json

# ---- material: an openssl PKI, then keytool-made stores ----
q() { "$@" >/dev/null 2>&1 || { echo "setup failed: $*" >&2; exit 5; }; }
printf 'basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n' >ca.ext
printf 'basicConstraints=CA:false\nextendedKeyUsage=serverAuth,clientAuth\n' >leaf.ext
q openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.crt -days 3650 \
    -subj "/CN=Convert Test Root" -addext basicConstraints=critical,CA:true \
    -addext keyUsage=critical,keyCertSign,cRLSign
q openssl req -newkey rsa:2048 -nodes -keyout int.key -out int.csr -subj "/CN=Convert Test Int"
q openssl x509 -req -in int.csr -CA root.crt -CAkey root.key -CAcreateserial -out int.crt \
    -days 3650 -extfile ca.ext
q openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout leaf.key -out leaf.csr \
    -subj "/CN=server.example.com"
q openssl x509 -req -in leaf.csr -CA int.crt -CAkey int.key -CAcreateserial -out leaf.crt \
    -days 365 -extfile leaf.ext
cat int.crt root.crt >cachain.crt
q openssl pkcs12 -export -inkey leaf.key -in leaf.crt -certfile cachain.crt -name server \
    -out leaf.p12 -passout pass:changeit

q "$KT" -genkeypair -alias rsakey -keyalg RSA -keysize 2048 -dname CN=rsakey -validity 365 \
    -storetype JKS -keystore src.jks -storepass changeit -keypass changeit
q "$KT" -importkeystore -srckeystore leaf.p12 -srcstoretype PKCS12 -srcstorepass changeit \
    -destkeystore src.jks -deststoretype JKS -deststorepass changeit -noprompt
q "$KT" -importcert -noprompt -alias rootca -file root.crt -keystore src.jks -storepass changeit
q "$KT" -importkeystore -srckeystore src.jks -srcstoretype JKS -srcstorepass changeit \
    -destkeystore src.jceks -deststoretype JCEKS -deststorepass changeit -noprompt
cp src.jceks secret.jceks
q "$KT" -genseckey -alias aes -keyalg AES -keysize 256 -storetype JCEKS -keystore secret.jceks \
    -storepass changeit -keypass changeit
q "$KT" -genkeypair -alias kp -keyalg EC -dname CN=kp -validity 365 -storetype JKS \
    -keystore keypass.jks -storepass changeit -keypass otherpw

listj() { # listj FILE [ARGS...] -> json/FILE.json
    local f=$1
    shift
    "$JKSTOOL" list --json "$f" "$@" >"json/$(basename "$f").json" 2>"$T/lerr" ||
        bad "list $f: $(cat "$T/lerr")"
}
PAIRS=$T/pairs # lines: expected.json actual.json
want_same() { echo "json/$(basename "$1").json json/$(basename "$2").json" >>"$PAIRS"; }
JAVA_ARGS=()
java_load() { JAVA_ARGS+=("$1" "$2" "${3:--}"); }

listj src.jks --storepass "$SP"
listj src.jceks --storepass "$SP"

# ---- is the PKCS#12 codec there yet? ----
HAVE_P12=1
"$JKSTOOL" convert src.jks probe.p12 --storepass "$SP" >/dev/null 2>"$T/err"
if grep -q "not supported yet" "$T/err"; then
    HAVE_P12=0
    echo "SKIP: PKCS#12 cases (codec not landed: $(cat "$T/err"))" >&2
fi

# ---- the matrix ----
FMTS="jks jceks pem"
[ $HAVE_P12 = 1 ] && FMTS="jks jceks p12m p12l pem"
ext() { case $1 in p12m | p12l) echo p12 ;; *) echo "$1" ;; esac; }
xargs_of() { case $1 in p12m) echo "--pkcs12-algorithms modern" ;; p12l) echo "--pkcs12-algorithms legacy" ;; esac; }
for f in $FMTS; do
    b=base_$f.$(ext $f)
    # shellcheck disable=SC2046
    run 0 "$JKSTOOL" convert src.jks "$b" --storepass "$SP" $(xargs_of $f) || continue
    listj "$b" --storepass "$SP"
    want_same src.jks "$b"
    [ $f != pem ] && java_load "$b" changeit
    for g in $FMTS; do
        [ $f = $g ] && continue
        x=x_${f}_$g.$(ext $g)
        y=y_${f}_${g}_$f.$(ext $f)
        # shellcheck disable=SC2046
        run 0 "$JKSTOOL" convert "$b" "$x" --storepass "$SP" $(xargs_of $g) || continue
        # shellcheck disable=SC2046
        run 0 "$JKSTOOL" convert "$x" "$y" --storepass "$SP" $(xargs_of $f) || continue
        listj "$x" --storepass "$SP"
        listj "$y" --storepass "$SP"
        want_same src.jks "$x"
        want_same src.jks "$y"
        [ $g != pem ] && java_load "$x" changeit
        [ $f != pem ] && java_load "$y" changeit
    done
done

# ---- byte-identical round trips of keytool-made stores ----
run 0 "$JKSTOOL" convert src.jks same.jks --storepass "$SP" && check "JKS round trip is byte-identical" cmp -s src.jks same.jks
run 0 "$JKSTOOL" convert src.jceks same.jceks --storepass "$SP" && check "JCEKS round trip is byte-identical" cmp -s src.jceks same.jceks
run 0 "$JKSTOOL" convert secret.jceks same-secret.jceks --storepass "$SP" && check "JCEKS+secret round trip is byte-identical" cmp -s secret.jceks same-secret.jceks
# a key password unlike the store password: kept without even knowing it
run 0 "$JKSTOOL" convert keypass.jks same-kp.jks --storepass "$SP" && check "keypass JKS round trip is byte-identical" cmp -s keypass.jks same-kp.jks
# --reencrypt changes the bytes but not the content
run 0 "$JKSTOOL" convert src.jks reenc.jks --storepass "$SP" --reencrypt && check "--reencrypt rewrites keys" bash -c '! cmp -s src.jks reenc.jks'
listj reenc.jks --storepass "$SP"
want_same src.jks reenc.jks
java_load reenc.jks changeit
# new passwords on the way
run 0 "$JKSTOOL" convert keypass.jks newpw.jceks --storepass "$SP" --keypass pass:otherpw --out-storepass pass:newpw
listj newpw.jceks --storepass pass:newpw
check "key re-encrypted under the new store password" grep -q '"decrypted":true' json/newpw.jceks.json
java_load newpw.jceks newpw

# ---- modes, overwrite, partial output ----
check "a store with keys is 0600" test "$(stat -c %a base_jks.jks)" = 600
run 0 "$JKSTOOL" convert src.jks trust.jks --storepass "$SP" --alias rootca
check "a truststore is 0644" test "$(stat -c %a trust.jks)" = 644
listj trust.jks --storepass "$SP"
check "--alias keeps one entry" python3 -c "import json,sys; d=json.load(open('json/trust.jks.json')); sys.exit(0 if [e['alias'] for e in d['entries']]==['rootca'] else 1)"
run 2 "$JKSTOOL" convert src.jks nosuch.jks --storepass "$SP" --alias nosuch
check "missing --alias writes nothing" test ! -e nosuch.jks
cp base_jks.jks before.jks
run 2 "$JKSTOOL" convert src.jceks base_jks.jks --storepass "$SP"
check "no overwrite without --force" cmp -s before.jks base_jks.jks
check "refusal names --force" grep -q -- --force "$T/err"
run 0 "$JKSTOOL" convert src.jceks base_jks.jks --storepass "$SP" --force
check "--force replaces" bash -c '! cmp -s before.jks base_jks.jks'
run 2 "$JKSTOOL" convert secret.jceks secret.jks --storepass "$SP"
check "secret key into JKS leaves no file" test ! -e secret.jks
check "secret key refusal names the alias" grep -q '"aes"' "$T/err"
run 2 "$JKSTOOL" convert secret.jceks secret.pem --storepass "$SP"
check "secret key into PEM leaves no file" test ! -e secret.pem
run 0 "$JKSTOOL" convert secret.jceks dropped.jks --storepass "$SP" --skip-unsupported --json
check "--skip-unsupported names the dropped entry" grep -q 'dropped entry "aes"' "$T/err"
check "--json summary" python3 -c "import json,sys; d=json.load(open('$T/out')); sys.exit(0 if d['dropped']==['aes'] and d['entries']==3 and d['format']=='jks' else 1)"
listj dropped.jks --storepass "$SP"
want_same src.jks dropped.jks
q openssl pkcs8 -topk8 -nocrypt -in leaf.key -outform DER -out nocert.der
run 4 "$JKSTOOL" convert nocert.der nocert.jks --storepass "$SP"
check "key without certificate into JKS leaves no file" test ! -e nocert.jks
check "key without certificate message" grep -q "without its certificate" "$T/err"
run 0 "$JKSTOOL" convert nocert.der nocert.pem
check "DER key to PEM" openssl pkey -in nocert.pem -noout
run 3 "$JKSTOOL" convert src.jks wrong.jks --storepass pass:wrong
check "wrong store password leaves no file" test ! -e wrong.jks
run 3 "$JKSTOOL" convert keypass.jks kp.jceks --storepass "$SP" --reencrypt
check "undecryptable key is named" grep -q '"kp"' "$T/err"
check "undecryptable key leaves no file" test ! -e kp.jceks
run 2 "$JKSTOOL" convert src.jks out.txt --storepass "$SP"
run 2 "$JKSTOOL" convert src.jks x.jks --storepass "$SP" --pkcs12-algorithms weird
run 0 "$JKSTOOL" convert --help
check "--help lists the options" bash -c "grep -q -- --split '$T/out' && grep -q -- --skip-unsupported '$T/out' && grep -q -- --keep-encryption '$T/out'"

# ---- openssl reads our PEM; openssl-made PEM becomes keytool-ready JKS ----
check "openssl pkey reads our PEM" openssl pkey -in base_pem.pem -noout
check "openssl x509 reads our PEM" openssl x509 -in base_pem.pem -noout
count_found() { openssl storeutl -noout "$1" "$2" 2>/dev/null | sed -n 's/^Total found: //p'; }
check "our PEM holds 2 keys" test "$(count_found -keys base_pem.pem)" = 2
check "our PEM holds 5 certificates" test "$(count_found -certs base_pem.pem)" = 5
run 0 "$JKSTOOL" convert src.jks enc.pem --storepass "$SP" --out-keypass pass:pemkey
check "encrypted PEM keys" test "$(grep -c 'BEGIN ENCRYPTED PRIVATE KEY' enc.pem)" = 2
check "openssl opens our encrypted PEM" openssl pkey -in enc.pem -passin pass:pemkey -noout
check "openssl refuses the wrong PEM password" bash -c '! openssl pkey -in enc.pem -passin pass:nope -noout 2>/dev/null'
awk '/BEGIN ENCRYPTED/{p=1} p{print} /END ENCRYPTED/{exit}' enc.pem >enc1.pem
openssl asn1parse -in enc1.pem >enc1.txt 2>&1
check "our encrypted PEM uses PBES2 AES-256-CBC with HMAC-SHA256" bash -c "grep -q PBES2 enc1.txt && grep -q hmacWithSHA256 enc1.txt && grep -q aes-256-cbc enc1.txt"
listj enc.pem --keypass pass:pemkey
want_same src.jks enc.pem
"$JKSTOOL" list --json enc.pem >json/enc-nopw.json 2>/dev/null
check "encrypted PEM without password lists keys as not decrypted" grep -q '"decrypted":false' json/enc-nopw.json

cat leaf.key leaf.crt int.crt >nginx.pem # as nginx wants it
run 0 "$JKSTOOL" convert nginx.pem nginx.jks --out-storepass "$SP"
run 2 "$JKSTOOL" convert nginx.pem nopw.jks
check "no password: a hint and no file" bash -c "grep -q -- --out-storepass '$T/err' && test ! -e nopw.jks"
java_load nginx.jks changeit
q openssl req -x509 -newkey rsa:2048 -nodes -keyout selfkey.pem -out selfcert.pem -days 30 -subj "/CN=Self Signed"
cat selfkey.pem selfcert.pem >self.pem
run 0 "$JKSTOOL" convert self.pem self.jks --out-storepass "$SP"
java_load self.jks changeit
q openssl pkey -in leaf.key -traditional -out trad.key
cat trad.key leaf.crt int.crt >trad.pem
run 0 "$JKSTOOL" convert trad.pem trad.jks --out-storepass "$SP"
java_load trad.jks changeit
fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f; }
LEAF_FP=$(fp leaf.crt)
INT_FP=$(fp int.crt)
SELF_FP=$(fp selfcert.pem)
ROOT_FP=$(fp root.crt)

# --split for web servers
run 0 "$JKSTOOL" convert src.jks --split splitdir --storepass "$SP"
check "split key file is 0600" test "$(stat -c %a splitdir/server.example.com.key.pem 2>/dev/null || stat -c %a splitdir/server.key.pem)" = 600
SPLITKEY=$(ls splitdir/server*.key.pem 2>/dev/null | head -1)
SPLITCRT=${SPLITKEY%.key.pem}.crt.pem
check "split key file holds only the key" test "$(count_found -certs "$SPLITKEY")" = 0
check "split chain file holds the chain" test "$(count_found -certs "$SPLITCRT")" = 3
check "split trusted cert file" test -f splitdir/rootca.crt.pem
check "openssl matches split key and certificate" bash -c "test \"\$(openssl pkey -in '$SPLITKEY' -pubout)\" = \"\$(openssl x509 -in '$SPLITCRT' -noout -pubkey)\""
run 2 "$JKSTOOL" convert src.jks --split splitdir --storepass "$SP"

if [ $HAVE_P12 = 1 ]; then
    check "openssl reads our modern PKCS#12" bash -c 'openssl pkcs12 -info -noout -in base_p12m.p12 -passin pass:changeit >/dev/null 2>&1'
    check "openssl reads our legacy PKCS#12" bash -c '{ openssl pkcs12 -info -noout -in base_p12l.p12 -passin pass:changeit || openssl pkcs12 -legacy -info -noout -in base_p12l.p12 -passin pass:changeit; } >/dev/null 2>&1'
    check "openssl sees our legacy PKCS#12 as 3DES/RC2" bash -c '{ openssl pkcs12 -info -noout -in base_p12l.p12 -passin pass:changeit || openssl pkcs12 -legacy -info -noout -in base_p12l.p12 -passin pass:changeit; } 2>&1 | grep -q pbeWithSHA1And3-KeyTripleDES-CBC'
    q openssl pkcs12 -export -nokeys -in root.crt -out ossltrust.p12 -passout pass:changeit
    # by default convert writes what Java sees of it: nothing (no trust
    # attribute), the certificate named in a note; --keep-hidden keeps it
    run 0 "$JKSTOOL" convert ossltrust.p12 ossltrust-java.jks --storepass "$SP"
    check "hidden certificate left out, named on stderr" grep -q 'note: left out ".*": Java does not show it' "$T/err"
    java_load ossltrust-java.jks changeit
    run 0 "$JKSTOOL" convert ossltrust.p12 ossltrust.jks --keep-hidden --storepass "$SP"
    java_load ossltrust.jks changeit
    # PFX from a Windows CA: key + chain under a friendly name
    run 0 "$JKSTOOL" convert leaf.p12 pfx.jks --storepass "$SP"
    java_load pfx.jks changeit
fi

# ---- one JVM per JDK: keytool's view of every store we wrote ----
python3 - "$PAIRS" <<'EOF' || FAIL=$((FAIL + 1))
import json, sys
def norm(path):
    d = json.load(open(path))
    out = []
    for e in d["entries"]:
        out.append((e["alias"].lower(), e["kind"], tuple(c["sha256"] for c in e["chain"]),
                    e.get("key", {}).get("spki_sha256"), e.get("key", {}).get("decrypted")))
    return sorted(out)
bad = 0
n = 0
for line in open(sys.argv[1]):
    a, b = line.split()
    n += 1
    if norm(a) != norm(b):
        bad += 1
        print("FAIL: %s differs from %s:\n  %s\n  %s" % (b, a, norm(a), norm(b)), file=sys.stderr)
print("compared %d listings, %d differ" % (n, bad))
sys.exit(1 if bad else 0)
EOF

for JB in "$J17" "$J25"; do
    [ -x "$JB/java" ] || { echo "SKIP: no JDK at $JB" >&2; continue; }
    "$JB/java" "$HERE/java/LoadAll.java" "${JAVA_ARGS[@]}" >"java-$(basename "$(dirname "$JB")").out" 2>"$T/jerr" ||
        { bad "LoadAll with $JB: $(head -c 300 "$T/jerr")"; continue; }
    python3 - "java-$(basename "$(dirname "$JB")").out" "$LEAF_FP" "$INT_FP" "$SELF_FP" "$ROOT_FP" <<'EOF' || FAIL=$((FAIL + 1))
import json, os, sys
out, leaf, inter, selfc, root = sys.argv[1:6]
bad = 0
def fail(msg):
    global bad
    bad += 1
    print("FAIL (java %s): %s" % (out, msg), file=sys.stderr)
seen = 0
for line in open(out):
    j = json.loads(line)
    f = j["file"]
    seen += 1
    if "error" in j:
        fail("%s: %s" % (f, j["error"]))
        continue
    ours = json.load(open("json/%s.json" % os.path.basename(f))) if os.path.exists("json/%s.json" % os.path.basename(f)) else None
    java = sorted((e["alias"].lower(), e["kind"], tuple(e["chain"])) for e in j["entries"])
    for e in j["entries"]:
        if e["kind"] != "trusted-cert" and e.get("key") != "ok":
            fail("%s: key %s not recovered: %s" % (f, e["alias"], e.get("key")))
    if ours is not None:
        mine = sorted((e["alias"].lower(), e["kind"], tuple(c["sha256"] for c in e["chain"])) for e in ours["entries"])
        if mine != java:
            fail("%s: java sees %s, we list %s" % (f, java, mine))
    name = os.path.basename(f)
    expect = {
        "nginx.jks": [("private-key", (leaf, inter))],
        "trad.jks": [("private-key", (leaf, inter))],
        "self.jks": [("private-key", (selfc,))],
        "ossltrust.jks": [("trusted-cert", (root,))],
        "ossltrust-java.jks": [],
        "pfx.jks": [("private-key", (leaf, inter, root))],
    }.get(name)
    if expect is not None and [(k, c) for (_, k, c) in java] != expect:
        fail("%s: java sees %s, want %s" % (f, java, expect))
print("java %s: %d stores loaded and compared" % (out, seen))
sys.exit(1 if bad else 0)
EOF
done

echo "convert.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
