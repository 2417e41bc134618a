"""libjks for Python: Java keystores (JKS, JCEKS, PKCS#12, PEM) without Java.

A ctypes binding over libjks.so (no compiler needed). Everything is done by
the C library; this module only converts arguments and results.

    import libjks
    with libjks.load("client.jks", "changeit") as ks:
        for e in ks.entries:
            print(e.alias, e.kind, len(e.cert_chain))
        ks.save("client.p12", format="pkcs12", storepass="changeit")
    for f in libjks.check("client.jks", "changeit", purpose="client"):
        print(f["severity"], f["id"], f["message"])

The library is found through $LIBJKS_LIBRARY, then build/libjks.so of the
source tree this package sits in, then the libjks.so.1 that `make install`
put beside it (PREFIX/lib), then the system's.
"""
import ctypes
import ctypes.util
import datetime
import os

__all__ = ["load", "check", "Store", "Entry", "Error"]

FORMATS = {"unknown": 0, "jks": 1, "jceks": 2, "pkcs12": 3, "pem": 4}
FORMAT_NAMES = {v: k for k, v in FORMATS.items()}
KINDS = {1: "private_key", 2: "trusted_cert", 3: "secret_key"}
SEVERITIES = {0: "error", 1: "warning", 2: "info"}
PURPOSES = {"auto": 0, "client": 1, "server": 2, "truststore": 3, "identity": 4, "none": 5}
KEY_DECRYPTED = 1


def _find_library():
    env = os.environ.get("LIBJKS_LIBRARY")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    tree = os.path.join(here, "..", "..", "build", "libjks.so")
    if os.path.exists(tree):
        return tree
    # installed by make install: PREFIX/lib/python3/dist-packages/libjks -> PREFIX/lib
    installed = os.path.join(here, "..", "..", "..", "libjks.so.1")
    if os.path.exists(installed):
        return installed
    return ctypes.util.find_library("jks") or "libjks.so.1"


_lib = ctypes.CDLL(_find_library())


class _Error(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int), ("offset", ctypes.c_longlong),
                ("alias", ctypes.c_char * 128), ("msg", ctypes.c_char * 256)]


class _Bytes(ctypes.Structure):
    _fields_ = [("data", ctypes.POINTER(ctypes.c_uint8)), ("len", ctypes.c_size_t)]


class _ReadOpts(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("storepass", ctypes.c_char_p),
                ("keypasses", ctypes.POINTER(ctypes.c_char_p)), ("n_keypasses", ctypes.c_size_t),
                ("force_format", ctypes.c_int), ("no_decrypt", ctypes.c_int),
                ("max_iterations", ctypes.c_uint32), ("flags", ctypes.c_uint)]


class _WriteOpts(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("format", ctypes.c_int),
                ("storepass", ctypes.c_char_p), ("keypass", ctypes.c_char_p),
                ("keep_encryption", ctypes.c_int), ("p12_algorithms", ctypes.c_int),
                ("pem_encrypt_keys", ctypes.c_int), ("pem_no_comments", ctypes.c_int),
                ("pem_certs_only", ctypes.c_int)]


class _CheckOpts(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint), ("purpose", ctypes.c_int), ("at", ctypes.c_int64),
                ("at_set", ctypes.c_int), ("expiry_warn_days", ctypes.c_int),
                ("file_name", ctypes.c_char_p), ("storepass", ctypes.c_char_p),
                ("keypasses", ctypes.POINTER(ctypes.c_char_p)), ("n_keypasses", ctypes.c_size_t)]


class _Finding(ctypes.Structure):
    _fields_ = [("id", ctypes.c_char_p), ("severity", ctypes.c_int), ("alias", ctypes.c_char_p),
                ("message", ctypes.c_char_p), ("fix", ctypes.c_char_p)]


class _Findings(ctypes.Structure):
    _fields_ = [("items", ctypes.POINTER(_Finding)), ("count", ctypes.c_size_t),
                ("purpose", ctypes.c_int), ("inferred", ctypes.c_int), ("errors", ctypes.c_size_t),
                ("warnings", ctypes.c_size_t), ("infos", ctypes.c_size_t), ("cap", ctypes.c_size_t)]


def _fn(name, res, *args):
    f = getattr(_lib, name)
    f.restype = res
    f.argtypes = list(args)
    return f


_P = ctypes.c_void_p
_read = _fn("jks_store_read", ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t,
            ctypes.POINTER(_ReadOpts), ctypes.POINTER(_P), ctypes.POINTER(_Error))
