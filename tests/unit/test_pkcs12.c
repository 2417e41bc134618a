/* CUnit suite "pkcs12": the PKCS#12 reader and writer (pkcs12/), FORMATS.md 4,
 * RFC 7292 and RFC 9579 (PBMAC1). Stores are built in memory from keys and
 * certificates made here, written, read back and compared byte for byte.
 * PBMAC1 is checked against RFC 9579 test vector A.1 and a variant crafted
 * here with a 16-byte key (a forgeable MAC that must be refused).
 *
 * Helper modes for tests/interop/pkcs12.sh (not tests themselves):
 *   test_pkcs12 --dump FILE [STOREPASS]      one line per entry: alias, kind,
 *                                            sha256 of pkcs8/secret, chain sha256s
 *   test_pkcs12 --write IN INPASS OUT OUTPASS modern|legacy|nopass
 *                                            any keystore -> PKCS#12 */
#include "jks/jks.h"
#include "jks/source.h"
#include "store.h"
#include "testutil.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pkcs12.h>
#include <openssl/provider.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

#define SP "changeit"

typedef struct {
    uint8_t *der;
    size_t len;
} blob;

static EVP_PKEY *g_root_key, *g_leaf_key;
static blob g_root, g_leaf, g_other, g_leaf_p8;

static blob to_blob(unsigned char *p, int n)
{
    blob b;
    b.der = malloc((size_t)n);
    memcpy(b.der, p, (size_t)n);
    b.len = (size_t)n;
    OPENSSL_free(p);
    return b;
}

static blob make_cert(const char *cn, EVP_PKEY *key, const char *issuer_cn, EVP_PKEY *issuer_key,
                      int ca, long serial)
{
    X509 *x = X509_new();
    unsigned char *p = NULL;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_UTF8,
                               (const unsigned char *)cn, -1, -1, 0);
    X509_NAME_add_entry_by_txt(X509_get_issuer_name(x), "CN", MBSTRING_UTF8,
                               (const unsigned char *)issuer_cn, -1, -1, 0);
    X509_set_pubkey(x, key);
    if (ca) {
        X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints, "critical,CA:TRUE");
        X509_add_ext(x, ext, -1);
        X509_EXTENSION_free(ext);
    }
    if (!X509_sign(x, issuer_key, EVP_sha256()))
        exit(2);
    int n = i2d_X509(x, &p);
    X509_free(x);
    return to_blob(p, n);
}

static void fixtures(void)
{
    unsigned char *p = NULL;
    g_root_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    g_leaf_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    EVP_PKEY *other = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (!g_root_key || !g_leaf_key || !other)
        exit(2);
    g_root = make_cert("Unit Root CA", g_root_key, "Unit Root CA", g_root_key, 1, 1);
    g_leaf = make_cert("unit leaf", g_leaf_key, "Unit Root CA", g_root_key, 0, 2);
    g_other = make_cert("Other Trust", other, "Other Trust", other, 1, 3);
    PKCS8_PRIV_KEY_INFO *pi = EVP_PKEY2PKCS8(g_leaf_key);
    int n = i2d_PKCS8_PRIV_KEY_INFO(pi, &p);
    g_leaf_p8 = to_blob(p, n);
    PKCS8_PRIV_KEY_INFO_free(pi);
    EVP_PKEY_free(other);
}

static const uint8_t aes_key[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t hmac_key[32] = {0xA5, 0x5A, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                     7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 0xEE};
static const uint8_t des_key[24] = {0x10, 0x20, 0x31, 0x40, 0x51, 0x61, 0x70, 0x80,
                                    0x91, 0xA1, 0xB0, 0xC1, 0xD0, 0xE0, 0xF1, 0x01,
                                    0x13, 0x23, 0x32, 0x43, 0x52, 0x62, 0x73, 0x83};

/* key "Server-Key" (leaf + root), trusted "MyCA" (root), trusted "𝄞-Ärger-€"
 * (other), secret keys AES, HmacSHA256, DESede */
static jks_store *sample_store(int with_secrets)
{
    jks_store *st = jks_store_new(JKS_FORMAT_PKCS12);
    jks_error err;
    jks_bytes chain[2] = {{g_leaf.der, g_leaf.len}, {g_root.der, g_root.len}};
    CU_ASSERT_FATAL(jks_store_add_private_key(st, "Server-Key", 1700000000123LL, g_leaf_p8.der,
                                              g_leaf_p8.len, chain, 2, &err) == JKS_OK);
    CU_ASSERT_FATAL(jks_store_add_trusted_cert(st, "MyCA", 1700000000000LL, g_root.der, g_root.len,
                                               &err) == JKS_OK);
    CU_ASSERT_FATAL(jks_store_add_trusted_cert(st, "\xF0\x9D\x84\x9E-\xC3\x84rger-\xE2\x82\xAC", -1,
                                               g_other.der, g_other.len, &err) == JKS_OK);
    if (with_secrets) {
        CU_ASSERT_FATAL(jks_store_add_secret_key(st, "aes", 1700000000001LL, "AES", aes_key,
                                                 sizeof(aes_key), &err) == JKS_OK);
        CU_ASSERT_FATAL(jks_store_add_secret_key(st, "mac", 1700000000002LL, "HmacSHA256", hmac_key,
                                                 sizeof(hmac_key), &err) == JKS_OK);
        CU_ASSERT_FATAL(jks_store_add_secret_key(st, "des", 1700000000003LL, "DESede", des_key,
                                                 sizeof(des_key), &err) == JKS_OK);
    }
    return st;
}

static jks_write_opts wopts(const char *sp, jks_p12_algorithms alg)
{
    jks_write_opts o;
    memset(&o, 0, sizeof(o));
    o.format = JKS_FORMAT_PKCS12;
    o.storepass = sp;
    o.p12_algorithms = alg;
    return o;
}

static jks_read_opts ropts(const char *sp)
{
    jks_read_opts o;
    memset(&o, 0, sizeof(o));
    o.storepass = sp;
    o.force_format = JKS_FORMAT_UNKNOWN;
    return o;
}

static int same(jks_bytes a, const uint8_t *b, size_t n)
{
    return a.len == n && a.data && !memcmp(a.data, b, n);
}

static jks_store *encode_decode(jks_store *in, const jks_write_opts *wo, const char *rp,
                                uint8_t **der, size_t *der_len)
{
    jks_error err;
    jks_store *out = NULL;
    jks_read_opts ro = ropts(rp);
    jks_status s = jks_store_write(in, wo, der, der_len, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    CU_ASSERT_EQUAL(jks_format_sniff(*der, *der_len), JKS_FORMAT_PKCS12);
    s = jks_store_read(*der, *der_len, &ro, &out, &err);
    if (s != JKS_OK)
        fprintf(stderr, "read: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    return out;
}

static void check_full_store(const jks_store *st)
{
    const jks_entry *e;
    int64_t ms;
    CU_ASSERT_EQUAL(jks_store_count(st), 6);
    CU_ASSERT_EQUAL(jks_store_format(st), JKS_FORMAT_PKCS12);
    e = jks_store_find(st, "Server-Key");
    CU_ASSERT_FATAL(e != NULL);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(e), "Server-Key"); /* case kept */
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_PRIVATE_KEY);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_protection(e), JKS_PROT_PKCS12);
    CU_ASSERT(same(jks_entry_pkcs8(e), g_leaf_p8.der, g_leaf_p8.len));
    CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(e), 2);
    CU_ASSERT(same(jks_entry_cert(e, 0), g_leaf.der, g_leaf.len));
    CU_ASSERT(same(jks_entry_cert(e, 1), g_root.der, g_root.len));
    CU_ASSERT(jks_entry_created(e, &ms) && ms == 1700000000123LL);
    e = jks_store_find(st, "MyCA");
    CU_ASSERT_FATAL(e != NULL);
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_TRUSTED_CERT);
    CU_ASSERT_EQUAL(e->java_ignores, 0);
    CU_ASSERT(same(jks_entry_cert(e, 0), g_root.der, g_root.len));
    e = jks_store_find(st, "\xF0\x9D\x84\x9E-\xC3\x84rger-\xE2\x82\xAC");
    CU_ASSERT_FATAL(e != NULL);
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_TRUSTED_CERT);
    CU_ASSERT(same(jks_entry_cert(e, 0), g_other.der, g_other.len));
    struct {
        const char *alias, *alg;
        const uint8_t *key;
        size_t n;
    } sec[] = {{"aes", "AES", aes_key, sizeof(aes_key)},
               {"mac", "HmacSHA256", hmac_key, sizeof(hmac_key)},
               {"des", "DESede", des_key, sizeof(des_key)}};
    for (size_t i = 0; i < 3; i++) {
        e = jks_store_find(st, sec[i].alias);
        CU_ASSERT_FATAL(e != NULL);
        CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_SECRET_KEY);
        CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
        CU_ASSERT(jks_entry_secret_algorithm(e) && !strcmp(jks_entry_secret_algorithm(e), sec[i].alg));
        CU_ASSERT(same(jks_entry_secret(e), sec[i].key, sec[i].n));
    }
    CU_ASSERT_EQUAL(st->p12.certs_without_trust, 0);
}

