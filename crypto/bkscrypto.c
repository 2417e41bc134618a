/* BouncyCastle BKS crypto (crypto/bkscrypto.h). */
#include "bkscrypto.h"
#include "builder.h"
#include "cursor.h"
#include "work.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define SEAL_SALT 20
#define SEAL_MIN_ITERATIONS 1024
#define DES3_KEY 24
#define DES3_IV 8

void jks_bks_key_clear(jks_bks_key *k)
{
    if (!k)
        return;
    free(k->format);
    free(k->algorithm);
    if (k->enc) {
        OPENSSL_cleanse(k->enc, k->enc_len);
        free(k->enc);
    }
    memset(k, 0, sizeof(*k));
}

int jks_bks_key_parse(const uint8_t *in, size_t n, jks_bks_key *k)
{
    jks_cursor c, enc;
    uint8_t type;
    size_t l;
    memset(k, 0, sizeof(*k));
    jks_cursor_init(&c, in, n);
    if (!jks_cursor_u8(&c, &type) || type > JKS_BKS_KEY_SECRET)
        return 0;
    k->type = type;
    if (!jks_cursor_java_utf(&c, &k->format, &l) || !jks_cursor_java_utf(&c, &k->algorithm, &l) ||
        !jks_cursor_u32_prefixed(&c, &enc) || jks_cursor_remaining(&c) != 0 ||
        !(k->enc = malloc(enc.len ? enc.len : 1))) {
        jks_bks_key_clear(k);
        return 0;
    }
    memcpy(k->enc, enc.p, enc.len);
    k->enc_len = enc.len;
    return 1;
}

int jks_bks_password(const char *pw, uint8_t **out, size_t *out_len)
{
    uint8_t *u16;
    size_t n;
    if (!jks_utf8_to_utf16be(pw, &u16, &n))
        return 0;
    if (n == 0) {
        *out = u16;
        *out_len = 0;
        return 1;
    }
    uint8_t *b = malloc(n + 2);
    if (b) {
        memcpy(b, u16, n);
        b[n] = b[n + 1] = 0;
    }
    OPENSSL_cleanse(u16, n);
    free(u16);
    if (!b)
        return 0;
    *out = b;
    *out_len = n + 2;
    return 1;
}

int jks_bks_kdf(const char *pw, const uint8_t *salt, size_t salt_len, uint32_t iter, int id,
                size_t n, uint8_t *out)
{
    uint8_t *pb, dummy[2] = {0, 0};
    size_t pl;
    if (iter == 0 || iter > INT_MAX || salt_len > INT_MAX || n > INT_MAX ||
        !jks_bks_password(pw, &pb, &pl))
        return 0;
    int ok = PKCS12_key_gen_uni(pl ? pb : dummy, (int)pl, (unsigned char *)salt, (int)salt_len, id,
                                (int)iter, (int)n, out, EVP_sha1()) == 1;
    if (pl)
        OPENSSL_cleanse(pb, pl);
    free(pb);
    return ok;
}

static int sealed_split(const uint8_t *blob, size_t n, jks_cursor *salt, uint32_t *iter,
                        jks_cursor *ct)
{
    jks_cursor c;
    jks_cursor_init(&c, blob, n);
    if (!jks_cursor_u32_prefixed(&c, salt) || salt->len == 0 || !jks_cursor_u32(&c, iter) ||
        *iter == 0 || *iter > INT_MAX)
        return 0;
    *ct = c;
    return ct->len > 0 && ct->len % 8 == 0;
}

int jks_bks_sealed_params(const uint8_t *blob, size_t n, uint32_t *iterations)
{
    jks_cursor salt, ct;
    return sealed_split(blob, n, &salt, iterations, &ct);
}

uint64_t jks_bks_sealed_work(uint32_t iterations)
{
    return jks_kdf_work(EVP_sha1(), iterations, DES3_KEY) + jks_kdf_work(EVP_sha1(), iterations, DES3_IV);
}