_read_file = _fn("jks_store_read_file", ctypes.c_int, ctypes.c_char_p,
                 ctypes.POINTER(_ReadOpts), ctypes.POINTER(_P), ctypes.POINTER(_Error))
_free_store = _fn("jks_store_free", None, _P)
_format = _fn("jks_store_format", ctypes.c_int, _P)
_integrity = _fn("jks_store_integrity", ctypes.c_int, _P)
_count = _fn("jks_store_count", ctypes.c_size_t, _P)
_entry = _fn("jks_store_entry", _P, _P, ctypes.c_size_t)
_kind = _fn("jks_entry_kind_of", ctypes.c_int, _P)
_alias = _fn("jks_entry_alias", ctypes.c_char_p, _P)
_created = _fn("jks_entry_created", ctypes.c_int, _P, ctypes.POINTER(ctypes.c_int64))
_chain_len = _fn("jks_entry_chain_len", ctypes.c_size_t, _P)
_cert = _fn("jks_entry_cert", _Bytes, _P, ctypes.c_size_t)
_key_state = _fn("jks_entry_key_state", ctypes.c_int, _P)
_pkcs8 = _fn("jks_entry_pkcs8", _Bytes, _P)
_secret = _fn("jks_entry_secret", _Bytes, _P)
_secret_alg = _fn("jks_entry_secret_algorithm", ctypes.c_char_p, _P)
_write = _fn("jks_store_write", ctypes.c_int, _P, ctypes.POINTER(_WriteOpts),
             ctypes.POINTER(ctypes.POINTER(ctypes.c_uint8)), ctypes.POINTER(ctypes.c_size_t),
             ctypes.POINTER(_Error))
_write_file = _fn("jks_file_write_atomic", ctypes.c_int, ctypes.c_char_p,
                  ctypes.POINTER(ctypes.c_uint8), ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                  ctypes.POINTER(_Error))
_jks_free = _fn("jks_free", None, _P)
_check_run = _fn("jks_check_run", ctypes.c_int, _P, ctypes.POINTER(_CheckOpts),
                 ctypes.POINTER(ctypes.POINTER(_Findings)))
_findings_free = _fn("jks_findings_free", None, ctypes.POINTER(_Findings))


class Error(Exception):
    """A libjks failure: status (2 usage, 3 password, 4 format, 5 I/O), the
    library's message, the byte offset (-1 when none) and the entry's alias."""

    def __init__(self, status, message, offset=-1, alias=""):
        super().__init__(message)
        self.status, self.message, self.offset, self.alias = status, message, offset, alias


def _raise(status, err):
    raise Error(status, err.msg.decode("utf-8", "replace"), err.offset,
                err.alias.decode("utf-8", "replace"))


def _b(s):
    return None if s is None else (s.encode("utf-8") if isinstance(s, str) else bytes(s))


def _keypasses(keypass):
    if keypass is None:
        return None, 0, []
    kps = [keypass] if isinstance(keypass, (str, bytes)) else list(keypass)
    keep = [_b(k) for k in kps]
    arr = (ctypes.c_char_p * len(keep))(*keep)
    return arr, len(keep), keep


def _view(b):
    return ctypes.string_at(b.data, b.len) if b.len else b""


class Entry:
    """One entry, copied out of the store: alias, kind ("private_key",
    "trusted_cert", "secret_key"), created (UTC datetime or None),
    cert_chain (DER certificates, leaf first), private_key_pkcs8 (PKCS#8 DER
    when the key was decrypted), secret_key and secret_algorithm."""

    def __init__(self, e):
        self.alias = _alias(e).decode("utf-8", "surrogateescape")
        self.kind = KINDS.get(_kind(e), "unknown")
        ms = ctypes.c_int64()
        self.created = (datetime.datetime.fromtimestamp(ms.value / 1000, datetime.timezone.utc)
                        if _created(e, ctypes.byref(ms)) else None)
        self.timestamp = ms.value if self.created else None
        self.cert_chain = [_view(_cert(e, i)) for i in range(_chain_len(e))]
        self.decrypted = _key_state(e) == KEY_DECRYPTED
        p8 = _pkcs8(e)
        self.private_key_pkcs8 = _view(p8) if p8.len else None
        sk = _secret(e)
        self.secret_key = _view(sk) if sk.len else None
        alg = _secret_alg(e)
        self.secret_algorithm = alg.decode() if alg else None

    def __repr__(self):
        return "<libjks.Entry %r %s, %d certificate(s)>" % (self.alias, self.kind, len(self.cert_chain))


