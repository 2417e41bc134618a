/* Sun's PBEWithMD5AndTripleDES (OID 1.3.6.1.4.1.42.2.19.1), FORMATS.md 3.4:
 * two MD5 chains over the salt halves give the 3DES key and IV. Includes the
 * equal-salt-halves quirk in its modern and legacy forms. */
#include "protect.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static int derive(const uint8_t *pw, size_t pw_len, const uint8_t salt[8], uint32_t iterations,
                  int legacy, uint8_t out[32])
{
    uint8_t s[8];
    memcpy(s, salt, 8);
    if (!memcmp(s, s + 4, 4)) {
        if (!legacy) { /* reverse the first half */
            uint8_t t;
            t = s[0], s[0] = s[3], s[3] = t;
            t = s[1], s[1] = s[2], s[2] = t;
        } else { /* the old JCE typo: a b c d -> d a b d */
            uint8_t a = s[0], b = s[1], d = s[3];
            s[0] = d, s[1] = a, s[2] = b, s[3] = d;
        }
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_MD *md5 = EVP_MD_fetch(NULL, "MD5", NULL);
    int ok = ctx && md5;
    for (int h = 0; ok && h < 2; h++) {
        uint8_t d[16];
        unsigned dl, dlen = 4;
        memcpy(d, s + 4 * h, 4);
        for (uint32_t i = 0; ok && i < iterations; i++) {
            ok = EVP_DigestInit_ex2(ctx, md5, NULL) && EVP_DigestUpdate(ctx, d, dlen) &&
                 EVP_DigestUpdate(ctx, pw, pw_len) && EVP_DigestFinal_ex(ctx, d, &dl);
            dlen = 16;
        }
        if (iterations == 0)
            ok = 0;
        memcpy(out + 16 * h, d, 16);
        OPENSSL_cleanse(d, sizeof(d));
    }
    EVP_MD_free(md5);
    EVP_MD_CTX_free(ctx);
    OPENSSL_cleanse(s, sizeof(s));
    return ok;
}

jks_status jks_pbe3des_crypt(int enc, const uint8_t *in, size_t n, const uint8_t *pw,
                             size_t pw_len, const uint8_t salt[8], uint32_t iterations,
                             int legacy, uint8_t **out, size_t *out_len)
{
    uint8_t kiv[32];
    *out = NULL;
    *out_len = 0;
    if (n > INT32_MAX - 16 || (!enc && (n == 0 || n % 8)) || iterations == 0)
        return JKS_ERR_FORMAT; /* Java refuses a zero iteration count too */
    if (!derive(pw, pw_len, salt, iterations, legacy, kiv))
        return JKS_ERR_IO;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    uint8_t *o = malloc(n + 16);
    int l1 = 0, l2 = 0;
    jks_status st = JKS_ERR_IO;
    if (c && o && EVP_CipherInit_ex(c, EVP_des_ede3_cbc(), NULL, kiv, kiv + 24, enc) &&
        EVP_CipherUpdate(c, o, &l1, in, (int)n)) {
        if (EVP_CipherFinal_ex(c, o + l1, &l2)) {
            *out = o;
            *out_len = (size_t)(l1 + l2);
            o = NULL;
            st = JKS_OK;
        } else {
            st = enc ? JKS_ERR_IO : JKS_ERR_PASSWORD;
        }
    }
    if (o) {
        OPENSSL_cleanse(o, n + 16);
        free(o);
    }
    EVP_CIPHER_CTX_free(c);
    OPENSSL_cleanse(kiv, sizeof(kiv));
    return st;
}
