/* PKCS#12 writer: the layout and attributes keytool writes (FORMATS.md 4.1-4.3;
 * RFC 7292). JKS_P12_MODERN = JDK 17+ defaults (PBES2 AES-256-CBC /
 * PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC); JKS_P12_LEGACY = JDK 8 (PBE-SHA1-3DES
 * keys, RC2-40 certificates, HMAC-SHA1 MAC). Key bags are made with OpenSSL's
 * PKCS12 API (few, and encrypted one by one); certificate bags, the safes,
 * the PFX and its MAC are DER written here through the builder, so that a
 * truststore of thousands of certificates is copied once into the safe and
 * encrypted straight into the output instead of going through OpenSSL's
 * object tree (attribute duplication, four whole-file encodings). OpenSSL
 * still does every cryptographic step: the PBE, the cipher, the MAC KDF. */
#include "builder.h"
#include "cursor.h"
#include "p12.h"
#include "cert.h"
#include "protect.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#define SALT_LEN 20
#define MODERN_ITER 10000
#define LEGACY_KEY_ITER 50000
#define LEGACY_CERT_ITER 50000
#define LEGACY_MAC_ITER 100000

typedef struct {
    int legacy;
    const char *pass;   /* store (= key) password; NULL for a password-less store */
    int keep;           /* keep_encryption: reusable shrouded keys go out as stored */
    jks_error *err;
    STACK_OF(PKCS12_SAFEBAG) *keys;
    jks_builder certs;          /* SafeContents: the certificate bags, DER */
    const jks_bytes **written;  /* certificate DER already in a bag (dedupe) */
    size_t n_written;
} p12_out;

/* DER of the object identifiers written here (tag and length included) */
static const uint8_t OID_DATA[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
static const uint8_t OID_ENCRYPTED_DATA[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06};
static const uint8_t OID_CERT_BAG[] = {0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01, 0x03};
static const uint8_t OID_X509_CERT[] = {0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01};
static const uint8_t OID_FRIENDLY_NAME[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14};
static const uint8_t OID_LOCAL_KEY_ID[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15};
/* Oracle trustedKeyUsage 2.16.840.1.113894.746875.1.1 and anyExtendedKeyUsage 2.5.29.37.0 */
static const uint8_t OID_ORACLE_TRUST[] = {0x06, 0x0c, 0x60, 0x86, 0x48, 0x01, 0x86, 0xf9, 0x66, 0xad, 0xca, 0x7b, 0x01, 0x01};
static const uint8_t OID_ANY_EKU[] = {0x06, 0x04, 0x55, 0x1d, 0x25, 0x00};
static const uint8_t OID_SHA1[] = {0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a};
static const uint8_t OID_SHA256[] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
#define PKCS12_VERSION 3

/* PBES2 { PBKDF2 { salt(20), iter, keyLength 32, hmacWithSHA256 }, AES-256-CBC IV } */
static X509_ALGOR *pbes2_aes256(int iter)
{
    unsigned char iv[16];
    PBE2PARAM *p2 = PBE2PARAM_new();
    X509_ALGOR *ret = NULL;
    ASN1_STRING *seq = NULL;
    if (!p2 || RAND_bytes(iv, sizeof(iv)) != 1)
        goto out;
    if (!(p2->encryption->parameter = ASN1_TYPE_new()) ||
        !ASN1_TYPE_set_octetstring(p2->encryption->parameter, iv, sizeof(iv)))
        goto out;
    p2->encryption->algorithm = OBJ_nid2obj(NID_aes_256_cbc);
    X509_ALGOR_free(p2->keyfunc);
    if (!(p2->keyfunc = PKCS5_pbkdf2_set_ex(iter, NULL, SALT_LEN, NID_hmacWithSHA256, 32, NULL)))
        goto out;
    if (!(seq = ASN1_item_pack(p2, ASN1_ITEM_rptr(PBE2PARAM), NULL)) || !(ret = X509_ALGOR_new()) ||
        !X509_ALGOR_set0(ret, OBJ_nid2obj(NID_pbes2), V_ASN1_SEQUENCE, seq)) {
        X509_ALGOR_free(ret);
        ASN1_STRING_free(seq);
        ret = NULL;
    }
out:
    PBE2PARAM_free(p2);
    return ret;
}

static X509_ALGOR *key_algor(const p12_out *o)
{
    if (o->legacy)
        return PKCS5_pbe_set(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, LEGACY_KEY_ITER, NULL, SALT_LEN);
    return pbes2_aes256(MODERN_ITER);
}

/* Encrypt a PrivateKeyInfo (or Java's secret-key SEQUENCE) into an
 * EncryptedPrivateKeyInfo. */
static X509_SIG *encrypt_p8(const p12_out *o, PKCS8_PRIV_KEY_INFO *p8)
{
    X509_ALGOR *alg = key_algor(o);
    if (!alg)
        return NULL;
    X509_SIG *sig = PKCS8_set0_pbe(o->pass, (int)strlen(o->pass), p8, alg);
    if (!sig)
        X509_ALGOR_free(alg);
    return sig;
}

static int add_name(PKCS12_SAFEBAG *bag, const char *alias)
{
    uint8_t *u16;
    size_t n;
    /* our own UTF-16: OpenSSL's BMPString conversion refuses characters
     * beyond U+FFFF, which Java writes as surrogate pairs */
    if (!jks_utf8_to_utf16be(alias, &u16, &n))
        return 0;
    int ok = n <= INT32_MAX &&
             PKCS12_add1_attr_by_NID(bag, NID_friendlyName, V_ASN1_BMPSTRING, u16, (int)n);
    free(u16);
    return ok;
}

static int add_time_id(PKCS12_SAFEBAG *bag, const char *id)
{
    return PKCS12_add_localkeyid(bag, (unsigned char *)id, (int)strlen(id));
}

/* Java names the other certificates of a chain by their subject (RFC 2253);
 * malloc'd UTF-8, NULL when the certificate does not decode. */
static char *subject_name(jks_bytes der)
{
    const unsigned char *p = der.data;
    X509 *x = d2i_X509(NULL, &p, (long)der.len);
    BIO *b = BIO_new(BIO_s_mem());
    char *txt = NULL, *name = NULL;
    if (x && b && X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253) >= 0) {
        long n = BIO_get_mem_data(b, &txt);
        if (n >= 0 && (name = malloc((size_t)n + 1))) {
            memcpy(name, txt, (size_t)n);
            name[n] = 0;
        }
    }
    BIO_free(b);
    X509_free(x);
    return name;
}