static jks_status des3(int enc, const uint8_t *in, size_t n, const char *pw, const uint8_t *salt,
                       size_t salt_len, uint32_t iter, uint8_t **out, size_t *out_len)
{
    uint8_t key[DES3_KEY], iv[DES3_IV];
    int l1 = 0, l2 = 0;
    jks_status s = JKS_ERR_IO;
    EVP_CIPHER_CTX *ctx = NULL;
    uint8_t *buf = NULL;
    if (n > INT_MAX - 16)
        return JKS_ERR_FORMAT;
    if (!jks_bks_kdf(pw, salt, salt_len, iter, 1, DES3_KEY, key) ||
        !jks_bks_kdf(pw, salt, salt_len, iter, 2, DES3_IV, iv))
        goto out;
    if (!(ctx = EVP_CIPHER_CTX_new()) || !(buf = malloc(n + 16)) ||
        EVP_CipherInit_ex(ctx, EVP_des_ede3_cbc(), NULL, key, iv, enc) != 1 ||
        EVP_CipherUpdate(ctx, buf, &l1, in, (int)n) != 1)
        goto out;
    if (EVP_CipherFinal_ex(ctx, buf + l1, &l2) != 1) {
        s = enc ? JKS_ERR_IO : JKS_ERR_PASSWORD; /* bad padding: the wrong key */
        goto out;
    }
    *out = buf;
    *out_len = (size_t)(l1 + l2);
    buf = NULL;
    s = JKS_OK;
out:
    OPENSSL_cleanse(key, sizeof(key));
    OPENSSL_cleanse(iv, sizeof(iv));
    EVP_CIPHER_CTX_free(ctx);
    if (buf) {
        OPENSSL_cleanse(buf, n + 16);
        free(buf);
    }
    return s;
}

jks_status jks_bks_unseal(const uint8_t *blob, size_t n, const char *pw, uint32_t max_iterations,
                          jks_bks_key *k, jks_error *err)
{
    jks_cursor salt, ct;
    uint32_t iter;
    uint8_t *plain;
    size_t plain_len;
    memset(k, 0, sizeof(*k));
    if (!sealed_split(blob, n, &salt, &iter, &ct))
        return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed BKS sealed key");
    if (iter > max_iterations)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "PBE iteration count %u exceeds the limit %u", iter,
                        max_iterations);
    jks_status s = des3(0, ct.p, ct.len, pw, salt.p, salt.len, iter, &plain, &plain_len);
    if (s == JKS_ERR_PASSWORD)
        return jks_fail(err, s, -1, "cannot recover key: wrong password");
    if (s != JKS_OK)
        return jks_fail(err, s, -1, "cannot unseal BKS key");
    int ok = jks_bks_key_parse(plain, plain_len, k);
    OPENSSL_cleanse(plain, plain_len);
    free(plain);
    if (!ok) /* the padding checked out by chance */
        return jks_fail(err, JKS_ERR_PASSWORD, -1, "cannot recover key: wrong password");
    return JKS_OK;
}

jks_status jks_bks_seal(const jks_bks_key *k, const char *pw, uint8_t **out, size_t *out_len,
                        jks_error *err)
{
    jks_builder in, b;
    uint8_t salt[SEAL_SALT], r[2], *inner = NULL, *ct = NULL;
    size_t inner_len = 0, ct_len = 0;
    jks_status s;
    if (RAND_bytes(salt, sizeof(salt)) != 1 || RAND_bytes(r, sizeof(r)) != 1)
        return jks_fail(err, JKS_ERR_IO, -1, "no random bytes");
    uint32_t iter = SEAL_MIN_ITERATIONS + (((uint32_t)r[0] << 8 | r[1]) & 0x3ff);
    jks_builder_init(&in, k->enc_len + 64);
    jks_builder_u8(&in, (uint8_t)k->type);
    jks_builder_java_utf(&in, k->format);
    jks_builder_java_utf(&in, k->algorithm);
    jks_builder_u32(&in, (uint32_t)k->enc_len);
    jks_builder_bytes(&in, k->enc, k->enc_len);
    if (!jks_builder_finish(&in, &inner, &inner_len))
        return jks_fail(err, JKS_ERR_IO, -1, "cannot encode the key");
    s = des3(1, inner, inner_len, pw, salt, sizeof(salt), iter, &ct, &ct_len);
    OPENSSL_cleanse(inner, inner_len);
    free(inner);
    if (s != JKS_OK)
        return jks_fail(err, JKS_ERR_IO, -1, "cannot seal the key");
    jks_builder_init(&b, ct_len + 32);
    jks_builder_u32(&b, sizeof(salt));
    jks_builder_bytes(&b, salt, sizeof(salt));
    jks_builder_u32(&b, iter);
    jks_builder_bytes(&b, ct, ct_len);
    free(ct);
    if (!jks_builder_finish(&b, out, out_len))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    return JKS_OK;
}
