/* Layer "cert": THE chain builder and THE key pairing over a pool of
 * candidate certificates decoded once (cert/chain.c, cert/pair.c). The PEM and
 * PKCS#12 readers and the operations layer use these; the public one-shot
 * wrappers are jks_chain_build and jks_key_find_cert (include/jks/ops.h). */
#ifndef JKS_CERT_CHAIN_H
#define JKS_CERT_CHAIN_H

#include "store.h"

/* Candidate certificates, each decoded once, indexed by subject name. */
typedef struct jks_cert_pool jks_cert_pool;

/* A pool over certs[0..n). The views are borrowed: their bytes must outlive
 * the pool. Certificates that do not decode are kept (indexes stay those of
 * certs) but never picked. NULL when out of memory. */
jks_cert_pool *jks_cert_pool_new(const jks_bytes *certs, size_t n);
void jks_cert_pool_free(jks_cert_pool *p);
size_t jks_cert_pool_size(const jks_cert_pool *p);
/* Certificate i decoded (borrowed; NULL when it did not decode). */
struct x509_st *jks_cert_pool_x509(const jks_cert_pool *p, size_t i);

/* The issuers of leaf (DER), in order: out[0] issued leaf, out[1] issued
 * out[0], ... at most cap of them; returns how many. A candidate issues the
 * current certificate when its subject is the current issuer name, its key
 * identifiers do not contradict the current authority key identifier, and its
 * public key verifies the current signature. A pool certificate byte-equal to
 * one already in the chain (leaf included) is never picked again, so the
 * chain has no loop and stops at a self-signed root. rank (NULL: all equal)
 * gives each candidate a preference: negative = never picked, higher
 * preferred; among equals the lowest index wins. A leaf that does not decode
 * has no issuers (0). */
size_t jks_cert_pool_chain(const jks_cert_pool *p, jks_bytes leaf, const int *rank, size_t *out,
                           size_t cap);

/* As jks_cert_pool_chain, the way Java's PKCS12KeyStore links a key's chain
 * on load: the chain ends at a self-issued certificate (subject = issuer
 * name), and when no same-name candidate's key verifies the signature, the
 * best-ranked one by name is taken all the same (Java compares names only;
 * among several it is the verifying one that matches what Java finds). */
size_t jks_cert_pool_chain_java(const jks_cert_pool *p, jks_bytes leaf, const int *rank,
                                size_t *out, size_t cap);

#endif