/* One bag attribute, SEQUENCE { type, SET { value } }, as its own DER (any
 * length: a friendlyName is as long as the alias). */
static void attribute(jks_builder *a, const uint8_t *oid, size_t oid_len, uint8_t tag,
                      const void *v, size_t vlen)
{
    size_t set = jks_der_size(vlen), n = oid_len + jks_der_size(set);
    jks_builder_init(a, jks_der_size(n));
    jks_builder_der_header(a, 0x30, n);
    jks_builder_bytes(a, oid, oid_len);
    jks_builder_der_header(a, 0x31, set);
    jks_builder_der(a, tag, v, vlen);
}

/* DER orders a SET OF by the encodings (shorter first on a common prefix,
 * as OpenSSL does), so the bytes match what OpenSSL's encoder writes. */
static int attr_cmp(const void *x, const void *y)
{
    const jks_builder *a = *(const jks_builder *const *)x, *b = *(const jks_builder *const *)y;
    size_t n = a->len < b->len ? a->len : b->len;
    int r = memcmp(a->buf, b->buf, n);
    return r ? r : (a->len > b->len) - (a->len < b->len);
}

/* A certBag for exactly these DER bytes (no re-encoding), with the
 * attributes Java writes: friendlyName (name, UTF-8), localKeyId (key_id)
 * and Oracle's trustedKeyUsage = { anyExtendedKeyUsage } (trusted).
 * Returns JKS_OK, JKS_ERR_FORMAT (not shaped like a certificate: a full
 * d2i_X509 would also decode the public key through OpenSSL 3's provider
 * decoders, which dominated writing truststores of thousands of
 * certificates; Java parses each when it loads the store anyway) or
 * JKS_ERR_IO (out of memory). */
