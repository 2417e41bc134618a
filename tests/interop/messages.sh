#!/usr/bin/env bash
# What reaches the user when something is wrong (issue 13, item 7): a bare
# password is refused without echoing any of it; check --json answers in JSON
# (validated against schemas/check.schema.json by make json-check) also when
# the file cannot be read, with the exit code on record.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib/assert.bash"
JKSTOOL=${JKSTOOL:-$here/../../build/jkstool}
V=$here/../../vectors/files
for cmd in list check; do
    run 2 "$JKSTOOL" $cmd "$V/jks-chain3.jks" --storepass Zq7sEcret &&
        check "$cmd: a bare password is not echoed, not even in part" \
            [ -z "$(grep -a 'Zq7' "$T/err" "$T/out")" ]
    check "$cmd: the refusal names the right spelling" grep -q 'pass:' "$T/err"
done
run 5 "$JKSTOOL" check "$T/missing.jks" --json
check "check --json of a missing file: one JSON object on stdout" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and d["exit"] == 5 and "missing.jks" in d["file"] and d["error"]
' "$T/out"
head -c 100 "$V/jks-chain3.jks" >"$T/cut.jks"
run 4 "$JKSTOOL" check "$T/cut.jks" --storepass pass:changeit --json
check "check --json of a cut file: exit 4 on record" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is False and d["exit"] == 4
' "$T/out"
# check DIR --json: a skipped first file (not a keystore) and then a store
mkdir dir && echo hello >dir/0-readme.txt && cp "$V/jks-chain3.jks" dir/b.jks
run 0 "$JKSTOOL" check dir --json --storepass pass:changeit
check "check DIR --json with a skipped first file is valid JSON with both files" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [f.get("skipped", False) for f in d["files"]] == [True, False]
' "$T/out"
echo "messages.sh: $PASS checks passed, $FAIL failed"
[ "$FAIL" = 0 ]
