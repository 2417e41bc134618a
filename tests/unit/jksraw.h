/* Hand-assembled JKS files for the tests (test_jks.c, test_visit.c): the
 * store digest that ends every JKS/JCEKS file, appended to a builder. */
#ifndef JKS_TEST_JKSRAW_H
#define JKS_TEST_JKSRAW_H

#include "builder.h"
#include "testutil.h"

#include <openssl/evp.h>

/* SHA1(UTF16BE(pw) || "Mighty Aphrodite" || data), ASCII passwords only. */
static inline void mighty_digest(const char *pw, const uint8_t *d, size_t n, uint8_t out[20])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha1(), NULL);
    for (const char *p = pw; *p; p++) {
        uint8_t u[2] = {0, (uint8_t)*p};
        EVP_DigestUpdate(c, u, 2);
    }
    EVP_DigestUpdate(c, "Mighty Aphrodite", 16);
    EVP_DigestUpdate(c, d, n);
    EVP_DigestFinal_ex(c, out, NULL);
    EVP_MD_CTX_free(c);
}

/* Append the digest of everything in b and hand the file over. */
static inline uint8_t *finish_with_digest(jks_builder *b, const char *pw, size_t *len)
{
    uint8_t dg[20], *out = NULL;
    mighty_digest(pw, b->buf, b->len, dg);
    jks_builder_bytes(b, dg, 20);
    CU_ASSERT_TRUE_FATAL(jks_builder_finish(b, &out, len));
    return out;
}

#endif
