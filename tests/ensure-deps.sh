#!/bin/sh
# Make sure what the build and the tests need is installed.
#   usage: tests/ensure-deps.sh [build|check|fuzz|bench|python]   (default: check)
# As root with apt-get, installs what is missing; otherwise prints the exact
# command to run and fails.
set -u
what=${1:-check}
CC=${CC:-cc}
missing=""

need_header() { # header package
    if ! printf '#include <%s>\n' "$1" | $CC -E -x c - >/dev/null 2>&1; then
        missing="$missing $2"
    fi
}
need_cmd() { # command package
    command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need_cmd "$CC" gcc
need_cmd make make
need_header openssl/evp.h libssl-dev
need_header libtasn1.h libtasn1-6-dev
case "$what" in
check|fuzz|bench)
    need_header CUnit/Basic.h libcunit1-dev
    need_cmd keytool openjdk-17-jdk-headless
    need_cmd openssl openssl
    need_cmd python3 python3
    # BouncyCastle (BKS/UBER/BCFKS vectors and tests/interop/bks.sh)
    dpkg -L libbcprov-java 2>/dev/null | grep -q 'bcprov.jar$' || missing="$missing libbcprov-java"
    ;;
esac
case "$what" in
check)
    # docs-check: schemas (Debian's python3 with python3-jsonschema), man pages
    need_cmd mandoc mandoc
    need_cmd man man-db
    need_cmd zsh zsh
    py=$(command -v /usr/bin/python3 || command -v python3)
    "${py:-python3}" -c 'import jsonschema; jsonschema.Draft202012Validator' >/dev/null 2>&1 ||
        missing="$missing python3-jsonschema"
    ;;
esac
case "$what" in
check|python)
    # python-check: the binding's tests run under Debian's python3 and pytest
    (cd / && /usr/bin/python3 -c 'import pytest') >/dev/null 2>&1 || missing="$missing python3-pytest"
    ;;
esac
case "$what" in
fuzz)
    need_cmd clang clang
    need_cmd afl-clang-fast afl++
    # libFuzzer and the sanitizer runtimes live in compiler-rt
    if command -v clang >/dev/null 2>&1; then
        t=$(mktemp -d)
        printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >"$t/p.c"
        if ! clang -fsanitize=fuzzer,address,undefined -o "$t/p" "$t/p.c" >/dev/null 2>&1; then
            v=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
            missing="$missing libclang-rt-${v:-14}-dev"
        fi
        rm -rf "$t"
    fi
    ;;
bench)
    need_cmd hyperfine hyperfine
    [ -x /usr/bin/time ] || missing="$missing time"
    (cd / && python3 -c 'import jks; jks.KeyStore') 2>/dev/null || missing="$missing python3-pyjks"
    ;;
esac

[ -z "$missing" ] && exit 0
# shellcheck disable=SC2086
set -- $missing
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "ensure-deps: installing:$missing"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends "$@" >/tmp/jks-apt.log 2>&1; then
        apt-get update >>/tmp/jks-apt.log 2>&1
        apt-get install -y --no-install-recommends "$@" >>/tmp/jks-apt.log 2>&1 || {
            echo "ensure-deps: apt-get failed, see /tmp/jks-apt.log" >&2
            exit 1
        }
    fi
    exit 0
fi
echo "ensure-deps: missing:$missing" >&2
echo "ensure-deps: install them with:  sudo apt-get install -y$missing" >&2
exit 1
