/* SHA-1 and SHA-256 for the paths every listing runs: the keyed store
 * digest, certificate fingerprints and the JKS KeyProtector keystream. Same
 * OpenSSL code, no provider start-up (see digest.c). Internal to libjks. */
#ifndef JKS_DIGEST_H
#define JKS_DIGEST_H

#include <stddef.h>
#include <stdint.h>

#define JKS_SHA1_LEN 20
#define JKS_SHA256_LEN 32

/* A running SHA-1. The state is opaque storage large enough for OpenSSL's
 * SHA_CTX or an EVP_MD_CTX pointer; never copied by value after init. */
typedef struct {
    union {
        uint64_t align;
        unsigned char bytes[128];
    } u;
    int ok;
} jks_sha1_ctx;

void jks_sha1_init(jks_sha1_ctx *c);
void jks_sha1_update(jks_sha1_ctx *c, const void *data, size_t len);
/* Writes the digest, wipes the state; returns 0 if any step failed. */
int jks_sha1_final(jks_sha1_ctx *c, uint8_t out[JKS_SHA1_LEN]);
/* Releases the state without a result (error paths); accepts a final'd ctx. */
void jks_sha1_abort(jks_sha1_ctx *c);

/* One-shot digests; return 0 on failure (out is then zeroed). */
int jks_sha1(const void *data, size_t len, uint8_t out[JKS_SHA1_LEN]);
int jks_sha256(const void *data, size_t len, uint8_t out[JKS_SHA256_LEN]);

#endif
