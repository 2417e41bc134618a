#!/usr/bin/env python3
"""Write the hostile shapes of issue 19 (bounded work) at a given scale.

usage: python3 fuzz/hostile-shapes.py OUTDIR SHAPE N [OPENSSL]
       python3 fuzz/hostile-shapes.py OUTDIR all      (the issue's table at its sizes)

SHAPE (N = how many of the repeated part):
  p12-same-name   PKCS#12, N certificate bags with one friendlyName
  pem-dup         PEM, N copies of one certificate
  jks-tiny        JKS, N trusted entries with a 1-byte certificate
  jks-trusted     JKS, N trusted certificates (one real certificate, serial varied)
  jks-chain-claim JKS v1, one key entry whose chain holds N empty certificates
  jceks-iter      JCEKS, N keys at 5,000,000 iterations (PBEWithMD5AndTripleDES)
  p12-shrouded-iter PKCS#12, N shrouded keys at 5,000,000 PBKDF2 iterations
  pbmac1-512      PKCS#12, PBMAC1 at N iterations, 512-byte key, HMAC-SHA1 PRF

Stores with a password use "changeit". Python 3 stdlib only; the real
certificate comes from the openssl CLI (made once per OUTDIR).
Prints the file written."""
import hashlib
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hostile_der import NULL, der, explicit0, integer, octets, oid, seq, utf  # noqa: E402

PW = "changeit"


def cert_der(outdir, openssl="openssl"):
    path = os.path.join(outdir, "cert.der")
    if not os.path.exists(path):
        key = os.path.join(outdir, "cert.key")
        subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-subj",
                        "/CN=hostile", "-days", "30", "-set_serial",
                        "0x11223344556677889900aabbccddeeff", "-outform", "DER", "-out", path],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(path, "rb") as f:
        return f.read()


def jks_digest(body):
    pw = PW.encode("utf-16-be")
    return hashlib.sha1(pw + b"Mighty Aphrodite" + body).digest()


TS = struct.pack(">Q", 1700000000000)


def jks_store(magic, version, entries, count):
    body = magic + struct.pack(">II", version, count) + b"".join(entries)
    return body + jks_digest(body)


def shape_jks_tiny(n, cert):
    ents = (struct.pack(">I", 2) + utf("a%d" % i) + TS + utf("X.509") + struct.pack(">I", 1) + b"0"
            for i in range(n))
    return jks_store(b"\xFE\xED\xFE\xED", 2, ents, n)


def shape_jks_trusted(n, cert):
    # the serial's last 4 bytes carry i: n different certificates of one size
    pos = cert.find(bytes.fromhex("11223344556677889900aabbccddeeff"))
    assert pos > 0

    def one(i):
        c = cert[:pos + 12] + struct.pack(">I", i) + cert[pos + 16:]
        return struct.pack(">I", 2) + utf("c%d" % i) + TS + utf("X.509") + struct.pack(">I", len(c)) + c
    return jks_store(b"\xFE\xED\xFE\xED", 2, (one(i) for i in range(n)), n)


def shape_jks_chain_claim(n, cert):
    key = b"\x01" * 40  # never opened: list/convert without a key password
    e = (struct.pack(">I", 1) + utf("k") + TS + struct.pack(">I", len(key)) + key
         + struct.pack(">I", n) + struct.pack(">I", 0) * n)
    return jks_store(b"\xFE\xED\xFE\xED", 1, [e], 1)


def shape_jceks_iter(n, cert, iters=5000000):
    def one(i):
        alg = seq(oid("1.3.6.1.4.1.42.2.19.1"), seq(octets(b"\x01\x02\x03\x04\x05\x06\x07" + bytes([i & 255])),
                                                   integer(iters)))
        epki = seq(alg, octets(b"\x00" * 64))
        c = cert
        return (struct.pack(">I", 1) + utf("k%d" % i) + TS + struct.pack(">I", len(epki)) + epki
                + struct.pack(">I", 1) + utf("X.509") + struct.pack(">I", len(c)) + c)
    return jks_store(b"\xCE\xCE\xCE\xCE", 2, [one(i) for i in range(n)], n)


def bmp(s):
    return der(0x1E, s.encode("utf-16-be"))


