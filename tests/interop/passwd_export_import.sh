#!/usr/bin/env bash
# Interop: `jkstool passwd`, `export` and `import` against keytool 17 (and 25
# when present) and the openssl CLI. Stores are made by keytool; results are
# judged by keytool -list, one JVM loading every rewritten store and opening
# each key with the new password (java/LoadAll.java), openssl pkcs12/pkey/x509,
# and `jkstool check` findings (key-password-differs, cert-reply-not-installed).
# Refusals: wrong password -> 3 with the file unchanged (cmp), existing
# aliases -> 2, keys only to --out, non-matching replies -> 4.
set -u
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
HERE=$(cd "$(dirname "$0")" && pwd)
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin
KT=$J17/keytool
if [ ! -x "$KT" ]; then
    echo "passwd_export_import.sh: SKIP: no keytool at $KT"
    exit 0
fi
. "$(dirname "$0")/lib/assert.bash" # $T, PASS/FAIL, ok, bad, run, check
q() { "$@" >/dev/null 2>&1 || { echo "setup failed: $*" >&2; exit 5; }; }
kt() { "$KT" "$@" 2>/dev/null; }
mode() { stat -c %a "$1"; }
der() { openssl x509 -in "$1" -outform DER 2>/dev/null | sha256sum | cut -c1-64; }
finding() { # finding ID KS ARGS...: 0 when jkstool check reports ID
    local id=$1
    shift
    "$JKSTOOL" check "$@" >"$T/chk" 2>&1
    grep -q -- "$id" "$T/chk"
}

# ---- stores made by keytool ----
q "$KT" -genkeypair -alias k1 -keyalg EC -groupname secp256r1 -dname CN=k1 -validity 30 \
    -storetype JKS -keystore a.jks -storepass changeit -keypass otherpw
q "$KT" -genkeypair -alias k2 -keyalg RSA -keysize 2048 -dname CN=k2 -validity 30 \
    -storetype JKS -keystore a.jks -storepass changeit -keypass changeit
q "$KT" -exportcert -rfc -alias k2 -keystore a.jks -storepass changeit -file k2kt.pem
q "$KT" -exportcert -alias k2 -keystore a.jks -storepass changeit -file k2kt.der
q "$KT" -importcert -noprompt -alias root -file k2kt.pem -keystore a.jks -storepass changeit
cp a.jks b.jks
q "$KT" -importkeystore -srckeystore a.jks -srcstorepass changeit -srcalias k2 \
    -destkeystore m.p12 -deststoretype PKCS12 -deststorepass changeit -noprompt
q "$KT" -J-Dkeystore.pkcs12.legacy -importkeystore -srckeystore a.jks -srcstorepass changeit \
    -srcalias k2 -destkeystore l.p12 -deststoretype PKCS12 -deststorepass changeit -noprompt
q "$KT" -genkeypair -alias k3 -keyalg EC -dname CN=k3 -validity 30 -storetype JCEKS \
    -keystore s.jceks -storepass changeit -keypass changeit
q "$KT" -genseckey -alias aes -keyalg AES -keysize 128 -storetype JCEKS -keystore s.jceks \
    -storepass changeit -keypass keypw22

# ---- passwd ----
cp a.jks a.orig
run 3 "$JKSTOOL" passwd a.jks --storepass pass:wrongpw --new-storepass pass:newpass1
check "wrong store password leaves the file unchanged" cmp -s a.jks a.orig
run 3 "$JKSTOOL" passwd a.jks --storepass pass:changeit --new-storepass pass:newpass1
check "unopened key is named" grep -q '"k1"' "$T/err"
check "unopened key leaves the file unchanged" cmp -s a.jks a.orig
run 2 "$JKSTOOL" passwd a.jks --storepass pass:changeit
check "key-password-differs before passwd" finding key-password-differs a.jks \
    --storepass pass:changeit --keypass pass:otherpw
# the fix check names: every key gets the store password
run 0 "$JKSTOOL" passwd a.jks --storepass pass:changeit --keypass pass:otherpw \
    --new-storepass pass:changeit
