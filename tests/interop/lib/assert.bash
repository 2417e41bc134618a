# Shared by the interop scripts (sourced, not run: not named *.sh).
# Makes the scratch directory $T (removed on exit, also the working
# directory) and the counters PASS and FAIL, with:
#   ok / bad MESSAGE        count a pass / a failure (failures on stderr)
#   run WANT_RC CMD...      run CMD, stdout in $T/out, stderr in $T/err;
#                           a different exit code is a failure
#   check DESCRIPTION CMD.. a pass when CMD succeeds
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 5
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); }
bad() { echo "FAIL: $*" >&2; FAIL=$((FAIL + 1)); }
run() {
    local want=$1
    shift
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ "$rc" != "$want" ]; then
        bad "exit $rc, want $want: ${*#$JKSTOOL}: $(head -c 400 "$T/err")"
        return 1
    fi
    ok
}
check() {
    local d=$1
    shift
    if "$@"; then ok; else bad "$d"; fi
}
