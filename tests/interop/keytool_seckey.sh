#!/usr/bin/env bash
# Interop: `jkstool keytool -genseckey` and `-importpass` against keytool 17
# (issue 15 item 11). Each case runs keytool 17 and the keytool mode in
# their own directories on copies of the same fixtures, with the same
# standard input: stdout, stderr and exit code must be keytool's, the same
# files must be left, keytool must list each alike, and Java (Dump.java)
# must read the same entries from both: secret key algorithm and length
# (and for -importpass the same key bytes). Keytool-made secret keys are
# read by `jkstool list --json` as Java reads them; JDK 25's keytool lists
# what the keytool mode wrote as it lists keytool 17's.
set -u
export PWE=secret1
JKSTOOL=${JKSTOOL:-$PWD/build/jkstool}
JDK=/usr/lib/jvm/java-17-openjdk-amd64
KT=$JDK/bin/keytool
KT25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/keytool
if [ ! -x "$KT" ] || [ ! -x "$JDK/bin/javac" ]; then
    echo "keytool_seckey.sh: SKIP: no keytool/javac at $JDK"
    exit 0
fi
DUMP_SRC=$(cd "$(dirname "$0")" && pwd)/java/Dump.java
export TZ=UTC LC_ALL=C
. "$(dirname "$0")/lib/assert.bash" # $T, PASS/FAIL, ok, bad, check
# -XX flags: keytool starts with C1 only and the serial GC (about 40% less CPU per
# run, same output; the suite starts keytool a few thousand times)
J="-J-Duser.language=en -J-Duser.country=US -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC"
q() { "$KT" $J "$@" >/dev/null 2>&1 || { echo "setup failed: keytool $*" >&2; exit 5; }; }
mkdir cls && "$JDK/bin/javac" -d cls "$DUMP_SRC" 2>/dev/null || { echo "cannot compile Dump.java" >&2; exit 5; }
# dump FILE...: Java's view (alias, kind, secret algorithm and bits; key
# bytes' hash only with KEEP=1), store password changeit, key passwords
# changeit, keypw12, keypass1
dump() {
    local a=() f
    for f in "$@"; do a+=(--file "$f" --storepass changeit --keypass keypw12 --keypass keypass1); done
    "$JDK/bin/java" -cp "$T/cls" Dump "${a[@]}" | sed 's/^{"file":"[^"]*",/{/' |
        if [ "${KEEP:-0}" = 1 ]; then cat; else sed -E 's/"(secret_sha256|pkcs8_sha256)":"[0-9a-f]*"/"\1":"-"/g'; fi
}

# ---- fixtures, made by keytool 17 ----
q -genkeypair -alias own -keyalg EC -dname CN=own -storetype JCEKS -keystore c.jceks \
    -storepass changeit -keypass keypass1
q -genseckey -alias old -keyalg AES -keysize 128 -storetype JCEKS -keystore c.jceks \
    -storepass changeit -keypass changeit
q -genkeypair -alias own -keyalg EC -dname CN=own -keystore p.p12 -storepass changeit
q -genseckey -alias old -keyalg HmacSHA256 -keysize 256 -keystore p.p12 -storepass changeit
q -genseckey -alias only -keyalg AES -keysize 256 -keystore s.p12 -storepass changeit
q -genkeypair -alias own -keyalg EC -dname CN=own -storetype JKS -keystore k.jks \
    -storepass changeit -keypass changeit