finding key-password-differs a.jks --storepass pass:changeit --keypass pass:otherpw &&
    bad "key-password-differs still reported after passwd" || ok
chmod 640 a.jks
run 0 "$JKSTOOL" passwd a.jks --storepass pass:changeit --new-storepass pass:newpass1
check "passwd keeps the store's mode (as keytool, which writes in place)" [ "$(mode a.jks)" = 640 ]
kt -list -keystore a.jks -storepass newpass1 >kl.txt
check "keytool -list with the new password" grep -q "Your keystore contains 3 entries" kl.txt
kt -list -keystore a.jks -storepass changeit >/dev/null && bad "old password still opens" || ok
# keytool -importkeystore to PKCS#12 recovers every key with the new password; openssl opens it
q "$KT" -importkeystore -srckeystore a.jks -srcstorepass newpass1 -destkeystore a2.p12 \
    -deststoretype PKCS12 -deststorepass newpass1 -noprompt
check "openssl reads the keys recovered by keytool" \
    [ "$(openssl pkcs12 -in a2.p12 -nodes -passin pass:newpass1 2>/dev/null | grep -c 'BEGIN PRIVATE KEY')" = 2 ]

# --alias: only k1 gets the new key password, k2 keeps changeit
run 0 "$JKSTOOL" passwd b.jks --storepass pass:changeit --keypass pass:otherpw \
    --new-storepass pass:storepw9 --new-keypass pass:k1newpw --alias k1
# PKCS#12 modern and legacy (family kept), JCEKS with a secret key
run 0 "$JKSTOOL" passwd m.p12 --storepass pass:changeit --new-storepass pass:p12new88
run 0 "$JKSTOOL" passwd l.p12 --storepass pass:changeit --new-storepass pass:p12new88
check "legacy PKCS#12 stays legacy" sh -c \
    "openssl pkcs12 -in l.p12 -info -noout -passin pass:p12new88 -legacy 2>&1 | grep -q 'pbeWithSHA1And3-KeyTripleDES-CBC'"
check "modern PKCS#12 stays modern" sh -c \
    "openssl pkcs12 -in m.p12 -info -noout -passin pass:p12new88 2>&1 | grep -q 'PBES2'"
check "openssl opens the PKCS#12 key with the new password" sh -c \
    "openssl pkcs12 -in m.p12 -nodes -passin pass:p12new88 2>/dev/null | grep -q 'BEGIN PRIVATE KEY'"
run 2 "$JKSTOOL" passwd m.p12 --storepass pass:p12new88 --new-storepass pass:aaaaaaa \
    --new-keypass pass:bbbbbbb
run 3 "$JKSTOOL" passwd s.jceks --storepass pass:changeit --new-storepass pass:jceksnew
run 0 "$JKSTOOL" passwd s.jceks --storepass pass:changeit --keypass pass:keypw22 \
    --new-storepass pass:jceksnew
check "JCEKS stays JCEKS" [ "$(head -c 4 s.jceks | od -An -tx1 | tr -d ' ')" = cececece ]
# PEM: the encrypted key gets the new password
run 0 "$JKSTOOL" convert m.p12 m.pem --storepass pass:p12new88 --out-keypass pass:pemold1
run 0 "$JKSTOOL" passwd m.pem --storepass pass:pemold1 --new-keypass pass:pemnew1
check "PEM key opens with the new password" sh -c "openssl pkey -in m.pem -passin pass:pemnew1 -noout"
check "PEM key no longer opens with the old one" sh -c "! openssl pkey -in m.pem -passin pass:pemold1 -noout 2>/dev/null"
run 0 "$JKSTOOL" passwd --help
check "passwd --help" grep -q "new-storepass" "$T/out"

