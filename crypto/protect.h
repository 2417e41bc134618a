/* Private and secret key protection: the Sun JKS KeyProtector (FORMATS.md 2),
 * Sun's PBEWithMD5AndTripleDES (3.4), and PKCS#8 PBES1/PBES2 through OpenSSL. */
#ifndef JKS_PROTECT_H
#define JKS_PROTECT_H

#include "store.h"

#define JKS_DEFAULT_MAX_ITERATIONS 5000000u
#define JKS_JCEKS_ITERATIONS 200000u

/* JKS KeyProtector over a raw blob (salt20 | cipher | check20), with the key
 * password as UTF-16BE. Returns JKS_OK (plain set, malloc'd, caller wipes),
 * JKS_ERR_PASSWORD when the check digest does not match, JKS_ERR_FORMAT when
 * the blob is too short. */
jks_status jks_keyprotector_decrypt(const uint8_t *blob, size_t n, const uint8_t *pw16,
                                    size_t pw16_len, uint8_t **plain, size_t *plain_len);
/* Encrypt with a fresh random salt; *blob malloc'd. */
jks_status jks_keyprotector_encrypt(const uint8_t *plain, size_t n, const uint8_t *pw16,
                                    size_t pw16_len, uint8_t **blob, size_t *blob_len);

/* PBEWithMD5AndTripleDES: enc=1 encrypts, 0 decrypts (padding checked).
 * legacy selects the pre-JDK-8 treatment of equal salt halves. Returns
 * JKS_OK, JKS_ERR_PASSWORD on bad padding, JKS_ERR_FORMAT on bad input. */
jks_status jks_pbe3des_crypt(int enc, const uint8_t *in, size_t n, const uint8_t *pw,
                             size_t pw_len, const uint8_t salt[8], uint32_t iterations,
                             int legacy, uint8_t **out, size_t *out_len);

/* Decrypt one EncryptedPrivateKeyInfo with one UTF-8 password. Recognises
 * the JKS and JCEKS OIDs; anything else goes to OpenSSL's PKCS8_decrypt
 * (PBES2, PKCS#12 PBE). The result is a checked PrivateKeyInfo. *prot says
 * which protection was found. Errors: JKS_ERR_PASSWORD (wrong password),
 * JKS_ERR_FORMAT (malformed or unsupported; err says which). */
jks_status jks_epki_decrypt(const uint8_t *epki, size_t len, const char *password,
                            uint32_t max_iterations, uint8_t **plain, size_t *plain_len,
                            jks_protection *prot, jks_error *err);

/* The same in steps, so that a key tried with several passwords is parsed
 * once: jks_epki_open parses and classifies the EncryptedPrivateKeyInfo and
 * refuses iteration counts above max_iterations (0 = the default cap) before
 * any derivation; jks_epki_try tries one password (results as
 * jks_epki_decrypt); jks_epki_close frees (NULL accepted). */
typedef struct jks_epki_key jks_epki_key;
jks_status jks_epki_open(const uint8_t *epki, size_t len, uint32_t max_iterations,
                         jks_epki_key **out, jks_error *err);
jks_protection jks_epki_protection(const jks_epki_key *k);
jks_status jks_epki_try(const jks_epki_key *k, const char *password, uint8_t **plain,
                        size_t *plain_len, jks_error *err);
void jks_epki_close(jks_epki_key *k);
/* The key-derivation work one jks_epki_try costs (crypto/work.h units):
 * JKS KeyProtector one SHA-1 per 20 bytes, JCEKS two MD5 runs of the
 * iteration count (each measured as costly as one PBKDF2-SHA256 iteration),
 * twice when Java's legacy salt makes it try two keys; OpenSSL PBEs by
 * jks_algor_work. */
uint64_t jks_epki_work(const jks_epki_key *k);
/* The same for JCEKS PBEWithMD5AndTripleDES parameters (sealed objects too). */
uint64_t jks_jceks_work(uint32_t iterations, const uint8_t salt[8]);

/* Protect a PrivateKeyInfo for a JKS (KeyProtector) or JCEKS (3DES). */
jks_status jks_epki_encrypt(jks_protection prot, const uint8_t *plain, size_t n,
                            const char *password, uint8_t **epki, size_t *epki_len,
                            jks_error *err);



/* How a writer puts the key of entry e into opts->format: JKS_OK with
 * *keep = 1 (copy the stored protected bytes: keep_encryption is set and
 * jks_entry_protection_reusable says the format holds them), *keep = 0
 * (encrypt the decrypted key afresh; also for certificates); else
 * JKS_ERR_PASSWORD with err naming the entry: the key is neither reusable
 * nor decrypted (crypto/protinfo.c). */
jks_status jks_key_write_mode(const jks_entry *e, const jks_write_opts *opts, int *keep,
                              jks_error *err);

#include <openssl/x509.h>
/* Iteration count of a PBES1 (PKCS#5/PKCS#12) or PBES2/PBKDF2 algorithm
 * identifier; 0 when it has none or cannot be parsed. Lets callers refuse
 * hostile counts before OpenSSL starts deriving. */
uint64_t jks_algor_iterations(const X509_ALGOR *alg);
#endif
