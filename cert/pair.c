/* THE key pairing: a private key's certificate is the one carrying its public
 * key (compared as keys with EVP_PKEY_eq; nothing is signed). */
#include "pair.h"
#include "jks/ops.h"

#include <limits.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

static long find_pubkey(const jks_cert_pool *p, const EVP_PKEY *k, const int *rank)
{
    long best = -1;
    int best_rank = -1;
    for (size_t i = 0; k && i < jks_cert_pool_size(p); i++) {
        int r = rank ? rank[i] : 0;
        X509 *x = jks_cert_pool_x509(p, i);
        if (r < 0 || r <= best_rank || !x)
            continue;
        EVP_PKEY *pub = X509_get0_pubkey(x);
        if (pub && EVP_PKEY_eq(pub, k) == 1) {
            best = (long)i;
            best_rank = r;
        }
    }
    return best;
}

long jks_cert_pool_find_key(const jks_cert_pool *p, const uint8_t *pkcs8, size_t len,
                            const int *rank)
{
    const unsigned char *q = pkcs8;
    if (!p || !pkcs8 || len > (size_t)LONG_MAX)
        return -1;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &q, (long)len);
    EVP_PKEY *k = p8 ? EVP_PKCS82PKEY(p8) : NULL;
    PKCS8_PRIV_KEY_INFO_free(p8);
    long i = find_pubkey(p, k, rank);
    EVP_PKEY_free(k);
    return i;
}

long jks_cert_pool_find_cert_key(const jks_cert_pool *p, const uint8_t *cert, size_t len,
                                 const int *rank)
{
    const unsigned char *q = cert;
    if (!p || !cert || len > (size_t)LONG_MAX)
        return -1;
    X509 *x = d2i_X509(NULL, &q, (long)len);
    long i = x ? find_pubkey(p, X509_get0_pubkey(x), rank) : -1;
    X509_free(x);
    return i;
}

long jks_key_find_cert(const uint8_t *pkcs8, size_t len, const jks_bytes *certs, size_t n)
{
    if (!pkcs8 || !len || !certs || !n)
        return -1;
    jks_cert_pool *p = jks_cert_pool_new(certs, n);
    long i = jks_cert_pool_find_key(p, pkcs8, len, NULL);
    jks_cert_pool_free(p);
    return i;
}
