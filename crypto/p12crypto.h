/* Layer "crypto": PKCS#12 protection helpers shared by the PKCS#12 codec and
 * the key opener: OpenSSL's legacy provider (RC2/RC4/DES PBEs), algorithm
 * names for the validator, and Java's secret-key bags (FORMATS.md 4.1). */
#ifndef JKS_CRYPTO_P12CRYPTO_H
#define JKS_CRYPTO_P12CRYPTO_H

#include "store.h"

#include <openssl/asn1.h>
#include <openssl/types.h>
#include <openssl/x509.h>

/* A private OpenSSL library context holding the default and legacy
 * providers (RC2, RC4, DES and friends), created on first use and kept for
 * the process; NULL when the legacy provider is not installed. Calls that
 * may need a legacy algorithm pass it; OpenSSL's default context is never
 * changed. */
OSSL_LIB_CTX *jks_crypto_legacy_ctx(void);

/* 1 when the legacy algorithms are available (jks_crypto_legacy_ctx). */
int jks_p12_legacy_provider(void);

/* Short lowercase name of a PBE algorithm identifier for jks_p12_info:
 * "pbes2-aes-256-cbc", "pbe-sha1-3des", "pbe-sha1-rc2-40", ... */
void jks_p12_alg_name(const X509_ALGOR *alg, char *out, size_t n);

/* Java secret-key algorithm name for an AlgorithmIdentifier OID (as
 * sun.security.x509.AlgorithmId names it); the dotted OID when unknown.
 * malloc'd. */
char *jks_p12_secret_alg_name(const ASN1_OBJECT *oid);

/* The OID Java writes for a secret-key algorithm name (or a dotted OID
 * given as the name); NULL when unknown. Caller frees with ASN1_OBJECT_free. */
ASN1_OBJECT *jks_p12_secret_alg_oid(const char *name);

/* Decrypt a PKCS#12 secret-key bag's protected bytes (pkcs12/). */
jks_status jks_p12_secret_decrypt(jks_entry *e, const char *password, uint32_t max_iterations,
                                  jks_error *err);

#endif