static jks_status cert_bag(p12_out *o, const jks_bytes *der, const char *name,
                           const char *key_id, int trusted)
{
    jks_builder at[3], *sorted[3];
    size_t n_at = 0, attrs_len = 0;
    int ok = 1;
    if (!jks_cert_der_shaped(*der, NULL))
        return JKS_ERR_FORMAT;
    if (name) {
        uint8_t *u16;
        size_t n;
        if (!jks_utf8_to_utf16be(name, &u16, &n))
            return JKS_ERR_IO;
        attribute(&at[n_at++], OID_FRIENDLY_NAME, sizeof(OID_FRIENDLY_NAME), 0x1E, u16, n);
        free(u16);
    }
    if (key_id)
        attribute(&at[n_at++], OID_LOCAL_KEY_ID, sizeof(OID_LOCAL_KEY_ID), 0x04, key_id,
                  strlen(key_id));
    if (trusted)
        attribute(&at[n_at++], OID_ORACLE_TRUST, sizeof(OID_ORACLE_TRUST), 0x06, OID_ANY_EKU + 2,
                  sizeof(OID_ANY_EKU) - 2);
    for (size_t i = 0; i < n_at; i++) {
        ok &= jks_builder_ok(&at[i]);
        sorted[i] = &at[i];
        attrs_len += at[i].len;
    }
    if (ok)
        qsort(sorted, n_at, sizeof(sorted[0]), attr_cmp);

    jks_builder *b = &o->certs;
    size_t cert_bag_len = sizeof(OID_X509_CERT) + jks_der_size(jks_der_size(der->len));
    size_t bag_len = sizeof(OID_CERT_BAG) + jks_der_size(jks_der_size(cert_bag_len)) +
                     (n_at ? jks_der_size(attrs_len) : 0);
    if (ok) {
        jks_builder_der_header(b, 0x30, bag_len);                  /* SafeBag */
        jks_builder_bytes(b, OID_CERT_BAG, sizeof(OID_CERT_BAG));
        jks_builder_der_header(b, 0xA0, jks_der_size(cert_bag_len));
        jks_builder_der_header(b, 0x30, cert_bag_len);             /* CertBag */
        jks_builder_bytes(b, OID_X509_CERT, sizeof(OID_X509_CERT));
        jks_builder_der_header(b, 0xA0, jks_der_size(der->len));
        jks_builder_der(b, 0x04, der->data, der->len);
        if (n_at) {
            jks_builder_der_header(b, 0x31, attrs_len);
            for (size_t i = 0; i < n_at; i++)
                jks_builder_bytes(b, sorted[i]->buf, sorted[i]->len);
        }
        ok = jks_builder_ok(b);
    }
    for (size_t i = 0; i < n_at; i++)
        jks_builder_cleanup(&at[i]);
    return ok ? JKS_OK : JKS_ERR_IO;
}

static int seen_cert(p12_out *o, const jks_bytes *der)
{
    for (size_t i = 0; i < o->n_written; i++)
        if (o->written[i]->len == der->len && !memcmp(o->written[i]->data, der->data, der->len))
            return 1;
    return 0;
}

/* keep_encryption with a reusable key (jks_entry_protection_reusable): its
 * EncryptedPrivateKeyInfo as stored, never decrypted (its password may be
 * unknown, and may differ from the store password). */
static int keep_key(const p12_out *o, const jks_entry *e)
{
    return o->keep && jks_entry_protection_reusable(e, JKS_FORMAT_PKCS12);
}

static jks_status write_private(p12_out *o, const jks_entry *e, const char *id)
{
    X509_SIG *sig;
    if (keep_key(o, e)) {
        const unsigned char *q = e->prot.data;
        sig = e->prot.len <= LONG_MAX ? d2i_X509_SIG(NULL, &q, (long)e->prot.len) : NULL;
        if (!sig || q != e->prot.data + e->prot.len) {
            X509_SIG_free(sig);
            return jks_fail(o->err, JKS_ERR_FORMAT, -1, "stored protected key does not parse");
        }
    } else {
        const unsigned char *p = e->plain;
        PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)e->plain_len);
        if (!p8)
            return jks_fail(o->err, JKS_ERR_FORMAT, -1, "key is not a PKCS#8 PrivateKeyInfo");
        sig = encrypt_p8(o, p8);
        PKCS8_PRIV_KEY_INFO_free(p8);
    }
    PKCS12_SAFEBAG *bag = sig ? PKCS12_SAFEBAG_create0_pkcs8(sig) : NULL;
    if (!bag) {
        X509_SIG_free(sig);
        return jks_fail(o->err, JKS_ERR_IO, -1, "key encryption failed");
    }
    if (!add_name(bag, e->alias) || !add_time_id(bag, id) || !sk_PKCS12_SAFEBAG_push(o->keys, bag)) {
        PKCS12_SAFEBAG_free(bag);
        return jks_fail(o->err, JKS_ERR_IO, -1, "cannot build key bag");
    }
    /* the leaf carries the key's name and id; the rest of the chain none
     * (as Java writes it). Issuers already written are not repeated: Java
     * finds issuers by name among all certificate bags. */
    for (size_t i = 0; i < e->n_chain; i++) {
        if (i > 0 && seen_cert(o, &e->chain[i]))
            continue;
        char *subject = i > 0 ? subject_name(e->chain[i]) : NULL;
        jks_status s = i > 0 && !subject
                           ? JKS_ERR_FORMAT
                           : cert_bag(o, &e->chain[i], i == 0 ? e->alias : subject,
                                      i == 0 ? id : NULL, 0);
        free(subject);
        if (s != JKS_OK)
            return s == JKS_ERR_FORMAT
                       ? jks_fail(o->err, s, -1, "certificate %zu of the chain does not parse", i + 1)
                       : jks_fail(o->err, s, -1, "out of memory");
        o->written[o->n_written++] = &e->chain[i];
    }
    return JKS_OK;
}

