/* Layer "cert": THE key pairing: which certificate holds the public key of a
 * private key (cert/pair.c). By public key comparison only: nothing signs. */
#ifndef JKS_CERT_PAIR_H
#define JKS_CERT_PAIR_H

#include "chain.h"

/* The index in p of the certificate whose public key is the public half of
 * the PKCS#8 PrivateKeyInfo pkcs8; rank as for jks_cert_pool_chain (NULL: all
 * equal; negative: never; higher preferred; among equals the lowest index).
 * -1 when none matches or the key does not decode. */
long jks_cert_pool_find_key(const jks_cert_pool *p, const uint8_t *pkcs8, size_t len,
                            const int *rank);

/* The same for the public key of a certificate (DER): the index of the first
 * best-ranked certificate of p with that public key, -1 when none. */
long jks_cert_pool_find_cert_key(const jks_cert_pool *p, const uint8_t *cert, size_t len,
                                 const int *rank);

#endif
