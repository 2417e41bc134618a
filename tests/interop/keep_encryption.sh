#!/usr/bin/env bash
# Interop: keep_encryption (jkstool convert --keep-encryption) for PKCS#12.
# A PKCS#12 whose key password differs from its store password (written by
# Java, java/KeyPassP12.java) is read with the store password only: the key
# stays encrypted, and PKCS#12 -> PKCS#12 keeps its EncryptedPrivateKeyInfo
# byte for byte (compared in the shrouded key bags), which then opens with
# the key's own password in openssl and Java. A format that cannot hold the
# protection refuses the key, naming it. And keep_encryption holds only while
# no password changes: a key opened with another password than its output
# key password is re-encrypted under that one.
set -u
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
HERE=$(cd "$(dirname "$0")" && pwd)
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin
KT=$J17/keytool
. "$(dirname "$0")/lib/assert.bash" # $T, PASS/FAIL, ok, bad, run, check
SP=pass:changeit
q() { "$@" >/dev/null 2>&1 || { echo "setup failed: $*" >&2; exit 5; }; }

q "$KT" -genkeypair -alias kp -keyalg EC -dname CN=kp -validity 365 -storetype JKS \
    -keystore keypass.jks -storepass changeit -keypass otherpw
q "$J17/java" "$HERE/java/KeyPassP12.java" keypass.jks changeit otherpw kp.p12

# the EncryptedPrivateKeyInfo of every shrouded key bag in the plain-data
# safes of a PKCS#12 (Java and we put key bags there), concatenated
epki() {
    python3 - "$1" "$2" <<'PY'
import sys
def tlv(b, i):
    t = b[i]; i += 1; n = b[i]; i += 1
    if n & 0x80:
        k = n & 0x7f; n = int.from_bytes(b[i:i + k], "big"); i += k
    return t, b[i:i + n], i + n
def seq(b):
    out, i = [], 0
    while i < len(b):
        t, v, i = tlv(b, i); out.append((t, v))
    return out
DATA = bytes.fromhex("2a864886f70d010701")
SHROUDED = bytes.fromhex("2a864886f70d010c0a0102")
pfx = seq(tlv(open(sys.argv[1], "rb").read(), 0)[1])
auth = seq(pfx[1][1])                       # ContentInfo { data, [0] { OCTET STRING } }
safes = seq(tlv(seq(auth[1][1])[0][1], 0)[1])
out = b""
for t, ci in safes:
    oid, body = seq(ci)[0][1], seq(ci)[1][1]
    if oid != DATA:
        continue                            # encrypted certificate safe
    for _, bag in seq(tlv(seq(body)[0][1], 0)[1]):
        parts = seq(bag)
        if parts[0][1] == SHROUDED:
            out += parts[1][1]              # [0] EXPLICIT: the EPKI's own DER
open(sys.argv[2], "wb").write(out)
PY
}

# ---- the source: key password otherpw, store password changeit ----
run 0 "$JKSTOOL" list --json kp.p12 --storepass "$SP"
check "read with the store password only: the key stays encrypted" \
    grep -q '"decrypted":false' "$T/out"
epki kp.p12 src.epki
check "the source has one shrouded key bag" test -s src.epki

# ---- PKCS#12 -> PKCS#12, --keep-encryption, key password unknown ----
run 0 "$JKSTOOL" convert kp.p12 kept.p12 --storepass "$SP" --keep-encryption
epki kept.p12 kept.epki
check "--keep-encryption: the EncryptedPrivateKeyInfo is kept byte for byte" cmp -s src.epki kept.epki
check "openssl verifies the MAC and reads the certificate with the store password" \
    bash -c 'openssl pkcs12 -in kept.p12 -passin pass:changeit -nokeys -out kept-cert.pem 2>/dev/null && grep -q "BEGIN CERTIFICATE" kept-cert.pem'
