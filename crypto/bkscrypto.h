/* Layer "crypto": BouncyCastle BKS keystore crypto (BcKeyStoreSpi): the
 * PKCS#12 key derivation with BC's password bytes, the store's HMAC-SHA1 key,
 * and sealed keys (PBEWithSHAAnd3-KeyTripleDES-CBC over BC's key encoding). */
#ifndef JKS_CRYPTO_BKSCRYPTO_H
#define JKS_CRYPTO_BKSCRYPTO_H

#include "store.h"

#define JKS_BKS_KEY_PRIVATE 0
#define JKS_BKS_KEY_PUBLIC 1
#define JKS_BKS_KEY_SECRET 2

/* A key as BC encodes it (encodeKey): type byte, format ("PKCS#8", "X.509",
 * "RAW"), algorithm, encoded bytes. Strings and enc malloc'd; enc is wiped
 * by jks_bks_key_clear. */
typedef struct {
    int type;
    char *format;
    char *algorithm;
    uint8_t *enc;
    size_t enc_len;
} jks_bks_key;

void jks_bks_key_clear(jks_bks_key *k);
/* Parse the whole of in as one encoded key; 0 when malformed. */
int jks_bks_key_parse(const uint8_t *in, size_t n, jks_bks_key *k);

/* BC's PKCS12PasswordToBytes: UTF-16BE plus two zero bytes, nothing at all
 * for the empty password. *out malloc'd (wipe it). 0 on OOM. */
int jks_bks_password(const char *pw, uint8_t **out, size_t *out_len);
/* PKCS#12 KDF (SHA-1) of a UTF-8 password as BC derives it: id 1 key, 2 IV,
 * 3 MAC key; n bytes into out. 0 on failure. */
int jks_bks_kdf(const char *pw, const uint8_t *salt, size_t salt_len, uint32_t iter, int id,
                size_t n, uint8_t *out);

/* The header of a sealed key (u32 salt length, salt, u32 iterations): 0 when
 * malformed. */
int jks_bks_sealed_params(const uint8_t *blob, size_t n, uint32_t *iterations);
/* The derivation work of opening a sealed key (crypto/work.h units). */
uint64_t jks_bks_sealed_work(uint32_t iterations);
/* Open a sealed key with one password: JKS_OK (*k filled), JKS_ERR_PASSWORD
 * (padding or the key encoding does not check out), JKS_ERR_FORMAT (the
 * blob is malformed or its iteration count is over max_iterations). */
jks_status jks_bks_unseal(const uint8_t *blob, size_t n, const char *pw, uint32_t max_iterations,
                          jks_bks_key *k, jks_error *err);
/* Seal a key as BC does: 20-byte random salt, 1024 + random(0..1023)
 * iterations. *out malloc'd. */
jks_status jks_bks_seal(const jks_bks_key *k, const char *pw, uint8_t **out, size_t *out_len,
                        jks_error *err);

#endif
