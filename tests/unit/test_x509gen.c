/* x509gen: key generation, self-signed certificates and PKCS#10 requests as
 * keytool 17 makes them. Expected subject bytes below were produced by
 * keytool 17 -genkeypair -dname with the same strings. */
#include "testutil.h"

#include "jks/jks.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint8_t *g_ec, *g_rsa, *g_ed;
static size_t g_ec_len, g_rsa_len, g_ed_len;

static void unhex(const char *h, uint8_t *out, size_t *n)
{
    *n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[(*n)++] = (uint8_t)v;
    }
}

static X509 *make_cert(const uint8_t *key, size_t key_len, const char *dname,
                       const char *const *exts, size_t n_exts, const char *sigalg)
{
    jks_gen_params p;
    jks_error err;
    uint8_t *der = NULL;
    size_t len = 0;
    memset(&p, 0, sizeof(p));
    p.dname = dname;
    p.exts = exts;
    p.n_exts = n_exts;
    p.sigalg = sigalg;
    jks_error_clear(&err);
    if (jks_cert_self_signed(key, key_len, &p, &der, &len, &err) != JKS_OK) {
        fprintf(stderr, "cert: %s\n", err.msg);
        return NULL;
    }
    const unsigned char *q = der;
    X509 *x = d2i_X509(NULL, &q, (long)len);
    CU_ASSERT_PTR_NOT_NULL(x);
    CU_ASSERT(q == der + len);
    jks_buffer_free(der, len);
    return x;
}

