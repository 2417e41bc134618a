#!/usr/bin/env bash
# Interop: `jkstool keytool` (keytool-compatible mode) against keytool 17.
# Stores made by keytool are listed by both tools and the outputs compared
# line by line (-list, -list -v, -list -rfc, -list -alias; JKS, JCEKS,
# PKCS#12; only the "Keystore provider" line is ignored); -exportcert and
# -printcert output is compared byte for byte; stores changed by
# jkstool keytool (-importcert, -importkeystore, -genkeypair, -certreq reply, -gencert
# round trip, -delete, -storepasswd, -keypasswd, -changealias) are read back by keytool,
# which must show the expected entries and open the keys with the expected
# passwords. Wrong passwords give keytool's message and exit 1. -changealias
# runs beside keytool on copies: exit, stdout, stderr and the results equal.
set -u
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
KT=/usr/lib/jvm/java-17-openjdk-amd64/bin/keytool
if [ ! -x "$KT" ]; then
    echo "keytool_compat.sh: SKIP: no keytool at $KT"
    exit 0
fi
export TZ=UTC LC_ALL=C
. "$(dirname "$0")/lib/assert.bash" # $T, PASS/FAIL, ok, bad, run, check
# -XX flags: keytool starts with C1 only and the serial GC (about 40% less CPU per
# run, same output)
J="-J-Duser.language=en -J-Duser.country=US -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC"
kt() { "$KT" $J "$@" 2>/dev/null; }
q() { "$KT" $J "$@" >/dev/null 2>&1 || { echo "setup failed: keytool $*" >&2; exit 5; }; }
jk() { "$JKSTOOL" keytool "$@"; }
ktok() { "$KT" $J "$@" >/dev/null 2>&1; } # keytool succeeds
norm() { grep -v '^Keystore provider:'; }
# same_out DESCRIPTION ARGS...: stdout of keytool and jkstool keytool equal
same_out() {
    local d=$1
    shift
    kt "$@" | norm >kt.out
    jk "$@" 2>jk.err | norm >jk.out
    if cmp -s kt.out jk.out && [ -s kt.out ]; then ok; else
        bad "$d: output differs from keytool's"
        diff kt.out jk.out | head -8 >&2
    fi
}

# ---- stores made by keytool ----
q -genkeypair -alias k1 -keyalg RSA -keysize 2048 -dname "CN=k1, OU=Dev, O=Acme, C=US" \
    -ext san=dns:a.example,ip:10.0.0.1 -ext eku=clientAuth -validity 30 \
    -storetype JKS -keystore a.jks -storepass changeit -keypass keypass1
q -genkeypair -alias ec1 -keyalg EC -dname "CN=ec1, EMAILADDRESS=x@a.example" -storetype JKS \
    -keystore a.jks -storepass changeit -keypass changeit
q -exportcert -rfc -alias ec1 -keystore a.jks -storepass changeit -file ec1.pem
q -importcert -noprompt -alias trusted -file ec1.pem -keystore a.jks -storepass changeit
q -genkeypair -alias ed -keyalg Ed25519 -dname CN=ed -storetype JCEKS -keystore c.jceks \
    -storepass changeit -keypass changeit
q -genseckey -alias sec -keyalg AES -keysize 128 -storetype JCEKS -keystore c.jceks \
    -storepass changeit -keypass changeit
q -genkeypair -alias ca -keyalg RSA -dname "CN=Root CA, O=Acme" -ext bc=ca:true \
    -ext ku=keyCertSign,cRLSign -keystore ca.p12 -storepass changeit
q -exportcert -rfc -alias ca -keystore ca.p12 -storepass changeit -file ca.pem
q -genkeypair -alias Leaf -keyalg EC -groupname secp384r1 -dname CN=leaf -keystore d.p12 \
    -storepass changeit
q -certreq -alias leaf -keystore d.p12 -storepass changeit -file leaf.csr
q -gencert -alias ca -keystore ca.p12 -storepass changeit -infile leaf.csr -outfile leaf.crt \
    -rfc -ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth -ext bc=0 \
    -ext san=dns:x.example,email:a@b.example,uri:https://a.example/
q -importcert -noprompt -alias root -file ca.pem -keystore d.p12 -storepass changeit
q -importcert -alias leaf -file leaf.crt -keystore d.p12 -storepass changeit
q -genseckey -alias sec -keyalg AES -keysize 256 -keystore d.p12 -storepass changeit

# ---- -list: line by line as keytool ----
for ks in a.jks c.jceks d.p12 ca.p12; do
    for opt in "" -v -rfc; do
        same_out "-list $opt $ks" -list $opt -keystore "$ks" -storepass changeit
    done
done
same_out "-list -alias" -list -alias ec1 -keystore a.jks -storepass changeit
same_out "-list -v -alias" -list -v -alias leaf -keystore d.p12 -storepass changeit
same_out "-list -rfc -alias" -list -rfc -alias trusted -keystore a.jks -storepass changeit
same_out "-list -storetype" -list -keystore a.jks -storepass changeit -storetype JKS
check "-list shows the migration warning for JKS on stderr" grep -q "proprietary format" jk.err
# passwords from the environment and from a file
export KSPW=changeit
printf 'changeit\n' >pw.txt
kt -list -keystore a.jks -storepass changeit | norm >kt.out
jk -list -keystore a.jks -storepass:env KSPW 2>/dev/null | norm >jk.out
check "-storepass:env" cmp -s kt.out jk.out
jk -list -keystore a.jks -storepass:file pw.txt 2>/dev/null | norm >jk.out
check "-storepass:file" cmp -s kt.out jk.out
echo changeit | jk -list -keystore a.jks 2>/dev/null | norm >jk.out
check "password read from standard input" cmp -s kt.out jk.out
# a missing variable: keytool names it on stderr (then prints its usage), nothing
# on stdout, exit 1
unset NO_SUCH_KSPW
"$KT" $J -list -keystore a.jks -storepass:env NO_SUCH_KSPW >kt.out 2>kt.err
krc=$?
jk -list -keystore a.jks -storepass:env NO_SUCH_KSPW >jk.out 2>jk.err
jrc=$?
check "-storepass:env unset: exit $jrc, keytool $krc" [ "$jrc" = "$krc" ]
check "-storepass:env unset: stdout empty as keytool's" [ ! -s jk.out -a ! -s kt.out ]
check "-storepass:env unset: first stderr line as keytool's" [ "$(head -1 jk.err)" = "$(head -1 kt.err)" ]

