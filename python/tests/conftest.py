"""Shared fixtures: the source tree, build/jkstool and the vectors of vectors/manifest.tsv."""
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
JKSTOOL = os.environ.get("JKSTOOL", os.path.join(ROOT, "build", "jkstool"))
VEC = os.path.join(ROOT, "vectors")


def vectors():
    """(path, storepass or None, [keypasses]) for every row of the manifest."""
    rows = []
    with open(os.path.join(VEC, "manifest.tsv"), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            c = (line.split("\t") + [""] * 5)[:5]
            rows.append((os.path.join(VEC, c[0]), c[2] or None, c[3].split(",") if c[3] else []))
    assert len(rows) > 50, "vectors/manifest.tsv lost its rows"
    return rows


def vector_id(row):
    return os.path.basename(row[0])


def jkstool_args(storepass, keypasses):
    a = ["--storepass", "pass:" + storepass] if storepass is not None else []
    for k in keypasses:
        a += ["--keypass", "pass:" + k]
    return a
