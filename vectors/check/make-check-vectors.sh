#!/usr/bin/env bash
# make-check-vectors.sh [OUTDIR]: build the keystores that provoke each finding of
# `jkstool check`, with JDK 17 keytool, OpenSSL and (for what keytool refuses to
# make) the KeyStore API through MakeCheck.java. Default OUTDIR: this directory.
#
# Every certificate has fixed dates (keytool -startdate), so the expected ids in
# expected.tsv hold at the --at time given there, whatever today is:
#   CA certificates   2020-01-01 .. 2039-12-27  (7300 days)
#   leaf certificates 2024-01-01 .. 2025-12-31  (730 days)
# Keys are new on every run; the expected ids do not depend on them.
# Every store and key password is "changeit" unless expected.tsv says otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here}
mkdir -p "$out"
out=$(cd "$out" && pwd)
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
OPENSSL=${OPENSSL:-openssl}
KT=$JDK17/bin/keytool
[ -x "$KT" ] || { echo "no JDK 17 keytool at $KT" >&2; exit 1; }

w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
pw=changeit
CA_START="2020/01/01 00:00:00"
LEAF_START="2024/01/01 00:00:00"
O="O=libjks check vectors,C=DE"

kt() {
  local o rc=0
  o=$("$KT" "$@" 2>&1 </dev/null) || rc=$?
  if [ $rc -ne 0 ]; then printf 'keytool %s failed:\n%s\n' "$*" "$o" >&2; return $rc; fi
}
ktout() { "$KT" "$@" 2>/dev/null </dev/null; }
first_pem() { awk '/BEGIN CERTIFICATE/{n++} n==1{print} /END CERTIFICATE/ && n==1{exit}'; }

# CAs: a root and an intermediate (basicConstraints cA).
kt -genkeypair -alias ca -keyalg RSA -keysize 2048 -sigalg SHA256withRSA -ext bc:c \
   -dname "CN=Check Root CA,$O" -startdate "$CA_START" -validity 7300 \
   -keystore ca.p12 -storetype PKCS12 -storepass $pw
ktout -exportcert -rfc -alias ca -keystore ca.p12 -storepass $pw > ca.pem
kt -genkeypair -alias inter -keyalg RSA -keysize 2048 -dname "CN=Check Intermediate CA,$O" \
   -startdate "$CA_START" -validity 7000 -keystore ca.p12 -storetype PKCS12 -storepass $pw
ktout -certreq -alias inter -keystore ca.p12 -storepass $pw > inter.csr
ktout -gencert -rfc -alias ca -keystore ca.p12 -storepass $pw -infile inter.csr -ext bc:c=0 \
      -startdate "$CA_START" -validity 7000 | first_pem > inter.pem

# key NAME [KEYTOOL-ARGS...]: a key pair in NAME.p12 (alias NAME), self-signed, 2024-2025.
key() {
  local n=$1; shift
  kt -genkeypair -alias "$n" -keyalg RSA -keysize 2048 -dname "CN=$n,$O" \
     -startdate "$LEAF_START" -validity 730 -keystore "$n.p12" -storetype PKCS12 \
     -storepass $pw "$@"
}
# sign NAME ISSUER [GENCERT-ARGS...]: NAME.pem, NAME's certificate issued by ISSUER.
sign() {
  local n=$1 by=$2; shift 2
  ktout -certreq -alias "$n" -keystore "$n.p12" -storepass $pw > "$n.csr"
  ktout -gencert -rfc -alias "$by" -keystore ca.p12 -storepass $pw -infile "$n.csr" \
        -startdate "$LEAF_START" -validity 730 "$@" | first_pem > "$n.pem"
}
# tojks NAME OUT [TYPE [DESTKEYPASS]]: copy key NAME into OUT (JKS by default).
tojks() {
  local n=$1 o=$2 t=${3:-JKS} kp=${4:-$pw}
  kt -importkeystore -srckeystore "$n.p12" -srcstoretype PKCS12 -srcstorepass $pw \
     -srcalias "$n" -destkeystore "$o" -deststoretype "$t" -deststorepass $pw -destkeypass "$kp"
}
trust() { kt -importcert -noprompt -alias "$2" -file "$3" -keystore "$1" -storetype JKS -storepass $pw; }
reply() { kt -importcert -noprompt -trustcacerts -alias "$2" -file "$3" -keystore "$1" -storepass $pw; }