# ---- export ----
run 0 "$JKSTOOL" export a.jks --storepass pass:newpass1 --alias k2
check "export cert = keytool -exportcert -rfc" [ "$(der out)" = "$(der k2kt.pem)" ]
run 0 "$JKSTOOL" export a.jks --storepass pass:newpass1 --alias k2 --der --out k2.der
check "export --der = keytool -exportcert" cmp -s k2.der k2kt.der
check "cert file mode 0644" [ "$(mode k2.der)" = 644 ]
run 2 "$JKSTOOL" export a.jks --storepass pass:newpass1 --alias k2 --der --out k2.der
run 2 "$JKSTOOL" export a.jks --storepass pass:newpass1 --alias k2 --to key
check "refused key export prints nothing" [ ! -s "$T/out" ]
run 0 "$JKSTOOL" export a.jks --storepass pass:newpass1 --alias k1 --to key --out k1.key
check "key file mode 0600" [ "$(mode k1.key)" = 600 ]
openssl x509 -in <("$JKSTOOL" export a.jks --storepass pass:newpass1 --alias k1) -pubkey \
    -noout >k1.pub 2>/dev/null
check "exported key matches its certificate" sh -c "openssl pkey -in k1.key -pubout | cmp -s - k1.pub"
run 0 "$JKSTOOL" export a.jks --storepass pass:newpass1 --alias k1 --to key --out k1e.key \
    --new-keypass pass:exportpw
check "encrypted key is PBES2" sh -c "openssl pkey -in k1e.key -passin pass:exportpw -pubout | cmp -s - k1.pub"
check "encrypted key needs its password" sh -c "! openssl pkey -in k1e.key -passin pass:wrong -noout 2>/dev/null"
run 0 "$JKSTOOL" export a.jks --storepass pass:newpass1 --alias k1 --to key --out - --der
check "DER key to stdout" sh -c "openssl pkey -inform DER -in '$T/out' -pubout | cmp -s - k1.pub"
run 3 "$JKSTOOL" export b.jks --storepass pass:storepw9 --alias k2 --to key --out x.key
check "no key file on failure" [ ! -e x.key ]
run 0 "$JKSTOOL" export b.jks --storepass pass:storepw9 --keypass pass:changeit --alias k2 \
    --to key --out x.key
run 2 "$JKSTOOL" export a.jks --storepass pass:newpass1 --alias root --to key --out y.key
run 2 "$JKSTOOL" export a.jks --storepass pass:newpass1 --alias nosuch
run 0 "$JKSTOOL" export --help

# ---- import: a CA reply made by keytool -gencert ----
q "$KT" -genkeypair -alias ca -keyalg EC -dname CN=Test-CA -ext bc:c -validity 60 \
    -storetype PKCS12 -keystore ca.p12 -storepass capass1
q "$KT" -exportcert -rfc -alias ca -keystore ca.p12 -storepass capass1 -file ca.pem
q "$KT" -genkeypair -alias srv -keyalg EC -dname CN=srv -validity 30 -storetype PKCS12 \
    -keystore r.p12 -storepass changeit
q "$KT" -certreq -alias srv -keystore r.p12 -storepass changeit -file srv.csr
q "$KT" -gencert -rfc -alias ca -keystore ca.p12 -storepass capass1 -infile srv.csr -outfile srv.pem
cat srv.pem ca.pem >srvchain.pem
q "$KT" -importkeystore -srckeystore r.p12 -srcstorepass changeit -destkeystore rj.jks \
    -deststoretype JKS -deststorepass changeit -noprompt
# the mistake check reports: the reply imported under a new alias
q "$KT" -importcert -noprompt -alias reply -file srv.pem -keystore r.p12 -storepass changeit
check "cert-reply-not-installed before import" finding cert-reply-not-installed r.p12 \
    --storepass pass:changeit
