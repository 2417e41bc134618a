/* PKCS#12 writer: the layout and attributes keytool writes (FORMATS.md 4.1-4.3)
 * built with OpenSSL's PKCS12 API. JKS_P12_MODERN = JDK 17+ defaults
 * (PBES2 AES-256-CBC / PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC); JKS_P12_LEGACY =
 * JDK 8 (PBE-SHA1-3DES keys, RC2-40 certificates, HMAC-SHA1 MAC). */
#include "cursor.h"
#include "p12.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
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
    jks_error *err;
    STACK_OF(PKCS12_SAFEBAG) *keys, *certs;
    const jks_bytes **written; /* certificate DER already in a bag (dedupe) */
    size_t n_written;
} p12_out;

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

/* Java names the other certificates of a chain by their subject (RFC 2253). */
static int add_subject_name(PKCS12_SAFEBAG *bag, jks_bytes der)
{
    const unsigned char *p = der.data;
    X509 *x = d2i_X509(NULL, &p, (long)der.len);
    BIO *b = BIO_new(BIO_s_mem());
    char *txt = NULL;
    int ok = 0;
    if (x && b && X509_NAME_print_ex(b, X509_get_subject_name(x), 0, XN_FLAG_RFC2253) >= 0) {
        long n = BIO_get_mem_data(b, &txt);
        char *name = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (name) {
            memcpy(name, txt, (size_t)n);
            name[n] = 0;
            ok = add_name(bag, name);
            free(name);
        }
    }
    BIO_free(b);
    X509_free(x);
    return ok;
}

static int add_time_id(PKCS12_SAFEBAG *bag, const char *id)
{
    return PKCS12_add_localkeyid(bag, (unsigned char *)id, (int)strlen(id));
}

/* Oracle trustedKeyUsage = SET OF { anyExtendedKeyUsage } (FORMATS.md 4.3) */
static int add_trust(PKCS12_SAFEBAG *bag)
{
    ASN1_OBJECT *eku = OBJ_txt2obj(JKS_OID_ANY_EKU, 1);
    int ok = eku && PKCS12_add1_attr_by_txt(bag, JKS_OID_ORACLE_TRUST, V_ASN1_OBJECT,
                                            (const unsigned char *)eku, -1);
    ASN1_OBJECT_free(eku);
    return ok;
}

/* A certBag holding exactly these DER bytes (no re-encoding). */
static PKCS12_SAFEBAG *cert_bag(jks_bytes der)
{
    ASN1_TYPE *t = ASN1_TYPE_new();
    ASN1_STRING *s = ASN1_STRING_new();
    PKCS12_SAFEBAG *bag = NULL;
    const unsigned char *p = der.data;
    /* Refuse what is not shaped like a certificate: SEQUENCE { SEQUENCE,
     * SEQUENCE, BIT STRING }. A full d2i_X509 would also decode the public key
     * through OpenSSL 3's provider decoders, which dominated the time of
     * writing truststores of thousands of certificates. */
    STACK_OF(ASN1_TYPE) *x = der.len <= LONG_MAX ? d2i_ASN1_SEQUENCE_ANY(NULL, &p, (long)der.len) : NULL;
    int shaped = x && sk_ASN1_TYPE_num(x) == 3 &&
                 sk_ASN1_TYPE_value(x, 0)->type == V_ASN1_SEQUENCE &&
                 sk_ASN1_TYPE_value(x, 1)->type == V_ASN1_SEQUENCE &&
                 sk_ASN1_TYPE_value(x, 2)->type == V_ASN1_BIT_STRING;
    if (t && s && shaped && p == der.data + der.len && der.len <= INT32_MAX &&
        ASN1_STRING_set(s, der.data, (int)der.len)) {
        ASN1_TYPE_set(t, V_ASN1_SEQUENCE, s);
        s = NULL;
        bag = PKCS12_item_pack_safebag(t, ASN1_ITEM_rptr(ASN1_ANY), NID_x509Certificate, NID_certBag);
    }
    sk_ASN1_TYPE_pop_free(x, ASN1_TYPE_free);
    ASN1_STRING_free(s);
    ASN1_TYPE_free(t);
    return bag;
}

