"""DER and Java DataOutput helpers shared by fuzz/hostile-shapes.py and
fuzz/hostile-inputs.py (Python 3 stdlib only; imported from this directory)."""
import struct

NULL = b"\x05\x00"


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der(tag, *body):
    b = b"".join(body)
    return bytes([tag]) + der_len(len(b)) + b


def seq(*b):
    return der(0x30, *b)


def octets(b):
    return der(0x04, b)


def integer(v):
    return der(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big"))


def explicit0(b):
    return der(0xA0, b)


def oid(s):
    p = [int(x) for x in s.split(".")]
    out = b""
    for v in [40 * p[0] + p[1]] + p[2:]:
        enc = [v & 0x7F]
        v >>= 7
        while v:
            enc.append(0x80 | (v & 0x7F))
            v >>= 7
        out += bytes(reversed(enc))
    return der(0x06, out)


def der_parse(b, i):
    """(tag, start of contents, end of contents) of the element at b[i]."""
    tag = b[i]
    ln = b[i + 1]
    j = i + 2
    if ln & 0x80:
        k = ln & 0x7F
        ln = int.from_bytes(b[j:j + k], "big")
        j += k
    return tag, j, j + ln


def utf(s):
    """Java writeUTF: 2-byte length, then the bytes."""
    b = s.encode() if isinstance(s, str) else s
    return struct.pack(">H", len(b)) + b
