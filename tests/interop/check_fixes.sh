#!/usr/bin/env bash
# Every fix text of every finding of every vector in vectors/check works when
# followed literally on a machine without Java (issue 13 defect 5): for each
# row of vectors/check/expected.tsv and each finding, the vector is copied to a
# scratch directory, the fix is run as written with sh (PATH holds only
# jkstool and a few POSIX tools: no keytool, no java, no openssl), and check is
# run again: that finding must be gone.
#
# The fix texts name files a user brings (the CA's certificate, the key with
# its chain, the certificate issued for a key): this script makes them from
# the other vectors. Fixes that need a certificate authority to sign something
# new (a renewed or re-issued certificate) or a correct system clock cannot be
# completed here: they are listed as KNOWN, with the reason, never skipped
# silently.
set -u
J=${JKSTOOL:?set JKSTOOL to the jkstool binary}
J=$(cd "$(dirname "$J")" && pwd)/$(basename "$J")
# make interop passes the JSON-capturing wrapper (tests/json/jkstool-json-capture),
# which runs the jkstool beside itself: linked as $tmp/bin/jkstool it would
# run itself forever, so name the real binary
if [ "$(head -c 2 "$J")" = '#!' ]; then
  export JKSTOOL_REAL=${JKSTOOL_REAL:-$(dirname "$J")/jkstool}
fi
V=$(pwd)/vectors/check
pass=0 fail=0 known=0 renamed=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A PATH without Java or OpenSSL: jkstool and the shell tools fix texts use.
mkdir "$tmp/bin"
ln -s "$J" "$tmp/bin/jkstool"
for t in sh cat awk mv date rm cp mkdir; do
  p=$(command -v "$t") && ln -s "$p" "$tmp/bin/$t"
done
JPATH=$tmp/bin

# The files fix texts name, as the user would have them.
mkdir "$tmp/files"
(
  cd "$tmp/files" || exit 1
  "$J" export "$V/truststore.jks" --alias ca --out ca.pem --storepass pass:changeit &&
    cp ca.pem issuer.pem &&
    "$J" export "$V/selfsigned.jks" --alias selfsigned --out cert-for-this-key.pem --storepass pass:changeit &&
    "$J" convert "$V/client-ok.jks" key-and-chain.pem --alias client --storepass pass:changeit
) 2>/dev/null || { echo "FAIL: cannot make the fix input files"; exit 1; }

findings() { # JSON file -> lines "id<TAB>severity<TAB>alias<TAB>fix"
  /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print("\t".join((f["id"], f["severity"], f["alias"], f["fix"])))' "$1"
}
has_id() { # JSON file, id, severity, alias -> 0 when that finding is still there
  /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if any((f["id"], f["severity"], f["alias"]) == tuple(sys.argv[2:5])
                  for f in d["findings"]) else 1)' "$1" "$2" "$3" "$4"
}

readme_has() { # id, command -> 0 when README's row for id names the command's first words
  /usr/bin/python3 -c '
import sys
fid, cmd = sys.argv[1], sys.argv[2]
words = cmd.split()
want = " ".join(words[:3] if words[:2] == ["jkstool", "keytool"] else words[:2])
for ln in open("README.md"):
    cells = ln.split(" | ")
    if ln.startswith("| `") and ("`" + fid + "`") in cells[0]:
        sys.exit(0 if want in ln else 1)
sys.exit(1)' "$1" "$2"
}

n=0
while IFS=$'\t' read -r file for at sp kp want; do
  case "$file" in ''|'#'*) continue ;; esac
  [ "$want" = - ] && continue
  args=(--at "$at")
  fopt=
  [ "$for" != - ] && args+=(--for "$for") && fopt=" --for $for"
  [ "$sp" != - ] && args+=(--storepass env:STOREPASS)
  [ "$kp" != - ] && args+=(--keypass env:KEYPASS)
  export STOREPASS=${sp/#-/changeit} KEYPASS=${kp/#-/otherpass}
  d0=$tmp/row$n
  mkdir "$d0"
  cp "$V/$file" "$d0/"
  (cd "$d0" && "$J" check --json "$file" "${args[@]}" >findings.json 2>/dev/null)
  while IFS=$'\t' read -r id sev alias fix; do
    n=$((n + 1))
    what="$file$fopt ($id${alias:+ of $alias})"
    # the README table gives the same fix as the code
    if readme_has "$id" "${fix%%  # *}"; then ok; else bad "$what: README's row does not name [${fix%% --*}]"; fi
    case "$fix" in
      *"have a CA sign"*|*"have the CA sign"*|*"renewed.pem"*|*"ca-sha256.pem"*|*"reply.pem: the chain"*)
        known=$((known + 1))
        echo "KNOWN: $what: its fix needs a certificate authority to sign a new certificate: $fix"
        continue ;;
      "date -u"*)
        known=$((known + 1))
        echo "KNOWN: $what: its fix is checking the system clock: $fix"
        continue ;;
    esac
    d=$tmp/fix$n
    mkdir "$d"
    cp "$V/$file" "$tmp/files/"*.pem "$d/"
    cmd=${fix%%  # *}
    target=$file
    case "$cmd" in
      "jkstool check "*)
        # the fix is how to check: run it, the finding must not be in its answer
        (cd "$d" && PATH=$JPATH sh -c "$cmd --json --at $at$fopt" >after.json 2>"$d/err" </dev/null)
        if [ ! -s "$d/after.json" ]; then bad "$what: fix [$cmd] printed nothing: $(cat "$d/err")"; continue; fi
        if has_id "$d/after.json" "$id" "$sev" "$alias"; then bad "$what: still reported after [$cmd]"; else ok; fi
        continue ;;
      "mv "*)
        set -- $cmd
        target=$3 ;;
    esac
    if ! (cd "$d" && PATH=$JPATH sh -c "$cmd" >"$d/out" 2>"$d/err" </dev/null); then
      bad "$what: fix failed: [$cmd]: $(tail -2 "$d/err")"
      continue
    fi
    (cd "$d" && "$J" check --json "$target" "${args[@]}" >after.json 2>"$d/err2")
    if [ ! -s "$d/after.json" ]; then bad "$what: check after the fix failed: $(cat "$d/err2")"; continue; fi
    if has_id "$d/after.json" "$id" "$sev" "$alias"; then
      bad "$what: still reported after [$cmd]"
    else
      ok
      case "$cmd" in "jkstool rename "*) renamed=$((renamed + 1)) ;; esac
    fi
  done < <(findings "$d0/findings.json")
done < "$V/expected.tsv"
# alias-not-lowercase's fix is a `jkstool rename`: at least one must have run
# and removed its finding (alias-case.jks)
if [ "$renamed" -gt 0 ]; then ok; else bad "no 'jkstool rename' fix was run and proven"; fi

echo "check_fixes: $pass passed, $fail failed, $known known"
[ $fail = 0 ]
