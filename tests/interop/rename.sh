#!/usr/bin/env bash
# Interop: `jkstool rename STORE OLD NEW` against keytool 17. Stores are made
# by keytool (JKS, JCEKS, PKCS#12; a key with its own key password; a
# non-ASCII alias); each rename is judged by keytool: -list shows the new
# alias (lower-cased as keytool -changealias stores it, in all three formats)
# and not the old one, -exportcert under the new alias gives the same
# certificate, and -importkeystore -srcalias NEW opens the key with its
# unchanged key password. Refusals: OLD missing or NEW taken -> 2, wrong
# store password -> 3, wrong --keypass -> 3, each with the file unchanged.
set -u
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin
KT=$J17/keytool
if [ ! -x "$KT" ]; then
    echo "rename.sh: SKIP: no keytool at $KT"
    exit 0
fi
V=$(cd "$(dirname "$0")/../.." && pwd)/vectors/check
. "$(dirname "$0")/lib/assert.bash" # $T, PASS/FAIL, ok, bad, run, check
nt() { ! "$@"; }
q() { "$@" >/dev/null 2>&1 || { echo "setup failed: $*" >&2; exit 5; }; }
aliases() { # KS: the aliases keytool lists, one a line, sorted
    "$KT" -list -keystore "$1" -storepass changeit 2>/dev/null |
        sed -n 's/^\(.*\), [A-Z][a-z][a-z] [0-9]*, [0-9]*, [A-Za-z]*Entry, *$/\1/p' | sort
}
fp() { # KS ALIAS: SHA-256 of the certificate keytool exports under ALIAS
    "$KT" -exportcert -keystore "$1" -storepass changeit -alias "$2" 2>/dev/null | sha256sum |
        cut -c1-64
}
key_opens() { # KS ALIAS KEYPASS: keytool copies the key out with KEYPASS
    rm -f "$T/copy.p12"
    "$KT" -importkeystore -srckeystore "$1" -srcstorepass changeit -srcalias "$2" \
        -srckeypass "$3" -destkeystore "$T/copy.p12" -deststoretype PKCS12 \
        -deststorepass changeit -noprompt >/dev/null 2>&1 && [ -s "$T/copy.p12" ]
}

EMPTY=$(printf '' | sha256sum | cut -c1-64)
for t in JKS JCEKS PKCS12; do
    ks=s.$t
    # a key with its own key password (PKCS#12: the store password), a trusted cert
    kp=keypass1
    [ $t = PKCS12 ] && kp=changeit
    q "$KT" -genkeypair -alias server -keyalg EC -groupname secp256r1 -dname CN=server \
        -validity 30 -storetype $t -keystore $ks -storepass changeit -keypass $kp
    q "$KT" -exportcert -rfc -alias server -keystore $ks -storepass changeit -file ca.pem
    q "$KT" -importcert -noprompt -alias trusted -file ca.pem -keystore $ks -storepass changeit
    before=$(fp $ks server)
    check "$t: keytool exports the certificate before" [ "$before" != "$EMPTY" ]

    # mixed case: OLD found case-insensitively, NEW stored lower-cased
    cp $ks $ks.orig
    chmod 640 $ks
    run 0 "$JKSTOOL" rename $ks SERVER Web-Server --storepass pass:changeit
    check "$t: keytool lists web-server and trusted only" \
        [ "$(aliases $ks | tr '\n' ' ')" = "trusted web-server " ]
    check "$t: the message names both aliases" grep -q '"server" to "web-server"' "$T/err"
    check "$t: the lower-casing is noted" grep -q '"Web-Server" is stored lower-cased' "$T/err"
    check "$t: same certificate under the new alias" [ "$(fp $ks web-server)" = "$before" ]
    check "$t: the key opens with its key password under the new alias" \
        key_opens $ks web-server $kp
    check "$t: the file keeps its mode" [ "$(stat -c %a $ks)" = 640 ]

    # refusals leave the file unchanged
    cp $ks $ks.good
    run 2 "$JKSTOOL" rename $ks nosuch other --storepass pass:changeit
    check "$t: missing OLD is named" grep -q 'alias "nosuch" does not exist' "$T/err"
    run 2 "$JKSTOOL" rename $ks web-server TRUSTED --storepass pass:changeit
    check "$t: existing NEW is named" grep -q 'alias "trusted" already exists' "$T/err"
    run 2 "$JKSTOOL" rename $ks web-server Web-Server --storepass pass:changeit
    run 3 "$JKSTOOL" rename $ks web-server other --storepass pass:wrongpw
    run 2 "$JKSTOOL" rename $ks web-server "" --storepass pass:changeit
    if [ $t != PKCS12 ]; then
        run 3 "$JKSTOOL" rename $ks web-server other --storepass pass:changeit --keypass pass:wrongpw
        check "$t: the unopened key is named" grep -q '"web-server": key does not open' "$T/err"
    fi
    check "$t: refusals leave the file unchanged" cmp -s $ks $ks.good

    # --keypass that opens the key; non-ASCII NEW (lower-cased as Java does), --json
    run 0 "$JKSTOOL" rename $ks web-server 'Ünïcødé-Ä' --storepass pass:changeit \
        --keypass pass:$kp --json
    check "$t: JSON summary" /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["old_alias"] == "web-server" and d["alias"] == "ünïcødé-ä", d
assert d["lowercased"] is True and d["format"] == sys.argv[2].lower(), d' "$T/out" $t
    check "$t: keytool lists the non-ASCII alias" \
        [ "$(aliases $ks | tr '\n' ' ')" = "trusted ünïcødé-ä " ]
    check "$t: same certificate under the non-ASCII alias" [ "$(fp $ks 'ünïcødé-ä')" = "$before" ]
    check "$t: the key still opens under the non-ASCII alias" key_opens $ks 'ünïcødé-ä' $kp

    # a trusted certificate, already lower-case NEW: no note
    run 0 "$JKSTOOL" rename $ks trusted root-ca --storepass pass:changeit
    check "$t: no lower-casing note for a lower-case NEW" nt grep -q 'lower-cased' "$T/err"
    check "$t: keytool lists root-ca" [ "$(aliases $ks | tr '\n' ' ')" = "root-ca ünïcødé-ä " ]
done

# a JKS written by a non-Java tool with a capitalised alias (check's vector
# alias-case.jks: "MyKey"): keytool cannot find it; renamed as check's fix
# says, keytool finds it and its key opens
cp "$V/alias-case.jks" caps.jks
check "capitalised alias: keytool does not find it before" nt key_opens caps.jks mykey changeit
run 0 "$JKSTOOL" rename caps.jks MyKey mykey --storepass pass:changeit
check "capitalised alias: renamed from its stored spelling" grep -q '"MyKey" to "mykey"' "$T/err"
check "capitalised alias: keytool lists mykey" [ "$(aliases caps.jks)" = mykey ]
check "capitalised alias: keytool opens the key" key_opens caps.jks mykey changeit

# PEM has no aliases to rename
q openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=p \
    -keyout p.key -out p.crt -days 2
cat p.key p.crt >p.pem
run 2 "$JKSTOOL" rename p.pem a b --storepass pass:changeit

echo "rename.sh: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
