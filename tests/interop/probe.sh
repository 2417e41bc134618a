#!/usr/bin/env bash
# jkstool probe against `openssl s_server` on loopback (no network): a test PKI
# made with openssl, identity keystores made with `jkstool convert`, servers
# that require, strictly require, optionally request, or never request a client
# certificate, TLS 1.3 and 1.2. Checks exit codes and the JSON record (alert
# codes, acceptable CA names, the server chain's SHA-256 against openssl's own
# fingerprint), and, when a JDK is present, that Java's own client picks the
# same key and meets the same fate.
set -u
J=${JKSTOOL:?set JKSTOOL to the jkstool binary}
JAVA_HOME_17=${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
T=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
cd "$T" || exit 1

# ---- test PKI ----
mkca() {
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.pem" -subj "$2" -days 30 \
    -addext basicConstraints=critical,CA:true -addext keyUsage=critical,keyCertSign,cRLSign \
    2>/dev/null
}
mkleaf() { # name subject ca extensions
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null &&
    printf '%s\n' "$4" >"$1.ext" &&
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days 10 \
      -out "$1.pem" -extfile "$1.ext" 2>/dev/null
}
mkca ca "/O=Probe Test/CN=Probe Test CA" && mkca other "/O=Elsewhere/CN=Other CA" &&
  mkleaf server "/CN=localhost" ca $'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth' &&
  mkleaf client "/O=Probe Test/CN=good client" ca "extendedKeyUsage=clientAuth" &&
  mkleaf stranger "/CN=stranger" other "extendedKeyUsage=clientAuth" &&
  mkleaf old "/O=Probe Test/CN=old client" ca "extendedKeyUsage=serverAuth" ||
  { echo "FAIL: cannot make the test PKI"; exit 1; }
CA_SUBJECT="CN=Probe Test CA, O=Probe Test"
# issue 14 item 2: server certificates Java takes and OpenSSL's default security
# level refuses (RSA-1024 key, SHA-1 signature), and one the JDK refuses (RSA-768)
mksrv() { # name keybits digest
  openssl req -newkey "rsa:$2" -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=localhost" 2>/dev/null &&
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$1.ext" &&
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 10 "-$3" \
      -out "$1.pem" -extfile "$1.ext" 2>/dev/null
}
mksrv srv1024 1024 sha256 && mksrv srvsha1 2048 sha1 && mksrv srv768 768 sha256 &&
  openssl dhparam -out dh1024.pem 1024 2>/dev/null || { echo "FAIL: cannot make the weak server certificates"; exit 1; }
# item 3: an EC client key; a CA re-keyed under the same name and a client
# certificate from its other key; a server certificate for clientAuth only
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ecc.key -out ecc.csr \
  -subj "/O=Probe Test/CN=ec client" 2>/dev/null &&
  printf 'extendedKeyUsage=clientAuth\n' >ecc.ext &&
  openssl x509 -req -in ecc.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 10 -out ecc.pem \
    -extfile ecc.ext 2>/dev/null &&
  mkca ca2 "/O=Probe Test/CN=Probe Test CA" &&
  mkleaf rekeyed "/O=Probe Test/CN=rekeyed client" ca2 "extendedKeyUsage=clientAuth" &&
  mkleaf srvnoeku "/CN=localhost" ca $'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=clientAuth' ||
  { echo "FAIL: cannot make the item 3 certificates"; exit 1; }

# identity keystores, written by jkstool convert
SP=pass:changeit
cat client.key client.pem ca.pem >good.pem
cat stranger.key stranger.pem other.pem >stranger-in.pem
cat stranger-in.pem good.pem >mixed.pem
# two keys under the accepted CA (issue 14): "old client" (serverAuth only)
# comes first in SunX509's HashMap, "good client" is PKIX's choice
cat old.key old.pem ca.pem good.pem >renewed.pem
# item 4: a client certificate that expired 10 days ago, under the accepted CA
PY=/usr/bin/python3
"$PY" - <<'EOF' || { echo "FAIL: cannot make the expired client certificate"; exit 1; }
import datetime
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
ca = x509.load_pem_x509_certificate(open("ca.pem", "rb").read())
cakey = serialization.load_pem_private_key(open("ca.key", "rb").read(), None)
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
now = datetime.datetime.now(datetime.timezone.utc)
cert = (x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Probe Test"),
                                 x509.NameAttribute(NameOID.COMMON_NAME, "expired client")]))
        .issuer_name(ca.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=20)).not_valid_after(now - datetime.timedelta(days=10))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(cakey, hashes.SHA256()))
