/* Sun's JKS KeyProtector (OID 1.3.6.1.4.1.42.2.17.1.1), FORMATS.md 2.2:
 * a SHA-1 keystream XORed with the key, plus SHA1(password || plaintext). */
#include "digest.h"
#include "protect.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#define SALT_LEN 20
#define DIGEST_LEN 20

/* out = in XOR keystream(pw16, salt); digest = SHA1(pw16 || plaintext) */
static int xor_stream(const uint8_t *in, size_t n, const uint8_t *pw16, size_t pw16_len,
                      const uint8_t salt[SALT_LEN], uint8_t *out)
{
    jks_sha1_ctx ctx;
    uint8_t d[DIGEST_LEN];
    int ok = 1;
    memcpy(d, salt, SALT_LEN);
    for (size_t off = 0; ok && off < n; off += DIGEST_LEN) {
        jks_sha1_init(&ctx);
        jks_sha1_update(&ctx, pw16, pw16_len);
        jks_sha1_update(&ctx, d, DIGEST_LEN);
        ok = jks_sha1_final(&ctx, d);
        size_t k = n - off < DIGEST_LEN ? n - off : DIGEST_LEN;
        for (size_t i = 0; ok && i < k; i++)
            out[off + i] = in[off + i] ^ d[i];
    }
    OPENSSL_cleanse(d, sizeof(d));
    return ok;
}

static int check_digest(const uint8_t *pw16, size_t pw16_len, const uint8_t *plain, size_t n,
                        uint8_t out[DIGEST_LEN])
{
    jks_sha1_ctx ctx;
    jks_sha1_init(&ctx);
    jks_sha1_update(&ctx, pw16, pw16_len);
    jks_sha1_update(&ctx, plain, n);
    return jks_sha1_final(&ctx, out);
}

jks_status jks_keyprotector_decrypt(const uint8_t *blob, size_t n, const uint8_t *pw16,
                                    size_t pw16_len, uint8_t **plain, size_t *plain_len)
{
    uint8_t chk[DIGEST_LEN];
    *plain = NULL;
    *plain_len = 0;
    if (n <= SALT_LEN + DIGEST_LEN)
        return JKS_ERR_FORMAT;
    size_t m = n - SALT_LEN - DIGEST_LEN;
    uint8_t *p = malloc(m);
    if (!p)
        return JKS_ERR_IO;
    if (!xor_stream(blob + SALT_LEN, m, pw16, pw16_len, blob, p) ||
        !check_digest(pw16, pw16_len, p, m, chk)) {
        OPENSSL_cleanse(p, m);
        free(p);
        return JKS_ERR_IO;
    }
    if (CRYPTO_memcmp(chk, blob + SALT_LEN + m, DIGEST_LEN) != 0) {
        OPENSSL_cleanse(p, m);
        free(p);
        return JKS_ERR_PASSWORD;
    }
    *plain = p;
    *plain_len = m;
    return JKS_OK;
}

jks_status jks_keyprotector_encrypt(const uint8_t *plain, size_t n, const uint8_t *pw16,
                                    size_t pw16_len, uint8_t **blob, size_t *blob_len)
{
    uint8_t *b = malloc(n + SALT_LEN + DIGEST_LEN);
    if (!b)
        return JKS_ERR_IO;
    if (RAND_bytes(b, SALT_LEN) != 1 || !xor_stream(plain, n, pw16, pw16_len, b, b + SALT_LEN) ||
        !check_digest(pw16, pw16_len, plain, n, b + SALT_LEN + n)) {
        free(b);
        return JKS_ERR_IO;
    }
    *blob = b;
    *blob_len = n + SALT_LEN + DIGEST_LEN;
    return JKS_OK;
}
