"""libjks: read, write and check Java keystores (JKS, JCEKS, PKCS#12, PEM).

A ctypes binding over libjks.so.2; everything is done by the C library.
The library is found through $LIBJKS_LIBRARY, then build/ of the source
tree this package sits in, then the system's libjks.so.2.
"""
import ctypes as C
import os

__all__ = ["load", "new", "check", "Store", "Entry", "Finding", "JksError"]

OK, ERR_USAGE, ERR_PASSWORD, ERR_FORMAT, ERR_IO = 0, 2, 3, 4, 5
_FORMATS = {0: "unknown", 1: "jks", 2: "jceks", 3: "pkcs12", 4: "pem", 5: "bks", 6: "uber", 7: "bcfks"}
_KINDS = {1: "private-key", 2: "trusted-cert", 3: "secret-key"}
_SEVERITIES = {0: "error", 1: "warning", 2: "info"}


def _find_library():
    env = os.environ.get("LIBJKS_LIBRARY")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    tree = os.path.join(here, "..", "..", "build", "libjks.so.2")
    if os.path.exists(tree):
        return os.path.normpath(tree)
    # installed: <prefix>/lib/python3/dist-packages/libjks -> <prefix>/lib
    libdir = os.path.join(here, "..", "..", "..", "libjks.so.2")
    if os.path.exists(libdir):
        return os.path.normpath(libdir)
    return "libjks.so.2"


_lib = C.CDLL(_find_library())


class _Error(C.Structure):
    _fields_ = [("status", C.c_int), ("offset", C.c_longlong),
                ("alias", C.c_char * 128), ("msg", C.c_char * 256)]


class _Bytes(C.Structure):
    _fields_ = [("data", C.POINTER(C.c_uint8)), ("len", C.c_size_t)]


class _ReadOpts(C.Structure):
    _fields_ = [("version", C.c_uint), ("storepass", C.c_char_p),
                ("keypasses", C.POINTER(C.c_char_p)), ("n_keypasses", C.c_size_t),
                ("force_format", C.c_int), ("no_decrypt", C.c_int),
                ("max_iterations", C.c_uint32), ("flags", C.c_uint)]


class _WriteOpts(C.Structure):
    _fields_ = [("version", C.c_uint), ("format", C.c_int), ("storepass", C.c_char_p),
                ("keypass", C.c_char_p), ("keep_encryption", C.c_int),
                ("p12_algorithms", C.c_int), ("pem_encrypt_keys", C.c_int),
                ("pem_no_comments", C.c_int)]


class _CheckOpts(C.Structure):
    _fields_ = [("version", C.c_uint), ("purpose", C.c_int), ("at", C.c_int64),
                ("at_set", C.c_int), ("expiry_warn_days", C.c_int),
                ("file_name", C.c_char_p), ("storepass", C.c_char_p),
                ("keypasses", C.POINTER(C.c_char_p)), ("n_keypasses", C.c_size_t)]


class _Finding(C.Structure):
    _fields_ = [("id", C.c_char_p), ("severity", C.c_int), ("alias", C.c_char_p),
                ("message", C.c_char_p), ("fix", C.c_char_p)]


class _Findings(C.Structure):
    _fields_ = [("items", C.POINTER(_Finding)), ("count", C.c_size_t),
                ("purpose", C.c_int), ("inferred", C.c_int),
                ("errors", C.c_size_t), ("warnings", C.c_size_t), ("infos", C.c_size_t),
                ("cap", C.c_size_t)]


