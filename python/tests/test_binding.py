"""The binding against `jkstool list --json` / `check --json` on every vector, and save -> load."""
import datetime
import hashlib
import json
import subprocess

import pytest

import libjks
from conftest import JKSTOOL, jkstool_args, vector_id, vectors

ROWS = vectors()


def jkstool(*args):
    p = subprocess.run([JKSTOOL, *args], stdin=subprocess.DEVNULL, capture_output=True)
    return p.returncode, p.stdout


def iso(ms):
    return datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.mark.parametrize("row", ROWS, ids=vector_id)
def test_load_matches_list_json(row):
    path, sp, kps = row
    rc, out = jkstool("list", "--json", *jkstool_args(sp, kps), path)
    if rc != 0:
        # jkstool's exit code is the jks_status: the binding raises the same one
        with pytest.raises(libjks.JksError) as ei:
            libjks.load(path, sp, kps)
        assert ei.value.status == rc and ei.value.message
        return
    want = json.loads(out)
    with libjks.load(path, sp, kps) as st:
        assert st.format == want["format"]
        assert [e.alias for e in st] == [w["alias"] for w in want["entries"]]
        for e, w in zip(st, want["entries"]):
            assert e.kind == w["kind"]
            assert (iso(e.created) if e.created is not None else None) == w.get("created")
            assert [hashlib.sha256(c).hexdigest() for c in e.cert_chain] == \
                [c["sha256"] for c in w.get("chain", [])] + ([w["sha256"]] if "sha256" in w else [])
            if e.kind == "private-key":
                assert e.decrypted == w["key"]["decrypted"]
                assert bool(e.private_key_pkcs8) == e.decrypted
            if e.kind == "secret-key" and e.decrypted:
                assert len(e.secret_key) * 8 == w["secret"]["bits"]


def _payload(st):
    return [(e.alias, e.kind, e.cert_chain, e.private_key_pkcs8, e.secret_key) for e in st]


@pytest.mark.parametrize("fmt", ["jks", "jceks", "pkcs12", "pem"])
def test_save_load_roundtrip(fmt, tmp_path):
    done = 0
    for path, sp, kps in ROWS:
        try:
            st = libjks.load(path, sp, kps)
        except libjks.JksError:
            continue
        with st:
            if not len(st) or not all(e.decrypted for e in st if e.kind != "trusted-cert"):
                continue
            out = str(tmp_path / ("rt." + fmt))
            try:
                st.save(out, format=fmt, storepass="rt-pass")
            except libjks.JksError as e:
                # a conversion that would lose data (e.g. secret keys into JKS)
                assert e.status == libjks.ERR_USAGE, e.message
                continue
            with libjks.load(out, "rt-pass") as back:
                # Java lowercases JKS/JCEKS aliases; PKCS#12 puts keys first
                got = sorted(_payload(back), key=repr)
                want = sorted(((w[0].lower(),) + w[1:] if fmt in ("jks", "jceks") else w
                               for w in _payload(st)), key=repr)
                assert got == want, path
            with open(out, "rb") as f:  # and from bytes
                with libjks.load(f.read(), "rt-pass") as back:
                    assert len(back) == len(st)
            done += 1
    assert done >= 20, "only %d stores round-tripped" % done


def test_save_rejects_unknown_format(tmp_path):
    with libjks.load(ROWS[0][0], ROWS[0][1], ROWS[0][2]) as st:
        with pytest.raises(libjks.JksError) as ei:
            st.save(str(tmp_path / "x"), format="nope", storepass="x")
        assert ei.value.status == libjks.ERR_USAGE


def test_wrong_password_raises_password_status():
    with pytest.raises(libjks.JksError) as ei:
        libjks.load(ROWS[0][0], "not-the-password")
    assert ei.value.status == libjks.ERR_PASSWORD
    assert "password" in ei.value.message or "integrity" in ei.value.message


@pytest.mark.parametrize("row", ROWS, ids=vector_id)
def test_check_matches_check_json(row):
    path, sp, kps = row
    rc, out = jkstool("check", "--json", *jkstool_args(sp, kps), path)
    if rc not in (0, 1):
        with pytest.raises(libjks.JksError):
            libjks.check(path, sp, kps)
        return
    want = json.loads(out)["findings"]
    got = libjks.check(path, sp, kps)
    # jkstool prints the findings grouped; the library returns them as found
    assert sorted((f.id, f.severity, f.alias, f.message, f.fix) for f in got) == \
        sorted((w["id"], w["severity"], w.get("alias", ""), w["message"], w.get("fix", "")) for w in want)