# both DESC INPUT FIXTURES -- ARGS: keytool in kd/, jkstool keytool in jd/,
# INPUT (printf %b) on standard input; everything compared as above.
both() {
    local d=$1 in=$2 f
    shift 2
    rm -rf kd jd && mkdir kd jd
    while [ "$1" != -- ]; do cp "$1" kd/ && cp "$1" jd/; shift; done
    shift
    (cd kd && printf '%b' "$in" | "$KT" $J "$@" >../kt.out 2>../kt.err; echo "rc=$?" >>../kt.out)
    (cd jd && printf '%b' "$in" | "$JKSTOOL" keytool "$@" >../jk.out 2>../jk.err; echo "rc=$?" >>../jk.out)
    if cmp -s kt.out jk.out && cmp -s kt.err jk.err; then ok; else
        bad "$d: stdout, stderr or exit differ from keytool's"
        diff kt.out jk.out | head -6 >&2
        diff kt.err jk.err | head -6 >&2
    fi
    ls kd >kt.ls
    ls jd >jk.ls
    check "$d: the same files as keytool leaves" cmp -s kt.ls jk.ls
    for f in $(cat kt.ls); do
        [ -f "jd/$f" ] || continue
        if [ -f "$f" ] && cmp -s "kd/$f" "$f"; then # keytool left the fixture as it was
            check "$d: $f left as it was, as keytool leaves it" cmp -s "jd/$f" "$f"
            continue
        fi
        if [ "${LIST:-1}" = 1 ]; then # (LIST=0: the loops over algorithms, to save JVMs)
            "$KT" $J -list -keystore "kd/$f" -storepass changeit >kt.l 2>&1
            "$KT" $J -list -keystore "jd/$f" -storepass changeit >jk.l 2>&1
            sed -i "s|jd/|kd/|g" jk.l
            if cmp -s kt.l jk.l; then ok; else
                bad "$d: keytool lists $f differently"
                diff kt.l jk.l | head -6 >&2
            fi
        fi
        dump "kd/$f" "jd/$f" >both.d
        if [ "$(sed -n 1p both.d)" = "$(sed -n 2p both.d)" ] && grep -q '"ok":true' both.d; then ok; else
            bad "$d: Java reads $f differently (algorithm, length or bytes)"
            cat both.d | cut -c1-300 >&2
        fi
        if [ "${K25:-0}" = 1 ] && [ -x "$KT25" ]; then
            "$KT25" $J -list -keystore "kd/$f" -storepass changeit >kt.l 2>&1
            "$KT25" $J -list -keystore "jd/$f" -storepass changeit >jk.l 2>&1
            sed -i "s|jd/|kd/|g" jk.l
            check "$d: keytool 25 lists $f as keytool 17's" cmp -s kt.l jk.l
        fi
    done
}

# -genseckey: every algorithm and size keytool 17 accepts, into JCEKS and PKCS12
for a in "AES 128" "AES 192" "aes 256" "DES" "DESede" "DESede 112" "TripleDES 168" \
    "HmacSHA1 160" "HmacSHA224 224" "HmacSHA256 100" "HmacSHA384 384" "HmacSHA512 1024" \
    "HmacSHA512/256 256" "HmacSHA3-256 256" "ARCFOUR 128" "RC4 40" "HmacMD5 128" "Blowfish 128" \
    "RC2 64" "ChaCha20 256"; do
    set -- $a
    LIST=0 both "-genseckey $a into JCEKS" "" c.jceks -- -genseckey -alias new -keyalg $1 ${2:+-keysize $2} \
        -keystore c.jceks -storetype JCEKS -storepass changeit -keypass keypw12
    LIST=0 both "-genseckey $a into PKCS12" "" p.p12 -- -genseckey -alias new -keyalg $1 ${2:+-keysize $2} \
        -keystore p.p12 -storepass changeit
done
# sizes and names keytool refuses
for a in "AES 64" "AES 0" "AES -5" "DES 64" "DESede 100" "HmacSHA256 39" "ARCFOUR 1025" \
    "Blowfish 36" "ChaCha20 128" "RC2 30" "FOO 128" "AES" "HmacSHA256" "AES abc" "AES -1"; do
    set -- $a
    both "-genseckey $a refused" "" p.p12 -- -genseckey -alias new -keyalg $1 ${2:+-keysize $2} \
        -keystore p.p12 -storepass changeit
done
both "-genseckey without -keyalg" "" p.p12 -- -genseckey -alias new -keystore p.p12 -storepass changeit
both "-genseckey into JKS: Cannot store non-PrivateKeys" "" k.jks -- -genseckey -alias new -keyalg AES \
    -keysize 128 -keystore k.jks -storepass changeit -keypass changeit