_P = C.c_void_p
_E = C.POINTER(_Error)
for name, res, args in [
    ("jks_error_format", C.c_char_p, [_E, C.c_char_p, C.c_size_t]),
    ("jks_format_from_name", C.c_int, [C.c_char_p]),
    ("jks_format_name", C.c_char_p, [C.c_int]),
    ("jks_store_read", C.c_int, [C.c_char_p, C.c_size_t, C.POINTER(_ReadOpts), C.POINTER(_P), _E]),
    ("jks_store_read_file", C.c_int, [C.c_char_p, C.POINTER(_ReadOpts), C.POINTER(_P), _E]),
    ("jks_store_free", None, [_P]),
    ("jks_store_format", C.c_int, [_P]),
    ("jks_store_version", C.c_uint32, [_P]),
    ("jks_store_integrity", C.c_int, [_P]),
    ("jks_store_count", C.c_size_t, [_P]),
    ("jks_store_entry", _P, [_P, C.c_size_t]),
    ("jks_entry_kind_of", C.c_int, [_P]),
    ("jks_entry_alias", C.c_char_p, [_P]),
    ("jks_entry_created", C.c_int, [_P, C.POINTER(C.c_int64)]),
    ("jks_entry_chain_len", C.c_size_t, [_P]),
    ("jks_entry_cert", _Bytes, [_P, C.c_size_t]),
    ("jks_entry_key_state", C.c_int, [_P]),
    ("jks_entry_pkcs8", _Bytes, [_P]),
    ("jks_entry_secret_algorithm", C.c_char_p, [_P]),
    ("jks_entry_secret", _Bytes, [_P]),
    ("jks_store_write", C.c_int, [_P, C.POINTER(_WriteOpts), C.POINTER(C.POINTER(C.c_uint8)),
                                  C.POINTER(C.c_size_t), _E]),
    ("jks_free", None, [_P]),
    ("jks_store_new", _P, [C.c_int]),
    ("jks_store_add_private_key", C.c_int, [_P, C.c_char_p, C.c_int64, C.c_char_p, C.c_size_t,
                                            C.POINTER(_Bytes), C.c_size_t, _E]),
    ("jks_store_add_trusted_cert", C.c_int, [_P, C.c_char_p, C.c_int64, C.c_char_p, C.c_size_t, _E]),
    ("jks_store_add_secret_key", C.c_int, [_P, C.c_char_p, C.c_int64, C.c_char_p, C.c_char_p,
                                           C.c_size_t, _E]),
    ("jks_file_write_atomic", C.c_int, [C.c_char_p, C.c_char_p, C.c_size_t, C.c_uint, C.c_int, _E]),
    ("jks_check_run", C.c_int, [_P, C.POINTER(_CheckOpts), C.POINTER(C.POINTER(_Findings))]),
    ("jks_findings_free", None, [C.POINTER(_Findings)]),
    ("jks_purpose_from_name", C.c_int, [C.c_char_p]),
    ("jks_purpose_name", C.c_char_p, [C.c_int]),
]:
    fn = getattr(_lib, name)
    fn.restype, fn.argtypes = res, args


