#!/usr/bin/env bash
# The customer's jobs end to end (issue 13 acceptance): openssl makes a CA,
# an intermediate and RSA and EC clients; jkstool turns every PEM shape
# (PKCS#1/SEC1/PKCS#8, encrypted or not, chain in wrong order, CRLF, text
# between blocks; key and chain in two files) and every PFX flavour (openssl
# default, -legacy, -descert, -nokeys) into JKS and PKCS#12 with the alias
# asked for; a truststore is built from a CA bundle and extended (duplicates
# skipped); "-" is stdin/stdout; .cer output holds no key; check without
# --for finds the onlyca store and its fix, applied literally, cleans it.
# Java (17, and 25 when present) proves each store in one JVM
# (java/LoadAll.java); keytool 17 lists the truststore and the -nokeys case.
set -u
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
case $JKSTOOL in /*) ;; *) JKSTOOL=$PWD/$JKSTOOL ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin
KT=$J17/keytool
[ -x "$KT" ] || KT=$(command -v keytool)
PY=/usr/bin/python3
. "$HERE/lib/assert.bash"
J=$JKSTOOL
SP=pass:changeit

. "$HERE/lib/pki.bash" # mk NAME SUBJ [ISSUER] [ca] [rsa|ec]
MK_DAYS=400
mk ca "/CN=Customer Root CA" "" ca rsa
mk int "/CN=Customer Issuing CA" ca ca rsa
mk rsa "/CN=Client RSA" int leaf rsa
mk ec "/CN=Client EC" int leaf ec
fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f; }
FP_CA=$(fp ca.crt) FP_INT=$(fp int.crt)
cat ca.crt int.crt >cas.pem

# ---- PEM shapes -> JKS and PKCS#12, alias asked for ----
JAVA_ARGS=()
want() { echo "$1 $2 $3" >>want.txt; JAVA_ARGS+=("$1" changeit -); } # FILE ALIAS LEAF_FP
for k in rsa ec; do
    # key shapes: PKCS#8 plain, traditional (PKCS#1 / SEC1) plain and encrypted, PKCS#8 encrypted
    cp $k.key $k-p8.pem
    if [ $k = rsa ]; then
        openssl rsa -in $k.key -traditional -out $k-trad.pem 2>/dev/null
        openssl rsa -in $k.key -traditional -aes256 -passout pass:keypw -out $k-trad-enc.pem 2>/dev/null
    else
        openssl ec -in $k.key -out $k-trad.pem 2>/dev/null
        openssl ec -in $k.key -aes256 -passout pass:keypw -out $k-trad-enc.pem 2>/dev/null
    fi
    openssl pkcs8 -topk8 -in $k.key -v2 aes-256-cbc -passout pass:keypw -out $k-p8-enc.pem 2>/dev/null
    check "$k: openssl wrote a traditional key" grep -q "BEGIN $( [ $k = rsa ] && echo RSA || echo EC) PRIVATE KEY" $k-trad.pem
    # the chain in the wrong order, CRLF, text between blocks
    { echo "Bag Attributes: chain from the customer"; cat ca.crt; echo "issuing CA follows"; cat int.crt; echo "--"; cat $k.crt; } |
        sed 's/$/\r/' >$k-chain.pem
    LEAF=$(fp $k.crt)
    for shape in p8 trad trad-enc p8-enc; do
        kp=""
        case $shape in *enc) kp="--keypass pass:keypw" ;; esac
        # two inputs (key file, chain file), --alias names the key entry
        run 0 "$J" convert $k-$shape.pem $k-chain.pem $k-$shape.jks --alias "Partner-$k" $kp --out-storepass $SP &&
            want $k-$shape.jks "partner-$k" "$LEAF"
        # one input (key and chain joined) into PKCS#12
        cat $k-$shape.pem $k-chain.pem >$k-$shape-all.pem
        run 0 "$J" convert $k-$shape-all.pem $k-$shape.p12 --alias "partner-$k" $kp --out-storepass $SP &&
            want $k-$shape.p12 "partner-$k" "$LEAF"
    done
    # an encrypted key without its password: exit 3, nothing written
    run 3 "$J" convert $k-p8-enc.pem $k-chain.pem nopw-$k.jks --out-storepass $SP
    check "$k: nothing written without the key password" [ ! -e nopw-$k.jks ]
done
# several inputs are PEM only; naming the bad one
run 2 "$J" convert rsa-p8.pem rsa-p8.jks both.jks --storepass $SP
check "a binary second input is named" grep -q "rsa-p8.jks" "$T/err"

# ---- PFX flavours -> JKS ----
cat int.crt ca.crt >chain2.pem
openssl pkcs12 -export -inkey rsa.key -in rsa.crt -certfile chain2.pem -name client -passout pass:changeit -out default.pfx 2>/dev/null
openssl pkcs12 -export -legacy -inkey rsa.key -in rsa.crt -certfile chain2.pem -name client -passout pass:changeit -out legacy.pfx 2>/dev/null ||
    openssl pkcs12 -export -inkey rsa.key -in rsa.crt -certfile chain2.pem -name client -keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-RC2-40 -macalg sha1 -passout pass:changeit -out legacy.pfx 2>/dev/null
openssl pkcs12 -export -descert -inkey rsa.key -in rsa.crt -certfile chain2.pem -name client -passout pass:changeit -out descert.pfx 2>/dev/null
openssl pkcs12 -export -nokeys -in rsa.crt -certfile chain2.pem -passout pass:changeit -out nokeys.pfx 2>/dev/null
for p in default legacy descert; do
    [ -s $p.pfx ] || { bad "openssl did not write $p.pfx"; continue; }
    run 0 "$J" convert $p.pfx $p.jks --storepass $SP && want $p.jks client "$(fp rsa.crt)"
done
# PFX from standard input, JKS to standard output (binary-safe)
run 0 sh -c "cat default.pfx | '$J' convert - - --to jks --storepass $SP >piped.jks" && want piped.jks client "$(fp rsa.crt)"
check "stdout JKS starts with the JKS magic" [ "$(head -c 4 piped.jks | od -An -tx1 | tr -d ' ')" = feedfeed ]
# -nokeys: a warning; the certificates carry no Java trust attribute, so
# Java sees none of them (as keytool -importkeystore copies it) unless
# --keep-hidden keeps them as trusted entries
run 0 "$J" convert nokeys.pfx nokeys.jks --storepass $SP --keep-hidden
check "-nokeys: a warning names the missing private key" grep -q "no private key" "$T/err"
run 4 "$J" convert nokeys.pfx nokeys2.jks --storepass $SP --require-key
check "--require-key: nothing written" [ ! -e nokeys2.jks ]
"$KT" -list -keystore nokeys.jks -storepass changeit >kt-nokeys.txt 2>&1
check "keytool: -nokeys store holds 3 trusted entries and no key" \
    sh -c '[ "$(grep -c trustedCertEntry kt-nokeys.txt)" = 3 ] && ! grep -q PrivateKeyEntry kt-nokeys.txt'

# ---- .cer output never holds a key ----
run 0 "$J" convert default.pfx partner.cer --storepass $SP
check ".cer output holds certificates" grep -q "BEGIN CERTIFICATE" partner.cer
check ".cer output holds no PRIVATE KEY" sh -c '! grep -q "PRIVATE KEY" partner.cer'
run 0 sh -c "'$J' convert default.pfx - --to pem --storepass $SP | grep -c BEGIN >n.txt"
check "convert to stdout as PEM: key and 3 certificates" [ "$(cat n.txt)" = 4 ]
run 2 "$J" convert default.pfx - --to pem --json --storepass $SP
run 2 "$J" convert default.pfx - --storepass $SP
check "OUT - without --to: --to is asked for" grep -q -- "--to" "$T/err"
run 2 sh -c "'$J' convert - - twice.jks --storepass $SP <rsa-p8-all.pem"
check "standard input is read once" grep -q "read once" "$T/err"

# ---- truststore from a bundle, then extended ----
cp cas.pem bundle.pem
printf 'text between\r\n' >>bundle.pem
run 0 "$J" import truststore.jks --file bundle.pem --storepass $SP
check "bundle: two trusted entries added" grep -q "added 2 trusted certificates" "$T/err"
mk other "/CN=Other Root" "" ca ec
openssl crl2pkcs7 -nocrl -certfile int.crt -certfile other.crt -outform DER -out ext.p7b
run 0 sh -c "'$J' import truststore.jks --file - --storepass $SP <ext.p7b"
check "extending: the duplicate is named and skipped" grep -q 'already in trusted entry "customer issuing ca"' "$T/err"
check "extending: one added" grep -q "added 1 trusted certificate" "$T/err"
run 0 "$J" import truststore.jks --file cas.pem --storepass $SP
check "the same bundle again changes nothing" grep -q "added 0 trusted certificates" "$T/err"
"$KT" -list -keystore truststore.jks -storepass changeit >kt-ts.txt 2>&1
check "keytool lists 3 trusted entries named from the CNs" \
    sh -c '[ "$(grep -c trustedCertEntry kt-ts.txt)" = 3 ] && grep -q "^customer root ca," kt-ts.txt && grep -q "^other root," kt-ts.txt'
run 0 "$J" import copy.jks --file truststore.jks --storepass $SP
check "a truststore imported into another keeps its aliases" \
    sh -c "'$J' list copy.jks --aliases --storepass $SP | sort | tr '\n' , | grep -qx 'customer issuing ca,customer root ca,other root,'"
echo "truststore.jks -" >>want.txt
JAVA_ARGS+=(truststore.jks changeit -)

# ---- export: --to key finds the one key; "-" as the keystore ----
"$J" import multi.jks --file rsa-p8.jks --storepass $SP 2>/dev/null
"$J" import multi.jks --file ca.crt --alias extra-ca --storepass $SP 2>/dev/null
run 0 "$J" export multi.jks --to key --out k.pem --storepass $SP
check "export --to key without --alias: the one key" \
    sh -c '[ "$(openssl pkey -in k.pem -pubout)" = "$(openssl pkey -in rsa.key -pubout)" ]'
run 0 sh -c "'$J' export - --alias partner-rsa --storepass $SP <multi.jks >leaf.pem"
check "export from standard input" [ "$(fp leaf.pem)" = "$(fp rsa.crt)" ]

# ---- keytool habits: one line, no password echoed ----
for args in "--storepass s3cretpw" "-storepass s3cretpw" "-keystore x.jks"; do
    run 2 "$J" list multi.jks $args
    check "'$args': one line" [ "$(wc -l <"$T/err")" = 1 ]
    check "'$args': password not echoed" sh -c "! grep -q s3cret '$T/err'"
    check "'$args': names the right spelling" grep -Eq -- "--storepass pass:|takes keystores as arguments" "$T/err"
done
run 2 "$J" list multi.jks extra.jks
check "an extra argument is named, one line" sh -c "[ \$(wc -l <'$T/err') = 1 ] && grep -q '\"extra.jks\"' '$T/err'"

# ---- prompts for PEM input: the key's password, then the new store's ----
$PY - "$J" <<'EOF' && ok || bad "PEM prompts"
import os, pty, select, signal, sys, time
j = sys.argv[1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(j, [j, "convert", "rsa-p8-enc.pem", "rsa-chain.pem", "prompted.jks", "--alias", "p"])
seen, answers = b"", [b"keypw\n", b"storepw1\n", b"storepw1\n"]
deadline = time.time() + 20
while time.time() < deadline:
    if not select.select([fd], [], [], 1)[0]:
        continue
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    seen += d
    if seen.rstrip().endswith(b":") and answers:
        time.sleep(0.3)  # echo off (TCSAFLUSH drops what was typed before it)
        os.write(fd, answers.pop(0))
        seen += b"|"
else:
    os.kill(pid, signal.SIGKILL)
_, st = os.waitpid(pid, 0)
text = seen.decode(errors="replace")
assert "password of the private key in rsa-p8-enc.pem" in text, text
assert "password for the new keystore prompted.jks" in text, text
assert os.WEXITSTATUS(st) == 0, text
EOF
run 0 "$J" list prompted.jks --storepass pass:storepw1
check "the new store opens with the second password" grep -q PrivateKeyEntry "$T/out"

# ---- check without --for: the knowledge-base onlyca store, its fix applied literally ----
"$J" import onlyca.jks --file ca.crt --alias ca --storepass $SP 2>/dev/null
run 1 "$J" check onlyca.jks --storepass $SP
check "onlyca: no-private-key found without --for" grep -q "no-private-key" "$T/out"
fix=$(grep -m1 "fix: jkstool import onlyca.jks" "$T/out" | sed 's/^ *fix: //; s/  #.*//; s/;.*//')
fix=${fix//key-and-chain.pem/rsa-p8-all.pem}
fix=${fix//NAME/client}
export STOREPASS=changeit
run 0 env PATH="$(dirname "$J"):$PATH" sh -c "$fix"
run 0 "$J" check onlyca.jks --storepass $SP
check "onlyca after its fix: check is clean" grep -q "OK" "$T/out"

# ---- Java loads every store (17, and 25 when present) ----
for JB in "$J17" "$J25"; do
    [ -x "$JB/java" ] || continue
    out=java-$(basename "$(dirname "$JB")").out
    "$JB/java" "$HERE/java/LoadAll.java" "${JAVA_ARGS[@]}" >"$out" 2>"$T/jerr" ||
        { bad "LoadAll with $JB: $(head -c 300 "$T/jerr")"; continue; }
    $PY - "$out" "$FP_INT" "$FP_CA" <<'EOF' && ok || bad "Java ($JB) view of the stores"
import json, sys
out, fint, fca = sys.argv[1:4]
want = {}
for line in open("want.txt"):
    f, alias, *leaf = line.split()
    want[f] = (alias, leaf[0] if leaf else None)
got = {}
for line in open(out):
    d = json.loads(line)
    got[d["file"]] = d
errs = []
for f, (alias, leaf) in want.items():
    d = got.get(f)
    if not d or "error" in d:
        errs.append("%s: %s" % (f, d)); continue
    if alias == "-":
        kinds = {e["kind"] for e in d["entries"]}
        if kinds != {"trusted-cert"} or len(d["entries"]) != 3:
            errs.append("%s: %s" % (f, d["entries"]))
        continue
    keys = [e for e in d["entries"] if e["kind"] == "private-key"]
    if len(keys) != 1 or keys[0]["alias"] != alias or keys[0].get("key") != "ok" or \
       keys[0]["chain"] != [leaf, fint, fca]:
        errs.append("%s: want %s with chain of 3, got %s" % (f, alias, d["entries"]))
for e in errs:
    print("FAIL:", e, file=sys.stderr)
sys.exit(1 if errs else 0)
EOF
done
echo "customer.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