both "-genseckey: the alias exists (Java's case rule)" "" c.jceks -- -genseckey -alias OWN -keyalg AES \
    -keysize 128 -keystore c.jceks -storetype JCEKS -storepass changeit -keypass changeit
both "-genseckey -v: [Storing] and the migration warning" "" c.jceks -- -genseckey -v -alias New \
    -keyalg DES -keystore c.jceks -storepass changeit -keypass changeit
both "-genseckey -keypass into PKCS12: keytool's warning" "" p.p12 -- -genseckey -alias new -keyalg AES \
    -keysize 128 -keystore p.p12 -storepass changeit -keypass other12
both "-genseckey default alias mykey" "" p.p12 -- -genseckey -keyalg AES -keysize 128 -keystore p.p12 \
    -storepass changeit
# wrong store passwords
both "-genseckey wrong password (JCEKS)" "" c.jceks -- -genseckey -alias new -keyalg AES -keysize 128 \
    -keystore c.jceks -storepass wrongpw -keypass changeit
both "-genseckey wrong password (PKCS12)" "" p.p12 -- -genseckey -alias new -keyalg AES -keysize 128 \
    -keystore p.p12 -storepass wrongpw
both "-genseckey wrong password (PKCS12 of secret keys only: the MAC's message)" "" s.p12 -- -genseckey \
    -alias new -keyalg AES -keysize 128 -keystore s.p12 -storepass wrongpw
both "-list wrong password (PKCS12 of secret keys only)" "" s.p12 -- -list -keystore s.p12 -storepass wrongpw
# new stores
K25=1 both "-genseckey creates a PKCS12" "" -- -genseckey -alias new -keyalg AES -keysize 256 \
    -keystore n.p12 -storepass changeit
K25=1 both "-genseckey creates a JCEKS" "" -- -genseckey -alias new -keyalg DESede -keystore n.jceks \
    -storetype JCEKS -storepass changeit -keypass changeit
both "-genseckey new store, short password" "" -- -genseckey -alias new -keyalg AES -keysize 128 \
    -keystore n.p12 -storepass short
# prompts, answered through a pipe in keytool's order
both "prompts: store password, RETURN for the key password" "changeit\n\n" c.jceks -- -genseckey \
    -alias new -keyalg AES -keysize 128 -keystore c.jceks -storetype JCEKS
both "prompts: store password, key password twice" "changeit\nkeypw12\nkeypw12\n" c.jceks -- \
    -genseckey -alias new -keyalg AES -keysize 128 -keystore c.jceks -storetype JCEKS
both "prompts: key passwords that differ, then RETURN" "keypw12\nkeypw13\n\n" c.jceks -- -genseckey \
    -alias new -keyalg HmacSHA256 -keysize 256 -keystore c.jceks -storepass changeit
both "prompts: a short key password, then three failures" "abc\nabcd\nabcde\n" c.jceks -- -genseckey \
    -alias new -keyalg AES -keysize 128 -keystore c.jceks -storepass changeit
both "prompts: PKCS12 asks the store password only" "changeit\n" p.p12 -- -genseckey -alias new \
    -keyalg AES -keysize 128 -keystore p.p12
both "prompts: a new store's password twice" "changeit\nchangeit\n" -- -genseckey -alias new \
    -keyalg AES -keysize 128 -keystore n.p12
both "prompts: a short store password" "abc\nchangeit\nchangeit\n" -- -genseckey -alias new \
    -keyalg AES -keysize 128 -keystore n.p12
both "prompts: store password, wrong" "wrongpw\n" p.p12 -- -genseckey -alias new \
    -keyalg AES -keysize 128 -keystore p.p12

# -importpass: the password is read from standard input (no prompt from a pipe)
K25=1 KEEP=1 both "-importpass into JCEKS" "secret1\n\n" c.jceks -- -importpass -alias pw -keystore c.jceks \
    -storepass changeit
KEEP=1 both "-importpass into JCEKS, key password given" "secret1\n" c.jceks -- -importpass -alias pw \
    -keystore c.jceks -storepass changeit -keypass keypw12
K25=1 KEEP=1 both "-importpass into PKCS12" "Secret-1 x\n" p.p12 -- -importpass -alias pw -keystore p.p12 \
    -storepass changeit