static void test_roundtrip_modern(void)
{
    jks_store *in = sample_store(1), *out;
    jks_write_opts wo = wopts(SP, JKS_P12_MODERN);
    uint8_t *der;
    size_t n;
    out = encode_decode(in, &wo, SP, &der, &n);
    check_full_store(out);
    CU_ASSERT_EQUAL(jks_store_integrity(out), JKS_INTEGRITY_VERIFIED);
    CU_ASSERT_EQUAL(out->p12.has_mac, 1);
    CU_ASSERT_STRING_EQUAL(out->p12.mac_alg, "sha256");
    CU_ASSERT_EQUAL(out->p12.mac_iterations, 10000);
    CU_ASSERT_STRING_EQUAL(out->p12.key_alg, "pbes2-aes-256-cbc");
    CU_ASSERT_STRING_EQUAL(out->p12.cert_alg, "pbes2-aes-256-cbc");
    jks_store_free(out);
    jks_buffer_free(der, n);
    jks_store_free(in);
}

static void test_roundtrip_legacy(void)
{
    jks_store *in = sample_store(1), *out;
    jks_write_opts wo = wopts(SP, JKS_P12_LEGACY);
    uint8_t *der;
    size_t n;
    out = encode_decode(in, &wo, SP, &der, &n);
    check_full_store(out);
    CU_ASSERT_EQUAL(jks_store_integrity(out), JKS_INTEGRITY_VERIFIED);
    CU_ASSERT_STRING_EQUAL(out->p12.mac_alg, "sha1");
    CU_ASSERT_EQUAL(out->p12.mac_iterations, 100000);
    CU_ASSERT_STRING_EQUAL(out->p12.key_alg, "pbe-sha1-3des");
    CU_ASSERT_STRING_EQUAL(out->p12.cert_alg, "pbe-sha1-rc2-40");
    jks_store_free(out);
    jks_buffer_free(der, n);
    jks_store_free(in);
}

/* The legacy output is also what OpenSSL's own PKCS12_parse opens. */
/* Runs first, before any test of this process loads a provider: reading and
 * writing RC2-40 PKCS#12 files works, and OpenSSL's default library context
 * has not gained the legacy provider (the library uses its own context). */
static void test_legacy_stays_in_private_context(void)
{
    const char *dir = getenv("JKS_VECTORS");
    char path[512];
    snprintf(path, sizeof path, "%s/files/ossl-legacy.p12", dir ? dir : "vectors");
    CU_ASSERT_FATAL(OSSL_PROVIDER_available(NULL, "legacy") == 0);
    jks_read_opts ro = JKS_READ_OPTS_INIT;
    ro.storepass = "changeit";
    jks_store *st = NULL;
    jks_error err;
    CU_ASSERT_FATAL(jks_store_read_file(path, &ro, &st, &err) == JKS_OK);
    CU_ASSERT(jks_store_count(st) == 1);
    CU_ASSERT(strcmp(jks_store_cert_encryption(st), "pbe-sha1-rc2-40") == 0);
    jks_write_opts wo = wopts(SP, JKS_P12_LEGACY);
    uint8_t *der = NULL;
    size_t n = 0;
    CU_ASSERT(jks_store_write(st, &wo, &der, &n, &err) == JKS_OK);
    jks_store_free(st);
    st = NULL;
    ro.storepass = SP;
    CU_ASSERT_FATAL(jks_store_read(der, n, &ro, &st, &err) == JKS_OK);
    CU_ASSERT(strcmp(jks_store_cert_encryption(st), "pbe-sha1-rc2-40") == 0);
    jks_store_free(st);
    jks_free(der);
    CU_ASSERT(OSSL_PROVIDER_available(NULL, "legacy") == 0);
    EVP_CIPHER *rc2 = EVP_CIPHER_fetch(NULL, "RC2-40-CBC", NULL);
    CU_ASSERT(rc2 == NULL);
    EVP_CIPHER_free(rc2);
    ERR_clear_error();
}

static void test_openssl_parses_output(void)
{
    /* this test plays `openssl pkcs12 -legacy`, which loads the legacy
     * provider into the default context for RC2-40 */
    static OSSL_PROVIDER *dflt, *legacy;
    if (!legacy) {
        dflt = OSSL_PROVIDER_load(NULL, "default");
        legacy = OSSL_PROVIDER_load(NULL, "legacy");
    }
    CU_ASSERT_FATAL(dflt && legacy);
    jks_store *in = sample_store(0);
    for (int alg = 0; alg < 2; alg++) {
        jks_write_opts wo = wopts(SP, (jks_p12_algorithms)alg);
        uint8_t *der;
        size_t n;
        jks_error err;
        CU_ASSERT_FATAL(jks_store_write(in, &wo, &der, &n, &err) == JKS_OK);
        const unsigned char *p = der;
        PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)n);
        EVP_PKEY *k = NULL;
        X509 *x = NULL;
        STACK_OF(X509) *ca = NULL;
        CU_ASSERT_FATAL(p12 != NULL);
        CU_ASSERT(PKCS12_verify_mac(p12, SP, -1) == 1);
        CU_ASSERT(PKCS12_verify_mac(p12, "wrong", -1) == 0);
        CU_ASSERT(PKCS12_parse(p12, SP, &k, &x, &ca) == 1);
        CU_ASSERT(k && EVP_PKEY_eq(k, g_leaf_key) == 1);
        unsigned char *xd = NULL;
        int xl = x ? i2d_X509(x, &xd) : 0;
        CU_ASSERT(xl == (int)g_leaf.len && !memcmp(xd, g_leaf.der, g_leaf.len));
        OPENSSL_free(xd);
        CU_ASSERT(ca && sk_X509_num(ca) == 3); /* chain root, trusted root (own bag, as Java), other */
        EVP_PKEY_free(k);
        X509_free(x);
        sk_X509_pop_free(ca, X509_free);
        PKCS12_free(p12);
        jks_buffer_free(der, n);
    }
    jks_store_free(in);
}

