#!/usr/bin/env python3
"""Write the hand-made hostile inputs of tests/regress/ (fuzz/README.md).

Each file carries the harness prefix (flags/length byte + password, see
fuzz/fuzz_common.h), except those for the javaser harness. They mirror the
cases of tests/unit/test_hostile.c so that the CLI and every harness see them
too.  usage: python3 fuzz/hostile-inputs.py [vectors/files/ossl-ec.p12]"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostile_der import der, der_parse, oid, utf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "regress")


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def prefix(pw=b"changeit", flags=0):
    return bytes([(flags & 0xF0) | len(pw)]) + pw


DIGEST = b"\0" * 20
TS = struct.pack(">Q", 1700000000000)
NOPW = prefix(b"", 0x10)

# JKS/JCEKS lengths the bytes cannot back
put("jks", "count-2g", NOPW + b"\xFE\xED\xFE\xED" + struct.pack(">II", 2, 0x80000000) + DIGEST)
put("jks", "chain-2g", NOPW + b"\xFE\xED\xFE\xED" + struct.pack(">II", 2, 1) + struct.pack(">I", 1)
    + utf("k") + TS + struct.pack(">I", 4) + b"\1\2\3\4" + struct.pack(">I", 0x80000000) + DIGEST)
put("jks", "cert-4g", NOPW + b"\xFE\xED\xFE\xED" + struct.pack(">II", 2, 1) + struct.pack(">I", 2)
    + utf("c") + TS + utf("X.509") + struct.pack(">I", 0xFFFFFFFF) + DIGEST)
put("jceks", "key-4g", NOPW + b"\xCE\xCE\xCE\xCE" + struct.pack(">II", 2, 1) + struct.pack(">I", 1)
    + utf("k") + TS + struct.pack(">I", 0xFFFFFFFF) + DIGEST)
put("jks", "alias-64k", NOPW + b"\xFE\xED\xFE\xED" + struct.pack(">II", 2, 1) + struct.pack(">I", 2)
    + b"\xFF\xFFabc")


# Java serialization: deep nesting and a 2 GiB array
def nested(depth):
    s = b"\xAC\xED\x00\x05"
    for _ in range(depth):
        s += b"\x73\x72" + utf("[B") + b"\0" * 8 + b"\x02" + struct.pack(">H", 1) + b"L" + utf("f")
    return s


put("javaser", "deep-nesting", nested(300))
put("javaser", "array-2g", b"\xAC\xED\x00\x05\x75\x72" + utf("[B") + b"\0" * 8
    + b"\x02\x00\x00\x78\x70" + struct.pack(">I", 0x80000000) + b"\1\2\3")
put("jceks", "secret-deep-nesting", prefix() + b"\xCE\xCE\xCE\xCE" + struct.pack(">II", 2, 1)
    + struct.pack(">I", 3) + utf("s") + TS + nested(300) + DIGEST)

# JCEKS key and sealed key at 2^31 - 1 iterations (digest wrong: keypass only)
params = der(0x30, der(0x04, b"\1\2\3\4\5\6\7\x08") + der(0x02, b"\x7F\xFF\xFF\xFF"))
epki = der(0x30, der(0x30, oid("1.3.6.1.4.1.42.2.19.1") + params) + der(0x04, b"\x09" * 16))
put("jceks", "key-iter-2g", prefix(b"pw", 0x30) + b"\xCE\xCE\xCE\xCE" + struct.pack(">II", 2, 1)
    + struct.pack(">I", 1) + utf("k") + TS + struct.pack(">I", len(epki)) + epki
    + struct.pack(">I", 1) + utf("X.509") + struct.pack(">I", 3) + b"abc" + DIGEST)


def sealed(params_der, content):
    s = b"\xAC\xED\x00\x05\x73\x72" + utf("com.sun.crypto.provider.SealedObjectForKeyProtector")
    s += bytes.fromhex("cd57ca59e730bb53") + b"\x02\x00\x00\x78"
    s += b"\x72" + utf("javax.crypto.SealedObject") + bytes.fromhex("3e363da6c3b75470") + b"\x02"
    s += struct.pack(">H", 4)
    s += b"[" + utf("encodedParams") + b"\x74" + utf("[B")
    s += b"[" + utf("encryptedContent") + b"\x71" + struct.pack(">I", 0x7E0002)
    s += b"L" + utf("paramsAlg") + b"\x74" + utf("Ljava/lang/String;")
    s += b"L" + utf("sealAlg") + b"\x71" + struct.pack(">I", 0x7E0003)
    s += b"\x78\x70"
    s += b"\x75\x72" + utf("[B") + bytes.fromhex("acf317f8060854e0") + b"\x02\x00\x00\x78\x70"
    s += struct.pack(">I", len(params_der)) + params_der
    s += b"\x75\x71" + struct.pack(">I", 0x7E0005) + struct.pack(">I", len(content)) + content
    s += b"\x74" + utf("PBEWithMD5AndTripleDES") + b"\x74" + utf("PBEWithMD5AndTripleDES")
    return s


put("jceks", "secret-iter-2g", prefix(b"pw", 0x30) + b"\xCE\xCE\xCE\xCE"
    + struct.pack(">II", 2, 1) + struct.pack(">I", 3) + utf("s") + TS
    + sealed(params, b"\0" * 16) + DIGEST)
put("javaser", "sealed-iter-2g", sealed(params, b"\0" * 16))


# PKCS#12 whose MAC asks for 2^31 - 1 iterations: patch a real file's count
src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "vectors", "files", "ossl-ec.p12")
if os.path.exists(src):
    p12 = open(src, "rb").read()
    _, body, end = der_parse(p12, 0)
    kids = []
    i = body
    while i < end:
        _, cb, ce = der_parse(p12, i)
        kids.append(p12[i:ce])
        i = ce
    mac = kids[-1]  # MacData ::= SEQUENCE { DigestInfo, OCTET STRING, INTEGER }
    _, mb, me = der_parse(mac, 0)
    parts = []
    i = mb
    while i < me:
        _, cb, ce = der_parse(mac, i)
        parts.append(mac[i:ce])
        i = ce
    parts = parts[:2] + [der(0x02, b"\x7F\xFF\xFF\xFF")]
    kids[-1] = der(0x30, b"".join(parts))
    put("pkcs12", "mac-iter-2g", prefix() + der(0x30, b"".join(kids)))