static void keys_are_generated_with_keytool_default_sizes(void)
{
    jks_error err;
    jks_key_info ki;
    CU_ASSERT_EQUAL_FATAL(jks_key_generate("RSA", 0, &g_rsa, &g_rsa_len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_key_info_get(g_rsa, g_rsa_len, &ki), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ki.algorithm, "RSA");
    CU_ASSERT_EQUAL(ki.bits, 2048);
    CU_ASSERT_EQUAL_FATAL(jks_key_generate("ec", 0, &g_ec, &g_ec_len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_key_info_get(g_ec, g_ec_len, &ki), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ki.algorithm, "EC");
    CU_ASSERT_EQUAL(ki.bits, 256);
    CU_ASSERT_EQUAL_FATAL(jks_key_generate("EdDSA", 0, &g_ed, &g_ed_len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_key_info_get(g_ed, g_ed_len, &ki), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ki.algorithm, "EdDSA"); /* Java's Key.getAlgorithm */
    CU_ASSERT_STRING_EQUAL(ki.curve, "Ed25519");

    uint8_t *k;
    size_t kl;
    CU_ASSERT_EQUAL_FATAL(jks_key_generate("EC", 384, &k, &kl, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_key_info_get(k, kl, &ki), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ki.curve, "secp384r1");
    char alg[64];
    CU_ASSERT_EQUAL(jks_sigalg_default(k, kl, alg, sizeof(alg), &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(alg, "SHA384withECDSA");
    jks_buffer_free(k, kl);
    CU_ASSERT_EQUAL(jks_sigalg_default(g_rsa, g_rsa_len, alg, sizeof(alg), &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(alg, "SHA256withRSA");
    CU_ASSERT_EQUAL(jks_sigalg_default(g_ec, g_ec_len, alg, sizeof(alg), &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(alg, "SHA256withECDSA");
    CU_ASSERT_EQUAL(jks_sigalg_default(g_ed, g_ed_len, alg, sizeof(alg), &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(alg, "Ed25519");
}

static void bad_key_requests_are_usage_errors(void)
{
    jks_error err;
    uint8_t *k = NULL;
    size_t kl = 0;
    CU_ASSERT_EQUAL(jks_key_generate("EC", 255, &k, &kl, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_key_generate("RSA", 256, &k, &kl, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_key_generate("RSASSA-PSS", 511, &k, &kl, &err), JKS_ERR_USAGE);
    /* Java's DSA sizes: 512..1024 in steps of 64, 2048, 3072 */
    CU_ASSERT_EQUAL(jks_key_generate("DSA", 4096, &k, &kl, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.msg, "Invalid DSA Prime Size: 4096");
    CU_ASSERT_EQUAL(jks_key_generate("DSA", 1000, &k, &kl, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_key_generate("Ed25519", 256, &k, &kl, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_key_generate("ElGamal", 0, &k, &kl, &err), JKS_ERR_USAGE);
    CU_ASSERT_PTR_NULL(k);
}

static EVP_PKEY *pub_of(X509 *x) { return X509_get0_pubkey(x); }

static void certificate_is_self_signed_v3_with_random_serial(void)
{
    X509 *a = make_cert(g_rsa, g_rsa_len, "CN=a", NULL, 0, NULL);
    X509 *b = make_cert(g_rsa, g_rsa_len, "CN=a", NULL, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_EQUAL(X509_get_version(a), 2);
    CU_ASSERT_EQUAL(X509_verify(a, pub_of(a)), 1);
    CU_ASSERT_EQUAL(X509_NAME_cmp(X509_get_subject_name(a), X509_get_issuer_name(a)), 0);
    CU_ASSERT_EQUAL(X509_get_signature_nid(a), NID_sha256WithRSAEncryption);
    const ASN1_INTEGER *sa = X509_get0_serialNumber(a), *sb = X509_get0_serialNumber(b);
    BIGNUM *bn = ASN1_INTEGER_to_BN(sa, NULL);
    CU_ASSERT(!BN_is_negative(bn) && !BN_is_zero(bn) && BN_num_bits(bn) <= 64);
    BN_free(bn);
    CU_ASSERT_NOT_EQUAL(ASN1_INTEGER_cmp(sa, sb), 0);
    /* the key in the certificate is the generated key */
    jks_key_info ki;
    CU_ASSERT_EQUAL(jks_key_info_get(g_rsa, g_rsa_len, &ki), JKS_OK);
    unsigned char *spki = NULL;
    int sl = i2d_PUBKEY(pub_of(a), &spki);
    char hex[65];
    jks_sha256_hex(spki, (size_t)sl, hex);
    CU_ASSERT_STRING_EQUAL(hex, ki.spki_sha256);
    OPENSSL_free(spki);
    /* default validity: 90 days from now */
    int days = 0, secs = 0;
    CU_ASSERT(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(a), X509_get0_notAfter(a)));
    CU_ASSERT_EQUAL(days, 90);
    CU_ASSERT_EQUAL(secs, 0);
    X509_free(a);
    X509_free(b);

    X509 *e = make_cert(g_ec, g_ec_len, "CN=e", NULL, 0, NULL);
    CU_ASSERT_EQUAL(X509_verify(e, pub_of(e)), 1);
    CU_ASSERT_EQUAL(X509_get_signature_nid(e), NID_ecdsa_with_SHA256);
    X509_free(e);
    X509 *d = make_cert(g_ed, g_ed_len, "CN=d", NULL, 0, NULL);
    CU_ASSERT_EQUAL(X509_verify(d, pub_of(d)), 1);
    CU_ASSERT_EQUAL(X509_get_signature_nid(d), NID_ED25519);
    X509_free(d);
    X509 *s = make_cert(g_ec, g_ec_len, "CN=e", NULL, 0, "SHA512withECDSA");
    CU_ASSERT_EQUAL(X509_get_signature_nid(s), NID_ecdsa_with_SHA512);
    CU_ASSERT_EQUAL(X509_verify(s, pub_of(s)), 1);
    X509_free(s);
}

static void validity_starts_at_not_before(void)
{
    jks_gen_params p;
    jks_error err;
    uint8_t *der;
    size_t len;
    memset(&p, 0, sizeof(p));
    p.dname = "CN=v";
    p.validity_days = 825;
    p.not_before = 1700000000; /* 2023-11-14T22:13:20Z */
    CU_ASSERT_EQUAL_FATAL(jks_cert_self_signed(g_ec, g_ec_len, &p, &der, &len, &err), JKS_OK);
    jks_cert_info ci;
    CU_ASSERT_EQUAL(jks_cert_info_get(der, len, &ci), JKS_OK);
    CU_ASSERT_EQUAL(ci.not_before, 1700000000);
    CU_ASSERT_EQUAL(ci.not_after, 1700000000 + 825LL * 86400);
    CU_ASSERT(ci.self_signed);
    CU_ASSERT_FALSE(ci.is_ca);
    jks_buffer_free(der, len);
}

/* keytool 17 -dname strings and the Name bytes it encoded for them. */
static const struct {
    const char *dname, *der_hex;
} dn_vectors[] = {
    {"CN=client.example, OU=Dev+L=Here, O=Acme Inc, C=US, EMAILADDRESS=a@b.c, DC=example",
     "30818331173015060a0992268993f22c64011916076578616d706c653114301206092a864886f70d010901"
     "16056140622e63310b30090603550406130255533111300f060355040a130841636d6520496e633119300a"
     "060355040b1303446576300b0603550407130448657265311730150603550403130e636c69656e742e6578"
     "616d706c65"},
    {"CN=a\\, b, O=\"x, y\", OU=R&D, L=Zo\xc3\xab, ST=  spaced  ",
     "304c310f300d06035504081306737061636564310d300b06035504070c045a6fc3ab310c300a060355040b"
     "0c03522644310d300b060355040a1304782c2079310d300b06035504031304612c2062"},
    {"CN=s1 , OID.2.5.4.5=1234, UID=u1, T=Dr",
     "303d310b3009060355040c1302447231123010060a0992268993f22c64010113027531310d300b06035504"
     "05130431323334310b3009060355040313027331"},
};

static void dname_encodes_as_keytool_does(void)
{
    for (size_t i = 0; i < sizeof(dn_vectors) / sizeof(dn_vectors[0]); i++) {
        uint8_t want[512];
        size_t wl;
        unhex(dn_vectors[i].der_hex, want, &wl);
        X509 *x = make_cert(g_ec, g_ec_len, dn_vectors[i].dname, NULL, 0, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(x);
        unsigned char *got = NULL;
        int gl = i2d_X509_NAME(X509_get_subject_name(x), &got);
        CU_ASSERT_EQUAL(gl, (int)wl);
        CU_ASSERT(gl == (int)wl && memcmp(got, want, wl) == 0);
        OPENSSL_free(got);
        X509_free(x);
    }
    /* the RFC 2253 reading is the string given (most specific first) */
    uint8_t *der;
    size_t len;
    jks_gen_params p;
    jks_error err;
    jks_cert_info ci;
    memset(&p, 0, sizeof(p));
    p.dname = "CN=client.example, OU=Dev, O=Acme, C=US";
    CU_ASSERT_EQUAL_FATAL(jks_cert_self_signed(g_ec, g_ec_len, &p, &der, &len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_cert_info_get(der, len, &ci), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ci.subject, "CN=client.example, OU=Dev, O=Acme, C=US");
    jks_buffer_free(der, len);
}

static void bad_dnames_exts_and_sigalgs_are_refused(void)
{
    static const char *bad_dn[] = {"", "CN", "FOO=bar", "CN=a\\", "CN=\"open", "CN=a,", "CN=a<b",
                                   "EMAILADDRESS=\xc3\xa9@x", "CN=\xff", "#=x"};
    static const char *bad_ext[] = {"ku=bogus", "ku=key", "xyz=1", "eku=nope", "san=dns",
                                    "san=foo:bar", "san=ip:300.1.1.1", "bc=ca:maybe",
                                    "bc:x=ca:true", "ku", "san=dns:.a."};
    jks_gen_params p;
    jks_error err;
    for (size_t i = 0; i < sizeof(bad_dn) / sizeof(bad_dn[0]); i++) {
        memset(&p, 0, sizeof(p));
        p.dname = bad_dn[i];
        jks_error_clear(&err);
        CU_ASSERT_EQUAL(jks_gen_params_check(&p, NULL, &err), JKS_ERR_USAGE);
        CU_ASSERT(err.msg[0] != 0);
    }
    for (size_t i = 0; i < sizeof(bad_ext) / sizeof(bad_ext[0]); i++) {
        memset(&p, 0, sizeof(p));
        p.exts = &bad_ext[i];
        p.n_exts = 1;
        CU_ASSERT_EQUAL(jks_gen_params_check(&p, NULL, &err), JKS_ERR_USAGE);
    }
    static const char *twice[] = {"san=dns:a", "SubjectAlternativeName=dns:b"};
    memset(&p, 0, sizeof(p));
    p.exts = twice;
    p.n_exts = 2;
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, NULL, &err), JKS_ERR_USAGE);
    memset(&p, 0, sizeof(p));
    p.sigalg = "SHA256withECDSA";
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "RSA", &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "EC", &err), JKS_OK);
    /* keytool 17 signs with SHA-1 and MD5 (and warns): so does the library */
    p.sigalg = "SHA1withRSA";
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "RSA", &err), JKS_OK);
    p.sigalg = "MD2withRSA";
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "RSA", &err), JKS_ERR_USAGE);
    p.sigalg = "RSASSA-PSS";
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "RSA", &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "RSASSA-PSS", &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "EC", &err), JKS_ERR_USAGE);
    p.sigalg = "SHA256withDSA";
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "DSA", &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "RSASSA-PSS", &err), JKS_ERR_USAGE);
    /* a mismatching sigalg fails on the key too */
    p.dname = "CN=x";
    p.sigalg = "SHA256withRSA";
    uint8_t *der = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL(jks_cert_self_signed(g_ec, g_ec_len, &p, &der, &len, &err), JKS_ERR_USAGE);
    CU_ASSERT_PTR_NULL(der);
    /* good values pass */
    static const char *good[] = {"san=dns:a.example,ip:10.0.0.1,ip:::1,email:x@y,uri:https://a/,oid:1.2.3",
                                 "eku=serverAuth,clientAuth,1.3.6.1.5.5.7.3.9", "ku:c=dig,keyE",
                                 "bc:c"};
    memset(&p, 0, sizeof(p));
    p.exts = good;
    p.n_exts = 4;
    p.dname = "CN=ok";
    CU_ASSERT_EQUAL(jks_gen_params_check(&p, "EC", &err), JKS_OK);
}

/* The DER of extension nid's value, or NULL. */
static const ASN1_OCTET_STRING *ext_value(const STACK_OF(X509_EXTENSION) *exts, int nid, int *crit)
{
    for (int i = 0; i < sk_X509_EXTENSION_num(exts); i++) {
        X509_EXTENSION *e = sk_X509_EXTENSION_value(exts, i);
        if (OBJ_obj2nid(X509_EXTENSION_get_object(e)) == nid) {
            if (crit)
                *crit = X509_EXTENSION_get_critical(e);
            return X509_EXTENSION_get_data(e);
        }
    }
    return NULL;
}

static int value_is(const ASN1_OCTET_STRING *v, const char *hex)
{
    uint8_t want[256];
    size_t wl;
    unhex(hex, want, &wl);
    return v && (size_t)ASN1_STRING_length(v) == wl && !memcmp(ASN1_STRING_get0_data(v), want, wl);
}

static void extensions_are_encoded_as_keytool_does(void)
{
    /* values as keytool 17 encoded them for
     * -ext san=dns:a.example,ip:1.2.3.4,email:x@y.z,uri:https://a/b -ext eku=clientAuth,serverAuth
     * -ext ku:c=dig,keyEnc -ext bc:c=ca:true,pathlen:0 */
    static const char *exts[] = {"eku=clientAuth,serverAuth", "bc:c=ca:true,pathlen:0",
                                 "ku:c=dig,keyEnc",
                                 "san=dns:a.example,ip:1.2.3.4,email:x@y.z,uri:https://a/b"};
    X509 *x = make_cert(g_ec, g_ec_len, "CN=x", exts, 4, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    const STACK_OF(X509_EXTENSION) *ex = X509_get0_extensions(x);
    int crit = -1;
    CU_ASSERT_EQUAL(sk_X509_EXTENSION_num(ex), 5);
    CU_ASSERT(value_is(ext_value(ex, NID_key_usage, &crit), "030205A0"));
    CU_ASSERT_EQUAL(crit, 1);
    CU_ASSERT(value_is(ext_value(ex, NID_basic_constraints, &crit), "30060101FF020100"));
    CU_ASSERT_EQUAL(crit, 1);
    CU_ASSERT(value_is(ext_value(ex, NID_subject_alt_name, &crit),
                       "30258209612E6578616D706C6587040102030481057840792E7A860B68747470733A2F2F612F62"));
    CU_ASSERT_EQUAL(crit, 0);
    CU_ASSERT(value_is(ext_value(ex, NID_ext_key_usage, &crit),
                       "301406082B0601050507030206082B06010505070301"));
    CU_ASSERT_EQUAL(crit, 0);
    /* keytool's order: by OID (SKI 14, KU 15, SAN 17, BC 19, EKU 37) */
    static const int order[] = {NID_subject_key_identifier, NID_key_usage, NID_subject_alt_name,
                                NID_basic_constraints, NID_ext_key_usage};
    for (int i = 0; i < 5 && i < sk_X509_EXTENSION_num(ex); i++)
        CU_ASSERT_EQUAL(OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(ex, i))), order[i]);
    /* SubjectKeyIdentifier: SHA-1 of the public key bits, non-critical */
    unsigned char md[20];
    unsigned ml = 20;
    CU_ASSERT(X509_pubkey_digest(x, EVP_sha1(), md, &ml));
    const ASN1_OCTET_STRING *ski = ext_value(ex, NID_subject_key_identifier, &crit);
    CU_ASSERT_EQUAL(crit, 0);
    CU_ASSERT(ski && ASN1_STRING_length(ski) == 22 && !memcmp(ASN1_STRING_get0_data(ski) + 2, md, 20));
    jks_cert_info ci;
    unsigned char *der = NULL;
    int dl = i2d_X509(x, &der);
    CU_ASSERT_EQUAL(jks_cert_info_get(der, (size_t)dl, &ci), JKS_OK);
    CU_ASSERT(ci.has_eku && ci.eku_client_auth && ci.eku_server_auth);
    OPENSSL_free(der);
    X509_free(x);

    /* bc=ca:false writes an empty sequence, bc=3 is ca:true,pathlen:3 */
    static const char *bc0[] = {"bc=ca:false,pathlen:2"}, *bc3[] = {"bc=3"};
    x = make_cert(g_ec, g_ec_len, "CN=x", bc0, 1, NULL);
    CU_ASSERT(value_is(ext_value(X509_get0_extensions(x), NID_basic_constraints, NULL), "3000"));
    X509_free(x);
    x = make_cert(g_ec, g_ec_len, "CN=x", bc3, 1, NULL);
    CU_ASSERT(value_is(ext_value(X509_get0_extensions(x), NID_basic_constraints, NULL), "30060101FF020103"));
    der = NULL;
    dl = i2d_X509(x, &der);
    CU_ASSERT_EQUAL(jks_cert_info_get(der, (size_t)dl, &ci), JKS_OK);
    CU_ASSERT(ci.is_ca);
    OPENSSL_free(der);
    X509_free(x);
}

static void request_is_signed_and_carries_subject_and_extensions(void)
{
    static const char *exts[] = {"san=dns:q.example", "eku=clientAuth"};
    X509 *c = make_cert(g_rsa, g_rsa_len, "CN=client.example, O=Acme", NULL, 0, NULL);
    unsigned char *cder = NULL;
    int cl = i2d_X509(c, &cder);
    jks_gen_params p;
    jks_error err;
    uint8_t *der;
    size_t len;
    memset(&p, 0, sizeof(p));
    p.exts = exts;
    p.n_exts = 2;
    CU_ASSERT_EQUAL_FATAL(jks_csr_create(g_rsa, g_rsa_len, cder, (size_t)cl, &p, &der, &len, &err), JKS_OK);
    char *pem;
    size_t pl;
    CU_ASSERT_EQUAL_FATAL(jks_pem_armor("CERTIFICATE REQUEST", der, len, &pem, &pl, &err), JKS_OK);
    CU_ASSERT(!strncmp(pem, "-----BEGIN CERTIFICATE REQUEST-----\n", 36));
    CU_ASSERT_EQUAL(strlen(pem), pl);
    for (char *l = pem, *nl; (nl = strchr(l, '\n')); l = nl + 1)
        CU_ASSERT(nl - l <= 64 || !strncmp(l, "-----", 5));
    BIO *b = BIO_new_mem_buf(pem, (int)pl);
    X509_REQ *r = PEM_read_bio_X509_REQ(b, NULL, NULL, NULL);
    BIO_free(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(X509_REQ_get_version(r), 0);
    CU_ASSERT_EQUAL(X509_REQ_verify(r, X509_REQ_get0_pubkey(r)), 1);
    CU_ASSERT_EQUAL(EVP_PKEY_eq(X509_REQ_get0_pubkey(r), X509_get0_pubkey(c)), 1);
    CU_ASSERT_EQUAL(X509_NAME_cmp(X509_REQ_get_subject_name(r), X509_get_subject_name(c)), 0);
    CU_ASSERT_EQUAL(X509_REQ_get_signature_nid(r), NID_sha256WithRSAEncryption);
    STACK_OF(X509_EXTENSION) *ex = X509_REQ_get_extensions(r);
    CU_ASSERT_EQUAL(sk_X509_EXTENSION_num(ex), 3);
    CU_ASSERT(value_is(ext_value(ex, NID_subject_alt_name, NULL), "300B8209712E6578616D706C65"));
    CU_ASSERT(value_is(ext_value(ex, NID_ext_key_usage, NULL), "300A06082B06010505070302"));
    /* the same SubjectKeyIdentifier as the certificate's */
    const ASN1_OCTET_STRING *a = ext_value(ex, NID_subject_key_identifier, NULL);
    const ASN1_OCTET_STRING *bski = ext_value(X509_get0_extensions(c), NID_subject_key_identifier, NULL);
    CU_ASSERT(a && bski && ASN1_STRING_cmp(a, bski) == 0);
    sk_X509_EXTENSION_pop_free(ex, X509_EXTENSION_free);
    X509_REQ_free(r);
    free(pem);
    jks_buffer_free(der, len);

    /* --dname replaces the subject; Ed25519 signs */
    memset(&p, 0, sizeof(p));
    p.dname = "CN=other, O=Z";
    CU_ASSERT_EQUAL_FATAL(jks_csr_create(g_ed, g_ed_len, NULL, 0, &p, &der, &len, &err), JKS_OK);
    const unsigned char *q = der;
    r = d2i_X509_REQ(NULL, &q, (long)len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(X509_REQ_verify(r, X509_REQ_get0_pubkey(r)), 1);
    CU_ASSERT_EQUAL(X509_REQ_get_signature_nid(r), NID_ED25519);
    char buf[128];
    X509_NAME_oneline(X509_REQ_get_subject_name(r), buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "/O=Z/CN=other");
    X509_REQ_free(r);
    jks_buffer_free(der, len);
    /* no subject at all */
    memset(&p, 0, sizeof(p));
    CU_ASSERT_EQUAL(jks_csr_create(g_ed, g_ed_len, NULL, 0, &p, &der, &len, &err), JKS_ERR_USAGE);
    /* garbage key */
    p.dname = "CN=x";
    CU_ASSERT_EQUAL(jks_csr_create((const uint8_t *)"\x30\x03\x02\x01\x00", 5, NULL, 0, &p, &der, &len, &err),
                    JKS_ERR_FORMAT);
    OPENSSL_free(cder);
    X509_free(c);
}

/* keytool's -startdate, in UTC: Calendar.add's month clamping, fixed-length
 * hours, absolute forms keeping the parts not given, refusals. */
static void startdate_follows_keytool(void)
{
    jks_error err;
    int64_t t = 0;
    const int64_t jan31 = 1801425845; /* 2027-01-31 20:04:05 UTC */
    setenv("TZ", "UTC", 1);
    tzset();
    CU_ASSERT_EQUAL(jks_startdate_parse("+1m", jan31, &t, &err), JKS_OK);
    CU_ASSERT_EQUAL(t, jan31 + 28 * 86400); /* 2027-02-28, not March 3 */
    CU_ASSERT_EQUAL(jks_startdate_parse("+1y-1d+2H-30M+5S", jan31, &t, &err), JKS_OK);
    CU_ASSERT_EQUAL(t, jan31 + 364 * 86400 + 2 * 3600 - 1800 + 5);
    CU_ASSERT_EQUAL(jks_startdate_parse("-13m", jan31, &t, &err), JKS_OK);
    CU_ASSERT_EQUAL(t, jan31 - 365 * 86400 - 31 * 86400); /* 2025-12-31 */
    CU_ASSERT_EQUAL(jks_startdate_parse("2030/01/02 03:04:05", jan31, &t, &err), JKS_OK);
    CU_ASSERT_EQUAL(t, 1893553445);
    CU_ASSERT_EQUAL(jks_startdate_parse("2030/01/02", jan31, &t, &err), JKS_OK);
    CU_ASSERT_EQUAL(t, 1893542400 + 20 * 3600 + 4 * 60 + 5); /* time of day kept */
    CU_ASSERT_EQUAL(jks_startdate_parse("01:02:03", jan31, &t, &err), JKS_OK);
    CU_ASSERT_EQUAL(t, jan31 - (20 * 3600 + 4 * 60 + 5) + 3723);
    static const char *const bad[] = {"", "tomorrow", "+1", "+d", "+1x", "1d", "+1d-",
                                      "2030-01-02", "2030/01/02T03:04:05", "3:04:05",
                                      "+99999999999d"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        jks_error_clear(&err);
        CU_ASSERT_EQUAL(jks_startdate_parse(bad[i], jan31, &t, &err), JKS_ERR_USAGE);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "startdate"));
    }
}

/* The AlgorithmIdentifier DER of x's signature (outer; must equal the TBS copy). */
static int algid_is(X509 *x, const char *hex)
{
    uint8_t want[128];
    size_t wl;
    unhex(hex, want, &wl);
    const X509_ALGOR *outer = NULL;
    X509_get0_signature(NULL, &outer, x);
    unsigned char *a = NULL, *b = NULL;
    int al = i2d_X509_ALGOR(outer, &a), bl = i2d_X509_ALGOR(X509_get0_tbs_sigalg(x), &b);
    int same = al > 0 && al == bl && (size_t)al == wl && !memcmp(a, want, wl) && !memcmp(b, want, wl);
    OPENSSL_free(a);
    OPENSSL_free(b);
    return same;
}

static void dsa_and_pss_keys_sign_as_keytool(void)
{
    jks_error err;
    jks_key_info ki;
    uint8_t *k = NULL;
    size_t kl = 0;
    char alg[64];
    /* DSA 1024: SHA256withDSA with NULL parameters, as keytool 17 writes it */
    CU_ASSERT_EQUAL_FATAL(jks_key_generate("DSA", 1024, &k, &kl, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_key_info_get(k, kl, &ki), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ki.algorithm, "DSA");
    CU_ASSERT_EQUAL(ki.bits, 1024);
    CU_ASSERT_EQUAL(jks_sigalg_default(k, kl, alg, sizeof(alg), &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(alg, "SHA256withDSA");
    X509 *x = make_cert(k, kl, "CN=dsa", NULL, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT(algid_is(x, "300d06096086480165030403020500"));
    CU_ASSERT_EQUAL(X509_verify(x, X509_get0_pubkey(x)), 1);
    X509_free(x);
    x = make_cert(k, kl, "CN=dsa", NULL, 0, "SHA1withDSA"); /* q is 160 bits: allowed */
    CU_ASSERT_PTR_NOT_NULL(x);
    X509_free(x);
    jks_buffer_free(k, kl);
    /* DSA 2048 (q 224 bits): SHA-1 is refused with Java's message */
    CU_ASSERT_EQUAL_FATAL(jks_key_generate("DSA", 0, &k, &kl, &err), JKS_OK);
    jks_gen_params p;
    memset(&p, 0, sizeof(p));
    p.dname = "CN=dsa";
    p.sigalg = "SHA1withDSA";
    uint8_t *der = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL(jks_cert_self_signed(k, kl, &p, &der, &len, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.msg, "The security strength of SHA-1 digest algorithm is not sufficient for this key size");
    jks_buffer_free(k, kl);

    /* RSASSA-PSS 2048: key OID without parameters; signature RSASSA-PSS with
     * SHA-256, MGF1-SHA-256, salt 32 (the bytes of keytool 17's certificate) */
    CU_ASSERT_EQUAL_FATAL(jks_key_generate("RSASSA-PSS", 0, &k, &kl, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_sigalg_default(k, kl, alg, sizeof(alg), &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(alg, "RSASSA-PSS");
    x = make_cert(k, kl, "CN=pss", NULL, 0, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT(algid_is(x, "304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a0609"
                          "2a864886f70d010108300d06096086480165030402010500a203020120"));
    CU_ASSERT_EQUAL(X509_verify(x, X509_get0_pubkey(x)), 1);
    const ASN1_OBJECT *ko;
    const void *kpar;
    int ptype = 0;
    X509_ALGOR *ka = NULL;
    CU_ASSERT(X509_PUBKEY_get0_param(NULL, NULL, NULL, &ka, X509_get_X509_PUBKEY(x)) == 1);
    X509_ALGOR_get0(&ko, &ptype, &kpar, ka);
    CU_ASSERT_EQUAL(OBJ_obj2nid(ko), NID_rsassaPss);
    CU_ASSERT_EQUAL(ptype, V_ASN1_UNDEF);
    X509_free(x);
    /* keytool also signs PKCS#1 with a PSS key */
    x = make_cert(k, kl, "CN=pss", NULL, 0, "SHA256withRSA");
    CU_ASSERT_PTR_NOT_NULL(x);
    if (x)
        CU_ASSERT(algid_is(x, "300d06092a864886f70d01010b0500"));
    X509_free(x);
    jks_buffer_free(k, kl);
    /* an RSA key with -sigalg RSASSA-PSS; SHA1withECDSA with NULL parameters (JDK 17) */
    x = make_cert(g_rsa, g_rsa_len, "CN=r", NULL, 0, "RSASSA-PSS");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL(X509_verify(x, X509_get0_pubkey(x)), 1);
    X509_free(x);
    x = make_cert(g_ec, g_ec_len, "CN=e", NULL, 0, "SHA1withECDSA");
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT(algid_is(x, "300b06072a8648ce3d04010500"));
    X509_free(x);
}

static void info_access_and_raw_extensions_as_keytool(void)
{
    static const char *exts[] = {
        "aia=ocsp:uri:http://ocsp.example/,caIssuers:uri:http://ca.example/ca.crt",
        "sia=caRepository:uri:http://repo.example/,timeStamping:uri:http://ts.example/",
        "1.2.3.4=0403010203", "1.2.3.5:critical=0500"};
    /* extnValues of keytool 17's certificate for the same -ext values */
    static const char *const want[][3] = {
        {"1.2.3.4", "0403010203", "0"},
        {"1.2.3.5", "0500", "1"},
        {"1.3.6.1.5.5.7.1.1", "3048302006082b060105050730018614687474703a2f2f6f6373702e6578616d706c652f"
                              "302406082b060105050730028618687474703a2f2f63612e6578616d706c652f63612e637274", "0"},
        {"1.3.6.1.5.5.7.1.11", "3042302006082b060105050730058614687474703a2f2f7265706f2e6578616d706c652f"
                               "301e06082b060105050730038612687474703a2f2f74732e6578616d706c652f", "0"},
        {"2.5.29.14", NULL, "0"},
    };
    X509 *x = make_cert(g_ec, g_ec_len, "CN=e", exts, 4, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL(X509_get_ext_count(x), 5);
    for (int i = 0; i < X509_get_ext_count(x) && i < 5; i++) {
        X509_EXTENSION *e = X509_get_ext(x, i);
        char oid[64];
        OBJ_obj2txt(oid, sizeof(oid), X509_EXTENSION_get_object(e), 1);
        CU_ASSERT_STRING_EQUAL(oid, want[i][0]);
        CU_ASSERT_EQUAL(X509_EXTENSION_get_critical(e), want[i][2][0] == '1');
        if (want[i][1]) {
            uint8_t v[256];
            size_t vl;
            unhex(want[i][1], v, &vl);
            const ASN1_OCTET_STRING *d = X509_EXTENSION_get_data(e);
            CU_ASSERT((size_t)ASN1_STRING_length(d) == vl && !memcmp(ASN1_STRING_get0_data(d), v, vl));
        }
    }
    X509_free(x);
    /* OID=HEX for the SubjectKeyIdentifier replaces keytool's own; non-hex skipped */
    static const char *ski[] = {"2.5.29.14=04:00", "1.2.3.4=zz"};
    x = make_cert(g_ec, g_ec_len, "CN=e", ski, 2, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL(X509_get_ext_count(x), 2);
    CU_ASSERT_EQUAL(ASN1_STRING_length(X509_EXTENSION_get_data(X509_get_ext(x, 0))), 0);
    CU_ASSERT_EQUAL(ASN1_STRING_length(X509_EXTENSION_get_data(X509_get_ext(x, 1))), 2);
    X509_free(x);
    /* what keytool refuses */
    static const char *bad[] = {"aia:critical=ocsp:uri:http://x", "sia:c=caRepository:uri:http://x",
                                "1.2.3.4=123", "aia=ocsp", "aia=foo:uri:http://x", "aia=ocsp:uri:",
                                "s=dns:a"};
    jks_gen_params p;
    jks_error err;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&p, 0, sizeof(p));
        p.exts = &bad[i];
        p.n_exts = 1;
        CU_ASSERT_EQUAL(jks_gen_params_check(&p, NULL, &err), JKS_ERR_USAGE);
    }
}

int main(void)
{
    static const test_case cases[] = {
        {"keys are generated with keytool default sizes", keys_are_generated_with_keytool_default_sizes},
        {"bad key requests are usage errors", bad_key_requests_are_usage_errors},
        {"certificate is self-signed v3 with random serial", certificate_is_self_signed_v3_with_random_serial},
        {"validity starts at not_before", validity_starts_at_not_before},
        {"dname encodes as keytool does", dname_encodes_as_keytool_does},
        {"bad dnames, exts and sigalgs are refused", bad_dnames_exts_and_sigalgs_are_refused},
        {"extensions are encoded as keytool does", extensions_are_encoded_as_keytool_does},
        {"request is signed and carries subject and extensions",
         request_is_signed_and_carries_subject_and_extensions},
        {"startdate follows keytool", startdate_follows_keytool},
        {"DSA and RSASSA-PSS keys sign as keytool 17", dsa_and_pss_keys_sign_as_keytool},
        {"aia, sia and OID=HEX extensions as keytool 17", info_access_and_raw_extensions_as_keytool},
    };
    int rc = run_suite("x509gen", cases, sizeof(cases) / sizeof(cases[0]));
    jks_buffer_free(g_rsa, g_rsa_len);
    jks_buffer_free(g_ec, g_ec_len);
    jks_buffer_free(g_ed, g_ed_len);
    return rc;
}
