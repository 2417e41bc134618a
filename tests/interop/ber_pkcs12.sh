#!/usr/bin/env bash
# PKCS#12 in BER (indefinite lengths, strings in nested chunks, lengths longer
# than needed), as NSS, old Netscape and Windows tools write it. Each PKCS#12
# vector is rewritten in BER by lib/ber.py, the outer layers only (level 1) and
# also the ASN.1 inside the content (level 2, MAC recomputed). OpenSSL is the
# oracle that the BER file holds what the DER file holds (Java 17 refuses
# these BER forms); jkstool must then list and convert the BER file exactly
# as the DER file. Cut BER files fail with exit 4 and one line.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/assert.bash"
JKSTOOL=${JKSTOOL:-$here/../../build/jkstool}
V=$here/../../vectors
BER="python3 $here/lib/ber.py"

differ() { ! cmp -s "$1" "$2"; }
without_file() { # list --json without the path, which differs by design
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("file",None); print(json.dumps(d,sort_keys=True))' "$1"
}

n=0
while IFS=$'\t' read -r path type pass _; do
    case "$path" in \#* | "") continue ;; esac
    [ "$type" = PKCS12 ] && [ "$pass" = changeit ] || continue
    src=$V/$path
    name=$(basename "$path" .p12)
    legacy=
    openssl pkcs12 -in "$src" -passin pass:changeit -nodes >/dev/null 2>&1 || legacy=-legacy
    openssl pkcs12 -in "$src" -passin pass:changeit -nodes $legacy >"$T/want.pem" 2>/dev/null || continue
    "$JKSTOOL" list --json "$src" --storepass pass:changeit >"$T/der.json" 2>/dev/null || continue
    "$JKSTOOL" convert "$src" --storepass pass:changeit --to pem -o "$T/der.pem" 2>/dev/null
    der_rc=$?
    for level in 1 2; do
        b=$T/$name.$level.p12
        $BER $level changeit "$src" "$b" || { bad "$name: lib/ber.py level $level failed"; continue; }
        check "$name L$level: the BER file differs from the DER one" differ "$src" "$b"
        openssl pkcs12 -in "$b" -passin pass:changeit -nodes $legacy >"$T/got.pem" 2>/dev/null
        check "$name L$level: openssl reads the BER file as the DER one" cmp -s "$T/want.pem" "$T/got.pem"
        run 0 "$JKSTOOL" list --json "$b" --storepass pass:changeit || continue
        cp "$T/out" "$T/ber.json"
        check "$name L$level: list --json equals the DER file's" \
            [ "$(without_file "$T/ber.json")" = "$(without_file "$T/der.json")" ]
        if [ $der_rc = 0 ]; then
            run 0 "$JKSTOOL" convert "$b" --storepass pass:changeit --to pem -o "$T/ber.pem" &&
                check "$name L$level: convert --to pem writes the DER file's bytes" \
                    cmp -s "$T/der.pem" "$T/ber.pem"
        fi
        n=$((n + 1))
    done
done <"$V/manifest.tsv"
check "at least 20 BER files were made and read (got $n)" [ "$n" -ge 20 ]

# a wrong password on a BER file: exit 3
b=$T/ossl-chain.2.p12
run 3 "$JKSTOOL" list "$b" --storepass pass:wrong
# cut BER files: exit 4, one line that names the file, no crash
size=$(stat -c %s "$b")
for cut in 1 2 7 40 $((size / 3)) $((size / 2)) $((size - 40)) $((size - 2)) $((size - 1)); do
    head -c "$cut" "$b" >"$T/cut.p12"
    run 4 "$JKSTOOL" list "$T/cut.p12" --storepass pass:changeit --type pkcs12 &&
        check "cut at $cut: one line naming the file" \
            [ "$(wc -l <"$T/err")" = 1 -a -n "$(grep -F cut.p12 "$T/err")" ]
done
# trailing bytes after a BER PFX
cat "$b" - <<<"junk" >"$T/trail.p12"
run 4 "$JKSTOOL" list "$T/trail.p12" --storepass pass:changeit &&
    check "trailing data is named" grep -q "trailing data" "$T/err"
# a DER file's corruption is reported at its file offset: the first SafeBag's
# tag in an unencrypted store, turned into an INTEGER
u=$V/files/ossl-nomac-nopbe.p12
off=$(python3 - "$u" <<'EOF'
import sys
b = open(sys.argv[1], "rb").read()
i = b.find(bytes.fromhex("2a864886f70d010c0a01"))  # the first bagId OID
print(i - 2 - 2 - (2 if b[i - 4] == 0x30 else 0) if i > 0 else -1)
EOF
)
python3 - "$u" "$T/bag.p12" <<'EOF'
import sys
b = bytearray(open(sys.argv[1], "rb").read())
i = b.find(bytes.fromhex("2a864886f70d010c0a01"))
j = i - 2
while b[j] != 0x30:  # back to the SafeBag SEQUENCE holding the OID
    j -= 1
b[j] = 0x02
open(sys.argv[2], "wb").write(b)
EOF
run 4 "$JKSTOOL" list "$T/bag.p12" --storepass pass:changeit &&
    check "a corrupt SafeBag is named with its offset" grep -q "SafeBag.*\|byte [0-9]" "$T/err"
: "$off"

echo "ber_pkcs12.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
