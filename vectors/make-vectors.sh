#!/usr/bin/env bash
# make-vectors.sh OUTDIR: generate the libjks/jkstool interop test vectors.
#
# Builds keystores with JDK 17 keytool (and, when present, a few with Temurin 25,
# prefixed "jdk25-") and PKCS#12/PEM/DER files with OpenSSL 3.  For every vector
# NAME.EXT it writes:
#   OUTDIR/NAME.EXT        the store / PEM / DER file
#   OUTDIR/NAME.pass       the store password, one line (an empty line = empty password)
#   OUTDIR/NAME.keypass    only when key passwords differ from the store password:
#                          the key passwords, one per line
#   OUTDIR/manifest.tsv    one line per vector:
#                          NAME.EXT <TAB> storetype <TAB> storepass <TAB> keypasses(,) <TAB> notes
#                          (paths relative to OUTDIR; vectors/gen-expected.sh turns it
#                          into vectors/manifest.tsv with paths relative to vectors/)
# Keys are random on every run; regenerate the expected results (gen-expected.sh)
# together with the files.
#
# Environment overrides: JDK17=/path/to/jdk17  JDK25=/path/to/jdk25  OPENSSL=openssl
set -euo pipefail

out=${1:?usage: $0 OUTDIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export LC_ALL=C.UTF-8        # keytool must see the non-ASCII aliases/passwords as UTF-8

JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
OPENSSL=${OPENSSL:-openssl}
KT17=$JDK17/bin/keytool
[ -x "$KT17" ] || { echo "no JDK 17 keytool at $KT17" >&2; exit 1; }

mkdir -p "$out"
out=$(cd "$out" && pwd)
# Remove only what this script makes.
rm -f "$out"/*.jks "$out"/*.jceks "$out"/*.p12 "$out"/*.pem "$out"/*.der \
      "$out"/*.pass "$out"/*.keypass "$out"/manifest.tsv
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"

pw=changeit
JOPTS=(-J-Dfile.encoding=UTF-8 -J-Dsun.jnu.encoding=UTF-8)

# keytool wrapper: drop the "migrate to PKCS12" nag and prompts; fail on error.
ktrun() {
  local tool=$1; shift
  local o rc=0
  o=$("$tool" "${JOPTS[@]}" "$@" 2>&1 </dev/null) || rc=$?
  if [ $rc -ne 0 ]; then
    printf 'keytool %s failed:\n%s\n' "$*" "$o" >&2
    return $rc
  fi
}
kt()   { ktrun "$KT17" "$@"; }
# keytool writing stdout (exportcert/certreq/gencert to stdout): keep stdout only.
ktout() { "$KT17" "${JOPTS[@]}" "$@" 2>/dev/null </dev/null; }
ossl() { "$OPENSSL" "$@"; }

# record NAME EXT STORETYPE STOREPASS KEYPASSES(comma) NOTES
record() {
  local name=$1 ext=$2 type=$3 sp=$4 kps=$5 notes=$6
  cp "$w/$name.$ext" "$out/$name.$ext"
  printf '%s\n' "$sp" > "$out/$name.pass"
  if [ -n "$kps" ]; then
    printf '%s\n' "$kps" | tr ',' '\n' > "$out/$name.keypass"
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$name.$ext" "$type" "$sp" "$kps" "$notes" >> "$out/manifest.tsv"
}

DN="O=libjks test vectors,C=DE"
VAL=(-validity 3650)

# genkey STORE TYPE ALIAS ALG SIZE-OR-CURVE [STOREPASS [KEYPASS [TOOL]]]
# SIZE-OR-CURVE "-": no -keysize (Ed25519, Ed448: the algorithm fixes the size).
# Extra keytool options (e.g. -J-Dkeystore.pkcs12.*) come from the array GENKEY_OPTS.
GENKEY_OPTS=()
genkey() {
  local store=$1 type=$2 alias=$3 alg=$4 size=$5 sp=${6:-$pw} kp=${7:-${6:-$pw}} tool=${8:-$KT17}
  local sz=(-keysize "$size") cn="$alias $alg $size"
  [ "$alg" = EC ] && sz=(-groupname "$size")
  [ "$size" = - ] && { sz=(); cn="$alias $alg"; }
  ktrun "$tool" "${GENKEY_OPTS[@]}" -genkeypair -alias "$alias" -keyalg "$alg" "${sz[@]}" "${VAL[@]}" \
    -dname "CN=$cn,$DN" -keystore "$store" -storetype "$type" \
    -storepass "$sp" -keypass "$kp"
}

# genseckey STORE TYPE ALIAS ALG SIZE [STOREPASS [KEYPASS [TOOL]]]
genseckey() {
  local store=$1 type=$2 alias=$3 alg=$4 size=$5 sp=${6:-$pw} kp=${7:-${6:-$pw}} tool=${8:-$KT17}
  local sz=()
  [ -n "$size" ] && sz=(-keysize "$size")
  ktrun "$tool" -genseckey -alias "$alias" -keyalg "$alg" "${sz[@]}" \
    -keystore "$store" -storetype "$type" -storepass "$sp" -keypass "$kp"
}

# trust STORE TYPE ALIAS CERTFILE [STOREPASS]
trust() {
  kt -importcert -noprompt -alias "$3" -file "$4" -keystore "$1" -storetype "$2" -storepass "${5:-$pw}"
}

# convert SRC SRCTYPE DST DSTTYPE [extra keytool args...]
convert() {
  local src=$1 st=$2 dst=$3 dt=$4; shift 4
  kt -importkeystore -noprompt -srckeystore "$src" -srcstoretype "$st" -srcstorepass "$pw" \
     -destkeystore "$dst" -deststoretype "$dt" -deststorepass "$pw" "$@"
}

# ---------------------------------------------------------------- a small CA
# root (RSA 2048, self-signed) -> inter (EC P-256, signed by root). Kept in ca.p12.
kt -genkeypair -alias root -keyalg RSA -keysize 2048 -validity 7300 -ext bc:c \
   -dname "CN=Vector Root CA,$DN" -keystore ca.p12 -storetype PKCS12 -storepass $pw -keypass $pw
kt -genkeypair -alias inter -keyalg EC -groupname secp256r1 -validity 7300 \
   -dname "CN=Vector Intermediate CA,$DN" -keystore ca.p12 -storetype PKCS12 -storepass $pw -keypass $pw
ktout -exportcert -rfc -alias root -keystore ca.p12 -storepass $pw > root.pem
ktout -certreq -alias inter -keystore ca.p12 -storepass $pw > inter.csr
ktout -gencert -rfc -alias root -keystore ca.p12 -storepass $pw -infile inter.csr \
      -ext bc:c=0 -ext ku:c=keyCertSign,cRLSign -validity 7000 > inter.pem
cat inter.pem root.pem > inter-chain.pem
kt -importcert -noprompt -alias inter -file inter-chain.pem -keystore ca.p12 -storetype PKCS12 -storepass $pw

# sign CSRFILE CA-ALIAS OUTPEM SAN
sign() {
  # keytool -gencert appends the issuer's chain (minus the root): keep only the new cert
  ktout -gencert -rfc -alias "$2" -keystore ca.p12 -storepass $pw -infile "$1" \
        -ext "san=dns:$4" -ext ku:c=digitalSignature,keyEncipherment -validity 3000 \
    | ossl x509 -out "$3"
}

# leaf_chain STORE TYPE ALIAS ALG SIZE DEPTH(2|3): key pair whose certificate is issued by
# root (depth 2) or inter (depth 3); "root" is imported as a trusted cert first.
leaf_chain() {
  local store=$1 type=$2 alias=$3 alg=$4 size=$5 depth=$6
  genkey "$store" "$type" "$alias" "$alg" "$size"
  trust "$store" "$type" root root.pem
  ktout -certreq -alias "$alias" -keystore "$store" -storetype "$type" -storepass $pw > "$alias.csr"
  if [ "$depth" = 3 ]; then
    sign "$alias.csr" inter "$alias.crt" "$alias.example"
    cat "$alias.crt" inter.pem root.pem > "$alias.reply"
  else
    sign "$alias.csr" root "$alias.crt" "$alias.example"
    cat "$alias.crt" root.pem > "$alias.reply"
  fi
  kt -importcert -noprompt -alias "$alias" -file "$alias.reply" -keystore "$store" \
     -storetype "$type" -storepass $pw -keypass $pw
}

# ================================================================ JKS (JDK 17)
for spec in "rsa2048 RSA 2048" "rsa1024 RSA 1024" "rsa4096 RSA 4096" \
            "ec256 EC secp256r1" "ec384 EC secp384r1" "ec521 EC secp521r1" "dsa DSA 2048"; do
  set -- $spec
  genkey "jks-$1.jks" JKS "$1" "$2" "$3"
  record "jks-$1" jks JKS $pw "" "one PrivateKeyEntry alias '$1', $2 $3, self-signed"
done

leaf_chain jks-chain3.jks JKS leaf RSA 2048 3
record jks-chain3 jks JKS $pw "" "PrivateKeyEntry 'leaf' (RSA) chain leaf<-inter(EC)<-root(RSA), 3 certs; TrustedCertEntry 'root'"

leaf_chain jks-chain2.jks JKS leaf EC secp256r1 2
kt -delete -alias root -keystore jks-chain2.jks -storetype JKS -storepass $pw
record jks-chain2 jks JKS $pw "" "PrivateKeyEntry 'leaf' (EC) chain leaf<-root, 2 certs; no trusted entry"

# trusted certificates only: root (RSA), inter (EC), and a self-signed one made by openssl
ossl req -x509 -newkey rsa:2048 -nodes -keyout ossl-selfsigned.key -subj "/CN=OpenSSL Self-Signed/O=libjks" \
     -days 3650 -out ossl-selfsigned.pem 2>/dev/null
trust jks-trusted.jks JKS root root.pem
trust jks-trusted.jks JKS Inter inter.pem
trust jks-trusted.jks JKS openssl-selfsigned ossl-selfsigned.pem
record jks-trusted jks JKS $pw "" "TrustedCertEntries only: root, inter (imported as 'Inter'), openssl-selfsigned"

genkey jks-keypass.jks JKS server RSA 2048 $pw keypass-1
record jks-keypass jks JKS $pw "keypass-1" "key password 'keypass-1' differs from store password"

genkey jks-twokeys.jks JKS alpha RSA 2048 $pw alpha-pw
genkey jks-twokeys.jks JKS beta EC secp256r1 $pw beta-pw
record jks-twokeys jks JKS $pw "alpha-pw,beta-pw" "two keys: 'alpha' (RSA, key pw alpha-pw), 'beta' (EC, key pw beta-pw)"

# aliases: upper case (keytool lower-cases them), non-ASCII, non-BMP (U+1D11E)
genkey jks-aliases.jks JKS "MixedCase" EC secp256r1
genkey jks-aliases.jks JKS "Ärger-€" EC secp256r1
genkey jks-aliases.jks JKS "𝄞-Clef" EC secp256r1
trust  jks-aliases.jks JKS "UPPER.Trust" root.pem
record jks-aliases jks JKS $pw "" "aliases given as MixedCase, Ärger-€, 𝄞-Clef (U+1D11E), UPPER.Trust; keytool lower-cases them (ärger-€, 𝄞-clef)"

genkey jks-storepass-nonascii.jks JKS server EC secp256r1 "störepass" "störepass"
record jks-storepass-nonascii jks JKS "störepass" "" "non-ASCII store (and key) password 'störepass'"

genkey jks-empty.jks JKS tmp EC secp256r1
kt -delete -alias tmp -keystore jks-empty.jks -storetype JKS -storepass $pw
record jks-empty jks JKS $pw "" "empty JKS (0 entries): key created then deleted"

genkey jks-mixed.jks JKS rsa RSA 2048
genkey jks-mixed.jks JKS ec EC secp384r1
genkey jks-mixed.jks JKS dsa DSA 2048
trust  jks-mixed.jks JKS root root.pem
trust  jks-mixed.jks JKS inter inter.pem
record jks-mixed jks JKS $pw "" "RSA, EC P-384, DSA keys plus trusted root and inter"

# ================================================================ JCEKS (JDK 17)
for spec in "rsa2048 RSA 2048" "ec256 EC secp256r1" "ec384 EC secp384r1" "ec521 EC secp521r1" "dsa DSA 2048"; do
  set -- $spec
  genkey "jceks-$1.jceks" JCEKS "$1" "$2" "$3"
  record "jceks-$1" jceks JCEKS $pw "" "one PrivateKeyEntry alias '$1', $2 $3, self-signed"
done

leaf_chain jceks-chain3.jceks JCEKS leaf EC secp384r1 3
record jceks-chain3 jceks JCEKS $pw "" "PrivateKeyEntry 'leaf' (EC P-384) chain leaf<-inter<-root, 3 certs; TrustedCertEntry 'root'"

genseckey jceks-secret.jceks JCEKS aes128 AES 128
genseckey jceks-secret.jceks JCEKS aes256 AES 256
genseckey jceks-secret.jceks JCEKS desede DESede 168
genseckey jceks-secret.jceks JCEKS des DES 56
genseckey jceks-secret.jceks JCEKS hmacsha256 HmacSHA256 256
record jceks-secret jceks JCEKS $pw "" "SecretKeyEntries: aes128, aes256, desede (24 bytes), des (8 bytes), hmacsha256 (32 bytes)"

genkey    jceks-keypass.jceks JCEKS server RSA 2048 $pw keypass-1
genseckey jceks-keypass.jceks JCEKS secret AES 128 $pw secret-pw
record jceks-keypass jceks JCEKS $pw "keypass-1,secret-pw" "private key pw 'keypass-1', secret key pw 'secret-pw' (store pw changeit)"

genkey    jceks-aliases.jceks JCEKS "MixedCase" EC secp256r1
genkey    jceks-aliases.jceks JCEKS "Ärger-€" EC secp256r1
genkey    jceks-aliases.jceks JCEKS "𝄞-Clef" EC secp256r1
genseckey jceks-aliases.jceks JCEKS "AES-Key" AES 128
trust     jceks-aliases.jceks JCEKS "UPPER.Trust" root.pem
record jceks-aliases jceks JCEKS $pw "" "aliases MixedCase, Ärger-€, 𝄞-Clef, AES-Key (secret), UPPER.Trust; lower-cased by keytool"

genkey    jceks-storepass-nonascii.jceks JCEKS server EC secp256r1 "störepass" $pw
genseckey jceks-storepass-nonascii.jceks JCEKS aes AES 128 "störepass" $pw
record jceks-storepass-nonascii jceks JCEKS "störepass" "$pw" "non-ASCII store password 'störepass'; key passwords 'changeit' (JDK 17 JCEKS key protection needs ASCII)"

convert jks-trusted.jks JKS jceks-trusted.jceks JCEKS
record jceks-trusted jceks JCEKS $pw "" "TrustedCertEntries only (converted from jks-trusted)"

genkey jceks-empty.jceks JCEKS tmp EC secp256r1
kt -delete -alias tmp -keystore jceks-empty.jceks -storetype JCEKS -storepass $pw
record jceks-empty jceks JCEKS $pw "" "empty JCEKS (0 entries)"

# ================================================================ PKCS#12 by JDK 17 keytool
genkey p12-jdk-rsa2048.p12 PKCS12 server RSA 2048
record p12-jdk-rsa2048 p12 PKCS12 $pw "" "JDK 17 default PKCS#12 (PBES2/AES-256, HmacPBESHA256 MAC), RSA key 'server'"
genkey p12-jdk-ec256.p12 PKCS12 ec EC secp256r1
record p12-jdk-ec256 p12 PKCS12 $pw "" "JDK 17 default PKCS#12, EC P-256 key 'ec'"
genkey p12-jdk-dsa.p12 PKCS12 dsa DSA 2048
record p12-jdk-dsa p12 PKCS12 $pw "" "JDK 17 default PKCS#12, DSA key 'dsa'"

leaf_chain p12-jdk-chain3.p12 PKCS12 leaf RSA 2048 3
record p12-jdk-chain3 p12 PKCS12 $pw "" "JDK 17 default PKCS#12: key 'leaf' chain of 3, TrustedCertEntry 'root'"

convert jks-rsa2048.jks JKS p12-jdk-legacy-rsa2048.p12 PKCS12 -J-Dkeystore.pkcs12.legacy
record p12-jdk-legacy-rsa2048 p12 PKCS12 $pw "" "JDK 17 legacy PKCS#12 (3DES key bag, RC2-40 certs, SHA-1 MAC), from jks-rsa2048"
convert jks-chain3.jks JKS p12-jdk-legacy-chain3.p12 PKCS12 -J-Dkeystore.pkcs12.legacy
record p12-jdk-legacy-chain3 p12 PKCS12 $pw "" "JDK 17 legacy PKCS#12 from jks-chain3 (key chain of 3 + trusted root)"

genseckey p12-jdk-secret.p12 PKCS12 aes128 AES 128
genseckey p12-jdk-secret.p12 PKCS12 aes256 AES 256
genseckey p12-jdk-secret.p12 PKCS12 hmacsha256 HmacSHA256 256
genseckey p12-jdk-secret.p12 PKCS12 desede DESede 168
record p12-jdk-secret p12 PKCS12 $pw "" "JDK 17 PKCS#12 secretBags: aes128, aes256, hmacsha256, desede"

genkey p12-jdk-aliases.p12 PKCS12 "MixedCase" EC secp256r1
genkey p12-jdk-aliases.p12 PKCS12 "Ärger-€" EC secp256r1
genkey p12-jdk-aliases.p12 PKCS12 "𝄞-Clef" EC secp256r1
trust  p12-jdk-aliases.p12 PKCS12 "UPPER.Trust" root.pem
record p12-jdk-aliases p12 PKCS12 $pw "" "JDK PKCS#12 aliases MixedCase, Ärger-€, 𝄞-Clef, UPPER.Trust (friendlyName keeps case)"

trust p12-jdk-trusted.p12 PKCS12 root root.pem
trust p12-jdk-trusted.p12 PKCS12 inter inter.pem
record p12-jdk-trusted p12 PKCS12 $pw "" "JDK PKCS#12 truststore (cert bags with Oracle trustedKeyUsage attribute)"

convert jks-chain3.jks JKS p12-jdk-nomac.p12 PKCS12 \
  -J-Dkeystore.pkcs12.macAlgorithm=NONE -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE
record p12-jdk-nomac p12 PKCS12 $pw "" "JDK PKCS#12 without MAC and with unencrypted cert bags (key bag still encrypted with 'changeit')"

# java.security properties, given to keytool as -J-D (names as in JDK 17's and 25's
# conf/security/java.security): one non-default algorithm per file
GENKEY_OPTS=(-J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA512)
genkey p12-jdk-macsha512.p12 PKCS12 ec EC secp256r1
GENKEY_OPTS=()
record p12-jdk-macsha512 p12 PKCS12 $pw "" "JDK 17 PKCS#12 with keystore.pkcs12.macAlgorithm=HmacPBESHA512 (SHA-512 MAC); EC P-256 key 'ec'"
GENKEY_OPTS=(-J-Dkeystore.pkcs12.keyProtectionAlgorithm=PBEWithHmacSHA512AndAES_256)
genkey p12-jdk-keysha512.p12 PKCS12 ec EC secp256r1
GENKEY_OPTS=()
record p12-jdk-keysha512 p12 PKCS12 $pw "" "JDK 17 PKCS#12 with keystore.pkcs12.keyProtectionAlgorithm=PBEWithHmacSHA512AndAES_256 (PBES2, PRF hmacWithSHA512); EC P-256 key 'ec'"
GENKEY_OPTS=(-J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE)
genkey p12-jdk-certnone.p12 PKCS12 ec EC secp256r1
GENKEY_OPTS=()
kt -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE -importcert -noprompt -alias root -file root.pem \
   -keystore p12-jdk-certnone.p12 -storetype PKCS12 -storepass $pw
record p12-jdk-certnone p12 PKCS12 $pw "" "JDK 17 PKCS#12 with keystore.pkcs12.certProtectionAlgorithm=NONE (cert bags unencrypted, SHA-256 MAC kept): EC key 'ec' + trusted 'root'"

# ================================================================ EdDSA and RSASSA-PSS keys (JDK 17)
# keytool -keyalg Ed25519 / Ed448 (size fixed by the algorithm) and RSASSA-PSS (no
# PSS parameters in the key; certificates signed with RSASSA-PSS/SHA-256), self-signed
for st in "jks JKS jks" "jceks JCEKS jceks" "p12-jdk PKCS12 p12"; do
  set -- $st
  pre=$1 type=$2 ext=$3
  for spec in "ed25519 Ed25519 -" "ed448 Ed448 -" "rsapss RSASSA-PSS 2048"; do
    set -- $spec
    genkey "$pre-$1.$ext" "$type" "$1" "$2" "$3"
    sz=""; [ "$3" != - ] && sz=" $3"
    record "$pre-$1" "$ext" "$type" $pw "" "$type by keytool 17: one PrivateKeyEntry alias '$1', $2$sz, self-signed"
  done
done

# ================================================================ OpenSSL PKCS#12 and PEM
# leaf key made by OpenSSL, certificate issued by the keytool CA (inter)
ossl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out ossl-leaf.key 2>/dev/null
ossl req -new -key ossl-leaf.key -subj "/CN=ossl-leaf.example/O=libjks test vectors" -out ossl-leaf.csr
sign ossl-leaf.csr inter ossl-leaf.pem ossl-leaf.example
cat inter.pem root.pem > cachain.pem
cat ossl-leaf.pem inter.pem root.pem > fullchain.pem
ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ossl-ec.key 2>/dev/null
ossl req -x509 -key ossl-ec.key -subj "/CN=ossl-ec.example" -days 3650 -out ossl-ec.pem

ossl pkcs12 -export -inkey ossl-leaf.key -in ossl-leaf.pem -certfile cachain.pem -name server \
  -out ossl-chain.p12 -passout pass:$pw
record ossl-chain p12 PKCS12 $pw "" "openssl pkcs12 -export (defaults: PBES2 AES-256, SHA-256 MAC): key 'server' + leaf + inter + root"

ossl pkcs12 -export -nokeys -in cachain.pem -out ossl-truststore.p12 -passout pass:$pw
record ossl-truststore p12 PKCS12 $pw "" "openssl -nokeys truststore (inter+root, no trustedKeyUsage): Java sees 0 entries"

ossl pkcs12 -export -inkey ossl-leaf.key -in ossl-leaf.pem -name server -out ossl-emptypass.p12 -passout pass:
record ossl-emptypass p12 PKCS12 "" "" "openssl -passout pass: (empty password); key 'server' + leaf"

ossl pkcs12 -export -legacy -inkey ossl-leaf.key -in ossl-leaf.pem -certfile cachain.pem -name server \
  -out ossl-legacy.p12 -passout pass:$pw
record ossl-legacy p12 PKCS12 $pw "" "openssl -legacy (3DES key bag, RC2-40 cert bag, SHA-1 MAC, 2048 iterations): key 'server' + chain of 3"

ossl pkcs12 -export -keypbe AES-128-CBC -certpbe AES-128-CBC -inkey ossl-leaf.key -in ossl-leaf.pem \
  -certfile cachain.pem -name server -out ossl-aes128.p12 -passout pass:$pw
record ossl-aes128 p12 PKCS12 $pw "" "openssl -keypbe/-certpbe AES-128-CBC (PBES2); key 'server' + chain of 3"

ossl pkcs12 -export -nomac -inkey ossl-leaf.key -in ossl-leaf.pem -name server -out ossl-nomac.p12 -passout pass:$pw
record ossl-nomac p12 PKCS12 $pw "" "openssl -nomac: no MAC; OpenSSL 3.0 then also leaves the cert bag unencrypted; key bag PBES2 AES-256 with 'changeit'; key 'server' + leaf"

ossl pkcs12 -export -inkey ossl-ec.key -in ossl-ec.pem -name "EC-Key" -out ossl-ec.p12 -passout pass:$pw
record ossl-ec p12 PKCS12 $pw "" "openssl: EC P-256 key 'EC-Key' (mixed case friendlyName) + self-signed cert"

ossl pkcs12 -export -inkey ossl-leaf.key -in ossl-leaf.pem -out ossl-noname.p12 -passout pass:$pw
record ossl-noname p12 PKCS12 $pw "" "openssl without -name: no friendlyName (Java alias '1')"

# EdDSA and RSA-PSS keys made by OpenSSL (RSA-PSS with PSS parameters in the key)
ossl genpkey -algorithm ED25519 -out ossl-ed25519.key
ossl req -x509 -key ossl-ed25519.key -subj "/CN=ossl-ed25519.example" -days 3650 -out ossl-ed25519.pem
ossl pkcs12 -export -inkey ossl-ed25519.key -in ossl-ed25519.pem -name ed25519 -out ossl-ed25519.p12 -passout pass:$pw
record ossl-ed25519 p12 PKCS12 $pw "" "openssl: Ed25519 key 'ed25519' + self-signed cert (Java: key_alg EdDSA)"
ossl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -pkeyopt rsa_pss_keygen_md:sha256 \
  -pkeyopt rsa_pss_keygen_mgf1_md:sha256 -pkeyopt rsa_pss_keygen_saltlen:32 -out ossl-rsapss.key 2>/dev/null
ossl req -x509 -key ossl-rsapss.key -subj "/CN=ossl-rsapss.example" -days 3650 -out ossl-rsapss.pem
ossl pkcs12 -export -inkey ossl-rsapss.key -in ossl-rsapss.pem -name rsapss -out ossl-rsapss.p12 -passout pass:$pw
record ossl-rsapss p12 PKCS12 $pw "" "openssl: RSA-PSS 2048 key 'rsapss' restricted to SHA-256/MGF1-SHA-256/salt 32 (PSS parameters in key and SPKI) + self-signed cert"

# openssl pkcs12 -export options, on the small EC key (ossl-ec) unless a chain is needed
ossl_ec() { # NAME OPTIONS...: the EC key and its self-signed certificate, alias 'ec'
  local name=$1; shift
  ossl pkcs12 -export -inkey ossl-ec.key -in ossl-ec.pem -name ec -out "$name.p12" -passout pass:$pw "$@"
}
ossl_ec ossl-descert -descert
record ossl-descert p12 PKCS12 $pw "" "openssl -descert: cert bag encrypted with pbeWithSHA1And3-KeyTripleDES-CBC, key bag PBES2 AES-256; EC key 'ec'"
ossl_ec ossl-nopbe -keypbe NONE -certpbe NONE
record ossl-nopbe p12 PKCS12 $pw "" "openssl -keypbe NONE -certpbe NONE: plain keyBag and plain cert bag, SHA-256 MAC; Java ignores keyBag (0 entries)"
ossl_ec ossl-macsha512 -macalg sha512
record ossl-macsha512 p12 PKCS12 $pw "" "openssl -macalg sha512 (HMAC-SHA512 MAC, 64-byte MAC); EC key 'ec'"
ossl_ec ossl-macsha384 -macalg sha384
record ossl-macsha384 p12 PKCS12 $pw "" "openssl -macalg sha384 (HMAC-SHA384 MAC); EC key 'ec'"
ossl_ec ossl-maciter1 -nomaciter
record ossl-maciter1 p12 PKCS12 $pw "" "openssl -nomaciter: MAC iteration count 1 (the iterations field left out); EC key 'ec'"
ossl_ec ossl-noiter -noiter
record ossl-noiter p12 PKCS12 $pw "" "openssl -noiter: key and cert encryption with 1 PBKDF2 iteration; EC key 'ec'"
ossl_ec ossl-nomac-certnone -nomac -certpbe NONE
record ossl-nomac-certnone p12 PKCS12 $pw "" "openssl -nomac -certpbe NONE: no MAC, plain cert bag, key bag PBES2 AES-256 with 'changeit'; EC key 'ec'"
ossl_ec ossl-nomac-nopbe -nomac -keypbe NONE -certpbe NONE
record ossl-nomac-nopbe p12 PKCS12 $pw "" "openssl -nomac -keypbe NONE -certpbe NONE: nothing protected (plain keyBag, plain cert bag, no MAC); Java ignores keyBag (0 entries)"
ossl_ec ossl-keysig -keysig
record ossl-keysig p12 PKCS12 $pw "" "openssl -keysig: key usage attribute 2.5.29.15 = 0x80 (Microsoft AT_SIGNATURE) inside the PKCS#8 key; EC key 'ec'"
ossl pkcs12 -export -inkey ossl-leaf.key -in ossl-leaf.pem -name server -keyex -LMK \
  -CSP "Microsoft Enhanced RSA and AES Cryptographic Provider" -out ossl-keyex-csp.p12 -passout pass:$pw
record ossl-keyex-csp p12 PKCS12 $pw "" "openssl -keyex -LMK -CSP: key usage attribute 0x10 (AT_KEYEXCHANGE) inside the PKCS#8 key, Microsoft Local Key set and CSP Name bag attributes; RSA key 'server' + leaf"
ossl pkcs12 -export -inkey ossl-leaf.key -in ossl-leaf.pem -certfile cachain.pem -name server \
  -caname "Vector Intermediate CA" -caname "Vector Root CA" -out ossl-caname.p12 -passout pass:$pw
record ossl-caname p12 PKCS12 $pw "" "openssl -caname: friendlyName on the inter and root cert bags (no trust attribute: Java uses them only in the chain); key 'server' + chain of 3"
ossl pkcs12 -export -nocerts -inkey ossl-ec.key -name keyonly -out ossl-nocerts.p12 -passout pass:$pw 2>/dev/null  # quiet: a "-chain option ignored" warning
record ossl-nocerts p12 PKCS12 $pw "" "openssl -nocerts: one key bag 'keyonly', no certificate (Java: PrivateKeyEntry with an empty chain)"

# PEM / DER
ossl pkey -in ossl-leaf.key -out leaf.pkcs8.pem
cat leaf.pkcs8.pem fullchain.pem > pem-bundle.pem
record pem-bundle pem PEM "" "" "PRIVATE KEY (PKCS#8, RSA) + chain leaf, inter, root"
ossl pkey -in ossl-leaf.key -traditional -out rsa-trad.key
cat rsa-trad.key ossl-leaf.pem > pem-rsa-trad.pem
record pem-rsa-trad pem PEM "" "" "RSA PRIVATE KEY (PKCS#1, traditional) + leaf certificate"
ossl pkey -in ossl-ec.key -traditional -out ec-trad.key
cat ec-trad.key ossl-ec.pem > pem-ec-trad.pem
record pem-ec-trad pem PEM "" "" "EC PRIVATE KEY (RFC 5915, traditional, P-256) + self-signed certificate"
ossl pkcs8 -topk8 -v2 aes-256-cbc -in ossl-leaf.key -passout pass:$pw -out enc.key
cat enc.key ossl-leaf.pem > pem-enc-pkcs8.pem
record pem-enc-pkcs8 pem PEM $pw "" "ENCRYPTED PRIVATE KEY (PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, pw changeit) + leaf certificate"
ossl pkey -in ossl-ed25519.key -out ed25519.pkcs8.pem
cat ed25519.pkcs8.pem ossl-ed25519.pem > pem-ed25519.pem
record pem-ed25519 pem PEM "" "" "PRIVATE KEY (PKCS#8, Ed25519) + self-signed certificate"
cp cachain.pem pem-cachain.pem
record pem-cachain pem PEM "" "" "CERTIFICATEs only: inter, root (a CA bundle)"
ossl x509 -in ossl-leaf.pem -outform DER -out cert-leaf.der
record cert-leaf der DER "" "" "single DER certificate (the ossl leaf)"

# ================================================================ cacerts
# The system cacerts may contain site-local CAs (e.g. a corporate or sandbox proxy CA
# from /usr/local/share/ca-certificates). Those must not end up in committed vectors:
# every entry whose SHA-256 fingerprint is not one of the Mozilla bundle's
# (/usr/share/ca-certificates/mozilla/*.crt) is deleted with keytool -delete.
cacerts=""
for c in "$JDK17/lib/security/cacerts" /etc/ssl/certs/java/cacerts; do
  [ -f "$c" ] && { cacerts=$c; break; }
done
mozdir=/usr/share/ca-certificates/mozilla
prune_local_cas() {   # STORE TYPE
  local store=$1 type=$2 n=0 alias fp
  [ -d "$mozdir" ] || { echo "warning: $mozdir missing; cacerts not pruned" >&2; return 0; }
  for f in "$mozdir"/*.crt; do
    ossl x509 -in "$f" -noout -fingerprint -sha256 | sed 's/^.*=//'
  done | sort -u > moz.fp
  "$KT17" "${JOPTS[@]}" -list -keystore "$store" -storetype "$type" -storepass $pw 2>/dev/null </dev/null \
    | awk '/trustedCertEntry|PrivateKeyEntry/ { a=$0; sub(/, [A-Z][a-z][a-z] [0-9]+, [0-9]+, [A-Za-z]+Entry, ?$/, "", a); next }
           /^Certificate fingerprint \(SHA-256\): / { print $4 "\t" a }' > store.fp
  while IFS=$'\t' read -r fp alias; do
    if ! grep -qx "$fp" moz.fp; then
      kt -delete -alias "$alias" -keystore "$store" -storetype "$type" -storepass $pw
      n=$((n + 1))
    fi
  done < store.fp
  echo "cacerts: removed $n non-Mozilla entries" >&2
}
if [ -n "$cacerts" ]; then
  ctype=$("$KT17" -list -keystore "$cacerts" -storepass $pw 2>/dev/null </dev/null | sed -n 's/^Keystore type: //p')
  case "$ctype" in
    JKS)
      cp "$cacerts" cacerts.jks
      prune_local_cas cacerts.jks JKS
      record cacerts jks JKS $pw "" "system cacerts ($cacerts, JKS), Mozilla entries only: ~140 TrustedCertEntries"
      convert cacerts.jks JKS cacerts-p12.p12 PKCS12
      record cacerts-p12 p12 PKCS12 $pw "" "cacerts.jks converted to PKCS#12 by keytool -importkeystore"
      ;;
    PKCS12)
      cp "$cacerts" cacerts-orig.p12
      prune_local_cas cacerts-orig.p12 PKCS12
      record cacerts-orig p12 PKCS12 $pw "" "system cacerts ($cacerts, PKCS12), Mozilla entries only"
      convert cacerts-orig.p12 PKCS12 cacerts.jks JKS
      record cacerts jks JKS $pw "" "cacerts converted to JKS by keytool -importkeystore"
      ;;
    *) echo "warning: cannot determine cacerts type ($ctype); skipped" >&2 ;;
  esac
fi

# ================================================================ JDK 25 (optional)
KT25=$JDK25/bin/keytool
if [ -x "$KT25" ]; then
  genkey jdk25-jks-rsa2048.jks JKS server RSA 2048 $pw $pw "$KT25"
  record jdk25-jks-rsa2048 jks JKS $pw "" "JDK 25 keytool: JKS, RSA key 'server'"
  genkey jdk25-jceks-ec256.jceks JCEKS ec EC secp256r1 $pw $pw "$KT25"
  genseckey jdk25-jceks-ec256.jceks JCEKS aes AES 256 $pw $pw "$KT25"
  genseckey jdk25-jceks-ec256.jceks JCEKS desede DESede 168 $pw $pw "$KT25"
  record jdk25-jceks-ec256 jceks JCEKS $pw "" "JDK 25 keytool: JCEKS, EC key 'ec', secret keys aes (256) and desede"
  genkey jdk25-jceks-keypass-nonascii.jceks JCEKS server EC secp256r1 $pw "kéypass" "$KT25"
  record jdk25-jceks-keypass-nonascii jceks JCEKS $pw "kéypass" "JDK 25 JCEKS with non-ASCII key password 'kéypass' (UTF-8 in the PBE key); JDK 17 cannot recover it"
  genkey jdk25-p12-default.p12 PKCS12 server RSA 2048 $pw $pw "$KT25"
  ktrun "$KT25" -importcert -noprompt -alias root -file root.pem -keystore jdk25-p12-default.p12 -storetype PKCS12 -storepass $pw
  record jdk25-p12-default p12 PKCS12 $pw "" "JDK 25 keytool default PKCS#12: RSA key 'server' + trusted 'root'"
  # (No PBMAC1 vector: JDK 25 cannot write RFC 9579 PBMAC1; macAlgorithm=PBEWithHmacSHA256
  #  fails with "Algorithm HmacPBEHMACSHA256 not available". Its default is HmacPBESHA256.)
  ktrun "$KT25" -J-Dkeystore.pkcs12.legacy -genkeypair -alias server -keyalg RSA -keysize 2048 "${VAL[@]}" \
     -dname "CN=legacy,$DN" -keystore jdk25-p12-legacy.p12 -storetype PKCS12 -storepass $pw -keypass $pw
  record jdk25-p12-legacy p12 PKCS12 $pw "" "JDK 25 legacy PKCS#12 (keystore.pkcs12.legacy)"
  P25=(-J-Dkeystore.pkcs12.macAlgorithm=HmacPBESHA512 -J-Dkeystore.pkcs12.certProtectionAlgorithm=NONE
       -J-Dkeystore.pkcs12.keyProtectionAlgorithm=PBEWithHmacSHA512AndAES_256)
  GENKEY_OPTS=("${P25[@]}")
  genkey jdk25-p12-props.p12 PKCS12 ed Ed25519 - $pw $pw "$KT25"
  GENKEY_OPTS=()
  ktrun "$KT25" "${P25[@]}" -importcert -noprompt -alias root -file root.pem -keystore jdk25-p12-props.p12 \
     -storetype PKCS12 -storepass $pw
  record jdk25-p12-props p12 PKCS12 $pw "" "JDK 25 PKCS#12 with macAlgorithm=HmacPBESHA512, keyProtectionAlgorithm=PBEWithHmacSHA512AndAES_256, certProtectionAlgorithm=NONE: Ed25519 key 'ed' + trusted 'root'"
  genkey jdk25-jks-ed448.jks JKS ed448 Ed448 - $pw $pw "$KT25"
  record jdk25-jks-ed448 jks JKS $pw "" "JDK 25 keytool: JKS, Ed448 key 'ed448'"
  # post-quantum (FIPS 204) keys Java 24+ makes and OpenSSL 3.0 does not know
  genkey jdk25-p12-mldsa.p12 PKCS12 mldsa44 ML-DSA-44 - $pw $pw "$KT25"
  genkey jdk25-p12-mldsa.p12 PKCS12 mldsa65 ML-DSA-65 - $pw $pw "$KT25"
  genkey mldsa87.p12 PKCS12 mldsa87 ML-DSA-87 - $pw $pw "$KT25"
  ktrun "$KT25" -exportcert -rfc -alias mldsa87 -keystore mldsa87.p12 -storepass $pw -file mldsa87.pem
  ktrun "$KT25" -importcert -noprompt -alias mldsa87-root -file mldsa87.pem -keystore jdk25-p12-mldsa.p12 \
     -storetype PKCS12 -storepass $pw
  record jdk25-p12-mldsa p12 PKCS12 $pw "" "JDK 25 keytool: PKCS#12, ML-DSA-44 and ML-DSA-65 keys, trusted ML-DSA-87 'mldsa87-root'"
  genkey jdk25-jks-mldsa.jks JKS mldsa65 ML-DSA-65 - $pw $pw "$KT25"
  ktrun "$KT25" -importcert -noprompt -alias mldsa87-root -file mldsa87.pem -keystore jdk25-jks-mldsa.jks \
     -storetype JKS -storepass $pw
  record jdk25-jks-mldsa jks JKS $pw "" "JDK 25 keytool: JKS, ML-DSA-65 key, trusted ML-DSA-87 'mldsa87-root'"
fi

echo "wrote $(wc -l < "$out/manifest.tsv") vectors to $out"

# When generating the committed vectors (OUTDIR = vectors/files next to this script),
# also regenerate vectors/manifest.tsv and vectors/expected/ with the Java oracle.
if [ "$out" = "$here/files" ] && [ -z "${NO_EXPECTED:-}" ]; then
  "$here/gen-expected.sh" "$here"
fi
