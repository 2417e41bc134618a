/* bench/mkstore: build large JKS stores for `make bench` without keytool
 * (2,000 or 100,000 trusted certificates would take keytool hours).
 *   usage: mkstore OUT.jks COUNT CERT_BYTES PASSWORD
 * Every certificate is a distinct EC P-256 self-signed certificate padded
 * with a comment extension to about CERT_BYTES bytes. */
#include "jks/jks.h"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: mkstore OUT.jks COUNT CERT_BYTES PASSWORD\n");
        return 2;
    }
    long count = atol(argv[2]), pad = atol(argv[3]);
    EVP_PKEY *k = EVP_EC_gen("P-256");
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    jks_error err;
    char *comment = malloc((size_t)(pad > 400 ? pad - 400 : 1) + 1);
    memset(comment, 'x', (size_t)(pad > 400 ? pad - 400 : 1));
    comment[pad > 400 ? pad - 400 : 1] = 0;
    for (long i = 0; i < count; i++) {
        X509 *x = X509_new();
        char cn[64], alias[64];
        snprintf(cn, sizeof(cn), "Bench CA %ld", i);
        snprintf(alias, sizeof(alias), "bench-%06ld", i);
        X509_set_version(x, 2);
        ASN1_INTEGER_set(X509_get_serialNumber(x), i + 1);
        X509_gmtime_adj(X509_getm_notBefore(x), 0);
        X509_gmtime_adj(X509_getm_notAfter(x), 3650L * 86400);
        X509_NAME *n = X509_get_subject_name(x);
        X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (unsigned char *)cn, -1, -1, 0);
        X509_set_issuer_name(x, n);
        X509_set_pubkey(x, k);
        X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, NULL, NID_netscape_comment, comment);
        X509_add_ext(x, ext, -1);
        X509_EXTENSION_free(ext);
        X509_sign(x, k, EVP_sha256());
        unsigned char *der = NULL;
        int dl = i2d_X509(x, &der);
        if (dl <= 0 || jks_store_add_trusted_cert(st, alias, 1700000000000LL + i, der, (size_t)dl, &err)) {
            fprintf(stderr, "mkstore: failed at %ld\n", i);
            return 1;
        }
        OPENSSL_free(der);
        X509_free(x);
    }
    jks_write_opts wo = {.format = JKS_FORMAT_JKS, .storepass = argv[4]};
    uint8_t *out;
    size_t n;
    if (jks_store_write(st, &wo, &out, &n, &err) ||
        jks_file_write_atomic(argv[1], out, n, 0644, 1, &err)) {
        fprintf(stderr, "mkstore: %s\n", err.msg);
        return 1;
    }
    jks_buffer_free(out, n);
    jks_store_free(st);
    EVP_PKEY_free(k);
    free(comment);
    return 0;
}
