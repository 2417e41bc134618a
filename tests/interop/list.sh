#!/usr/bin/env bash
# Interop: `jkstool list --json` against Java's own account of every vector
# (vectors/manifest.tsv, vectors/expected/*.json written by Dump.java under
# JDK 17 and, for jdk25-* vectors, JDK 25). For each vector:
#   * with the store password (and key passwords): aliases, kinds, every
#     certificate's SHA-256 in order, the SPKI of every key Java recovered
#     (= Java's key_spki_sha256), secret-key algorithm and bits;
#   * without a password, against NAME.nopass.json where present: the same
#     entries and certificates, integrity not-checked, no key opened;
#   * entries jkstool flags "java_visible":false are left out, and PKCS#12
#     aliases are compared lower-cased, as Java keys them;
#   * a wrong store password exits 3 (when the store has a MAC or digest
#     to check); a truncated copy and a copy with a
#     broken entry tag exit 4; a flipped byte in the certificate of a
#     one-certificate JKS/JCEKS exits 4 and says "corrupt".
# Vectors whose format jkstool reports as "not supported yet" are skipped
# (counted and printed), so the test tightens by itself as codecs land.
# Needs: $JKSTOOL, python3. cwd = repo root.
set -uo pipefail
export LC_ALL=C.UTF-8
: "${JKSTOOL:?set JKSTOOL to the jkstool binary}"
VEC=${VECTORS:-vectors}
if [ ! -f "$VEC/manifest.tsv" ] || [ ! -d "$VEC/expected" ]; then
    echo "list.sh: SKIP: no vectors ($VEC/manifest.tsv, $VEC/expected)"
    exit 0