/* keep_encryption: a secret key's stored EncryptedPrivateKeyInfo, as it is */
static jks_status keep_secret(p12_out *o, const jks_entry *e, const char *id)
{
    PKCS12_SAFEBAG *bag = NULL;
    if (e->prot.len > INT_MAX ||
        !(bag = PKCS12_SAFEBAG_create_secret(NID_pkcs8ShroudedKeyBag, V_ASN1_OCTET_STRING,
                                             e->prot.data, (int)e->prot.len)) ||
        !add_name(bag, e->alias) || !add_time_id(bag, id) || !sk_PKCS12_SAFEBAG_push(o->keys, bag)) {
        PKCS12_SAFEBAG_free(bag);
        return jks_fail(o->err, JKS_ERR_IO, -1, "cannot build secret-key bag");
    }
    return JKS_OK;
}

/* Java's secret key: SEQUENCE { 0, AlgorithmIdentifier(alg), OCTET STRING key }
 * encrypted like a private key, in secretBag { pkcs8ShroudedKeyBag, [0] OCTET STRING }. */
static jks_status write_secret(p12_out *o, const jks_entry *e, const char *id)
{
    if (keep_key(o, e))
        return keep_secret(o, e, id);
    ASN1_OBJECT *oid = jks_p12_secret_alg_oid(e->secret_alg);
    PKCS8_PRIV_KEY_INFO *p8 = PKCS8_PRIV_KEY_INFO_new();
    unsigned char *key = OPENSSL_malloc(e->plain_len ? e->plain_len : 1);
    X509_SIG *sig = NULL;
    unsigned char *der = NULL;
    PKCS12_SAFEBAG *bag = NULL;
    int n = 0;
    jks_status s = JKS_OK;
    if (!oid) {
        s = jks_fail(o->err, JKS_ERR_USAGE, -1, "secret key algorithm %s has no OID Java knows",
                     e->secret_alg ? e->secret_alg : "(none)");
        goto out;
    }
    if (!p8 || !key)
        goto oom;
    memcpy(key, e->plain, e->plain_len);
    if (!PKCS8_pkey_set0(p8, oid, 0, V_ASN1_UNDEF, NULL, key, (int)e->plain_len)) {
        OPENSSL_clear_free(key, e->plain_len);
        goto oom;
    }
    oid = NULL; /* owned by p8 now */
    if (!(sig = encrypt_p8(o, p8)) || (n = i2d_X509_SIG(sig, &der)) <= 0)
        goto oom;
    if (!(bag = PKCS12_SAFEBAG_create_secret(NID_pkcs8ShroudedKeyBag, V_ASN1_OCTET_STRING, der, n)))
        goto oom;
    if (!add_name(bag, e->alias) || !add_time_id(bag, id) || !sk_PKCS12_SAFEBAG_push(o->keys, bag)) {
        PKCS12_SAFEBAG_free(bag);
        goto oom;
    }
    goto out;
oom:
    s = jks_fail(o->err, JKS_ERR_IO, -1, "cannot build secret-key bag");
out:
    ASN1_OBJECT_free(oid);
    PKCS8_PRIV_KEY_INFO_free(p8);
    X509_SIG_free(sig);
    OPENSSL_free(der);
    return s;
}

static jks_status write_trusted(p12_out *o, const jks_entry *e)
{
    jks_status s = cert_bag(o, &e->chain[0], e->alias, NULL, 1);
    if (s != JKS_OK)
        return s == JKS_ERR_FORMAT ? jks_fail(o->err, s, -1, "certificate does not parse")
                                   : jks_fail(o->err, s, -1, "out of memory");
    o->written[o->n_written++] = &e->chain[0];
    return JKS_OK;
}

