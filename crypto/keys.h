/* Layer "crypto": opening and protecting the keys of a store's entries: the
 * one password loop (each key password, then the store password), Java's
 * view of a decrypted PrivateKeyInfo, PBES2 protection for PEM output. */
#ifndef JKS_CRYPTO_KEYS_H
#define JKS_CRYPTO_KEYS_H

#include "store.h"

/* Try the passwords of opts on each key (keypasses, then storepass), using
 * jks_key_decrypt; sets state/plain/pw_index. */
void jks_store_decrypt_keys(jks_store *st, const jks_read_opts *opts);

/* Set a decrypted private key (PKCS#8 PrivateKeyInfo) the way Java and OpenSSL
 * hand keys out: without its [0] attributes (jks/keys.c). */
int jks_entry_set_pkcs8(jks_entry *e, const uint8_t *der, size_t len);

/* Encrypt a PrivateKeyInfo as an EncryptedPrivateKeyInfo: PBES2, AES-256-CBC,
 * PBKDF2-HMAC-SHA256, 100,000 iterations (as the PEM writer). *out is
 * malloc'd (free with jks_buffer_free). */
jks_status jks_pkcs8_encrypt(const uint8_t *pkcs8, size_t len, const char *password,
                             uint8_t **out, size_t *out_len, jks_error *err);

#endif