KEEP=1 both "-importpass -v" "secret1\n" p.p12 -- -importpass -v -alias pw -keystore p.p12 \
    -storepass changeit
KEEP=1 both "-importpass: store password, then the password, then RETURN" "changeit\nsecret1\n\n" \
    c.jceks -- -importpass -alias pw -keystore c.jceks
KEEP=1 both "-importpass -keyalg pbe (the default, any case)" "secret1\n" p.p12 -- -importpass -alias pw \
    -keyalg pbe -keystore p.p12 -storepass changeit
KEEP=1 both "-importpass into a new PKCS12" "secret1\n" -- -importpass -alias pw -keystore n.p12 \
    -storepass changeit
KEEP=1 both "-importpass -keyalg PBEWithHmacSHA256AndAES_128 into PKCS12" "secret1\n" p.p12 -- \
    -importpass -alias pw -keyalg PBEWithHmacSHA256AndAES_128 -keystore p.p12 -storepass changeit
KEEP=1 both "-importpass -v -keyalg PBEWithHmacSHA256AndAES_128: the key's name" "secret1\n" p.p12 -- \
    -importpass -v -alias pw -keyalg PBEWithHmacSHA256AndAES_128 -keystore p.p12 -storepass changeit
# (with -v keytool adds Java's stack frames, which this mode does not print)
both "-importpass -keyalg PBEWithHmacSHA256AndAES_128 into JCEKS: refused" "secret1\n" c.jceks -- \
    -importpass -alias pw -keyalg PBEWithHmacSHA256AndAES_128 -keystore c.jceks -storepass changeit \
    -keypass changeit
both "-importpass -keyalg PBEfoo into PKCS12: refused" "secret1\n" p.p12 -- -importpass -alias pw \
    -keyalg PBEfoo -keystore p.p12 -storepass changeit
both "-importpass into JKS: Cannot store non-PrivateKeys" "secret1\n" k.jks -- -importpass -alias pw \
    -keystore k.jks -storepass changeit -keypass changeit
both "-importpass: a non-ASCII password" "s\xc3\xa9cret\n" p.p12 -- -importpass -alias pw \
    -keystore p.p12 -storepass changeit
both "-importpass -keyalg AES -keysize 128 generates a key" "" p.p12 -- -importpass -alias pw \
    -keyalg AES -keysize 128 -keystore p.p12 -storepass changeit
both "-importpass: the alias exists" "secret1\n" p.p12 -- -importpass -alias old -keystore p.p12 \
    -storepass changeit
both "-importpass wrong store password" "secret1\n" c.jceks -- -importpass -alias pw -keystore c.jceks \
    -storepass wrongpw

# an empty password: keytool stores an empty key Java cannot read back ("Empty key");
# this mode refuses it (exit 1) and leaves the store as it was
cp p.p12 e.p12
printf '\n' | "$JKSTOOL" keytool -importpass -alias pw -keystore e.p12 -storepass changeit >jk.out 2>&1
check "-importpass of an empty password: refused, exit 1" [ $? = 1 ]
check "-importpass of an empty password: the store unchanged" cmp -s p.p12 e.p12

# keytool-made secret keys as jkstool list --json reads them: Java's algorithm and length
cp p.p12 c.jceks s.p12 kdir/ 2>/dev/null || { mkdir kdir && cp p.p12 c.jceks s.p12 kdir/; }
printf 'secret1\n' | "$KT" $J -importpass -alias pw -keystore kdir/p.p12 -storepass changeit >/dev/null 2>&1
printf 'secret1\n' | "$KT" $J -importpass -alias pw -keystore kdir/c.jceks -storepass changeit \
    -keypass changeit >/dev/null 2>&1
"$KT" $J -genseckey -alias des3 -keyalg DESede -keystore kdir/c.jceks -storepass changeit \
    -keypass changeit >/dev/null 2>&1
for f in p.p12 c.jceks s.p12; do
    KEEP=1 dump "kdir/$f" | /usr/bin/python3 -c '
