/* libjks: what the file a store was read from said about itself (its
 * "source"), and how Java sees aliases. Read-only accessors, for validators,
 * listings and writers.
 *
 * The codec that decodes a file records its format facts: the JKS/JCEKS
 * version (jks_store_version), whether a store password was given and the
 * integrity verified (jks_store_integrity), the PKCS#12 MAC and encryption
 * algorithms, and per entry how its key is protected and its PKCS#12 local
 * key id. Every accessor answers for a store of any format: a fact the
 * format does not have reads as 0, "" or an empty view. Facts are added as
 * new functions, never as struct fields, so the ABI only grows. Strings and
 * views are borrowed from the store (valid until jks_store_free). */
#ifndef JKS_SOURCE_H
#define JKS_SOURCE_H

#include "jks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the store ---- */

/* 1 when a store password was given when reading (or the empty password
 * opened a password-less PKCS#12 completely), else 0. */
JKS_EXTERN int jks_store_storepass_given(const jks_store *st);

/* PKCS#12: 1 when the file carries an integrity MAC (MacData), else 0. */
JKS_EXTERN int jks_store_mac_present(const jks_store *st);

/* PKCS#12 MAC algorithm, lower case: "sha1", "sha256", "pbmac1-hmac-sha256",
 * ...; "" when the file has none or is no PKCS#12. */
JKS_EXTERN const char *jks_store_mac_algorithm(const jks_store *st);

/* PKCS#12 MAC key derivation iterations; 0 when none. */
JKS_EXTERN uint32_t jks_store_mac_iterations(const jks_store *st);

/* PKCS#12: the encryption of the key bags ("pbes2-aes-256-cbc",
 * "pbe-sha1-3des", ...; the first one met) and of the certificates
 * ("pbes2-aes-256-cbc", "pbe-sha1-rc2-40", "none" when in plain data). ""
 * when the file holds none, or is no PKCS#12. */
JKS_EXTERN const char *jks_store_key_encryption(const jks_store *st);
JKS_EXTERN const char *jks_store_cert_encryption(const jks_store *st);

/* PKCS#12: number of certificate bags Java does not show (outside any chain
 * and without Java's trust attribute, FORMATS.md 4.4), counted once each
 * even when the store lists them as entries; 0 for other formats. */
JKS_EXTERN size_t jks_store_hidden_cert_count(const jks_store *st);

/* Number of private-key entries (decrypted or not, Java-visible or in an
 * unencrypted PKCS#12 keyBag): 0 means the store can serve only as a
 * truststore (what jkstool convert warns about, and --require-key refuses). */
JKS_EXTERN size_t jks_store_private_key_count(const jks_store *st);

/* ---- entries ---- */

/* The algorithm protecting e's stored key, written into out (NUL-terminated,
 * cut to cap bytes) and returned: "jks-keyprotector" (Sun KeyProtector),
 * "pbe-md5-3des" (JCEKS PBEWithMD5AndTripleDES, also sealed secret keys),
 * the PKCS#5/PKCS#12 PBE of an EncryptedPrivateKeyInfo ("pbes2-aes-256-cbc",
 * "pbe-sha1-3des", "pbe-sha1-rc2-40", ...), "bks-pbe-sha1-3des" (a BKS
 * sealed key), "bcfks-pbes2-aes-256" (a BCFKS key), "none" for a key stored in
 * plain; "" for a trusted certificate or bytes that do not parse. */
JKS_EXTERN const char *jks_entry_protection_name(const jks_entry *e, char *out, size_t cap);

/* The PKCS#12 localKeyID attribute as read (borrowed; len 0 when none). */
JKS_EXTERN jks_bytes jks_entry_local_key_id(const jks_entry *e);

/* 1 when e's key, as stored, can be written into format f unchanged (what
 * jks_write_opts.keep_encryption does), else 0. The one answer every writer
 * uses: JKS takes the Sun KeyProtector; JCEKS that and PBEWithMD5AndTripleDES
 * (private keys) or its sealed objects (secret keys); PKCS#12 and PEM take a
 * standard EncryptedPrivateKeyInfo (PKCS#12 shrouded key bags and PEM
 * ENCRYPTED PRIVATE KEY), PKCS#12 also its own secret-key bags. 0 when the
 * entry holds no protected bytes (a certificate, a key built in memory, or
 * one whose protection was forgotten). */
JKS_EXTERN int jks_entry_protection_reusable(const jks_entry *e, jks_format f);

/* Drop the stored protected bytes of decrypted key entry i, so that the next
 * write encrypts it afresh with the write options' key password even when
 * keep_encryption is set (a key whose password changes). Returns 1 when done,
 * 0 (nothing changed) when the key is not decrypted or entry i holds none. */
JKS_EXTERN int jks_store_forget_protection(jks_store *st, size_t i);

/* ---- aliases as Java sees them ---- */

/* Java's lower-casing of an alias (String.toLowerCase(Locale.ENGLISH), which
 * JKS and PKCS#12 key stores apply to look entries up) of a UTF-8 alias.
 * Free with jks_free; NULL when out of memory. */
JKS_EXTERN char *jks_alias_java_lower(const char *alias);

/* Compare two UTF-8 aliases after Java's lower-casing: 0 when Java sees one
 * alias, else non-zero (an ordering). */
JKS_EXTERN int jks_alias_java_cmp(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif
