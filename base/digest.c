/* Digests without OpenSSL's provider machinery where OpenSSL still offers
 * that. The first EVP digest a process fetches initialises the default
 * provider and its name maps: about 4 million instructions, a quarter of
 * listing the JDK's cacerts and half of what jkstool does for it besides
 * loading libcrypto. SHA1_Init and SHA256_Init run the same assembly
 * (SHA-NI, AVX2) with none of that. They are deprecated in OpenSSL 3, and
 * missing from builds configured with no-deprecated: there (and for OpenSSL 4
 * should it drop them) the same functions go through EVP. None of these
 * digests protects anything by itself being FIPS-approved: Java's store
 * digest and KeyProtector are SHA-1 by definition, fingerprints are labels. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include "digest.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslconf.h>
#include <string.h>

#if !defined(OPENSSL_NO_DEPRECATED_3_0) && OPENSSL_VERSION_MAJOR < 4
#include <openssl/sha.h>
#define JKS_LOWLEVEL_DIGESTS 1
#endif

#ifdef JKS_LOWLEVEL_DIGESTS
_Static_assert(sizeof(SHA_CTX) <= sizeof(((jks_sha1_ctx *)0)->u.bytes), "SHA_CTX fits");

void jks_sha1_init(jks_sha1_ctx *c)
{
    c->ok = SHA1_Init((SHA_CTX *)c->u.bytes);
}

void jks_sha1_update(jks_sha1_ctx *c, const void *data, size_t len)
{
    if (c->ok && len)
        c->ok = SHA1_Update((SHA_CTX *)c->u.bytes, data, len);
}

int jks_sha1_final(jks_sha1_ctx *c, uint8_t out[JKS_SHA1_LEN])
{
    int ok = c->ok && SHA1_Final(out, (SHA_CTX *)c->u.bytes);
    if (!ok)
        memset(out, 0, JKS_SHA1_LEN);
    jks_sha1_abort(c);
    return ok;
}

void jks_sha1_abort(jks_sha1_ctx *c)
{
    OPENSSL_cleanse(c->u.bytes, sizeof(c->u.bytes));
    c->ok = 0;
}

int jks_sha1(const void *data, size_t len, uint8_t out[JKS_SHA1_LEN])
{
    jks_sha1_ctx c;
    jks_sha1_init(&c);
    jks_sha1_update(&c, data, len);
    return jks_sha1_final(&c, out);
}

int jks_sha256(const void *data, size_t len, uint8_t out[JKS_SHA256_LEN])
{
    SHA256_CTX c;
    int ok = SHA256_Init(&c) && SHA256_Update(&c, data, len) && SHA256_Final(out, &c);
    OPENSSL_cleanse(&c, sizeof(c));
    if (!ok)
        memset(out, 0, JKS_SHA256_LEN);
    return ok;
}

#else /* EVP */

static EVP_MD_CTX **evp_slot(jks_sha1_ctx *c)
{
    return (EVP_MD_CTX **)(void *)c->u.bytes;
}

void jks_sha1_init(jks_sha1_ctx *c)
{
    EVP_MD_CTX *x = EVP_MD_CTX_new();
    *evp_slot(c) = x;
    c->ok = x && EVP_DigestInit_ex(x, EVP_sha1(), NULL);
}

void jks_sha1_update(jks_sha1_ctx *c, const void *data, size_t len)
{
    if (c->ok && len)
        c->ok = EVP_DigestUpdate(*evp_slot(c), data, len);
}

int jks_sha1_final(jks_sha1_ctx *c, uint8_t out[JKS_SHA1_LEN])
{
    unsigned n = 0;
    int ok = c->ok && EVP_DigestFinal_ex(*evp_slot(c), out, &n) && n == JKS_SHA1_LEN;
    if (!ok)
        memset(out, 0, JKS_SHA1_LEN);
    jks_sha1_abort(c);
    return ok;
}

void jks_sha1_abort(jks_sha1_ctx *c)
{
    EVP_MD_CTX_free(*evp_slot(c));
    *evp_slot(c) = NULL;
    c->ok = 0;
}

static int evp_oneshot(const EVP_MD *md, const void *data, size_t len, uint8_t *out, unsigned want)
{
    unsigned n = 0;
    int ok = md && EVP_Digest(data, len, out, &n, md, NULL) && n == want;
    if (!ok)
        memset(out, 0, want);
    return ok;
}

int jks_sha1(const void *data, size_t len, uint8_t out[JKS_SHA1_LEN])
{
    return evp_oneshot(EVP_sha1(), data, len, out, JKS_SHA1_LEN);
}

int jks_sha256(const void *data, size_t len, uint8_t out[JKS_SHA256_LEN])
{
    return evp_oneshot(EVP_sha256(), data, len, out, JKS_SHA256_LEN);
}
#endif