import json, sys
d = json.loads(sys.stdin.readline())
for e in d["entries"]:
    if e["kind"] == "secret-key":
        print(e["alias"], e["secret_alg"], e["secret_bits"])' >kt.s
    "$JKSTOOL" list "kdir/$f" --storepass pass:changeit --keypass pass:keypass1 --json |
        /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for e in sorted(d["entries"], key=lambda e: e["alias"]):
    if e["kind"] == "secret-key":
        print(e["alias"], e["secret"]["algorithm"], e["secret"]["bits"])' >jk.s
    if cmp -s kt.s jk.s && [ -s kt.s ]; then ok; else
        bad "jkstool list --json reads keytool's secret keys of $f differently"
        diff kt.s jk.s >&2
    fi
done


# ---- jkstool genseckey: the same entries through jkstool's own command ----
run 0 "$JKSTOOL" genseckey g.p12 --alias Sym --keyalg AES --keysize 256 --storepass pass:changeit --json
check "genseckey --json: the summary" /usr/bin/python3 -c '
import json; d = json.load(open("'"$T"'/out"))
assert d == {"keystore": "g.p12", "format": "pkcs12", "created": True, "alias": "sym",
             "kind": "secret-key", "algorithm": "AES", "bits": 256}, d'
"$KT" $J -list -keystore g.p12 -storepass changeit >kt.l 2>&1
check "genseckey: keytool lists the secret key" grep -q "^sym, .*SecretKeyEntry" kt.l
dump g.p12 >g.d
check "genseckey: Java reads a 256-bit AES key" grep -q '"secret_alg":"AES","secret_bits":256' g.d
cp c.jceks g.jceks
run 0 "$JKSTOOL" genseckey g.jceks --alias pw --password-entry env:PWE --storepass pass:changeit \
    --keypass pass:keypw12 --json
check "genseckey --password-entry --json" grep -q '"kind":"password","algorithm":"PBEWithMD5AndDES","bits":0' out
KEEP=1 dump g.jceks | grep -o '"alias":"pw"[^}]*' >jk.s
KEEP=1 dump kdir/c.jceks | grep -o '"alias":"pw"[^}]*' >kt.s
check "genseckey --password-entry: Java reads keytool -importpass's key, byte for byte" \
    eval 'cmp -s kt.s jk.s && grep -q PBEWithMD5AndDES kt.s'
run 0 "$JKSTOOL" genseckey g.jceks --alias des --keyalg DESede --storepass pass:changeit
dump g.jceks >g.d
check "genseckey DESede: Java reads a 192-bit DESede key" grep -q '"alias":"des","kind":"secret-key","secret_alg":"DESede","secret_bits":192' g.d
check "genseckey: the JCEKS key pair keeps its password" grep -q '"alias":"own","kind":"private-key".*"pkcs8_sha256":"-"' g.d
cp k.jks g.jks
run 2 "$JKSTOOL" genseckey g.jks --alias s --keyalg AES --keysize 128 --storepass pass:changeit
check "genseckey into JKS: refused, the store unchanged" cmp -s k.jks g.jks
run 2 "$JKSTOOL" genseckey g.p12 --alias b --keyalg Blowfish --keysize 128 --storepass pass:changeit
check "genseckey Blowfish into PKCS12: refused by name" grep -q "cannot store a Blowfish key" err
run 2 "$JKSTOOL" genseckey g.p12 --alias b --keyalg AES --keysize 100 --storepass pass:changeit
check "genseckey AES 100: Java's message" grep -q "Wrong keysize: must be equal to 128, 192 or 256" err
run 2 "$JKSTOOL" genseckey g.p12 --alias SYM --keyalg AES --keysize 128 --storepass pass:changeit
run 3 "$JKSTOOL" genseckey g.p12 --alias x --keyalg AES --keysize 128 --storepass pass:wrongpw
run 2 "$JKSTOOL" genseckey g.p12 --alias x --password-entry pass:s$'\xc3\xa9' --storepass pass:changeit
check "genseckey --password-entry non-ASCII: Java's message" grep -q "Password is not ASCII" err

echo "keytool_seckey.sh: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