class Store:
    """A keystore read by libjks. Use as a context manager, or call close()."""

    def __init__(self, handle):
        self._h = _P(handle)
        self.format = FORMAT_NAMES.get(_format(self._h), "unknown")
        self.integrity = "verified" if _integrity(self._h) == 1 else "not-checked"
        self.entries = [Entry(_entry(self._h, i)) for i in range(_count(self._h))]

    def find(self, alias):
        """The entry with this alias (exact, then case-insensitive), or None."""
        for e in self.entries:
            if e.alias == alias:
                return e
        low = alias.lower()
        return next((e for e in self.entries if e.alias.lower() == low), None)

    def dumps(self, format=None, storepass=None, keypass=None):
        """The store encoded as bytes (format: jks, jceks, pkcs12, pem)."""
        self._live()
        w = _WriteOpts(version=1, format=FORMATS[format] if format else 0,
                       storepass=_b(storepass), keypass=_b(keypass))
        out = ctypes.POINTER(ctypes.c_uint8)()
        n = ctypes.c_size_t()
        err = _Error()
        s = _write(self._h, ctypes.byref(w), ctypes.byref(out), ctypes.byref(n), ctypes.byref(err))
        if s:
            _raise(s, err)
        try:
            return ctypes.string_at(out, n.value)
        finally:
            _jks_free(ctypes.cast(out, _P))

    def save(self, path, format=None, storepass=None, keypass=None, overwrite=True):
        """Write the store to path as jkstool does (atomically, keeping an
        existing file's owner and mode; 0600 for a new file holding keys)."""
        data = self.dumps(format, storepass, keypass)
        buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
        has_keys = any(e.kind != "trusted_cert" for e in self.entries)
        err = _Error()
        s = _write_file(_b(os.fspath(path)), buf, len(data), 0o600 if has_keys else 0o644,
                        1 if overwrite else 0, ctypes.byref(err))
        ctypes.memset(buf, 0, len(data))
        if s:
            _raise(s, err)

    def check(self, purpose="auto", storepass=None, keypass=None, file_name=None):
        """Findings of libjks's validator on this store (list of dicts)."""
        self._live()
        kps, n, keep = _keypasses(keypass)
        o = _CheckOpts(version=1, purpose=PURPOSES[purpose], file_name=_b(file_name),
                       storepass=_b(storepass), keypasses=kps, n_keypasses=n)
        out = ctypes.POINTER(_Findings)()
        s = _check_run(self._h, ctypes.byref(o), ctypes.byref(out))
        if s:
            raise Error(s, "check failed")
        try:
            f = out.contents
            return [{"id": f.items[i].id.decode(), "severity": SEVERITIES[f.items[i].severity],
                     "alias": (f.items[i].alias or b"").decode("utf-8", "surrogateescape"),
                     "message": (f.items[i].message or b"").decode("utf-8", "replace"),
                     "fix": (f.items[i].fix or b"").decode("utf-8", "replace")}
                    for i in range(f.count)]
        finally:
            _findings_free(out)
            del keep

    def _live(self):
        if not self._h:
            raise ValueError("store is closed")

    def close(self):
        if self._h:
            _free_store(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()


def load(path_or_bytes, storepass=None, keypass=None, format=None, decrypt=True):
    """Read a keystore from a path or from bytes. storepass and keypass (one
    password or a list, tried in order for each key) may be None."""
    kps, n, keep = _keypasses(keypass)
    o = _ReadOpts(version=1, storepass=_b(storepass), keypasses=kps, n_keypasses=n,
                  force_format=FORMATS[format] if format else 0, no_decrypt=0 if decrypt else 1)
    h = _P()
    err = _Error()
    if isinstance(path_or_bytes, (bytes, bytearray, memoryview)):
        data = bytes(path_or_bytes)
        s = _read(data, len(data), ctypes.byref(o), ctypes.byref(h), ctypes.byref(err))
    else:
        s = _read_file(_b(os.fspath(path_or_bytes)), ctypes.byref(o), ctypes.byref(h),
                       ctypes.byref(err))
    del keep
    if s:
        _raise(s, err)
    return Store(h.value)


def check(path_or_bytes, storepass=None, keypass=None, purpose="auto", file_name=None):
    """Read a keystore and return libjks's findings (list of dicts: id,
    severity, alias, message, fix), as `jkstool check --json` lists them."""
    with load(path_or_bytes, storepass, keypass) as ks:
        name = file_name or (os.path.basename(os.fspath(path_or_bytes))
                             if not isinstance(path_or_bytes, (bytes, bytearray, memoryview)) else None)
        return ks.check(purpose, storepass, keypass, name)
