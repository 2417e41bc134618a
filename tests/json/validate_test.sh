#!/usr/bin/env bash
# Proves that `make json-check` can fail: tests/json/validate.py, fed through
# the capture wrapper with real jkstool outputs, accepts them, and refuses each
# doctored copy (a required field removed, an enum value changed, a wrong
# type), an empty capture directory, a command without schema, and exit 0
# with nothing printed, naming the file and the error each time.
#   usage: tests/json/validate_test.sh BUILD_DIR   (run from the repository root)
set -u
B=$(cd "${1:-build}" && pwd)
ROOT=$PWD
PY=$(command -v /usr/bin/python3 || command -v python3)
V=$ROOT/vectors/files
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
validate() { "$PY" "$ROOT/tests/json/validate.py" "$ROOT/schemas" "$1" "${@:2}" >"$T/v.out" 2>&1; }

# real outputs through the wrapper
cap=$T/good
export JKSTOOL_JSON_CAPTURE=$cap JKSTOOL_REAL=$B/jkstool JKSTOOL_JSON_TAG=validate_test
W=$ROOT/tests/json/jkstool-json-capture
"$W" list --json "$V/jks-mixed.jks" --storepass pass:changeit >"$T/list.out" || bad "list failed"
cmp -s "$T/list.out" <("$B/jkstool" list --json "$V/jks-mixed.jks" --storepass pass:changeit) &&
  ok || bad "the wrapper changed list's output"
"$W" check --json "$V/jks-mixed.jks" --storepass pass:changeit --at 2027-01-01 >/dev/null
rc=$?
[ "$rc" -le 1 ] && ok || bad "check failed: exit $rc"
"$W" convert --json "$V/jks-mixed.jks" "$T/out.p12" --storepass pass:changeit >/dev/null || bad "convert failed"
"$W" list --json "$V/jks-mixed.jks" --storepass pass:wrong >/dev/null 2>&1
[ $? = 3 ] && ok || bad "the wrapper lost the exit code"
"$W" list "$V/jks-mixed.jks" --storepass pass:changeit >/dev/null || bad "list without --json failed"
n=$(ls "$cap" | grep -vc '\.json$')
[ "$n" = 4 ] && ok || bad "want 4 captures (only --json calls), got $n"
if validate "$cap" --require list,check,convert; then ok; else bad "real outputs refused: $(cat "$T/v.out")"; fi
grep -q '3 outputs valid' "$T/v.out" && ok || bad "want 3 valid outputs: $(cat "$T/v.out")"

# the schemas' other branches, from real outputs: keys that do not open,
# secret keys, entries Java does not show, --split, a directory with a
# keystore, a file that is not one and a corrupt one
cap2=$T/more
export JKSTOOL_JSON_CAPTURE=$cap2
"$W" list --json "$V/jks-twokeys.jks" --storepass pass:changeit --keypass pass:alpha-pw >/dev/null 2>&1
"$W" list --json "$V/jceks-secret.jceks" --storepass pass:changeit >/dev/null
"$W" list --json "$V/jceks-secret.jceks" >/dev/null 2>&1
"$W" list --json "$V/ossl-truststore.p12" --storepass pass:changeit >/dev/null
"$W" list --json "$V/ossl-nopbe.p12" --storepass pass:changeit >/dev/null
"$W" convert --json "$V/jks-mixed.jks" --split "$T/split" --storepass pass:changeit >/dev/null
mkdir "$T/dir" && cp "$V/jks-mixed.jks" "$V/ossl-truststore.p12" "$T/dir/" && echo "not a keystore" >"$T/dir/notes.txt" &&
  head -c 3000 "$V/jks-mixed.jks" >"$T/dir/cut.jks"
