#!/usr/bin/env bash
# Issue 16 items 1 and 3: entries named as Java names them.
#  * a PKCS#12 alias "CARoot" (OpenSSL -name) is listed "caroot" (keytool
#    lists it so), `list -v` adds the stored spelling, `--alias CAROOT` and
#    `--alias caroot` find it in export, and convert writes "caroot" into
#    PKCS#12 and JKS as keytool -importkeystore does (friendlyName read back
#    by openssl);
#  * Ed25519/Ed448 keys are "EdDSA", X25519 keys "XDH" in key.algorithm
#    (Java's Key.getAlgorithm), the curve in key.curve.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/assert.bash"
JKSTOOL=${JKSTOOL:-$here/../../build/jkstool}

openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem -out c.pem -subj /CN=caroot -days 30 2>/dev/null
openssl pkcs12 -export -inkey k.pem -in c.pem -name CARoot -out ca.p12 -passout pass:changeit 2>/dev/null
run 0 "$JKSTOOL" list ca.p12 --storepass pass:changeit &&
    check "text list shows Java's alias" grep -q '^caroot, ' "$T/out" &&
    check "text list does not show the stored spelling" bash -c "! grep -q CARoot '$T/out'"
run 0 "$JKSTOOL" list -v ca.p12 --storepass pass:changeit &&
    check "list -v shows Java's alias and the stored one" \
        bash -c "grep -q '^Alias name: caroot$' '$T/out' && grep -q '^Stored alias: CARoot$' '$T/out'"
run 0 "$JKSTOOL" list --aliases ca.p12 && check "--aliases gives Java's alias" grep -qx caroot "$T/out"
for a in CAROOT caroot CARoot; do
    run 0 "$JKSTOOL" export ca.p12 --alias "$a" --storepass pass:changeit &&
        check "export --alias $a finds CARoot" grep -q 'BEGIN CERTIFICATE' "$T/out"
done
run 0 "$JKSTOOL" convert ca.p12 out.p12 --storepass pass:changeit
check "convert to PKCS#12 writes friendlyName caroot (keytool -importkeystore does)" \
    bash -c "openssl pkcs12 -in out.p12 -passin pass:changeit -nokeys 2>/dev/null | grep -q 'friendlyName: caroot'"
run 0 "$JKSTOOL" convert ca.p12 out.jks --storepass pass:changeit
if command -v keytool >/dev/null; then
    keytool -importkeystore -srckeystore ca.p12 -srcstorepass changeit -destkeystore kt.p12 \
        -deststoretype PKCS12 -deststorepass changeit -noprompt >/dev/null 2>&1
    check "keytool -importkeystore also writes caroot" \
        bash -c "openssl pkcs12 -in kt.p12 -passin pass:changeit -nokeys 2>/dev/null | grep -q 'friendlyName: caroot'"
    check "keytool lists the converted JKS entry as caroot" \
        bash -c "keytool -list -keystore out.jks -storepass changeit 2>/dev/null | grep -q '^caroot,'"
fi
run 0 "$JKSTOOL" list --json out.jks --storepass pass:changeit &&
    check "converted JKS stores Java's alias (no java_alias field)" \
        bash -c "grep -q '\"alias\":\"caroot\"' '$T/out' && ! grep -q java_alias '$T/out'"

# key algorithm names
for alg in ed25519 ed448; do
    openssl req -x509 -newkey $alg -nodes -keyout $alg.key -out $alg.crt -subj /CN=$alg -days 30 2>/dev/null
    openssl pkcs12 -export -inkey $alg.key -in $alg.crt -name $alg -out $alg.p12 -passout pass:changeit 2>/dev/null
done
run 0 "$JKSTOOL" list --json ed25519.p12 --storepass pass:changeit &&
    check "Ed25519 key named EdDSA, curve Ed25519" grep -q '"algorithm":"EdDSA","bits":255,.*"curve":"Ed25519"' "$T/out"
run 0 "$JKSTOOL" list --json ed448.p12 --storepass pass:changeit &&
    check "Ed448 key named EdDSA, curve Ed448" grep -q '"algorithm":"EdDSA","bits":448,.*"curve":"Ed448"' "$T/out"
# an X25519 key with a certificate signed by the Ed25519 key; named "ed448"
# to show the OID wins over the alias
openssl genpkey -algorithm x25519 -out x.key 2>/dev/null
openssl pkey -in x.key -pubout -out x.pub 2>/dev/null
openssl x509 -new -force_pubkey x.pub -subj /CN=x25519 -key ed25519.key -days 30 -out x.crt 2>/dev/null ||
    openssl x509 -req -in <(openssl req -new -key ed25519.key -subj /CN=x25519) -signkey ed25519.key \
        -force_pubkey x.pub -days 30 -out x.crt 2>/dev/null
if openssl pkcs12 -export -inkey x.key -in x.crt -name ed448 -out x.p12 -passout pass:changeit 2>/dev/null; then
    run 0 "$JKSTOOL" list --json x.p12 --storepass pass:changeit &&
        check "X25519 key (alias ed448) named XDH, curve X25519 by its OID" \
            grep -q '"algorithm":"XDH","bits":255,.*"curve":"X25519"' "$T/out"
    if command -v keytool >/dev/null; then
        cat > KA.java <<'J'
import java.io.*; import java.security.*;
public class KA { public static void main(String[] a) throws Exception {
  KeyStore ks = KeyStore.getInstance("PKCS12"); ks.load(new FileInputStream(a[0]), a[1].toCharArray());
  for (String s : java.util.Collections.list(ks.aliases())) System.out.println(s + " " + ks.getKey(s, a[1].toCharArray()).getAlgorithm()); } }
