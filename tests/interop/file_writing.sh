#!/usr/bin/env bash
# Files written as users expect (jks_file_write_atomic, jks_file_write_set):
# symlinks followed (a dangling one refused), FIFOs, devices and /dev/fd/N
# written in place and never replaced, owner, group, mode and hard links
# kept, a read-only store refused, a directory we cannot write handled in
# place; a kill leaves no temporary file; --split is all or nothing; two
# converts racing for one output: one wins, the other exits 2. Devices are
# made with mknod in the scratch directory (root only), never on /dev.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/assert.bash"
JKSTOOL=${JKSTOOL:-$here/../../build/jkstool}
V=$here/../../vectors/files
IN=$V/jks-chain3.jks
SP="--storepass pass:changeit"

"$JKSTOOL" convert "$IN" $SP --to pem want.pem >/dev/null 2>&1 || { bad "reference convert"; exit 1; }
mode() { stat -c %a "$1"; }
no_temps() { ! ls -a "${1:-.}" | grep -q '^\.jkstool-'; }

# a symlink is followed: the file behind it changes, the link stays
echo old >target.pem
ln -s target.pem link.pem
run 0 "$JKSTOOL" convert "$IN" $SP --to pem link.pem --force
check "symlink still a symlink" [ -L link.pem ]
check "the file behind the symlink got the output" cmp -s target.pem want.pem
# a dangling symlink is refused and left alone
ln -s nowhere.pem dangling.pem
run 5 "$JKSTOOL" convert "$IN" $SP --to pem dangling.pem --force
check "dangling symlink refused and kept" [ -L dangling.pem -a ! -e nowhere.pem ]
# a directory is refused
mkdir adir
run 5 "$JKSTOOL" convert "$IN" $SP --to pem adir --force
check "a directory stays a directory" [ -d adir ]

# a FIFO is written in place (no --force needed: nothing is replaced)
mkfifo fifo
cat fifo >fifo.out &
reader=$!
run 0 "$JKSTOOL" convert "$IN" $SP --to pem fifo
wait $reader
check "the FIFO is still a FIFO" [ -p fifo ]
check "what went through the FIFO is the output" cmp -s fifo.out want.pem
# /dev/fd/N: the shell's descriptor is written, not replaced
run 0 "$JKSTOOL" convert "$IN" $SP --to pem /dev/fd/3 3>fd.out
check "/dev/fd/3 wrote the shell's file" cmp -s fd.out want.pem
"$JKSTOOL" convert "$IN" $SP --to pem /dev/stdout >stdout.out 2>/dev/null
check "/dev/stdout wrote standard output" cmp -s stdout.out want.pem
if [ "$(id -u)" = 0 ]; then
    mknod null c 1 3 && chmod 666 null
    run 0 "$JKSTOOL" convert "$IN" $SP --to pem null
    check "a character device stays a device (mknod copy of /dev/null)" [ -c null ]
else
    echo "file_writing.sh: not root: the device case is skipped"
fi

# owner, group and mode of an existing file are kept; a new key file is 0600
run 0 "$JKSTOOL" convert "$IN" $SP --to pkcs12 new.p12
check "new file holding keys: 0600" [ "$(mode new.p12)" = 600 ]
chmod 640 new.p12
if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null; then
    chown nobody:"$(id -gn nobody)" new.p12
fi
before_owner=$(stat -c %U:%G new.p12)
run 0 "$JKSTOOL" convert "$IN" $SP --to pkcs12 new.p12 --force
check "mode kept on replace" [ "$(mode new.p12)" = 640 ]
check "owner and group kept on replace" [ "$(stat -c %U:%G new.p12)" = "$before_owner" ]
# a new file without keys follows the umask
(umask 027 && "$JKSTOOL" export "$IN" $SP --alias root --out certs.pem >/dev/null 2>&1)
check "new file without keys: 0644 less umask 027 = 640" [ "$(mode certs.pem)" = 640 ]
# a hard link stays one
cp want.pem hl.pem
ln hl.pem hl2.pem
run 0 "$JKSTOOL" convert "$IN" $SP --to pkcs12 hl.pem --force
check "hard link kept (same inode, link count 2)" \
    [ "$(stat -c %i hl.pem)" = "$(stat -c %i hl2.pem)" -a "$(stat -c %h hl.pem)" = 2 ]
check "the hard link shows the new content" cmp -s hl.pem hl2.pem
check "no temporary files left" no_temps