# ---- wrong passwords, missing things: keytool's message and exit 1 ----
# same_err DESCRIPTION ARGS...: keytool's error line on standard output (and,
# with -v, the exception line after it; keytool's Java stack frames and
# "Caused by:" chains are not reproduced and dropped from its output before
# comparing), nothing of it on stderr, and keytool's exit code.
same_err() {
    local d=$1 krc jrc
    shift
    "$KT" $J "$@" 2>kt.err | grep -v -e $'^\t' -e '^Caused by: ' >kt.out
    krc=${PIPESTATUS[0]}
    jk "$@" >jk.out 2>jk.err
    jrc=$?
    check "$d: exit $jrc, keytool $krc" [ "$jrc" = "$krc" ]
    if cmp -s kt.out jk.out && grep -q '^keytool error: ' jk.out; then ok; else
        bad "$d: stdout differs from keytool's"
        diff kt.out jk.out | head -6 >&2
    fi
    check "$d: no error line on stderr" sh -c "! grep -q 'keytool error' jk.err"
}
for ks in a.jks c.jceks d.p12; do
    same_err "wrong password $ks" -list -keystore "$ks" -storepass wrongpw
    same_err "wrong password $ks -v" -list -v -keystore "$ks" -storepass wrongpw
done
same_err "unknown alias" -exportcert -alias nope -keystore a.jks -storepass changeit
same_err "unknown alias -v" -exportcert -v -alias nope -keystore a.jks -storepass changeit
same_err "missing store" -list -keystore missing.jks -storepass changeit
same_err "missing store -v" -list -v -keystore missing.jks -storepass changeit
same_err "-delete unknown alias" -delete -alias nope -keystore a.jks -storepass changeit
same_err "-printcert missing file" -printcert -file missing.crt
same_err "-exportcert into a missing directory" -exportcert -alias ec1 -keystore a.jks \
    -storepass changeit -file nodir/x.crt
# JDK 25's keytool prints its error line on standard output too
KT25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/keytool
if [ -x "$KT25" ]; then
    for args in "-list -keystore missing.jks -storepass changeit" \
        "-list -keystore d.p12 -storepass wrongpw" \
        "-exportcert -alias nope -keystore a.jks -storepass changeit"; do
        "$KT25" $J $args 2>/dev/null >kt.out
        krc=$?
        jk $args 2>/dev/null >jk.out
        jrc=$?
        check "keytool 25 $args: same stdout and exit ($jrc, $krc)" \
            sh -c "cmp -s kt.out jk.out && [ $jrc = $krc ]"
    done
fi
jk -list -keystore a.jks -storepass changeit -providername SUN >jk.out 2>/dev/null
check "unsupported option: exit 1" [ $? = 1 ]
check "unsupported option: named on stdout" grep -q -- "-providername" jk.out
jk -identitydb -file x.db >jk.out 2>/dev/null
check "unsupported command: exit 1, named" grep -q -- "-identitydb" jk.out

# ---- -exportcert and -printcert: byte for byte ----
for ks in a.jks d.p12; do
    al=$([ "$ks" = a.jks ] && echo k1 || echo leaf)
    kt -exportcert -rfc -alias $al -keystore $ks -storepass changeit -file kt.pem
    jk -exportcert -rfc -alias $al -keystore $ks -storepass changeit -file jk.pem 2>jk.err
    check "-exportcert -rfc $ks equals keytool's" cmp -s kt.pem jk.pem
    check "-exportcert tells where" grep -q "Certificate stored in file <jk.pem>" jk.err
    kt -exportcert -alias $al -keystore $ks -storepass changeit >kt.der
    jk -exportcert -alias $al -keystore $ks -storepass changeit >jk.der 2>/dev/null
    check "-exportcert DER $ks to stdout equals keytool's" cmp -s kt.der jk.der
done
cat leaf.crt ca.pem >two.pem
for f in leaf.crt ca.pem two.pem kt.der; do
    same_out "-printcert $f" -printcert -file $f
    same_out "-printcert -rfc $f" -printcert -rfc -file $f
done

# ---- -importcert: trusted certificates, then a CA reply ----
jk -importcert -noprompt -alias myca -file ca.pem -keystore new.p12 -storepass changeit 2>jk.err
check "-importcert into a new store: message" grep -q "Certificate was added to keystore" jk.err
kt -list -keystore new.p12 -storepass changeit -storetype PKCS12 >kt.out
check "keytool reads the new PKCS12 store with the trusted entry" grep -q "^myca, .*trustedCertEntry" kt.out
cp a.jks imp.jks
jk -importcert -noprompt -alias myca -file ca.pem -keystore imp.jks -storepass changeit 2>/dev/null
kt -list -alias myca -keystore imp.jks -storepass changeit >kt.out
fp=$(openssl x509 -in ca.pem -noout -fingerprint -sha256 | cut -d= -f2)
check "keytool sees the imported certificate in JKS" grep -q "$fp" kt.out
jk -importcert -noprompt -alias myca -file ca.pem -keystore imp.jks -storepass changeit >jk.err 2>/dev/null
check "-importcert onto an existing alias: keytool's refusal" \
    grep -q "Certificate not imported, alias <myca> already exists" jk.err
# genkeypair + certreq by jkstool keytool, signed by keytool -gencert, reply by jkstool keytool
jk -genkeypair -alias client -keyalg EC -groupname secp384r1 -dname "CN=client, O=Acme" \
    -ext eku=clientAuth -validity 10 -keystore gen.jks -storetype JKS -storepass changeit \
    -keypass keypass2 2>/dev/null
check "-genkeypair: exit 0" [ $? = 0 ]
kt -list -v -keystore gen.jks -storepass changeit >kt.out
check "keytool lists the generated key" grep -q "^Alias name: client" kt.out
check "keytool sees 384-bit EC" grep -q "384-bit EC (secp384r1) key" kt.out
check "keytool sees the validity" grep -q "^Valid from: .* until: " kt.out
check "-genkeypair -keypass: keytool opens the key with it" \
    ktok -certreq -alias client -keystore gen.jks -storepass changeit -keypass keypass2 -file kt.csr