/* The certificates' algorithm. Legacy wants RC2-40, which OpenSSL 3 has only
 * in its legacy provider; without it 3DES is used (Java reads both). */
static X509_ALGOR *cert_algor(const p12_out *o)
{
    if (!o->legacy)
        return pbes2_aes256(MODERN_ITER);
    if (jks_p12_legacy_provider())
        return PKCS5_pbe_set(NID_pbe_WithSHA1And40BitRC2_CBC, LEGACY_CERT_ITER, NULL, SALT_LEN);
    return PKCS5_pbe_set(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, LEGACY_CERT_ITER, NULL, SALT_LEN);
}

/* ContentInfo { data, [0] OCTET STRING { safe } }: its size, then its bytes */
static size_t data_info_size(size_t safe_len)
{
    return jks_der_size(sizeof(OID_DATA) + jks_der_size(jks_der_size(safe_len)));
}

static void data_info(jks_builder *b, const uint8_t *safe, size_t safe_len)
{
    jks_builder_der_header(b, 0x30, sizeof(OID_DATA) + jks_der_size(jks_der_size(safe_len)));
    jks_builder_bytes(b, OID_DATA, sizeof(OID_DATA));
    jks_builder_der_header(b, 0xA0, jks_der_size(safe_len));
    jks_builder_der(b, 0x04, safe, safe_len);
}

/* The encrypted certificate safe, ContentInfo { encryptedData, [0]
 * EncryptedData { 0, EncryptedContentInfo { data, alg, [0] ciphertext } } },
 * in two steps: prepare (algorithm, cipher keyed, every size known), then
 * write (the ciphertext straight into the output). */
typedef struct {
    EVP_CIPHER_CTX *ctx;
    unsigned char *alg;
    size_t alg_len, ct_len, eci_len, ed_len, size;
} enc_safe;

static int enc_safe_prepare(enc_safe *e, const p12_out *o, size_t plain_len)
{
    X509_ALGOR *alg = cert_algor(o);
    unsigned char *der = NULL;
    int n = alg ? i2d_X509_ALGOR(alg, &der) : -1;
    memset(e, 0, sizeof(*e));
    e->ctx = EVP_CIPHER_CTX_new();
    int ok = n > 0 && e->ctx && strlen(o->pass) <= INT32_MAX &&
             EVP_PBE_CipherInit_ex(alg->algorithm, o->pass, (int)strlen(o->pass), alg->parameter,
                                   e->ctx, 1, o->legacy ? jks_crypto_legacy_ctx() : NULL, NULL);
    X509_ALGOR_free(alg);
    e->alg = der;
    if (!ok)
        return 0;
    int bs = EVP_CIPHER_CTX_get_block_size(e->ctx);
    if (bs < 1 || EVP_CIPHER_CTX_get_mode(e->ctx) != EVP_CIPH_CBC_MODE)
        return 0; /* every PBE written here is a padded CBC cipher */
    e->alg_len = (size_t)n;
    e->ct_len = (plain_len / (size_t)bs + 1) * (size_t)bs;
    e->eci_len = sizeof(OID_DATA) + e->alg_len + jks_der_size(e->ct_len);
    e->ed_len = 3 /* INTEGER 0 */ + jks_der_size(e->eci_len);
    e->size = jks_der_size(sizeof(OID_ENCRYPTED_DATA) + jks_der_size(jks_der_size(e->ed_len)));
    return 1;
}