/* A friendlyName is as long as the alias: 400 characters (800 bytes of
 * BMPString) on a trusted certificate and on a key's leaf survive. */
static void test_long_aliases_are_written(void)
{
    char alias[401], key_alias[401];
    memset(alias, 'a', 400);
    alias[400] = 0;
    memset(key_alias, 'k', 400);
    key_alias[400] = 0;
    jks_error err;
    jks_bytes leaf = {g_leaf.der, g_leaf.len};
    jks_store *in = jks_store_new(JKS_FORMAT_PKCS12);
    CU_ASSERT_FATAL(jks_store_add_trusted_cert(in, alias, -1, g_root.der, g_root.len, &err) == JKS_OK);
    CU_ASSERT_FATAL(jks_store_add_private_key(in, key_alias, 1700000000123LL, g_leaf_p8.der,
                                              g_leaf_p8.len, &leaf, 1, &err) == JKS_OK);
    jks_write_opts wo = wopts(SP, JKS_P12_MODERN);
    uint8_t *der;
    size_t n;
    jks_store *out = encode_decode(in, &wo, SP, &der, &n);
    CU_ASSERT_PTR_NOT_NULL(jks_store_find(out, alias));
    CU_ASSERT_PTR_NOT_NULL(jks_store_find(out, key_alias));
    jks_store_free(out);
    jks_buffer_free(der, n);
    jks_store_free(in);
}

/* The writer emits DER itself: OpenSSL's decoder then encoder must give back
 * the very same bytes, for the PFX and for the decrypted certificate safe
 * (SET OF attributes in DER order, minimal lengths), modern and legacy. */
static void test_output_is_the_der_openssl_encodes(void)
{
    jks_store *in = sample_store(1);
    for (int alg = 0; alg < 2; alg++) {
        jks_write_opts wo = wopts(SP, (jks_p12_algorithms)alg);
        uint8_t *der;
        size_t n;
        jks_error err;
        CU_ASSERT_FATAL(jks_store_write(in, &wo, &der, &n, &err) == JKS_OK);
        const unsigned char *p = der;
        PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)n);
        CU_ASSERT_FATAL(p12 != NULL);
        CU_ASSERT(p == der + n);
        unsigned char *re = NULL;
        int rn = i2d_PKCS12(p12, &re);
        CU_ASSERT(rn == (int)n && !memcmp(re, der, n));
        OPENSSL_free(re);
        STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
        CU_ASSERT_FATAL(safes != NULL);
        int seen_encrypted = 0, seen_data = 0;
        for (int i = 0; i < sk_PKCS7_num(safes); i++) {
            PKCS7 *p7 = sk_PKCS7_value(safes, i);
            unsigned char *plain = NULL;
            int pl = 0;
            if (PKCS7_type_is_encrypted(p7)) {
                PKCS7_ENC_CONTENT *ec = p7->d.encrypted->enc_data;
                seen_encrypted++;
                CU_ASSERT(PKCS12_pbe_crypt_ex(ec->algorithm, SP, -1, ec->enc_data->data,
                                              ec->enc_data->length, &plain, &pl, 0, NULL, NULL) != NULL);
            } else {
                seen_data++;
                CU_ASSERT_FATAL(PKCS7_type_is_data(p7));
                pl = p7->d.data->length;
                plain = OPENSSL_memdup(p7->d.data->data, (size_t)pl);
            }
            CU_ASSERT_FATAL(plain != NULL);
            const unsigned char *q = plain;
            STACK_OF(PKCS12_SAFEBAG) *bags = (STACK_OF(PKCS12_SAFEBAG) *)ASN1_item_d2i(
                NULL, &q, pl, ASN1_ITEM_rptr(PKCS12_SAFEBAGS));
            CU_ASSERT_FATAL(bags != NULL);
            unsigned char *bre = NULL;
            int bn = ASN1_item_i2d((ASN1_VALUE *)bags, &bre, ASN1_ITEM_rptr(PKCS12_SAFEBAGS));
            CU_ASSERT(bn == pl && !memcmp(bre, plain, (size_t)pl));
            OPENSSL_free(bre);
            sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
            OPENSSL_clear_free(plain, (size_t)pl);
        }
        CU_ASSERT_EQUAL(seen_encrypted, 1);
        CU_ASSERT_EQUAL(seen_data, 1);
        sk_PKCS7_pop_free(safes, PKCS7_free);
        PKCS12_free(p12);
        jks_buffer_free(der, n);
    }
    jks_store_free(in);
}

static void test_wrong_password_is_3(void)
{
    jks_store *in = sample_store(0), *out = NULL;
    jks_write_opts wo = wopts(SP, JKS_P12_MODERN);
    jks_read_opts ro = ropts("not-it");
    uint8_t *der;
    size_t n;
    jks_error err;
    CU_ASSERT_FATAL(jks_store_write(in, &wo, &der, &n, &err) == JKS_OK);
    CU_ASSERT_EQUAL(jks_store_read(der, n, &ro, &out, &err), JKS_ERR_PASSWORD);
    CU_ASSERT(out == NULL);
    CU_ASSERT(strstr(err.msg, "keystore password was incorrect") != NULL);
    ro = ropts("");
    CU_ASSERT_EQUAL(jks_store_read(der, n, &ro, &out, &err), JKS_ERR_PASSWORD);
    jks_buffer_free(der, n);
    jks_store_free(in);
}

/* Java's load(null): read what is not encrypted, integrity not checked. */
static void test_no_password_reads_unencrypted_parts(void)
{
    jks_store *in = sample_store(1), *out = NULL;
    jks_write_opts wo = wopts(SP, JKS_P12_MODERN);
    jks_read_opts ro = ropts(NULL);
    uint8_t *der;
    size_t n;
    jks_error err;
    CU_ASSERT_FATAL(jks_store_write(in, &wo, &der, &n, &err) == JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_read(der, n, &ro, &out, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_integrity(out), JKS_INTEGRITY_NOT_CHECKED);
    CU_ASSERT_EQUAL(jks_store_count(out), 4); /* key + 3 secrets; certs are encrypted */
    const jks_entry *e = jks_store_find(out, "Server-Key");
    CU_ASSERT_FATAL(e != NULL);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_ENCRYPTED);
    CU_ASSERT_EQUAL(jks_entry_chain_len(e), 0);
    CU_ASSERT(jks_entry_protected_key(e).len > 0);
    CU_ASSERT_STRING_EQUAL(out->p12.cert_alg, "pbes2-aes-256-cbc");
    CU_ASSERT_EQUAL(out->has_storepass, 0);
    jks_store_free(out);
    /* the key password alone still opens the keys */
    const char *kp[1] = {SP};
    ro.keypasses = kp;
    ro.n_keypasses = 1;
    CU_ASSERT_EQUAL_FATAL(jks_store_read(der, n, &ro, &out, &err), JKS_OK);
    e = jks_store_find(out, "Server-Key");
    CU_ASSERT(same(jks_entry_pkcs8(e), g_leaf_p8.der, g_leaf_p8.len));
    CU_ASSERT(same(jks_entry_secret(jks_store_find(out, "aes")), aes_key, sizeof(aes_key)));
    jks_store_free(out);
    jks_buffer_free(der, n);
    jks_store_free(in);
}