jk -certreq -alias client -keystore gen.jks -storepass changeit -keypass keypass2 -file client.csr 2>/dev/null
check "-certreq writes keytool's PEM label" grep -q "^-----BEGIN NEW CERTIFICATE REQUEST-----" client.csr
q -gencert -alias ca -keystore ca.p12 -storepass changeit -infile client.csr -outfile client.crt -rfc
jk -importcert -noprompt -alias root -file ca.pem -keystore gen.jks -storepass changeit 2>/dev/null
jk -importcert -alias client -file client.crt -keystore gen.jks -storepass changeit \
    -keypass keypass2 2>jk.err
check "CA reply: message" grep -q "Certificate reply was installed in keystore" jk.err
kt -list -v -alias client -keystore gen.jks -storepass changeit >kt.out
check "keytool sees the reply's chain of 2" grep -q "Certificate chain length: 2" kt.out
check "keytool sees the CA as issuer" grep -q "^Issuer: CN=Root CA, O=Acme" kt.out
jk -genkeypair -alias client -keyalg RSA -dname CN=x -keystore gen.jks -storepass changeit >jk.err 2>/dev/null
check "-genkeypair onto an existing alias: keytool's refusal" \
    grep -q "Key pair not generated, alias <client> already exists" jk.err
jk -genkeypair -alias x -dname CN=x -keystore gen.jks -storepass changeit >jk.err 2>/dev/null
check "-genkeypair without -keyalg: keytool 17's refusal" grep -q "The -keyalg option must be specified" jk.err