check "openssl decrypts the kept key with its own password" \
    openssl pkcs8 -inform DER -in kept.epki -passin pass:otherpw -out kept-key.pem
check "... and not with the store password" \
    bash -c '! openssl pkcs8 -inform DER -in kept.epki -passin pass:changeit -out /dev/null 2>/dev/null'
check "the kept key belongs to the certificate" \
    bash -c 'cmp -s <(openssl pkey -in kept-key.pem -pubout) <(openssl x509 -in kept-cert.pem -pubkey -noout)'
run 0 "$JKSTOOL" list --json kept.p12 --storepass "$SP" --keypass pass:otherpw
check "jkstool opens the kept key with its password" grep -q '"decrypted":true' "$T/out"
# a new store password: the MAC changes, the key stays under its own password
run 0 "$JKSTOOL" convert kp.p12 kept2.p12 --storepass "$SP" --out-storepass pass:newstore --keep-encryption
epki kept2.p12 kept2.epki
check "new store password: the key bytes are kept" cmp -s src.epki kept2.epki
check "new store password: openssl verifies the new MAC" \
    bash -c 'openssl pkcs12 -in kept2.p12 -passin pass:newstore -nokeys -out /dev/null 2>/dev/null'

# ---- refusals: never re-encrypted with a password that did not open it ----
run 3 "$JKSTOOL" convert kp.p12 nokeep.p12 --storepass "$SP"
check "without --keep-encryption the undecryptable key is named" grep -q '"kp"' "$T/err"
check "... and nothing is written" test ! -e nokeep.p12
run 3 "$JKSTOOL" convert kp.p12 nokeep.jks --storepass "$SP" --keep-encryption
check "JKS cannot hold a PKCS#12 protection: the key is named" grep -q '"kp"' "$T/err"
check "... and nothing is written" test ! -e nokeep.jks

# ---- keep_encryption holds only while no password changes ----
# the key opened with otherpw; the output key password is the store password
run 0 "$JKSTOOL" convert kp.p12 re.p12 --storepass "$SP" --keypass pass:otherpw --keep-encryption
epki re.p12 re.epki
check "PKCS#12: a key whose password changes is re-encrypted" bash -c '! cmp -s src.epki re.epki'
run 0 "$JKSTOOL" convert keypass.jks re.jks --storepass "$SP" --keypass pass:otherpw
check "JKS -> JKS with the key opened by --keypass: re-encrypted" bash -c '! cmp -s keypass.jks re.jks'
run 0 "$JKSTOOL" convert keypass.jks same.jks --storepass "$SP"
check "JKS -> JKS, key password unknown: byte-identical" cmp -s keypass.jks same.jks
run 0 "$JKSTOOL" convert keypass.jks newkp.jks --storepass "$SP" --keypass pass:otherpw \
    --out-keypass pass:newkeypw
check "JKS -> JKS with --out-keypass: re-encrypted" bash -c '! cmp -s keypass.jks newkp.jks'

# Java: the kept key opens with its own password; the re-encrypted ones with
# the output key password (the store password unless --out-keypass)
"$J17/java" "$HERE/java/LoadAll.java" kept.p12 changeit otherpw kept2.p12 newstore otherpw \
    re.p12 changeit - re.jks changeit - newkp.jks changeit newkeypw same.jks changeit otherpw \
    >java.out 2>java.err || bad "LoadAll: $(head -c 400 java.err)"
for f in kept.p12 kept2.p12 re.p12 re.jks newkp.jks same.jks; do
    check "Java opens the key of $f with the expected password" \
        python3 -c "
import json,sys
for l in open('java.out'):
    j = json.loads(l)
    if j.get('file','').endswith('$f'):
        sys.exit(0 if 'error' not in j and all(e.get('key') == 'ok' for e in j['entries'] if e['kind'] != 'trusted-cert') and j['entries'] else 1)
sys.exit(1)"
done

echo "keep_encryption.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
