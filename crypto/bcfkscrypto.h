/* Layer "crypto": BouncyCastle BCFKS protection (BcFKSKeyStoreSpi): PBES2
 * with PBKDF2-HMAC-SHA512 over BC's password bytes followed by a purpose
 * ("STORE_ENCRYPTION", "INTEGRITY_CHECK", "PRIVATE_KEY_ENCRYPTION",
 * "SECRET_KEY_ENCRYPTION"), and AES-256-CCM or AES-256-KWP. */
#ifndef JKS_CRYPTO_BCFKSCRYPTO_H
#define JKS_CRYPTO_BCFKSCRYPTO_H

#include "cursor.h"
#include "store.h"

/* PBKDF2 parameters (RFC 8018 A.2) of a KeyDerivationFunc. */
typedef struct {
    jks_cursor salt;
    uint32_t iterations;
    size_t key_len; /* 0 when absent */
    int sha512;     /* PRF hmacWithSHA512 (the only one taken) */
} jks_bcfks_kdf;

/* Parse KeyDerivationFunc ::= SEQUENCE { id-PBKDF2, PBKDF2-params } from c
 * (the whole element). 0 when malformed or another KDF/PRF. */
int jks_bcfks_kdf_parse(jks_cursor *c, jks_bcfks_kdf *k);
/* Derive n bytes for purpose with pw. 0 on failure. */
int jks_bcfks_derive(const jks_bcfks_kdf *k, const char *pw, const char *purpose, uint8_t *out,
                     size_t n);
/* Work of one derivation (crypto/work.h units). */
uint64_t jks_bcfks_work(const jks_bcfks_kdf *k, size_t n);

/* Decrypt a PBES2 AlgorithmIdentifier's content (alg: the whole
 * AlgorithmIdentifier element; ct the ciphertext) with pw and purpose:
 * JKS_OK (*out malloc'd, wipe it), JKS_ERR_PASSWORD (authentication or
 * unwrapping failed), JKS_ERR_FORMAT (unsupported or malformed parameters,
 * an iteration count over max_iterations). *work gets the derivation's
 * cost before it is done, through charge (may be NULL). */
jks_status jks_bcfks_decrypt(jks_store *st, const uint8_t *alg, size_t alg_len, const uint8_t *ct,
                             size_t ct_len, const char *pw, const char *purpose,
                             uint32_t max_iterations, uint8_t **out, size_t *out_len,
                             jks_error *err);

#endif
