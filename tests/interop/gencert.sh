#!/usr/bin/env bash
# Interop: `jkstool gencert` (and `jkstool keytool -gencert`) against keytool
# 17's -gencert and openssl. CAs made by keytool -genkeypair (RSA, EC);
# requests by keytool -certreq and openssl req; each is signed by jkstool and
# by keytool with the same -ext options and the two certificates' openssl
# text is equal but for serial, dates, key identifiers of random keys and
# signature; openssl verify accepts ours with the CA; real keytool installs
# ours as the CA reply on the requester's key; a chain below an intermediate
# CA is written as keytool writes it; a tampered request (exit 4), a
# trusted-certificate entry and a certificate saying cA false (exit 2) are
# refused.
set -u
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin
KT=$J17/keytool
. "$(dirname "$0")/lib/assert.bash" # $T, PASS/FAIL, ok, bad, run, check
has() { grep -qF -- "$1" "$2"; }
quiet() { "$@" >/dev/null 2>&1; }
SP=pass:changeit
KS=(-storepass changeit)

# openssl's text of a certificate without what differs between two signings
# of the same request: serial, dates, signature (the key identifiers are kept:
# both are computed from the same keys)
norm() {
    openssl x509 -in "$1" -noout -text -certopt no_serial,no_sigdump,no_validity |
        sed -e '/Signature Value/,$d'
}
same_text() { # DESCRIPTION OURS KEYTOOLS
    if diff <(norm "$2") <(norm "$3") >diff.txt; then ok; else bad "$1: $(head -c 600 diff.txt)"; fi
}