static int enc_safe_write(enc_safe *e, jks_builder *b, const uint8_t *plain, size_t plain_len)
{
    static const uint8_t version0[] = {0x02, 0x01, 0x00};
    jks_builder_der_header(b, 0x30, sizeof(OID_ENCRYPTED_DATA) + jks_der_size(jks_der_size(e->ed_len)));
    jks_builder_bytes(b, OID_ENCRYPTED_DATA, sizeof(OID_ENCRYPTED_DATA));
    jks_builder_der_header(b, 0xA0, jks_der_size(e->ed_len));
    jks_builder_der_header(b, 0x30, e->ed_len);
    jks_builder_bytes(b, version0, sizeof(version0));
    jks_builder_der_header(b, 0x30, e->eci_len);
    jks_builder_bytes(b, OID_DATA, sizeof(OID_DATA));
    jks_builder_bytes(b, e->alg, e->alg_len);
    jks_builder_der_header(b, 0x80, e->ct_len); /* [0] IMPLICIT OCTET STRING */
    uint8_t *ct = jks_builder_space(b, e->ct_len);
    int l1 = 0, l2 = 0, ok = ct != NULL;
    /* EVP takes int lengths: encrypt in slices */
    for (size_t off = 0; ok && off < plain_len;) {
        int chunk = plain_len - off > (1 << 30) ? 1 << 30 : (int)(plain_len - off);
        int w = 0;
        ok = EVP_EncryptUpdate(e->ctx, ct + l1, &w, plain + off, chunk);
        l1 += w;
        off += (size_t)chunk;
    }
    ok = ok && EVP_EncryptFinal_ex(e->ctx, ct + l1, &l2) && (size_t)l1 + (size_t)l2 == e->ct_len;
    return ok && jks_builder_ok(b);
}

static void enc_safe_free(enc_safe *e)
{
    EVP_CIPHER_CTX_free(e->ctx);
    OPENSSL_free(e->alg);
    e->ctx = NULL;
    e->alg = NULL;
}

/* MacData { DigestInfo { AlgorithmIdentifier { md, NULL }, mac }, salt, iterations } */
typedef struct {
    const EVP_MD *md;
    const uint8_t *oid;
    size_t oid_len, md_len, iter, content, size;
} mac_plan;

static void mac_plan_init(mac_plan *m, int legacy)
{
    jks_builder t;
    m->md = legacy ? EVP_sha1() : EVP_sha256();
    m->oid = legacy ? OID_SHA1 : OID_SHA256;
    m->oid_len = legacy ? sizeof(OID_SHA1) : sizeof(OID_SHA256);
    m->md_len = legacy ? 20 : 32;
    m->iter = legacy ? LEGACY_MAC_ITER : MODERN_ITER;
    jks_builder_init(&t, 16);
    jks_builder_der_uint(&t, m->iter);
    size_t alg = jks_der_size(m->oid_len + 2);
    size_t dinfo = jks_der_size(alg + jks_der_size(m->md_len));
    m->content = dinfo + jks_der_size(SALT_LEN) + t.len;
    m->size = jks_builder_ok(&t) ? jks_der_size(m->content) : 0;
    jks_builder_cleanup(&t);
}

static int mac_write(const mac_plan *m, jks_builder *b, const char *pass, const uint8_t *data,
                     size_t len)
{
    static const uint8_t null[] = {0x05, 0x00};
    uint8_t salt[SALT_LEN], key[EVP_MAX_MD_SIZE], mac[EVP_MAX_MD_SIZE];
    unsigned mac_len = 0;
    size_t alg = jks_der_size(m->oid_len + 2);
    int ok = RAND_bytes(salt, sizeof(salt)) == 1 && strlen(pass) <= INT32_MAX &&
             len <= INT32_MAX &&
             PKCS12_key_gen_utf8_ex(pass, (int)strlen(pass), salt, sizeof(salt), PKCS12_MAC_ID,
                                    (int)m->iter, (int)m->md_len, key, m->md, NULL, NULL) &&
             HMAC(m->md, key, (int)m->md_len, data, len, mac, &mac_len) && mac_len == m->md_len;
    OPENSSL_cleanse(key, sizeof(key));
    if (!ok)
        return 0;
    jks_builder_der_header(b, 0x30, m->content);
    jks_builder_der_header(b, 0x30, alg + jks_der_size(m->md_len));
    jks_builder_der_header(b, 0x30, m->oid_len + 2);
    jks_builder_bytes(b, m->oid, m->oid_len);
    jks_builder_bytes(b, null, sizeof(null));
    jks_builder_der(b, 0x04, mac, m->md_len);
    jks_builder_der(b, 0x04, salt, sizeof(salt));
    jks_builder_der_uint(b, m->iter);
    return jks_builder_ok(b);
}

static jks_status entry_fail(jks_error *err, jks_status s, const jks_entry *e)
{
    jks_error_set_alias(err, e->alias);
    return s;
}