# ---- -gencert: jkstool keytool signs, keytool reads and installs ----
GX=(-ext ku:c=digitalSignature -ext eku=serverAuth,clientAuth -ext bc=0 -ext san=dns:x.example,email:a@b.example,uri:https://a.example/)
jk -gencert -alias ca -keystore ca.p12 -storepass changeit -infile leaf.csr -outfile jleaf.crt -rfc "${GX[@]}" 2>jk.err
check "-gencert -rfc: exit 0" [ $? = 0 ]
gtext() { openssl x509 -in "$1" -noout -text -certopt no_serial,no_sigdump,no_validity | sed '/Signature Value/,$d'; }
check "-gencert: certificate text as keytool -gencert's (but serial, dates, signature)" \
    cmp -s <(gtext leaf.crt) <(gtext jleaf.crt)
check "-gencert -rfc: keytool's PEM layout (CRLF between base64 lines)" \
    sh -c "[ \"\$(head -1 jleaf.crt)\" = \"\$(head -1 leaf.crt)\" ] && grep -q \$(printf '\r') jleaf.crt && [ \"\$(tail -1 jleaf.crt)\" = \"\$(tail -1 leaf.crt)\" ]"
check "-gencert: openssl verifies it with the CA" sh -c 'openssl verify -CAfile ca.pem jleaf.crt >/dev/null 2>&1'
kt -printcert -file jleaf.crt >kt.out
check "keytool -printcert reads it, issuer the CA" grep -q "^Issuer: CN=Root CA, O=Acme" kt.out
# standard input and output, DER, -validity, -startdate, -sigalg
jk -gencert -alias ca -keystore ca.p12 -storepass changeit -validity 7 -startdate "2031/02/03 04:05:06" \
    -sigalg SHA384withRSA <kt.csr >jstd.der 2>/dev/null
check "-gencert without -infile/-outfile: DER on standard output" \
    sh -c 'openssl x509 -inform DER -in jstd.der -noout 2>/dev/null'
kt -printcert -file jstd.der >kt.out
check "-gencert -startdate/-validity as keytool shows them" \
    grep -q "^Valid from: Mon Feb 03 04:05:06 UTC 2031 until: Mon Feb 10 04:05:06 UTC 2031" kt.out
check "-gencert -sigalg" grep -q "^Signature algorithm name: SHA384withRSA" kt.out
# keytool installs a reply signed by jkstool keytool -gencert
cp gen.jks gen2.jks
jk -gencert -alias ca -keystore ca.p12 -storepass changeit -infile kt.csr -outfile kreply.crt -rfc 2>/dev/null
"$KT" $J -importcert -alias client -file kreply.crt -keystore gen2.jks -storepass changeit \
    -keypass keypass2 -noprompt >kt.out 2>&1
check "keytool installs our -gencert reply: $(head -c 200 kt.out)" grep -q "Certificate reply was installed" kt.out
# refusals with keytool's texts
openssl req -in leaf.csr -outform DER 2>/dev/null | python3 -c '
import sys
b = bytearray(sys.stdin.buffer.read()); b[b.find(b"leaf")] ^= 1; sys.stdout.buffer.write(b)' |
    openssl req -inform DER -out bad.csr 2>/dev/null
same_out "-gencert of a tampered request" -gencert -alias ca -keystore ca.p12 -storepass changeit -infile bad.csr
same_out "-gencert with no such alias" -gencert -alias nosuch -keystore ca.p12 -storepass changeit -infile leaf.csr
same_out "-gencert with a certificate entry" -gencert -alias trusted -keystore a.jks -storepass changeit -infile leaf.csr
jk -genkeypair -alias sd -keyalg EC -dname CN=sd -startdate 2030/01/02 -validity 3 -keystore sd.p12 \
    -storepass changeit 2>/dev/null
kt -list -v -keystore sd.p12 -storepass changeit >kt.out
check "-genkeypair -startdate yyyy/mm/dd" grep -q "^Valid from: Wed Jan 02 ..:..:.. UTC 2030 until: Sat Jan 05" kt.out

# ---- -delete ----
cp a.jks del.jks
jk -delete -alias trusted -keystore del.jks -storepass changeit 2>/dev/null
check "-delete: exit 0" [ $? = 0 ]
kt -list -keystore del.jks -storepass changeit >kt.out
check "keytool: 2 entries left" grep -q "Your keystore contains 2 entries" kt.out
check "keytool: deleted alias gone" sh -c '! grep -q "^trusted," kt.out'
check "-delete keeps the other key's own password (JKS)" \
    ktok -certreq -alias k1 -keystore del.jks -storepass changeit -keypass keypass1 -file x.csr
cp d.p12 del.p12
jk -delete -alias root -keystore del.p12 -storepass changeit 2>/dev/null
kt -list -keystore del.p12 -storepass changeit >kt.out
check "-delete PKCS12: keytool sees 2 entries" grep -q "Your keystore contains 2 entries" kt.out
check "-delete PKCS12: key still opens" \
    ktok -certreq -alias leaf -keystore del.p12 -storepass changeit -file x.csr
jk -delete -alias root -keystore del.p12 -storepass changeit >jk.err 2>/dev/null
check "-delete unknown alias: exit 1, message" grep -q "Alias <root> does not exist" jk.err

# ---- -changealias: keytool and jkstool keytool side by side ----
# same_change DESCRIPTION STDIN STORE ARGS...: keytool 17 and jkstool keytool
# each run -changealias ARGS on a copy of STORE under the same name (kt/,
# jk/; the messages name the file), STDIN on standard input: the same exit,
# the same stdout (keytool's Java stack frames dropped, as same_err does),
# the same stderr (prompts, warnings, -v's "[Storing ...]"), and keytool
# -list of the two results line for line the same.
same_change() {
    local d=$1 in=$2 ks=$3 krc jrc
    shift 3
    rm -rf kt jk && mkdir kt jk && cp "$ks" kt/ && cp "$ks" jk/
    (cd kt && printf "$in" | "$KT" $J -changealias "$@" -keystore "$ks" >out 2>err)
    krc=$?
    (cd jk && printf "$in" | "$JKSTOOL" keytool -changealias "$@" -keystore "$ks" >out 2>err)
    jrc=$?
    grep -v -e $'^\t' -e '^Caused by: ' kt/out >kt/out1
    check "$d: exit $jrc, keytool $krc" [ "$jrc" = "$krc" ]
    if cmp -s kt/out1 jk/out; then ok; else
        bad "$d: stdout differs from keytool's"
        diff kt/out1 jk/out | head -6 >&2
    fi
    if cmp -s kt/err jk/err; then ok; else
        bad "$d: stderr differs from keytool's"
        diff kt/err jk/err | head -6 >&2
    fi
    kt -list -keystore "kt/$ks" -storepass changeit | norm >kt/list
    kt -list -keystore "jk/$ks" -storepass changeit | norm >jk/list
    if cmp -s kt/list jk/list && [ -s kt/list ]; then ok; else
        bad "$d: keytool -list of the results differs"
        diff kt/list jk/list | head -6 >&2
    fi
}
same_change "-changealias JKS key, -keypass, mixed case" "" a.jks -alias K1 -destalias Web-Server \
    -keypass keypass1 -storepass changeit
check "-changealias: keytool lists web-server" grep -q "^web-server, .*PrivateKeyEntry" jk/list
check "-changealias: the key keeps its own password" \
    ktok -certreq -alias web-server -keystore jk/a.jks -storepass changeit -keypass keypass1 -file x.csr
check "-changealias: k1 is gone" sh -c '! grep -q "^k1," jk/list'
same_change "-changealias wrong -keypass" "" a.jks -alias k1 -destalias x -keypass wrongpw \
    -storepass changeit
check "-changealias wrong -keypass: keytool's message" grep -q "Cannot recover key" jk/out
same_change "-changealias -keypass that is the store password only" "" a.jks -alias k1 \
    -destalias x -keypass changeit -storepass changeit
same_change "-changealias key password typed" "keypass1\n" a.jks -alias k1 -destalias typed \
    -storepass changeit
check "-changealias typed: the prompt" grep -q "Enter key password for <k1>" jk/err
check "-changealias typed: the key opens with its password" \
    ktok -certreq -alias typed -keystore jk/a.jks -storepass changeit -keypass keypass1 -file x.csr
same_change "-changealias key password not typed" "" a.jks -alias k1 -destalias x -storepass changeit
check "-changealias not typed: keytool's message" grep -q "Too many failures" jk/out
same_change "-changealias key under the store password" "" a.jks -alias ec1 -destalias EC-Two \
    -storepass changeit
# (keytool decodes its arguments by the locale: UTF-8 for a non-ASCII alias)
LC_ALL=C.UTF-8 same_change "-changealias non-ASCII, -v" "" a.jks -alias trusted -destalias 'ÉTÉ-ca' -v \
    -storepass changeit
check "-changealias -v: [Storing a.jks]" grep -q '^\[Storing a.jks\]' jk/err
check "-changealias non-ASCII: keytool lists it lower-cased" grep -q "^été-ca, .*trustedCertEntry" jk/list
same_change "-changealias unknown alias" "" a.jks -alias nope -destalias x -storepass changeit
check "-changealias unknown alias: keytool's message" grep -q "Alias <nope> does not exist" jk/out
same_change "-changealias unknown alias -v" "" a.jks -alias nope -destalias x -v -storepass changeit
same_change "-changealias existing destination" "" a.jks -alias k1 -destalias TRUSTED \
    -keypass keypass1 -storepass changeit
check "-changealias existing: keytool's message" \
    grep -q "Destination alias <TRUSTED> already exists" jk/out
same_change "-changealias to its own alias in capitals" "" a.jks -alias trusted -destalias Trusted \
    -storepass changeit
same_change "-changealias destination typed" "Moved\n" a.jks -alias trusted -storepass changeit
check "-changealias destination typed: keytool lists moved" grep -q "^moved, " jk/list
same_change "-changealias destination empty" "\n" a.jks -alias trusted -storepass changeit
same_change "-changealias default alias mykey" "" a.jks -destalias x -storepass changeit
same_change "-changealias wrong store password" "" a.jks -alias k1 -destalias x -storepass wrongpw
same_change "-changealias JCEKS secret key" "" c.jceks -alias SEC -destalias AES-Key \
    -keypass changeit -storepass changeit
same_change "-changealias JCEKS key pair" "" c.jceks -alias ed -destalias Ed-2 -storepass changeit
same_change "-changealias PKCS12 key, -keypass ignored" "" d.p12 -alias Leaf -destalias Leaf-Cert \
    -keypass wrongpw -storepass changeit
check "-changealias PKCS12: keytool's -keypass warning" grep -q "Ignoring user-specified -keypass" jk/err
check "-changealias PKCS12: keytool lists leaf-cert" grep -q "^leaf-cert, .*PrivateKeyEntry" jk/list
check "-changealias PKCS12: the key opens" \
    ktok -certreq -alias leaf-cert -keystore jk/d.p12 -storepass changeit -file x.csr
same_change "-changealias PKCS12 existing destination" "" d.p12 -alias leaf -destalias ROOT \
    -storepass changeit
same_change "-changealias PKCS12 wrong store password" "" d.p12 -alias leaf -destalias x \
    -storepass wrongpw

# ---- -storepasswd, -keypasswd ----
cp a.jks pw.jks
jk -storepasswd -new newpass1 -keystore pw.jks -storepass changeit 2>/dev/null
check "-storepasswd JKS: keytool opens with the new password" \
    ktok -list -keystore pw.jks -storepass newpass1
check "-storepasswd JKS: old password refused" sh -c "! '$KT' -list -keystore pw.jks -storepass changeit >/dev/null 2>&1"
check "-storepasswd JKS: key password unchanged, as keytool" \
    ktok -certreq -alias k1 -keystore pw.jks -storepass newpass1 -keypass keypass1 -file x.csr
cp d.p12 pw.p12
jk -storepasswd -new newpass1 -keystore pw.p12 -storepass changeit 2>/dev/null
check "-storepasswd PKCS12: key opens with the new password" \
    ktok -certreq -alias leaf -keystore pw.p12 -storepass newpass1 -file x.csr
jk -storepasswd -new abc -keystore pw.p12 -storepass newpass1 >jk.err 2>/dev/null
check "-storepasswd short password: keytool's refusal" grep -q "at least 6 characters" jk.err
jk -keypasswd -alias k1 -keypass keypass1 -new keypass9 -keystore pw.jks -storepass newpass1 2>/dev/null
check "-keypasswd JKS: keytool opens the key with the new password" \
    ktok -certreq -alias k1 -keystore pw.jks -storepass newpass1 -keypass keypass9 -file x.csr
check "-keypasswd JKS: other key untouched" \
    ktok -certreq -alias ec1 -keystore pw.jks -storepass newpass1 -keypass changeit -file x.csr
jk -keypasswd -alias leaf -new keypass9 -keystore pw.p12 -storepass newpass1 >jk.err 2>/dev/null
rc=$?
check "-keypasswd PKCS12: exit 1" [ $rc = 1 ]
check "-keypasswd PKCS12: keytool's message" grep -q "not supported if -storetype is PKCS12" jk.err

# ---- -importkeystore ----
echo keypass1 | jk -importkeystore -srckeystore a.jks -srcstorepass changeit \
    -destkeystore all.p12 -deststorepass changeit -noprompt 2>jk.err
check "-importkeystore: keytool's summary" grep -q "3 entries successfully imported" jk.err
kt -list -keystore a.jks -storepass changeit | grep fingerprint | sort >fp1
kt -list -keystore all.p12 -storepass changeit | grep fingerprint | sort >fp2
check "-importkeystore: keytool sees the same certificates" cmp -s fp1 fp2
check "-importkeystore: key opens with the destination password" \
    ktok -certreq -alias k1 -keystore all.p12 -storepass changeit -file x.csr
jk -importkeystore -srckeystore d.p12 -srcstorepass changeit -srcalias leaf \
    -destkeystore one.jks -deststoretype JKS -deststorepass changeit -noprompt 2>/dev/null
kt -list -keystore one.jks -storepass changeit >kt.out
check "-importkeystore -srcalias into JKS: one entry" grep -q "Your keystore contains 1 entry" kt.out
check "-importkeystore -srcalias: the key" grep -q "^leaf, .*PrivateKeyEntry" kt.out
jk -importkeystore -srckeystore d.p12 -srcstorepass wrongpw -destkeystore x.p12 \
    -deststorepass changeit -noprompt >jk.err 2>/dev/null
check "-importkeystore wrong source password: exit 1, message" \
    grep -q "keystore password was incorrect" jk.err

# ---- -importkeystore as keytool does it (issue 15 items 3 and 4) ----
# twin FILES...: fresh directories kt/ and jk/ holding copies of FILES.
twin() {
    rm -rf kt jk
    mkdir kt jk
    for f in "$@"; do cp "$f" kt/ && cp "$f" jk/; done
}
# feed INPUT: INPUT's escapes as printf %b has them; @FILE: that file
feed() { case $1 in @*) cat "${1#@}" ;; *) printf '%b' "$1" ;; esac; }
# same_run DESCRIPTION INPUT ARGS...: keytool in kt/, jkstool keytool in jk/,
# INPUT (see feed) on standard input: the same stdout, stderr and exit code, the same
# files left, and each of them listed alike by keytool (store password $LP).
LP=changeit
same_run() {
    local d=$1 in=$2 krc jrc f
    shift 2
    (cd kt && feed "$in" | "$KT" $J "$@" >../kt.out 2>../kt.err)
    krc=$?
    (cd jk && feed "$in" | "$JKSTOOL" keytool "$@" >../jk.out 2>../jk.err)
    jrc=$?
    check "$d: exit $jrc, keytool $krc" [ "$jrc" = "$krc" ]
    if cmp -s kt.out jk.out && cmp -s kt.err jk.err; then ok; else
        bad "$d: stdout or stderr differs from keytool's"
        diff kt.out jk.out | head -6 >&2
        diff kt.err jk.err | head -10 >&2
    fi
    ls kt >kt.ls
    ls jk >jk.ls
    check "$d: the same files as keytool leaves" cmp -s kt.ls jk.ls
    for f in $(cat kt.ls); do
        (cd kt && "$KT" $J -list -keystore "$f" -storepass $LP 2>&1) >kt.l
        (cd jk && "$KT" $J -list -keystore "$f" -storepass $LP 2>&1) >jk.l
        if cmp -s kt.l jk.l; then ok; else
            bad "$d: keytool lists $f differently"
            diff kt.l jk.l | head -6 >&2
        fi
    done
}
# keyopens DIR STORE ALIAS KEYPASS: keytool opens the key with KEYPASS
keyopens() { (cd "$1" && "$KT" -certreq -alias "$3" -keystore "$2" -storepass $LP -keypass "$4" -file /dev/null >/dev/null 2>&1); }
q -genkeypair -alias own -keyalg EC -dname CN=own -storetype JCEKS -keystore own.jceks \
    -storepass changeit -keypass ownpass1