for alg in RSA EC; do
    d=$alg
    mkdir -p $d
    # the CA (keytool -genkeypair, basicConstraints cA true) and its certificate
    quiet $KT -genkeypair -keystore $d/ca.p12 "${KS[@]}" -alias ca -keyalg $alg \
        -dname "CN=Test $alg CA, O=Acme" -ext bc:c -ext ku=keyCertSign,cRLSign -validity 365
    $KT -exportcert -rfc -keystore $d/ca.p12 "${KS[@]}" -alias ca -file $d/ca.pem >/dev/null 2>&1
    # a requester's key and its request (keytool -certreq, asking for extensions)
    quiet $KT -genkeypair -keystore $d/client.p12 "${KS[@]}" -alias client -keyalg EC \
        -dname "CN=client.example, OU=Dev, O=Acme"
    quiet $KT -certreq -keystore $d/client.p12 "${KS[@]}" -alias client -file $d/kt.csr \
        -ext san=dns:client.example,dns:alt.example -ext eku=clientAuth
    # an openssl request (RSA key, PEM "CERTIFICATE REQUEST")
    quiet openssl req -new -newkey rsa:2048 -nodes -keyout $d/o.key -subj "/C=US/O=Acme/CN=server.example" \
        -addext "subjectAltName=DNS:server.example,IP:10.1.2.3" -addext "keyUsage=critical,digitalSignature" \
        -out $d/o.csr
    openssl req -in $d/o.csr -outform DER -out $d/o.der

    n=0
    for req in kt.csr o.csr o.der; do
        for exts in "" "-ext san=dns:x.example,ip:10.0.0.1 -ext eku=serverAuth,clientAuth -ext ku:c=digitalSignature,keyEncipherment" \
            "-ext honored=all" "-ext honored=all,-san -ext bc=ca:false" "-ext honored=san:critical -ext ian=uri:https://ca.example/" \
            "-ext bc:c=ca:true,pathlen:0 -ext ku=keyCertSign"; do
            n=$((n + 1))
            # shellcheck disable=SC2086 # exts is a word list
            run 0 "$JKSTOOL" gencert $d/ca.p12 --storepass $SP --alias ca --infile $d/$req --outfile $d/j$n.pem \
                --rfc ${exts//-ext/--ext} || continue
            # shellcheck disable=SC2086
            # (keytool reads PEM requests only: the DER one is compared with its PEM twin)
            quiet $KT -gencert -keystore $d/ca.p12 "${KS[@]}" -alias ca -infile $d/${req/o.der/o.csr} \
                -outfile $d/k$n.pem -rfc $exts
            same_text "$alg CA, $req, [$exts]: text as keytool's" $d/j$n.pem $d/k$n.pem
            check "$alg CA, $req, [$exts]: openssl verify" quiet openssl verify -CAfile $d/ca.pem $d/j$n.pem
        done
    done

    # defaults: 90 days, the CA key's signature algorithm, AKI = CA's SKI
    run 0 "$JKSTOOL" gencert $d/ca.p12 --storepass $SP --alias ca --infile $d/kt.csr --outfile $d/def.crt
    days=$(python3 -c '
import subprocess, sys, datetime
f = lambda o: datetime.datetime.strptime(subprocess.check_output(["openssl","x509","-in",sys.argv[1],"-noout","-"+o]).decode().split("=",1)[1].strip(), "%b %d %H:%M:%S %Y %Z")
print((f("enddate") - f("startdate")).total_seconds() / 86400)' $d/def.crt)
    check "$alg: default validity 90 days (got $days)" [ "$days" = 90.0 ]
    sig=$(openssl x509 -in $d/def.crt -noout -text | grep -m1 "Signature Algorithm" | awk '{print $3}')
    want=$([ $alg = RSA ] && echo sha256WithRSAEncryption || echo ecdsa-with-SHA256)
    check "$alg: default signature algorithm $want (got $sig)" [ "$sig" = "$want" ]
    ski=$(openssl x509 -in $d/ca.pem -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' ')
    aki=$(openssl x509 -in $d/def.crt -noout -ext authorityKeyIdentifier | tail -1 | tr -d ' ' | sed 's/^keyid://')
    check "$alg: AKI $aki = the CA's SKI $ski" [ -n "$ski" -a "$aki" = "$ski" ]
    serial=$(openssl x509 -in $d/def.crt -noout -serial | cut -d= -f2)
    check "$alg: a 64-bit serial ($serial)" [ ${#serial} -le 16 -a ${#serial} -ge 2 ]

    # real keytool installs our certificate as the CA reply on the requester's key
    quiet $KT -importcert -noprompt -keystore $d/client.p12 "${KS[@]}" -alias myca -file $d/ca.pem
    $KT -importcert -keystore $d/client.p12 "${KS[@]}" -alias client -file $d/def.crt >$d/imp.txt 2>&1
    check "$alg: keytool -importcert installs our reply: $(head -c 200 $d/imp.txt)" \
        has "Certificate reply was installed in keystore" $d/imp.txt

    # DER output, standard input and output; --sigalg; --validity; --startdate
    run 0 "$JKSTOOL" gencert $d/ca.p12 --storepass $SP --alias ca --der --validity 10 \
        --sigalg $([ $alg = RSA ] && echo SHA384withRSA || echo SHA512withECDSA) <$d/o.csr
    cp "$T/out" $d/std.der
    check "$alg: DER on standard output from a PEM request on standard input" \
        quiet openssl x509 -inform DER -in $d/std.der -noout
    check "$alg: --sigalg taken" sh -c "openssl x509 -inform DER -in $d/std.der -noout -text | grep -q -i 'sha384WithRSA\|ecdsa-with-SHA512'"
    run 0 "$JKSTOOL" gencert $d/ca.p12 --storepass $SP --alias ca --infile $d/o.csr --outfile $d/sd.pem \
        --startdate "2030/01/02 03:04:05" --validity 2
    quiet $KT -gencert -keystore $d/ca.p12 "${KS[@]}" -alias ca -infile $d/o.csr -outfile $d/ksd.pem -rfc \
        -startdate "2030/01/02 03:04:05" -validity 2
    check "$alg: --startdate \"2030/01/02 03:04:05\" as keytool's" [ \
        "$(openssl x509 -in $d/sd.pem -noout -dates)" = "$(openssl x509 -in $d/ksd.pem -noout -dates)" ]
done

# ---- a chain: root -> intermediate (signed by gencert) -> leaf ----
d=RSA
quiet $KT -genkeypair -keystore inter.p12 "${KS[@]}" -alias inter -keyalg RSA -dname "CN=Inter CA, O=Acme"
quiet $KT -certreq -keystore inter.p12 "${KS[@]}" -alias inter -file inter.csr
run 0 "$JKSTOOL" gencert $d/ca.p12 --storepass $SP --alias ca --infile inter.csr --outfile inter.crt \
    --ext bc:c=ca:true,pathlen:0 --ext ku=keyCertSign,cRLSign
quiet $KT -importcert -noprompt -keystore inter.p12 "${KS[@]}" -alias root -file $d/ca.pem
$KT -importcert -keystore inter.p12 "${KS[@]}" -alias inter -file inter.crt >imp.txt 2>&1
check "keytool installs the intermediate's certificate" has "Certificate reply was installed" imp.txt
run 0 "$JKSTOOL" gencert inter.p12 --storepass $SP --alias inter --infile RSA/o.csr --outfile leaf.pem
quiet $KT -gencert -keystore inter.p12 "${KS[@]}" -alias inter -infile RSA/o.csr -outfile kleaf.pem -rfc
check "below an intermediate: 2 certificates written, as keytool writes" [ \
    "$(grep -c 'BEGIN CERTIFICATE' leaf.pem)" = 2 -a "$(grep -c 'BEGIN CERTIFICATE' kleaf.pem)" = 2 ]
check "the leaf verifies through the intermediate to the root" \
    quiet openssl verify -CAfile $d/ca.pem -untrusted leaf.pem leaf.pem

# ---- refusals ----
python3 - RSA/o.der <<'PY'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
i = b.find(b"server.example")
b[i] ^= 1  # "rerver.example": the signed subject changed
open("tampered.der", "wb").write(b)
PY
run 4 "$JKSTOOL" gencert RSA/ca.p12 --storepass $SP --alias ca --infile tampered.der --outfile t.crt
check "tampered request: one line naming the signature" has "signature does not verify" "$T/err"
check "tampered request: nothing written" [ ! -e t.crt ]
openssl req -in tampered.der -inform DER -out tampered.pem 2>/dev/null
run 4 "$JKSTOOL" gencert RSA/ca.p12 --storepass $SP --alias ca --infile tampered.pem --outfile t.crt
$KT -gencert -keystore RSA/ca.p12 "${KS[@]}" -alias ca -infile tampered.pem -outfile kt.crt >ktt.txt 2>&1
check "keytool refuses the tampered request too" [ ! -s kt.crt ]
echo garbage >junk.csr
run 4 "$JKSTOOL" gencert RSA/ca.p12 --storepass $SP --alias ca --infile junk.csr --outfile t.crt
quiet $KT -genkeypair -keystore leafonly.p12 "${KS[@]}" -alias notca -keyalg EC -dname "CN=not a CA" -ext bc=ca:false
run 2 "$JKSTOOL" gencert leafonly.p12 --storepass $SP --alias notca --infile RSA/o.csr --outfile t.crt
check "cA false: refused, saying so" has "is not a CA certificate: basicConstraints say cA false" "$T/err"
quiet $KT -genkeypair -keystore kuonly.p12 "${KS[@]}" -alias kuonly -keyalg EC -dname "CN=no certsign" -ext ku=digitalSignature
run 2 "$JKSTOOL" gencert kuonly.p12 --storepass $SP --alias kuonly --infile RSA/o.csr --outfile t.crt
check "keyUsage without keyCertSign: refused" has "keyUsage lacks keyCertSign" "$T/err"
quiet $KT -importcert -noprompt -keystore RSA/ca.p12 "${KS[@]}" -alias trusted -file EC/ca.pem
run 2 "$JKSTOOL" gencert RSA/ca.p12 --storepass $SP --alias trusted --infile RSA/o.csr --outfile t.crt
check "trusted-certificate entry: refused" has "has no key to sign with" "$T/err"
run 2 "$JKSTOOL" gencert RSA/ca.p12 --storepass $SP --alias nosuch --infile RSA/o.csr --outfile t.crt
run 3 "$JKSTOOL" gencert RSA/ca.p12 --storepass pass:wrong --alias ca --infile RSA/o.csr --outfile t.crt
run 2 "$JKSTOOL" gencert RSA/ca.p12 --storepass $SP --alias ca --infile RSA/o.csr --ext honored=bogus
# honoring (or leaving out) an extension the request does not have fails, as in keytool
for h in honored=eku honored=all,-eku; do
    run 2 "$JKSTOOL" gencert RSA/ca.p12 --storepass $SP --alias ca --infile RSA/o.csr --ext $h --outfile t.crt
    $KT -gencert -keystore RSA/ca.p12 "${KS[@]}" -alias ca -infile RSA/o.csr -ext $h -outfile kt.crt >kth.txt 2>&1
    check "keytool also refuses -ext $h: $(head -c 200 kth.txt)" has "No extension found" kth.txt
done
run 2 "$JKSTOOL" gencert RSA/ca.p12 --storepass $SP --alias ca --infile RSA/o.csr --startdate tomorrow
run 2 "$JKSTOOL" gencert RSA/ca.p12 --storepass $SP --alias ca --infile RSA/o.csr --sigalg SHA256withECDSA
check "no file left by the refusals" [ ! -e t.crt ]
# a CA certificate without basicConstraints (keytool -genkeypair's default): signed, with a warning
quiet $KT -genkeypair -keystore plain.p12 "${KS[@]}" -alias plain -keyalg RSA -dname "CN=plain"
run 0 "$JKSTOOL" gencert plain.p12 --storepass $SP --alias plain --infile RSA/o.csr --outfile p.crt
check "no basicConstraints: warned" has "has no basicConstraints" "$T/err"

echo "gencert: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
