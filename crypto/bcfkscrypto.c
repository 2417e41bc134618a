/* BouncyCastle BCFKS protection (crypto/bcfkscrypto.h). */
#include "bcfkscrypto.h"
#include "bkscrypto.h"
#include "work.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* DER bodies of the OIDs read here */
static const uint8_t OID_PBES2[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d};
static const uint8_t OID_PBKDF2[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c};
static const uint8_t OID_HMAC_SHA512[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b};
static const uint8_t OID_AES256_CCM[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2f};
static const uint8_t OID_AES256_KWP[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x30};

static int oid_is(const jks_cursor *o, const uint8_t *want, size_t n)
{
    return o->len == n && !memcmp(o->p, want, n);
}

int jks_bcfks_kdf_parse(jks_cursor *c, jks_bcfks_kdf *k)
{
    jks_cursor seq, oid, params, prf, prf_oid;
    int64_t v;
    uint8_t tag;
    memset(k, 0, sizeof(*k));
    if (!jks_cursor_der_expect(c, 0x30, &seq) || !jks_cursor_der_expect(&seq, 0x06, &oid) ||
        !oid_is(&oid, OID_PBKDF2, sizeof(OID_PBKDF2)) || !jks_cursor_der_expect(&seq, 0x30, &params) ||
        !jks_cursor_der_expect(&params, 0x04, &k->salt) || !jks_cursor_der_int64(&params, &v) ||
        v < 1 || v > INT_MAX)
        return 0;
    k->iterations = (uint32_t)v;
    if (jks_cursor_der_peek_tag(&params, &tag) && tag == 0x02) {
        if (!jks_cursor_der_int64(&params, &v) || v < 1 || v > 1024)
            return 0;
        k->key_len = (size_t)v;
    }
    if (!jks_cursor_der_expect(&params, 0x30, &prf) || !jks_cursor_der_expect(&prf, 0x06, &prf_oid))
        return 0; /* BC always names its PRF; the default (SHA-1) is not taken */
    k->sha512 = oid_is(&prf_oid, OID_HMAC_SHA512, sizeof(OID_HMAC_SHA512));
    return k->sha512;
}

int jks_bcfks_derive(const jks_bcfks_kdf *k, const char *pw, const char *purpose, uint8_t *out,
                     size_t n)
{
    uint8_t *a = NULL, *b = NULL, *both = NULL;
    size_t al = 0, bl = 0;
    int ok = 0;
    if (!jks_bks_password(pw, &a, &al) || !jks_bks_password(purpose, &b, &bl))
        goto out;
    if (!(both = malloc(al + bl + 1)))
        goto out;
    memcpy(both, a, al);
    memcpy(both + al, b, bl);
    ok = PKCS5_PBKDF2_HMAC((const char *)both, (int)(al + bl), k->salt.p, (int)k->salt.len,
                           (int)k->iterations, EVP_sha512(), (int)n, out) == 1;
out:
    if (a)
        OPENSSL_cleanse(a, al);
    if (both)
        OPENSSL_cleanse(both, al + bl);
    free(a);
    free(b);
    free(both);
    return ok;
}

uint64_t jks_bcfks_work(const jks_bcfks_kdf *k, size_t n)
{
    return jks_kdf_work(EVP_sha512(), k->iterations, n);
}

static jks_status aes_ccm(const uint8_t key[32], jks_cursor nonce, size_t tag_len, const uint8_t *ct,
                          size_t ct_len, uint8_t *out, size_t *out_len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int l = 0;
    jks_status s = JKS_ERR_IO;
    if (ct_len < tag_len || ct_len - tag_len > INT_MAX) {
        EVP_CIPHER_CTX_free(ctx);
        return JKS_ERR_FORMAT;
    }
    size_t n = ct_len - tag_len;
    if (ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_ccm(), NULL, NULL, NULL) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, (int)nonce.len, NULL) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)tag_len, (void *)(ct + n)) == 1 &&
        EVP_DecryptInit_ex(ctx, NULL, NULL, key, nonce.p) == 1 &&
        EVP_DecryptUpdate(ctx, NULL, &l, NULL, (int)n) == 1) {
        s = EVP_DecryptUpdate(ctx, out, &l, ct, (int)n) == 1 ? JKS_OK : JKS_ERR_PASSWORD;
        *out_len = n;
    }
    EVP_CIPHER_CTX_free(ctx);
    return s;
}

