"""Key pool for tests/interop/probe_choice.sh: two CAs and leaves (RSA and EC)
under each, valid, expired, not yet valid, serverAuth-only, without EKU,
keyEncipherment-only; writes leafN.key (PKCS#8 PEM), leafN.alg, leafN.chain."""
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

out = sys.argv[1]
now = datetime.datetime.utcnow()
day = datetime.timedelta(days=1)

def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test"),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])

def build(subject, issuer, pub, signer, nb, na, exts):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(pub)
         .serial_number(x509.random_serial_number()).not_valid_before(nb).not_valid_after(na))
    for e in exts:
        b = b.add_extension(e, critical=False)
    return b.sign(signer, hashes.SHA256())

pem = lambda c: c.public_bytes(serialization.Encoding.PEM)
cas = []
for i in (1, 2):
    k = ec.generate_private_key(ec.SECP256R1())
    c = build(name("CA %d" % i), name("CA %d" % i), k.public_key(), k, now - 10 * day, now + 3650 * day,
              [x509.BasicConstraints(ca=True, path_length=None)])
    open("%s/ca%d.pem" % (out, i), "wb").write(pem(c))
    cas.append((k, c))

client = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH])
server = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH])
ku_sig = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
ku_enc = x509.KeyUsage(False, False, True, False, False, False, False, False, False)
variants = [
    ("valid", now - day, now + 365 * day, [client]),
    ("expired", now - 400 * day, now - 30 * day, [client]),
    ("notyet", now + 30 * day, now + 400 * day, [client]),
    ("server", now - day, now + 365 * day, [server]),
    ("noeku", now - day, now + 365 * day, []),
    ("kuenc", now - day, now + 365 * day, [ku_enc, client]),
    ("kusig", now - day, now + 365 * day, [ku_sig, client]),
]
n = 0
for ci, (cak, cac) in [(i % 2, cas[i % 2]) for i in range(int(sys.argv[2]) if len(sys.argv) > 2 else 2)]:
    for alg in ("RSA", "EC"):
        for vname, nb, na, exts in variants:
            # a key of its own: a PKCS#12 pairs keys and certificates by localKeyId
            key = (rsa.generate_private_key(public_exponent=65537, key_size=1024) if alg == "RSA"
                   else ec.generate_private_key(ec.SECP256R1()))
            c = build(name("leaf %d %s %s" % (ci + 1, alg, vname)), cac.subject, key.public_key(), cak,
                      nb, na, exts)
            open("%s/leaf%d.key" % (out, n), "wb").write(key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))
            open("%s/leaf%d.alg" % (out, n), "w").write(alg + "\n")
            chain = pem(c) + (pem(cac) if n % 3 else b"")
            open("%s/leaf%d.chain" % (out, n), "wb").write(chain)
            n += 1
