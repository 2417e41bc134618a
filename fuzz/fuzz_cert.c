/* Fuzz target: the certificate fact reader (cert/certfacts.c). Input: one
 * DER certificate (no prefix). Runs the public paths (jks_cert_facts_get,
 * jks_cert_info_get, a jks_cert handle with lazy self-verification) and, as
 * a differential oracle, aborts when the DER reader takes a certificate
 * that OpenSSL's d2i_X509 refuses or reads any fact differently from
 * OpenSSL's X509 view (key facts only where OpenSSL decoded the key: the
 * reader does not check that an EC point lies on its curve). */
#include "fuzz_common.h"

#include "cert.h"
#include "certfacts.h"
#include "jks/certificate.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#define SAME_S(f)                                                                                 \
    if (strcmp(a.f, o.f)) {                                                                       \
        fprintf(stderr, "fuzz_cert: %s differs: ours \"%s\" openssl \"%s\"\n", #f, a.f, o.f);     \
        abort();                                                                                  \
    }
#define SAME_I(f)                                                                                 \
    if ((long long)a.f != (long long)o.f) {                                                       \
        fprintf(stderr, "fuzz_cert: %s differs: ours %lld openssl %lld\n", #f, (long long)a.f,    \
                (long long)o.f);                                                                  \
        abort();                                                                                  \
    }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    jks_cert_info a, o, full;
    jks_certfacts_loc loc;
    jks_cert *h = NULL;
    (void)jks_cert_facts_get(data, size, &full);
    (void)jks_cert_info_get(data, size, &full);
    if (jks_cert_decode(data, size, &full, &h) == JKS_OK) {
        (void)jks_cert_self_verified(h);
        (void)jks_cert_issued(h, h);
    }
    jks_cert_free(h);

    if (!jks_certfacts_read(data, size, 0, &a, &loc))
        return 0;
    const unsigned char *p = data;
    X509 *x = size <= 0x7fffffff ? d2i_X509(NULL, &p, (long)size) : NULL;
    if (!x) {
        fprintf(stderr, "fuzz_cert: the DER reader took a certificate d2i_X509 refuses\n");
        abort();
    }
    jks_cert_info_x509(x, data, size, &o);
    int key_ok = X509_get0_pubkey(x) != NULL;
    X509_free(x);
    ERR_clear_error();
    SAME_S(sha256) SAME_S(sha1) SAME_S(subject) SAME_S(issuer) SAME_S(serial)
    SAME_I(not_before) SAME_I(not_after) SAME_S(sig_algorithm) SAME_S(md_name)
    SAME_I(is_ca) SAME_I(has_eku) SAME_I(eku_client_auth) SAME_I(eku_server_auth)
    SAME_I(version) SAME_I(has_basic_constraints) SAME_I(basic_ca) SAME_I(path_len)
    SAME_I(has_key_usage) SAME_I(key_usage) SAME_S(ski) SAME_S(aki) SAME_S(eku) SAME_S(san)
    if (loc.names_maybe_equal) { /* the public path asks OpenSSL: must agree */
        jks_cert_info pub;
        if (jks_cert_facts_get(data, size, &pub) != JKS_OK || pub.self_issued != o.self_issued) {
            fprintf(stderr, "fuzz_cert: self_issued differs on the public path\n");
            abort();
        }
    } else {
        SAME_I(self_issued)
    }
    if (loc.key_known && key_ok) {
        SAME_S(key_algorithm) SAME_I(key_bits) SAME_S(spki_sha256) SAME_S(key_curve)
    }
    return 0;
}
