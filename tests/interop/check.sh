#!/usr/bin/env bash
# jkstool check against vectors made by keytool/openssl/the JDK KeyStore API
# (vectors/check/make-check-vectors.sh): each row of vectors/check/expected.tsv
# must give exactly its set of finding ids; plus exit codes, --strict, text and
# JSON shapes, directory mode, and the JDK's own cacerts as a clean truststore.
set -u
J=${JKSTOOL:?set JKSTOOL to the jkstool binary}
V=vectors/check
CACERTS=${CACERTS:-/usr/lib/jvm/java-17-openjdk-amd64/lib/security/cacerts}
pass=0 fail=0 skip=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# PKCS#12 and PEM rows need their readers; skip them while those say "not supported".
p12_ok=1
"$J" list --storepass pass:changeit "$V/keytool-client.p12" >/dev/null 2>"$tmp/p12err" ||
  { grep -q "not supported" "$tmp/p12err" && p12_ok=0; }

ids() { # JSON file -> sorted, comma-separated ids ("-" when none)
  python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ids = sorted({f["id"] for f in d["findings"]})
print(",".join(ids) if ids else "-")' "$1"
}

while IFS=$'\t' read -r file for at sp kp want; do
  case "$file" in ''|'#'*) continue ;; esac
  if [ $p12_ok = 0 ] && [ "${file##*.}" = p12 ]; then skip=$((skip + 1)); continue; fi
  args=(check --json "$V/$file" --at "$at")
  [ "$for" != - ] && args+=(--for "$for")
  [ "$sp" != - ] && args+=(--storepass "pass:$sp")
  [ "$kp" != - ] && args+=(--keypass "pass:$kp")
  rc=0
  "$J" "${args[@]}" >"$tmp/out.json" 2>"$tmp/err" || rc=$?
  if [ $rc -gt 1 ]; then bad "$file --for $for --at $at: exit $rc: $(cat "$tmp/err")"; continue; fi
  got=$(ids "$tmp/out.json") || { bad "$file: output is not JSON"; continue; }
  if [ "$got" != "$want" ]; then bad "$file --for $for --at $at: got [$got], want [$want]"; continue; fi
  # exit 1 exactly when an error-severity finding is present; "ok" agrees
  errs=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(f["severity"]=="error" for f in d["findings"]), d["ok"])' "$tmp/out.json")
  case "$errs" in
    "0 True") [ $rc = 0 ] && ok || bad "$file: no error finding but exit $rc" ;;
    *" False") [ "${errs%% *}" -gt 0 ] && [ $rc = 1 ] && ok || bad "$file: errors/ok [$errs] but exit $rc" ;;
    *) bad "$file: inconsistent ok/errors [$errs] exit $rc" ;;
  esac
done < "$V/expected.tsv"

# JSON shape: every key of the interface, inferred purpose said so.
"$J" check --json "$V/selfsigned.jks" --storepass pass:changeit --at 2025-06-01 >"$tmp/s.json"
python3 - "$tmp/s.json" <<'EOF' && ok || bad "JSON shape of a single-file check"
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"file", "format", "for", "inferred", "inferred_from", "ok", "findings"}, d.keys()
assert d["inferred_from"].startswith("it holds a private key"), d["inferred_from"]
assert d["format"] == "jks" and d["for"] == "identity" and d["inferred"] is True and d["ok"] is True
f = d["findings"][0]
assert set(f) == {"id", "severity", "alias", "message", "fix"}
assert f["id"] == "self-signed-identity" and f["severity"] == "warning" and f["alias"] == "selfsigned"
assert f["fix"].startswith("jkstool csr ") and "--alias selfsigned " in f["fix"], f["fix"]
EOF
# Issue 13: a store holding only the CA certificate, checked without --for and
# not named like a truststore, is an identity store lacking its key (error),
# and the output says what was inferred and why.
"$J" check --json "$V/onlyca.jks" --storepass pass:changeit --at 2025-06-01 >"$tmp/o.json"; rc=$?
python3 - "$tmp/o.json" <<'EOF' && [ $rc = 1 ] && ok || bad "onlyca.jks without --for (exit $rc): $(cat "$tmp/o.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["for"] == "identity" and d["inferred"] is True, d
assert "name does not say truststore" in d["inferred_from"], d["inferred_from"]
f = [x for x in d["findings"] if x["id"] == "no-private-key"][0]
assert f["severity"] == "error" and "holds no private key" in f["message"], f
assert f["fix"].startswith("jkstool import ") and "--for truststore" in f["fix"], f["fix"]
EOF
"$J" check "$V/onlyca.jks" --storepass pass:changeit --at 2025-06-01 >"$tmp/o.txt"
head -1 "$tmp/o.txt" | grep -q "checked as identity keystore.*(inferred: it holds no private key and its name does not say truststore" &&
  ok || bad "onlyca.jks text: $(head -1 "$tmp/o.txt")"
