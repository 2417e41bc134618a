#!/usr/bin/env bash
# BouncyCastle keystore vectors (issue 17): BKS (v2, as BC writes it), UBER
# and BCFKS stores made by JDK 17 keytool with the BouncyCastle provider of
# Debian's libbcprov-java, and Java's own account of each (Dump.java run with
# that provider registered).
#
#   usage: vectors/make-bks.sh [OUTDIR]     (default: vectors/bks)
#
# Writes OUTDIR/files/NAME.{bks,uber,bcfks}, OUTDIR/manifest.tsv (the
# columns of vectors/manifest.tsv: path, storetype, storepass, keypasses,
# notes) and OUTDIR/expected/NAME.json (+ NAME.nopass.json for BKS, which
# loads without a password). Keys are random on each run.
# BC 1.72 has no keytool store type for BKS version 1: v1 stores are the
# pyjks corpus files (tests/interop/bks.sh) and a hand-built one (unit test).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/bks}
BC=$(dpkg -L libbcprov-java 2>/dev/null | grep 'bcprov.jar$' | head -1)
[ -n "$BC" ] || { echo "make-bks.sh: libbcprov-java is not installed (tests/ensure-deps.sh)" >&2; exit 1; }
BCP=(-providerpath "$BC" -providerclass org.bouncycastle.jce.provider.BouncyCastleProvider)
mkdir -p "$out/files" "$out/expected"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

kt() { # keytool without its nags; a failure stops the script
    local o rc=0
    o=$(keytool "$@" 2>&1) || rc=$?
    [ $rc = 0 ] || { printf '%s\n' "$o" >&2; return $rc; }
}
pw=changeit
# the source entries, made by plain JDK keytool in PKCS#12 stores
kt -genkeypair -alias root -keyalg RSA -keysize 2048 -dname CN=root -ext bc:c -validity 3650 \
   -keystore ca.p12 -storetype PKCS12 -storepass $pw
kt -exportcert -alias root -keystore ca.p12 -storepass $pw -rfc -file root.pem
kt -genkeypair -alias ec -keyalg EC -groupname secp256r1 -dname CN=ec-leaf -validity 3650 \
   -keystore chain.p12 -storetype PKCS12 -storepass $pw
kt -certreq -alias ec -keystore chain.p12 -storepass $pw -file ec.csr
kt -gencert -alias root -keystore ca.p12 -storepass $pw -infile ec.csr -outfile ec.pem -rfc -validity 3650
kt -importcert -noprompt -alias root -file root.pem -keystore chain.p12 -storetype PKCS12 -storepass $pw
kt -importcert -alias ec -file ec.pem -keystore chain.p12 -storetype PKCS12 -storepass $pw
kt -genkeypair -alias rsa -keyalg RSA -keysize 2048 -dname CN=rsa -validity 3650 \
   -keystore rsa.p12 -storetype PKCS12 -storepass $pw
kt -genseckey -alias aes128 -keyalg AES -keysize 128 -keystore secret.p12 -storetype PKCS12 -storepass $pw
kt -genseckey -alias aes256 -keyalg AES -keysize 256 -keystore secret.p12 -storetype PKCS12 -storepass $pw
kt -genseckey -alias hmacsha256 -keyalg HmacSHA256 -keysize 256 -keystore secret.p12 -storetype PKCS12 -storepass $pw
cp chain.p12 mixed.p12
for s in rsa secret; do
    kt -importkeystore -srckeystore $s.p12 -srcstoretype PKCS12 -srcstorepass $pw \
       -destkeystore mixed.p12 -deststoretype PKCS12 -deststorepass $pw
done
kt -importcert -noprompt -alias trusted-root -file root.pem -keystore mixed.p12 -storetype PKCS12 -storepass $pw

