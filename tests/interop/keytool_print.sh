#!/usr/bin/env bash
# Issue 15 item 11: the keytool mode's -printcertreq, -printcrl, -showinfo
# -tls and -printcert -sslserver against keytool of JDK 17 (the oracle, run
# at test time on the same files and servers): stdout, stderr and exit code
# compared byte for byte.
#  - -printcertreq over requests made by keytool -certreq (RSA, EC, Ed25519,
#    DSA; -ext san/ku/eku/bc) and by openssl req (attributes: challenge
#    password and unstructured name next to an extension request, a SAN
#    directory name, RSASSA-PSS keys and signatures, SHA-1 and RSA-1024 with
#    their (weak) markers and Warning block), from -file and standard input,
#    -v; errors: missing file, empty input, no PEM (a keystore), a bad
#    signature;
#  - -printcrl over CRLs made by openssl ca (empty, v1, revocations with
#    reasons, invalidity date, hold instruction, IDP/IAN/AIA/AKI with issuer
#    and serial, SHA-1), PEM, DER, two in one file, standard input, -rfc,
#    -keystore holding the issuer (Verified by) or not, -trustcacerts (a
#    cacerts under $JAVA_HOME holding the issuer: "in cacerts"); errors:
#    missing file, empty input;
#  - -showinfo with and without -tls;
#  - -printcert -sslserver against openssl s_server on a free port: RSA and EC
#    chains, a server that requires a client certificate, TLS 1.2 only, a
#    weak self-signed certificate (Warning block), -rfc, -v; errors:
#    connection refused, a server that does not speak TLS, an unknown host.
# Deliberate differences checked as such: a DER request is printed (keytool
# reads PEM only: "Too short"); the message of a request or CRL that does
# not parse is ours (keytool's is Java's parser's), the exception class and
# exit code are keytool's.
# Run by `make interop` with JKSTOOL set; cwd = repository root.
set -uo pipefail
JKSTOOL=${JKSTOOL:-build/jkstool}
case $JKSTOOL in /*) ;; *) JKSTOOL=$PWD/$JKSTOOL ;; esac
KT=keytool
for d in /usr/lib/jvm/*17*/bin; do [ -x "$d/keytool" ] && KT=$d/keytool && break; done
KTJ="-J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC" # C1 only, serial GC: less CPU per run, same output
"$KT" $KTJ -help >/dev/null 2>&1 || { echo "keytool_print.sh: SKIP (no keytool 17)"; exit 0; }
source "$(dirname "$0")/lib/assert.bash"
export HOME=$T/home # no ~/.keystore of the user's
mkdir -p "$HOME"