cp r.p12 r.orig
run 4 "$JKSTOOL" import r.p12 --storepass pass:changeit --alias srv --file srv.pem
check "lone reply without its CA: file unchanged" cmp -s r.p12 r.orig
run 4 "$JKSTOOL" import r.p12 --storepass pass:changeit --alias srv --file ca.pem
check "non-matching reply: file unchanged" cmp -s r.p12 r.orig
run 3 "$JKSTOOL" import r.p12 --storepass pass:wrongpw --alias srv --file srvchain.pem
run 0 "$JKSTOOL" import r.p12 --storepass pass:changeit --alias ca --file ca.pem
run 0 "$JKSTOOL" import r.p12 --storepass pass:changeit --alias srv --file srv.pem
kt -list -v -alias srv -keystore r.p12 -storepass changeit >rl.txt
check "keytool: chain length 2 after the reply" grep -q "Certificate chain length: 2" rl.txt
check "keytool: the chain's issuer is the CA" grep -q "Issuer: CN=Test-CA" rl.txt
finding cert-reply-not-installed r.p12 --storepass pass:changeit &&
    bad "cert-reply-not-installed still reported after import" || ok
run 0 "$JKSTOOL" export r.p12 --storepass pass:changeit --alias srv --to chain
check "export --to chain: two certificates" [ "$(grep -c 'BEGIN CERTIFICATE' out)" = 2 ]
check "export --to chain: leaf first" [ "$(der out)" = "$(der srv.pem)" ]
# a reply with its whole chain onto a JKS key, no CA in the store
run 0 "$JKSTOOL" import rj.jks --storepass pass:changeit --alias srv --file srvchain.pem
kt -list -v -alias srv -keystore rj.jks -storepass changeit >rl.txt
check "keytool: JKS chain length 2 from a full-chain reply" grep -q "Certificate chain length: 2" rl.txt
run 0 "$JKSTOOL" import rj.jks --storepass pass:changeit --alias srv --file srvchain.pem
check "same reply again: nothing to do" grep -q "nothing to do" "$T/err"
# a lone reply completed from the system CA bundle (--trustcacerts)
q "$KT" -genkeypair -alias srv -keyalg EC -dname CN=srv2 -validity 30 -storetype PKCS12 \
    -keystore t.p12 -storepass changeit
q "$KT" -certreq -alias srv -keystore t.p12 -storepass changeit -file t.csr
q "$KT" -gencert -rfc -alias ca -keystore ca.p12 -storepass capass1 -infile t.csr -outfile t.pem
SSL_CERT_FILE=$T/k2kt.pem run 4 "$JKSTOOL" import t.p12 --storepass pass:changeit --alias srv \
    --file t.pem --trustcacerts
SSL_CERT_FILE=$T/ca.pem run 0 "$JKSTOOL" import t.p12 --storepass pass:changeit --alias srv \
    --file t.pem --trustcacerts
kt -list -v -alias srv -keystore t.p12 -storepass changeit >rl.txt
check "keytool: chain from the system bundle" grep -q "Certificate chain length: 2" rl.txt
run 2 "$JKSTOOL" import rj.jks --storepass pass:changeit --alias other --file srv.pem
check "a key's certificate is not added as trusted" grep -q "reply belongs" "$T/err"

# ---- import: a trusted certificate ----
run 0 "$JKSTOOL" import rj.jks --storepass pass:changeit --alias myca --file ca.pem
kt -list -alias myca -keystore rj.jks -storepass changeit >tl.txt
check "keytool: trustedCertEntry" grep -q "trustedCertEntry" tl.txt
cp rj.jks rj.orig
run 2 "$JKSTOOL" import rj.jks --storepass pass:changeit --alias MyCA --file k2kt.pem
check "alias already exists: file unchanged" cmp -s rj.jks rj.orig
run 0 "$JKSTOOL" import rj.jks --storepass pass:changeit --alias myca --file k2kt.pem --force
kt -list -rfc -alias myca -keystore rj.jks -storepass changeit >tl.pem
check "--force replaced the trusted certificate" [ "$(der tl.pem)" = "$(der k2kt.pem)" ]
run 0 "$JKSTOOL" import trust.jks --storepass pass:truststore --alias ca --file ca.pem
check "new truststore: mode 0644" [ "$(mode trust.jks)" = 644 ]
chmod 640 trust.jks
run 0 "$JKSTOOL" passwd trust.jks --storepass pass:truststore --new-storepass pass:trustnew
check "passwd keeps a truststore's mode" [ "$(mode trust.jks)" = 640 ]
kt -list -keystore trust.jks -storepass trustnew >tl.txt
check "keytool opens the truststore with the new password" grep -q trustedCertEntry tl.txt
check "new truststore in JKS from its extension" [ "$(head -c 4 trust.jks | od -An -tx1 | tr -d ' ')" = feedfeed ]

