/* Certificate and key facts for listings and checks, via OpenSSL X.509. */
#include "digest.h"
#include "cert.h"
#include "jks/certificate.h"

#include <limits.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void hex(const uint8_t *d, size_t n, char *out)
{
    static const char h[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = h[d[i] >> 4];
        out[2 * i + 1] = h[d[i] & 15];
    }
    out[2 * n] = 0;
}

void jks_sha256_hex(const uint8_t *data, size_t len, char out[65])
{
    uint8_t md[32];
    if (!out)
        return;
    if (!data && len) {
        out[0] = 0;
        return;
    }
    if (!jks_sha256(data, len, md)) {
        out[0] = 0;
        return;
    }
    hex(md, 32, out);
}

int jks_cert_der_shaped(jks_bytes der, jks_cursor *tbs)
{
    static const uint8_t want[3] = {0x30, 0x30, 0x03};
    jks_cursor c, cert, part;
    uint8_t tag;
    jks_cursor_init(&c, der.data, der.len);
    if (!jks_cursor_der(&c, &tag, &cert) || tag != 0x30 || jks_cursor_remaining(&c))
        return 0;
    for (int i = 0; i < 3; i++) {
        if (!jks_cursor_der(&cert, &tag, &part) || tag != want[i])
            return 0;
        if (i == 0 && tbs)
            *tbs = part;
    }
    return jks_cursor_remaining(&cert) == 0;
}

void jks_name_string(const X509_NAME *n, char *out, size_t cap)
{
    unsigned long fl = (XN_FLAG_RFC2253 & ~(ASN1_STRFLGS_ESC_MSB | XN_FLAG_SEP_MASK)) |
                       XN_FLAG_SEP_CPLUS_SPC;
    BIO *b = BIO_new(BIO_s_mem());
    out[0] = 0;
    if (!b)
        return;
    if (X509_NAME_print_ex(b, n, 0, fl) >= 0) {
        int r = BIO_read(b, out, (int)cap - 1);
        out[r > 0 ? r : 0] = 0;
    }
    BIO_free(b);
}

static int64_t asn1_time_epoch(const ASN1_TIME *t)
{
    struct tm tm;
    if (!t || !ASN1_TIME_to_tm(t, &tm))
        return 0;
    return (int64_t)timegm(&tm);
}

/* Algorithm name and size as Java reports them: for the RFC 7748/8032 curves
 * that is the field size (keytool: "255-bit Ed25519 key", "448-bit Ed448
 * key"), where OpenSSL says 256 and 456 for Ed25519 and Ed448. */
static void pkey_facts(EVP_PKEY *k, char *alg, size_t alg_cap, int *bits)
{
    const char *n;
    int b = EVP_PKEY_get_bits(k);
    switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA: n = "RSA"; break;
    case EVP_PKEY_RSA_PSS: n = "RSASSA-PSS"; break;
    case EVP_PKEY_EC: n = "EC"; break;
    case EVP_PKEY_DSA: n = "DSA"; break;
    case EVP_PKEY_ED25519: n = "Ed25519"; b = 255; break;
    case EVP_PKEY_ED448: n = "Ed448"; b = 448; break;
    case EVP_PKEY_X25519: n = "X25519"; b = 255; break;
    case EVP_PKEY_X448: n = "X448"; b = 448; break;
    case EVP_PKEY_DH: case EVP_PKEY_DHX: n = "DH"; break;
    default: n = EVP_PKEY_get0_type_name(k); if (!n) n = "unknown";
    }
    snprintf(alg, alg_cap, "%s", n);
    *bits = b;
}

static void spki_hash(EVP_PKEY *k, char out[65])
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(k, &der);
    out[0] = 0;
    if (n > 0)
        jks_sha256_hex(der, (size_t)n, out);
    OPENSSL_free(der);
}

jks_status jks_cert_info_get(const uint8_t *der, size_t len, jks_cert_info *info)
{
    if (!der || !len || !info)
        return JKS_ERR_USAGE;
    const unsigned char *p = der;
    X509 *x;
    memset(info, 0, sizeof(*info));
    if (len > LONG_MAX || !(x = d2i_X509(NULL, &p, (long)len)))
        return JKS_ERR_FORMAT;
    jks_cert_info_x509(x, der, len, info);
    X509_free(x);
    return JKS_OK;
}

