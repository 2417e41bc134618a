#!/usr/bin/env bash
# Interop for the PKCS#12 codec (pkcs12/): what keytool (JDK 17, JDK 25) and
# openssl write, we read the way Java does; what we write, keytool, Java's
# KeyStore (tests/interop/java/Dump.java) and openssl read back.
#   (a) every PKCS12 vector of vectors/manifest.tsv against Java's own view
#       (vectors/expected/*.json), with and without a password; a fresh
#       openssl file (-keypbe AES-128-CBC -certpbe AES-192-CBC) against
#       openssl's own view
#   (b) JKS/JCEKS vectors written as PKCS#12 (modern, legacy, password-less)
#       through build/tests/test_pkcs12 --write, then loaded by Java 17/25
#       (entries, chains, key and secret bytes), listed by keytool, and
#       opened by openssl pkcs12 (-legacy for legacy)
# Run by `make interop` with JKSTOOL set; cwd = repository root.
set -euo pipefail

JKSTOOL=${JKSTOOL:-build/jkstool}
HELPER=$(dirname "$JKSTOOL")/tests/test_pkcs12
J17=/usr/lib/jvm/java-17-openjdk-amd64/bin
J25=/usr/lib/jvm/temurin-25-jdk-amd64/bin
DUMP=tests/interop/java/Dump.java
VEC=vectors
fail=0
pass=0

if [ ! -x "$HELPER" ]; then
  echo "pkcs12.sh: $HELPER missing (run make unit first)" >&2
  exit 1
fi
command -v python3 >/dev/null || { echo "pkcs12.sh: SKIP (python3 needed to compare JSON)"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() { echo "FAIL: $*" >&2; fail=$((fail + 1)); }

# compare.py EXPECTED_JSON_LINE_FILE OUR_DUMP_FILE: Java's entries vs ours
# (aliases lower-cased as Java keys them; entries Java ignores are skipped).
cat > "$tmp/compare.py" <<'EOF'
import json, sys
exp = json.loads(open(sys.argv[1], encoding="utf-8").readline())
ours = {}
for line in open(sys.argv[2], encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    if f[0] != "entry" or f[2].endswith("(ignored)"):
        continue
    ours[f[1].lower()] = {"kind": f[2], "key": f[3], "alg": f[4], "chain": f[5:]}
errs = []
if not exp.get("ok"):
    errs.append("Java could not load it: %s" % exp.get("error"))
java = {e["alias"].lower(): e for e in exp.get("entries", [])}
if set(java) != set(ours):
    errs.append("aliases differ: java %s ours %s" % (sorted(java), sorted(ours)))
for a, e in java.items():
    o = ours.get(a)
    if not o:
        continue
    if e["kind"] != o["kind"]:
        errs.append("%s: kind %s vs %s" % (a, e["kind"], o["kind"]))
    if e["kind"] in ("private-key", "trusted-cert") and e["chain_sha256"] != o["chain"]:
        errs.append("%s: chain differs" % a)
    # JDK 17 has no KeyFactory for ML-DSA/ML-KEM (OIDs 2.16.840.1.101.3.4.3.x and .4.4.x): it
    # returns no key where we decrypt one; the JDK 25 view (compared too) checks its bytes
    pq17 = e["kind"] == "private-key" and e["pkcs8_sha256"] is None and \
        (e.get("key_alg") or "").startswith(("2.16.840.1.101.3.4.3.", "2.16.840.1.101.3.4.4."))
    if e["kind"] == "private-key" and not pq17 and (e["pkcs8_sha256"] or "-") != o["key"]:
        errs.append("%s: pkcs8 %s vs %s" % (a, e["pkcs8_sha256"], o["key"]))
    if e["kind"] == "secret-key":
        if (e["secret_sha256"] or "-") != o["key"]:
            errs.append("%s: secret %s vs %s" % (a, e["secret_sha256"], o["key"]))
        # Java names keytool's own DES OID (1.3.14.3.2.7) "DES/CBC"; we say "DES"
        if e["secret_alg"] and e["secret_alg"] != o["alg"] and (e["secret_alg"], o["alg"]) != ("DES/CBC", "DES"):
            errs.append("%s: secret alg %s vs %s" % (a, e["secret_alg"], o["alg"]))
print("; ".join(errs))
sys.exit(1 if errs else 0)
EOF

compare() { # NAME EXPECTED OURS
  local why
  if why=$(python3 "$tmp/compare.py" "$2" "$3"); then ok; else bad "$1: $why"; fi
}

# ---- (a) reading what keytool and openssl wrote ----
n_vec=0
while IFS= read -r line; do
  case "$line" in \#*|'') continue ;; esac
  path=${line%%$'\t'*}; rest=${line#*$'\t'}
  type=${rest%%$'\t'*}; rest=${rest#*$'\t'}
  spw=${rest%%$'\t'*}
  [ "$type" = PKCS12 ] || continue
  name=$(basename "$path" .p12)
  [ -f "$VEC/$path" ] || continue
  n_vec=$((n_vec + 1))
  if "$HELPER" --dump "$VEC/$path" "$spw" > "$tmp/$name.ours" 2> "$tmp/$name.err"; then
    compare "$name" "$VEC/expected/$name.json" "$tmp/$name.ours"
    grep -q $'^integrity\tverified' "$tmp/$name.ours" || grep -q macAlgorithm=NONE <<< "$name" ||
      case "$name" in *nomac*) ;; *) bad "$name: integrity not verified with the right password" ;; esac
  else
    bad "$name: read failed: $(cat "$tmp/$name.err")"
  fi
  if [ -f "$VEC/expected/$name.nopass.json" ]; then
    if "$HELPER" --dump "$VEC/$path" > "$tmp/$name.np" 2> "$tmp/$name.err"; then
      compare "$name (no password)" "$VEC/expected/$name.nopass.json" "$tmp/$name.np"
    else
      bad "$name (no password): $(cat "$tmp/$name.err")"
    fi
  fi
  if [ -f "$VEC/expected/$name.jdk25.json" ]; then
    compare "$name (JDK 25)" "$VEC/expected/$name.jdk25.json" "$tmp/$name.ours"
  fi
  # a wrong password is exit code 3 through the CLI
  if [ -n "$spw" ]; then
    set +e
    "$JKSTOOL" list --storepass pass:wrong-password "$VEC/$path" > /dev/null 2>&1
    rc=$?
    set -e
    case "$name" in *nomac*) exp=0 ;; *) exp=3 ;; esac
    [ "$rc" = "$exp" ] || bad "$name: wrong password gave exit $rc, want $exp"
  fi