# as an unprivileged user: a read-only store is refused; a file in a
# directory that user cannot write is written in place
asnobody() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && getent passwd nobody >/dev/null &&
    chmod 755 "$T" && asnobody "$JKSTOOL" --version >/dev/null 2>&1; then
    mkdir -p locked && chmod 755 locked
    cp "$IN" locked/store.jks && chown nobody locked/store.jks && chmod 644 locked/store.jks
    chmod 755 "$T" # so that nobody reaches it
    run 0 asnobody "$JKSTOOL" passwd locked/store.jks $SP --new-storepass pass:newpass1
    check "store in an unwritable directory changed in place" \
        "$JKSTOOL" list locked/store.jks --storepass pass:newpass1 >/dev/null 2>&1
    chmod 444 locked/store.jks
    cp locked/store.jks ro.before
    run 5 asnobody "$JKSTOOL" passwd locked/store.jks --storepass pass:newpass1 --new-storepass pass:x
    check "a read-only store is refused and unchanged" cmp -s locked/store.jks ro.before
    check "the refusal says not writable" grep -q "not writable" "$T/err"
else
    echo "file_writing.sh: not root, no setpriv, or nobody cannot run $JKSTOOL (a private checkout): the unprivileged cases are skipped"
fi

# SIGKILL during a conversion leaves no temporary file and no output
# a JKS of 5,680 trusted entries (cacerts' certificates 40 times under
# distinct aliases), written directly: converting it takes a while
big=$T/big.jks
"$JKSTOOL" convert "$V/cacerts.jks" --storepass pass:changeit --to pem ca.pem >/dev/null 2>&1
python3 - ca.pem "$big" <<'PY'
import base64, hashlib, re, struct, sys
certs = [base64.b64decode(b) for b in re.findall(
    r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", open(sys.argv[1]).read(), re.S)]
def utf(s):
    b = s.encode()
    return struct.pack(">H", len(b)) + b
body = bytearray(struct.pack(">III", 0xFEEDFEED, 2, 40 * len(certs)))
for k in range(40):
    for i, c in enumerate(certs):
        body += struct.pack(">I", 2) + utf("c%d-%d" % (k, i)) + struct.pack(">Q", 1700000000000)
        body += utf("X.509") + struct.pack(">I", len(c)) + c
pw = "changeit".encode("utf-16-be")
body += hashlib.sha1(pw + b"Mighty Aphrodite" + body).digest()
open(sys.argv[2], "wb").write(body)
PY
mkdir killdir
for delay in 0.01 0.03 0.06 0.1; do
    "$JKSTOOL" convert "$big" $SP --to pkcs12 --out-storepass pass:changeit killdir/out.p12 \
        --force >/dev/null 2>&1 &
    pid=$!
    sleep "$delay"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    check "kill after ${delay}s: no temporary file" no_temps killdir
    if [ -e killdir/out.p12 ]; then
        check "kill after ${delay}s: an output there is complete" \
            "$JKSTOOL" list killdir/out.p12 --storepass pass:changeit >/dev/null 2>&1
    fi
done
# a stale named temporary file of a dead process is removed by the next write
touch "killdir/.jkstool-999999-abcdef"
run 0 "$JKSTOOL" convert "$IN" $SP --to pem killdir/x.pem
check "stale temporary file of a dead process removed" no_temps killdir

# --split is all or nothing: a file size limit that the largest file breaks
"$JKSTOOL" convert "$V/cacerts.jks" --storepass pass:changeit --split split-ok >/dev/null 2>&1
n_ok=$(ls split-ok | wc -l)
check "--split wrote one file per certificate ($n_ok)" [ "$n_ok" -gt 100 ]
(
    trap '' XFSZ
    ulimit -f 2
    "$JKSTOOL" convert "$V/cacerts.jks" --storepass pass:changeit --split split-full >/dev/null 2>split.err
    echo $? >split.rc
)
check "--split over the limit fails with exit 5" [ "$(cat split.rc)" = 5 ]
check "--split over the limit leaves no directory" [ ! -e split-full ]
check "--split over the limit leaves no temporary directory" no_temps
mkdir split-existing && echo keep >split-existing/mine.txt
(
    trap '' XFSZ
    ulimit -f 2
    "$JKSTOOL" convert "$V/cacerts.jks" --storepass pass:changeit --split split-existing >/dev/null 2>&1
)
check "--split into an existing directory: nothing added on failure" \
    [ "$(ls split-existing)" = mine.txt ]

# two converts racing for one new output: one writes it, the other exits 2
wins=0 losses=0 other=0
for i in $(seq 1 20); do
    rm -f race.p12
    "$JKSTOOL" convert "$IN" $SP --to pkcs12 race.p12 >/dev/null 2>&1 &
    a=$!
    "$JKSTOOL" convert "$IN" $SP --to pkcs12 race.p12 >/dev/null 2>&1 &
    b=$!
    wait $a; ra=$?
    wait $b; rb=$?
    for r in $ra $rb; do
        case $r in 0) wins=$((wins + 1)) ;; 2) losses=$((losses + 1)) ;; *) other=$((other + 1)) ;; esac
    done
done
check "racing converts: 20 winners ($wins), 20 exit 2 ($losses), nothing else ($other)" \
    [ $wins = 20 -a $losses = 20 -a $other = 0 ]
check "no temporary files left at the end" no_temps

echo "file_writing.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