static const uint8_t trust_attr[] = {0x30, 0x16, 0x06, 0x0c, 0x60, 0x86, 0x48, 0x01, 0x86, 0xf9,
                                     0x66, 0xad, 0xca, 0x7b, 0x01, 0x01, 0x31, 0x06, 0x06, 0x04,
                                     0x55, 0x1d, 0x25, 0x00};
static const uint8_t myca_name[] = {0x30, 0x17, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                    0x0d, 0x01, 0x09, 0x14, 0x31, 0x0a, 0x1e, 0x08, 0x00,
                                    0x4d, 0x00, 0x79, 0x00, 0x43, 0x00, 0x41};

static int contains(const uint8_t *h, size_t hn, const uint8_t *nd, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++)
        if (!memcmp(h + i, nd, nn))
            return 1;
    return 0;
}

/* No store password: JDK-style password-less truststore (no MAC, certs in the
 * clear) carrying keytool's exact trust attribute bytes (FORMATS.md 4.3). */
static void test_passwordless_truststore(void)
{
    jks_store *in = jks_store_new(JKS_FORMAT_JKS), *out;
    jks_error err;
    CU_ASSERT_FATAL(jks_store_add_trusted_cert(in, "MyCA", -1, g_root.der, g_root.len, &err) == JKS_OK);
    jks_write_opts wo = wopts(NULL, JKS_P12_MODERN);
    uint8_t *der;
    size_t n;
    out = encode_decode(in, &wo, NULL, &der, &n);
    CU_ASSERT(contains(der, n, trust_attr, sizeof(trust_attr)));
    CU_ASSERT(contains(der, n, myca_name, sizeof(myca_name)));
    CU_ASSERT(contains(der, n, g_root.der, g_root.len));
    CU_ASSERT_EQUAL(out->p12.has_mac, 0);
    CU_ASSERT_STRING_EQUAL(out->p12.cert_alg, "none");
    CU_ASSERT_EQUAL(jks_store_integrity(out), JKS_INTEGRITY_NOT_CHECKED);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(out), 1);
    CU_ASSERT_EQUAL(jks_entry_kind_of(jks_store_entry(out, 0)), JKS_ENTRY_TRUSTED_CERT);
    CU_ASSERT_EQUAL(jks_store_entry(out, 0)->java_ignores, 0);
    jks_store_free(out);
    jks_buffer_free(der, n);
    jks_store_free(in);

    /* keys cannot go into a password-less store */
    in = sample_store(0);
    CU_ASSERT_EQUAL(jks_store_write(in, &wo, &der, &n, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.alias, "Server-Key");
    jks_store_free(in);
}

static void test_write_refusals(void)
{
    jks_store *in = sample_store(0);
    jks_write_opts wo = wopts(SP, JKS_P12_MODERN);
    uint8_t *der = NULL;
    size_t n;
    jks_error err;
    wo.keypass = "other";
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_write(in, &wo, &der, &n, &err), JKS_ERR_USAGE);
    CU_ASSERT(strstr(err.msg, "store password") != NULL);
    CU_ASSERT(der == NULL);
    wo.keypass = SP; /* equal: fine */
    CU_ASSERT_EQUAL(jks_store_write(in, &wo, &der, &n, &err), JKS_OK);
    jks_buffer_free(der, n);
    /* a key that was never decrypted */
    in->entries[0]->state = JKS_KEY_WRONG_PASSWORD;
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_write(in, &wo, &der, &n, &err), JKS_ERR_PASSWORD);
    CU_ASSERT_STRING_EQUAL(err.alias, "Server-Key");
    in->entries[0]->state = JKS_KEY_DECRYPTED;
    /* aliases equal once lower-cased */
    CU_ASSERT_FATAL(jks_store_add_trusted_cert(in, "myca", -1, g_root.der, g_root.len, &err) == JKS_OK);
    CU_ASSERT_EQUAL(jks_store_write(in, &wo, &der, &n, &err), JKS_ERR_USAGE);
    jks_store_free(in);
    /* a secret key algorithm Java has no OID for */
    in = jks_store_new(JKS_FORMAT_JCEKS);
    CU_ASSERT_FATAL(jks_store_add_secret_key(in, "x", -1, "NoSuchCipher", aes_key, 16, &err) == JKS_OK);
    CU_ASSERT_EQUAL(jks_store_write(in, &wo, &der, &n, &err), JKS_ERR_USAGE);
    jks_store_free(in);
}

static void test_empty_store(void)
{
    jks_store *in = jks_store_new(JKS_FORMAT_JKS), *out;
    jks_write_opts wo = wopts(SP, JKS_P12_MODERN);
    uint8_t *der;
    size_t n;
    out = encode_decode(in, &wo, SP, &der, &n);
    CU_ASSERT_EQUAL(jks_store_count(out), 0);
    CU_ASSERT_EQUAL(jks_store_integrity(out), JKS_INTEGRITY_VERIFIED);
    jks_store_free(out);
    jks_buffer_free(der, n);
    jks_store_free(in);
}

/* Every truncation is a clean JKS_ERR_FORMAT; single-byte corruption never
 * crashes and only ever yields 0, 3 or 4. */
