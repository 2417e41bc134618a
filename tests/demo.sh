#!/bin/sh
# `make demo`: show jkstool on the client keystore shipped in vectors/demo/
# (a keytool-made JKS: an RSA client key with its CA-signed chain, plus the CA
# as a trusted certificate; store and key password "changeit").
set -e
tool=${1:-build/jkstool}
ks=vectors/demo/client.jks
run() { echo; echo "\$ jkstool $*"; "$tool" "$@"; }
run list "$ks" --storepass pass:changeit
run list "$ks" --storepass pass:changeit -v
run list "$ks" --storepass pass:changeit --json
if "$tool" check --help >/dev/null 2>&1; then
    run check "$ks" --storepass pass:changeit --for client || true
fi
echo
echo "demo: done (README shows the other commands)"