# A CA-signed client (EKU clientAuth) and server (EKU serverAuth), keytool's way:
# the CA imported as trusted, then the reply onto the key's alias.
key client && sign client ca -ext EKU=clientAuth
tojks client client-ok.jks && trust client-ok.jks ca ca.pem && reply client-ok.jks client client.pem
key server && sign server ca -ext EKU=serverAuth -ext san=dns:localhost
tojks server server-ok.jks && trust server-ok.jks ca ca.pem && reply server-ok.jks server server.pem
# Truststore with the root only.
trust truststore.jks ca ca.pem
cp truststore.jks Truststore-Upper.jks
# Only the CA certificate, in a file not named like a truststore (the knowledge-base case).
cp truststore.jks onlyca.jks
# Empty: a key made and deleted.
key gone && tojks gone empty.jks && kt -delete -alias gone -keystore empty.jks -storepass $pw
# Self-signed identity.
key selfsigned && tojks selfsigned selfsigned.jks
# The reply imported under a new alias: it becomes a trustedCertEntry.
key replyk && sign replyk ca -ext EKU=clientAuth
tojks replyk reply-alias.jks && trust reply-alias.jks ca ca.pem && trust reply-alias.jks reply replyk.pem
# The CA only inside the key entry's chain (used as truststore).
cp client-ok.jks ca-in-chain.jks && kt -delete -alias ca -keystore ca-in-chain.jks -storepass $pw
# Weak key, SHA-1 signature, MD5 signature.
key weak -keysize 1024 && tojks weak weak-key.jks
key sha1 && sign sha1 ca -sigalg SHA1withRSA
tojks sha1 sha1.jks && trust sha1.jks ca ca.pem && reply sha1.jks sha1 sha1.pem
key md5 && sign md5 ca -sigalg MD5withRSA -ext bc:c=0
trust md5.jks ca ca.pem && trust md5.jks md5-ca md5.pem
# Two keys in a client keystore.
key one && key two && tojks one multi-key.jks && tojks two multi-key.jks
# A key password other than the store password.
key kp && tojks kp keypass.jks JKS otherpass
# An alias with capitals: CaseExactJKS writes it as given.
kt -genkeypair -alias MyKey -keyalg RSA -keysize 2048 -dname "CN=MyKey,$O" \
   -startdate "$LEAF_START" -validity 730 -keystore alias-case.jks -storetype CaseExactJKS \
   -storepass $pw
# Only a secret key.
kt -genseckey -alias aes -keyalg AES -keysize 128 -keystore secret-only.jceks -storetype JCEKS \
   -storepass $pw

# What keytool refuses: through the KeyStore API.
key leaf2 && sign leaf2 inter -ext EKU=clientAuth
{
  printf 'key\tmismatch.jks\tclient\tselfsigned.p12\tselfsigned\tclient.pem\tca.pem\n'
  printf 'trust\tmismatch.jks\tca\tca.pem\n'
  printf 'key\tchain-order.jks\tleaf2\tleaf2.p12\tleaf2\tleaf2.pem\tca.pem\tinter.pem\n'
  printf 'trust\tchain-order.jks\tca\tca.pem\n'
  printf 'key\tchain-incomplete.jks\tleaf2\tleaf2.p12\tleaf2\tleaf2.pem\tinter.pem\n'
  printf 'trust\tdup-trust.jks\tca\tca.pem\n'
  printf 'trust\tdup-trust.jks\tca-again\tca.pem\n'
} | "$JDK17/bin/java" "$here/MakeCheck.java"

# PKCS#12 from OpenSSL and keytool.
"$OPENSSL" pkcs12 -in client.p12 -passin pass:$pw -nocerts -nodes -out client.key 2>/dev/null
"$OPENSSL" pkcs12 -export -nokeys -in ca.pem -passout pass:$pw -out openssl-truststore.p12
"$OPENSSL" pkcs12 -export -legacy -inkey client.key -in client.pem -certfile ca.pem -name client \
  -passout pass:$pw -out openssl-legacy.p12
kt -importkeystore -srckeystore client-ok.jks -srcstoretype JKS -srcstorepass $pw \
   -destkeystore keytool-client.p12 -deststoretype PKCS12 -deststorepass $pw

# An encrypted PEM key (password otherpass) before its CA and its certificate.
"$OPENSSL" pkcs8 -topk8 -in client.key -passout pass:otherpass -v2 aes-256-cbc -out client-enc.key
cat client-enc.key ca.pem client.pem > enc-key.pem

for f in client-ok.jks server-ok.jks truststore.jks Truststore-Upper.jks onlyca.jks empty.jks \
         selfsigned.jks reply-alias.jks ca-in-chain.jks weak-key.jks sha1.jks md5.jks \
         multi-key.jks keypass.jks alias-case.jks secret-only.jceks mismatch.jks \
         chain-order.jks chain-incomplete.jks dup-trust.jks openssl-truststore.p12 \
         openssl-legacy.p12 keytool-client.p12 enc-key.pem; do
  cp "$f" "$out/$f"
done
echo "check vectors written to $out"