static void test_truncated_and_corrupt(void)
{
    jks_store *in = sample_store(1), *out;
    jks_write_opts wo = wopts(SP, JKS_P12_MODERN);
    uint8_t *der;
    size_t n;
    jks_error err;
    jks_read_opts ro = ropts(SP);
    ro.force_format = JKS_FORMAT_PKCS12;
    CU_ASSERT_FATAL(jks_store_write(in, &wo, &der, &n, &err) == JKS_OK);
    int bad = 0, with_offset = 0;
    for (size_t cut = 0; cut < n; cut += (cut < 64 ? 1 : 7)) {
        out = NULL;
        jks_status s = jks_store_read(der, cut, &ro, &out, &err);
        if (s != JKS_ERR_FORMAT || out)
            bad++;
        if (err.offset >= 0 && err.offset <= (long long)cut)
            with_offset++;
        jks_store_free(out);
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(with_offset > 0);
    uint8_t *copy = malloc(n);
    for (size_t i = 0; i < n; i += 5) {
        memcpy(copy, der, n);
        copy[i] ^= 0x41;
        out = NULL;
        jks_status s = jks_store_read(copy, n, &ro, &out, &err);
        CU_ASSERT(s == JKS_OK || s == JKS_ERR_PASSWORD || s == JKS_ERR_FORMAT);
        jks_store_free(out);
    }
    free(copy);
    /* trailing garbage */
    uint8_t *longer = malloc(n + 3);
    memcpy(longer, der, n);
    memcpy(longer + n, "xyz", 3);
    CU_ASSERT_EQUAL(jks_store_read(longer, n + 3, &ro, &out, &err), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(err.offset, (long long)n);
    free(longer);
    jks_buffer_free(der, n);
    jks_store_free(in);
}

/* An authSafe without content (OpenJDK's EmptyAuthSafeTest-ks2): an empty
 * store, as newer JDKs read it; a cut or wrong form stays an error. */
static void test_empty_authsafe(void)
{
    static const uint8_t pfx[] = {0x30, 0x10, 0x02, 0x01, 0x03, 0x30, 0x0b, 0x06, 0x09, 0x2a,
                                  0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
    jks_store *st = NULL;
    jks_error err;
    jks_read_opts ro = ropts(SP);
    CU_ASSERT_EQUAL_FATAL(jks_store_read(pfx, sizeof(pfx), &ro, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_count(st), 0);
    CU_ASSERT_EQUAL(jks_store_format(st), JKS_FORMAT_PKCS12);
    jks_store_free(st);
    st = NULL;
    CU_ASSERT_EQUAL(jks_store_read(pfx, sizeof(pfx) - 1, &ro, &st, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(st);
}

static void test_iteration_cap(void)
{
    jks_store *in = sample_store(0), *out = NULL;
    jks_write_opts wo = wopts(SP, JKS_P12_MODERN);
    uint8_t *der;
    size_t n;
    jks_error err;
    jks_read_opts ro = ropts(SP);
    CU_ASSERT_FATAL(jks_store_write(in, &wo, &der, &n, &err) == JKS_OK);
    ro.max_iterations = 9999; /* the MAC uses 10000 */
    CU_ASSERT_EQUAL(jks_store_read(der, n, &ro, &out, &err), JKS_ERR_FORMAT);
    CU_ASSERT(strstr(err.msg, "iteration") != NULL);
    ro.max_iterations = 10000;
    CU_ASSERT_EQUAL(jks_store_read(der, n, &ro, &out, &err), JKS_OK);
    jks_store_free(out);
    jks_buffer_free(der, n);
    /* legacy: the MAC uses 100000 iterations: a cap of 60000 refuses it */
    wo = wopts(SP, JKS_P12_LEGACY);
    CU_ASSERT_FATAL(jks_store_write(in, &wo, &der, &n, &err) == JKS_OK);
    ro.max_iterations = 60000;
    CU_ASSERT_EQUAL(jks_store_read(der, n, &ro, &out, &err), JKS_ERR_FORMAT);
    jks_buffer_free(der, n);
    jks_store_free(in);
}

/* OpenSSL's -nokeys truststore: no trust attribute, no chain: listed but
 * marked as ignored by Java; aliases "1", "2" when no friendlyName. */
static void test_certs_without_trust(void)
{
    const unsigned char *p = g_root.der;
    X509 *root = d2i_X509(NULL, &p, (long)g_root.len);
    p = g_other.der;
    X509 *other = d2i_X509(NULL, &p, (long)g_other.len);
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, root);
    sk_X509_push(cas, other);
    PKCS12 *p12 = PKCS12_create(SP, NULL, NULL, NULL, cas, 0, 0, 0, 0, 0);
    CU_ASSERT_FATAL(p12 != NULL);
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    jks_read_opts ro = ropts(SP);
    jks_store *out = NULL;
    jks_error err;
    CU_ASSERT_EQUAL_FATAL(jks_store_read(der, (size_t)n, &ro, &out, &err), JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(out), 2);
    CU_ASSERT_EQUAL(out->p12.certs_without_trust, 2);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(jks_store_entry(out, 0)), "1");
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(jks_store_entry(out, 1)), "2");
    CU_ASSERT_EQUAL(jks_store_entry(out, 0)->java_ignores, 1);
    CU_ASSERT(same(jks_entry_cert(jks_store_entry(out, 0), 0), g_root.der, g_root.len));
    CU_ASSERT(same(jks_entry_cert(jks_store_entry(out, 1), 0), g_other.der, g_other.len));
    jks_store_free(out);
    OPENSSL_free(der);
    PKCS12_free(p12);
    sk_X509_pop_free(cas, X509_free);
}

/* openssl pkcs12 -keypbe NONE: the key in a plain keyBag. Java reads only
 * shrouded key bags and skips it (0 entries), so the entry is read, opened
 * and chained but marked like a cert bag Java does not show; written again,
 * the key is encrypted and Java sees it. */
static void test_plain_key_bag_is_not_java_visible(void)
{
    const unsigned char *p = g_leaf.der;
    X509 *leaf = d2i_X509(NULL, &p, (long)g_leaf.len);
    PKCS12 *p12 = PKCS12_create(SP, "plain", g_leaf_key, leaf, NULL, -1, -1, 0, 0, 0);
    CU_ASSERT_FATAL(p12 != NULL);
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    jks_read_opts ro = ropts(SP);
    jks_store *out = NULL;
    jks_error err;
    CU_ASSERT_EQUAL_FATAL(jks_store_read(der, (size_t)n, &ro, &out, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_integrity(out), JKS_INTEGRITY_VERIFIED);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(out), 1); /* the leaf is in the key's chain */
    const jks_entry *e = jks_store_entry(out, 0);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(e), "plain");
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_PRIVATE_KEY);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_protection(e), JKS_PROT_NONE);
    CU_ASSERT_EQUAL(jks_entry_java_visible(e), 0);
    CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(e), 1);
    CU_ASSERT(same(jks_entry_cert(e, 0), g_leaf.der, g_leaf.len));
    CU_ASSERT_EQUAL(out->p12.certs_without_trust, 0);

    jks_write_opts wo = wopts(SP, JKS_P12_MODERN);
    uint8_t *der2 = NULL;
    size_t n2 = 0;
    jks_store *again = encode_decode(out, &wo, SP, &der2, &n2);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(again), 1);
    e = jks_store_entry(again, 0);
    CU_ASSERT_EQUAL(jks_entry_protection(e), JKS_PROT_PKCS12);
    CU_ASSERT_EQUAL(jks_entry_java_visible(e), 1);
    CU_ASSERT(same(jks_entry_pkcs8(e), jks_entry_pkcs8(jks_store_entry(out, 0)).data,
                   jks_entry_pkcs8(jks_store_entry(out, 0)).len));
    jks_store_free(again);
    jks_buffer_free(der2, n2);
    jks_store_free(out);
    OPENSSL_free(der);
    PKCS12_free(p12);
    X509_free(leaf);
}

/* openssl pkcs12 -keysig / -keyex: a key usage attribute inside the PKCS#8
 * key (shrouded or plain key bag). Java's getKey().getEncoded() and OpenSSL's
 * key output leave it out, and so does the entry's key. */
