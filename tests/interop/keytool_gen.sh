#!/usr/bin/env bash
# Interop: `jkstool keytool` -genkeypair, -certreq and -gencert against
# keytool 17 for what issue 15 items 10/11 added: DSA and RSASSA-PSS keys,
# -ext aia=/sia=/OID=HEX, the weak -sigalg values keytool accepts (SHA1with...,
# MD5withRSA) and the JKS/JCEKS key-password prompt. Each case runs keytool
# in kt/ and the keytool mode in jk/ on copies of the same files with the
# same arguments and standard input; stdout, stderr and the exit code must
# be equal. Generated certificates and requests are compared by structure:
# `openssl asn1parse` with the values that are random by nature left out
# (serial, dates, key numbers, signature bits, SubjectKeyIdentifier), and
# keytool reads back what the keytool mode wrote (-list -v, -printcert,
# -gencert on its requests, which verifies their signatures).
set -u
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
KT=/usr/lib/jvm/java-17-openjdk-amd64/bin/keytool
if [ ! -x "$KT" ]; then
    echo "keytool_gen.sh: SKIP: no keytool at $KT"
    exit 0
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
export TZ=UTC LC_ALL=C
. "$(dirname "$0")/lib/assert.bash" # $T, PASS/FAIL, ok, bad, run, check
# -XX flags: keytool starts with C1 only and the serial GC (about 40% less CPU per
# run, same output; the suite starts keytool a few thousand times)
J="-J-Duser.language=en -J-Duser.country=US -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC"
mkdir kt jk

# both INPUT ARGS...: keytool in kt/, jkstool keytool in jk/, INPUT on
# standard input; outputs in $T/{kt,jk}.{out,err,rc}
both() {
    local in=$1
    shift
    (cd kt && printf "$in" | "$KT" $J "$@" >../kt.out 2>../kt.err; echo $? >../kt.rc)
    (cd jk && printf "$in" | "$JKSTOOL" keytool "$@" >../jk.out 2>../jk.err; echo $? >../jk.rc)
}
# same DESCRIPTION INPUT ARGS...: both, then stdout, stderr and exit equal
same() {
    local d=$1
    shift
    both "$@"
    if cmp -s kt.out jk.out && cmp -s kt.err jk.err && cmp -s kt.rc jk.rc; then ok; else
        bad "$d: differs from keytool (exit $(cat kt.rc) vs $(cat jk.rc))"
        diff kt.out jk.out | head -6 >&2
        diff kt.err jk.err | head -6 >&2
    fi
}
# DER structure without what is random by nature
shape() {
    openssl asn1parse -inform "${2:-DER}" -in "$1" | "$PY" -c '
import re, sys
for line in sys.stdin:
    m = re.match(r"\s*\d+:d=(\d+)\s+hl=\s*\d+\s+l=\s*(\d+)\s+(prim|cons):\s*(.*)$", line)
    if not m:
        print(line.rstrip()); continue
    d, l, kind, rest = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4).rstrip()
    tag, _, val = rest.partition(":")
    tag = tag.strip()
    if tag == "INTEGER" and l > 2: val = "<big>"
    if tag in ("UTCTIME", "GENERALIZEDTIME"): val = "<time>"
    if tag == "BIT STRING": val = "<bits>"
    if "HEX DUMP" in tag and val.startswith("0414"): val = "<ski>"
    print(d, kind, tag, val)
'
}
same_shape() {
    local d=$1 a=$2 b=$3 form=${4:-DER}
    if [ -s "$a" ] && [ -s "$b" ] && diff <(shape "$a" "$form") <(shape "$b" "$form") >shape.diff; then ok; else
        bad "$d: structure differs from keytool's"
        head -8 shape.diff >&2
    fi
}
# export ALIAS STORE DIR: the entry's certificate (DER; keytool reads the
# same store in listed below)
export_cert() {
    "$JKSTOOL" export "$3/$2" --alias "$1" --storepass pass:changeit --der --out "$3/$1.der" >/dev/null 2>&1
}
quiet() { "$@" >/dev/null 2>&1; }
# keytool -list -v of the entry without what is random
listed() {
    "$KT" $J -list -v -alias "$1" -keystore "$2" -storepass changeit 2>/dev/null |
        grep -v -e '^Serial number' -e '^Valid from' -e 'SHA1:' -e 'SHA256:' -e '^Creation date' \
            -e '^00[0-9]0:'
}

