/* Internals shared by the PKCS#12 reader (p12read.c), writer (p12write.c),
 * PBMAC1 verifier (pbmac1.c) and the secret-key helpers (pkcs12.c).
 * FORMATS.md 4; RFC 7292; RFC 9579 (PBMAC1). */
#ifndef JKS_P12_H
#define JKS_P12_H

#include "codec.h"
#include "p12crypto.h"

#include <openssl/pkcs12.h>
#include <openssl/x509.h>

/* Oracle's trustedKeyUsage bag attribute and the value keytool writes. */
#define JKS_OID_ORACLE_TRUST "2.16.840.1.113894.746875.1.1"
#define JKS_OID_ANY_EKU "2.5.29.37.0"
/* RFC 9579 id-PBMAC1 */
#define JKS_OID_PBMAC1 "1.2.840.113549.1.5.14"

/* Verify an RFC 9579 PBMAC1 MAC: PBKDF2 (parameters from macalg) over the
 * UTF-8 password, then HMAC over content (the authSafe octets). Refuses
 * keyLength < 20 or absent, iteration counts above max_iter, unknown PRFs.
 * With a password, the PBKDF2 work (PRF and keyLength weighed) is charged
 * to work (crypto/work.h; NULL charges nothing) before it is done.
 * Fills alg (e.g. "pbmac1-hmac-sha256") and *iterations. Returns JKS_OK,
 * JKS_ERR_PASSWORD (MAC mismatch) or JKS_ERR_FORMAT (err says why). */
jks_status jks_pbmac1_verify(const X509_ALGOR *macalg, const ASN1_OCTET_STRING *mac,
                             const uint8_t *content, size_t content_len, const char *password,
                             uint32_t max_iter, jks_store *work, char *alg, size_t alg_len, uint32_t *iterations,
                             jks_error *err);

/* The codec's two halves (p12read.c, p12write.c). */
jks_status jks_p12_decode(jks_store *st, const uint8_t *data, size_t len,
                          const jks_read_opts *opts, jks_error *err);
jks_status jks_p12_encode(const jks_store *st, const jks_write_opts *opts,
                          uint8_t **out, size_t *out_len, jks_error *err);

#endif
