#!/usr/bin/env python3
"""Rewrite a DER PKCS#12 file in BER, as NSS, old Netscape and Windows tools
write it, for tests/interop/ber_pkcs12.sh.

usage: ber.py LEVEL PASSWORD IN OUT
  LEVEL 1: the outer layers only (PFX, authSafe ContentInfo, the content
           OCTET STRING in chunks, MacData): indefinite lengths, strings in
           nested chunks, lengths longer than needed. The MAC still holds.
  LEVEL 2: also inside the content: the AuthenticatedSafe, every data safe's
           SafeContents and bags, each encrypted safe's [0] content in
           chunks; the MAC is recomputed over the new content octets
           (RFC 7292 appendix B.2 key derivation, then HMAC) with PASSWORD.
Standard library only."""
import hashlib
import hmac
import sys


def elements(buf, start, end):
    """[(tag, element start, content start, content end)] of buf[start:end]."""
    out, i = [], start
    while i < end:
        tag, n, j = buf[i], buf[i + 1], i + 2
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(buf[j:j + k], "big")
            j += k
        out.append((tag, i, j, j + n))
        i = j + n
    if i != end:
        raise ValueError("not DER")
    return out


def length(n, longer=False):
    if n < 0x80 and not longer:
        return bytes([n])
    b = n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
    if longer:
        b = b"\x00" + b  # a leading zero octet: BER, not DER
    return bytes([0x80 | len(b)]) + b


def indef(tag, parts):
    return bytes([tag | 0x20, 0x80]) + b"".join(parts) + b"\x00\x00"


def chunked(tag, data, size=7):
    """A string in chunks (constructed, indefinite), one chunk itself in chunks."""
    chunks = [data[k:k + size] for k in range(0, len(data), size)] or [b""]
    parts = [bytes([0x04 if tag & 0xC0 else tag]) + length(len(c)) + c for c in chunks]
    if len(parts) > 2:
        parts[1] = indef(0x04 if tag & 0xC0 else tag, [parts[1]])
    return indef(tag, parts)


def ber(buf, start, end, inner=None):
    """The elements of buf[start:end] in BER. inner(content) may return new
    content for an OCTET STRING (None keeps it)."""
    out = []
    for t, s, cs, ce in elements(buf, start, end):
        c = buf[cs:ce]
        if t & 0x20:
            out.append(indef(t, [ber(buf, cs, ce, inner)]))
        elif t == 0x04:
            new = inner(c) if inner else None
            out.append(chunked(0x04, c if new is None else new))
        elif t == 0x80:  # [0] IMPLICIT OCTET STRING (encryptedContent)
            out.append(chunked(0x80, c))
        elif t == 0x02:
            out.append(bytes([t]) + length(len(c), longer=True) + c)
        else:
            out.append(buf[s:ce])
    return b"".join(out)


def asn1_inside(b):
    """b is one DER SEQUENCE (a SafeContents or AuthenticatedSafe)?"""
    try:
        e = elements(b, 0, len(b))
        return len(e) == 1 and e[0][0] == 0x30
    except (IndexError, ValueError):
        return False


def pkcs12_kdf(md, password, salt, iters, n, ident=3):
    """RFC 7292 appendix B.2; the password as BMPString with its two zero bytes."""
    pw = password.encode("utf-16-be") + b"\x00\x00" if password else b""
    u, v = hashlib.new(md).digest_size, hashlib.new(md).block_size

    def fill(x):  # x repeated to a whole number of v-byte blocks
        if not x:
            return b""
        need = v * ((len(x) + v - 1) // v)
        return (x * (need // len(x) + 1))[:need]

    I = bytearray(fill(salt) + fill(pw))
    out = b""
    while len(out) < n:
        A = hashlib.new(md, bytes([ident]) * v + bytes(I)).digest()
        for _ in range(1, iters):
            A = hashlib.new(md, A).digest()
        out += A
        B = int.from_bytes((A * (v // u + 1))[:v], "big") + 1
        for j in range(0, len(I), v):
            x = (int.from_bytes(I[j:j + v], "big") + B) % (1 << (8 * v))
            I[j:j + v] = x.to_bytes(v, "big")
    return out[:n]


MD_OIDS = {
    bytes.fromhex("2b0e03021a"): "sha1",
    bytes.fromhex("608648016503040201"): "sha256",
    bytes.fromhex("608648016503040202"): "sha384",
    bytes.fromhex("608648016503040203"): "sha512",
    bytes.fromhex("608648016503040204"): "sha224",
}


def main():
    level, password, src, dst = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    buf = open(src, "rb").read()
    (_, _, ps, pe), = elements(buf, 0, len(buf))
    ver, ci, *mac = elements(buf, ps, pe)
    oid, e0 = elements(buf, ci[2], ci[3])
    (_, _, cs, ce), = elements(buf, e0[2], e0[3])
    content = buf[cs:ce]
    if level >= 2:
        def safe(b):  # a data safe's SafeContents, in BER too
            return ber(b, 0, len(b)) if asn1_inside(b) else None
        content = ber(content, 0, len(content), safe)
    parts = [ber(buf, ver[1], ver[3]),
             indef(0x30, [buf[oid[1]:oid[3]], indef(0xA0, [chunked(0x04, content)])])]
    if mac:
        digestinfo, salt, *it = elements(buf, mac[0][2], mac[0][3])
        alg, digest = elements(buf, digestinfo[2], digestinfo[3])
        md_oid = elements(buf, alg[2], alg[3])[0]
        md = MD_OIDS[buf[md_oid[2]:md_oid[3]]]
        d = buf[digest[2]:digest[3]]
        if level >= 2:
            iters = int.from_bytes(buf[it[0][2]:it[0][3]], "big") if it else 1
            key = pkcs12_kdf(md, password, buf[salt[2]:salt[3]], iters,
                             hashlib.new(md).digest_size)
            d = hmac.new(key, content, md).digest()
        parts.append(indef(0x30, [indef(0x30, [ber(buf, alg[1], alg[3]), chunked(0x04, d, 5)]),
                                  chunked(0x04, buf[salt[2]:salt[3]], 3)] +
                           [ber(buf, x[1], x[3]) for x in it]))
    open(dst, "wb").write(indef(0x30, parts))


if __name__ == "__main__":
    main()
