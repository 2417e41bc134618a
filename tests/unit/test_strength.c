/* cert/strength.c: the JDK's verdicts on algorithms and keys with its
 * default java.security (what keytool marks "(weak)" and "(disabled)").
 * Expected values are keytool 17's markers on the same algorithms
 * (tests/interop/keytool_compat.sh compares the printed text). */
#include "testutil.h"

#include "jks/certificate.h"
#include "jks/ops.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

static void signature_algorithms_are_judged_as_jdk17(void)
{
    CU_ASSERT_EQUAL(jks_algorithm_strength("SHA256withRSA", JKS_JDK_17), JKS_STRENGTH_OK);
    CU_ASSERT_EQUAL(jks_algorithm_strength("SHA1withRSA", JKS_JDK_17), JKS_STRENGTH_WEAK);
    CU_ASSERT_EQUAL(jks_algorithm_strength("SHA1withECDSA", JKS_JDK_17), JKS_STRENGTH_WEAK);
    CU_ASSERT_EQUAL(jks_algorithm_strength("SHA-1", JKS_JDK_17), JKS_STRENGTH_WEAK);
    CU_ASSERT_EQUAL(jks_algorithm_strength("MD5withRSA", JKS_JDK_17), JKS_STRENGTH_DISABLED);
    CU_ASSERT_EQUAL(jks_algorithm_strength("MD2withRSA", JKS_JDK_17), JKS_STRENGTH_DISABLED);
    CU_ASSERT_EQUAL(jks_algorithm_strength("HmacSHA1", JKS_JDK_17), JKS_STRENGTH_WEAK);
    CU_ASSERT_EQUAL(jks_algorithm_strength("HmacSHA256", JKS_JDK_17), JKS_STRENGTH_OK);
    CU_ASSERT_EQUAL(jks_algorithm_strength("Ed25519", JKS_JDK_17), JKS_STRENGTH_OK);
    CU_ASSERT_EQUAL(jks_algorithm_strength("RSASSA-PSS", JKS_JDK_17), JKS_STRENGTH_OK);
    CU_ASSERT_EQUAL(jks_algorithm_strength(NULL, JKS_JDK_17), JKS_STRENGTH_OK);
    /* "and"/"with" inside a name are separators, not a substring match */
    CU_ASSERT_EQUAL(jks_algorithm_strength("SHA256withECDSAandMGF1", JKS_JDK_17), JKS_STRENGTH_OK);
    /* JDK 25's legacy list adds DES, DESede, RC2, ARCFOUR */
    CU_ASSERT_EQUAL(jks_algorithm_strength("DESede", JKS_JDK_17), JKS_STRENGTH_OK);
    CU_ASSERT_EQUAL(jks_algorithm_strength("DESede", JKS_JDK_25), JKS_STRENGTH_WEAK);
    CU_ASSERT_EQUAL(jks_algorithm_strength("AES", JKS_JDK_25), JKS_STRENGTH_OK);
}

static void key_sizes_are_judged_as_jdk17(void)
{
    CU_ASSERT_EQUAL(jks_key_strength("RSA", 512, JKS_JDK_17), JKS_STRENGTH_DISABLED);
    CU_ASSERT_EQUAL(jks_key_strength("RSA", 1024, JKS_JDK_17), JKS_STRENGTH_WEAK);
    CU_ASSERT_EQUAL(jks_key_strength("RSA", 2048, JKS_JDK_17), JKS_STRENGTH_OK);
    CU_ASSERT_EQUAL(jks_key_strength("DSA", 1024, JKS_JDK_17), JKS_STRENGTH_WEAK);
    CU_ASSERT_EQUAL(jks_key_strength("EC", 192, JKS_JDK_17), JKS_STRENGTH_DISABLED);
    CU_ASSERT_EQUAL(jks_key_strength("EC", 224, JKS_JDK_17), JKS_STRENGTH_OK);
    CU_ASSERT_EQUAL(jks_key_strength("Ed25519", 255, JKS_JDK_17), JKS_STRENGTH_OK);
    /* keytool 17 marks no 1024-bit RSASSA-PSS key */
    CU_ASSERT_EQUAL(jks_key_strength("RSASSA-PSS", 1024, JKS_JDK_17), JKS_STRENGTH_OK);
}