def friendly(name):
    return der(0x31, seq(oid("1.2.840.113549.1.9.20"), der(0x31, bmp(name))))


def pfx(bags, mac=b""):
    safe = seq(*bags)
    ci = seq(oid("1.2.840.113549.1.7.1"), explicit0(octets(safe)))
    auth = seq(ci)
    return seq(integer(3), seq(oid("1.2.840.113549.1.7.1"), explicit0(octets(auth))), mac)


def shape_p12_same_name(n, cert):
    bag = seq(oid("1.2.840.113549.1.12.10.1.3"),
              explicit0(seq(oid("1.2.840.113549.1.9.22.1"), explicit0(octets(cert)))),
              friendly("same"))
    return pfx([bag] * n)


def pbkdf2(salt, iters, prf="1.2.840.113549.2.9", keylen=None):
    p = [octets(salt), integer(iters)]
    if keylen is not None:
        p.append(integer(keylen))
    p.append(seq(oid(prf), NULL))
    return seq(oid("1.2.840.113549.1.5.12"), seq(*p))


def shape_p12_shrouded_iter(n, cert, iters=5000000):
    bags = []
    for i in range(n):
        alg = seq(oid("1.2.840.113549.1.5.13"),
                  seq(pbkdf2(bytes([i & 255]) * 8, iters),
                      seq(oid("2.16.840.1.101.3.4.1.42"), octets(b"\x00" * 16))))
        bags.append(seq(oid("1.2.840.113549.1.12.10.1.2"), explicit0(seq(alg, octets(b"\x00" * 48))),
                        friendly("k%d" % i)))
    return pfx(bags)


def shape_pbmac1_512(n, cert):
    alg = seq(oid("1.2.840.113549.1.5.14"),
              seq(pbkdf2(b"\x05" * 8, n, prf="1.2.840.113549.2.7", keylen=512),
                  seq(oid("1.2.840.113549.2.7"), NULL)))
    mac = seq(seq(alg, octets(b"\x00" * 20)), octets(b"\x06" * 8), integer(1))
    bag = seq(oid("1.2.840.113549.1.12.10.1.3"),
              explicit0(seq(oid("1.2.840.113549.1.9.22.1"), explicit0(octets(cert)))), friendly("c"))
    return pfx([bag], mac)


def shape_pem_dup(n, cert):
    import base64
    b = base64.encodebytes(cert).decode().replace("\n", "")
    pem = "-----BEGIN CERTIFICATE-----\n" + "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) + \
          "\n-----END CERTIFICATE-----\n"
    return (pem * n).encode()


SHAPES = {
    "p12-same-name": (shape_p12_same_name, "p12"),
    "pem-dup": (shape_pem_dup, "pem"),
    "jks-tiny": (shape_jks_tiny, "jks"),
    "jks-trusted": (shape_jks_trusted, "jks"),
    "jks-chain-claim": (shape_jks_chain_claim, "jks"),
    "jceks-iter": (shape_jceks_iter, "jceks"),
    "p12-shrouded-iter": (shape_p12_shrouded_iter, "p12"),
    "pbmac1-512": (shape_pbmac1_512, "p12"),
}

# the issue's table: shape, N
ISSUE = [("p12-same-name", 5000), ("p12-same-name", 10000), ("p12-same-name", 20000),
         ("p12-same-name", 50000), ("pem-dup", 50000), ("jks-tiny", 1000000),
         ("jks-trusted", 50000), ("jks-chain-claim", 5000000), ("jceks-iter", 10),
         ("p12-shrouded-iter", 10), ("pbmac1-512", 5000000)]


def write(outdir, shape, n, openssl="openssl"):
    fn, ext = SHAPES[shape]
    data = fn(n, cert_der(outdir, openssl))
    path = os.path.join(outdir, "%s-%d.%s" % (shape, n, ext))
    with open(path, "wb") as f:
        f.write(data)
    return path


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    openssl = sys.argv[4] if len(sys.argv) > 4 else "openssl"
    if sys.argv[2] == "all":
        for shape, n in ISSUE:
            print(write(outdir, shape, n, openssl))
    else:
        print(write(outdir, sys.argv[2], int(sys.argv[3]), openssl))


if __name__ == "__main__":
    main()
