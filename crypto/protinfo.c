/* Layer "crypto": what a stored key protection is (its algorithm name) and
 * the one answer to "can this protected key go into format F as it is"
 * (jks/source.h), with the writers' decision built on it: copy the stored
 * bytes, encrypt the decrypted key afresh, or refuse naming the entry. */
#include "p12crypto.h"
#include "pkcs8.h"
#include "protect.h"

#include <openssl/err.h>
#include <openssl/x509.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

/* The OID of a stored EncryptedPrivateKeyInfo into oid (cap 128); 0 when the
 * bytes are no EncryptedPrivateKeyInfo. */
static int epki_oid(const jks_entry *e, char oid[128])
{
    jks_epki ep;
    if (!jks_epki_parse(e->prot.data, e->prot.len, &ep))
        return 0;
    memcpy(oid, ep.oid, sizeof(ep.oid));
    jks_epki_clear(&ep);
    return 1;
}

int jks_entry_protection_reusable(const jks_entry *e, jks_format f)
{
    char oid[128];
    if (!e || e->kind == JKS_ENTRY_TRUSTED_CERT || !e->prot.len)
        return 0;
    jks_protection p = e->protection;
    if (p == JKS_PROT_BKS_3DES) /* a BKS sealed object, of either kind */
        return f == JKS_FORMAT_BKS || f == JKS_FORMAT_UBER;
    if (p == JKS_PROT_BCFKS) /* an EncryptedPrivateKeyInfo or EncryptedSecretKeyData of BC's */
        return f == JKS_FORMAT_BCFKS;
    if (e->kind == JKS_ENTRY_SECRET_KEY) /* sealed objects, or PKCS#12 secret bags */
        return (f == JKS_FORMAT_JCEKS && p == JKS_PROT_JCEKS_3DES) ||
               (f == JKS_FORMAT_PKCS12 && p == JKS_PROT_PKCS12);
    switch (f) {
    case JKS_FORMAT_JKS:
        return p == JKS_PROT_JKS;
    case JKS_FORMAT_JCEKS:
        return p == JKS_PROT_JKS || p == JKS_PROT_JCEKS_3DES;
    case JKS_FORMAT_PKCS12:
    case JKS_FORMAT_PEM:
        /* a standard EncryptedPrivateKeyInfo (PBES1/PBES2, PKCS#12 PBEs), as
         * a PKCS#12 shrouded key bag or a PEM ENCRYPTED PRIVATE KEY holds;
         * never Sun's private OIDs, which neither OpenSSL nor Java's PKCS#12
         * decrypts */
        if (p != JKS_PROT_PKCS12 && p != JKS_PROT_PKCS8_PBES2)
            return 0;
        return epki_oid(e, oid) && strcmp(oid, JKS_OID_KEYPROTECTOR) &&
               strcmp(oid, JKS_OID_PBE_MD5_3DES);
    default:
        return 0;
    }
}

const char *jks_entry_protection_name(const jks_entry *e, char *out, size_t cap)
{
    char oid[128];
    if (!out || !cap)
        return out;
    out[0] = 0;
    if (!e || e->kind == JKS_ENTRY_TRUSTED_CERT)
        return out;
    if (!e->prot.len) {
        if (e->plain || e->protection == JKS_PROT_NONE)
            snprintf(out, cap, "none");
        return out;
    }
    if (e->protection == JKS_PROT_BKS_3DES) {
        snprintf(out, cap, "bks-pbe-sha1-3des"); /* PBEWithSHAAnd3-KeyTripleDES-CBC */
        return out;
    }
    if (e->protection == JKS_PROT_BCFKS) {
        snprintf(out, cap, "bcfks-pbes2-aes-256"); /* PBKDF2-HMAC-SHA512, AES-256 CCM or KWP */
        return out;
    }
    if (e->kind == JKS_ENTRY_SECRET_KEY && e->protection == JKS_PROT_JCEKS_3DES) {
        snprintf(out, cap, "pbe-md5-3des"); /* a sealed object (FORMATS.md 3.3) */
        return out;
    }
    if (!epki_oid(e, oid))
        return out;
    if (!strcmp(oid, JKS_OID_KEYPROTECTOR)) {
        snprintf(out, cap, "jks-keyprotector");
    } else if (!strcmp(oid, JKS_OID_PBE_MD5_3DES)) {
        snprintf(out, cap, "pbe-md5-3des");
    } else {
        const unsigned char *p = e->prot.data;
        X509_SIG *sig = e->prot.len <= LONG_MAX ? d2i_X509_SIG(NULL, &p, (long)e->prot.len) : NULL;
        if (sig) {
            const X509_ALGOR *alg;
            X509_SIG_get0(sig, &alg, NULL);
            jks_p12_alg_name(alg, out, cap);
            X509_SIG_free(sig);
        }
        ERR_clear_error();
    }
    return out;
}

static const char *label(jks_format f)
{
    switch (f) {
    case JKS_FORMAT_JKS: return "JKS";
    case JKS_FORMAT_JCEKS: return "JCEKS";
    case JKS_FORMAT_PKCS12: return "PKCS#12";
    case JKS_FORMAT_BKS: return "BKS";
    case JKS_FORMAT_UBER: return "UBER";
    case JKS_FORMAT_BCFKS: return "BCFKS";
    default: return "PEM";
    }
}

jks_status jks_key_write_mode(const jks_entry *e, const jks_write_opts *opts, int *keep,
                              jks_error *err)
{
    jks_format f = opts->format ? opts->format : JKS_FORMAT_JKS;
    *keep = 0;
    if (e->kind == JKS_ENTRY_TRUSTED_CERT)
        return JKS_OK;
    if (opts->keep_encryption && jks_entry_protection_reusable(e, f)) {
        *keep = 1;
        return JKS_OK;
    }
    if (e->state == JKS_KEY_DECRYPTED && e->plain)
        return JKS_OK;
    const char *why = e->state == JKS_KEY_UNSUPPORTED ? "its protection is not supported"
                      : e->state == JKS_KEY_WRONG_PASSWORD
                          ? "none of the passwords given opens it"
                          : "no password was given for it";
    jks_status s;
    if (opts->keep_encryption && e->prot.len) {
        char name[64];
        jks_entry_protection_name(e, name, sizeof(name));
        s = jks_fail(err, JKS_ERR_PASSWORD, -1,
                     "key is not decrypted (%s), and %s cannot hold its protection (%s) as it "
                     "is: it needs the key's password to be re-encrypted",
                     why, label(f), name[0] ? name : "unknown");
    } else {
        s = jks_fail(err, JKS_ERR_PASSWORD, -1,
                     "key is not decrypted (%s): it needs the key's password to be written", why);
    }
    jks_error_set_alias(err, e->alias);
    return s;
}
