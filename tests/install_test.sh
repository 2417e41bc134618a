#!/usr/bin/env bash
# `make install DESTDIR=... PREFIX=...` puts everything where README
# "Packaging" says, and what it installs works from there: man finds the
# pages, the installed completion completes, pkg-config finds libjks.
#   usage: tests/install_test.sh   (from the repository root)
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
P=/opt/jkstest
D=$T/root
fail=0
bad() { echo "install_test: FAIL: $*"; fail=1; }
make --no-print-directory install DESTDIR="$D" PREFIX="$P" >"$T/log" 2>&1 || { cat "$T/log"; bad "make install failed"; exit 1; }
for f in bin/jkstool lib/libjks.a lib/libjks.so.2 include/jks/jks.h include/jks/check.h lib/pkgconfig/libjks.pc \
         share/man/man1/jkstool.1 share/man/man3/libjks.3 \
         share/jkstool/schemas/list.schema.json share/jkstool/schemas/check.schema.json \
         share/jkstool/schemas/convert.schema.json share/jkstool/schemas/probe.schema.json \
         share/jkstool/schemas/genkey.schema.json share/jkstool/schemas/rename.schema.json \
         share/bash-completion/completions/jkstool share/zsh/site-functions/_jkstool; do
    [ -s "$D$P/$f" ] || bad "missing $P/$f"
done
for c in $("$D$P/bin/jkstool" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p'); do
    [ -s "$D$P/share/man/man1/jkstool-$c.1" ] || bad "missing man page jkstool-$c.1"
done
[ "$(MANPATH=$D$P/share/man man -w jkstool-convert 2>/dev/null)" = "$D$P/share/man/man1/jkstool-convert.1" ] ||
    bad "man -w jkstool-convert does not find the installed page"
MANPATH=$D$P/share/man MANWIDTH=80 man jkstool-list 2>/dev/null | grep -q -- '--aliases' || bad "man jkstool-list lacks --aliases"
out=$(bash -c '. "$1/share/bash-completion/completions/jkstool"; COMP_WORDS=("$1/bin/jkstool" convert x --to ""); COMP_CWORD=4;
      _jkstool; echo "${COMPREPLY[*]}"' bash "$D$P")
[ "$out" = "jks jceks pkcs12 pem bks uber bcfks" ] || bad "installed bash completion: [$out]"
# the Python binding finds the installed libjks.so.2 (not build/, not the system's)
out=$(cd / && env -u LIBJKS_LIBRARY PYTHONPATH="$D$P/lib/python3/dist-packages" /usr/bin/python3 -c \
      'import libjks, libjks.compat.pyjks; print(libjks._lib._name)' 2>&1)
[ "$out" = "$D$P/lib/libjks.so.2" ] || bad "installed Python binding loads [$out]"
[ "$(grep '^prefix=' "$D$P/lib/pkgconfig/libjks.pc")" = "prefix=$P" ] || bad "libjks.pc prefix"
make --no-print-directory install-docs DESTDIR="$T/pkg" PREFIX=/usr ZSH_COMPLETION_DIR=/usr/share/zsh/vendor-completions >"$T/log" 2>&1 ||
    bad "make install-docs ZSH_COMPLETION_DIR=... failed: $(cat "$T/log")"
[ -s "$T/pkg/usr/share/zsh/vendor-completions/_jkstool" ] && [ ! -e "$T/pkg/usr/share/zsh/site-functions" ] ||
    bad "ZSH_COMPLETION_DIR not honoured"
[ "$fail" = 0 ] && echo "install_test: make install DESTDIR PREFIX puts every file in place"
exit "$fail"
