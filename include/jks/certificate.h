/* libjks: a certificate decoded once, for callers that ask several questions
 * of the same certificate (its facts, who issued it): the validator decodes
 * each distinct certificate of a store once per run with it. */
#ifndef JKS_CERTIFICATE_H
#define JKS_CERTIFICATE_H

#include "jks.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct jks_cert jks_cert;

/* Decode a DER certificate. On success *out receives a new handle (free with
 * jks_cert_free; it keeps no pointer into der) and, when info is not NULL,
 * *info its facts as jks_cert_info_get gives them. JKS_ERR_FORMAT when der is
 * no certificate (info zeroed), JKS_ERR_IO when memory runs out; *out is
 * then NULL. */
JKS_EXPORT jks_status jks_cert_decode(const uint8_t *der, size_t len, jks_cert_info *info, jks_cert **out);

/* 1 when issuer issued cert: issuer's subject names cert's issuer (and key
 * identifiers agree when present) and cert's signature verifies with
 * issuer's public key; else 0. */
JKS_EXPORT int jks_cert_issued(const jks_cert *cert, const jks_cert *issuer);

/* Free a handle. NULL is accepted. */
JKS_EXPORT void jks_cert_free(jks_cert *c);

#ifdef __cplusplus
}
#endif
#endif
