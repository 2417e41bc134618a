/* Layer "cert": the one-pass certificate fact reader (cert/certfacts.c), on
 * base/cursor.h, with no OpenSSL X.509 object. */
#ifndef JKS_CERTFACTS_H
#define JKS_CERTFACTS_H

#include "cursor.h"
#include "jks/jks.h"

#include <openssl/evp.h>

typedef struct {
    const uint8_t *spki, *issuer, *subject; /* whole DER elements inside the input */
    size_t spki_len, issuer_len, subject_len;
    int key_known;          /* key_algorithm/key_bits/spki_sha256 filled; else ask OpenSSL */
    int names_maybe_equal;  /* issuer and subject bytes differ but may be canonically equal */
    /* what verifying the signature needs (jks_certfacts_verify) */
    const uint8_t *tbs, *alg_in, *alg_out, *sig; /* TBS and both AlgorithmIdentifiers as
                                                    whole elements; sig: BIT STRING contents */
    size_t tbs_len, alg_in_len, alg_out_len, sig_len;
    int sig_nid;            /* the outer signature algorithm (0 when OpenSSL has no name) */
    int aki_other;          /* authorityKeyIdentifier names an issuer or serial */
} jks_certfacts_loc;

/* Fill info (self_signed and self_signed_known stay 0) from a DER
 * certificate; flags as jks_cert_facts_get_ex's. Returns 0 for what this
 * reader does not take (the caller then asks OpenSSL): malformed input, BER,
 * strings or extensions whose OpenSSL reading it does not reproduce. */
int jks_certfacts_read(const uint8_t *der, size_t len, unsigned flags, jks_cert_info *info,
                       jks_certfacts_loc *loc);

/* The name Java gives a NIST post-quantum algorithm OID (content octets):
 * "ML-DSA-65", "ML-KEM-768", "SLH-DSA-SHA2-128s", ...; NULL for any other. */
const char *jks_certfacts_pq_name(const uint8_t *oid, size_t len);

/* A Name's contents (inside the SEQUENCE) as X509_NAME_print_ex prints it in
 * keytool's style; 0 when left to OpenSSL. Truncated to cap-1 bytes. */
int jks_certfacts_name(jks_cursor name, char *out, size_t cap);

/* ---- public keys and signatures without OpenSSL's decoder framework ----
 * OpenSSL 3.0's d2i_PUBKEY/d2i_X509/EVP_PKCS82PKEY go through the provider
 * decoder framework (a context and a locked look-up per call: most of a
 * `check` of a small keystore). For the common key types these read the DER
 * themselves and hand OpenSSL the numbers (EVP_PKEY_fromdata); anything else
 * returns the "left to OpenSSL" answer and the caller takes the old path. */

/* An EVP_PKEY from a DER SubjectPublicKeyInfo (RSA, EC on a named curve,
 * Ed25519, Ed448); NULL when left to OpenSSL. */
EVP_PKEY *jks_certfacts_pkey(const uint8_t *spki, size_t len);

/* X509_verify(cert, pk) for a certificate read by jks_certfacts_read: 1
 * verifies, 0 does not, -1 left to OpenSSL (RSA-PSS, DSA, a key type that
 * does not match the signature algorithm). */
int jks_certfacts_verify(const jks_certfacts_loc *loc, EVP_PKEY *pk);

/* jks_key_info_get for RSA and EC PKCS#8 keys: 1 filled, 0 left to OpenSSL. */
int jks_certfacts_key_info(const uint8_t *pkcs8, size_t len, jks_key_info *info);

#endif
