"""pyjks's API on libjks: switching is one import line,

    from libjks.compat import pyjks as jks
    ks = jks.KeyStore.load("keystore.jks", "changeit")
    pk = ks.private_keys["mykey"]
    pk.pkey            # PKCS#8 DER of the key ("pkey_pkcs8" as well)
    pk.cert_chain      # [("X.509", der), ...]
    ks.certs["ca"].cert

Unlike pyjks it reads what libjks reads: JDK 21+ keys without
AlgorithmIdentifier parameters, aliases outside the BMP, PKCS#12 and PEM.
"""
import libjks


class KeystoreException(Exception):
    pass


class BadKeystoreFormatException(KeystoreException):
    pass


class KeystoreSignatureException(KeystoreException):
    pass


class _Entry:
    def __init__(self, e, store_type):
        self.alias = e.alias
        self.timestamp = e.timestamp
        self.store_type = store_type

    def is_decrypted(self):
        return True


class PrivateKeyEntry(_Entry):
    def __init__(self, e, store_type):
        super().__init__(e, store_type)
        self.cert_chain = [("X.509", c) for c in e.cert_chain]
        self.pkey = self.pkey_pkcs8 = e.private_key_pkcs8
        self.algorithm_oid = None
        self._decrypted = e.decrypted

    def is_decrypted(self):
        return self._decrypted


class TrustedCertEntry(_Entry):
    def __init__(self, e, store_type):
        super().__init__(e, store_type)
        self.type = "X.509"
        self.cert = e.cert_chain[0] if e.cert_chain else b""


class SecretKeyEntry(_Entry):
    def __init__(self, e, store_type):
        super().__init__(e, store_type)
        self.key = e.secret_key
        self.algorithm = e.secret_algorithm
        self.key_size = len(e.secret_key) * 8 if e.secret_key else None
        self._decrypted = e.decrypted

    def is_decrypted(self):
        return self._decrypted


class KeyStore:
    """pyjks.KeyStore: store_type, entries, private_keys, certs, secret_keys."""

    def __init__(self, store_type, entries):
        self.store_type = store_type
        self.entries = entries
        self.private_keys = {a: e for a, e in entries.items() if isinstance(e, PrivateKeyEntry)}
        self.certs = {a: e for a, e in entries.items() if isinstance(e, TrustedCertEntry)}
        self.secret_keys = {a: e for a, e in entries.items() if isinstance(e, SecretKeyEntry)}

    @classmethod
    def load(cls, filename, store_password, try_decrypt_keys=True):
        with open(filename, "rb") as f:
            return cls.loads(f.read(), store_password, try_decrypt_keys)

    @classmethod
    def loads(cls, data, store_password, try_decrypt_keys=True):
        try:
            ks = libjks.load(data, store_password, decrypt=try_decrypt_keys)
        except libjks.Error as e:
            if e.status == 3:
                raise KeystoreSignatureException(e.message) from e
            raise BadKeystoreFormatException(e.message) from e
        with ks:
            kinds = {"private_key": PrivateKeyEntry, "trusted_cert": TrustedCertEntry,
                     "secret_key": SecretKeyEntry}
            entries = {e.alias: kinds[e.kind](e, ks.format) for e in ks.entries if e.kind in kinds}
            return cls(ks.format, entries)