static void test_key_attributes_are_dropped(void)
{
    const unsigned char *p = g_leaf.der;
    X509 *leaf = d2i_X509(NULL, &p, (long)g_leaf.len);
    const int nid_key[2] = {0, -1}; /* default PBE, then a plain keyBag */
    for (int i = 0; i < 2; i++) {
        PKCS12 *p12 = PKCS12_create(SP, "sig", g_leaf_key, leaf, NULL, nid_key[i], 0, 0, 0,
                                    KEY_SIG);
        CU_ASSERT_FATAL(p12 != NULL);
        unsigned char *der = NULL;
        int n = i2d_PKCS12(p12, &der);
        jks_read_opts ro = ropts(SP);
        jks_store *out = NULL;
        jks_error err;
        CU_ASSERT_EQUAL_FATAL(jks_store_read(der, (size_t)n, &ro, &out, &err), JKS_OK);
        CU_ASSERT_EQUAL_FATAL(jks_store_count(out), 1);
        const jks_entry *e = jks_store_entry(out, 0);
        CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
        CU_ASSERT(same(jks_entry_pkcs8(e), g_leaf_p8.der, g_leaf_p8.len));
        jks_store_free(out);
        OPENSSL_free(der);
        PKCS12_free(p12);
    }
    X509_free(leaf);
}

/* OpenSSL key + chain without localKeyID: the leaf is found by its public
 * key; the chain by issuer names. Also empty password, both encodings. */
static void test_openssl_key_chain_empty_password(void)
{
    const unsigned char *p = g_root.der;
    X509 *root = d2i_X509(NULL, &p, (long)g_root.len);
    p = g_leaf.der;
    X509 *leaf = d2i_X509(NULL, &p, (long)g_leaf.len);
    STACK_OF(X509) *cas = sk_X509_new_null();
    sk_X509_push(cas, root);
    /* no name; iteration -1 = no MAC? no: mac_iter 1, OpenSSL default algs */
    PKCS12 *p12 = PKCS12_create("", NULL, g_leaf_key, leaf, cas, 0, 0, 0, 0, 0);
    CU_ASSERT_FATAL(p12 != NULL);
    unsigned char *der = NULL;
    int n = i2d_PKCS12(p12, &der);
    const char *pws[2] = {"", NULL};
    for (int i = 0; i < 2; i++) {
        jks_read_opts ro = ropts(pws[i]);
        jks_store *out = NULL;
        jks_error err;
        CU_ASSERT_EQUAL_FATAL(jks_store_read(der, (size_t)n, &ro, &out, &err), JKS_OK);
        CU_ASSERT_EQUAL(jks_store_integrity(out), JKS_INTEGRITY_VERIFIED);
        CU_ASSERT_EQUAL_FATAL(jks_store_count(out), 1);
        const jks_entry *e = jks_store_entry(out, 0);
        CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_PRIVATE_KEY);
        CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
        CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(e), 2);
        CU_ASSERT(same(jks_entry_cert(e, 0), g_leaf.der, g_leaf.len));
        CU_ASSERT(same(jks_entry_cert(e, 1), g_root.der, g_root.len));
        jks_store_free(out);
    }
    OPENSSL_free(der);
    PKCS12_free(p12);
    X509_free(leaf);
    sk_X509_pop_free(cas, X509_free);
}

/* RFC 9579 A.1: valid PKCS#12 with PBMAC1 (HMAC-SHA256, PBKDF2-HMAC-SHA256,
 * 2048 iterations, keyLength 32), password "1234". */