q -genseckey -alias sec -keyalg AES -keysize 128 -storetype JCEKS -keystore own.jceks \
    -storepass changeit -keypass changeit
q -importcert -noprompt -alias ca -file ca.pem -storetype JCEKS -keystore own.jceks -storepass changeit
q -importcert -noprompt -alias ca -file ca.pem -storetype JKS -keystore certs.jks -storepass changeit
q -importcert -noprompt -alias ec1 -file ec1.pem -storetype JKS -keystore certs.jks -storepass changeit
# item 3: keytool's migration command converts in place and keeps NAME.old
twin a.jks
same_run "in place JKS -> PKCS12" 'keypass1\n' -importkeystore -srckeystore a.jks \
    -destkeystore a.jks -deststoretype pkcs12 -srcstorepass changeit -deststorepass changeit
check "in place JKS -> PKCS12: the key opens with the store password" keyopens jk a.jks k1 changeit
twin own.jceks
same_run "in place JCEKS -> PKCS12" 'ownpass1\n' -importkeystore -srckeystore own.jceks \
    -destkeystore own.jceks -deststoretype pkcs12 -srcstorepass changeit
same_run "in place again: NAME.old2" '' -importkeystore -srckeystore own.jceks \
    -destkeystore own.jceks -deststoretype pkcs12 -srcstorepass changeit