# ---- -genkeypair: DSA, RSASSA-PSS, weak -sigalg, -ext aia/sia/OID ----
n=0
gen_case() {
    local d=$1
    shift
    n=$((n + 1))
    same "-genkeypair $d" "" -genkeypair -alias "g$n" -dname "CN=g$n, O=Acme" -keystore g.p12 \
        -storepass changeit "$@"
    if [ "$(cat kt.rc)" = 0 ]; then
        export_cert "g$n" g.p12 kt
        export_cert "g$n" g.p12 jk
        same_shape "-genkeypair $d" "kt/g$n.der" "jk/g$n.der"
        if diff <(listed "g$n" kt/g.p12) <(listed "g$n" jk/g.p12) >list.diff; then ok; else
            bad "-genkeypair $d: keytool -list -v differs"
            head -6 list.diff >&2
        fi
    fi
}
gen_case "DSA" -keyalg DSA
gen_case "DSA 3072 SHA384withDSA" -keyalg DSA -keysize 3072 -sigalg SHA384withDSA
gen_case "DSA 512 (disabled key)" -keyalg DSA -keysize 512
gen_case "DSA 4096 refused" -keyalg DSA -keysize 4096
gen_case "DSA 2048 SHA1withDSA refused" -keyalg DSA -sigalg SHA1withDSA
gen_case "DSA 1024 SHA1withDSA" -keyalg DSA -keysize 1024 -sigalg SHA1withDSA
gen_case "RSASSA-PSS" -keyalg RSASSA-PSS
gen_case "RSASSA-PSS 4096" -keyalg RSASSA-PSS -keysize 4096
gen_case "RSASSA-PSS SHA256withRSA" -keyalg RSASSA-PSS -sigalg SHA256withRSA
gen_case "RSA -sigalg RSASSA-PSS" -keyalg RSA -sigalg RSASSA-PSS
gen_case "SHA1withRSA" -keyalg RSA -sigalg SHA1withRSA
gen_case "SHA1withECDSA" -keyalg EC -sigalg SHA1withECDSA
gen_case "MD5withRSA" -keyalg RSA -sigalg MD5withRSA
gen_case "aia sia OID" -keyalg EC \
    -ext aia=ocsp:uri:http://ocsp.example/,caIssuers:uri:http://ca.example/ca.crt \
    -ext sia=caRepository:uri:http://repo.example/,timeStamping:uri:http://ts.example/ \
    -ext 1.2.3.4=0403010203 -ext 1.2.3.5:critical=0500
gen_case "long names, other GeneralNames" -keyalg EC -ext AuthorityInfoAccess=ocsp:dns:ocsp.example \
    -ext SubjectInfoAccess=1.2.3:email:a@b -ext 1.2.3.4=04:03:01:02:03 -ext 1.2.3.6 \
    -ext 1.2.3.7:c=0400
gen_case "OID= replaces the SubjectKeyIdentifier" -keyalg EC -ext 2.5.29.14=0400
gen_case "OID= with no hex digits" -keyalg EC -ext 1.2.3.4=zz
gen_case "aia with san, eku, bc" -keyalg RSA -ext san=dns:a.example -ext aia=ocsp:uri:http://o/ \
    -ext eku=serverAuth -ext bc=ca:true
# errors keytool reports (the text is jkstool's; the exit and stream are keytool's)
for e in "aia:critical=ocsp:uri:http://x" "1.2.3.4=123" "aia=ocsp" "aia=foo:uri:http://x"; do
    both "" -genkeypair -alias bad -keyalg EC -dname CN=bad -keystore g.p12 -storepass changeit -ext "$e"
    check "-ext $e refused as keytool (exit 1, stdout)" \
        bash -c '[ "$(cat kt.rc)" = 1 ] && [ "$(cat jk.rc)" = 1 ] && grep -q "^keytool error: java.lang.Exception: " jk.out && [ ! -s jk.err ]'
done
check "the keytool mode's store opens in keytool with every key" \
    bash -c "'$KT' $J -list -keystore jk/g.p12 -storepass changeit 2>/dev/null | grep -c PrivateKeyEntry | grep -qx $(grep -c PrivateKeyEntry <("$KT" $J -list -keystore kt/g.p12 -storepass changeit 2>/dev/null))"

# ---- -certreq and -gencert with DSA and RSASSA-PSS keys ----
# the same CA stores (made by keytool) on both sides
"$KT" $J -genkeypair -alias dca -keyalg DSA -dname CN=DSA-CA -ext bc=ca:true -keystore kt/ca.p12 \
    -storepass changeit >/dev/null 2>&1
"$KT" $J -genkeypair -alias pca -keyalg RSASSA-PSS -dname CN=PSS-CA -ext bc=ca:true \
    -keystore kt/ca.p12 -storepass changeit >/dev/null 2>&1
"$KT" $J -genkeypair -alias rca -keyalg RSA -dname CN=RSA-CA -ext bc=ca:true -keystore kt/ca.p12 \
    -storepass changeit >/dev/null 2>&1
