#!/usr/bin/env bash
# One source of truth for options, checked: for every command of
# `jkstool --help`, the long options `jkstool COMMAND --help` prints must be
# exactly those its man page documents (.It Fl -NAME lines in
# man/jkstool-COMMAND.1; keytool mode: keytool's single-dash options, .It Fl NAME),
# and jkstool(1) must list every command. Fails with the difference.
#   usage: tests/man_options.sh JKSTOOL MANDIR
set -u
J=${1:?usage: man_options.sh JKSTOOL MANDIR}
M=${2:-man}
PY=$(command -v /usr/bin/python3 || command -v python3)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$J" --help >"$T/top" || { echo "man_options: FAIL: $J --help failed"; exit 1; }
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p' "$T/top")
[ -n "$cmds" ] || { echo "man_options: FAIL: no commands in $J --help"; exit 1; }
fail=0 n=0
for c in $cmds; do
    page=$M/jkstool-$c.1
    if [ ! -f "$page" ]; then
        echo "man_options: FAIL: $c: no man page $page"
        fail=$((fail + 1))
        continue
    fi
    "$J" "$c" --help >"$T/help" 2>&1 || { echo "man_options: FAIL: $c --help exits $?"; fail=$((fail + 1)); continue; }
    if ! "$PY" - "$c" "$T/help" "$page" <<'PYEOF'
import re, sys
cmd, help_file, page = sys.argv[1:4]
help_text = open(help_file, encoding="utf-8").read()
man = [l for l in open(page, encoding="utf-8") if l.startswith(".It ")]
if cmd == "keytool":  # keytool's own option syntax: -list, -keystore, ...
    in_help = set(re.findall(r"(?<![A-Za-z0-9.:-])-([a-z][a-z0-9]*)", help_text))
    in_man = {m for l in man for m in re.findall(r"\bFl ([a-z][a-z0-9]*)", l)}
    dash = "-"
else:
    dash = "--"
    in_help = set(re.findall(r"(?<![A-Za-z0-9-])--([a-z0-9][a-z0-9-]*)", help_text)) - {"help"}
    in_man = {m for l in man for m in re.findall(r"\bFl -([a-z0-9][a-z0-9-]*)", l)} - {"help"}
if not in_help:
    print(f"man_options: FAIL: {cmd}: no options found in --help")
    sys.exit(1)
only_help = sorted(in_help - in_man)
only_man = sorted(in_man - in_help)
for o in only_help:
    print(f"man_options: FAIL: {cmd}: {dash}{o} is in '{cmd} --help' but not in {page}")
for o in only_man:
    print(f"man_options: FAIL: {cmd}: {dash}{o} is in {page} but not in '{cmd} --help'")
sys.exit(1 if only_help or only_man else 0)
PYEOF
    then
        fail=$((fail + 1))
    fi
    grep -q "^\.Xr jkstool-$c 1" "$M/jkstool.1" || { echo "man_options: FAIL: jkstool.1 does not refer to jkstool-$c(1)"; fail=$((fail + 1)); }
    n=$((n + 1))
done
for page in "$M"/jkstool-*.1; do
    c=${page##*/jkstool-}; c=${c%.1}
    grep -qx "$c" <<<"$cmds" || { echo "man_options: FAIL: $page documents '$c', which jkstool --help does not list"; fail=$((fail + 1)); }
done
echo "man_options: $n commands compared, $fail failures"
[ "$fail" = 0 ]
