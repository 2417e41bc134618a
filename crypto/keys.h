/* Layer "crypto": opening and protecting the keys of a store's entries: the
 * one password loop (each key password, then the store password), Java's
 * view of a decrypted PrivateKeyInfo, PBES2 protection for PEM output. */
#ifndef JKS_CRYPTO_KEYS_H
#define JKS_CRYPTO_KEYS_H

#include "store.h"

/* One attempt to open something with one password: JKS_OK when it opened,
 * JKS_ERR_PASSWORD when the password is wrong; any other status ends the
 * loop (unsupported or broken protection). */
typedef jks_status (*jks_password_attempt)(void *ctx, const char *password, jks_error *err);

/* THE password loop: calls attempt with each key password of opts, in order,
 * then with the store password, until one opens (JKS_OK; *index = its
 * position: 0..n_keypasses-1, or n_keypasses for the store password) or one
 * fails otherwise (that status, err filled). JKS_ERR_PASSWORD when none
 * opened; *tried (may be NULL) = how many passwords were tried, 0 when opts
 * give none. err keeps the last failure. */
jks_status jks_passwords_try(const jks_read_opts *opts, jks_password_attempt attempt, void *ctx,
                             int *index, int *tried, jks_error *err);

/* jks_passwords_try on each key of st; sets state/plain/pw_index. */
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
