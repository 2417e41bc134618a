"""pyjks-compatible names over libjks: switch with one import line,

    import libjks.compat.pyjks as jks     # was: import jks
    ks = jks.KeyStore.load("server.jks", "changeit")
    for alias, pk in ks.private_keys.items(): pk.pkey, pk.cert_chain

Reads whatever libjks reads (JKS, JCEKS, PKCS#12, PEM), including JDK 21+
JKS keys without AlgorithmIdentifier parameters and aliases outside the BMP.
Only reading is offered; write with libjks.Store.save.
"""
import libjks

__all__ = ["KeyStore", "PrivateKeyEntry", "TrustedCertEntry", "SecretKeyEntry",
           "KeystoreException", "BadKeystoreFormatException", "KeystoreSignatureException",
           "DecryptionFailureException"]


class KeystoreException(Exception):
    pass


class BadKeystoreFormatException(KeystoreException):
    pass


class KeystoreSignatureException(KeystoreException):
    pass


class DecryptionFailureException(KeystoreException):
    pass


def _tlv(b, i):
    """(tag, start of value, end of value) of the DER element at b[i]."""
    tag, n = b[i], b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n, i = int.from_bytes(b[i:i + k], "big"), i + k
    return tag, i, i + n


def _split_pkcs8(pkcs8):
    """pyjks's pkey (the privateKey OCTET STRING's contents) and algorithm_oid
    of a PrivateKeyInfo. The library hands out the PKCS#8 whole; this walks
    its first three fields only (version, AlgorithmIdentifier, privateKey)."""
    _, i, _ = _tlv(pkcs8, 0)          # PrivateKeyInfo SEQUENCE
    _, _, i = _tlv(pkcs8, i)          # version
    _, a, i = _tlv(pkcs8, i)          # AlgorithmIdentifier
    _, o, oe = _tlv(pkcs8, a)         # its OID
    _, k, ke = _tlv(pkcs8, i)         # privateKey OCTET STRING
    arcs, v = [], 0
    for byte in pkcs8[o:oe]:
        v = (v << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(v)
            v = 0
    first = min(arcs[0] // 40, 2)
    return pkcs8[k:ke], (first, arcs[0] - 40 * first, *arcs[1:])


class _Entry:
    def __init__(self, e, store_type):
        self.alias = e.alias
        self.timestamp = e.created
        self.store_type = store_type


class TrustedCertEntry(_Entry):
    def __init__(self, e, store_type):
        super().__init__(e, store_type)
        self.type = "X.509"
        self.cert = e.cert_chain[0] if e.cert_chain else b""

    def is_decrypted(self):
        return True


class PrivateKeyEntry(_Entry):
    def __init__(self, e, store_type):
        super().__init__(e, store_type)
        self.cert_chain = [("X.509", der) for der in e.cert_chain]
        self._decrypted = e.decrypted
        # as pyjks: pkey_pkcs8 is the PrivateKeyInfo, pkey its privateKey field
        self.pkey_pkcs8 = self.pkey = self.algorithm_oid = None
        if e.decrypted:
            self.pkey_pkcs8 = e.private_key_pkcs8
            self.pkey, self.algorithm_oid = _split_pkcs8(e.private_key_pkcs8)

    def is_decrypted(self):
        return self._decrypted


class SecretKeyEntry(_Entry):
    def __init__(self, e, store_type):
        super().__init__(e, store_type)
        self._decrypted = e.decrypted
        self.key = e.secret_key if e.decrypted else None
        self.algorithm = e.secret_algorithm
        self.key_size = len(self.key) * 8 if self.key is not None else None

    def is_decrypted(self):
        return self._decrypted


_CLASSES = {"private-key": PrivateKeyEntry, "trusted-cert": TrustedCertEntry,
            "secret-key": SecretKeyEntry}


class KeyStore:
    def __init__(self, store_type, entries):
        self.store_type = store_type
        self.entries = entries

    @property
    def private_keys(self):
        return {a: e for a, e in self.entries.items() if isinstance(e, PrivateKeyEntry)}

    @property
    def certs(self):
        return {a: e for a, e in self.entries.items() if isinstance(e, TrustedCertEntry)}

    @property
    def secret_keys(self):
        return {a: e for a, e in self.entries.items() if isinstance(e, SecretKeyEntry)}

    @classmethod
    def load(cls, filename, store_password, try_decrypt_keys=True):
        with open(filename, "rb") as f:
            return cls.loads(f.read(), store_password, try_decrypt_keys)

    @classmethod
    def loads(cls, data, store_password, try_decrypt_keys=True):
        try:
            st = libjks.load(data, store_password, decrypt=try_decrypt_keys)
        except libjks.JksError as e:
            if e.status == libjks.ERR_PASSWORD:
                raise KeystoreSignatureException(e.message) from e
            raise BadKeystoreFormatException(e.message) from e
        with st:
            entries = {e.alias: _CLASSES[e.kind](e, st.format) for e in st.entries}
            return cls(st.format, entries)