static int seen_cert(p12_out *o, const jks_bytes *der)
{
    for (size_t i = 0; i < o->n_written; i++)
        if (o->written[i]->len == der->len && !memcmp(o->written[i]->data, der->data, der->len))
            return 1;
    return 0;
}

static jks_status push_cert(p12_out *o, PKCS12_SAFEBAG *bag, const jks_bytes *der)
{
    if (!bag || !sk_PKCS12_SAFEBAG_push(o->certs, bag)) {
        PKCS12_SAFEBAG_free(bag);
        return jks_fail(o->err, JKS_ERR_IO, -1, "cannot build certificate bag");
    }
    o->written[o->n_written++] = der;
    return JKS_OK;
}

static jks_status write_private(p12_out *o, const jks_entry *e, const char *id)
{
    const unsigned char *p = e->plain;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)e->plain_len);
    if (!p8)
        return jks_fail(o->err, JKS_ERR_FORMAT, -1, "key is not a PKCS#8 PrivateKeyInfo");
    X509_SIG *sig = encrypt_p8(o, p8);
    PKCS8_PRIV_KEY_INFO_free(p8);
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
        PKCS12_SAFEBAG *cb = cert_bag(e->chain[i]);
        if (cb && i > 0 && !add_subject_name(cb, e->chain[i])) {
            PKCS12_SAFEBAG_free(cb);
            cb = NULL;
        }
        if (cb && i == 0 && (!add_name(cb, e->alias) || !add_time_id(cb, id))) {
            PKCS12_SAFEBAG_free(cb);
            cb = NULL;
        }
        if (!cb)
            return jks_fail(o->err, JKS_ERR_FORMAT, -1, "certificate %zu of the chain does not parse", i + 1);
        jks_status s = push_cert(o, cb, &e->chain[i]);
        if (s != JKS_OK)
            return s;
    }
    return JKS_OK;
}

/* Java's secret key: SEQUENCE { 0, AlgorithmIdentifier(alg), OCTET STRING key }
 * encrypted like a private key, in secretBag { pkcs8ShroudedKeyBag, [0] OCTET STRING }. */
static jks_status write_secret(p12_out *o, const jks_entry *e, const char *id)
{
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
    PKCS12_SAFEBAG *bag = cert_bag(e->chain[0]);
    if (!bag)
        return jks_fail(o->err, JKS_ERR_FORMAT, -1, "certificate does not parse");
    if (!add_name(bag, e->alias) || !add_trust(bag)) {
        PKCS12_SAFEBAG_free(bag);
        return jks_fail(o->err, JKS_ERR_IO, -1, "cannot build certificate bag");
    }
    return push_cert(o, bag, &e->chain[0]);
}

/* The encrypted certificate safe. Legacy wants RC2-40, which OpenSSL 3 has
 * only in its legacy provider; without it 3DES is used (Java reads both). */