done < "$VEC/manifest.tsv"
[ "$n_vec" -ge 15 ] || bad "only $n_vec PKCS12 vectors found in $VEC/manifest.tsv"

# fresh openssl file with AES-128 keys / AES-192 certificates, against openssl's view
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/k.pem" -out "$tmp/c.pem" -days 30 \
  -subj "/CN=interop p12" 2>/dev/null
openssl pkcs12 -export -inkey "$tmp/k.pem" -in "$tmp/c.pem" -name MixedName \
  -keypbe AES-128-CBC -certpbe AES-192-CBC -passout pass:s3cret -out "$tmp/aes192.p12"
"$HELPER" --dump "$tmp/aes192.p12" s3cret > "$tmp/aes192.ours"
want_cert=$(openssl x509 -in "$tmp/c.pem" -outform DER | sha256sum | cut -d' ' -f1)
want_key=$(openssl pkcs12 -in "$tmp/aes192.p12" -passin pass:s3cret -nocerts -nodes 2>/dev/null |
           openssl pkcs8 -topk8 -nocrypt -outform DER | sha256sum | cut -d' ' -f1)
if grep -qP "^entry\tMixedName\tprivate-key\t$want_key\t-\t$want_cert\$" "$tmp/aes192.ours"; then ok
else bad "openssl AES-192 cert safe: got $(cat "$tmp/aes192.ours")"; fi

# keytool's own JCEKS -> PKCS#12 conversion of secret keys (AES, DESede, DES,
# HmacSHA256): same key bytes and algorithm names as the JCEKS source, but
# DES: Java reads its desCBC secretBag back as "DES/CBC" (KeyStore.getKey
# of this very file in JDK 17 and 25), and so do we
"$J17/keytool" -importkeystore -srckeystore "$VEC/files/jceks-secret.jceks" -srcstoretype JCEKS \
  -srcstorepass changeit -destkeystore "$tmp/kt-secret.p12" -deststoretype PKCS12 \
  -deststorepass changeit > /dev/null 2>&1 || bad "keytool -importkeystore of jceks-secret failed"