void jks_cert_info_x509(X509 *x, const uint8_t *der, size_t len, jks_cert_info *info)
{
    memset(info, 0, sizeof(*info));
    jks_sha256_hex(der, len, info->sha256);
    {
        uint8_t md[20];
        if (jks_sha1(der, len, md))
            hex(md, 20, info->sha1);
    }
    jks_name_string(X509_get_subject_name(x), info->subject, sizeof(info->subject));
    jks_name_string(X509_get_issuer_name(x), info->issuer, sizeof(info->issuer));
    const ASN1_INTEGER *sn = X509_get0_serialNumber(x);
    if (sn) {
        size_t n = (size_t)sn->length < 64 ? (size_t)sn->length : 64;
        hex(sn->data, n, info->serial);
    }
    info->not_before = asn1_time_epoch(X509_get0_notBefore(x));
    info->not_after = asn1_time_epoch(X509_get0_notAfter(x));
    EVP_PKEY *k = X509_get0_pubkey(x);
    if (k) {
        pkey_facts(k, info->key_algorithm, sizeof(info->key_algorithm), &info->key_bits);
        spki_hash(k, info->spki_sha256);
    }
    int nid = X509_get_signature_nid(x), mdnid = 0, pknid = 0;
    snprintf(info->sig_algorithm, sizeof(info->sig_algorithm), "%s",
             nid ? OBJ_nid2ln(nid) : "unknown");
    if (OBJ_find_sigid_algs(nid, &mdnid, &pknid) && mdnid)
        snprintf(info->md_name, sizeof(info->md_name), "%s", OBJ_nid2sn(mdnid));
    info->self_issued = X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0;
    if (info->self_issued && k)
        info->self_signed = X509_verify(x, k) == 1;
    info->is_ca = X509_check_ca(x) > 0 && (X509_get_extension_flags(x) & EXFLAG_CA);
    uint32_t xku = X509_get_extended_key_usage(x);
    info->has_eku = (X509_get_extension_flags(x) & EXFLAG_XKUSAGE) != 0;
    info->eku_client_auth = !info->has_eku || (xku & XKU_SSL_CLIENT) || (xku & XKU_ANYEKU);
    info->eku_server_auth = !info->has_eku || (xku & XKU_SSL_SERVER) || (xku & XKU_ANYEKU);
}

jks_status jks_key_info_get(const uint8_t *pkcs8, size_t len, jks_key_info *info)
{
    if (!pkcs8 || !len || !info)
        return JKS_ERR_USAGE;
    const unsigned char *p = pkcs8;
    memset(info, 0, sizeof(*info));
    if (len > LONG_MAX)
        return JKS_ERR_FORMAT;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    if (!p8)
        return JKS_ERR_FORMAT;
    EVP_PKEY *k = EVP_PKCS82PKEY(p8);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (!k)
        return JKS_ERR_FORMAT;
    pkey_facts(k, info->algorithm, sizeof(info->algorithm), &info->bits);
    if (EVP_PKEY_get_base_id(k) == EVP_PKEY_EC) {
        size_t gl = 0;
        EVP_PKEY_get_utf8_string_param(k, "group", info->curve, sizeof(info->curve), &gl);
    }
    spki_hash(k, info->spki_sha256);
    EVP_PKEY_free(k);
    return info->spki_sha256[0] ? JKS_OK : JKS_ERR_FORMAT;
}

int jks_cert_issued_by(const uint8_t *der, size_t len, const uint8_t *issuer_der,
                       size_t issuer_len)
{
    if (!der || !len || !issuer_der || !issuer_len)
        return 0;
    const unsigned char *p = der, *q = issuer_der;
    X509 *x = d2i_X509(NULL, &p, (long)len), *y = d2i_X509(NULL, &q, (long)issuer_len);
    int ok = 0;
    if (x && y && X509_check_issued(y, x) == X509_V_OK) {
        EVP_PKEY *k = X509_get0_pubkey(y);
        ok = k && X509_verify(x, k) == 1;
    }
    X509_free(x);
    X509_free(y);
    return ok;
}

/* jks/certificate.h: the handle is the decoded OpenSSL object. */
struct jks_cert {
    X509 *x;
};

jks_status jks_cert_decode(const uint8_t *der, size_t len, jks_cert_info *info, jks_cert **out)
{
    if (!der || !len || !out)
        return JKS_ERR_USAGE;
    const unsigned char *p = der;
    X509 *x;
    *out = NULL;
    if (info)
        memset(info, 0, sizeof(*info));
    if (len > LONG_MAX || !(x = d2i_X509(NULL, &p, (long)len))) {
        ERR_clear_error();
        return JKS_ERR_FORMAT;
    }
    jks_cert *c = malloc(sizeof(*c));
    if (!c) {
        X509_free(x);
        return JKS_ERR_IO;
    }
    c->x = x;
    if (info)
        jks_cert_info_x509(x, der, len, info);
    *out = c;
    return JKS_OK;
}

int jks_cert_issued(const jks_cert *cert, const jks_cert *issuer)
{
    if (!cert || !issuer || X509_check_issued(issuer->x, cert->x) != X509_V_OK)
        return 0;
    EVP_PKEY *k = X509_get0_pubkey(issuer->x);
    return k && X509_verify(cert->x, k) == 1;
}

void jks_cert_free(jks_cert *c)
{
    if (!c)
        return;
    X509_free(c->x);
    free(c);
}
