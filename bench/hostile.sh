#!/usr/bin/env bash
# The table of issue 19, rerun: each hostile shape at the issue's size, one
# command, with /usr/bin/time -v (wall time, peak RSS) and a timeout.
# usage: bench/hostile.sh [JKSTOOL] [TIMEOUT-SECONDS]   (prints a markdown table)
set -u
J=${1:-$(dirname "$0")/../build/jkstool}
TO=${2:-60}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
GEN="python3 $(dirname "$0")/../fuzz/hostile-shapes.py $D"
PW="--storepass pass:changeit"
echo "| input | size | command | exit | time | peak RSS | RSS limit (4x+16 MiB) |"
echo "|---|---|---|---|---|---|---|"
row() { # shape n command...
    local shape=$1 n=$2; shift 2
    local f; f=$($GEN "$shape" "$n")
    local sz; sz=$(stat -c %s "$f")
    local cmd=("${@//@F/$f}")
    cmd=("${cmd[@]//@O/$D/out}")
    /usr/bin/time -v -o "$D/t" timeout "$TO" "$J" "${cmd[@]}" >/dev/null 2>"$D/err"
    local rc=$?
    local wall rss
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$D/t")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$D/t")
    [ "$rc" = 124 ] && wall="killed at ${TO} s"
    printf '| %s %s | %.1f MB | `%s` | %s | %s | %d MB | %d MB |\n' "$shape" "$n" \
        "$(echo "$sz/1000000" | bc -l)" "${cmd[0]}" "$rc" "$wall" $((rss / 1024)) \
        $(((4 * sz + 16777216) / 1048576))
    rm -f "$f" "$D/out"
}
row p12-same-name 5000 list @F
row p12-same-name 10000 list @F
row p12-same-name 20000 list @F
row p12-same-name 50000 list @F
row pem-dup 50000 list @F
row jks-tiny 1000000 check @F
row jks-tiny 1000000 list @F
row jks-trusted 50000 check @F
row jks-chain-claim 5000000 convert @F @O --to pkcs12 --storepass pass:changeit
row jceks-iter 10 list @F $PW
row p12-shrouded-iter 10 list @F $PW
row pbmac1-512 5000000 list @F $PW
