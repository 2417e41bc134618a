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
 * *info its facts as jks_cert_facts_get gives them (no signature verified:
 * see jks_cert_self_verified and jks_cert_issued, which verify on demand). JKS_ERR_FORMAT when der is
 * no certificate (info zeroed), JKS_ERR_IO when memory runs out; *out is
 * then NULL. */
JKS_EXTERN jks_status jks_cert_decode(const uint8_t *der, size_t len, jks_cert_info *info, jks_cert **out);

/* As jks_cert_decode, but the handle keeps a pointer into der instead of a
 * copy: der must stay unchanged until jks_cert_free (a caller decoding every
 * certificate of a store it holds saves a second copy of their bytes). */
JKS_EXTERN jks_status jks_cert_decode_view(const uint8_t *der, size_t len, jks_cert_info *info,
                                           jks_cert **out);

/* 1 when issuer issued cert: issuer's subject names cert's issuer (and key
 * identifiers agree when present) and cert's signature verifies with
 * issuer's public key; else 0. */
JKS_EXTERN int jks_cert_issued(const jks_cert *cert, const jks_cert *issuer);

/* 1 when cert is self-issued and its signature verifies with its own public
 * key, else 0. Verified on the first call and cached in the handle (a handle
 * is not to be shared between threads without a lock). */
JKS_EXTERN int jks_cert_self_verified(jks_cert *cert);

/* jks_cert_self_verified with a third answer: 1 the signature verifies with
 * the certificate's own key, 0 it does not, -1 this build cannot tell (the
 * OpenSSL it runs on knows neither the key nor the signature algorithm, e.g.
 * ML-DSA certificates made by Java 24 and later with OpenSSL before 3.5).
 * Cached as jks_cert_self_verified. */
JKS_EXTERN int jks_cert_self_signature(jks_cert *cert);

/* The DN of a DER-encoded Name (an X.509 Name SEQUENCE, e.g. a directory
 * name inside an extension) as Java's X500Name.toString() writes it
 * (keytool's text: CN=a, O="b, c", OID.2.5.4.97=x, multi-valued RDNs joined
 * by " + ", non-string values as #hex), into out (cap bytes, always terminated). Returns 0, -1 when der is no Name
 * (out is then empty). */
JKS_EXTERN int jks_name_der_string(const uint8_t *der, size_t len, char *out, size_t cap);

/* How a JDK judges an algorithm with its default security properties:
 * JKS_STRENGTH_DISABLED when jdk.certpath.disabledAlgorithms rejects it,
 * JKS_STRENGTH_WEAK when only jdk.security.legacyAlgorithms names it (keytool's
 * "(disabled)" and "(weak)" markers and warnings), else JKS_STRENGTH_OK. */
typedef enum { JKS_STRENGTH_OK = 0, JKS_STRENGTH_WEAK = 1, JKS_STRENGTH_DISABLED = 2 } jks_strength;

/* The JDK whose java.security defaults judge (JDK 17 and 21: disabled MD2,
 * MD5, RSA/DSA keys < 1024 bits, EC keys < 224 bits; legacy SHA1, RSA/DSA
 * keys < 2048 bits. JDK 25 adds DES, DESede, MD5, RC2 and ARCFOUR to the
 * legacy list). Any other number is taken as 17. */
#define JKS_JDK_17 17
#define JKS_JDK_25 25

/* A signature or other algorithm by its Java name ("SHA1withRSA",
 * "MD5withRSA", "SHA256withECDSA", "DESede", "HmacSHA1"...), decomposed as
 * the JDK does (on "with", "and", "/"; SHA-1 = SHA1). NULL is OK. */
JKS_EXTERN jks_strength jks_algorithm_strength(const char *java_name, int jdk);

/* A public or secret key by its Java algorithm ("RSA", "RSASSA-PSS", "DSA",
 * "EC", "Ed25519", "AES", ...) and size in bits. */
JKS_EXTERN jks_strength jks_key_strength(const char *key_algorithm, int bits, int jdk);

/* Both judgements for a DER certificate: its signature algorithm (*sig) and
 * its public key (*key). JKS_ERR_FORMAT when der is no certificate (both
 * then JKS_STRENGTH_OK). Either pointer may be NULL. */
JKS_EXTERN jks_status jks_cert_strength(const uint8_t *der, size_t len, int jdk, jks_strength *sig,
                                        jks_strength *key);

/* Free a handle. NULL is accepted. */
JKS_EXTERN void jks_cert_free(jks_cert *c);

#ifdef __cplusplus
}
#endif
#endif
