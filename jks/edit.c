/* Changing a decoded store in place, for jkstool passwd/import/export:
 * replacing a key entry's certificate chain (installing a CA reply), making
 * the next write encrypt a key afresh, the PKCS#12 algorithm family a file was
 * written with, and PBES2 protection of a PrivateKeyInfo (RFC 8018). */
#include "store.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

/* The same parameters the PEM writer uses (pkcs12/pem.c). */
#define EDIT_PBKDF2_ITERATIONS 100000

jks_status jks_store_set_chain(jks_store *st, size_t i, const jks_bytes *certs, size_t n,
                               jks_error *err)
{
    if (i >= st->n || st->entries[i]->kind != JKS_ENTRY_PRIVATE_KEY || n == 0)
        return jks_fail(err, JKS_ERR_USAGE, -1, "a chain can be set on a private key entry only");
    jks_entry *e = st->entries[i];
    jks_bytes *views = malloc(n * sizeof(*views));
    if (!views)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    for (size_t k = 0; k < n; k++) {
        views[k].data = jks_store_keep(st, certs[k].data, certs[k].len, 0);
        views[k].len = certs[k].len;
        if (!views[k].data) {
            free(views);
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        }
    }
    /* the old chain's views stay valid (store memory) until jks_store_free */
    if (e->chain != &e->cert1)
        free(e->chain);
    if (n == 1) {
        e->cert1 = views[0];
        e->chain = &e->cert1;
        free(views);
    } else {
        e->chain = views;
    }
    e->n_chain = n;
    return JKS_OK;
}

int jks_store_forget_protection(jks_store *st, size_t i)
{
    if (i >= st->n)
        return 0;
    jks_entry *e = st->entries[i];
    if (e->kind == JKS_ENTRY_TRUSTED_CERT || e->state != JKS_KEY_DECRYPTED || !e->plain)
        return 0;
    e->prot.data = NULL;
    e->prot.len = 0;
    e->protection = JKS_PROT_NONE;
    e->pw_index = -1;
    return 1;
}

jks_p12_algorithms jks_store_p12_algorithms(const jks_store *st)
{
    /* JDK 8 and openssl's legacy defaults: PBE-SHA1-3DES keys, RC2 certs, SHA-1 MAC */
    if (st->format == JKS_FORMAT_PKCS12 &&
        (!strncmp(st->p12.key_alg, "pbe-", 4) || !strncmp(st->p12.cert_alg, "pbe-", 4) ||
         !strcmp(st->p12.mac_alg, "sha1")))
        return JKS_P12_LEGACY;
    return JKS_P12_MODERN;
}

jks_status jks_pkcs8_encrypt(const uint8_t *pkcs8, size_t len, const char *password,
                             uint8_t **out, size_t *out_len, jks_error *err)
{
    const unsigned char *p = pkcs8;
    unsigned char *der = NULL;
    X509_SIG *sig = NULL;
    *out = NULL;
    *out_len = 0;
    if (len > (size_t)INT32_MAX)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "private key too large");
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    if (!p8)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "private key is not a PKCS#8 PrivateKeyInfo");
    X509_ALGOR *alg = PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), EDIT_PBKDF2_ITERATIONS, NULL, 0, NULL,
                                        NID_hmacWithSHA256);
    if (alg && !(sig = PKCS8_set0_pbe(password, (int)strlen(password), p8, alg)))
        X509_ALGOR_free(alg);
    int n = sig ? i2d_X509_SIG(sig, &der) : -1;
    X509_SIG_free(sig);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (n <= 0 || !(*out = malloc((size_t)n))) {
        OPENSSL_free(der);
        return jks_fail(err, JKS_ERR_IO, -1, "cannot encrypt the private key");
    }
    memcpy(*out, der, (size_t)n);
    *out_len = (size_t)n;
    OPENSSL_free(der);
    return JKS_OK;
}
