#!/usr/bin/env bash
# The library as a user gets it: `make install PREFIX=<tmp>`, then
#  1. nm -D of the installed libjks.so lists exactly the JKS_EXTERN names of
#     the installed headers (no internal symbol exported, none missing);
#  2. a program that defines functions named like library internals still
#     reads a store right through the installed libjks.so;
#  3. examples/*.c build with nothing but `pkg-config --cflags --libs libjks`
#     and give what jkstool gives on the same stores.
#   usage: tests/abi.sh   (run by `make check` as abi-check)
set -uo pipefail
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
P=$T/prefix
J=$PWD/build/jkstool
V=vectors/files
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { echo "abi: FAIL: $*"; fail=$((fail + 1)); }

make --no-print-directory install PREFIX="$P" >"$T/install.log" 2>&1 ||
    { cat "$T/install.log"; echo "abi: make install failed"; exit 1; }
export PKG_CONFIG_PATH=$P/lib/pkgconfig LD_LIBRARY_PATH=$P/lib
[ "$(readlink "$P/lib/libjks.so")" = libjks.so.2 ] && ok || bad "libjks.so does not point at libjks.so.2"
[ "$(objdump -p "$P/lib/libjks.so.2" | awk '$1 == "SONAME" {print $2}')" = libjks.so.2 ] && ok ||
    bad "soname is not libjks.so.2"

# 1. exported symbols == JKS_EXTERN declarations
nm -D --defined-only "$P/lib/libjks.so" | awk '$2 != "A" {sub(/@.*/, "", $3); print $3}' | sort -u >"$T/exported"
# declarations may span lines: join each header, then take the name before
# "(" (functions) or "[" / ";" (data) that follows JKS_EXTERN
python3 - "$P/include/jks" >"$T/declared" <<'PY'
import re, sys, glob
names = set()
for h in glob.glob(sys.argv[1] + "/*.h"):
    text = re.sub(r"/\*.*?\*/", " ", open(h).read(), flags=re.S)
    for m in re.finditer(r"\bJKS_EXTERN\b([^;{]*?)\b(jks_\w+)\s*[(\[;]", text):
        names.add(m.group(2))
print("\n".join(sorted(names)))
PY
# and every function a public header declares is marked JKS_EXTERN
python3 - "$P/include/jks" >"$T/unmarked" <<'PY'
import re, sys, glob
for h in sorted(glob.glob(sys.argv[1] + "/*.h")):
    text = re.sub(r"/\*.*?\*/", " ", open(h).read(), flags=re.S)
    text = re.sub(r"#ifdef __cplusplus.*?#endif", " ", text, flags=re.S)
    text = re.sub(r"#[^\n]*", " ", text)
    # top-level declarations end with ';' (struct bodies are skipped by depth)
    depth, stmt = 0, ""
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            stmt = ""
            continue
        if depth:
            continue
        if ch == ";":
            m = re.search(r"\b(jks_\w+)\s*\(", stmt)
            if m and "typedef" not in stmt and "JKS_EXTERN" not in stmt:
                print(h.rsplit("/", 1)[1] + ": " + m.group(1))
            stmt = ""
        else:
            stmt += ch
PY
[ ! -s "$T/unmarked" ] && ok || { bad "public functions without JKS_EXTERN (hidden from libjks.so):"; sed 's/^/  /' "$T/unmarked"; }
n_exp=$(wc -l <"$T/exported")
if diff "$T/declared" "$T/exported" >"$T/symdiff"; then
    ok; echo "abi: libjks.so exports exactly the $n_exp JKS_EXTERN names of the installed headers"
else
    bad "exported symbols differ from the headers' JKS_EXTERN names (< headers only, > library only):"
    sed 's/^/  /' "$T/symdiff"