J
        check "Java names the X25519 key XDH too" bash -c "java KA.java x.p12 changeit | grep -qx 'ed448 XDH'"
        check "Java names the Ed25519 key EdDSA too" bash -c "java KA.java ed25519.p12 changeit | grep -qx 'ed25519 EdDSA'"
    fi
else
    bad "openssl could not make an X25519 PKCS#12"
fi

# item 7: a non-ASCII password that verifies in another encoding gets a hint
# (exit 3 stays): PKCS#12 made by OpenSSL with the Latin-1 reading of the
# UTF-8 bytes, and the reverse; a JKS made by keytool likewise
openssl pkcs12 -export -inkey k.pem -in c.pem -name e -out l1.p12 -passout 'pass:Ã¤' 2>/dev/null
openssl pkcs12 -export -inkey k.pem -in c.pem -name e -out u8.p12 -passout 'pass:ä' 2>/dev/null
run 3 "$JKSTOOL" list l1.p12 --storepass 'pass:ä' &&
    check "PKCS#12: hint names the Latin-1 reading" grep -q 'hint: the same password verifies with each UTF-8 byte of it taken as one Latin-1 character' "$T/err"
run 3 "$JKSTOOL" list u8.p12 --storepass 'pass:Ã¤' &&
    check "PKCS#12: hint names the UTF-8 reading" grep -q 'hint: the same password verifies with its characters taken as the UTF-8 bytes' "$T/err"
run 3 "$JKSTOOL" list u8.p12 --storepass 'pass:ö' &&
    check "no hint when no encoding verifies" bash -c "! grep -q hint '$T/err'"
if command -v keytool >/dev/null; then
    keytool -genkeypair -keystore l1.jks -storetype JKS -storepass 'Ã¤xyz12' -keypass 'Ã¤xyz12' \
        -alias a -keyalg EC -dname CN=a >/dev/null 2>&1
    run 3 "$JKSTOOL" list l1.jks --storepass 'pass:äxyz12' &&
        check "JKS: hint names the Latin-1 reading" grep -q 'hint: the same password verifies with each UTF-8 byte' "$T/err"
fi

# issue 15 B6: a non-ASCII PKCS#12 password: written as JDK 25 writes it (JDK
# 25 opens it), with a warning that JDK 17 cannot (its keytool refuses)
if command -v keytool >/dev/null; then
    keytool -genkeypair -keystore na.jks -storetype JKS -storepass 'pässwörd' -keypass 'pässwörd' \
        -alias a -keyalg EC -dname CN=a >/dev/null 2>&1
    run 0 "$JKSTOOL" convert na.jks na.p12 --storepass 'pass:pässwörd' &&
        check "non-ASCII PKCS#12 password: warning naming JDK 17" grep -q 'not ASCII: JDK 25 opens this PKCS#12, JDK 17' "$T/err"
    check "keytool 17 refuses to write it" bash -c "! keytool -importkeystore -srckeystore na.jks -srcstorepass 'pässwörd' \
        -destkeystore kt17.p12 -deststoretype PKCS12 -deststorepass 'pässwörd' -noprompt >/dev/null 2>&1 || ! test -s kt17.p12"
    J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin
    if [ -x "$J25/java" ]; then
        check "JDK 25 opens the non-ASCII PKCS#12" bash -c "'$J25/java' KA.java na.p12 'pässwörd' | grep -qx 'a EC'"
    fi
fi

# item 6: convert to PKCS#12 without an output password, or with an empty
# one: no MAC, certificates in the clear (what JDK 18+ KeyStore.store(out,
# null) writes); Java 17 and 25 load it with null and with any password
run 0 "$JKSTOOL" convert ca.p12 tc.pem --storepass pass:changeit --alias caroot
# a truststore (certificates only) from the PEM certificate: no input password
openssl x509 -in c.pem -out t.pem
for how in absent empty; do
    args=()
    [ $how = empty ] && args=(--out-storepass pass:)
    run 0 "$JKSTOOL" convert t.pem pl-$how.p12 "${args[@]}"
    check "password-less PKCS#12 ($how): no MAC" bash -c "openssl pkcs12 -in pl-$how.p12 -info -noout -passin pass: 2>&1 | grep -q 'MAC is absent'"
    check "password-less PKCS#12 ($how): certificates in the clear" \
        bash -c "openssl pkcs12 -in pl-$how.p12 -info -noout -passin pass: 2>&1 | grep -q '^PKCS7 Data' && ! openssl pkcs12 -in pl-$how.p12 -info -noout -passin pass: 2>&1 | grep -q 'Encrypted data'"
done
cat > PL.java <<'J'
import java.io.*; import java.security.*;
public class PL { public static void main(String[] a) throws Exception {
  for (String p : new String[] {null, "", "any-password"}) {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(new FileInputStream(a[0]), p == null ? null : p.toCharArray());
    for (String s : java.util.Collections.list(ks.aliases()))
      System.out.println((p == null ? "null" : "'" + p + "'") + " " + s + " " + ks.isCertificateEntry(s));
  } } }
J
for jdk in /usr/lib/jvm/java-17-openjdk-amd64/bin /usr/lib/jvm/temurin-25-jdk-amd64/bin; do
    [ -x "$jdk/java" ] || continue
    for how in absent empty; do
        check "$(basename "$(dirname "$jdk")") loads pl-$how.p12 with null, empty and any password" \
            bash -c "[ \"\$('$jdk/java' PL.java pl-$how.p12 2>&1 | grep -c ' true\$')\" = 3 ]"
    done
done
# it cannot hold keys: refused, naming the key (exit 2)
run 2 "$JKSTOOL" convert ca.p12 plk.p12 --storepass pass:changeit --out-storepass pass: &&
    check "a key into a password-less PKCS#12 is refused" grep -q 'certificates only' "$T/err"
echo "java_names.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
