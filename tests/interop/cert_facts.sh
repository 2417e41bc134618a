#!/usr/bin/env bash
# Interop for the certificate facts `list --json` and `list -v` gained
# (basicConstraints, key usage, extended key usage, subject alternative
# names): for every certificate of every vector, and of a generated leaf
# with every SAN kind, the values equal what `openssl x509 -ext` prints for
# the same certificate (the oracle), and `list -v` prints the same lines.
# Run by `make interop` with JKSTOOL set; cwd = repository root.
set -uo pipefail
JKSTOOL=${JKSTOOL:-build/jkstool}
case $JKSTOOL in /*) ;; *) JKSTOOL=$PWD/$JKSTOOL ;; esac
command -v openssl >/dev/null || { echo "cert_facts.sh: SKIP (no openssl)"; exit 0; }
V=$PWD/vectors/files
source "$(dirname "$0")/lib/assert.bash"

# a leaf with every SAN kind OpenSSL prints the same way, EKU and KU
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=facts.example" \
    -days 30 -keyout k.pem -out c.pem \
    -addext "subjectAltName=DNS:a.example,DNS:*.b.example,IP:10.1.2.3,IP:2001:db8::1,email:x@y.example,URI:https://u.example/p" \
    -addext "keyUsage=critical,digitalSignature,keyAgreement" \
    -addext "extendedKeyUsage=serverAuth,clientAuth,codeSigning" \
    -addext "basicConstraints=critical,CA:FALSE" 2>/dev/null
openssl pkcs12 -export -inkey k.pem -in c.pem -passout pass:changeit -out gen.p12 2>/dev/null
printf 'changeit\n' > gen.pass
check "openssl made the generated leaf" test -s gen.p12

python3 - "$JKSTOOL" "$V" "$T" <<'PY'
import json, os, re, subprocess, sys
tool, vdir, tmp = sys.argv[1:4]
KU = {"Digital Signature": "digitalSignature", "Non Repudiation": "nonRepudiation",
      "Key Encipherment": "keyEncipherment", "Data Encipherment": "dataEncipherment",
      "Key Agreement": "keyAgreement", "Certificate Sign": "keyCertSign", "CRL Sign": "cRLSign",
      "Encipher Only": "encipherOnly", "Decipher Only": "decipherOnly"}
EKU = {"TLS Web Server Authentication": "serverAuth", "TLS Web Client Authentication": "clientAuth",
       "Code Signing": "codeSigning", "E-mail Protection": "emailProtection",
       "Time Stamping": "timeStamping", "OCSP Signing": "OCSPSigning",
       "Any Extended Key Usage": "anyExtendedKeyUsage"}
fails, n_certs, n_ext = [], 0, 0

def oracle(pem):
    """openssl's view: {basic_constraints, key_usage, extended_key_usage, subject_alt_names}"""
    r = subprocess.run(["openssl", "x509", "-noout", "-ext",
                        "basicConstraints,keyUsage,extendedKeyUsage,subjectAltName"],
                       input=pem, capture_output=True, text=True)
    out, cur, val = {}, None, {}
    for line in r.stdout.splitlines():
        if line.startswith("X509v3 "):
            cur = line.split(":")[0][len("X509v3 "):]
            val[cur] = []
        elif cur:
            val[cur].append(line.strip())
    bc = val.get("Basic Constraints")
    if bc is not None:
        t = " ".join(bc)
        m = re.search(r"pathlen:(\d+)", t)
        out["basic_constraints"] = {"ca": "CA:TRUE" in t, "path_len": int(m.group(1)) if m else None}
    else:
        out["basic_constraints"] = None
    ku = val.get("Key Usage")
    out["key_usage"] = None if ku is None else [KU[x.strip()] for x in " ".join(ku).split(",") if x.strip()]
    eku = val.get("Extended Key Usage")
    out["extended_key_usage"] = None if eku is None else [EKU.get(x.strip(), "?" + x.strip()) for x in " ".join(eku).split(",") if x.strip()]
    san = val.get("Subject Alternative Name")
    out["subject_alt_names"] = None if san is None else [x.strip() for x in " ".join(san).split(", ") if x.strip()]
    return out

def pems(store, sp):
    r = subprocess.run([tool, "list", store, "--rfc"] + sp, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\n", r.stdout, re.S)

stores = [(os.path.join(vdir, f), os.path.join(vdir, os.path.splitext(f)[0] + ".pass"))
          for f in sorted(os.listdir(vdir)) if os.path.splitext(f)[1] in (".jks", ".jceks", ".p12", ".pem", ".der")]
stores.append((os.path.join(tmp, "gen.p12"), os.path.join(tmp, "gen.pass")))
for store, pw in stores:
    sp = ["--storepass", "file:" + pw] if os.path.exists(pw) else []
    r = subprocess.run([tool, "list", store, "--json"] + sp, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if r.returncode not in (0, 3):
        continue
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        fails.append(f"{store}: list --json is not JSON"); continue
    chain = [c for e in doc["entries"] for c in e["chain"] if "error" not in c]
    ps = pems(store, sp)
    if len(ps) != len(chain):
        fails.append(f"{store}: {len(ps)} PEM certificates, {len(chain)} in JSON"); continue
    v = subprocess.run([tool, "list", store, "-v"] + sp, capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout
    for c, pem in zip(chain, ps):
        n_certs += 1
        o = oracle(pem)
        for k in ("basic_constraints", "key_usage", "extended_key_usage", "subject_alt_names"):
            want, got = o[k], c.get(k, "missing")
            if k == "extended_key_usage" and want and any(x.startswith("?") for x in want):
                want = got = None if got is None else len(got) == len(want)  # unknown names: count only
            if k == "subject_alt_names" and want and any(x.startswith(("DirName", "othername")) for x in want):
                want, got = len(want), len(got or [])  # printed differently: count only
            if want != got:
                fails.append(f"{os.path.basename(store)} {c['subject'][:40]}: {k}: ours {got} openssl {want}")
            elif want:
                n_ext += 1
        if c.get("subject_alt_names") and "Subject alternative names: " + ", ".join(c["subject_alt_names"]) not in v:
            fails.append(f"{os.path.basename(store)}: list -v lacks the SAN line of {c['subject'][:40]}")
        if c.get("basic_constraints") and "Basic constraints: CA:" not in v:
            fails.append(f"{os.path.basename(store)}: list -v lacks the basic constraints line")
for f in fails[:20]:
    print("FAIL:", f, file=sys.stderr)
print(f"cert_facts: {n_certs} certificates, {n_ext} extension values equal to openssl's, {len(fails)} failures")
sys.exit(1 if fails or n_certs < 200 or n_ext < 300 else 0)
PY
check "list --json / -v facts equal openssl x509 -ext for every certificate" test $? = 0

echo "cert_facts.sh: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
