"""The Python binding against jkstool (its JSON is the reference) on every
vector, round trips through save/load, check findings, errors, and the pyjks
compatibility layer. Run by `make python-check`."""
import hashlib
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(ROOT, "python"))
import libjks  # noqa: E402
from libjks.compat import pyjks  # noqa: E402

JKSTOOL = os.environ.get("JKSTOOL", os.path.join(ROOT, "build", "jkstool"))
VEC = os.path.join(ROOT, "vectors")
KIND = {"private-key": "private_key", "trusted-cert": "trusted_cert", "secret-key": "secret_key"}


def vectors():
    out = []
    for line in open(os.path.join(VEC, "manifest.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        path, typ, pw = f[0], f[1], f[2] if len(f) > 2 else ""
        kps = [k for k in (f[3].split(",") if len(f) > 3 and f[3] else []) if k]
        out.append((path, typ, pw or None, kps))
    return out


VECTORS = vectors()


def jkstool_json(*args):
    r = subprocess.run([JKSTOOL, *args], capture_output=True)
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip() else None)


def cli_pw(pw, kps):
    a = ["--storepass", "pass:" + pw] if pw is not None else []
    for k in kps:
        a += ["--keypass", "pass:" + k]
    return a


@pytest.mark.parametrize("path,typ,pw,kps", VECTORS, ids=[v[0] for v in VECTORS])
def test_same_view_as_jkstool(path, typ, pw, kps):
    full = os.path.join(VEC, path)
    rc, ref = jkstool_json("list", "--json", full, *cli_pw(pw, kps))
    if rc not in (0, 3) or ref is None:
        with pytest.raises(libjks.Error) as ei:
            libjks.load(full, pw, kps or None).close()
        assert ei.value.status == rc
        return
    with libjks.load(full, pw, kps or None) as ks:
        assert ks.format == ref["format"]
        assert ks.integrity == ref["integrity"]
        assert [e.alias for e in ks.entries] == [e["alias"] for e in ref["entries"]]
        for e, r in zip(ks.entries, ref["entries"]):
            assert e.kind == KIND[r["kind"]]
            assert [hashlib.sha256(c).hexdigest() for c in e.cert_chain] == \
                [c["sha256"] for c in r.get("chain", [])]
            if e.kind == "private_key" and r.get("key", {}).get("decrypted"):
                assert e.private_key_pkcs8


@pytest.mark.parametrize("fmt", ["jks", "pkcs12", "jceks"])
def test_round_trip(tmp_path, fmt):
    src = os.path.join(VEC, "files", "jks-chain3.jks")
    with libjks.load(src, "changeit") as ks:
        before = [(e.alias, e.kind, e.cert_chain, e.private_key_pkcs8) for e in ks.entries]
        out = tmp_path / ("out." + fmt)
        ks.save(out, format=fmt, storepass="s3cret")
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    with libjks.load(out, "s3cret") as back:
        assert back.format == fmt
        assert back.integrity == "verified"
        after = [(e.alias, e.kind, e.cert_chain, e.private_key_pkcs8) for e in back.entries]
    assert after == before
    with libjks.load(out.read_bytes(), "s3cret") as again:  # from bytes
        assert len(again.entries) == len(before)


def test_wrong_password_raises():
    with pytest.raises(libjks.Error) as ei:
        libjks.load(os.path.join(VEC, "files", "jks-chain3.jks"), "wrong")
    assert ei.value.status == 3 and "password" in ei.value.message


def test_malformed_raises_with_offset():
    data = open(os.path.join(VEC, "files", "jks-chain3.jks"), "rb").read()[:200]
    with pytest.raises(libjks.Error) as ei:
        libjks.load(data, "changeit")
    assert ei.value.status == 4 and ei.value.offset >= 0


@pytest.mark.parametrize("name", sorted(os.listdir(os.path.join(VEC, "check")))[:40])
def test_check_like_jkstool(name):
    full = os.path.join(VEC, "check", name)
    if not os.path.isfile(full) or name.endswith((".md", ".txt", ".pass", ".json")):
        pytest.skip("not a store")
    pwf = os.path.splitext(full)[0] + ".pass"
    pw = open(pwf).read().strip() if os.path.exists(pwf) else "changeit"
    rc, ref = jkstool_json("check", "--json", full, "--storepass", "pass:" + pw)
    if ref is None or "findings" not in ref:
        pytest.skip("jkstool could not read it")
    got = libjks.check(full, pw)
    assert sorted(f["id"] for f in got) == sorted(f["id"] for f in ref["findings"])


def test_pyjks_compat():
    ks = pyjks.KeyStore.load(os.path.join(VEC, "files", "jks-chain3.jks"), "changeit")
    assert ks.store_type == "jks"
    pk = ks.private_keys["leaf"]
    assert pk.pkey and pk.cert_chain[0][0] == "X.509" and len(pk.cert_chain) >= 2
    assert pk.is_decrypted()
    assert all(c.cert for c in ks.certs.values())
    with pytest.raises(pyjks.KeystoreSignatureException):
        pyjks.KeyStore.load(os.path.join(VEC, "files", "jks-chain3.jks"), "wrong")


def test_where_pyjks_stops(tmp_path):
    """pyjks cannot read an alias outside the BMP (it decodes modified UTF-8
    per UTF-16 unit); the binding reads it, through the same names."""
    with libjks.load(os.path.join(VEC, "files", "jks-chain3.jks"), "changeit") as ks:
        leaf = ks.find("leaf")
    store = libjks.load(os.path.join(VEC, "files", "jks-chain3.jks"), "changeit")
    store.close()
    # build a JKS with an alias outside the BMP with jkstool's writer
    pem = tmp_path / "k.pem"
    subprocess.run([JKSTOOL, "convert", os.path.join(VEC, "files", "jks-chain3.jks"),
                    "--storepass", "pass:changeit", "--alias", "leaf", str(pem)], check=True,
                   capture_output=True)
    out = tmp_path / "clef.jks"
    subprocess.run([JKSTOOL, "import", str(out), "--storepass", "pass:changeit",
                    "--file", str(pem), "--alias", "\U0001d11e-clef"], capture_output=True)
    if not out.exists():
        pytest.skip("jkstool import could not make the store")
    ks = pyjks.KeyStore.load(str(out), "changeit")
    assert "\U0001d11e-clef" in ks.private_keys or "\U0001d11e-clef" in ks.certs
    assert leaf.cert_chain


JKS_VECTORS = [v for v in VECTORS if v[1] in ("JKS", "JCEKS") and v[2]]


@pytest.mark.parametrize("path,typ,pw,kps", JKS_VECTORS, ids=[v[0] for v in JKS_VECTORS])
def test_same_as_real_pyjks(path, typ, pw, kps):
    """Where Debian's python3-pyjks reads a store, the compatibility layer
    gives the same aliases, certificates and keys."""
    real = pytest.importorskip("jks")
    full = os.path.join(VEC, path)
    try:
        want = real.KeyStore.load(full, pw, try_decrypt_keys=not kps)
    except Exception as e:  # pyjks's own limits (JDK 21+ keys, non-BMP aliases, ...)
        got = pyjks.KeyStore.load(full, pw)  # the binding still reads it
        assert got.entries, "pyjks failed (%s) and so did the binding" % e
        return
    got = pyjks.KeyStore.load(full, pw)
    assert sorted(got.certs) == sorted(want.certs)
    assert sorted(got.private_keys) == sorted(want.private_keys)
    assert sorted(got.secret_keys) == sorted(want.secret_keys)
    for a, c in want.certs.items():
        assert got.certs[a].cert == c.cert
    for a, k in want.private_keys.items():
        assert [c for _, c in got.private_keys[a].cert_chain] == [c for _, c in k.cert_chain]
        if k.is_decrypted():
            assert got.private_keys[a].pkey == k.pkey_pkcs8 or got.private_keys[a].pkey == k.pkey
