/* Certificates and keys made with OpenSSL for the chain and ops suites:
 * EC P-256 keys, certificates "CN=subject" issued by "CN=issuer" with a
 * SubjectKeyIdentifier, PKCS#8 of a key. DER results are malloc'd. */
#ifndef JKS_TEST_CERTUTIL_H
#define JKS_TEST_CERTUTIL_H

#include "jks/jks.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

static inline EVP_PKEY *ec_key(void)
{
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/* A certificate for subject (CN=subject) with subj_key, issued by issuer
 * (CN=issuer) with iss_key; SKI/AKI from the keys. DER is malloc'd. */
static inline jks_bytes make_cert(const char *subject, EVP_PKEY *subj_key,
                                  const char *issuer, EVP_PKEY *iss_key, long serial)
{
    X509 *x = X509_new();
    X509_NAME *sn = X509_NAME_new(), *in = X509_NAME_new();
    X509_NAME_add_entry_by_txt(sn, "CN", MBSTRING_ASC, (const unsigned char *)subject, -1, -1, 0);
    X509_NAME_add_entry_by_txt(in, "CN", MBSTRING_ASC, (const unsigned char *)issuer, -1, -1, 0);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_set_subject_name(x, sn);
    X509_set_issuer_name(x, in);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, subj_key);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_key_identifier, "hash");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    X509_sign(x, iss_key, EVP_sha256());
    unsigned char *der = NULL;
    int n = i2d_X509(x, &der);
    jks_bytes b = {malloc((size_t)n), (size_t)n};
    memcpy((void *)b.data, der, (size_t)n);
    OPENSSL_free(der);
    X509_NAME_free(sn);
    X509_NAME_free(in);
    X509_free(x);
    return b;
}

static inline jks_bytes pkcs8_of(EVP_PKEY *k)
{
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(k);
    unsigned char *der = NULL;
    int n = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
    jks_bytes b = {malloc((size_t)n), (size_t)n};
    memcpy((void *)b.data, der, (size_t)n);
    OPENSSL_free(der);
    PKCS8_PRIV_KEY_INFO_free(p8);
    return b;
}

static inline void free_all(jks_bytes *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((void *)b[i].data);
}

#endif
