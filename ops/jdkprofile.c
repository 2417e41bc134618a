/* The TLS defaults of a JDK release as its client applies them (issue 14
 * item 2): conf/security/java.security's jdk.tls.disabledAlgorithms and
 * jdk.certpath.disabledAlgorithms as shipped, and the cipher suites
 * SSLContext.getDefault() enables. Read from the installed JDK 17.0 and
 * Temurin 25 (getDefaultSSLParameters().getCipherSuites()); JDK 21 ships
 * JDK 17's lists (TLS_RSA_* went with JDK 24, JDK-8245545; the SHA-1
 * handshake signatures with JDK 25). The enabled protocols and the
 * renegotiation SCSV are those keytool -showinfo -tls of JDK 17 and 25 lists. */
#include "jks/ops.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SUITES_ECDHE_DHE                                                                         \
    "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",          \
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",    \
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", \
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",  \
        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",      \
        "TLS_DHE_DSS_WITH_AES_256_GCM_SHA384", "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",            \
        "TLS_DHE_DSS_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",        \
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",      \
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",          \
        "TLS_DHE_DSS_WITH_AES_256_CBC_SHA256", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",            \
        "TLS_DHE_DSS_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",           \
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",            \
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",                \
        "TLS_DHE_DSS_WITH_AES_256_CBC_SHA", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",                  \
        "TLS_DHE_DSS_WITH_AES_128_CBC_SHA"

static const char *const suites17[] = {
    SUITES_ECDHE_DHE,
    "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256",
    "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
};
static const char *const suites25[] = {SUITES_ECDHE_DHE};
static const char *const protocols[] = {"TLSv1.3", "TLSv1.2"};

#define CERTPATH_17                                                                               \
    "MD2, MD5, SHA1 jdkCA & usage TLSServer, RSA keySize < 1024, DSA keySize < 1024, "            \
    "EC keySize < 224, SHA1 usage SignedJAR & denyAfter 2019-01-01"
#define TLS_17                                                                                    \
    "SSLv3, TLSv1, TLSv1.1, DTLSv1.0, RC4, DES, MD5withRSA, DH keySize < 1024, EC keySize < 224, " \
    "3DES_EDE_CBC, anon, NULL, ECDH"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const jks_jdk_profile profiles[] = {
    {17, TLS_17, CERTPATH_17, suites17, N(suites17), 1024, 1024, 224, 1024, 1, protocols,
     N(protocols), 1},
    {21, TLS_17, CERTPATH_17, suites17, N(suites17), 1024, 1024, 224, 1024, 1, protocols,
     N(protocols), 1},
    {25,
     TLS_17 ", TLS_RSA_*, rsa_pkcs1_sha1 usage HandshakeSignature, ecdsa_sha1 usage "
            "HandshakeSignature, dsa_sha1 usage HandshakeSignature",
     CERTPATH_17, suites25, N(suites25), 1024, 1024, 224, 1024, 0, protocols, N(protocols), 1},
};

const jks_jdk_profile *jks_jdk_profile_get(int version)
{
    for (size_t i = 0; i < N(profiles); i++)
        if (profiles[i].version == version)
            return &profiles[i];
    return NULL;
}

int jks_jdk_cert_disabled(const jks_jdk_profile *p, const uint8_t *der, size_t len,
                          int jdk_ca_anchored, char *why, size_t cap)
{
    jks_cert_info ci;
    if (cap)
        why[0] = 0;
    if (!p || jks_cert_facts_get(der, len, &ci) != JKS_OK)
        return 0;
    const char *alg = ci.key_algorithm;
    int min = !strcmp(alg, "RSA") || !strcmp(alg, "RSASSA-PSS") ? p->rsa_min_bits
              : !strcmp(alg, "DSA")                            ? p->dsa_min_bits
              : !strcmp(alg, "EC")                             ? p->ec_min_bits
                                                               : 0;
    if (min && ci.key_bits > 0 && ci.key_bits < min) {
        snprintf(why, cap, "%s keySize < %d (the key has %d bits)", alg, min, ci.key_bits);
        return 1;
    }
    /* the issuer's signature: MD2, MD5 always; SHA1 when the chain ends at a
     * root of the JDK's own cacerts (jdkCA) in a server chain */
    if (ci.self_issued)
        return 0; /* an anchor's own signature is not checked */
    if (!strcasecmp(ci.md_name, "md2") || !strcasecmp(ci.md_name, "md5")) {
        snprintf(why, cap, "%s (signature %s)", !strcasecmp(ci.md_name, "md2") ? "MD2" : "MD5",
                 ci.sig_algorithm);
        return 1;
    }
    if (!strcasecmp(ci.md_name, "sha1") && jdk_ca_anchored) {
        snprintf(why, cap, "SHA1 jdkCA & usage TLSServer (signature %s)", ci.sig_algorithm);
        return 1;
    }
    return 0;
}