class JksError(Exception):
    """A libjks failure: .status is the jks_status code, .message its one line."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def _raise(status, err):
    buf = C.create_string_buffer(512)
    _lib.jks_error_format(C.byref(err), buf, len(buf))
    raise JksError(status, buf.value.decode("utf-8", "replace"))


def _enc(s):
    if s is None:
        return None
    return s.encode("utf-8") if isinstance(s, str) else bytes(s)


def _passes(keypass):
    if keypass is None:
        return None, 0
    if isinstance(keypass, (str, bytes)):
        keypass = [keypass]
    arr = (C.c_char_p * len(keypass))(*[_enc(k) for k in keypass])
    return arr, len(keypass)


def _copy(b):
    return C.string_at(b.data, b.len) if b.len else b""


class Entry:
    """One entry, copied out of the store: alias, kind ("private-key",
    "trusted-cert", "secret-key"), created (ms since the epoch or None),
    cert_chain (DER bytes, leaf first), private_key_pkcs8, secret_key,
    secret_algorithm."""

    def __init__(self, e):
        self.alias = _lib.jks_entry_alias(e).decode("utf-8")
        self.kind = _KINDS.get(_lib.jks_entry_kind_of(e), "unknown")
        ms = C.c_int64()
        self.created = ms.value if _lib.jks_entry_created(e, C.byref(ms)) else None
        self.cert_chain = [_copy(_lib.jks_entry_cert(e, i))
                           for i in range(_lib.jks_entry_chain_len(e))]
        self.decrypted = _lib.jks_entry_key_state(e) == 1
        self.private_key_pkcs8 = _copy(_lib.jks_entry_pkcs8(e)) if self.kind == "private-key" else None
        self.secret_key = _copy(_lib.jks_entry_secret(e)) if self.kind == "secret-key" else None
        alg = _lib.jks_entry_secret_algorithm(e)
        self.secret_algorithm = alg.decode("utf-8") if alg else None

    def __repr__(self):
        return "<libjks.Entry %r %s>" % (self.alias, self.kind)


class Finding:
    def __init__(self, f):
        d = lambda s: s.decode("utf-8") if s else ""
        self.id, self.alias = d(f.id), d(f.alias)
        self.severity = _SEVERITIES.get(f.severity, "unknown")
        self.message, self.fix = d(f.message), d(f.fix)

    def __repr__(self):
        return "<libjks.Finding %s %s %r>" % (self.severity, self.id, self.alias)


class Store:
    """A decoded keystore. Owns the C store until close() (or garbage collection)."""

    def __init__(self, ptr):
        self._st = ptr
        self.format = _FORMATS.get(_lib.jks_store_format(ptr), "unknown")
        self.version = _lib.jks_store_version(ptr)
        self.integrity_verified = _lib.jks_store_integrity(ptr) == 1
        self.entries = [Entry(_lib.jks_store_entry(ptr, i)) for i in range(_lib.jks_store_count(ptr))]

    def __getitem__(self, alias):
        for e in self.entries:
            if e.alias == alias:
                return e
        raise KeyError(alias)

    def __iter__(self):
        return iter(self.entries)

    def __len__(self):
        return len(self.entries)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        """Free the C store (the library wipes the secrets it held)."""
        st, self._st = getattr(self, "_st", None), None
        if st and _lib is not None:  # _lib is None during interpreter shutdown
            _lib.jks_store_free(st)

    __del__ = close

    def _ptr(self):
        if not self._st:
            raise ValueError("store is closed")
        return self._st

    def _added(self, rc, err):
        if rc != OK:
            _raise(rc, err)
        n = _lib.jks_store_count(self._st)
        self.entries.append(Entry(_lib.jks_store_entry(self._st, n - 1)))
        return self.entries[-1]

    def add_private_key(self, alias, pkcs8, cert_chain, created=0):
        """Append a key entry (PKCS#8 PrivateKeyInfo, DER certificates leaf first)."""
        chain = (_Bytes * max(1, len(cert_chain)))()
        keep = [C.create_string_buffer(bytes(c), len(c)) for c in cert_chain]
        for i, b in enumerate(keep):
            chain[i].data, chain[i].len = C.cast(b, C.POINTER(C.c_uint8)), len(cert_chain[i])
        err = _Error()
        return self._added(_lib.jks_store_add_private_key(
            self._ptr(), _enc(alias), created, bytes(pkcs8), len(pkcs8), chain, len(cert_chain),
            C.byref(err)), err)

    def add_trusted_cert(self, alias, der, created=0):
        err = _Error()
        return self._added(_lib.jks_store_add_trusted_cert(
            self._ptr(), _enc(alias), created, bytes(der), len(der), C.byref(err)), err)

    def add_secret_key(self, alias, algorithm, key, created=0):
        err = _Error()
        return self._added(_lib.jks_store_add_secret_key(
            self._ptr(), _enc(alias), created, _enc(algorithm), bytes(key), len(key),
            C.byref(err)), err)

    def dumps(self, format=None, storepass=None, keypass=None, legacy_p12=False):
        """Encode the store as bytes in format ("jks", "jceks", "pkcs12", "pem", "bks", "uber";
        default: the store's own)."""
        opts = _WriteOpts(version=1, storepass=_enc(storepass), keypass=_enc(keypass),
                          p12_algorithms=1 if legacy_p12 else 0)
        if format is not None:
            opts.format = _lib.jks_format_from_name(_enc(format))
            if opts.format == 0:
                raise JksError(ERR_USAGE, "unknown format %r" % format)
        else:
            opts.format = _lib.jks_store_format(self._ptr())
        out, n, err = C.POINTER(C.c_uint8)(), C.c_size_t(), _Error()
        rc = _lib.jks_store_write(self._ptr(), C.byref(opts), C.byref(out), C.byref(n), C.byref(err))
        if rc != OK:
            _raise(rc, err)
        try:
            return C.string_at(out, n.value)
        finally:
            C.memset(out, 0, n.value)  # may hold plaintext keys (PEM)
            _lib.jks_free(out)

    def save(self, path, format=None, storepass=None, keypass=None, legacy_p12=False,
             overwrite=True, mode=0o600):
        """Write the store to path atomically (see dumps for the options)."""
        data = self.dumps(format, storepass, keypass, legacy_p12)
        err = _Error()
        rc = _lib.jks_file_write_atomic(os.fsencode(path), data, len(data), mode,
                                        1 if overwrite else 0, C.byref(err))
        if rc != OK:
            _raise(rc, err)

    def check(self, purpose="auto", storepass=None, keypass=None, at=None, file_name=None,
              expiry_warn_days=0):
        """Run libjks's validator; a list of Finding (id, severity, alias, message, fix)."""
        kp, nkp = _passes(keypass)
        opts = _CheckOpts(version=1, storepass=_enc(storepass), keypasses=kp, n_keypasses=nkp,
                          file_name=_enc(file_name), expiry_warn_days=expiry_warn_days)
        if purpose != "auto":
            opts.purpose = _lib.jks_purpose_from_name(_enc(purpose))
            if opts.purpose == 0:
                raise JksError(ERR_USAGE, "unknown purpose %r" % purpose)
        if at is not None:
            opts.at, opts.at_set = int(at), 1
        out = C.POINTER(_Findings)()
        rc = _lib.jks_check_run(self._ptr(), C.byref(opts), C.byref(out))
        if rc != OK:
            raise JksError(rc, "check failed")
        try:
            return [Finding(out.contents.items[i]) for i in range(out.contents.count)]
        finally:
            _lib.jks_findings_free(out)


def load(source, storepass=None, keypass=None, format=None, decrypt=True):
    """Read a keystore from a path or from bytes. keypass: one password or a
    list tried in turn (the store password is tried too). Raises JksError."""
    kp, nkp = _passes(keypass)
    opts = _ReadOpts(version=1, storepass=_enc(storepass), keypasses=kp, n_keypasses=nkp,
                     no_decrypt=0 if decrypt else 1)
    if format is not None:
        opts.force_format = _lib.jks_format_from_name(_enc(format))
    st, err = _P(), _Error()
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        rc = _lib.jks_store_read(data, len(data), C.byref(opts), C.byref(st), C.byref(err))
    else:
        rc = _lib.jks_store_read_file(os.fsencode(source), C.byref(opts), C.byref(st), C.byref(err))
    if rc != OK:
        _raise(rc, err)
    store = Store(st.value)
    return store


def new(format="jks"):
    """A new, empty store (add entries, then save)."""
    f = _lib.jks_format_from_name(_enc(format))
    if f == 0:
        raise JksError(ERR_USAGE, "unknown format %r" % format)
    return Store(_lib.jks_store_new(f))


def check(source, storepass=None, keypass=None, purpose="auto", at=None, file_name=None,
          expiry_warn_days=0):
    """Load source (path or bytes) and check it; a list of Finding."""
    if file_name is None and not isinstance(source, (bytes, bytearray, memoryview)):
        file_name = os.fsdecode(source)
    with load(source, storepass, keypass) as st:
        return st.check(purpose, storepass, keypass, at, file_name, expiry_warn_days)
