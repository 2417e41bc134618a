#!/usr/bin/env bash
# Proves tests/man_options.sh can fail: on a copy of man/ with an option
# removed from one page, an option added to another and a page deleted, it
# must fail and name each difference.
#   usage: tests/man_options_test.sh JKSTOOL MANDIR
set -u
J=${1:?usage: man_options_test.sh JKSTOOL MANDIR}
M=${2:-man}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp -r "$M" "$T/man"
fail=0
bash "$(dirname "$0")/man_options.sh" "$J" "$T/man" >"$T/out" 2>&1 ||
  { echo "man_options_test: FAIL: man_options.sh fails on an unchanged copy:"; cat "$T/out"; exit 1; }
sed -i '/^\.It Fl -keep-encryption$/d' "$T/man/jkstool-convert.1"
sed -i 's/^\.It Fl -rfc$/.It Fl -rfc\n.It Fl -bogus-option/' "$T/man/jkstool-list.1"
sed -i '/^\.It Fl importkeystore$/d' "$T/man/jkstool-keytool.1"
rm "$T/man/jkstool-csr.1"
if bash "$(dirname "$0")/man_options.sh" "$J" "$T/man" >"$T/out" 2>&1; then
  echo "man_options_test: FAIL: man_options.sh passed on doctored pages"; fail=1
fi
for want in "convert: --keep-encryption is in 'convert --help' but not in" \
            "list: --bogus-option is in $T/man/jkstool-list.1 but not in 'list --help'" \
            "keytool: -importkeystore is in 'keytool --help' but not in" \
            "csr: no man page"; do
  grep -qF -- "$want" "$T/out" || { echo "man_options_test: FAIL: no \"$want\" in:"; cat "$T/out"; fail=1; }
done
[ "$fail" = 0 ] && echo "man_options_test: man_options.sh names every planted difference"
exit "$fail"