"$J" check "$V/truststore.jks" --storepass pass:changeit --at 2025-06-01 | head -1 |
  grep -q "checked as truststore (inferred: it holds only certificates and its name says truststore)" &&
  ok || bad "truststore.jks inferred text"
# Names that say truststore (the word "ca" alone, not inside another word).
for n in truststore.jks cacerts my-ca.p12 CA.pem ca_bundle.pem trust.p12 onlyca.jks client.jks; do
  cp "$V/onlyca.jks" "$tmp/$n"
  got=$("$J" check --json "$tmp/$n" --storepass pass:changeit --at 2025-06-01 | python3 -c 'import json,sys; print(json.load(sys.stdin)["for"])')
  case $n in onlyca.jks|client.jks) want=identity ;; *) want=truststore ;; esac
  [ "$got" = "$want" ] && ok || bad "$n inferred as $got, want $want"
  rm -f "$tmp/$n"
done

# Issue 13: convert says on stderr when its input holds no private key (exit 0),
# --require-key makes it an error (exit 4, nothing written); no note for a
# store with a key, nor when a truststore is clearly meant.
"$J" convert "$V/onlyca.jks" "$tmp/nokey.p12" --storepass pass:changeit 2>"$tmp/cv.err"; rc=$?
[ $rc = 0 ] && grep -q "warning: .*onlyca.jks holds no private key" "$tmp/cv.err" && ok ||
  bad "convert of a keyless store: exit $rc, stderr: $(cat "$tmp/cv.err")"
"$J" convert "$V/onlyca.jks" "$tmp/nokey2.p12" --storepass pass:changeit --require-key 2>"$tmp/cv.err"; rc=$?
[ $rc = 4 ] && [ ! -e "$tmp/nokey2.p12" ] && grep -q "holds no private key (--require-key)" "$tmp/cv.err" && ok ||
  bad "convert --require-key of a keyless store: exit $rc, stderr: $(cat "$tmp/cv.err")"
for src in client-ok.jks truststore.jks; do
  "$J" convert "$V/$src" "$tmp/cv-$src.p12" --storepass pass:changeit --require-key=0 >/dev/null 2>&1 && bad "--require-key takes no value" || ok
  "$J" convert "$V/$src" "$tmp/cv-$src.p12" --storepass pass:changeit 2>"$tmp/cv.err"; rc=$?
  [ $rc = 0 ] && ! grep -q "no private key" "$tmp/cv.err" && ok || bad "convert $src: exit $rc, stderr: $(cat "$tmp/cv.err")"
done
"$J" convert "$V/client-ok.jks" "$tmp/cv-key.p12" --storepass pass:changeit --require-key 2>/dev/null; rc=$?
[ $rc = 0 ] && ok || bad "convert --require-key of a store with a key: exit $rc"

# Issue 13 defect 7: list of a PKCS#12 without its password says its
# certificates are encrypted (stderr, text and JSON), not with the password.
for mode in "" --json; do
  "$J" list $mode "$V/openssl-truststore.p12" >/dev/null 2>"$tmp/l.err"; rc=$?
  [ $rc = 0 ] && grep -q "note: the certificates are encrypted (pbes2-aes-256-cbc) and not listed without the store password: give --storepass" "$tmp/l.err" &&
    ok || bad "list $mode of a PKCS#12 without password: exit $rc, stderr: $(cat "$tmp/l.err")"
done
"$J" list --storepass pass:changeit "$V/openssl-truststore.p12" >/dev/null 2>"$tmp/l.err"
grep -q "certificates are encrypted" "$tmp/l.err" && bad "the note with the password given" || ok

# The fix of cert-reply-not-installed names the key alias and the trusted alias.
"$J" check --json "$V/reply-alias.jks" --storepass pass:changeit --at 2025-06-01 >"$tmp/r.json"
python3 - "$tmp/r.json" <<'EOF' && ok || bad "cert-reply-not-installed fix"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["id"] == "cert-reply-not-installed"][0]
assert f["alias"] == "replyk" and f["severity"] == "error"
assert "keytool -delete -alias reply " in f["fix"] and "jkstool import " in f["fix"], f["fix"]
assert f["fix"].endswith("--file reply.pem --alias replyk --storepass env:STOREPASS"), f["fix"]
EOF