cp kt/ca.p12 jk/ca.p12
for a in dca pca rca; do
    for s in "" SHA1withRSA MD5withRSA RSASSA-PSS SHA224withDSA; do
        case "$a:$s" in dca:*RSA* | dca:RSASSA-PSS | [pr]ca:*DSA) continue ;; esac
        sig=${s:+-sigalg $s}
        same "-certreq $a $s" "" -certreq -alias $a -keystore ca.p12 -storepass changeit \
            -file $a$s.csr $sig -ext aia=ocsp:uri:http://o.example/ -ext 1.2.3.4=0500
        if [ "$(cat kt.rc)" = 0 ]; then
            same_shape "-certreq $a $s" "kt/$a$s.csr" "jk/$a$s.csr" PEM
            # keytool verifies the request's signature before it signs it
            check "-certreq $a $s: keytool -gencert accepts the keytool mode's request" \
                quiet "$KT" $J -gencert -alias rca -keystore kt/ca.p12 -storepass changeit \
                -infile "jk/$a$s.csr" -outfile /dev/null
        fi
    done
done
# -gencert: the same request (keytool's) signed by each CA on both sides
"$KT" $J -genkeypair -alias leaf -keyalg EC -dname CN=leaf -keystore kt/leaf.p12 -storepass changeit \
    >/dev/null 2>&1
"$KT" $J -certreq -alias leaf -keystore kt/leaf.p12 -storepass changeit -file kt/leaf.csr \
    -ext san=dns:leaf.example >/dev/null 2>&1
cp kt/leaf.csr jk/leaf.csr
for a in dca pca rca; do
    for s in "" SHA1withRSA MD5withRSA; do
        case "$a:$s" in dca:?*) continue ;; esac
        sig=${s:+-sigalg $s}
        same "-gencert $a $s" "" -gencert -alias $a -keystore ca.p12 -storepass changeit \
            -infile leaf.csr -outfile $a$s.crt $sig -ext honored=all \
            -ext aia=caIssuers:uri:http://ca.example/ca.crt -ext sia=caRepository:uri:http://r/
        if [ "$(cat kt.rc)" = 0 ]; then
            same_shape "-gencert $a $s" "kt/$a$s.crt" "jk/$a$s.crt"
            "$KT" $J -printcert -file "kt/$a$s.crt" 2>&1 | grep -v -e '^Serial' -e '^Valid' -e 'SHA' -e '^00[0-9]0:' >pk
            "$KT" $J -printcert -file "jk/$a$s.crt" 2>&1 | grep -v -e '^Serial' -e '^Valid' -e 'SHA' -e '^00[0-9]0:' >pj
            check "-gencert $a $s: keytool -printcert reads the same" cmp -s pk pj
        fi
    done
done

# ---- the JKS/JCEKS key-password prompt of -genkeypair ----
"$KT" $J -genkeypair -alias first -keyalg EC -dname CN=first -storetype JKS -keystore kt/k.jks \
    -storepass changeit -keypass changeit >/dev/null 2>&1
"$KT" $J -genkeypair -alias first -keyalg EC -dname CN=first -storetype JCEKS -keystore kt/k.jceks \
    -storepass changeit -keypass changeit >/dev/null 2>&1
m=0
for input in 'keypw123\nkeypw123\n' '\n' '' 'abc\n' 'abcdef\nabcdeg\nkeypw123\nkeypw123\n' \
    'abc\nabc\nabc\n' 'abcdef\n'; do
    for ks in k.jks k.jceks; do
        case "$ks:$input" in k.jceks:abc* | k.jceks:) continue ;; esac
        m=$((m + 1))
        cp kt/$ks jk/$ks
        same "-genkeypair key password prompt ($ks, input '$input')" "$input" -genkeypair -alias "Key$m" \
            -keyalg EC -dname CN=k -keystore $ks -storepass changeit
        case "$input" in
        keypw* | abcdef*keypw*) want=keypw123 ;;
        *) want=changeit ;;
        esac
        if [ "$(cat kt.rc)" = 0 ]; then
            check "-genkeypair prompt ($ks, '$input'): the key opens with $want in keytool" \
                quiet "$KT" $J -certreq -alias "key$m" -keystore jk/$ks -storepass changeit -keypass $want \
                -file /dev/null
        fi
    done
done
# no prompt for PKCS#12 or with -keypass
same "-genkeypair PKCS12: no key password prompt" 'x\n' -genkeypair -alias np -keyalg EC -dname CN=k \
    -keystore g.p12 -storepass changeit
same "-genkeypair JKS -keypass: no prompt" 'x\n' -genkeypair -alias kp -keyalg EC -dname CN=k \
    -keystore k.jks -storepass changeit -keypass other12

echo "keytool_gen: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