static PKCS7 *encrypted_safe(const p12_out *o)
{
    X509_ALGOR *alg;
    if (!o->legacy)
        alg = pbes2_aes256(MODERN_ITER);
    else if (jks_p12_legacy_provider())
        alg = PKCS5_pbe_set(NID_pbe_WithSHA1And40BitRC2_CBC, LEGACY_CERT_ITER, NULL, SALT_LEN);
    else
        alg = PKCS5_pbe_set(NID_pbe_WithSHA1And3_Key_TripleDES_CBC, LEGACY_CERT_ITER, NULL, SALT_LEN);
    PKCS7 *p7 = PKCS7_new();
    ASN1_OCTET_STRING *enc = NULL;
    if (!alg || !p7 || !PKCS7_set_type(p7, NID_pkcs7_encrypted) ||
        !(enc = PKCS12_item_i2d_encrypt(alg, ASN1_ITEM_rptr(PKCS12_SAFEBAGS), o->pass,
                                        (int)strlen(o->pass), o->certs, 1))) {
        X509_ALGOR_free(alg);
        PKCS7_free(p7);
        return NULL;
    }
    X509_ALGOR_free(p7->d.encrypted->enc_data->algorithm);
    p7->d.encrypted->enc_data->algorithm = alg;
    ASN1_OCTET_STRING_free(p7->d.encrypted->enc_data->enc_data);
    p7->d.encrypted->enc_data->enc_data = enc;
    return p7;
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
    jks_status s = jks_store_check_java_aliases(st, err);
    if (s != JKS_OK)
        return s;
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
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
        if (kp && strcmp(kp, sp))
            return entry_fail(err, jks_fail(err, JKS_ERR_USAGE, -1,
                                            "PKCS#12 keys must use the store password (Java opens them with it): the key password differs"),
                              e);
        if (e->state != JKS_KEY_DECRYPTED || !e->plain)
            return entry_fail(err, jks_fail(err, JKS_ERR_PASSWORD, -1,
                                            "key is not decrypted: give its password with --keypass"),
                              e);
        if (e->kind == JKS_ENTRY_PRIVATE_KEY && e->n_chain == 0)
            return entry_fail(err, jks_fail(err, JKS_ERR_USAGE, -1,
                                            "private key without a certificate cannot be stored in PKCS#12 for Java"),
                              e);
        if (e->kind == JKS_ENTRY_SECRET_KEY) {
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
    STACK_OF(PKCS7) *safes = NULL;
    PKCS12 *p12 = NULL;
    size_t n_certs = 0;
    int64_t now = (int64_t)time(NULL) * 1000;
    *out = NULL;
    *out_len = 0;
    jks_error_clear(err);
    if ((s = validate(st, opts, err)) != JKS_OK)
        return s;
    memset(&o, 0, sizeof(o));
    o.legacy = opts->p12_algorithms == JKS_P12_LEGACY;
    o.pass = opts->storepass;
    o.err = err;
    for (size_t i = 0; i < st->n; i++)
        n_certs += st->entries[i]->n_chain;
    o.keys = sk_PKCS12_SAFEBAG_new_null();
    o.certs = sk_PKCS12_SAFEBAG_new_null();
    o.written = malloc((n_certs ? n_certs : 1) * sizeof(*o.written));
    safes = sk_PKCS7_new_null();
    if (!o.keys || !o.certs || !o.written || !safes) {
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
    PKCS7 *p7;
    if (sk_PKCS12_SAFEBAG_num(o.keys) > 0) {
        if (!(p7 = PKCS12_pack_p7data(o.keys)) || !sk_PKCS7_push(safes, p7)) {
            PKCS7_free(p7);
            s = jks_fail(err, JKS_ERR_IO, -1, "cannot build the key safe");
            goto out;
        }
    }
    if (sk_PKCS12_SAFEBAG_num(o.certs) > 0) {
        p7 = o.pass ? encrypted_safe(&o) : PKCS12_pack_p7data(o.certs);
        if (!p7 || !sk_PKCS7_push(safes, p7)) {
            PKCS7_free(p7);
            s = jks_fail(err, JKS_ERR_IO, -1, "cannot build the certificate safe");
            goto out;
        }
    }
    if (!(p12 = PKCS12_init(NID_pkcs7_data)) || !PKCS12_pack_authsafes(p12, safes)) {
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot build the PKCS#12 structure");
        goto out;
    }
    /* no store password: JDK-style password-less store, no MAC (FORMATS.md 4.5) */
    if (o.pass && !PKCS12_set_mac(p12, o.pass, (int)strlen(o.pass), NULL, SALT_LEN,
                                  o.legacy ? LEGACY_MAC_ITER : MODERN_ITER,
                                  o.legacy ? EVP_sha1() : EVP_sha256())) {
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot compute the MAC");
        goto out;
    }
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    if (n <= 0 || !(*out = malloc((size_t)n))) {
        OPENSSL_free(der);
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot encode the PKCS#12 structure");
        goto out;
    }
    memcpy(*out, der, (size_t)n);
    *out_len = (size_t)n;
    OPENSSL_clear_free(der, (size_t)n);
out:
    sk_PKCS12_SAFEBAG_pop_free(o.keys, PKCS12_SAFEBAG_free);
    sk_PKCS12_SAFEBAG_pop_free(o.certs, PKCS12_SAFEBAG_free);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    PKCS12_free(p12);
    free(o.written);
    ERR_clear_error();
    return s;
}