twin a.jks
same_run "in place JKS -> JKS: backed up" 'keypass1\n' -importkeystore -srckeystore a.jks \
    -destkeystore a.jks -deststoretype JKS -srcstorepass changeit
check "in place JKS -> JKS: k1 keeps its password" keyopens jk a.jks k1 keypass1
check "in place JKS -> JKS: ec1 keeps its password" keyopens jk a.jks ec1 changeit
# item 4: into JKS/JCEKS each key keeps its password; JKS skips secret keys
twin own.jceks
same_run "JCEKS -> new JKS, -noprompt: the secret key skipped" 'ownpass1\n' -importkeystore \
    -srckeystore own.jceks -srcstorepass changeit -destkeystore new.jks -deststoretype JKS \
    -deststorepass changeit -noprompt
check "JCEKS -> JKS: the key keeps its own password" keyopens jk new.jks own ownpass1
same_run "JCEKS -> JKS again: overwrite without -noprompt asks" 'y\n' -importkeystore \
    -srckeystore own.jceks -srcstorepass changeit -srcalias own -srckeypass ownpass1 \
    -destkeystore new.jks -deststorepass changeit
twin own.jceks
same_run "JCEKS -> new JKS: asks whether to quit after the secret key" 'ownpass1\n' \
    -importkeystore -srckeystore own.jceks -srcstorepass changeit -destkeystore new.jks \
    -deststoretype JKS -deststorepass changeit
same_run "JCEKS -> new JCEKS keeps the secret key" 'ownpass1\n' -importkeystore \
    -srckeystore own.jceks -srcstorepass changeit -destkeystore new.jceks -deststoretype JCEKS \
    -deststorepass changeit
check "JCEKS -> JCEKS: the key keeps its own password" keyopens jk new.jceks own ownpass1
twin certs.jks a.jks
same_run "certificates only (cacerts) -> new JKS" '' -importkeystore -srckeystore certs.jks \
    -srcstorepass changeit -destkeystore new.jks -deststoretype JKS -deststorepass changeit
same_run "JKS -> new JKS: each key its own password" 'keypass1\n' -importkeystore \
    -srckeystore a.jks -srcstorepass changeit -destkeystore all.jks -deststoretype JKS \
    -deststorepass changeit
check "JKS -> JKS: k1 keeps keypass1" keyopens jk all.jks k1 keypass1
check "JKS -> JKS: ec1 keeps changeit" keyopens jk all.jks ec1 changeit
same_run "alias conflict, answered yes" 'y\n' -importkeystore -srckeystore a.jks \
    -srcstorepass changeit -srcalias trusted -destkeystore all.jks -deststorepass changeit
same_run "alias conflict, -noprompt overwrites" '' -importkeystore -srckeystore a.jks \
    -srcstorepass changeit -srcalias ec1 -destkeystore all.jks -deststorepass changeit -noprompt
same_run "-srcalias -destalias" '' -importkeystore -srckeystore a.jks -srcstorepass changeit \
    -srcalias trusted -destalias other -destkeystore all.jks -deststorepass changeit
same_run "-destkeypass into JKS" '' -importkeystore -srckeystore a.jks -srcstorepass changeit \
    -srcalias k1 -srckeypass keypass1 -destalias k2 -destkeypass newpass9 -destkeystore all.jks \
    -deststorepass changeit
check "-destkeypass: the key opens with it" keyopens jk all.jks k2 newpass9
same_run "-destkeypass into PKCS12: keytool's warning" '' -importkeystore -srckeystore a.jks \
    -srcstorepass changeit -srcalias ec1 -destkeypass other123 -destkeystore one.p12 \
    -deststorepass changeit
same_run "-srckeypass without -srcalias: keytool's refusal" '' -importkeystore \
    -srckeystore a.jks -srcstorepass changeit -srckeypass keypass1 -destkeystore x.p12 \
    -deststorepass changeit
same_run "wrong key password" 'wrongpw\n' -importkeystore -srckeystore a.jks \
    -srcstorepass changeit -srcalias k1 -destkeystore x.p12 -deststorepass changeit
same_run "no key password: three prompts" '' -importkeystore -srckeystore a.jks \
    -srcstorepass changeit -srcalias k1 -destkeystore x.p12 -deststorepass changeit
same_run "unknown -srcalias" '' -importkeystore -srckeystore a.jks -srcstorepass changeit \
    -srcalias nope -destkeystore x.p12 -deststorepass changeit
# keytool reads a yes/no answer with a fresh BufferedReader that swallows
# the rest of piped input (its next prompt then sees end of input and it
# ends in a NullPointerException); jkstool keytool reads line by line, as
# keytool does on a terminal: "no", then a new alias
(cd jk && printf 'n\nrenamed\n' | "$JKSTOOL" keytool -importkeystore -srckeystore a.jks \
    -srcstorepass changeit -srcalias trusted -destkeystore all.jks -deststorepass changeit \
    >../jk.out 2>../jk.err)
check "alias conflict answered no: the new alias asked" \
    grep -q $'Enter new alias name\t(RETURN to cancel import for this entry):  ' jk.err
check "alias conflict answered no: imported under the new alias" \
    sh -c "'$KT' -list -alias renamed -keystore jk/all.jks -storepass changeit >/dev/null 2>&1"
(cd jk && printf 'n\n\n' | "$JKSTOOL" keytool -importkeystore -srckeystore a.jks \
    -srcstorepass changeit -srcalias trusted -destkeystore all.jks -deststorepass changeit \
    >../jk.out 2>../jk.err)