fi
command -v python3 >/dev/null || { echo "list.sh: python3 is required" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

JKSTOOL=$JKSTOOL VEC=$VEC TMP=$tmp python3 - <<'PY'
import json, os, subprocess, sys

tool, vec, tmp = os.environ["JKSTOOL"], os.environ["VEC"], os.environ["TMP"]
fails, skips, checks = [], [], 0

def run(args):
    p = subprocess.run([tool] + args, stdin=subprocess.DEVNULL, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

def fail(name, what):
    fails.append(f"{name}: {what}")

def load_expected(path):
    try:
        with open(path, encoding="ascii") as f:
            return json.loads(f.read())
    except FileNotFoundError:
        return None

def key_of(e):
    return e["alias"].encode("utf-8", "surrogatepass")

def compare(name, exp_views, got, with_password, fmt):
    """exp_views: Java views of the same file (JDK 17, maybe JDK 25)."""
    global checks
    exp = exp_views[0]
    pem = fmt in ("PEM", "DER")
    # entries Java does not show (PKCS#12 cert bags without its trust
    # attribute) are listed by us but flagged
    ours = [e for e in got["entries"] if e.get("java_visible", True)]
    if fmt == "PKCS12":  # Java keys PKCS#12 aliases lower-case (FORMATS.md 4.4)
        ours = [dict(e, alias=e["alias"].lower()) for e in ours]
    if pem:  # Java's PEM view names entries "", "1", "2"...: compare by position
        je, oe = exp["entries"], ours
    else:
        je = sorted(exp["entries"], key=key_of)
        oe = sorted(ours, key=key_of)
        ja, oa = [e["alias"] for e in je], [e["alias"] for e in oe]
        if ja != oa:
            return fail(name, f"aliases differ: java {ja!r} ours {oa!r}")
    if len(je) != len(oe):
        return fail(name, f"{len(oe)} entries, java has {len(je)}")
    if fmt in ("JKS", "JCEKS"):
        want = "verified" if with_password else "not-checked"
        if got.get("integrity") != want:
            fail(name, f"integrity {got.get('integrity')!r}, want {want!r}")
    for i, (j, o) in enumerate(zip(je, oe)):
        where = f"entry {j['alias']!r}"
        if j["kind"] != o["kind"]:
            fail(name, f"{where}: kind {o['kind']} java {j['kind']}")
            continue
        checks += 1
        if j["kind"] in ("private-key", "trusted-cert"):
            ours_chain = [c["sha256"] for c in o.get("chain", [])]
            if ours_chain != j["chain_sha256"]:
                fail(name, f"{where}: chain {ours_chain} java {j['chain_sha256']}")
        if j["kind"] == "private-key":
            key = o.get("key", {})
            recovered = [v for v in exp_views if v is not None]
            java_opened = None
            for v in recovered:
                for ve in v["entries"]:
                    if (pem or ve["alias"] == j["alias"]) and ve["kind"] == "private-key" and ve.get("pkcs8_sha256"):
                        java_opened = ve
            if java_opened:
                if not key.get("decrypted"):
                    fail(name, f"{where}: Java recovered the key, we did not ({key.get('error')})")
                elif key.get("error") == "unsupported-key-algorithm":
                    # ML-DSA/ML-KEM (Java 24+): decrypted and named, but OpenSSL 3.0
                    # cannot derive its public key; the name must be Java's (JDK 25
                    # names it, JDK 17 gives the OID: 2.16.840.1.101.3.4.3.17-19 are
                    # ML-DSA-44/65/87, .4.4.1-3 ML-KEM-512/768/1024)
                    ja = java_opened.get("key_alg") or ""
                    pq = {"2.16.840.1.101.3.4.3.17": "ML-DSA-44", "2.16.840.1.101.3.4.3.18": "ML-DSA-65",
                          "2.16.840.1.101.3.4.3.19": "ML-DSA-87", "2.16.840.1.101.3.4.4.1": "ML-KEM-512",
                          "2.16.840.1.101.3.4.4.2": "ML-KEM-768", "2.16.840.1.101.3.4.4.3": "ML-KEM-1024"}
                    if key.get("algorithm") != ja and pq.get(ja) != key.get("curve") and \
                            not (ja in ("ML-DSA", "ML-KEM") and key.get("curve", "").startswith(ja + "-")):
                        fail(name, f"{where}: key {key.get('algorithm')} {key.get('curve')} java {ja}")
                elif java_opened.get("key_spki_sha256") and key.get("spki_sha256") != java_opened["key_spki_sha256"]:
                    fail(name, f"{where}: key SPKI {key.get('spki_sha256')} java {java_opened['key_spki_sha256']}")
            elif key.get("decrypted") and with_password:
                fail(name, f"{where}: we opened a key Java could not")
            elif key.get("decrypted") and not with_password and not pem:
                fail(name, f"{where}: key opened without any password")
        if j["kind"] == "secret-key":
            s = o.get("secret", {})
            if j.get("secret_alg"):
                if not s.get("decrypted"):
                    fail(name, f"{where}: Java recovered the secret key, we did not ({s.get('error')})")
                elif s.get("algorithm") != j["secret_alg"] or s.get("bits") != j["secret_bits"]:
                    fail(name, f"{where}: secret {s.get('algorithm')}/{s.get('bits')} java {j['secret_alg']}/{j['secret_bits']}")
            elif s.get("decrypted") and with_password and not any(
                    ve.get("secret_alg") for v in exp_views[1:] if v for ve in v["entries"] if ve["alias"] == j["alias"]):
                fail(name, f"{where}: we opened a secret key Java could not")

def unsupported(err):
    return "not supported yet" in err

rows = []
with open(os.path.join(vec, "manifest.tsv"), encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        c = line.split("\t")
        c += [""] * (5 - len(c))
        rows.append(c[:5])

for path, stype, storepass, keypasses, notes in rows:
    name = os.path.splitext(os.path.basename(path))[0]
    file = os.path.join(vec, path)
    exp = load_expected(os.path.join(vec, "expected", name + ".json"))
    if exp is None:
        fail(name, "no expected result")
        continue
    exp25 = load_expected(os.path.join(vec, "expected", name + ".jdk25.json"))
    kp = []
    for k in (keypasses.split(",") if keypasses else []):
        kp += ["--keypass", "pass:" + k]
    args = ["list", "--json", "--storepass", "pass:" + storepass] + kp + [file]
    rc, out, err = run(args)
    if rc == 4 and unsupported(err):
        skips.append(f"{name} ({stype}: {err.strip().split(': ')[-1]})")
        continue
    if not exp.get("ok"):
        if rc == 0:
            fail(name, f"Java failed ({exp.get('error')}) but we listed it")
        continue
    if rc != 0:
        fail(name, f"exit {rc}: {err.strip()}")
        continue
    try:
        got = json.loads(out)
    except ValueError as e:
        fail(name, f"output is not JSON: {e}")
        continue
    views = [exp] + ([exp25] if exp25 else [])
    compare(name, views, got, True, stype)
    if exp25:  # JDK 25's account of the same file must agree as well
        compare(name + " (jdk25 view)", [exp25, exp], got, True, stype)

    nop = load_expected(os.path.join(vec, "expected", name + ".nopass.json"))
    if nop is not None:
        rc, out, err = run(["list", "--json", file])
        if rc != 0:
            fail(name, f"without password: exit {rc}: {err.strip()}")
        else:
            compare(name + " (no password)", [nop], json.loads(out), False, stype)

    # without a MAC (PKCS#12 -nomac) nothing can tell a wrong password
    if stype in ("JKS", "JCEKS", "PKCS12") and storepass and got.get("integrity") == "verified":
        rc, out, err = run(["list", "--json", "--storepass", "pass:wrong-" + storepass, file])
        if rc != 3:
            fail(name, f"wrong store password: exit {rc}, want 3 ({err.strip()})")
    if stype in ("JKS", "JCEKS", "PKCS12"):
        data = open(file, "rb").read()
        bad = os.path.join(tmp, name + ".truncated")
        with open(bad, "wb") as f:
            f.write(data[: len(data) // 2])
        for a in (["--storepass", "pass:" + storepass], []):
            rc, out, err = run(["list", "--json"] + a + [bad])
            if rc != 4:
                fail(name, f"truncated copy{' (no password)' if not a else ''}: exit {rc}, want 4")
    if stype in ("JKS", "JCEKS") and exp["entries"]:
        data = bytearray(open(file, "rb").read())
        data[12] ^= 0x40  # first entry's tag
        bad = os.path.join(tmp, name + ".badtag")
        open(bad, "wb").write(data)
        rc, out, err = run(["list", "--json", "--storepass", "pass:" + storepass, bad])
        if rc != 4:
            fail(name, f"broken entry tag: exit {rc}, want 4")
        e = exp["entries"]
        if len(e) == 1 and len(e[0].get("chain_sha256", [])) == 1:
            data = bytearray(open(file, "rb").read())
            data[len(data) - 20 - 3] ^= 0x01  # inside the self-signed cert's signature
            bad = os.path.join(tmp, name + ".corrupt")
            open(bad, "wb").write(data)
            rc, out, err = run(["list", "--json", "--storepass", "pass:" + storepass, bad])
            if rc != 4 or "corrupt" not in err:
                fail(name, f"corrupted certificate byte: exit {rc}, want 4 and 'corrupt' ({err.strip()})")
    checks += 1

for s in skips:
    print(f"list.sh: skip {s}")
for f in fails:
    print(f"list.sh: FAIL {f}")
print(f"list.sh: {len(rows)} vectors, {len(skips)} skipped, {checks} checks, {len(fails)} failures")
sys.exit(1 if fails else 0)
PY