static jks_status aes_kwp(const uint8_t key[32], const uint8_t *ct, size_t ct_len, uint8_t *out,
                          size_t *out_len)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;
    jks_status s = JKS_ERR_IO;
    if (ct_len > INT_MAX || ct_len < 16 || ct_len % 8) {
        EVP_CIPHER_CTX_free(ctx);
        return JKS_ERR_FORMAT;
    }
    if (ctx) {
        EVP_CIPHER_CTX_set_flags(ctx, EVP_CIPHER_CTX_FLAG_WRAP_ALLOW);
        if (EVP_DecryptInit_ex(ctx, EVP_aes_256_wrap_pad(), NULL, key, NULL) == 1) {
            s = EVP_DecryptUpdate(ctx, out, &l1, ct, (int)ct_len) == 1 &&
                        EVP_DecryptFinal_ex(ctx, out + l1, &l2) == 1
                    ? JKS_OK
                    : JKS_ERR_PASSWORD;
            *out_len = (size_t)(l1 + l2);
        }
    }
    EVP_CIPHER_CTX_free(ctx);
    return s;
}

jks_status jks_bcfks_decrypt(jks_store *st, const uint8_t *alg, size_t alg_len, const uint8_t *ct,
                             size_t ct_len, const char *pw, const char *purpose,
                             uint32_t max_iterations, uint8_t **out, size_t *out_len,
                             jks_error *err)
{
    jks_cursor c, a, oid, params, scheme, s_oid, ccm, nonce = {0};
    jks_bcfks_kdf kdf;
    int64_t icv = 12;
    uint8_t key[32];
    jks_status s;
    *out = NULL;
    jks_cursor_init(&c, alg, alg_len);
    if (!jks_cursor_der_expect(&c, 0x30, &a) || !jks_cursor_der_expect(&a, 0x06, &oid) ||
        !oid_is(&oid, OID_PBES2, sizeof(OID_PBES2)) || !jks_cursor_der_expect(&a, 0x30, &params) ||
        !jks_bcfks_kdf_parse(&params, &kdf) || !jks_cursor_der_expect(&params, 0x30, &scheme) ||
        !jks_cursor_der_expect(&scheme, 0x06, &s_oid))
        return jks_fail(err, JKS_ERR_FORMAT, -1,
                        "unsupported BCFKS protection (only PBES2 with PBKDF2-HMAC-SHA512)");
    int is_ccm = oid_is(&s_oid, OID_AES256_CCM, sizeof(OID_AES256_CCM));
    if (!is_ccm && !oid_is(&s_oid, OID_AES256_KWP, sizeof(OID_AES256_KWP)))
        return jks_fail(err, JKS_ERR_FORMAT, -1, "unsupported BCFKS cipher (only AES-256 CCM or KWP)");
    if (is_ccm) {
        uint8_t tag;
        if (!jks_cursor_der_expect(&scheme, 0x30, &ccm) || !jks_cursor_der_expect(&ccm, 0x04, &nonce) ||
            nonce.len < 7 || nonce.len > 13 ||
            (jks_cursor_der_peek_tag(&ccm, &tag) && tag == 0x02 && !jks_cursor_der_int64(&ccm, &icv)) ||
            icv < 4 || icv > 16 || icv % 2)
            return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed BCFKS AES-CCM parameters");
    }
    if (kdf.iterations > max_iterations)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "PBE iteration count %u exceeds the limit %u",
                        kdf.iterations, max_iterations);
    if (kdf.key_len && kdf.key_len != 32)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "unsupported BCFKS key length %zu", kdf.key_len);
    if ((s = jks_work_charge(st, jks_bcfks_work(&kdf, 32), err)) != JKS_OK)
        return s;
    if (!(*out = malloc(ct_len ? ct_len : 1)))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    if (!jks_bcfks_derive(&kdf, pw, purpose, key, sizeof(key))) {
        s = jks_fail(err, JKS_ERR_IO, -1, "key derivation failed");
    } else {
        s = is_ccm ? aes_ccm(key, nonce, (size_t)icv, ct, ct_len, *out, out_len)
                   : aes_kwp(key, ct, ct_len, *out, out_len);
        if (s == JKS_ERR_PASSWORD)
            jks_fail(err, s, -1, "cannot decrypt: wrong password (authentication failed)");
        else if (s != JKS_OK)
            jks_fail(err, s, -1, "cannot decrypt (malformed ciphertext)");
    }
    OPENSSL_cleanse(key, sizeof(key));
    if (s != JKS_OK) {
        OPENSSL_cleanse(*out, ct_len);
        free(*out);
        *out = NULL;
    }
    return s;
}

/* ---- writing ---- */

void jks_bcfks_hmac_alg_append(jks_builder *b)
{
    size_t m = jks_builder_der_open(b, 0x30);
    jks_builder_der(b, 0x06, OID_HMAC_SHA512, sizeof(OID_HMAC_SHA512));
    jks_builder_der(b, 0x05, NULL, 0);
    jks_builder_der_close(b, m);
}

/* Append KeyDerivationFunc { id-PBKDF2, PBKDF2-params { fresh salt,
 * iterations, key_len, hmacWithSHA512 } } and derive key_len bytes of key
 * for pw and purpose with it. 0 on a failure. */
