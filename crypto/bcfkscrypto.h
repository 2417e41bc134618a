/* Layer "crypto": BouncyCastle BCFKS protection (BcFKSKeyStoreSpi): PBES2
 * with PBKDF2-HMAC-SHA512 over BC's password bytes followed by a purpose
 * ("STORE_ENCRYPTION", "INTEGRITY_CHECK", "PRIVATE_KEY_ENCRYPTION",
 * "SECRET_KEY_ENCRYPTION"), and AES-256-CCM or AES-256-KWP. */
#ifndef JKS_CRYPTO_BCFKSCRYPTO_H
#define JKS_CRYPTO_BCFKSCRYPTO_H

#include "builder.h"
#include "cursor.h"
#include "store.h"

/* What BcFKSKeyStoreSpi writes: PBKDF2-HMAC-SHA512 with a 64-byte random
 * salt and 50 * 1024 iterations, AES-256-CCM with a 12-byte random nonce
 * and an 8-byte tag. */
#define JKS_BCFKS_ITERATIONS 51200u
#define JKS_BCFKS_SALT_LEN 64
#define JKS_BCFKS_NONCE_LEN 12
#define JKS_BCFKS_TAG_LEN 8
/* A 12-byte CCM nonce leaves 3 bytes for the message length. */
#define JKS_BCFKS_CCM_MAX ((size_t)1 << 24)

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

/* ---- writing (as BcFKSKeyStoreSpi writes) ---- */

/* Append SEQUENCE { AlgorithmIdentifier (PBES2: PBKDF2-HMAC-SHA512 with a
 * fresh salt and iterations, key length 32; AES-256-CCM with a fresh nonce,
 * ICV length 8), OCTET STRING ciphertext||tag } of plain under pw and
 * purpose: the shape of EncryptedPrivateKeyInfo, EncryptedSecretKeyData and
 * EncryptedObjectStoreData alike. The derived key is wiped. JKS_ERR_USAGE
 * when plain is JKS_BCFKS_CCM_MAX bytes or more, JKS_ERR_IO on a failure of
 * OpenSSL or the builder. */
jks_status jks_bcfks_encrypt(jks_builder *b, const uint8_t *plain, size_t n, const char *pw,
                             const char *purpose, uint32_t iterations, jks_error *err);

/* Append PbkdMacIntegrityCheck ::= SEQUENCE { AlgorithmIdentifier
 * hmacWithSHA512 (NULL parameters), KeyDerivationFunc (PBKDF2-HMAC-SHA512,
 * fresh 64-byte salt, iterations, key length 64), OCTET STRING mac } where
 * mac is HMAC-SHA512 of data under the key derived from pw and
 * "INTEGRITY_CHECK" (what the reader verifies). The key is wiped. 0 on a
 * failure. */
int jks_bcfks_mac_append(jks_builder *b, const uint8_t *data, size_t n, const char *pw,
                         uint32_t iterations);

/* Append the AlgorithmIdentifier hmacWithSHA512 with NULL parameters (BC's
 * integrity algorithm, named again inside ObjectStoreData). */
void jks_bcfks_hmac_alg_append(jks_builder *b);

#endif