"$W" check --json "$T/dir" --storepass pass:changeit >/dev/null 2>&1
if validate "$cap2" --require list,convert,check; then ok; else bad "real outputs refused: $(cat "$T/v.out")"; fi
grep -q '7 outputs valid' "$T/v.out" && ok || bad "want 7 valid outputs: $(cat "$T/v.out")"
all=$(cat "$cap2"/*.json)
for want in '"decrypted":false,"error":"wrong-password"' '"secret":{"algorithm":' '"secret":{"decrypted":false,"error":"no-password"}' \
            '"java_visible":false' '"files":["' '"skipped":true' '"ok":false,"exit":4'; do
  grep -qF -- "$want" <<<"$all" && ok || bad "no output holds $want"
done
validate "$cap" --require list,probe && bad "--require probe passed without a probe output" ||
  { grep -q "no validated 'probe --json' output" "$T/v.out" && ok || bad "--require: $(cat "$T/v.out")"; }

# doctor one capture: CMD PYTHON-STATEMENT-ON-d EXPECTED-TEXT-IN-ERROR
doctor() {
  local cmd=$1 stmt=$2 want=$3 d=$T/bad.$RANDOM
  mkdir -p "$d"
  local src
  for src in $(grep -l "^command	$cmd\$" "$cap"/*); do [ -s "$src.json" ] && break; done
  cp "$src" "$d/$cmd.x"
  "$PY" - "$src.json" "$d/$cmd.x.json" "$stmt" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"))
PYEOF
  if validate "$d"; then
    bad "doctored $cmd output accepted ($stmt)"
  elif grep -q "$d/$cmd.x.json" "$T/v.out" && grep -q -- "$want" "$T/v.out"; then
    ok
  else
    bad "doctored $cmd ($stmt): message lacks file or '$want': $(cat "$T/v.out")"
  fi
}
doctor list 'del d["entries"][0]["alias"]' "'alias' is a required property"
doctor list 'del d["integrity"]' "'integrity' is a required property"
doctor list 'd["entries"][0]["kind"] = "private"' "is not one of"
doctor list 'd["entries"][0]["chain"][0]["sha256"] = "AB"' "does not match"
doctor list 'd["format"] = "jks8"' "is not one of"
doctor list 'next(e for e in d["entries"] if e["kind"] == "private-key").pop("key")' "'key' is a required property"
doctor check 'del d["findings"][0]["severity"]' "'severity' is a required property"
doctor check 'd["findings"][0]["severity"] = "fatal"' "is not one of"
doctor check 'd["ok"] = "yes"' "is not of type 'boolean'"
doctor check 'd = {"files": [d], "ok": 1}' "is not of type 'boolean'"
doctor check 'd = {"files": [dict(d, format="der")], "ok": True}' "is not one of"
doctor convert 'del d["format"]' "'format' is a required property"
doctor convert 'd["entries"] = "5"' "is not of type 'integer'"

# nothing captured must fail, not pass
mkdir -p "$T/empty"
validate "$T/empty" && bad "an empty capture directory passed" ||
  { grep -q 'nothing was validated' "$T/v.out" && ok || bad "empty: $(cat "$T/v.out")"; }
validate "$T/none" && bad "a missing capture directory passed" || ok
# exit 0 with nothing printed
mkdir -p "$T/silent" && printf 'command\tlist\nexit\t0\ncaller\tx\nargv\tlist --json\n' >"$T/silent/list.s" &&
  : >"$T/silent/list.s.json"
validate "$T/silent" && bad "exit 0 without output passed" ||
  { grep -q 'printed nothing, yet exit 0' "$T/v.out" && ok || bad "silent: $(cat "$T/v.out")"; }
# a command without a schema
mkdir -p "$T/noschema" && printf 'command\tfrobnicate\nexit\t0\ncaller\tx\nargv\tfrobnicate --json\n' >"$T/noschema/f.s" &&
  echo '{}' >"$T/noschema/f.s.json"
validate "$T/noschema" && bad "a command without schema passed" ||
  { grep -q "no schema for command 'frobnicate'" "$T/v.out" && ok || bad "noschema: $(cat "$T/v.out")"; }

echo "json validate_test: $pass passed, $fail failed"
[ "$fail" = 0 ]
