/* Layer "crypto": the Twofish block cipher (Schneier et al., 1998), which
 * OpenSSL lacks and BouncyCastle's UBER keystore is encrypted with
 * (PBEWithSHAAndTwofish-CBC). Portable C, 128/192/256-bit keys; the key
 * schedule expands the key-dependent S-boxes fused with the MDS matrix into
 * four 256-word tables (the specification's "full keying"), so g is four
 * look-ups. */
#ifndef JKS_CRYPTO_TWOFISH_H
#define JKS_CRYPTO_TWOFISH_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t k[40]; /* whitening and round subkeys */
    uint32_t s[4];  /* the key-dependent S-box words, in h's order */
    uint32_t g[4][256]; /* g(x) = g[0][x0] ^ g[1][x1] ^ g[2][x2] ^ g[3][x3] */
    int n;          /* key length in 64-bit words: 2, 3 or 4 */
} jks_twofish;

/* key_len 16, 24 or 32; 0 otherwise. */
int jks_twofish_init(jks_twofish *t, const uint8_t *key, size_t key_len);
void jks_twofish_encrypt(const jks_twofish *t, const uint8_t in[16], uint8_t out[16]);
void jks_twofish_decrypt(const jks_twofish *t, const uint8_t in[16], uint8_t out[16]);
/* Wipe the key schedule (its tables are key material too). */
void jks_twofish_clear(jks_twofish *t);

/* CBC over whole 16-byte blocks (len a multiple of 16; in may equal out). */
void jks_twofish_cbc(const jks_twofish *t, int enc, uint8_t iv[16], const uint8_t *in,
                     uint8_t *out, size_t len);

#endif