# same LABEL ARGS...: keytool 17 and the keytool mode, stdin from $IN (or
# nothing): stdout, stderr, exit code equal. With -v keytool's Java stack
# frames after the exception line are left out (not reproduced on purpose).
IN=/dev/null
same() {
    local label=$1
    shift
    "$KT" $KTJ "$@" <"$IN" >k.raw 2>k.err
    echo "rc=$?" >>k.raw
    grep -v -e $'^\tat ' -e '^Caused by: ' -e $'^\t\.\.\. ' k.raw >k.out
    "$JKSTOOL" keytool "$@" <"$IN" >j.out 2>j.err
    echo "rc=$?" >>j.out
    if cmp -s k.out j.out && cmp -s k.err j.err; then
        ok
    else
        bad "$label: differs from keytool 17: $(diff k.out j.out | head -6 | tr '\n' '|') $(diff k.err j.err | head -4 | tr '\n' '|')"
    fi
}
# differs LABEL EXC ARGS...: both exit 1 with "keytool error: EXC: ..." on stdout
differs_msg() {
    local label=$1 exc=$2
    shift 2
    "$KT" $KTJ "$@" <"$IN" >k.out 2>k.err
    local kr=$?
    "$JKSTOOL" keytool "$@" <"$IN" >j.out 2>j.err
    local jr=$?
    if [ $kr = 1 ] && [ $jr = 1 ] && grep -q "^keytool error: $exc: " k.out &&
        grep -q "^keytool error: $exc: " j.out && [ ! -s j.err ]; then
        ok
    else
        bad "$label: want exit 1 and keytool error: $exc from both ($kr/$jr): $(cat k.out j.out | head -4)"
    fi
}
free_port() {
    /usr/bin/python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

# ---- -printcertreq ----
P="-keystore ks.p12 -storepass changeit"
"$KT" $KTJ -genkeypair $P -alias rsa -keyalg RSA -keysize 2048 -dname 'CN=Test, O="A, B", C=US' >/dev/null 2>&1
"$KT" $KTJ -genkeypair $P -alias ec -keyalg EC -dname CN=ec >/dev/null 2>&1
"$KT" $KTJ -genkeypair $P -alias ed -keyalg Ed25519 -dname CN=ed >/dev/null 2>&1
"$KT" $KTJ -genkeypair $P -alias dsa -keyalg DSA -keysize 2048 -dname CN=dsa >/dev/null 2>&1
"$KT" $KTJ -certreq $P -alias rsa -file rsa.csr -ext san=dns:a.example,ip:10.0.0.1 \
    -ext ku=digitalSignature,keyEncipherment -ext eku=serverAuth,clientAuth
"$KT" $KTJ -certreq $P -alias ec -file ec.csr
"$KT" $KTJ -certreq $P -alias ed -file ed.csr -ext bc:c=ca:true,pathlen:2
"$KT" $KTJ -certreq $P -alias dsa -file dsa.csr
openssl req -new -newkey rsa:2048 -nodes -keyout o.key -subj "/CN=osl/O=Org/emailAddress=a@b.c" \
    -addext "subjectAltName=DNS:x.y,email:q@r.s,URI:http://u" -addext "basicConstraints=critical,CA:FALSE" \
    -addext "nsCertType=server" -addext "1.2.3.4=ASN1:UTF8String:hello" -out osl.csr 2>/dev/null
openssl req -new -key o.key -subj /CN=plain -out plain.csr
cat >req.cnf <<'EOF'
[req]
distinguished_name=dn
attributes=attrs
req_extensions=ext
prompt=no
[dn]
CN=attr
[attrs]
challengePassword=secret123
unstructuredName=Unstructured Inc
[ext]
subjectAltName=dirName:dir_sect,DNS:z.example
keyUsage=critical,digitalSignature
[dir_sect]
CN=Dir Name
O=Org, Inc.
EOF
openssl req -new -key o.key -config req.cnf -out attr.csr
openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out pss.key 2>/dev/null
openssl req -new -key pss.key -subj /CN=pss -out pss.csr
openssl req -new -key o.key -subj /CN=psssig -sigopt rsa_padding_mode:pss -out psssig.csr
openssl req -new -key o.key -subj /CN=sha1 -sha1 -out sha1.csr
openssl req -new -newkey rsa:1024 -nodes -keyout /dev/null -subj /CN=small -out small.csr 2>/dev/null
for f in rsa ec ed dsa osl plain attr pss psssig sha1 small; do
    check "$f.csr made" [ -s $f.csr ]
    same "-printcertreq $f.csr" -printcertreq -file $f.csr
done
same "-printcertreq -v" -printcertreq -v -file rsa.csr
IN=attr.csr same "-printcertreq from standard input" -printcertreq
IN=/dev/null
same "-printcertreq missing file" -printcertreq -file nope.csr
same "-printcertreq -v missing file (exception line)" -printcertreq -v -file nope.csr
same "-printcertreq empty file" -printcertreq -file /dev/null
same "-printcertreq of a keystore (no PEM)" -printcertreq -file ks.p12
/usr/bin/python3 - <<'EOF'
import base64
t = open('rsa.csr').read()
b = bytearray(base64.b64decode(''.join(l for l in t.splitlines() if not l.startswith('-----'))))
b[-5] ^= 1
open('badsig.csr', 'w').write('-----BEGIN NEW CERTIFICATE REQUEST-----\n' + base64.encodebytes(bytes(b)).decode()
                              + '-----END NEW CERTIFICATE REQUEST-----\n')
open('garbage.csr', 'w').write('-----BEGIN NEW CERTIFICATE REQUEST-----\nAAAA\n-----END NEW CERTIFICATE REQUEST-----\n')
EOF
same "-printcertreq bad signature" -printcertreq -file badsig.csr
differs_msg "-printcertreq garbage PEM" java.io.IOException -printcertreq -file garbage.csr
"$KT" $KTJ -exportcert -rfc $P -alias rsa -file rsa.pem 2>/dev/null
differs_msg "-printcertreq of a certificate" java.io.IOException -printcertreq -file rsa.pem
# DER: printed as the PEM request is (keytool: "Too short")
openssl req -in rsa.csr -outform DER -out rsa.der
"$JKSTOOL" keytool -printcertreq -file rsa.der >j.der 2>&1
"$JKSTOOL" keytool -printcertreq -file rsa.csr >j.pem 2>&1
check "-printcertreq DER request printed as its PEM" cmp -s j.der j.pem

# ---- -printcrl ----
mkdir ca && cd ca || exit 5
touch index.txt && echo 1000 >serial && echo 01 >crlnumber
cat >ca.cnf <<'EOF'
[ca]
default_ca=CA_default
[CA_default]
dir=.
database=./index.txt
new_certs_dir=.
serial=./serial
crlnumber=./crlnumber
default_md=sha256
default_days=365
default_crl_days=30
policy=pol
crl_extensions=crl_ext
[pol]
commonName=supplied
[crl_ext]
authorityKeyIdentifier=keyid:always
[crl_ext2]
authorityKeyIdentifier=keyid:always,issuer
issuerAltName=DNS:ca.example,email:ca@example.com
issuingDistributionPoint=critical,@idp
authorityInfoAccess=caIssuers;URI:http://ca.example/ca.crt
[idp]
fullname=URI:http://ca.example/crl
onlysomereasons=keyCompromise
EOF
sed 's/^crl_extensions=crl_ext$//' ca.cnf >v1.cnf
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -subj "/CN=Root CA/O=Test" -days 3650 \
    -out root.pem -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
CA="-config ca.cnf -cert root.pem -keyfile root.key"
openssl ca $CA -gencrl -out empty.crl 2>/dev/null
openssl ca -config v1.cnf -cert root.pem -keyfile root.key -gencrl -out v1.crl 2>/dev/null
for n in 1 2 3 4 5; do
    openssl req -newkey rsa:2048 -nodes -keyout l$n.key -subj "/CN=leaf$n" -out l$n.csr 2>/dev/null
    openssl ca -batch $CA -in l$n.csr -out l$n.pem 2>/dev/null
done
openssl ca $CA -revoke l1.pem -crl_reason keyCompromise 2>/dev/null
openssl ca $CA -revoke l2.pem 2>/dev/null
openssl ca $CA -revoke l3.pem -crl_reason superseded 2>/dev/null
openssl ca $CA -gencrl -out rev.crl 2>/dev/null
openssl ca $CA -revoke l4.pem -crl_compromise 20260101120000Z 2>/dev/null
openssl ca $CA -revoke l5.pem -crl_hold holdInstructionReject 2>/dev/null
openssl ca $CA -gencrl -crlexts crl_ext2 -out full.crl 2>/dev/null
openssl ca $CA -gencrl -md sha1 -out sha1.crl 2>/dev/null
openssl crl -in rev.crl -outform DER -out rev.der
cat empty.crl rev.crl >two.crl
for f in empty.crl v1.crl rev.crl full.crl sha1.crl rev.der two.crl; do
    check "$f made" [ -s $f ]
    same "-printcrl $f" -printcrl -file $f
done
same "-printcrl -rfc" -printcrl -rfc -file rev.der
same "-printcrl -v" -printcrl -v -file full.crl
IN=rev.crl same "-printcrl from standard input" -printcrl
IN=/dev/null
"$KT" $KTJ -importcert -noprompt -alias root -file root.pem -keystore t.p12 -storepass changeit >/dev/null 2>&1
"$KT" $KTJ -importcert -noprompt -alias other -file l1.pem -keystore o.p12 -storepass changeit >/dev/null 2>&1
same "-printcrl verified by -keystore" -printcrl -file full.crl -keystore t.p12 -storepass changeit
same "-printcrl -keystore without the issuer" -printcrl -file rev.crl -keystore o.p12 -storepass changeit
same "-printcrl -trustcacerts, not in cacerts (keytool's shorter warning)" -printcrl -file rev.crl -trustcacerts
same "-printcrl -trustcacerts -keystore" -printcrl -file rev.crl -trustcacerts -keystore t.p12 -storepass changeit
# a cacerts holding the issuer (keytool 17 reads its own JDK's: the text is
# keytool's -keystore one with "cacerts" for "keystore")
mkdir -p jh/lib/security
"$KT" $KTJ -importcert -noprompt -alias root -file root.pem -keystore jh/lib/security/cacerts \
    -storepass changeit -storetype JKS >/dev/null 2>&1
"$KT" $KTJ -printcrl -file full.crl -keystore t.p12 -storepass changeit 2>&1 | sed 's/ in keystore / in cacerts /' >k.out
JAVA_HOME=$PWD/jh "$JKSTOOL" keytool -printcrl -file full.crl -trustcacerts >j.out 2>&1
check "-printcrl -trustcacerts verified by cacerts" cmp -s k.out j.out
same "-printcrl missing file" -printcrl -file nope.crl
same "-printcrl empty file" -printcrl -file /dev/null
differs_msg "-printcrl of a certificate" java.security.cert.CRLException -printcrl -file root.pem
cd .. || exit 5

# ---- -showinfo ----
same "-showinfo -tls" -showinfo -tls
same "-showinfo -tls -v" -showinfo -tls -v
same "-showinfo without -tls" -showinfo

# ---- -printcert -sslserver ----
openssl req -x509 -newkey rsa:2048 -nodes -keyout sroot.key -subj "/CN=Root CA/O=Test" -days 3650 \
    -out sroot.pem -addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >ext.cnf
openssl req -newkey rsa:2048 -nodes -keyout srv.key -subj /CN=localhost -out srv.csr 2>/dev/null
openssl x509 -req -in srv.csr -CA sroot.pem -CAkey sroot.key -CAcreateserial -days 365 \
    -extfile ext.cnf -out srv.pem 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ecroot.key \
    -subj "/CN=EC Root" -days 3650 -out ecroot.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout ecsrv.key \
    -subj /CN=ec.example.com -out ecsrv.csr 2>/dev/null
openssl x509 -req -in ecsrv.csr -CA ecroot.pem -CAkey ecroot.key -CAcreateserial -days 30 \
    -extfile ext.cnf -out ecsrv.pem 2>/dev/null
openssl req -x509 -newkey rsa:1024 -sha1 -nodes -keyout weak.key -subj /CN=weak -days 30 \
    -out weak.pem 2>/dev/null
server() { # LABEL s_server options: both tools against one server
    local label=$1
    shift
    local port
    port=$(free_port)
    openssl s_server -accept "$port" "$@" -quiet >/dev/null 2>&1 &
    local sp=$!
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.2
    done
    same "-sslserver $label" -printcert -sslserver "localhost:$port"
    same "-sslserver $label -rfc" -printcert -rfc -sslserver "localhost:$port"
    same "-sslserver $label -v (127.0.0.1)" -printcert -v -sslserver "127.0.0.1:$port"
    kill "$sp" 2>/dev/null
    wait "$sp" 2>/dev/null
}
server "RSA chain" -cert srv.pem -key srv.key -cert_chain sroot.pem
server "EC chain" -cert ecsrv.pem -key ecsrv.key -cert_chain ecroot.pem
server "client certificate required" -cert ecsrv.pem -key ecsrv.key -Verify 1 -CAfile ecroot.pem
server "TLS 1.2" -cert srv.pem -key srv.key -tls1_2
server "weak self-signed" -cert weak.pem -key weak.key -tls1_2 -cipher ALL:@SECLEVEL=0
port=$(free_port)
same "-sslserver connection refused" -printcert -sslserver "localhost:$port"
same "-sslserver -v connection refused" -printcert -v -sslserver "localhost:$port"
same "-sslserver bad port" -printcert -sslserver localhost:notaport
same "-sslserver unknown host" -printcert -sslserver host.invalid:443
/usr/bin/python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $port)); s.listen(5)
for i in range(1):
    c, _ = s.accept(); c.recv(100); c.sendall(b'HTTP/1.0 400 Bad\r\n\r\n'); c.close()
" &
pp=$!
sleep 0.5
"$KT" $KTJ -printcert -sslserver "localhost:$port" >k.out 2>k.err
echo "rc=$?" >>k.out
wait "$pp" 2>/dev/null
/usr/bin/python3 -c "
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $port)); s.listen(5)
c, _ = s.accept(); c.recv(100); c.sendall(b'HTTP/1.0 400 Bad\r\n\r\n'); c.close()
" &
pp=$!
sleep 0.5
"$JKSTOOL" keytool -printcert -sslserver "localhost:$port" >j.out 2>j.err
echo "rc=$?" >>j.out
wait "$pp" 2>/dev/null
check "-sslserver a server that does not speak TLS: as keytool 17" cmp -s k.out j.out

echo "keytool_print.sh: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
