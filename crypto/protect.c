/* Decrypting and encrypting PKCS#8 EncryptedPrivateKeyInfo: dispatch on the
 * algorithm OID to the JKS KeyProtector, Sun's 3DES PBE, or OpenSSL. */
#include "protect.h"
#include "work.h"
#include "cursor.h"
#include "pkcs8.h"
#include "p12crypto.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

uint64_t jks_algor_iterations(const X509_ALGOR *alg)
{
    const ASN1_OBJECT *oid;
    int ptype;
    const void *pval;
    uint64_t it = 0;
    X509_ALGOR_get0(&oid, &ptype, &pval, alg);
    if (ptype != V_ASN1_SEQUENCE || !pval)
        return 0;
    const ASN1_STRING *seq = pval;
    if (OBJ_obj2nid(oid) == NID_pbes2) {
        PBE2PARAM *p2 = ASN1_item_unpack(seq, ASN1_ITEM_rptr(PBE2PARAM));
        if (!p2)
            return 0;
        if (OBJ_obj2nid(p2->keyfunc->algorithm) == NID_id_pbkdf2 &&
            p2->keyfunc->parameter && p2->keyfunc->parameter->type == V_ASN1_SEQUENCE) {
            PBKDF2PARAM *kdf = ASN1_item_unpack(p2->keyfunc->parameter->value.sequence,
                                                ASN1_ITEM_rptr(PBKDF2PARAM));
            if (kdf && !ASN1_INTEGER_get_uint64(&it, kdf->iter))
                it = 0;
            PBKDF2PARAM_free(kdf);
        }
        PBE2PARAM_free(p2);
        return it;
    }
    PBEPARAM *p = ASN1_item_unpack(seq, ASN1_ITEM_rptr(PBEPARAM));
    if (p && !ASN1_INTEGER_get_uint64(&it, p->iter))
        it = 0;
    PBEPARAM_free(p);
    return it;
}

/* An EncryptedPrivateKeyInfo parsed once (libtasn1, crypto/pkcs8.asn), ready
 * for any number of passwords. For OpenSSL's PBEs the AlgorithmIdentifier is
 * handed to OpenSSL as a key-derivation parameter object, built once from
 * the parsed OID and parameters (no second parse of the structure). */
struct jks_epki_key {
    jks_epki e;
    jks_protection prot;
    uint32_t max_iter;
    X509_ALGOR *alg; /* OpenSSL PBEs only */
};

static X509_ALGOR *algor_from(const jks_epki *e)
{
    X509_ALGOR *a = X509_ALGOR_new();
    ASN1_OBJECT *o = OBJ_txt2obj(e->oid, 1);
    ASN1_TYPE *t = NULL;
    if (e->params) {
        const unsigned char *p = e->params;
        t = e->params_len <= LONG_MAX ? d2i_ASN1_TYPE(NULL, &p, (long)e->params_len) : NULL;
        if (t && p != e->params + e->params_len) {
            ASN1_TYPE_free(t);
            t = NULL;
        }
    }
    if (!a || !o || (e->params && !t)) {
        X509_ALGOR_free(a);
        ASN1_OBJECT_free(o);
        ASN1_TYPE_free(t);
        return NULL;
    }
    /* the parsed pieces become the AlgorithmIdentifier OpenSSL is handed */
    ASN1_OBJECT_free(a->algorithm);
    a->algorithm = o;
    ASN1_TYPE_free(a->parameter);
    a->parameter = t; /* NULL when the parameters are absent */
    return a;
}

/* One password against an OpenSSL PBE: the plaintext is the PrivateKeyInfo
 * itself; it is checked (and, when it is not DER as it stands, normalised
 * through OpenSSL once, as PKCS8_decrypt would). */