static int kdf_new(jks_builder *b, uint32_t iterations, const char *pw, const char *purpose,
                   uint8_t *key, size_t key_len)
{
    uint8_t salt[JKS_BCFKS_SALT_LEN];
    jks_bcfks_kdf k;
    if (iterations < 1 || iterations > INT_MAX || RAND_bytes(salt, sizeof(salt)) != 1)
        return 0;
    memset(&k, 0, sizeof(k));
    jks_cursor_init(&k.salt, salt, sizeof(salt));
    k.iterations = iterations;
    k.key_len = key_len;
    k.sha512 = 1;
    if (!jks_bcfks_derive(&k, pw, purpose, key, key_len))
        return 0;
    size_t m = jks_builder_der_open(b, 0x30);
    jks_builder_der(b, 0x06, OID_PBKDF2, sizeof(OID_PBKDF2));
    size_t p = jks_builder_der_open(b, 0x30);
    jks_builder_der(b, 0x04, salt, sizeof(salt));
    jks_builder_der_uint(b, iterations);
    jks_builder_der_uint(b, key_len);
    jks_bcfks_hmac_alg_append(b);
    jks_builder_der_close(b, p);
    jks_builder_der_close(b, m);
    return jks_builder_ok(b);
}

jks_status jks_bcfks_encrypt(jks_builder *b, const uint8_t *plain, size_t n, const char *pw,
                             const char *purpose, uint32_t iterations, jks_error *err)
{
    uint8_t key[32], nonce[JKS_BCFKS_NONCE_LEN];
    if (n >= JKS_BCFKS_CCM_MAX)
        return jks_fail(err, JKS_ERR_USAGE, -1,
                        "%zu bytes are too many for BCFKS's AES-CCM (under 16 MiB)", n);
    size_t seq = jks_builder_der_open(b, 0x30);
    size_t alg = jks_builder_der_open(b, 0x30);
    jks_builder_der(b, 0x06, OID_PBES2, sizeof(OID_PBES2));
    size_t params = jks_builder_der_open(b, 0x30);
    if (RAND_bytes(nonce, sizeof(nonce)) != 1 || !kdf_new(b, iterations, pw, purpose, key, sizeof(key))) {
        OPENSSL_cleanse(key, sizeof(key));
        return jks_fail(err, JKS_ERR_IO, -1, "key derivation failed");
    }
    size_t scheme = jks_builder_der_open(b, 0x30);
    jks_builder_der(b, 0x06, OID_AES256_CCM, sizeof(OID_AES256_CCM));
    size_t ccm = jks_builder_der_open(b, 0x30);
    jks_builder_der(b, 0x04, nonce, sizeof(nonce));
    jks_builder_der_uint(b, JKS_BCFKS_TAG_LEN); /* BC names it: not the default 12 */
    jks_builder_der_close(b, ccm);
    jks_builder_der_close(b, scheme);
    jks_builder_der_close(b, params);
    jks_builder_der_close(b, alg);
    jks_builder_der_header(b, 0x04, n + JKS_BCFKS_TAG_LEN);
    uint8_t *out = jks_builder_space(b, n + JKS_BCFKS_TAG_LEN);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int l = 0, ok = out && ctx &&
                    EVP_EncryptInit_ex(ctx, EVP_aes_256_ccm(), NULL, NULL, NULL) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, (int)sizeof(nonce), NULL) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, JKS_BCFKS_TAG_LEN, NULL) == 1 &&
                    EVP_EncryptInit_ex(ctx, NULL, NULL, key, nonce) == 1 &&
                    EVP_EncryptUpdate(ctx, NULL, &l, NULL, (int)n) == 1 &&
                    EVP_EncryptUpdate(ctx, out, &l, plain, (int)n) == 1 &&
                    EVP_EncryptFinal_ex(ctx, out + l, &l) == 1 &&
                    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, JKS_BCFKS_TAG_LEN, out + n) == 1;
    EVP_CIPHER_CTX_free(ctx);
    OPENSSL_cleanse(key, sizeof(key));
    jks_builder_der_close(b, seq);
    if (!ok || !jks_builder_ok(b))
        return jks_fail(err, JKS_ERR_IO, -1, "AES-CCM encryption failed");
    return JKS_OK;
}

int jks_bcfks_mac_append(jks_builder *b, const uint8_t *data, size_t n, const char *pw,
                         uint32_t iterations)
{
    uint8_t key[64], mac[64];
    unsigned int ml = 0;
    size_t m = jks_builder_der_open(b, 0x30);
    jks_bcfks_hmac_alg_append(b);
    int ok = kdf_new(b, iterations, pw, "INTEGRITY_CHECK", key, sizeof(key)) &&
             HMAC(EVP_sha512(), key, (int)sizeof(key), data, n, mac, &ml) && ml == sizeof(mac);
    OPENSSL_cleanse(key, sizeof(key));
    if (!ok)
        return 0;
    jks_builder_der(b, 0x04, mac, sizeof(mac));
    jks_builder_der_close(b, m);
    return jks_builder_ok(b);
}
