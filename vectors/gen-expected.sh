#!/usr/bin/env bash
# gen-expected.sh [VECTORS_DIR]: write the Java-side expected results for the vectors.
#
# Reads VECTORS_DIR/files/manifest.tsv (written by make-vectors.sh) and produces
#   VECTORS_DIR/manifest.tsv                  same lines, paths relative to VECTORS_DIR
#   VECTORS_DIR/expected/NAME.json            Dump.java (JDK 17) with the store password
#                                             and the key passwords
#   VECTORS_DIR/expected/NAME.nopass.json     Dump.java (JDK 17), KeyStore.load(in, null),
#                                             no key password, for the NOPASS list below
#   VECTORS_DIR/expected/NAME.jdk25.json      for jdk25-* vectors: Dump.java run by JDK 25
#                                             (only if JDK 25 is installed)
# Expected results come from Java only, never from our C code.
set -euo pipefail
export LC_ALL=C.UTF-8

here=$(cd "$(dirname "$0")" && pwd)
vec=$(cd "${1:-$here}" && pwd)
root=$(cd "$here/.." && pwd)
dump=$root/tests/interop/java/Dump.java
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
J17=$JDK17/bin/java
[ -x "$J17" ] || { echo "no JDK 17 java at $J17" >&2; exit 1; }

# Stores also dumped after KeyStore.load(in, null).
NOPASS=" jks-rsa2048 jks-chain3 jks-keypass jks-aliases jks-storepass-nonascii jks-empty
         jceks-secret jceks-chain3 jceks-keypass jceks-storepass-nonascii p12-jdk-chain3 p12-jdk-nomac
         p12-jdk-certnone ossl-nopbe ossl-nomac-certnone ossl-nomac-nopbe ossl-nocerts "
NOPASS=" $(echo $NOPASS) "   # one space between names (awk matches " NAME ")

src=$vec/files/manifest.tsv
[ -f "$src" ] || { echo "missing $src: run make-vectors.sh $vec/files first" >&2; exit 1; }

stem() { local b=${1##*/}; printf '%s' "${b%.*}"; }

# 1. vectors/manifest.tsv (awk: bash `read` would merge empty tab-separated fields)
has25=0; [ -x "$JDK25/bin/java" ] && has25=1
{
  printf '# path\tstoretype\tstorepass\tkeypasses\tnotes\n'
  awk -F '\t' -v OFS='\t' -v nopass="$NOPASS" -v has25=$has25 '
    { n = $1; sub(/^.*\//, "", n); sub(/\.[^.]*$/, "", n)
      notes = $5
      if (index(nopass, " " n " ")) notes = notes " [+nopass]"
      if (has25 && n ~ /^jdk25-/) notes = notes " [+jdk25]"
      print "files/" $1, $2, $3, $4, notes }' "$src"
} > "$vec/manifest.tsv"

mkdir -p "$vec/expected"
rm -f "$vec/expected"/*.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# split_into SUFFIX < dump output: one line per manifest entry, same order
split_into() {
  local suffix=$1 line file
  while IFS= read -r line; do
    file=${line#\{\"file\":\"}
    file=${file%%\"*}
    printf '%s\n' "$line" > "$vec/expected/$(stem "$file")$suffix.json"
  done
}

cd "$vec"
# 2. with passwords
"$J17" "$dump" --vectors-manifest manifest.tsv > "$tmp/all.out"
[ "$(wc -l < "$tmp/all.out")" -eq "$(grep -vc '^#' manifest.tsv)" ] || { echo "Dump output count mismatch" >&2; exit 1; }
split_into "" < "$tmp/all.out"

# 3. without a password (Dump manifest layout: path, storepass, keypasses, type, flags)
awk -F '\t' -v OFS='\t' -v nopass="$NOPASS" '
  /^#/ { next }
  { n = $1; sub(/^.*\//, "", n); sub(/\.[^.]*$/, "", n)
    if (index(nopass, " " n " ")) print $1, "", "", $2, "nopass" }' manifest.tsv > "$tmp/nopass.tsv"
"$J17" "$dump" --manifest "$tmp/nopass.tsv" | split_into ".nopass"

# 4. jdk25-* vectors read by JDK 25 itself
if [ -x "$JDK25/bin/java" ]; then
  awk -F '\t' -v OFS='\t' '$1 ~ /^files\/jdk25-/ { print $1, $3, $4, $2 }' manifest.tsv > "$tmp/jdk25.tsv"
  if [ -s "$tmp/jdk25.tsv" ]; then
    "$JDK25/bin/java" "$dump" --manifest "$tmp/jdk25.tsv" | split_into ".jdk25"
  fi
fi

echo "expected results: $(ls "$vec/expected" | wc -l) files in $vec/expected"
grep -l '"ok":false' "$vec/expected"/*.json 2>/dev/null | sed 's/^/  ok:false  /' || true