: >"$out/manifest.tsv.new"
printf '# path\tstoretype\tstorepass\tkeypasses\tnotes\n' >>"$out/manifest.tsv.new"
# NAME TYPE EXT SOURCE-P12 STOREPASS NOTES [TRUSTED-ALIAS]
make() {
    local name=$1 type=$2 ext=$3 src=$4 sp=$5 notes=$6 extra=${7:-} f="$out/files/$1.$3"
    rm -f "$f"
    kt -importkeystore -srckeystore "$src" -srcstoretype PKCS12 -srcstorepass $pw \
       -destkeystore "$f" -deststoretype "$type" -deststorepass "$sp" "${BCP[@]}"
    # keys keep the source's password (changeit); a trusted certificate
    # straight into the BC store keeps its alias's case
    [ -z "$extra" ] || kt -importcert -noprompt -alias "$extra" -file root.pem -keystore "$f" \
        -storetype "$type" -storepass "$sp" "${BCP[@]}"
    printf 'files/%s.%s\t%s\t%s\t%s\t%s\n' "$name" "$ext" "$type" "$sp" "$([ $sp = $pw ] || echo $pw)" "$notes" >>"$out/manifest.tsv.new"
}
empty() { # NAME TYPE EXT
    local f="$out/files/$1.$3"
    rm -f "$f"
    kt -genkeypair -alias gone -keyalg EC -groupname secp256r1 -dname CN=gone -keystore "$f" \
       -storetype "$2" -storepass $pw -keypass $pw "${BCP[@]}"
    kt -delete -alias gone -keystore "$f" -storetype "$2" -storepass $pw "${BCP[@]}"
    printf 'files/%s.%s\t%s\t%s\t\t%s\n' "$1" "$3" "$2" $pw "empty $2 store (key made, then deleted)" >>"$out/manifest.tsv.new"
}
for t in BKS:bks UBER:uber BCFKS:bcfks; do
    T=${t%%:*} e=${t##*:}
    make $e-rsa $T $e rsa.p12 $pw "PrivateKeyEntry 'rsa' (RSA 2048, self-signed)"
    make $e-chain $T $e chain.p12 $pw "PrivateKeyEntry 'ec' (EC P-256) chain ec<-root; TrustedCertEntry 'root'"
    make $e-secret $T $e secret.p12 $pw "SecretKeyEntries aes128, aes256, hmacsha256"
    make $e-mixed $T $e mixed.p12 $pw "ec chain, rsa, trusted root, AES and HMAC secret keys"
    empty $e-empty $T $e
done
# non-ASCII alias and password (BC keeps the alias's case)
kt -importkeystore -srckeystore mixed.p12 -srcstoretype PKCS12 -srcstorepass $pw -srcalias rsa \
   -destalias 'Ärger-€ 𝄞' -destkeystore alias.p12 -deststoretype PKCS12 -deststorepass $pw
n="key 'ärger-€ 𝄞' (PKCS#12 lower-cased it) with key password changeit, trusted 'MixedCase.Trust' (case kept); store password 'störepass'"
make bks-nonascii BKS bks alias.p12 'störepass' "$n" MixedCase.Trust
make uber-nonascii UBER uber alias.p12 'störepass' "$n" MixedCase.Trust
make bcfks-nonascii BCFKS bcfks alias.p12 'störepass' "$n" MixedCase.Trust
mv "$out/manifest.tsv.new" "$out/manifest.tsv"

# Java's account, with the BouncyCastle provider registered
printf 'security.provider.13=org.bouncycastle.jce.provider.BouncyCastleProvider\n' >bc.security
dump() { java -cp "$BC" -Djava.security.properties="$work/bc.security" "$here/../tests/interop/java/Dump.java" "$@"; }
cd "$out"
tail -n +2 "$out/manifest.tsv" | while IFS= read -r line; do
    IFS=$'\t' read -r path type sp kp _ <<<"$line"
    name=$(basename "${path%.*}")
    kpa=()
    [ -z "$kp" ] || kpa=(--keypass "$kp")
    dump --file "$path" --storepass "$sp" "${kpa[@]}" --type "$type" >"$out/expected/$name.json" </dev/null
    if [ "$type" = BKS ]; then
        dump --file "$path" --type "$type" --nopass >"$out/expected/$name.nopass.json" </dev/null
    fi
done
echo "make-bks.sh: $(($(wc -l <"$out/manifest.tsv") - 1)) vectors in $out"