check "alias conflict, RETURN: keytool's cancel message" \
    grep -q "Entry for alias trusted not imported.$" jk.err

# ---- -importcert asks as keytool does (issue 15 item 5) ----
cat leaf.crt ca.pem >reply2.pem
twin a.jks ca.pem leaf.crt ec1.pem d.p12 reply2.pem
same_run "-importcert: trust a self-signed certificate? no" 'n\n' -importcert -alias myca \
    -file ca.pem -keystore a.jks -storepass changeit
same_run "-importcert: trust a self-signed certificate? yes" 'yes\n' -importcert -alias myca \
    -file ca.pem -keystore a.jks -storepass changeit
same_run "-importcert: issued by a trusted certificate, no question" '' -importcert \
    -alias leafcert -file leaf.crt -keystore a.jks -storepass changeit
same_run "-importcert: a certificate already there, no" 'n\n' -importcert -alias dup \
    -file ec1.pem -keystore a.jks -storepass changeit
same_run "-importcert: a certificate already there, y" 'y\n' -importcert -alias dup \
    -file ec1.pem -keystore a.jks -storepass changeit
same_run "-importcert: -noprompt adds without asking" '' -importcert -alias dup2 \
    -file ec1.pem -keystore a.jks -storepass changeit -noprompt
same_run "-importcert: declined into a new store leaves no file" 'n\n' -importcert -alias x \
    -file ca.pem -keystore new.p12 -storepass changeit
same_run "-importcert: the certificate from standard input" @ca.pem -importcert -alias viastdin \
    -keystore new.p12 -storepass changeit -noprompt
same_run "-importcert: standard input, then the question sees its end" @leaf.crt -importcert \
    -alias viastdin2 -keystore new.p12 -storepass changeit
same_run "-importcert: empty standard input" '' -importcert -alias none -keystore new.p12 \
    -storepass changeit
twin d.p12 reply2.pem leaf.crt ca.pem
q -delete -alias root -keystore kt/d.p12 -storepass changeit
q -delete -alias root -keystore jk/d.p12 -storepass changeit
same_run "CA reply with an untrusted top: install anyway? no" 'n\n' -importcert -alias leaf \
    -file reply2.pem -keystore d.p12 -storepass changeit
same_run "CA reply with an untrusted top: install anyway? y" 'y\n' -importcert -alias leaf \
    -file reply2.pem -keystore d.p12 -storepass changeit
same_run "CA reply identical to the certificate" '' -importcert -alias leaf -file leaf.crt \
    -keystore d.p12 -storepass changeit

# ---- non-ASCII PKCS#12 passwords (issue 15 item 6): keytool 17 cannot
# encrypt a PKCS#12 under one ("Password is not ASCII") and writes nothing;
# this mode refuses the same way (JDK 25 would write what JDK 17 cannot open)
export LC_ALL=C.UTF-8
twin a.jks ec1.pem d.p12
same_run "non-ASCII PKCS#12 password: -importcert refused" '' -importcert -noprompt -alias c \
    -file ec1.pem -keystore na.p12 -storepass 'pässwörd'
same_run "non-ASCII PKCS#12 password: -importkeystore keys refused, then the store" \
    'keypass1\n' -importkeystore -srckeystore a.jks -srcstorepass changeit -destkeystore na.p12 \
    -deststorepass 'pässwörd' -noprompt
same_run "non-ASCII PKCS#12 password: -storepasswd refused" '' -storepasswd \
    -keystore d.p12 -storepass changeit -new 'pässwörd'
LP='pässwörd'
same_run "non-ASCII JKS password: written, as keytool" '' -storepasswd -keystore a.jks \
    -storepass changeit -new 'pässwörd'
LP=changeit
(cd kt && "$KT" $J -genkeypair -alias k -keyalg EC -dname CN=k -keystore g.p12 \
    -storepass 'pässwörd' >../kt.out 2>/dev/null)
krc=$?
(cd jk && "$JKSTOOL" keytool -genkeypair -alias k -keyalg EC -dname CN=k -keystore g.p12 \
    -storepass 'pässwörd' >../jk.out 2>/dev/null)
jrc=$?
check "non-ASCII PKCS#12 password: -genkeypair refused as keytool 17 ($jrc, $krc)" \
    sh -c "[ $jrc = $krc ] && cmp -s kt.out jk.out && [ ! -e jk/g.p12 ] && [ ! -e kt/g.p12 ]"
if [ -x "$KT25" ]; then
    "$KT25" $J -genkeypair -alias k -keyalg EC -dname CN=k -keystore kt/g25.p12 \
        -storepass 'pässwörd' >/dev/null 2>&1
    check "keytool 25 writes it, and keytool 17 cannot open what 25 wrote" \
        sh -c "[ -s kt/g25.p12 ] && ! '$KT' -list -keystore kt/g25.p12 -storepass 'pässwörd' >/dev/null 2>&1"
fi
export LC_ALL=C

# -J-Dkeystore.pkcs12.legacy takes effect (issue 13 item 6): the PKCS#12 is
# written with the algorithms keytool's own run writes (openssl names them)
p12algs() { openssl pkcs12 -info -in "$1" -passin pass:changeit -noout -legacy 2>&1 |
    grep -E '^(MAC:|PKCS7 Encrypted data:|Shrouded Keybag:)' | sed 's/, Iteration.*//' | sort; }
"$KT" $J -J-Dkeystore.pkcs12.legacy -importkeystore -srckeystore a.jks -srcstorepass changeit \
    -srcalias k1 -srckeypass keypass1 -destkeystore legacy-kt.p12 -deststorepass changeit -noprompt >/dev/null 2>&1
jk -J-Dkeystore.pkcs12.legacy -importkeystore -srckeystore a.jks -srcstorepass changeit \
    -srcalias k1 -srckeypass keypass1 -destkeystore legacy-jk.p12 -deststorepass changeit -noprompt >/dev/null 2>&1
p12algs legacy-kt.p12 >alg-kt
p12algs legacy-jk.p12 >alg-jk
check "-J-Dkeystore.pkcs12.legacy: keytool's run uses SHA-1 MAC" grep -q "MAC: sha1" alg-kt
check "-J-Dkeystore.pkcs12.legacy: the same algorithms as keytool's" cmp -s alg-kt alg-jk
jk -J-Dsome.property=1 -list -keystore legacy-jk.p12 -storepass changeit >/dev/null 2>jk.err
check "an unknown -J option is named on stderr" grep -q "JVM option -J-Dsome.property=1 has no effect" jk.err