static jks_status decrypt_openssl(const jks_epki_key *k, const char *pw, uint8_t **plain,
                                  size_t *plain_len, jks_error *err)
{
    unsigned char *out = NULL;
    int n = 0, pl = pw ? (int)strlen(pw) : 0;
    if (!PKCS12_pbe_crypt_ex(k->alg, pw, pl, k->e.data, (int)k->e.data_len, &out, &n, 0, NULL,
                             NULL) &&
        jks_p12_legacy_provider()) { /* RC2/RC4/DES PBEs: the private legacy context */
        ERR_clear_error();
        out = NULL;
        PKCS12_pbe_crypt_ex(k->alg, pw, pl, k->e.data, (int)k->e.data_len, &out, &n, 0,
                            jks_crypto_legacy_ctx(), NULL);
    }
    ERR_clear_error();
    if (!out)
        return jks_fail(err, JKS_ERR_PASSWORD, -1, "cannot decrypt key: wrong password or unsupported algorithm");
    if (!jks_pkcs8_valid(out, (size_t)n)) {
        /* not strict DER as it stands: what OpenSSL makes of it, if anything */
        const unsigned char *p = out;
        PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, n);
        unsigned char *re = NULL;
        int rn = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &re) : -1;
        PKCS8_PRIV_KEY_INFO_free(p8);
        OPENSSL_clear_free(out, (size_t)n);
        if (rn <= 0) /* padding that passed by chance: a wrong password */
            return jks_fail(err, JKS_ERR_PASSWORD, -1, "cannot decrypt key: wrong password or unsupported algorithm");
        out = re;
        n = rn;
        /* OpenSSL does not check the version field: hold its result to the
         * same PrivateKeyInfo rules as every other key we accept, so that
         * what we read we can read back after writing it (found by fuzzing). */
        if (!jks_pkcs8_valid(out, (size_t)n)) {
            OPENSSL_clear_free(out, (size_t)n);
            return jks_fail(err, JKS_ERR_FORMAT, -1, "decrypted key is not a valid PKCS#8 PrivateKeyInfo");
        }
    }
    jks_status st = JKS_OK;
    if (!(*plain = malloc((size_t)n)))
        st = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    else
        memcpy(*plain, out, (size_t)n);
    *plain_len = (size_t)n;
    OPENSSL_clear_free(out, (size_t)n);
    return st;
}

static jks_status decrypt_jceks(const jks_epki *e, const char *pw, uint32_t max_iter,
                                uint8_t **plain, size_t *plain_len, jks_error *err)
{
    uint8_t salt[8];
    size_t sl;
    uint32_t it;
    if (!e->params || !jks_pbe_param_parse(e->params, e->params_len, salt, sizeof(salt), &sl, &it) ||
        sl != 8)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed PBEWithMD5AndTripleDES parameters");
    if (it > max_iter)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "PBE iteration count %u exceeds the limit %u",
                        it, max_iter);
    size_t pl = pw ? strlen(pw) : 0;
    int tries = memcmp(salt, salt + 4, 4) ? 1 : 2;
    for (int legacy = 0; legacy < tries; legacy++) {
        jks_status s = jks_pbe3des_crypt(0, e->data, e->data_len, (const uint8_t *)pw, pl, salt,
                                         it, legacy, plain, plain_len);
        if (s == JKS_OK && jks_pkcs8_valid(*plain, *plain_len))
            return JKS_OK;
        if (s == JKS_OK) {
            OPENSSL_cleanse(*plain, *plain_len);
            free(*plain);
            *plain = NULL;
        } else if (s != JKS_ERR_PASSWORD) {
            return jks_fail(err, s, -1, "cannot decrypt key (3DES)");
        }
    }
    return jks_fail(err, JKS_ERR_PASSWORD, -1, "cannot recover key: wrong password");
}

jks_status jks_epki_open(const uint8_t *epki, size_t len, uint32_t max_iterations,
                         jks_epki_key **out, jks_error *err)
{
    *out = NULL;
    jks_epki_key *k = calloc(1, sizeof(*k));
    if (!k)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    k->max_iter = max_iterations ? max_iterations : JKS_DEFAULT_MAX_ITERATIONS;
    if (!jks_epki_parse(epki, len, &k->e)) {
        free(k);
        return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed EncryptedPrivateKeyInfo");
    }
    if (!strcmp(k->e.oid, JKS_OID_KEYPROTECTOR)) {
        k->prot = JKS_PROT_JKS;
    } else if (!strcmp(k->e.oid, JKS_OID_PBE_MD5_3DES)) {
        k->prot = JKS_PROT_JCEKS_3DES;
    } else {
        k->prot = JKS_PROT_PKCS8_PBES2;
        if (k->e.data_len > INT32_MAX || !(k->alg = algor_from(&k->e))) {
            jks_epki_close(k);
            return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed EncryptedPrivateKeyInfo");
        }
        uint64_t it = jks_algor_iterations(k->alg);
        if (it > k->max_iter) {
            uint32_t cap = k->max_iter;
            jks_epki_close(k);
            return jks_fail(err, JKS_ERR_FORMAT, -1,
                            "key encryption iteration count %llu exceeds the limit %u",
                            (unsigned long long)it, cap);
        }
    }
    *out = k;
    return JKS_OK;
}

jks_protection jks_epki_protection(const jks_epki_key *k)
{
    return k->prot;
}

