#!/usr/bin/env bash
# A .cer/.crt output holds certificates only (issue 13, defect 1): converting
# a PFX or a keystore with keys to partner.cer writes the chain (or each
# trusted certificate), never a private key; --to pem with such a name is the
# explicit way to get the key too. openssl reads the certificates back.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/assert.bash"
JKSTOOL=${JKSTOOL:-$here/../../build/jkstool}
V=$here/../../vectors/files
n=0
for src in ossl-chain.p12 ossl-ec.p12 p12-jdk-chain3.p12 jks-chain3.jks jks-mixed.jks jceks-mixed.jceks; do
    [ -f "$V/$src" ] || continue
    for ext in cer crt; do
        out=$T/${src%.*}.$ext
        run 0 "$JKSTOOL" convert "$V/$src" --storepass pass:changeit "$out" || continue
        check "$src -> .$ext: no private key written" [ -z "$(grep -a 'PRIVATE KEY' "$out")" ]
        check "$src -> .$ext: mode 0644" [ "$(stat -c %a "$out")" = 644 ]
        # as many certificates as the store's entries show (chains and trusted ones)
        want=$("$JKSTOOL" list --json "$V/$src" --storepass pass:changeit |
            python3 -c 'import json,sys; print(sum(len(e.get("chain",[])) for e in json.load(sys.stdin)["entries"]))')
        got=$(grep -c 'BEGIN CERTIFICATE' "$out")
        check "$src -> .$ext: $got certificates, the store shows $want" [ "$got" = "$want" ]
        check "$src -> .$ext: openssl reads the first certificate" \
            openssl x509 -in "$out" -noout
        n=$((n + 1))
    done
done
check "cases run ($n)" [ "$n" -ge 10 ]
# --alias: that entry's chain only
run 0 "$JKSTOOL" convert "$V/jks-chain3.jks" --storepass pass:changeit --alias leaf "$T/leaf.cer"
want=$("$JKSTOOL" list --json "$V/jks-chain3.jks" --storepass pass:changeit |
    python3 -c 'import json,sys; print([len(e["chain"]) for e in json.load(sys.stdin)["entries"] if e["alias"]=="leaf"][0])')
check "--alias leaf: its chain ($want certificates)" [ "$(grep -c 'BEGIN CERTIFICATE' "$T/leaf.cer")" = "$want" ]
# --to pem asks for the key explicitly
run 0 "$JKSTOOL" convert "$V/ossl-chain.p12" --storepass pass:changeit --to pem "$T/withkey.cer"
check "--to pem into a .cer name: the key is written, 0600" \
    [ -n "$(grep -a 'PRIVATE KEY' "$T/withkey.cer")" -a "$(stat -c %a "$T/withkey.cer")" = 600 ]
# no password: the PKCS#12 certificates are encrypted; nothing written
run 2 "$JKSTOOL" convert "$V/ossl-chain.p12" "$T/nopass.cer"
check "no certificate readable: exit 2, no file, a hint" \
    [ ! -e "$T/nopass.cer" -a -n "$(grep -- '--storepass' "$T/err")" ]
echo "cert_outputs.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