static jks_status validate(const jks_store *st, const jks_write_opts *opts, jks_error *err)
{
    const char *sp = opts->storepass;
    const char *kp = opts->keypass ? opts->keypass : sp;
    jks_write_opts o = *opts;
    o.format = JKS_FORMAT_PKCS12;
    jks_status s = jks_store_check_java_aliases(st, err);
    if (s != JKS_OK)
        return s;
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        int keep = 0;
        if (e->kind == JKS_ENTRY_TRUSTED_CERT) {
            if (e->n_chain != 1)
                return entry_fail(err, jks_fail(err, JKS_ERR_FORMAT, -1,
                                                "trusted certificate entry without a certificate"), e);
            continue;
        }
        if (!sp)
            return entry_fail(err, jks_fail(err, JKS_ERR_USAGE, -1,
                                            "a PKCS#12 without a store password can hold certificates only: give a store password to protect this key"),
                              e);
        if ((s = jks_key_write_mode(e, &o, &keep, err)) != JKS_OK)
            return s;
        /* a key kept as stored keeps its own password; fresh ones get the store's */
        if (!keep && kp && strcmp(kp, sp))
            return entry_fail(err, jks_fail(err, JKS_ERR_USAGE, -1,
                                            "PKCS#12 keys must use the store password (Java opens them with it): the key password differs"),
                              e);
        if (e->kind == JKS_ENTRY_PRIVATE_KEY && e->n_chain == 0)
            return entry_fail(err, jks_fail(err, JKS_ERR_USAGE, -1,
                                            "private key without a certificate cannot be stored in PKCS#12 for Java"),
                              e);
        if (e->kind == JKS_ENTRY_SECRET_KEY && !keep) {
            ASN1_OBJECT *oid = jks_p12_secret_alg_oid(e->secret_alg);
            if (!oid)
                return entry_fail(err, jks_fail(err, JKS_ERR_USAGE, -1,
                                                "secret key algorithm %s has no OID Java knows",
                                                e->secret_alg ? e->secret_alg : "(none)"),
                                  e);
            ASN1_OBJECT_free(oid);
        }
    }
    return JKS_OK;
}