open("expired.pem", "wb").write(
    key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    + cert.public_bytes(serialization.Encoding.PEM) + open("ca.pem", "rb").read())
EOF
cat ecc.key ecc.pem ca.pem >ec.pem
cat rekeyed.key rekeyed.pem ca2.pem >rekeyedid.pem
for k in good:jks stranger-in:jks mixed:jks good:p12 renewed:jks ec:jks rekeyedid:jks expired:jks; do
  in=${k%%:*} ext=${k##*:} out=${k%%:*}.${k##*:}
  [ "$in" = stranger-in ] && out=stranger.jks
  "$J" convert "$in.pem" "$out" --out-storepass "$SP" >/dev/null 2>&1 ||
    { echo "FAIL: jkstool convert $in.pem $out"; exit 1; }
done
"$J" convert ca.pem ts.jks --out-storepass "$SP" >/dev/null 2>&1 || { echo "FAIL: truststore"; exit 1; }

# ---- servers ----
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
serve() { # name, then s_server options; sets port_NAME (SRV: the certificate's file name)
  local name=$1 port
  shift
  port=$(free_port)
  openssl s_server -accept "127.0.0.1:$port" -cert "${SRV:-server}.pem" -key "${SRV:-server}.key" -www "$@" \
    </dev/null >"s_$name.log" 2>&1 &
  pids+=($!)
  eval "port_$name=$port"
}
serve lax -Verify 1 -CAfile ca.pem                                  # requires one, takes any
serve strict -Verify 1 -CAfile ca.pem -verify_return_error          # requires one from ca
serve strict12 -Verify 1 -CAfile ca.pem -verify_return_error -tls1_2
serve optional -verify 1 -CAfile ca.pem -verify_return_error        # asks, does not require
serve noreq                                                         # never asks
# item 2: what Java takes and OpenSSL's default level refuses, and the reverse
SRV=srv1024 serve rsa1024 -cipher 'DEFAULT:@SECLEVEL=0'
SRV=srvsha1 serve sha1 -cipher 'DEFAULT:@SECLEVEL=0'
SRV=srv768 serve rsa768 -cipher 'DEFAULT:@SECLEVEL=0'
serve dh1024 -tls1_2 -cipher 'DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0' -dhparam dh1024.pem
serve tlsrsa -tls1_2 -cipher AES128-GCM-SHA256                      # RSA key exchange only
serve noca -Verify 1 -CAfile ca.pem -verify_return_error -no_ca_names
# item 3: RSA signatures only from clients; a server certificate without serverAuth
serve rsaonly -Verify 1 -CAfile ca.pem -verify_return_error \
  -client_sigalgs 'rsa_pss_rsae_sha256:RSA+SHA256:rsa_pss_rsae_sha384:RSA+SHA384'
SRV=srvnoeku serve noeku
for n in lax strict strict12 optional noreq rsa1024 sha1 rsa768 dh1024 tlsrsa noca rsaonly noeku; do
  for _ in $(seq 50); do grep -q ACCEPT "s_$n.log" && break; sleep 0.1; done
  grep -q ACCEPT "s_$n.log" || { echo "FAIL: s_server $n did not start: $(cat "s_$n.log")"; exit 1; }
done
# a port that accepts TCP but never speaks (handshake timeout)
silent_port=$(free_port)
python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(8); time.sleep(120)' \
  "$silent_port" &
pids+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$silent_port") 2>/dev/null && break; sleep 0.1; done
closed_port=$(free_port) # nothing listens here

# run NAME EXPECTED_EXIT ARGS...: jkstool probe --json, output in NAME.json
run() {
  local name=$1 want=$2 rc=0
  shift 2
  "$J" probe --json "$@" >"$name.json" 2>"$name.err" || rc=$?
  if [ "$rc" != "$want" ]; then
    bad "$name: exit $rc, want $want: $(cat "$name.err") $(cat "$name.json")"
    return 1
  fi
  python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$name.json" 2>/dev/null ||
    { bad "$name: output is not JSON: $(cat "$name.json")"; return 1; }
}
# expect NAME PYTHON-EXPRESSION over d (the JSON record)
expect() {
  python3 - "$1.json" "$2" "$CA_SUBJECT" 2>/dev/null <<'EOF' && ok || bad "$1: $2: $(cat "$1.json")"
import json, sys
d = json.load(open(sys.argv[1]))
ca = sys.argv[3]
assert eval(sys.argv[2]), sys.argv[2]
EOF
}
L=127.0.0.1

# 1. good client, server takes any: accepted; CA list; chain hash equals openssl's
srv_sha=$(openssl x509 -in server.pem -outform DER | sha256sum | cut -d' ' -f1)
if run good-lax 0 good.jks --storepass "$SP" --connect "$L:$port_lax" --cafile ca.pem; then
  expect good-lax 'd["ok"] is True and d["presented"] is True and d["presented_alias"] == "good client"'
  expect good-lax 'ca in d["acceptable_cas"] and d["client_cert_requested"] is True'
  expect good-lax 'd["server_verified"] is True and d["verify_error"] is None and d["alert"] is None'
  expect good-lax 'd["protocol"] == "TLSv1.3" and d["server_chain"][0]["subject"] == "CN=localhost"'
  expect good-lax "d['server_chain'][0]['sha256'] == '$srv_sha'"
  expect good-lax 'set(d) >= {"connect","protocol","cipher","server_chain","server_verified","verify_error","client_cert_requested","acceptable_cas","presented_alias","presented","alert","ok","diagnosis","fix"}'
fi
# 2. strict server (verify errors fatal), TLS 1.3 and 1.2, JKS and PKCS#12
run good-strict 0 good.jks --storepass "$SP" --connect "$L:$port_strict" --cafile ca.pem &&
  expect good-strict 'd["ok"] and d["presented"] and d["alert"] is None'
run good-strict12 0 good.jks --storepass "$SP" --connect "$L:$port_strict12" --cafile ca.pem &&
  expect good-strict12 'd["ok"] and d["presented"] and d["protocol"] == "TLSv1.2"'
run good-p12 0 good.p12 --storepass "$SP" --connect "$L:$port_strict" --cafile ca.pem &&
  expect good-p12 'd["ok"] and d["presented_alias"] == "good client"'
# 3. key from another CA: Java picks none -> empty Certificate -> certificate_required (1.3)
#    or handshake_failure (1.2); the diagnosis names the acceptable CAs
run stranger 1 stranger.jks --storepass "$SP" --connect "$L:$port_strict" --cafile ca.pem &&
  expect stranger 'not d["ok"] and d["presented"] is False and d["java_alias"] is None and d["alert"]["code"] == 116' &&
  expect stranger '"acceptable CAs are " + ca in d["diagnosis"] and "Java would send no certificate" in d["diagnosis"] and "CN=Other CA" in d["diagnosis"]'
run stranger12 1 stranger.jks --storepass "$SP" --connect "$L:$port_strict12" --cafile ca.pem &&
  expect stranger12 'd["alert"]["code"] == 40 and d["alert"]["after_handshake"] is False and "no key whose issuer the server accepts" in d["diagnosis"]'
# 4. the same key forced with --alias: sent, and refused with unknown_ca; in TLS 1.3 the
#    alert arrives after our handshake finished
run forced 1 stranger.jks --storepass "$SP" --alias stranger --connect "$L:$port_strict" --cafile ca.pem &&
  expect forced 'd["presented"] and d["presented_alias"] == "stranger" and d["alert"] == {"code": 48, "name": "unknown_ca", "after_handshake": True}' &&
  expect forced '"does not trust your issuer CN=Other CA, O=Elsewhere" in d["diagnosis"] and "truststore" in d["fix"]'
run forced12 1 stranger.jks --storepass "$SP" --alias stranger --connect "$L:$port_strict12" --cafile ca.pem &&
  expect forced12 'd["presented"] and d["alert"]["code"] == 48 and d["alert"]["after_handshake"] is False'
# 5. two keys, the matching one second: Java's choice (the issuer match) is presented
run mixed 0 mixed.jks --storepass "$SP" --connect "$L:$port_strict" --cafile ca.pem &&
  expect mixed 'd["presented_alias"] == "good client" and d["java_alias"] == "good client"'
# two qualifying keys: each key manager's own choice is presented, both are named
run renewed-sun 1 renewed.jks --storepass "$SP" --connect "$L:$port_strict" --cafile ca.pem &&
  expect renewed-sun 'd["key_manager"] == "sunx509" and d["presented_alias"] == "old client" and d["qualifying_keys"] == 2 and d["sunx509_alias"] == "old client" and d["pkix_alias"] == "good client"'
run renewed-pkix 0 renewed.jks --storepass "$SP" --connect "$L:$port_strict" --cafile ca.pem --key-manager pkix &&
  expect renewed-pkix 'd["key_manager"] == "pkix" and d["presented_alias"] == "good client" and d["java_alias"] == "good client" and d["sunx509_alias"] == "old client"'
"$J" probe renewed.jks --storepass "$SP" --connect "$L:$port_strict" --cafile ca.pem 2>&1 |
  grep -q 'Warning: 2 keys qualify.*SunX509 (the JDK default) sends "old client", PKIX sends "good client"' &&
  ok || bad "renewed: no warning naming both key managers' choices"
# 6. client certificate optional, none matching: handshake done, but exit 1
run optional 1 stranger.jks --storepass "$SP" --connect "$L:$port_optional" --cafile ca.pem &&
  expect optional 'd["client_cert_requested"] and not d["presented"] and d["alert"] is None and "optional" in d["diagnosis"]'
# 7. server never asks
run noreq 0 good.jks --storepass "$SP" --connect "$L:$port_noreq" --cafile ca.pem &&
  expect noreq 'd["ok"] and d["client_cert_requested"] is False and d["presented"] is False and d["acceptable_cas"] == []'
# 8. server trust: another CA -> not verified, exit 1; Java truststore; host name
run untrusted 1 good.jks --storepass "$SP" --connect "$L:$port_noreq" --cafile other.pem &&
  expect untrusted 'd["server_verified"] is False and d["verify_error"] and "not trusted" in d["diagnosis"]'
run truststore 0 good.jks --storepass "$SP" --connect "localhost:$port_strict" --truststore ts.jks &&
  expect truststore 'd["server_verified"] and d["servername"] is None and d["ok"]'  # Java sends no SNI for localhost
run badname 1 good.jks --storepass "$SP" --connect "$L:$port_noreq" --servername wrong.example --cafile ca.pem &&
  expect badname 'd["verify_error"] == "hostname mismatch" and d["servername"] == "wrong.example"'
# 9. network: nothing listening, silent server (timeout), unresolvable name
run refused 5 good.jks --storepass "$SP" --connect "$L:$closed_port" --cafile ca.pem &&
  expect refused '"refused" in d["diagnosis"] and d["protocol"] is None'
start=$(date +%s)
run timeout 5 good.jks --storepass "$SP" --connect "$L:$silent_port" --timeout 1 --cafile ca.pem &&
  expect timeout '"timed out" in d["diagnosis"]'
# well under the default 10 s (the bound allows for a loaded machine: 2 cores, many jobs)
[ $(($(date +%s) - start)) -le 7 ] && ok || bad "timeout: --timeout 1 took $(($(date +%s) - start)) s"
run nodns 5 good.jks --storepass "$SP" --connect "no-such-host.invalid:443" &&
  expect nodns '"cannot resolve" in d["diagnosis"]'
# a key without a certificate is no identity: nothing to send to a server that requires one
run keyonly 1 ca.key --connect "$L:$port_lax" --cafile ca.pem &&
  expect keyonly 'not d["presented"] and "no usable private key entry" in d["diagnosis"]'
# 10. usage and keystore errors
usage() { # want args...
  local want=$1 rc=0
  shift
  "$J" probe "$@" >/dev/null 2>"$T/u.err" || rc=$?
  [ "$rc" = "$want" ] && ok || bad "probe $*: exit $rc, want $want ($(cat "$T/u.err"))"
}
usage 2 good.jks --storepass "$SP"
usage 2 good.jks --storepass "$SP" --connect "$L"
usage 2 good.jks --storepass "$SP" --connect "$L:99999"
usage 2 good.jks --storepass "$SP" --connect "$L:$port_lax" --alias nosuch
usage 2 good.jks --storepass "$SP" --connect "$L:$port_lax" --cafile ca.pem --truststore ts.jks
usage 3 good.jks --storepass pass:wrong --connect "$L:$port_lax"
head -c 100 good.jks >trunc.jks
usage 4 trunc.jks --storepass "$SP" --connect "$L:$port_lax"
usage 5 missing.jks --storepass "$SP" --connect "$L:$port_lax"
# text output carries the same verdict
"$J" probe stranger.jks --storepass "$SP" --connect "$L:$port_strict" --cafile ca.pem >text.out 2>&1
grep -q "^Result: FAILED" text.out && grep -q "^Acceptable client CAs (1):" text.out &&
  grep -q "^  $CA_SUBJECT\$" text.out && grep -q "^Alert received: certificate_required (116)" text.out &&
  ok || bad "text output: $(cat text.out)"

# 10b. issue 14 item 2: the JDK profile (--jdk, default 17) instead of OpenSSL's
#      security level: RSA-1024 and SHA-1 server certificates and 1024-bit DH pass,
#      RSA-768 is refused as jdk.certpath.disabledAlgorithms does; JDK 25 offers no
#      TLS_RSA_* suite; s_server -no_ca_names with -CAfile sends an empty
#      certificate_authorities extension in TLS 1.3, on which Java aborts
run rsa1024 0 good.jks --storepass "$SP" --connect "localhost:$port_rsa1024" --cafile ca.pem &&
  expect rsa1024 'd["ok"] and d["jdk"] == 17 and d["jdk_disabled"] is None and d["server_verified"]'
run sha1 0 good.jks --storepass "$SP" --connect "localhost:$port_sha1" --cafile ca.pem --jdk 25 &&
  expect sha1 'd["ok"] and d["jdk"] == 25 and d["server_verified"]'
run rsa768 1 good.jks --storepass "$SP" --connect "localhost:$port_rsa768" --cafile ca.pem &&
  expect rsa768 '"RSA keySize < 1024" in d["jdk_disabled"] and "A Java 17 client would abort" in d["diagnosis"]'
run dh1024 0 good.jks --storepass "$SP" --connect "localhost:$port_dh1024" --cafile ca.pem &&
  expect dh1024 'd["ok"] and d["cipher"] == "DHE-RSA-AES128-GCM-SHA256"'
run tlsrsa17 0 good.jks --storepass "$SP" --connect "localhost:$port_tlsrsa" --cafile ca.pem --jdk 17 &&
  expect tlsrsa17 'd["ok"] and d["cipher"] == "AES128-GCM-SHA256"'
run tlsrsa25 1 good.jks --storepass "$SP" --connect "localhost:$port_tlsrsa" --cafile ca.pem --jdk 25 &&
  expect tlsrsa25 'd["alert"]["code"] == 40 and "no TLS_RSA_* cipher suite" in d["diagnosis"]'
run noca 1 good.jks --storepass "$SP" --connect "localhost:$port_noca" --cafile ca.pem &&
  expect noca 'd["java_alias"] is None and d["acceptable_cas"] == [] and "empty certificate_authorities" in d["diagnosis"]'
usage 2 good.jks --storepass "$SP" --connect "$L:$port_lax" --jdk 11
"$J" probe good.jks --storepass "$SP" --connect "localhost:$port_noreq" --cafile ca.pem --jdk 21 2>&1 |
  grep -q '^Java profile: JDK 21 defaults' && ok || bad "text output names no JDK profile"

# 10c. issue 14 item 3: diagnoses that blame the right thing
run ecrsa 1 ec.jks --storepass "$SP" --connect "localhost:$port_rsaonly" --cafile ca.pem &&
  expect ecrsa 'd["java_alias"] is None and "is an EC key, but the server accepts only signatures made with RSA keys" in d["diagnosis"] and "issuer is accepted" in d["diagnosis"]'
run rekeyed 1 rekeyedid.jks --storepass "$SP" --connect "localhost:$port_strict" --cafile ca.pem &&
  expect rekeyed 'd["presented_alias"] == "rekeyed client" and d["alert"]["code"] in (48, 51) and "re-keyed" in d["diagnosis"] and "truststore" in d["fix"]'
run order 1 stranger.jks --storepass "$SP" --connect "localhost:$port_strict" --cafile other.pem &&
  expect order 'd["diagnosis"].startswith("The server\x27s certificate is not trusted") and "Then, past that: Your keystore has no key whose issuer" in d["diagnosis"]'
expect badname 'd["diagnosis"].startswith("Name mismatch (only HTTPS clients check names)") and "untrusted" not in d["diagnosis"]'
run optnokey 1 ca.key --connect "$L:$port_optional" --cafile ca.pem &&
  expect optnokey '"asks for (without requiring)" in d["diagnosis"] and "requires" not in d["diagnosis"]'
run noeku 1 good.jks --storepass "$SP" --connect "localhost:$port_noeku" --cafile ca.pem &&
  expect noeku 'd["verify_error"] == "unsuitable certificate purpose" and "lacks serverAuth" in d["diagnosis"] and "trusting its CA does not help" in d["fix"]'
keytool -importcert -noprompt -alias ca -file ca.pem -keystore ts-enc.p12 -storetype pkcs12 -storepass changeit >/dev/null 2>&1
keytool -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -J-Dkeystore.pkcs12.macAlgorithm=NONE -importcert \
  -noprompt -alias ca -file ca.pem -keystore ts-nopass.p12 -storetype pkcs12 -storepass changeit >/dev/null 2>&1
run nopassp12 0 good.jks --storepass "$SP" --connect "localhost:$port_strict" --truststore ts-nopass.p12 &&
  expect nopassp12 'd["ok"] and d["server_verified"]'
"$J" probe good.jks --storepass "$SP" --connect "localhost:$port_strict" --truststore ts-enc.p12 >/dev/null 2>encp12.err
[ $? = 3 ] && grep -q "its certificates are encrypted; give --truststore-pass" encp12.err && ok ||
  bad "encrypted p12 truststore without a password: $(cat encp12.err)"

# 10d. issue 14 item 4: a lenient server takes an expired certificate: the handshake is
#      what Java meets (java_outcome ok), the client-certificate checks still find it (exit 1);
#      errors before connecting are a JSON record with --json
run expired-lax 1 expired.jks --storepass "$SP" --connect "localhost:$port_lax" --cafile ca.pem &&
  expect expired-lax 'd["java_outcome"] == "ok" and d["presented_alias"] == "expired client" and d["alert"] is None and any(f["id"] == "expired" and f["severity"] == "error" for f in d["client_findings"]) and "stricter server would refuse" in d["diagnosis"]'
run good-findings 0 good.jks --storepass "$SP" --connect "localhost:$port_lax" --cafile ca.pem &&
  expect good-findings 'd["java_outcome"] == "ok" and all(f["severity"] != "error" for f in d["client_findings"])'
run wrongpass 3 good.jks --storepass pass:wrong --connect "$L:$port_lax" &&
  expect wrongpass 'd["stage"] == "keystore" and d["exit"] == 3 and not d["ok"] and "password" in d["error"]'
run badtrust 4 good.jks --storepass "$SP" --connect "$L:$port_lax" --truststore trunc.jks &&
  expect badtrust 'd["stage"] == "truststore" and d["exit"] == 4 and d["error"].startswith("trunc.jks")'

# 10e. issue 14 item 5: where the server's trust comes from. None given: the OS CA
#      store, said so; --java-cacerts: a JDK's cacerts, whose roots are jdkCA (so a SHA-1
#      server certificate under one is refused, as jdk.certpath.disabledAlgorithms says);
#      a keystore with trusted entries of its own doubles as truststore
run ostrust 1 good.jks --storepass "$SP" --connect "localhost:$port_noreq" &&
  expect ostrust 'd["trust_source"] == "os" and d["trust"].startswith("the OS CA store") and not d["server_verified"] and "OS CA store" in d["diagnosis"]'
cp ts.jks cacerts
run javacacerts 0 good.jks --storepass "$SP" --connect "localhost:$port_noreq" --java-cacerts cacerts &&
  expect javacacerts 'd["trust_source"] == "java-cacerts" and d["server_verified"] and d["ok"]'
run jdkca-sha1 1 good.jks --storepass "$SP" --connect "localhost:$port_sha1" --java-cacerts cacerts &&
  expect jdkca-sha1 '"SHA1 jdkCA & usage TLSServer" in d["jdk_disabled"]'
run javacacerts-17 1 good.jks --storepass "$SP" --connect "localhost:$port_noreq" \
  --java-cacerts "$JAVA_HOME_17/lib/security/cacerts" &&
  expect javacacerts-17 'd["trust_source"] == "java-cacerts" and not d["server_verified"]'
cp good.jks both.jks
keytool -importcert -noprompt -alias myca -file ca.pem -keystore both.jks -storepass changeit >/dev/null 2>&1
run owntrust 0 both.jks --storepass "$SP" --connect "localhost:$port_strict" &&
  expect owntrust 'd["trust_source"] == "keystore" and d["server_verified"] and "doubles as truststore" in d["trust"] and d["presented_alias"] == "good client"'
usage 2 good.jks --storepass "$SP" --connect "$L:$port_lax" --cafile ca.pem --java-cacerts cacerts

# 11. Java's own client (JDK 17, and 25 when present; SunX509 or PKIX key manager,
#     default TLS) with the same keystores against the same servers: same chosen
#     alias, same accept/refuse as our exit code with --jdk of that release.
#     Each comparison is logged (PROBE_SCENARIOS=FILE keeps the log).
JAVA_HOME_25=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
JDKS=()
[ -x "$JAVA_HOME_17/bin/java" ] && JDKS+=(17)
[ -x "$JAVA_HOME_25/bin/java" ] && JDKS+=(25)
if [ -x "$JAVA_HOME_17/bin/javac" ]; then
  cat >JavaProbe.java <<'EOF'
import java.io.*;
import java.net.*;
import java.security.*;
import java.security.cert.X509Certificate;
import javax.net.ssl.*;

public class JavaProbe {
    public static void main(String[] a) throws Exception {
        char[] pw = a[2].toCharArray();
        KeyStore ts = KeyStore.getInstance(new File(a[3]), pw);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ts);
        for (int i = 4; i < a.length; i++) {
            KeyStore ks = KeyStore.getInstance(new File(a[i]), pw);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(System.getProperty("km", "SunX509"));
            kmf.init(ks, pw);
            X509KeyManager km = (X509KeyManager) kmf.getKeyManagers()[0];
            String[] chosen = {"-"};
            X509KeyManager spy = new X509ExtendedKeyManager() {
                public String chooseClientAlias(String[] t, Principal[] iss, Socket s) {
                    String c = km.chooseClientAlias(t, iss, s);
                    // PKIX returns "uid.builder.alias"
                    chosen[0] = c == null ? "-" : c.matches("^\\d+\\.0\\..*") ? c.substring(c.indexOf('.', c.indexOf('.') + 1) + 1) : c;
                    return c;
                }
                public String[] getClientAliases(String t, Principal[] iss) { return km.getClientAliases(t, iss); }
                public String[] getServerAliases(String t, Principal[] iss) { return null; }
                public String chooseServerAlias(String t, Principal[] iss, Socket s) { return null; }
                public X509Certificate[] getCertificateChain(String al) { return km.getCertificateChain(al); }
                public PrivateKey getPrivateKey(String al) { return km.getPrivateKey(al); }
            };
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {spy}, tmf.getTrustManagers(), null);
            String verdict;
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(a[0], Integer.parseInt(a[1]))) {
                s.setSoTimeout(2000);
                s.startHandshake();
                try {
                    s.getInputStream().read();
                    verdict = "OK";
                } catch (SocketTimeoutException e) {
                    verdict = "OK";
                }
            } catch (IOException e) {
                verdict = "FAIL";
                System.err.println(a[i] + ": " + e);
            }
            System.out.println(a[i] + " " + verdict + " " + chosen[0]);
        }
    }
}
EOF
  mkdir -p cls && "$JAVA_HOME_17/bin/javac" -d cls JavaProbe.java || bad "javac JavaProbe.java"
  # compare SERVER KM KEYSTORE...: each JDK's client against jkstool probe --jdk N
  compare() {
    local srv=$1 km=$2 v ks port rc ours theirs home
    shift 2
    eval "port=\$port_$srv"
    for v in "${JDKS[@]}"; do
      home=$JAVA_HOME_17
      [ "$v" = 25 ] && home=$JAVA_HOME_25
      "$home/bin/java" -cp cls -Dkm="$km" JavaProbe localhost "$port" changeit ts.jks "$@" \
        >java.out 2>java.err
      for ks in "$@"; do
        rc=0
        "$J" probe --json "$ks" --storepass "$SP" --connect "localhost:$port" --truststore ts.jks \
          --key-manager "$(echo "$km" | tr A-Z a-z)" --jdk "$v" >"j-$srv.json" 2>/dev/null || rc=$?
        ours=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sys.argv[2], "OK" if d["java_outcome"] == "ok" else "FAIL", d["java_alias"] or "-")' \
          "j-$srv.json" "$ks" "$rc" 2>/dev/null)
        theirs=$(grep "^$ks " java.out)
        printf '%-8s %-7s JDK %s %-13s java: %-18s probe: %s\n' "$srv" "$km" "$v" "$ks" \
          "${theirs#"$ks "}" "${ours#"$ks "}" >>scenarios.txt
        [ "$ours" = "$theirs" ] && ok ||
          bad "Java $v ($km) vs probe --jdk $v, server $srv, $ks: probe [$ours], java [$theirs] $(cat java.err)"
      done
    done
  }
  compare strict SunX509 good.jks stranger.jks mixed.jks renewed.jks
  compare strict PKIX renewed.jks
  compare rsa1024 SunX509 good.jks
  compare sha1 SunX509 good.jks
  compare rsa768 SunX509 good.jks
  compare dh1024 SunX509 good.jks
  compare tlsrsa SunX509 good.jks
  compare noca SunX509 good.jks stranger.jks
  compare noca PKIX renewed.jks
  compare rsaonly SunX509 ec.jks
  compare strict SunX509 rekeyedid.jks
  compare noeku SunX509 good.jks
  compare lax SunX509 expired.jks
  [ -n "${PROBE_SCENARIOS:-}" ] && cp scenarios.txt "$PROBE_SCENARIOS"
  [ "${#JDKS[@]}" = 2 ] || { skip=$((skip + 1)); echo "SKIP: JDK 25 comparison ($JAVA_HOME_25 not found)"; }
else
  skip=$((skip + 1))
  echo "SKIP: Java client comparison ($JAVA_HOME_17/bin/javac not found)"
fi

echo "probe: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
