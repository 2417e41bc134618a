#!/usr/bin/env bash
# Regenerate the seed corpora in fuzz/corpus/<target>/ (fuzz/README.md).
#   usage: bash fuzz/make-seeds.sh        (from the repository root)
# Sources: vectors/files/* (made by keytool/openssl), small stores made here
# with keytool/openssl at low iteration counts (the harnesses refuse counts
# above 2048, so keytool's 10000/200000 would never decrypt), JCEKS stores
# re-encoded by a library copy whose JCEKS count is lowered to 1000, and the
# Java serialization streams of secret keys. Every store seed carries the
# harness prefix: flags/length byte + password (fuzz/fuzz_common.h).
# Seeds are minimised with afl-cmin when the AFL builds exist. To fold a
# campaign's finds in: copy fuzz/out/<t>/default/queue/id* to
# fuzz/corpus/<t>/q-<id> and run this again.
set -euo pipefail
cd "$(dirname "$0")/.."
FB=${FB:-build-fuzz}
T=$FB/seeds
V=vectors/files
rm -rf "$T"
mkdir -p "$T/src" "$T/raw" "$T/mk"
for t in jks jceks javaser pkcs12 pem roundtrip cert bks uber bcfks; do mkdir -p "$T/raw/$t"; done

# seedgen against a library copy with JKS_JCEKS_ITERATIONS lowered
DIRS="base model crypto cert jks pkcs12 pem bks ops"
cp -r include $DIRS "$T/src/"
sed -i 's/#define JKS_JCEKS_ITERATIONS 200000u/#define JKS_JCEKS_ITERATIONS 1000u/' "$T/src/crypto/protect.h"
grep -q 'JKS_JCEKS_ITERATIONS 1000u' "$T/src/crypto/protect.h"
sed -i 's/#define JKS_BCFKS_ITERATIONS 51200u/#define JKS_BCFKS_ITERATIONS 1000u/' "$T/src/crypto/bcfkscrypto.h"
grep -q 'JKS_BCFKS_ITERATIONS 1000u' "$T/src/crypto/bcfkscrypto.h"
${CC:-cc} -std=c11 -D_GNU_SOURCE -O1 -I"$T/src/include" $(for d in $DIRS; do printf ' -I%s' "$T/src/$d"; done) \
    -o "$T/seedgen" fuzz/seedgen.c $(for d in $DIRS; do printf ' %s' "$T/src/$d"/*.c; done) -lssl -lcrypto -ltasn1

# prefix FLAGS PASSWORD IN OUT
prefix() {
    python3 - "$@" <<'PY'
import sys
flags, pw, src, dst = int(sys.argv[1], 0), sys.argv[2].encode(), sys.argv[3], sys.argv[4]
pw = pw[:15]
open(dst, "wb").write(bytes([(flags & 0xF0) | len(pw)]) + pw + open(src, "rb").read())
PY
}
pw_of() { local p="${1%.*}.pass"; if [ -f "$p" ]; then cat "$p"; else echo changeit; fi; }

# vectors (cacerts* are 160+ KB: left out)
for f in "$V"/*.jks "$V"/*.jceks "$V"/*.p12 "$V"/*.pem "$V"/*.der; do
    [ -f "$f" ] || continue
    b=$(basename "$f"); case "$b" in cacerts*) continue ;; esac
    pw=$(pw_of "$f")
    case "$b" in
    *.jks) dirs="jks roundtrip" ;;
    *.jceks) dirs="jceks" ;;
    *.p12) dirs="pkcs12" ;;
    *) dirs="pem roundtrip" ;;
    esac
    for d in $dirs; do prefix 0 "$pw" "$f" "$T/raw/$d/$b"; done
    kp="${f%.*}.keypass"
    if [ -f "$kp" ]; then # the key password as --keypass, no store password
        for d in $dirs; do prefix 0x30 "$(cat "$kp")" "$f" "$T/raw/$d/kp-$b"; done
    fi
done
prefix 0x10 "" "$V/jks-mixed.jks" "$T/raw/jks/nopw-jks-mixed.jks"

# BKS (vectors/bks: BC writes 1024..2047 iterations, under the fuzz cap)
for f in vectors/bks/files/*.bks; do
    [ -f "$f" ] || continue
    b=$(basename "$f")
    pw=changeit; case "$b" in *nonascii*) pw=störepass ;; esac
    for d in bks roundtrip; do prefix 0 "$pw" "$f" "$T/raw/$d/$b"; done
    prefix 0x10 "" "$f" "$T/raw/bks/nopw-$b"
done
for f in vectors/bks/files/*.bcfks; do
    [ -f "$f" ] || continue
    prefix 0 changeit "$f" "$T/raw/bcfks/$(basename "$f")"
done
# BCFKS at 1000 iterations (BC writes 51200, over the fuzz cap): what the
# round trip reads with its password and writes back
for b in bcfks-mixed bcfks-chain bcfks-secret; do
    "$T/seedgen" reencode "vectors/bks/files/$b.bcfks" "$T/mk/low-$b.bcfks" changeit
    for d in bcfks roundtrip; do prefix 0 changeit "$T/mk/low-$b.bcfks" "$T/raw/$d/low-$b.bcfks"; done
done
for f in vectors/bks/files/*.uber; do
    [ -f "$f" ] || continue
    b=$(basename "$f")
    pw=changeit; case "$b" in *nonascii*) pw=störepass ;; esac
    for d in uber roundtrip; do prefix 0 "$pw" "$f" "$T/raw/$d/$b"; done
done

# JCEKS at 1000 iterations (keys and sealed secret keys decrypt under the cap)
for b in jceks-ec256 jceks-secret jceks-trusted jceks-aliases jceks-dsa; do
    [ -f "$V/$b.jceks" ] || continue
    "$T/seedgen" reencode "$V/$b.jceks" "$T/mk/low-$b.jceks" changeit
    prefix 0 changeit "$T/mk/low-$b.jceks" "$T/raw/jceks/low-$b.jceks"
    prefix 0 changeit "$T/mk/low-$b.jceks" "$T/raw/roundtrip/low-$b.jceks"
done

# Java serialization: outer sealed objects and inner key streams
for f in "$V"/jceks-secret.jceks "$T"/mk/low-jceks-secret.jceks; do
    [ -f "$f" ] && "$T/seedgen" sealed "$f" "$T/raw/javaser"
done
"$T/seedgen" secretkey "$T/raw/javaser"

# keytool: a small PKCS#12 at 1000 iterations with a key, a secret and a cert
KT=${KEYTOOL:-keytool}
if command -v "$KT" >/dev/null 2>&1; then
    P="-J-Dkeystore.pkcs12.keyPbeIterationCount=1000 -J-Dkeystore.pkcs12.certPbeIterationCount=1000 -J-Dkeystore.pkcs12.macIterationCount=1000"
    # shellcheck disable=SC2086
    "$KT" $P -genkeypair -keystore "$T/mk/low.p12" -storetype pkcs12 -storepass changeit \
        -alias ec -keyalg EC -groupname secp256r1 -dname CN=seed -validity 3650 >/dev/null 2>&1
    # shellcheck disable=SC2086
    "$KT" $P -genseckey -keystore "$T/mk/low.p12" -storetype pkcs12 -storepass changeit \
        -alias aes -keyalg AES -keysize 128 >/dev/null 2>&1
    "$KT" -exportcert -keystore "$T/mk/low.p12" -storepass changeit -alias ec \
        -file "$T/mk/ec.crt" >/dev/null 2>&1
    # shellcheck disable=SC2086
    "$KT" $P -importcert -noprompt -keystore "$T/mk/low.p12" -storetype pkcs12 \
        -storepass changeit -alias ca -file "$T/mk/ec.crt" >/dev/null 2>&1 || true
    prefix 0 changeit "$T/mk/low.p12" "$T/raw/pkcs12/low.p12"
    prefix 0 changeit "$T/mk/low.p12" "$T/raw/roundtrip/low.p12"
fi

# openssl: PEM key + cert, PKCS#8 encrypted at 1000 iterations, legacy p12
if command -v openssl >/dev/null 2>&1; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=pem \
        -days 3650 -keyout "$T/mk/k.pem" -out "$T/mk/c.pem" 2>/dev/null
    openssl pkcs8 -topk8 -in "$T/mk/k.pem" -v2 aes-256-cbc -iter 1000 -passout pass:changeit \
        -out "$T/mk/enc.pem" 2>/dev/null
    cat "$T/mk/k.pem" "$T/mk/c.pem" > "$T/mk/keycert.pem"
    cat "$T/mk/enc.pem" "$T/mk/c.pem" > "$T/mk/enckeycert.pem"
    openssl x509 -in "$T/mk/c.pem" -outform DER -out "$T/mk/c.der"
    openssl pkcs12 -export -inkey "$T/mk/k.pem" -in "$T/mk/c.pem" -passout pass:changeit \
        -iter 1000 -name seed -out "$T/mk/ossl.p12" 2>/dev/null
    openssl pkcs12 -export -legacy -inkey "$T/mk/k.pem" -in "$T/mk/c.pem" -passout pass:changeit \
        -iter 1000 -name seed -out "$T/mk/ossl-legacy.p12" 2>/dev/null || true
    # a PKCS#7 chain beside a legacy (Proc-Type) encrypted key, and a DER .p7b
    openssl ec -in "$T/mk/k.pem" -aes128 -passout pass:changeit -out "$T/mk/legacy.pem" 2>/dev/null
    openssl crl2pkcs7 -nocrl -certfile "$T/mk/c.pem" -out "$T/mk/p7.pem" 2>/dev/null
    openssl crl2pkcs7 -nocrl -certfile "$T/mk/c.pem" -outform DER -out "$T/mk/c.p7b" 2>/dev/null
    cat "$T/mk/legacy.pem" "$T/mk/p7.pem" > "$T/mk/legacyp7.pem"
    prefix 0 changeit "$T/mk/c.p7b" "$T/raw/pem/c.p7b"
    for f in keycert enckeycert legacyp7; do
        prefix 0 changeit "$T/mk/$f.pem" "$T/raw/pem/$f.pem"
        prefix 0 changeit "$T/mk/$f.pem" "$T/raw/roundtrip/$f.pem"
    done
    prefix 0 changeit "$T/mk/c.der" "$T/raw/pem/c.der"
    # the same in BER (indefinite lengths, chunked strings): outer layers, then all
    for l in 1 2; do
        python3 tests/interop/lib/ber.py $l changeit "$T/mk/ossl.p12" "$T/mk/ossl-ber$l.p12"
    done
    for f in ossl ossl-legacy ossl-ber1 ossl-ber2; do
        [ -f "$T/mk/$f.p12" ] || continue
        prefix 0 changeit "$T/mk/$f.p12" "$T/raw/pkcs12/$f.p12"
        prefix 0 changeit "$T/mk/$f.p12" "$T/raw/roundtrip/$f.p12"
    done
fi

J=${JKSTOOL:-build/jkstool}
# cert: every distinct DER certificate of the vectors (cacerts included:
# its 140 roots carry the name, string and extension variety), no prefix
for f in "$V"/*.jks "$V"/*.jceks "$V"/*.p12 "$V"/*.pem "$V"/*.der; do
    [ -f "$f" ] || continue
    sp=(); [ -f "${f%.*}.pass" ] && sp=(--storepass "file:${f%.*}.pass")
    "$J" list "$f" "${sp[@]}" --rfc </dev/null 2>/dev/null |
        awk -v d="$T/mk/pemsplit" 'BEGIN{system("mkdir -p " d)} /BEGIN CERT/{n++; o=d "/" n ".pem"} o{print > o} /END CERT/{close(o); o=""}'
    for c in "$T/mk/pemsplit"/*.pem; do
        [ -f "$c" ] || continue
        openssl x509 -in "$c" -outform DER -out "$T/mk/one.der" 2>/dev/null &&
            cp "$T/mk/one.der" "$T/raw/cert/$(sha256sum "$T/mk/one.der" | cut -c1-16).der"
        rm -f "$c"
    done
done

# minimise into fuzz/corpus/<target>, together with the inputs earlier
# campaigns added there (q-*, from fuzz/out/<target>/default/queue)
for t in jks jceks javaser pkcs12 pem roundtrip cert bks uber bcfks; do
    out=fuzz/corpus/$t
    cp "$out"/q-* "$T/raw/$t/" 2>/dev/null || true
    rm -rf "$out"
    if [ -x "$FB/afl/fuzz_$t" ] && command -v afl-cmin >/dev/null 2>&1; then
        AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 afl-cmin -i "$T/raw/$t" -o "$out" -t 5000 -m none \
            -- "$FB/afl/fuzz_$t" >"$T/cmin-$t.log" 2>&1 || { mkdir -p "$out"; cp "$T/raw/$t"/* "$out/"; }
    else
        mkdir -p "$out"
        cp "$T/raw/$t"/* "$out/"
    fi
    echo "seeds: $t: $(ls "$out" | wc -l) files, $(du -sk "$out" | cut -f1) KiB"
done