jks_status jks_p12_encode(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                          size_t *out_len, jks_error *err)
{
    p12_out o;
    jks_status s;
    size_t n_certs = 0, cert_bytes = 0;
    int64_t now = (int64_t)time(NULL) * 1000;
    *out = NULL;
    *out_len = 0;
    jks_error_clear(err);
    if ((s = validate(st, opts, err)) != JKS_OK)
        return s;
    memset(&o, 0, sizeof(o));
    o.legacy = opts->p12_algorithms == JKS_P12_LEGACY;
    o.pass = opts->storepass;
    o.keep = opts->keep_encryption;
    o.err = err;
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        n_certs += e->n_chain;
        for (size_t j = 0; j < e->n_chain; j++)
            cert_bytes += e->chain[j].len + 2 * strlen(e->alias) + 128; /* bag, attributes */
    }
    o.keys = sk_PKCS12_SAFEBAG_new_null();
    jks_builder_init(&o.certs, cert_bytes);
    o.written = malloc((n_certs ? n_certs : 1) * sizeof(*o.written));
    if (!o.keys || !jks_builder_ok(&o.certs) || !o.written) {
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        goto out;
    }
    /* localKeyID ties a key to its certificate, so it must be unique: two keys
     * created in the same millisecond get the later one's time bumped by 1 ms
     * (Java parses the id back as the creation date). */
    int64_t *used = calloc(st->n ? st->n : 1, sizeof(*used));
    size_t n_used = 0;
    if (!used) {
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < st->n && s == JKS_OK; i++) {
        const jks_entry *e = st->entries[i];
        char id[40];
        int64_t t = e->has_created ? e->created_ms : now;
        if (e->kind != JKS_ENTRY_TRUSTED_CERT) {
            for (size_t k = 0; k < n_used; k++)
                if (used[k] == t) {
                    t++;
                    k = (size_t)-1; /* rescan: the bumped time may be taken too */
                }
            used[n_used++] = t;
        }
        snprintf(id, sizeof(id), "Time %lld", (long long)t);
        if (e->kind == JKS_ENTRY_PRIVATE_KEY)
            s = write_private(&o, e, id);
        else if (e->kind == JKS_ENTRY_SECRET_KEY)
            s = write_secret(&o, e, id);
        else
            s = write_trusted(&o, e);
        if (s != JKS_OK)
            jks_error_set_alias(err, e->alias);
    }
    free(used);
    if (s != JKS_OK)
        goto out;

    /* key safe first, then the certificates, as keytool orders them */
    jks_builder keysafe, certsafe = {0}, res = {0}; /* the last two sized once known */
    enc_safe es;
    mac_plan mp;
    memset(&es, 0, sizeof(es));
    jks_builder_init(&keysafe, 1024);
    size_t n_keys = (size_t)sk_PKCS12_SAFEBAG_num(o.keys), certs_len = o.certs.len;
    if (n_keys) {
        size_t m = jks_builder_der_open(&keysafe, 0x30);
        for (size_t i = 0; i < n_keys && s == JKS_OK; i++) {
            unsigned char *d = NULL;
            int n = i2d_PKCS12_SAFEBAG(sk_PKCS12_SAFEBAG_value(o.keys, (int)i), &d);
            if (n > 0)
                jks_builder_bytes(&keysafe, d, (size_t)n);
            else
                s = JKS_ERR_IO;
            OPENSSL_clear_free(d, n > 0 ? (size_t)n : 0);
        }
        jks_builder_der_close(&keysafe, m);
    }
    /* the certificate SafeContents: a SEQUENCE around the bags already built */
    jks_builder_init(&certsafe, jks_der_size(certs_len));
    jks_builder_der_header(&certsafe, 0x30, certs_len);
    jks_builder_bytes(&certsafe, o.certs.buf, certs_len);
    jks_builder_cleanup(&o.certs);
    if (s != JKS_OK || !jks_builder_ok(&keysafe) || !jks_builder_ok(&certsafe)) {
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot build the safes");
        goto done;
    }
    int have_certs = o.n_written > 0;
    size_t auth = n_keys ? data_info_size(keysafe.len) : 0;
    if (have_certs && o.pass) {
        if (!enc_safe_prepare(&es, &o, certsafe.len)) {
            s = jks_fail(err, JKS_ERR_IO, -1, "cannot set up the certificate encryption");
            goto done;
        }
        auth += es.size;
    } else if (have_certs) {
        auth += data_info_size(certsafe.len);
    }
    mac_plan_init(&mp, o.legacy);
    if (o.pass && !mp.size) {
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot compute the MAC");
        goto done;
    }
    /* PFX { 3, ContentInfo { data, [0] OCTET STRING { AuthenticatedSafe } }, MacData };
     * no store password: JDK-style password-less store, no MAC (FORMATS.md 4.5) */
    size_t auth_der = jks_der_size(auth);
    size_t ci = sizeof(OID_DATA) + jks_der_size(jks_der_size(auth_der));
    size_t pfx = 3 + jks_der_size(ci) + (o.pass ? mp.size : 0);
    jks_builder_init(&res, jks_der_size(pfx));
    jks_builder_der_header(&res, 0x30, pfx);
    jks_builder_der_uint(&res, PKCS12_VERSION);
    jks_builder_der_header(&res, 0x30, ci);
    jks_builder_bytes(&res, OID_DATA, sizeof(OID_DATA));
    jks_builder_der_header(&res, 0xA0, jks_der_size(auth_der));
    jks_builder_der_header(&res, 0x04, auth_der);
    size_t auth_at = res.len;
    jks_builder_der_header(&res, 0x30, auth);
    if (n_keys)
        data_info(&res, keysafe.buf, keysafe.len);
    if (have_certs && o.pass) {
        if (!enc_safe_write(&es, &res, certsafe.buf, certsafe.len)) {
            s = jks_fail(err, JKS_ERR_IO, -1, "cannot encrypt the certificate safe");
            goto done;
        }
    } else if (have_certs) {
        data_info(&res, certsafe.buf, certsafe.len);
    }
    if (jks_builder_ok(&res) && res.len - auth_at != auth_der) {
        s = jks_fail(err, JKS_ERR_IO, -1, "internal error: PKCS#12 size mismatch");
        goto done;
    }
    if (o.pass && jks_builder_ok(&res) &&
        !mac_write(&mp, &res, o.pass, res.buf + auth_at, auth_der)) {
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot compute the MAC");
        goto done;
    }
    if (!jks_builder_ok(&res) || res.len != jks_der_size(pfx) || !jks_builder_finish(&res, out, out_len)) {
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot encode the PKCS#12 structure");
        goto done;
    }
done:
    enc_safe_free(&es);
    jks_builder_cleanup(&keysafe);
    jks_builder_cleanup(&certsafe);
    jks_builder_cleanup(&res);
out:
    sk_PKCS12_SAFEBAG_pop_free(o.keys, PKCS12_SAFEBAG_free);
    jks_builder_cleanup(&o.certs);
    free(o.written);
    ERR_clear_error();
    return s;
}