"$HELPER" --dump "$VEC/files/jceks-secret.jceks" changeit | grep '^entry' | sort > "$tmp/a"
"$HELPER" --dump "$tmp/kt-secret.p12" changeit | grep '^entry' | sed 's#\tDES/CBC$#\tDES#' | sort > "$tmp/b"
grep -qP '^entry\tdes\t.*\tDES/CBC$' <("$HELPER" --dump "$tmp/kt-secret.p12" changeit) && ok ||
  bad "keytool's DES secretBag not named DES/CBC as Java names it"
if [ "$(wc -l < "$tmp/a")" -ge 4 ] && diff "$tmp/a" "$tmp/b" > /dev/null; then ok
else bad "keytool JCEKS->PKCS12 secret keys differ: $(diff "$tmp/a" "$tmp/b" | head -4)"; fi

# ---- (b) writing: JKS/JCEKS -> PKCS#12, read by Java, keytool, openssl ----
srcs=("jks-chain3.jks" "jks-mixed.jks" "jks-aliases.jks" "jceks-secret.jceks" "jks-trusted.jks")
: > "$tmp/written.tsv"
for src in "${srcs[@]}"; do
  [ -f "$VEC/files/$src" ] || { bad "vector $src missing"; continue; }
  base=${src%.*}
  "$HELPER" --dump "$VEC/files/$src" changeit > "$tmp/$base.src"
  for mode in modern legacy; do
    out="$tmp/$base-$mode.p12"
    if "$HELPER" --write "$VEC/files/$src" changeit "$out" changeit "$mode" 2> "$tmp/err"; then
      printf '%s\tchangeit\t\tPKCS12\n' "$out" >> "$tmp/written.tsv"
    else
      bad "write $src as $mode: $(cat "$tmp/err")"
    fi
  done
done
# password-less truststore (no MAC, certificates in the clear)
"$HELPER" --write "$VEC/files/jks-trusted.jks" changeit "$tmp/jks-trusted-nopass.p12" x nopass
printf '%s\t\t\tPKCS12\tnopass\n' "$tmp/jks-trusted-nopass.p12" >> "$tmp/written.tsv"

# our own reader agrees with the source
for src in "${srcs[@]}"; do
  base=${src%.*}
  for mode in modern legacy; do
    # a DES key comes back as Java names its desCBC secretBag: DES/CBC
    "$HELPER" --dump "$tmp/$base-$mode.p12" changeit | grep -v '^integrity' |
      sed 's#\tDES/CBC$#\tDES#' | sort > "$tmp/a"
    grep -v '^integrity' "$tmp/$base.src" | sort > "$tmp/b"
    # aliases: JKS lower-cases them; the PKCS#12 keeps what it was given
    if diff <(cut -f2- "$tmp/a") <(cut -f2- "$tmp/b") > /dev/null; then ok
    else bad "$base-$mode: our re-read differs from the source"; fi
  done
done

# Java loads every written file: one JVM per JDK
java_check() { # BIN LABEL
  "$1/java" "$DUMP" --manifest "$tmp/written.tsv" > "$tmp/java.out" 2> "$tmp/java.err" ||
    { bad "$2: Dump.java failed: $(tail -3 "$tmp/java.err")"; return; }
  local i=0
  while IFS= read -r jl; do
    i=$((i + 1))
    f=$(sed -n "${i}p" "$tmp/written.tsv" | cut -f1)
    printf '%s\n' "$jl" > "$tmp/one.json"
    case "$f" in
      *-nopass.p12) src=jks-trusted ;;
      *) src=$(basename "$f" .p12); src=${src%-modern}; src=${src%-legacy} ;;
    esac
    compare "$2 reads $(basename "$f")" "$tmp/one.json" "$tmp/$src.src"
  done < "$tmp/java.out"
  [ "$i" -eq "$(wc -l < "$tmp/written.tsv")" ] || bad "$2: Dump.java printed $i results"
}
java_check "$J17" "JDK 17"
if [ -x "$J25/java" ]; then java_check "$J25" "JDK 25"; else echo "pkcs12.sh: JDK 25 absent, skipped"; fi