# ---- issue 15 item 8: the warnings keytool prints ----
# both() DESC FIXTURES -- ARGS: each tool runs in its own directory on
# copies of the same fixtures (so paths in messages agree); stdout, stderr
# and exit code must be keytool 17's.
both() {
    local d=$1 f
    shift
    rm -rf kd jd && mkdir kd jd
    while [ "$1" != -- ]; do cp "$1" kd/ && cp "$1" jd/; shift; done
    shift
    (cd kd && "$KT" $J "$@" >../kt.out 2>../kt.err; echo "rc=$?" >>../kt.out)
    (cd jd && "$JKSTOOL" keytool "$@" >../jk.out 2>../jk.err; echo "rc=$?" >>../jk.out)
    if cmp -s kt.out jk.out && cmp -s kt.err jk.err; then ok; else
        bad "$d: stdout, stderr or exit differ from keytool's"
        diff kt.out jk.out | head -6 >&2
        diff kt.err jk.err | head -6 >&2
    fi
}
openssl req -x509 -newkey rsa:512 -nodes -keyout w1.key -subj /CN=r512 -days 30 -sha256 -out r512.pem 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout w2.key -subj /CN=md5 -days 30 -md5 -out md5.pem 2>/dev/null
openssl req -x509 -newkey rsa:1024 -nodes -keyout w3.key -subj /CN=r1024 -days 30 -sha1 -out r1024.pem 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime192v1 -nodes -keyout w4.key \
    -subj /CN=ec192 -days 30 -sha256 -out ec192.pem 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout w5.key -subj /CN=leaf -out w5.csr 2>/dev/null
openssl x509 -req -in w5.csr -CA r1024.pem -CAkey w3.key -set_serial 5 -sha1 -days 30 -out w5.pem 2>/dev/null
cat w5.pem r1024.pem >wchain.pem
q -genkeypair -alias weakkey -keyalg RSA -keysize 1024 -sigalg SHA1withRSA -dname CN=w \
    -storetype JKS -keystore weak.jks -storepass changeit -keypass changeit
q -importcert -noprompt -alias md5ca -file md5.pem -keystore weak.jks -storepass changeit
q -importcert -noprompt -alias r512 -file r512.pem -keystore weak.jks -storepass changeit
q -importcert -noprompt -alias r1024 -file r1024.pem -keystore weak.jks -storepass changeit
q -importcert -noprompt -alias ca -file ca.pem -storetype JKS -keystore certsw.jks -storepass changeit
for f in r512.pem md5.pem r1024.pem ec192.pem wchain.pem; do
    both "-printcert $f: markers and Warning block" $f -- -printcert -file $f
done
for a in "" -v -rfc "-alias weakkey" "-v -alias md5ca" "-v -alias r512"; do
    both "-list $a weak.jks: markers, <alias> warnings, migration line" weak.jks -- \
        -list $a -keystore weak.jks -storepass changeit
done
both "-exportcert of a weak certificate" weak.jks -- -exportcert -alias weakkey \
    -keystore weak.jks -storepass changeit -file o.der
both "-exportcert of a trusted 512-bit certificate" weak.jks -- -exportcert -rfc -alias r512 \
    -keystore weak.jks -storepass changeit
echo | (cd kd && "$KT" $J -list -keystore weak.jks 2>../kt.err >../kt.out)
echo | (cd jd && "$JKSTOOL" keytool -list -keystore weak.jks 2>../jk.err >../jk.out)
check "-list without a password: keytool's integrity warning and Warning block on stderr" \
    cmp -s kt.err jk.err
both "certificates-only JKS: no migration warning (-list)" certsw.jks -- \
    -list -keystore certsw.jks -storepass changeit
both "certificates-only JKS: no migration warning (-delete -v, [Storing])" certsw.jks -- \
    -delete -v -alias ca -keystore certsw.jks -storepass changeit
both "-importcert -v into a certificates-only JKS: [Storing], no migration line" certsw.jks -- \
    -importcert -v -noprompt -alias ok -file ../ca.pem -keystore certsw.jks -storepass changeit
both "-delete -v of a key: [Storing] and the migration line" weak.jks -- \
    -delete -v -alias md5ca -keystore weak.jks -storepass changeit

both "-genkeypair EC -keysize: keytool's deprecation warning" -- -genkeypair -alias e -keyalg EC \
    -keysize 384 -dname CN=e -keystore n.p12 -storepass changeit
both "-genkeypair -v: [Storing] after the Generating line" -- -genkeypair -v -alias e -keyalg EC \
    -keysize 256 -dname CN=e -keystore n.p12 -storepass changeit
both "-genkeypair -groupname with -keysize: keytool's refusal" -- -genkeypair -alias e -keyalg EC \
    -keysize 384 -groupname secp384r1 -dname CN=e -keystore n.p12 -storepass changeit
both "-genkeypair RSA 1024: 'The generated certificate' warning" -- -genkeypair -alias e \
    -keyalg RSA -keysize 1024 -dname CN=e -keystore n.p12 -storepass changeit
both "-certreq of a 1024-bit key: 'The generated certificate request' warning" weak.jks -- \
    -certreq -alias weakkey -keystore weak.jks -storepass changeit -file x.csr
both "-importcert of an MD5 certificate: 'The input' warning" md5.pem -- -importcert -noprompt \
    -alias m -file md5.pem -keystore n.p12 -storepass changeit
both "-importcert of a copy already trusted: signature unjudged" weak.jks md5.pem -- \
    -importcert -noprompt -alias m2 -file md5.pem -keystore weak.jks -storepass changeit

# -cacerts (issue 15 item 11): the system's cacerts, as keytool 17's (its cacerts links there);
# UTF-8 locale: under LC_ALL=C keytool prints a non-ASCII alias as "?" (not reproduced)
if [ -f /etc/ssl/certs/java/cacerts ]; then
    for a in "-list" "-exportcert -rfc -alias digicertglobalrootg2"; do
        LC_ALL=C.UTF-8 both "$a -cacerts" -- $a -cacerts -storepass changeit
    done
    both "-cacerts with -keystore: keytool's refusal" -- -list -cacerts -keystore x.jks -storepass changeit
fi

echo "keytool_compat.sh: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
