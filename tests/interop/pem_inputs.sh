#!/usr/bin/env bash
# Interop for the PEM inputs CAs and old OpenSSL setups hand out: a chain
# as PKCS#7 (openssl crl2pkcs7: DER .p7b and "BEGIN PKCS7") beside a key
# encrypted the legacy way (openssl -traditional: Proc-Type 4,ENCRYPTED,
# AES-256-CBC / DES-EDE3-CBC, and an EC key). jkstool turns each pair into
# a JKS that keytool lists as one PrivateKeyEntry with the 3-certificate
# chain, leaf first (fingerprints from openssl), and the key in it is the
# one openssl made (public keys compared). Wrong and missing passwords: 3.
# Run by `make interop` with JKSTOOL set; cwd = repository root.
set -uo pipefail
JKSTOOL=${JKSTOOL:-build/jkstool}
case $JKSTOOL in /*) ;; *) JKSTOOL=$PWD/$JKSTOOL ;; esac
KT=/usr/lib/jvm/java-17-openjdk-amd64/bin/keytool
command -v openssl >/dev/null || { echo "pem_inputs.sh: SKIP (no openssl)"; exit 0; }
[ -x "$KT" ] || KT=$(command -v keytool || true)
source "$(dirname "$0")/lib/pki.bash" # mk
source "$(dirname "$0")/lib/assert.bash"

fp() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/.*=//'; }
mk root "/CN=PEM Interop Root" "" ca
mk int "/CN=PEM Interop Intermediate" root ca
mk leaf "/CN=client.example" int
cat leaf.crt root.crt int.crt >chain.pem # any order
openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER -out chain.p7b
openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7b.pem
openssl rsa -in leaf.key -aes256 -traditional -passout pass:legacy-pw -out leaf-aes.key 2>/dev/null
openssl rsa -in leaf.key -des3 -traditional -passout pass:legacy-pw -out leaf-3des.key 2>/dev/null
check "openssl wrote a Proc-Type key" grep -q "Proc-Type: 4,ENCRYPTED" leaf-aes.key
check "openssl wrote DES-EDE3-CBC" grep -q "DEK-Info: DES-EDE3-CBC" leaf-3des.key
openssl pkey -in leaf.key -pubout -out leaf.pub 2>/dev/null

want="$(fp leaf.crt) $(fp int.crt) $(fp root.crt)"
# the DER .p7b alone: its three certificates, as trusted entries
run 0 "$JKSTOOL" list chain.p7b --json
got=$(python3 -c 'import json; d=json.load(open("out")); print(" ".join(sorted(c["chain"][0]["sha256"] for c in d["entries"] if c["kind"]=="trusted-cert")))')
exp=$(for f in leaf int root; do fp $f.crt; done | tr -d : | tr A-F a-f | sort | tr '\n' ' ' | sed 's/ $//')
check "DER .p7b: the three certificates ($got)" [ "$got" = "$exp" ]
for key in leaf-aes.key leaf-3des.key; do
    for chain in chain.p7b.pem; do
        cat "$key" "$chain" >in.pem
        run 0 "$JKSTOOL" convert in.pem out.jks --storepass pass:legacy-pw --out-storepass pass:changeit -f || continue
        if [ -n "$KT" ]; then
            run 0 "$KT" -list -v -keystore out.jks -storepass changeit || continue
            check "$key+$chain: one PrivateKeyEntry" [ "$(grep -c 'Entry type: PrivateKeyEntry' out)" = 1 ]
            check "$key+$chain: chain length 3" grep -q "Certificate chain length: 3" out
            got=$(grep 'SHA256:' out | sed 's/.*SHA256: *//' | tr '\n' ' ' | sed 's/ $//')
            check "$key+$chain: chain leaf first ($got)" [ "$got" = "$want" ]
        fi
        run 0 "$JKSTOOL" export out.jks --storepass pass:changeit --to key --out k.pem -f || continue
        openssl pkey -in k.pem -pubout -out k.pub 2>/dev/null
        check "$key+$chain: the key is openssl's" cmp -s k.pub leaf.pub
    done
    cat "$key" chain.p7b.pem >in.pem
    run 3 "$JKSTOOL" list in.pem --storepass pass:wrong
    check "wrong password named" grep -q "wrong password" err
    run 3 "$JKSTOOL" list in.pem
    check "missing password named" grep -q "give its password" err
done
# an EC key, legacy-encrypted by openssl ec, self-signed
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.key 2>/dev/null
openssl req -x509 -new -key ec.key -subj "/CN=ec legacy" -days 10 -out ec.crt 2>/dev/null
openssl ec -in ec.key -aes128 -passout pass:pw2 -out ec-enc.key 2>/dev/null
check "EC key is Proc-Type" grep -q "Proc-Type: 4,ENCRYPTED" ec-enc.key
cat ec-enc.key ec.crt >ec.pem
run 0 "$JKSTOOL" list ec.pem --keypass pass:pw2 --json
check "EC legacy key decrypted" python3 -c 'import json,sys; d=json.load(open("out")); e=d["entries"][0]; sys.exit(0 if e["kind"]=="private-key" and e.get("key",{}).get("decrypted") else 1)'

echo "pem_inputs.sh: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
