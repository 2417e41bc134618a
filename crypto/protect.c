/* Decrypting and encrypting PKCS#8 EncryptedPrivateKeyInfo: dispatch on the
 * algorithm OID to the JKS KeyProtector, Sun's 3DES PBE, or OpenSSL. */
#include "protect.h"
#include "cursor.h"
#include "pkcs8.h"
#include "p12crypto.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
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

static jks_status decrypt_openssl(const uint8_t *der, size_t len, const char *pw,
                                  uint32_t max_iter, uint8_t **plain, size_t *plain_len,
                                  jks_error *err)
{
    const unsigned char *p = der;
    X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)len);
    const X509_ALGOR *alg;
    jks_status st;
    if (!sig || p != der + len) {
        X509_SIG_free(sig);
        return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed EncryptedPrivateKeyInfo");
    }
    X509_SIG_get0(sig, &alg, NULL);
    uint64_t it = jks_algor_iterations(alg);
    if (it > max_iter) {
        X509_SIG_free(sig);
        return jks_fail(err, JKS_ERR_FORMAT, -1,
                        "key encryption iteration count %llu exceeds the limit %u",
                        (unsigned long long)it, max_iter);
    }
    PKCS8_PRIV_KEY_INFO *p8 = PKCS8_decrypt(sig, pw, pw ? (int)strlen(pw) : 0);
    if (!p8 && jks_p12_legacy_provider()) { /* RC2/RC4/DES PBEs: the private legacy context */
        ERR_clear_error();
        p8 = PKCS8_decrypt_ex(sig, pw, pw ? (int)strlen(pw) : 0, jks_crypto_legacy_ctx(), NULL);
    }
    X509_SIG_free(sig);
    if (!p8)
        return jks_fail(err, JKS_ERR_PASSWORD, -1, "cannot decrypt key: wrong password or unsupported algorithm");
    unsigned char *out = NULL;
    int n = i2d_PKCS8_PRIV_KEY_INFO(p8, &out);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (n <= 0)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "decrypted key is not PKCS#8");
    /* OpenSSL does not check the version field: hold its result to the same
     * PrivateKeyInfo rules as every other key we accept, so that what we
     * read, we can also read back after writing it (found by fuzzing). */
    if (!jks_pkcs8_valid(out, (size_t)n)) {
        OPENSSL_clear_free(out, (size_t)n);
        return jks_fail(err, JKS_ERR_FORMAT, -1, "decrypted key is not a valid PKCS#8 PrivateKeyInfo");
    }
    st = JKS_OK;
    *plain = malloc((size_t)n);
    if (!*plain)
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

jks_status jks_epki_decrypt(const uint8_t *epki, size_t len, const char *password,
                            uint32_t max_iterations, uint8_t **plain, size_t *plain_len,
                            jks_protection *prot, jks_error *err)
{
    jks_epki e;
    jks_status st;
    *plain = NULL;
    *plain_len = 0;
    if (!max_iterations)
        max_iterations = JKS_DEFAULT_MAX_ITERATIONS;
    if (!jks_epki_parse(epki, len, &e))
        return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed EncryptedPrivateKeyInfo");
    if (!strcmp(e.oid, JKS_OID_KEYPROTECTOR)) {
        uint8_t *pw16;
        size_t pw16_len;
        *prot = JKS_PROT_JKS;
        if (!jks_utf8_to_utf16be(password ? password : "", &pw16, &pw16_len)) {
            jks_epki_clear(&e);
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        }
        st = jks_keyprotector_decrypt(e.data, e.data_len, pw16, pw16_len, plain, plain_len);
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
    } else if (!strcmp(e.oid, JKS_OID_PBE_MD5_3DES)) {
        *prot = JKS_PROT_JCEKS_3DES;
        st = decrypt_jceks(&e, password, max_iterations, plain, plain_len, err);
    } else {
        *prot = JKS_PROT_PKCS8_PBES2;
        st = decrypt_openssl(epki, len, password, max_iterations, plain, plain_len, err);
    }
    jks_epki_clear(&e);
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