static const char rfc9579_a1[] =
    "MIIKigIBAzCCCgUGCSqGSIb3DQEHAaCCCfYEggnyMIIJ7jCCBGIGCSqGSIb3DQEH"
    "BqCCBFMwggRPAgEAMIIESAYJKoZIhvcNAQcBMFcGCSqGSIb3DQEFDTBKMCkGCSqG"
    "SIb3DQEFDDAcBAg9pxXxY2yscwICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQME"
    "ASoEEK7yYaFQDi1pYwWzm9F/fs+AggPgFIT2XapyaFgDppdvLkdvaF3HXw+zjzKb"
    "7xFC76DtVPhVTWVHD+kIss+jsj+XyvMwY0aCuAhAG/Dig+vzWomnsqB5ssw5/kTb"
    "+TMQ5PXLkNeoBmB6ArKeGc/QmCBQvQG/a6b+nXSWmxNpP+71772dmWmB8gcSJ0kF"
    "Fj75NrIbmNiDMCb71Q8gOzBMFf6BpXf/3xWAJtxyic+tSNETfOJa8zTZb0+lV0w9"
    "5eUmDrPUpuxEVbb0KJtIc63gRkcfrPtDd6Ii4Zzbzj2Evr4/S4hnrQBsiryVzJWy"
    "IEjaD0y6+DmG0JwMgRuGi1wBoGowi37GMrDCOyOZWC4n5wHLtYyhR6JaElxbrhxP"
    "H46z2USLKmZoF+YgEQgYcSBXMgP0t36+XQocFWYi2N5niy02TnctwF430FYsQlhJ"
    "Suma4I33E808dJuMv8T/soF66HsD4Zj46hOf4nWmas7IaoSAbGKXgIa7KhGRJvij"
    "xM3WOX0aqNi/8bhnxSA7fCmIy/7opyx5UYJFWGBSmHP1pBHBVmx7Ad8SAsB9MSsh"
    "nbGjGiUk4h0QcOi29/M9WwFlo4urePyI8PK2qtVAmpD3rTLlsmgzguZ69L0Q/CFU"
    "fbtqsMF0bgEuh8cfivd1DYFABEt1gypuwCUtCqQ7AXK2nQqOjsQCxVz9i9K8NDeD"
    "aau98VAl0To2sk3/VR/QUq0PRwU1jPN5BzUevhE7SOy/ImuJKwpGqqFljYdrQmj5"
    "jDe+LmYH9QGVRlfN8zuU+48FY8CAoeBeHn5AAPml0PYPVUnt3/jQN1+v+CahNVI+"
    "La8q1Nen+j1R44aa2I3y/pUgtzXRwK+tPrxTQbG030EU51LYJn8amPWmn3w75ZIA"
    "MJrXWeKj44de7u4zdUsEBVC2uM44rIHM8MFjyYAwYsey0rcp0emsaxzar+7ZA67r"
    "lDoXvvS3NqsnTXHcn3T9tkPRoee6L7Dh3x4Od96lcRwgdYT5BwyH7e34ld4VTUmJ"
    "bDEq7Ijvn4JKrwQJh1RCC+Z/ObfkC42xAm7G010u3g08xB0Qujpdg4a7VcuWrywF"
    "c7hLNquuaF4qoDaVwYXHH3iuX6YlJ/3siTKbYCVXPEZOAMBP9lF/OU76UMJBQNfU"
    "0xjDx+3AhUVgnGuCsmYlK6ETDp8qOZKGyV0KrNSGtqLx3uMhd7PETeW+ML3tDQ/0"
    "X9fMkcZHi4C2fXnoHV/qa2dGhBj4jjQ0Xh1poU6mxGn2Mebe2hDsBZkkBpnn7pK4"
    "wP/VqXdQTwqEuvzGHLVFsCuADe40ZFBmtBrf70wG7ZkO8SUZ8Zz1IX3+S024g7yj"
    "QRev/6x6TtkwggWEBgkqhkiG9w0BBwGgggV1BIIFcTCCBW0wggVpBgsqhkiG9w0B"
    "DAoBAqCCBTEwggUtMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhTxzw+"
    "VptrYAICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEK9nSqc1I2t4tMVG"
    "bWHpdtQEggTQzCwI7j34gCTvfj6nuOSndAjShGv7mN2j7WMV0pslTpq2b9Bn3vn1"
    "Y0JMvL4E7sLrUzNU02pdOcfCnEpMFccNv2sQrLp1mOCKxu8OjSqHZLoKVL0ROVsZ"
    "8dMECLLigDlPKRiSyLErl14tErX4/zbkUaWMROO28kFbTbubQ8YoHlRUwsKW1xLg"
    "vfi0gRkG/zHXRfQHjX/8NStv7hXlehn7/Gy2EKPsRFhadm/iUHAfmCMkMgHTU248"
    "JER9+nsXltd59H+IeDpj/kbxZ+YvHow9XUZKu828d3MQnUpLZ1BfJGhMBPVwbVUD"
    "A40CiQBVdCoGtPJyalL28xoS3H0ILFCnwQOr6u0HwleNJPGHq78HUyH6Hwxnh0b0"
    "5o163r6wTFZn5cMOxpbs/Ttd+3TrxmrYpd2XnuRme3cnaYJ0ILvpc/8eLLR7SKjD"
    "T4JhZ0h/CfcV2WWvhpQugkY0pWrZ+EIMneB1dZB96mJVLxOi148OeSgi0PsxZMNi"
    "YM33rTpwQT5WqOsEyDwUQpne5b8Kkt/s7EN0LJNnPyJJRL1LcqOdr6j+6YqRtPa7"
    "a9oWJqMcuTP+bqzGRJh+3HDlFBw2Yzp9iadv4KmB2MzhStLUoi2MSjvnnkkd5Led"
    "sshAd6WbKfF7kLAHQHT4Ai6dMEO4EKkEVF9JBtxCR4JEn6C98Lpg+Lk+rfY7gHOf"
    "ZxtgGURwgXRY3aLUrdT55ZKgk3ExVKPzi5EhdpAau7JKhpOwyKozAp/OKWMNrz6h"
    "obu2Mbn1B+IA60psYHHxynBgsJHv7WQmbYh8HyGfHgVvaA8pZCYqxxjpLjSJrR8B"
    "Bu9H9xkTh7KlhxgreXYv19uAYbUd95kcox9izad6VPnovgFSb+Omdy6PJACPj6hF"
    "W6PJbucP0YPpO0VtWtQdZZ3df1P0hZ7qvKwOPFA+gKZSckgqASfygiP9V3Zc8jIi"
    "wjNzoDM2QT+UUJKiiGYXJUEOO9hxzFHlGj759DcNRhpgl5AgR57ofISD9yBuCAJY"
    "PQ/aZHPFuRTrcVG3RaIbCAS73nEznKyFaLOXfzyfyaSmyhsH253tnyL1MejC+2bR"
    "Eko/yldgFUxvU5JI+Q3KJ6Awj+PnduHXx71E4UwSuu2xXYMpxnQwI6rroQpZBX82"
    "HhqgcLV83P8lpzQwPdHjH5zkoxmWdC0+jU/tcQfNXYpJdyoaX7tDmVclLhwl9ps/"
    "O841pIsNLJWXwvxG6B+3LN/kw4QjwN194PopiOD7+oDm5mhttO78CrBrRxHMD/0Q"
    "qniZjKzSZepxlZq+J792u8vtMnuzzChxu0Bf3PhIXcJNcVhwUtr0yKe/N+NvC0tm"
    "p8wyik/BlndxN9eKbdTOi2wIi64h2QG8nOk66wQ/PSIJYwZl6eDNEQSzH/1mGCfU"
    "QnUT17UC/p+Qgenf6Auap2GWlvsJrB7u/pytz65rtjt/ouo6Ih6EwWqwVVpGXZD0"
    "7gVWH0Ke/Vr6aPGNvkLcmftPuDZsn9jiig3guhdeyRVf10Ox369kKWcG75q77hxE"
    "IzSzDyUlBNbnom9SIjut3r+qVYmWONatC6q/4D0I42Lnjd3dEyZx7jmH3g/S2ASM"
    "FzWr9pvXc61dsYOkdZ4PYa9XPUZxXFagZsoS3F1sU799+IJVU0tC0MExJTAjBgkq"
    "hkiG9w0BCRUxFgQUwWO5DorvVWYF3BWUmAw0rUEajScwfDBtMEkGCSqGSIb3DQEF"
    "DjA8MCwGCSqGSIb3DQEFDDAfBAhvRzw4sC4xcwICCAACASAwDAYIKoZIhvcNAgkF"
    "ADAMBggqhkiG9w0CCQUABCB6pW2FOdcCNj87zS64NUXG36K5aXDnFHctIk5Bf4kG"
    "3QQITk9UIFVTRUQCAQE=";

static uint8_t *a1_bytes(size_t *n)
{
    size_t b64 = strlen(rfc9579_a1);
    uint8_t *out = malloc(b64);
    int len = EVP_DecodeBlock(out, (const unsigned char *)rfc9579_a1, (int)b64);
    if (len < 0)
        exit(2);
    while (b64 && rfc9579_a1[b64 - 1] == '=') { /* DecodeBlock counts padding */
        len--;
        b64--;
    }
    *n = (size_t)len;
    return out;
}

static size_t find(const uint8_t *h, size_t hn, const uint8_t *nd, size_t nn)
{
    for (size_t i = 0; i + nn <= hn; i++)
        if (!memcmp(h + i, nd, nn))
            return i;
    return (size_t)-1;
}

static void test_pbmac1_rfc9579(void)
{
    size_t n;
    uint8_t *d = a1_bytes(&n);
    jks_read_opts ro = ropts("1234");
    jks_store *out = NULL;
    jks_error err;
    CU_ASSERT_EQUAL_FATAL(n, 2702);
    jks_status s = jks_store_read(d, n, &ro, &out, &err);
    if (s)
        fprintf(stderr, "A.1: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    CU_ASSERT_EQUAL(jks_store_integrity(out), JKS_INTEGRITY_VERIFIED);
    CU_ASSERT_STRING_EQUAL(out->p12.mac_alg, "pbmac1-hmac-sha256");
    CU_ASSERT_EQUAL(out->p12.mac_iterations, 2048);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(out), 1);
    CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_entry(out, 0)), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_chain_len(jks_store_entry(out, 0)), 1);
    jks_store_free(out);
    ro = ropts("12345");
    CU_ASSERT_EQUAL(jks_store_read(d, n, &ro, &out, &err), JKS_ERR_PASSWORD);
    ro = ropts("1234");
    ro.max_iterations = 2000;
    CU_ASSERT_EQUAL(jks_store_read(d, n, &ro, &out, &err), JKS_ERR_FORMAT);
    /* a changed authSafe byte fails the MAC */
    uint8_t *t = malloc(n);
    memcpy(t, d, n);
    t[100] ^= 1;
    ro = ropts("1234");
    CU_ASSERT_EQUAL(jks_store_read(t, n, &ro, &out, &err), JKS_ERR_PASSWORD);
    free(t);
    free(d);
}

