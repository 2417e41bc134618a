"""libjks.compat.pyjks against Debian's pyjks (python3-pyjks) on the stores pyjks reads,
and the stores where pyjks fails and the binding works."""
import os

import pytest

import libjks
import libjks.compat.pyjks as compat
from conftest import VEC, vector_id, vectors

try:
    import jks as pyjks
except ImportError:  # pragma: no cover
    pyjks = None
need_pyjks = pytest.mark.skipif(pyjks is None, reason="pyjks not installed (Debian: apt-get install python3-pyjks)")

JAVA_ROWS = [r for r in vectors() if r[0].endswith((".jks", ".jceks")) and r[1] is not None]


def view(ks):
    """What both implementations expose, as plain data."""
    return {
        "private_keys": {a: (e.pkey_pkcs8, e.pkey, tuple(e.algorithm_oid), [(t, bytes(d)) for t, d in e.cert_chain], e.timestamp)
                         for a, e in ks.private_keys.items()},
        "certs": {a: (e.type, bytes(e.cert), e.timestamp) for a, e in ks.certs.items()},
        "secret_keys": {a: (bytes(e.key), e.key_size) for a, e in ks.secret_keys.items()},
    }


@need_pyjks
def test_same_as_pyjks_where_pyjks_reads():
    compared = 0
    for path, sp, kps in JAVA_ROWS:
        if kps:  # pyjks opens keys with the store password only
            continue
        try:
            theirs = pyjks.KeyStore.load(path, sp)
            for e in list(theirs.private_keys.values()) + list(theirs.secret_keys.values()):
                if not e.is_decrypted():
                    e.decrypt(sp)
        except Exception:
            continue  # pyjks's limits are test_where_pyjks_fails's subject
        ours = compat.KeyStore.load(path, sp)
        assert ours.store_type == theirs.store_type, path
        assert view(ours) == view(theirs), path
        compared += 1
    assert compared >= 15, "pyjks read only %d stores" % compared


@need_pyjks
def test_where_pyjks_fails_jdk25_jks_key():
    # JDK 21+ keytool writes the JKS key's AlgorithmIdentifier without NULL parameters
    path = os.path.join(VEC, "files", "jdk25-jks-rsa2048.jks")
    with pytest.raises(Exception):
        pyjks.KeyStore.load(path, "changeit")
    ks = compat.KeyStore.load(path, "changeit")
    (alias, pk), = ks.private_keys.items()
    assert alias == "server" and pk.is_decrypted() and pk.pkey_pkcs8[:1] == b"\x30"
    assert pk.algorithm_oid == (1, 2, 840, 113549, 1, 1, 1) and pk.pkey in pk.pkey_pkcs8
    assert pk.cert_chain and pk.cert_chain[0][0] == "X.509"


def _emoji_store(tmp_path):
    src = libjks.load(os.path.join(VEC, "files", "jks-rsa2048.jks"), "changeit")
    key = src.entries[0]
    st = libjks.new("jks")
    st.add_private_key("key-\U0001F511", key.private_key_pkcs8, key.cert_chain, key.created)
    st.add_trusted_cert("ca-\U0001F600", key.cert_chain[-1], 1700000000000)
    path = str(tmp_path / "emoji.jks")
    st.save(path, storepass="changeit")
    return path, key


@need_pyjks
def test_where_pyjks_fails_alias_outside_bmp(tmp_path):
    # our writer stores U+1F511 as Java does (modified UTF-8: two 3-byte surrogates)
    path, key = _emoji_store(tmp_path)
    with pytest.raises(Exception):
        pyjks.KeyStore.load(path, "changeit")
    ks = compat.KeyStore.load(path, "changeit")
    assert set(ks.private_keys) == {"key-\U0001F511"} and set(ks.certs) == {"ca-\U0001F600"}
    assert ks.private_keys["key-\U0001F511"].pkey_pkcs8 == key.private_key_pkcs8
    assert ks.certs["ca-\U0001F600"].timestamp == 1700000000000


def test_compat_errors():
    path = os.path.join(VEC, "files", "jks-rsa2048.jks")
    with pytest.raises(compat.KeystoreSignatureException):
        compat.KeyStore.load(path, "wrong")
    with pytest.raises(compat.BadKeystoreFormatException):
        compat.KeyStore.loads(b"not a keystore", "x")