# --strict: warnings fail too.
"$J" check "$V/selfsigned.jks" --storepass pass:changeit --at 2025-06-01 >/dev/null; rc=$?
[ $rc = 0 ] && ok || bad "warnings only: exit $rc, want 0"
"$J" check --strict "$V/selfsigned.jks" --storepass pass:changeit --at 2025-06-01 >/dev/null; rc=$?
[ $rc = 1 ] && ok || bad "--strict with warnings: exit $rc, want 1"
"$J" check --strict "$V/client-ok.jks" --for client --storepass pass:changeit --at 2025-06-01 >/dev/null; rc=$?
[ $rc = 0 ] && ok || bad "--strict on a clean keystore: exit $rc, want 0"

# Unreadable input: 3 wrong password, 4 not a keystore, 5 missing, 2 usage.
"$J" check "$V/keypass.jks" --storepass pass:wrong >/dev/null 2>&1; rc=$?
[ $rc = 3 ] && ok || bad "wrong store password: exit $rc, want 3"
printf 'not a keystore\n' >"$tmp/garbage.jks"
"$J" check "$tmp/garbage.jks" >/dev/null 2>&1; rc=$?
[ $rc = 4 ] && ok || bad "garbage: exit $rc, want 4"
"$J" check "$tmp/missing.jks" >/dev/null 2>&1; rc=$?
[ $rc = 5 ] && ok || bad "missing file: exit $rc, want 5"
for badarg in "--at yesterday" "--at 2025-02-30" "--for peer"; do
  # shellcheck disable=SC2086
  "$J" check "$V/client-ok.jks" $badarg >/dev/null 2>&1; rc=$?
  [ $rc = 2 ] && ok || bad "check $badarg: exit $rc, want 2"
done

# Text output: grouped by alias, errors first, no colour when not a terminal.
"$J" check "$V/reply-alias.jks" --storepass pass:changeit --at 2025-06-01 >"$tmp/t.txt"
if grep -q $'\033' "$tmp/t.txt"; then bad "colour codes in piped output"; else ok; fi
python3 - "$tmp/t.txt" <<'EOF' && ok || bad "text layout: $(cat "$tmp/t.txt")"
import sys
t = open(sys.argv[1]).read().splitlines()
assert "checked as identity keystore" in t[0] and "(inferred:" in t[0], t[0]
i = t.index('  entry "replyk":')
assert t[i + 1].split()[:2] == ["error", "cert-reply-not-installed:"], t[i + 1]
assert t[i + 2].strip().startswith("fix: jkstool export")
assert t[i + 3].split()[:2] == ["warning", "self-signed-identity:"], t[i + 3]
assert t[-1].strip().startswith("FAIL: 1 error, 1 warning")
EOF

# Directory: every keystore checked, other files skipped with a note, summed up.
mkdir "$tmp/dir"
cp "$V/client-ok.jks" "$V/empty.jks" "$tmp/dir/"
printf 'changeit\n' >"$tmp/dir/notes.txt"
"$J" check --json "$tmp/dir" --storepass pass:changeit --at 2025-06-01 >"$tmp/d.json"; rc=$?
python3 - "$tmp/d.json" <<'EOF' && [ $rc = 1 ] && ok || bad "directory JSON (exit $rc)"
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"files", "ok"} and d["ok"] is False
by = {f["file"].rsplit("/", 1)[1]: f for f in d["files"]}
assert by["client-ok.jks"]["ok"] is True and by["client-ok.jks"]["findings"] == []
assert [f["id"] for f in by["empty.jks"]["findings"]] == ["empty-keystore"]
assert by["notes.txt"]["skipped"] is True
EOF
rm "$tmp/dir/empty.jks"
"$J" check "$tmp/dir" --storepass pass:changeit --at 2025-06-01 >"$tmp/d.txt"; rc=$?
grep -q "notes.txt: skipped, not a keystore" "$tmp/d.txt" && grep -q "1 keystore checked, 0 failed, 1 file skipped" "$tmp/d.txt" &&
  [ $rc = 0 ] && ok || bad "directory text (exit $rc): $(cat "$tmp/d.txt")"

# The JDK's cacerts is a clean truststore: no error at a pinned date (expired
# roots are only warnings: Java does not check a trust anchor's dates).
if [ -f "$CACERTS" ]; then
  "$J" check --json "$CACERTS" --storepass pass:changeit --for truststore --at 2024-06-01 >"$tmp/c.json"; rc=$?
  python3 - "$tmp/c.json" <<'EOF' && [ $rc = 0 ] && ok || bad "cacerts: exit $rc: $(head -c 600 "$tmp/c.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ok"] is True and d["for"] == "truststore" and d["inferred"] is False
assert not [f for f in d["findings"] if f["severity"] == "error"]
assert not [f for f in d["findings"] if f["id"] == "weak-signature"]  # roots are exempt
EOF
else
  skip=$((skip + 1))
fi

echo "check: $pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
