/* Layer "cert": the one-pass certificate fact reader (cert/certfacts.c), on
 * base/cursor.h, with no OpenSSL X.509 object. */
#ifndef JKS_CERTFACTS_H
#define JKS_CERTFACTS_H

#include "cursor.h"
#include "jks/jks.h"

typedef struct {
    const uint8_t *spki, *issuer, *subject; /* whole DER elements inside the input */
    size_t spki_len, issuer_len, subject_len;
    int key_known;          /* key_algorithm/key_bits/spki_sha256 filled; else ask OpenSSL */
    int names_maybe_equal;  /* issuer and subject bytes differ but may be canonically equal */
} jks_certfacts_loc;

/* Fill info (self_signed and self_signed_known stay 0) from a DER
 * certificate. Returns 0 for what this reader does not take (the caller
 * then asks OpenSSL): malformed input, BER, strings or extensions whose
 * OpenSSL reading it does not reproduce. */
int jks_certfacts_read(const uint8_t *der, size_t len, jks_cert_info *info, jks_certfacts_loc *loc);

/* A Name's contents (inside the SEQUENCE) as X509_NAME_print_ex prints it in
 * keytool's style; 0 when left to OpenSSL. Truncated to cap-1 bytes. */
int jks_certfacts_name(jks_cursor name, char *out, size_t cap);

#endif