fi
[ "$n_exp" -gt 50 ] && ok || bad "only $n_exp symbols exported"
# every exported name is public: none of the internal headers declares it
grep -hoE '\bjks_[a-z0-9_]+\s*\(' base/*.h model/*.h crypto/*.h cert/*.h pkcs12/*.h 2>/dev/null |
    tr -d '( ' | sort -u >"$T/internal"
leak=$(comm -12 "$T/exported" "$T/internal" | comm -23 - "$T/declared")
[ -z "$leak" ] && ok || bad "internal names exported: $leak"

# 2. interposition: a program's look-alikes must not replace the library's internals
CFLAGS_PC=$(pkg-config --cflags libjks) && LIBS_PC=$(pkg-config --libs libjks) ||
    { bad "pkg-config cannot find libjks in $P"; echo "abi: $pass passed, $fail failed"; exit 1; }
if cc -std=c11 -Wall -Wextra -Werror $CFLAGS_PC -o "$T/interpose" tests/abi/interpose.c $LIBS_PC 2>"$T/cc.log"; then
    ok
    for ks in jks-chain3 jks-mixed cacerts; do
        want=$("$J" list --json "$V/$ks.jks" --storepass "file:$V/$ks.pass" |
               python3 -c 'import json,sys; print(len(json.load(sys.stdin)["entries"]))')
        if "$T/interpose" "$V/$ks.jks" "$(cat "$V/$ks.pass")" "$want" >"$T/ip.out" 2>&1; then ok
        else bad "interpose $ks: $(cat "$T/ip.out")"; fi
    done
else
    bad "interpose.c does not build against the installed library: $(cat "$T/cc.log")"
fi

# 3. the examples, built with pkg-config only
for ex in list_store jks_to_p12 check_store; do
    if cc -std=c11 -Wall -Wextra -Werror $CFLAGS_PC -o "$T/$ex" "examples/$ex.c" $LIBS_PC 2>"$T/$ex.cc"; then ok
    else bad "examples/$ex.c does not build: $(cat "$T/$ex.cc")"; fi
done
aliases_json() { python3 -c 'import json,sys; print("\n".join(sorted(e["alias"] for e in json.load(sys.stdin)["entries"])))'; }
for ks in jks-chain3 jks-mixed jks-aliases cacerts; do
    pw=$(cat "$V/$ks.pass")
    got=$("$T/list_store" "$V/$ks.jks" "$pw" | awk -F'\t' 'NR > 1 && $0 !~ /^\t/ {print $1}' | sort)
    want=$("$J" list --json "$V/$ks.jks" --storepass "pass:$pw" | aliases_json)
    [ -n "$want" ] && [ "$got" = "$want" ] && ok || bad "list_store $ks: aliases differ from jkstool list"
    fps=$("$T/list_store" "$V/$ks.jks" "$pw" | awk '/^\tcert/ {print $4}' | sort)
    wantfps=$("$J" list --json "$V/$ks.jks" --storepass "pass:$pw" |
        python3 -c 'import json,sys; print("\n".join(sorted(c["sha256"] for e in json.load(sys.stdin)["entries"] for c in e["chain"])))')
    [ "$fps" = "$wantfps" ] && ok || bad "list_store $ks: fingerprints differ from jkstool list"
done
for ks in jks-chain3 jks-mixed; do
    pw=$(cat "$V/$ks.pass")
    if "$T/jks_to_p12" "$V/$ks.jks" "$T/$ks.p12" "$pw" >/dev/null 2>"$T/conv.err"; then
        openssl pkcs12 -in "$T/$ks.p12" -passin "pass:$pw" -noout 2>"$T/ossl.err" && ok ||
            bad "openssl cannot verify the PKCS#12 from jks_to_p12 $ks: $(head -2 "$T/ossl.err")"
        [ "$(stat -c %a "$T/$ks.p12")" = 600 ] && ok || bad "jks_to_p12 output is not 0600"
        a=$("$J" list --json "$T/$ks.p12" --storepass "pass:$pw" | aliases_json)
        b=$("$J" list --json "$V/$ks.jks" --storepass "pass:$pw" | aliases_json)
        [ "$a" = "$b" ] && ok || bad "jks_to_p12 $ks: aliases [$a] != [$b]"
    else
        bad "jks_to_p12 $ks: $(cat "$T/conv.err")"
    fi
done
ids_json() { python3 -c 'import json,sys; print(",".join(sorted({f["id"] for f in json.load(sys.stdin)["findings"]})))'; }
for row in "chain-incomplete.jks client" "client-ok.jks client" "ca-in-chain.jks client"; do
    set -- $row
    f=vectors/check/$1
    [ -f "$f" ] || { bad "missing $f"; continue; }
    "$T/check_store" "$f" changeit "$2" >"$T/cs.json"; rc=$?   # 1: errors found
    [ $rc -le 1 ] || { bad "check_store $1: exit $rc"; continue; }
    got=$(ids_json <"$T/cs.json") || { bad "check_store $1: not JSON"; continue; }
    "$J" check --json "$f" --storepass pass:changeit --for "$2" >"$T/jc.json"; jrc=$?
    want=$(ids_json <"$T/jc.json")
    [ "$rc" = "$jrc" ] && ok || bad "check_store $1: exit $rc, jkstool check $jrc"
    [ "$got" = "$want" ] && ok || bad "check_store $1: ids [$got], jkstool check [$want]"
done
"$T/check_store" vectors/check/chain-incomplete.jks changeit client >"$T/cs.json"
got=$(ids_json <"$T/cs.json")
case ",$got," in *,chain-incomplete,*) ok ;; *) bad "check_store misses chain-incomplete: [$got]" ;; esac

echo "abi: $pass passed, $fail failed"
[ "$fail" = 0 ]
