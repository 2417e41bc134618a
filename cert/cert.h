/* Layer "cert": certificate internals shared by the layers above it (the
 * public facts API is in include/jks.h). */
#ifndef JKS_CERT_H
#define JKS_CERT_H

#include "store.h"

/* Certificate ::= SEQUENCE { SEQUENCE, SEQUENCE, BIT STRING } exactly filling
 * der: the shape of an X.509 certificate, without decoding it. *tbs (may be
 * NULL) gets a view of the TBSCertificate's contents. */
int jks_cert_der_shaped(jks_bytes der, jks_cursor *tbs);
/* jks_cert_info_get from an already decoded certificate (der/len are its
 * bytes, for the fingerprints); lets the validator decode each certificate
 * once. x is borrowed. */
typedef struct x509_st X509;
void jks_cert_info_x509(X509 *x, const uint8_t *der, size_t len, jks_cert_info *info);
/* A Name as keytool prints it: RFC 2253 order, ", " between RDNs, UTF-8 kept. */
typedef struct X509_name_st X509_NAME;
void jks_name_string(const X509_NAME *n, char *out, size_t cap);

/* The subject's last CN (else OU, else O) of certificate der as UTF-8
 * (malloc'd), or NULL when it has none or it holds control characters: the
 * base of an alias made for a certificate (PEM reading, CA bundles). */
char *jks_cert_name_base(jks_bytes der);

/* 1 when der is not one whole X.509 certificate OpenSSL decodes or, with
 * verify, is self-issued and its signature fails: after an integrity-check
 * mismatch such bytes make the file corrupt (a wrong password leaves every
 * certificate intact). */
int jks_cert_der_broken(jks_bytes der, int verify);

/* A certificate for the key of PKCS#10 request csr (DER, or PEM as keytool
 * reads it: the base64 between a "-----BEGIN ...REQUEST" line and its END
 * line) signed with ca_pkcs8, whose certificate ca_cert gives the issuer
 * name and the AuthorityKeyIdentifier (its SubjectKeyIdentifier, else the
 * SHA-1 of its key), as keytool -gencert makes it (x509gen.c). The request's
 * signature must verify (JKS_ERR_FORMAT). p: subject p->dname (NULL: the
 * request's), p->sigalg (NULL: the CA key's default), validity, p->exts in
 * -ext syntax plus keytool's "honored=all,-name,name:critical" that copies
 * requested extensions. *der gets the DER (free with jks_free). */
jks_status jks_cert_issue(jks_bytes ca_pkcs8, jks_bytes ca_cert, jks_bytes csr,
                          const jks_gen_params *p, uint8_t **der, size_t *der_len,
                          jks_error *err);

#endif