jks_status jks_epki_try(const jks_epki_key *k, const char *password, uint8_t **plain,
                        size_t *plain_len, jks_error *err)
{
    jks_status st;
    *plain = NULL;
    *plain_len = 0;
    if (k->prot == JKS_PROT_JKS) {
        uint8_t *pw16;
        size_t pw16_len;
        if (!jks_utf8_to_utf16be(password ? password : "", &pw16, &pw16_len))
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        st = jks_keyprotector_decrypt(k->e.data, k->e.data_len, pw16, pw16_len, plain, plain_len);
        OPENSSL_cleanse(pw16, pw16_len);
        free(pw16);
        if (st == JKS_ERR_PASSWORD)
            jks_fail(err, st, -1, "cannot recover key: wrong password");
        else if (st == JKS_ERR_FORMAT)
            jks_fail(err, st, -1, "key protector blob too short");
        else if (st == JKS_OK && !jks_pkcs8_valid(*plain, *plain_len)) {
            OPENSSL_cleanse(*plain, *plain_len);
            free(*plain);
            *plain = NULL;
            st = jks_fail(err, JKS_ERR_FORMAT, -1, "decrypted key is not a PKCS#8 PrivateKeyInfo");
        } else if (st != JKS_OK)
            jks_fail(err, st, -1, "key decryption failed");
        return st;
    }
    if (k->prot == JKS_PROT_JCEKS_3DES)
        return decrypt_jceks(&k->e, password, k->max_iter, plain, plain_len, err);
    return decrypt_openssl(k, password, plain, plain_len, err);
}

uint64_t jks_jceks_work(uint32_t iterations, const uint8_t salt[8])
{
    return 2 * (uint64_t)iterations * (memcmp(salt, salt + 4, 4) ? 1 : 2);
}

uint64_t jks_epki_work(const jks_epki_key *k)
{
    if (k->prot == JKS_PROT_JKS)
        return k->e.data_len / 20 + 1;
    if (k->prot == JKS_PROT_JCEKS_3DES) {
        uint8_t salt[8];
        size_t sl;
        uint32_t it;
        if (!k->e.params ||
            !jks_pbe_param_parse(k->e.params, k->e.params_len, salt, sizeof(salt), &sl, &it) ||
            sl != 8)
            return 0; /* refused as malformed before any work */
        if (it > k->max_iter)
            return 0; /* refused over the iteration cap before any work */
        return jks_jceks_work(it, salt);
    }
    return jks_algor_work(k->alg);
}

void jks_epki_close(jks_epki_key *k)
{
    if (!k)
        return;
    X509_ALGOR_free(k->alg);
    jks_epki_clear(&k->e);
    free(k);
}

jks_status jks_epki_decrypt(const uint8_t *epki, size_t len, const char *password,
                            uint32_t max_iterations, uint8_t **plain, size_t *plain_len,
                            jks_protection *prot, jks_error *err)
{
    jks_epki_key *k;
    *plain = NULL;
    *plain_len = 0;
    jks_status st = jks_epki_open(epki, len, max_iterations, &k, err);
    if (st != JKS_OK)
        return st;
    *prot = k->prot;
    st = jks_epki_try(k, password, plain, plain_len, err);
    jks_epki_close(k);
    return st;
}

jks_status jks_epki_encrypt(jks_protection prot, const uint8_t *plain, size_t n,
                            const char *password, uint8_t **epki, size_t *epki_len,
                            jks_error *err)
{
    uint8_t *blob = NULL, *params = NULL;
    size_t blob_len = 0, params_len = 0;
    jks_status st;
    static const uint8_t null_der[2] = {0x05, 0x00};
    const char *oid;
    if (!password)
        password = "";
    if (prot == JKS_PROT_JKS) {
        uint8_t *pw16;
        size_t pw16_len;
        if (!jks_utf8_to_utf16be(password, &pw16, &pw16_len))
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        st = jks_keyprotector_encrypt(plain, n, pw16, pw16_len, &blob, &blob_len);
        OPENSSL_cleanse(pw16, pw16_len);
        free(pw16);
        oid = JKS_OID_KEYPROTECTOR;
    } else if (prot == JKS_PROT_JCEKS_3DES) {
        uint8_t salt[8];
        do {
            if (RAND_bytes(salt, sizeof(salt)) != 1)
                return jks_fail(err, JKS_ERR_IO, -1, "random generator failed");
        } while (!memcmp(salt, salt + 4, 4)); /* never weak, equal halves */
        st = jks_pbe3des_crypt(1, plain, n, (const uint8_t *)password, strlen(password), salt,
                               JKS_JCEKS_ITERATIONS, 0, &blob, &blob_len);
        if (st == JKS_OK && !jks_pbe_param_build(salt, 8, JKS_JCEKS_ITERATIONS, &params, &params_len))
            st = JKS_ERR_IO;
        oid = JKS_OID_PBE_MD5_3DES;
    } else {
        return jks_fail(err, JKS_ERR_USAGE, -1, "unsupported key protection for this format");
    }
    if (st == JKS_OK && !jks_epki_build(oid, params ? params : null_der, params ? params_len : 2,
                                        blob, blob_len, epki, epki_len))
        st = JKS_ERR_IO;
    if (blob) {
        OPENSSL_cleanse(blob, blob_len);
        free(blob);
    }
    free(params);
    if (st != JKS_OK)
        return jks_fail(err, st, -1, "key encryption failed");
    return JKS_OK;
}