# ---- import: keystores and PEM bundles with keys ----
run 0 "$JKSTOOL" import new.store --storepass pass:destpass --file m.p12 --keypass pass:p12new88
check "new store defaults to PKCS#12" sh -c "openssl pkcs12 -in new.store -info -noout -passin pass:destpass >/dev/null 2>&1"
check "new store with keys: mode 0600" [ "$(mode new.store)" = 600 ]
openssl req -x509 -newkey rsa:2048 -nodes -keyout b.key -out b.crt -subj /CN=bundle -days 3 \
    >/dev/null 2>&1
cat b.key b.crt >bundle.pem
run 0 "$JKSTOOL" import new.store --storepass pass:destpass --file bundle.pem --alias bund
run 2 "$JKSTOOL" import new.store --storepass pass:destpass --file bundle.pem --alias bund
run 0 "$JKSTOOL" import c.jceks --storepass pass:jcekspw1 --file s.jceks --keypass pass:jceksnew
run 0 "$JKSTOOL" import --help

# ---- one JVM per JDK: every key opens with the password it should have ----
ARGS=(a.jks newpass1 - b.jks storepw9 k1newpw b.jks storepw9 changeit m.p12 p12new88 -
    l.p12 p12new88 - s.jceks jceksnew - r.p12 changeit - rj.jks changeit -
    new.store destpass - c.jceks jcekspw1 -)
for JB in "$J17" "$J25"; do
    [ -x "$JB/java" ] || { echo "passwd_export_import.sh: no $JB/java, skipped"; continue; }
    "$JB/java" "$HERE/java/LoadAll.java" "${ARGS[@]}" >"java.out" 2>"$T/jerr" ||
        { bad "LoadAll with $JB: $(head -c 300 "$T/jerr")"; continue; }
    python3 - java.out "$(der k2kt.pem)" "$(der srv.pem)" "$(der ca.pem)" <<'EOF' && ok || bad "java results with $JB"
import json, sys
out, k2, srv, ca = sys.argv[1:5]
bad = 0
rows = [json.loads(l) for l in open(out)]
def fail(m):
    global bad
    bad += 1
    print("FAIL (java):", m, file=sys.stderr)
for i, j in enumerate(rows):
    f = j["file"]
    if "error" in j:
        fail("%s: %s" % (f, j["error"]))
        continue
    kinds = {e["alias"]: e for e in j["entries"]}
    # b.jks with k1newpw: only k1 opens; with changeit: only k2 (kept its password)
    for a, e in kinds.items():
        if e["kind"] == "trusted-cert":
            continue
        want_ok = True
        if f == "b.jks":
            want_ok = (a == "k1") == (i == 1)
        if (e.get("key") == "ok") != want_ok:
            fail("%s: key %s: %s (want %s)" % (f, a, e.get("key"), "ok" if want_ok else "refused"))
    if f == "r.p12" and kinds.get("srv", {}).get("chain") != [srv, ca]:
        fail("r.p12: srv chain %s" % kinds.get("srv"))
    if f == "rj.jks" and kinds.get("myca", {}).get("chain") != [k2]:
        fail("rj.jks: myca %s" % kinds.get("myca"))
    if f == "s.jceks" and kinds.get("aes", {}).get("kind") != "secret-key":
        fail("s.jceks: secret key lost")
    if f == "new.store" and sorted(kinds) != ["bund", "k2"]:
        fail("new.store: entries %s" % sorted(kinds))
    if f == "c.jceks" and sorted(kinds) != ["aes", "k3"]:
        fail("c.jceks: entries %s" % sorted(kinds))
sys.exit(1 if bad or len(rows) != 10 else 0)
EOF
done

echo "passwd_export_import.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
