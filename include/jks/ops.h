/* libjks operations: what keytool does to a keystore beyond reading and
 * writing it (chain building, key pairing, CA replies, merging, renaming,
 * passwords, exports), as library calls. Same conventions as jks.h: nothing
 * is printed, each call returns a jks_status and fills a caller-provided
 * jks_error; memory returned is freed with the function named. */
#ifndef JKS_OPS_H
#define JKS_OPS_H

#include "jks/jks.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Order the issuers of the certificate leaf (DER) from the candidate
 * certificates pool[0..n): writes the pool index of leaf's issuer to
 * picked[0], of that one's issuer to picked[1], ..., at most cap indexes,
 * and their number to *n_picked. A candidate is an issuer when its subject is
 * the issuer name, its key identifiers agree and its key verifies the
 * signature; no certificate is used twice and the chain ends at a
 * self-signed root or where no issuer is found (not an error). Validity
 * dates are not looked at. The pool is borrowed. Returns JKS_OK, or
 * JKS_ERR_IO when out of memory. */
jks_status jks_chain_build(const uint8_t *leaf, size_t leaf_len, const jks_bytes *pool, size_t n,
                           size_t *picked, size_t cap, size_t *n_picked, jks_error *err);

/* The index in certs[0..n) of the first certificate whose public key is the
 * public half of the private key pkcs8 (a PKCS#8 PrivateKeyInfo), or -1 when
 * none is (or the key or no certificate decodes). Compares public keys; signs
 * nothing. Everything is borrowed. */
long jks_key_find_cert(const uint8_t *pkcs8, size_t len, const jks_bytes *certs, size_t n);

#ifdef __cplusplus
}
#endif

#endif