# non-ASCII store password (UTF-8 for PBES2, UTF-16 BMPString for the MAC):
# JDK 25 writes it (JDK 17 refuses non-ASCII PBES2 passwords); we read its file,
# and JDK 25 reads ours
if [ -x "$J25/keytool" ]; then
  npw='störe€pass'
  "$J25/keytool" -genkeypair -keyalg EC -alias k -dname CN=nonascii -keystore "$tmp/na25.p12" \
    -storetype PKCS12 -storepass "$npw" > /dev/null 2>&1 || bad "JDK 25 keytool with non-ASCII password"
  "$HELPER" --dump "$tmp/na25.p12" "$npw" > "$tmp/na25.ours" || bad "cannot read JDK 25 non-ASCII password file"
  "$HELPER" --write "$tmp/na25.p12" "$npw" "$tmp/na-ours.p12" "$npw" modern || bad "cannot write non-ASCII"
  printf '%s\t%s\t\tPKCS12\n%s\t%s\t\tPKCS12\n' "$tmp/na25.p12" "$npw" "$tmp/na-ours.p12" "$npw" > "$tmp/na.tsv"
  "$J25/java" "$DUMP" --manifest "$tmp/na.tsv" > "$tmp/na.java" 2>&1 || bad "Dump.java (JDK 25) on non-ASCII files"
  sed -n 1p "$tmp/na.java" > "$tmp/one.json"; compare "JDK 25 non-ASCII password file" "$tmp/one.json" "$tmp/na25.ours"
  sed -n 2p "$tmp/na.java" > "$tmp/one.json"; compare "JDK 25 reads our non-ASCII password file" "$tmp/one.json" "$tmp/na25.ours"
  grep -q $'^integrity\tverified' "$tmp/na25.ours" && ok || bad "non-ASCII password: MAC not verified"
fi

# keytool -list: entry types and SHA-256 fingerprints
colon() { echo "$1" | tr a-f A-F | sed 's/../&:/g; s/:$//'; }
leaf_fp=$(colon "$(awk -F'\t' '$2=="leaf"{print $6}' "$tmp/jks-chain3.src")")
root_fp=$(colon "$(awk -F'\t' '$2=="root"{print $6}' "$tmp/jks-chain3.src")")
for kt in "$J17" "$J25"; do
  [ -x "$kt/keytool" ] || continue
  for mode in modern legacy; do
    "$kt/keytool" -list -keystore "$tmp/jks-chain3-$mode.p12" -storepass changeit > "$tmp/kt.out" 2>&1 ||
      { bad "keytool ($kt) -list $mode: $(cat "$tmp/kt.out")"; continue; }
    if grep -A1 -q '^leaf, .*PrivateKeyEntry' "$tmp/kt.out" &&
       grep -A1 '^leaf, ' "$tmp/kt.out" | grep -q "(SHA-256): $leaf_fp" &&
       grep -A1 -q '^root, .*trustedCertEntry' "$tmp/kt.out" &&
       grep -A1 '^root, ' "$tmp/kt.out" | grep -q "(SHA-256): $root_fp" &&
       grep -q 'contains 2 entries' "$tmp/kt.out"; then ok
    else bad "keytool ($kt) -list $mode: $(cat "$tmp/kt.out")"; fi
  done
  "$kt/keytool" -list -keystore "$tmp/jks-trusted-nopass.p12" < /dev/null > "$tmp/kt.out" 2>&1 || true
  if [ "$(grep -c trustedCertEntry "$tmp/kt.out")" = 3 ]; then ok
  else bad "keytool ($kt) -list password-less truststore: $(cat "$tmp/kt.out")"; fi
done

# openssl opens what we wrote (legacy needs -legacy for RC2-40)
for mode in modern legacy; do
  flag=; [ "$mode" = legacy ] && flag=-legacy
  if openssl pkcs12 $flag -in "$tmp/jks-chain3-$mode.p12" -passin pass:changeit -info -nodes \
       > "$tmp/ossl.out" 2> "$tmp/ossl.err"; then
    got=$(openssl x509 -in "$tmp/ossl.out" -outform DER | sha256sum | cut -d' ' -f1)
    want=$(awk -F'\t' '$2=="leaf"{print $6}' "$tmp/jks-chain3.src")
    key=$(openssl pkcs8 -topk8 -nocrypt -in "$tmp/ossl.out" -outform DER | sha256sum | cut -d' ' -f1)
    wantkey=$(awk -F'\t' '$2=="leaf"{print $4}' "$tmp/jks-chain3.src")
    if [ "$got" = "$want" ] && [ "$key" = "$wantkey" ] &&
       grep -q "$([ $mode = legacy ] && echo 'MAC: sha1, Iteration 100000' || echo 'MAC: sha256, Iteration 10000')" "$tmp/ossl.err"
    then ok; else bad "openssl pkcs12 $mode: cert $got/$want key $key/$wantkey $(head -3 "$tmp/ossl.err")"; fi
  else
    bad "openssl pkcs12 $flag cannot open our $mode file: $(head -3 "$tmp/ossl.err")"
  fi
done

echo "pkcs12.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