/* The MAC-bypass shape: keyLength 16 with a MAC that is correct for it (an
 * attacker can find such a key without the password). Must be refused. */
static void test_pbmac1_short_key_refused(void)
{
    size_t n;
    uint8_t *d = a1_bytes(&n);
    /* PBKDF2-params tail in macData: iteration 2048 (02 02 08 00), keyLength 32 (02 01 20) */
    static const uint8_t kdf_tail[] = {0x02, 0x02, 0x08, 0x00, 0x02, 0x01, 0x20, 0x30, 0x0c};
    size_t at = find(d + 2600, n - 2600, kdf_tail, sizeof(kdf_tail));
    CU_ASSERT_FATAL(at != (size_t)-1);
    at += 2600;
    d[at + 6] = 16;
    /* salt: 04 08 <8 bytes> just before the iteration count */
    const uint8_t *salt = d + at - 8;
    uint8_t key[16], mac[32];
    unsigned ml;
    CU_ASSERT_FATAL(PKCS5_PBKDF2_HMAC("1234", 4, salt, 8, 2048, EVP_sha256(), 16, key));
    /* authSafe octets: 30 82 0a 8a | 02 01 03 | 30 82 0a 05 06 09 <oid> a0 82 09 f6 04 82 09 f2 */
    const uint8_t *content = d + 4 + 3 + 4 + 11 + 4 + 4;
    size_t content_len = 0x9f2;
    CU_ASSERT_FATAL(HMAC(EVP_sha256(), key, 16, content, content_len, mac, &ml) != NULL);
    static const uint8_t mac_hdr[] = {0x05, 0x00, 0x04, 0x20};
    size_t m = find(d + at, n - at, mac_hdr, sizeof(mac_hdr));
    CU_ASSERT_FATAL(m != (size_t)-1);
    memcpy(d + at + m + 4, mac, 32);
    jks_read_opts ro = ropts("1234");
    jks_store *out = NULL;
    jks_error err;
    CU_ASSERT_EQUAL(jks_store_read(d, n, &ro, &out, &err), JKS_ERR_FORMAT);
    CU_ASSERT(strstr(err.msg, "keyLength 16") != NULL);
    CU_ASSERT(out == NULL);
    /* the same bytes with keyLength 32 and this MAC are simply a wrong MAC */
    d[at + 6] = 32;
    CU_ASSERT_EQUAL(jks_store_read(d, n, &ro, &out, &err), JKS_ERR_PASSWORD);
    free(d);
}

/* ---- helper modes for tests/interop/pkcs12.sh ---- */

static int dump(const char *file, const char *pass)
{
    jks_read_opts ro = ropts(pass);
    jks_store *st;
    jks_error err;
    char buf[512], h[65];
    if (jks_store_read_file(file, &ro, &st, &err) != JKS_OK) {
        fprintf(stderr, "%s: %s\n", file, jks_error_format(&err, buf, sizeof(buf)));
        return (int)err.status;
    }
    printf("integrity\t%s\n", jks_store_integrity(st) == JKS_INTEGRITY_VERIFIED ? "verified" : "not-checked");
    for (size_t i = 0; i < jks_store_count(st); i++) {
        const jks_entry *e = jks_store_entry(st, i);
        jks_bytes k = jks_entry_kind_of(e) == JKS_ENTRY_SECRET_KEY ? jks_entry_secret(e)
                                                                   : jks_entry_pkcs8(e);
        if (k.len)
            jks_sha256_hex(k.data, k.len, h);
        else
            strcpy(h, "-");
        printf("entry\t%s\t%s%s\t%s\t%s", jks_entry_alias(e), jks_entry_kind_name(jks_entry_kind_of(e)),
               e->java_ignores ? "(ignored)" : "", h,
               jks_entry_secret_algorithm(e) ? jks_entry_secret_algorithm(e) : "-");
        for (size_t j = 0; j < jks_entry_chain_len(e); j++) {
            jks_bytes c = jks_entry_cert(e, j);
            jks_sha256_hex(c.data, c.len, h);
            printf("\t%s", h);
        }
        printf("\n");
    }
    jks_store_free(st);
    return 0;
}

static int write_p12(const char *in, const char *inpass, const char *out, const char *outpass,
                     const char *mode)
{
    jks_read_opts ro = ropts(inpass);
    jks_store *st;
    jks_error err;
    char buf[512];
    uint8_t *der;
    size_t n;
    jks_write_opts wo = wopts(strcmp(mode, "nopass") ? outpass : NULL,
                              strcmp(mode, "legacy") ? JKS_P12_MODERN : JKS_P12_LEGACY);
    if (jks_store_read_file(in, &ro, &st, &err) != JKS_OK ||
        jks_store_write(st, &wo, &der, &n, &err) != JKS_OK ||
        jks_file_write_atomic(out, der, n, 0600, 1, &err) != JKS_OK) {
        fprintf(stderr, "%s: %s\n", in, jks_error_format(&err, buf, sizeof(buf)));
        return (int)err.status;
    }
    jks_buffer_free(der, n);
    jks_store_free(st);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && !strcmp(argv[1], "--dump"))
        return dump(argv[2], argc > 3 ? argv[3] : NULL);
    if (argc == 7 && !strcmp(argv[1], "--write"))
        return write_p12(argv[2], argv[3], argv[4], argv[5], argv[6]);
    static const test_case cases[] = {
        {"legacy stays in the library's own context", test_legacy_stays_in_private_context},
        {"roundtrip_modern", test_roundtrip_modern},
        {"roundtrip_legacy", test_roundtrip_legacy},
        {"openssl_parses_output", test_openssl_parses_output},
        {"output is the DER OpenSSL encodes", test_output_is_the_der_openssl_encodes},
        {"long aliases are written", test_long_aliases_are_written},
        {"wrong_password_is_3", test_wrong_password_is_3},
        {"no_password_reads_unencrypted_parts", test_no_password_reads_unencrypted_parts},
        {"passwordless_truststore", test_passwordless_truststore},
        {"write_refusals", test_write_refusals},
        {"empty_store", test_empty_store},
        {"truncated_and_corrupt", test_truncated_and_corrupt},
        {"iteration_cap", test_iteration_cap},
        {"empty authSafe is an empty store", test_empty_authsafe},
        {"certs_without_trust", test_certs_without_trust},
        {"plain key bag is not Java-visible", test_plain_key_bag_is_not_java_visible},
        {"key attributes are dropped", test_key_attributes_are_dropped},
        {"openssl_key_chain_empty_password", test_openssl_key_chain_empty_password},
        {"pbmac1_rfc9579", test_pbmac1_rfc9579},
        {"pbmac1_short_key_refused", test_pbmac1_short_key_refused},
    };
    fixtures();
    int rc = run_suite("pkcs12", cases, sizeof(cases) / sizeof(cases[0]));
    EVP_PKEY_free(g_root_key);
    EVP_PKEY_free(g_leaf_key);
    free(g_root.der);
    free(g_leaf.der);
    free(g_other.der);
    free(g_leaf_p8.der);
    return rc;
}
