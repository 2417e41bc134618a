/* Internals shared by the PKCS#12 reader (p12read.c), writer (p12write.c),
 * PBMAC1 verifier (pbmac1.c) and the secret-key helpers (pkcs12.c).
 * FORMATS.md 4; RFC 7292; RFC 9579 (PBMAC1). */
#ifndef JKS_P12_H
#define JKS_P12_H

#include "store.h"

#include <openssl/pkcs12.h>
#include <openssl/x509.h>

/* Oracle's trustedKeyUsage bag attribute and the value keytool writes. */
#define JKS_OID_ORACLE_TRUST "2.16.840.1.113894.746875.1.1"
#define JKS_OID_ANY_EKU "2.5.29.37.0"
/* RFC 9579 id-PBMAC1 */
#define JKS_OID_PBMAC1 "1.2.840.113549.1.5.14"

/* Load OpenSSL's legacy provider (RC2-40, RC4 PBEs) into the default
 * library context, once. Returns 1 when it is available. */
int jks_p12_legacy_provider(void);

/* Short lowercase name of a PBE algorithm identifier for jks_p12_info:
 * "pbes2-aes-256-cbc", "pbe-sha1-3des", "pbe-sha1-rc2-40", ... */
void jks_p12_alg_name(const X509_ALGOR *alg, char *out, size_t n);

/* Verify an RFC 9579 PBMAC1 MAC: PBKDF2 (parameters from macalg) over the
 * UTF-8 password, then HMAC over content (the authSafe octets). Refuses
 * keyLength < 20 or absent, iteration counts above max_iter, unknown PRFs.
 * Fills alg (e.g. "pbmac1-hmac-sha256") and *iterations. Returns JKS_OK,
 * JKS_ERR_PASSWORD (MAC mismatch) or JKS_ERR_FORMAT (err says why). */
jks_status jks_pbmac1_verify(const X509_ALGOR *macalg, const ASN1_OCTET_STRING *mac,
                             const uint8_t *content, size_t content_len, const char *password,
                             uint32_t max_iter, char *alg, size_t alg_len, uint32_t *iterations,
                             jks_error *err);

/* Java secret-key algorithm name for an AlgorithmIdentifier OID (as
 * sun.security.x509.AlgorithmId names it); the dotted OID when unknown.
 * malloc'd. */
char *jks_p12_secret_alg_name(const ASN1_OBJECT *oid);
/* The OID Java writes for a secret-key algorithm name (or a dotted OID
 * given as the name); NULL when unknown. Caller frees with ASN1_OBJECT_free. */
ASN1_OBJECT *jks_p12_secret_alg_oid(const char *name);

#endif
