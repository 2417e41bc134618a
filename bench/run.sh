#!/usr/bin/env bash
# make bench: build the inputs (cacerts as JKS and PKCS#12, 2,000 and
# 100,000 certificate JKS stores, a client keystore and 500 and 2,000 copies
# of it, bench/factsbench for the in-process certificate facts),
# then time jkstool against keytool, pyjks and openssl (bench/bench.py).
# Never part of `make check`.
set -euo pipefail
cd "$(dirname "$0")/.."
sh tests/ensure-deps.sh bench
W=build/bench
mkdir -p "$W"
TOOL=build/jkstool
cc -O2 -Iinclude -o "$W/mkstore" bench/mkstore.c build/libjks.a -lssl -lcrypto -ltasn1 -lpthread
cc -O2 -Iinclude -o "$W/factsbench" bench/factsbench.c build/libjks.a -lssl -lcrypto -ltasn1 -lpthread
cp vectors/files/cacerts.jks "$W/cacerts.jks"
cp vectors/files/cacerts-p12.p12 "$W/cacerts.p12"
cp vectors/demo/client.jks "$W/client.jks"
[ -f "$W/b2000.jks" ] || "$W/mkstore" "$W/b2000.jks" 2000 1000 changeit
[ -f "$W/b100k.jks" ] || "$W/mkstore" "$W/b100k.jks" 100000 1000 changeit
rm -f "$W/client.p12"
"$TOOL" convert "$W/client.jks" "$W/client.p12" --storepass pass:changeit 2>/dev/null
rm -rf "$W/many" && mkdir -p "$W/many"
for i in $(seq 1 500); do cp "$W/client.jks" "$W/many/client-$i.jks"; done
rm -rf "$W/many2k" && mkdir -p "$W/many2k"
for i in $(seq 1 2000); do cp "$W/client.jks" "$W/many2k/client-$i.jks"; done
python3 bench/bench.py "$W" "$TOOL" bench/RESULTS.md
