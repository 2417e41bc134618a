/* The key-derivation work budget of one read (issue 19): every derivation a
 * read performs with a password (MAC, encrypted safe, each key tried with
 * each password) is charged to the store in units of one PBKDF2-HMAC-SHA256
 * iteration, weighted by the PRF and the output length; beyond the budget
 * (jks_read_opts.max_work, default JKS_DEFAULT_MAX_WORK) the read fails. */
#ifndef JKS_WORK_H
#define JKS_WORK_H

#include "store.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

/* PBKDF2 (or a hash-iterating KDF) with md: iter per output block of md,
 * weighted 2 for 384/512-bit digests. Saturates at UINT64_MAX. */
uint64_t jks_kdf_work(const EVP_MD *md, uint64_t iter, size_t out_len);
/* The work of an OpenSSL PBE AlgorithmIdentifier (PBES2/PBKDF2, PKCS#12 and
 * PKCS#5 v1 PBEs): 0 when it cannot tell (the iteration cap still holds). */
uint64_t jks_algor_work(const X509_ALGOR *alg);
/* Charge units to st; JKS_ERR_FORMAT (and st->work_over set) beyond the
 * budget, before any of that work is done. st NULL charges nothing. */
jks_status jks_work_charge(jks_store *st, uint64_t units, jks_error *err);
/* The failure jks_work_charge reports, for a caller that finds st->work_over. */
jks_status jks_work_fail(const jks_store *st, jks_error *err);

#endif