/* a self-signed certificate with the given key and digest */
static unsigned char *make_cert(EVP_PKEY *k, const EVP_MD *md, int *len)
{
    X509 *x = X509_new();
    unsigned char *der = NULL;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               (const unsigned char *)"t", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400);
    X509_set_pubkey(x, k);
    X509_sign(x, k, md);
    *len = i2d_X509(x, &der);
    X509_free(x);
    return der;
}

static void certificates_are_judged_by_digest_and_key(void)
{
    EVP_PKEY *small = EVP_RSA_gen(1024), *big = EVP_RSA_gen(2048);
    jks_strength s, k;
    int len;
    unsigned char *der = make_cert(small, EVP_sha1(), &len);
    CU_ASSERT_EQUAL(jks_cert_strength(der, (size_t)len, JKS_JDK_17, &s, &k), JKS_OK);
    CU_ASSERT_EQUAL(s, JKS_STRENGTH_WEAK);
    CU_ASSERT_EQUAL(k, JKS_STRENGTH_WEAK);
    OPENSSL_free(der);
    der = make_cert(big, EVP_sha256(), &len);
    CU_ASSERT_EQUAL(jks_cert_strength(der, (size_t)len, JKS_JDK_17, &s, &k), JKS_OK);
    CU_ASSERT_EQUAL(s, JKS_STRENGTH_OK);
    CU_ASSERT_EQUAL(k, JKS_STRENGTH_OK);
    OPENSSL_free(der);
    CU_ASSERT_EQUAL(jks_cert_strength((const uint8_t *)"\x30\x00", 2, JKS_JDK_17, &s, NULL),
                    JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(s, JKS_STRENGTH_OK);
    EVP_PKEY_free(small);
    EVP_PKEY_free(big);
}

/* The lists keytool -showinfo -tls of JDK 17 and 25 prints (ops/jdkprofile.c):
 * protocols, suites in Java's order, the renegotiation SCSV last. */
static void jdk_profiles_hold_keytool_showinfo_lists(void)
{
    const jks_jdk_profile *p17 = jks_jdk_profile_get(17), *p25 = jks_jdk_profile_get(25);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p17);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p25);
    CU_ASSERT_EQUAL(p17->n_protocols, 2);
    CU_ASSERT_STRING_EQUAL(p17->protocols[0], "TLSv1.3");
    CU_ASSERT_STRING_EQUAL(p17->protocols[1], "TLSv1.2");
    CU_ASSERT_EQUAL(p17->n_cipher_suites, 36);
    CU_ASSERT_STRING_EQUAL(p17->cipher_suites[0], "TLS_AES_256_GCM_SHA384");
    CU_ASSERT_STRING_EQUAL(p17->cipher_suites[35], "TLS_RSA_WITH_AES_128_CBC_SHA");
    CU_ASSERT_TRUE(p17->renegotiation_scsv);
    CU_ASSERT_EQUAL(p25->n_cipher_suites, 30);
    CU_ASSERT_EQUAL(p25->n_protocols, 2);
    CU_ASSERT_TRUE(p25->renegotiation_scsv);
    CU_ASSERT_PTR_NULL(jks_jdk_profile_get(11));
}

int main(void)
{
    static const test_case cases[] = {
        {"signature algorithms are judged as JDK 17", signature_algorithms_are_judged_as_jdk17},
        {"key sizes are judged as JDK 17", key_sizes_are_judged_as_jdk17},
        {"certificates are judged by digest and key", certificates_are_judged_by_digest_and_key},
        {"JDK profiles hold keytool -showinfo's lists", jdk_profiles_hold_keytool_showinfo_lists},
    };
    return run_suite("strength", cases, sizeof(cases) / sizeof(cases[0]));
}
