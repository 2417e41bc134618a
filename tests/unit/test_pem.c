/* Suite "pem": the PEM/DER codec (pkcs12/pem.c, FORMATS.md 5). Keys and
 * certificates are made here with OpenSSL, written as PEM/DER by OpenSSL,
 * and the decoded model is compared with their DER bytes and key hashes. */
#include "jks/jks.h"
#include "testutil.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

typedef struct {
    EVP_PKEY *key;
    X509 *cert;
    unsigned char *der;
    int der_len;
    char sha256[65];
    char spki[65];
} pki;

#define HAS(s) memmem(out, out_len, (s), strlen(s))

static pki root, inter, leaf, leaf2, other, rsa;

static X509 *make_cert(const char *cn, EVP_PKEY *pub, X509 *issuer, EVP_PKEY *ikey, int ca,
                       long serial)
{
    X509 *x = X509_new();
    X509_NAME *n = X509_NAME_new();
    X509V3_CTX ctx;
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(x, n);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
    X509_set_pubkey(x, pub);
    X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints,
                                              ca ? "critical,CA:TRUE" : "CA:FALSE");
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    X509_sign(x, ikey ? ikey : pub, EVP_sha256());
    X509_NAME_free(n);
    return x;
}

static void fill(pki *p, const char *cn, EVP_PKEY *key, pki *issuer, int ca, long serial)
{
    p->key = key;
    p->cert = make_cert(cn, key, issuer ? issuer->cert : NULL, issuer ? issuer->key : NULL, ca,
                        serial);
    p->der = NULL;
    p->der_len = i2d_X509(p->cert, &p->der);
    jks_sha256_hex(p->der, (size_t)p->der_len, p->sha256);
    unsigned char *spki = NULL;
    int sl = i2d_PUBKEY(key, &spki);
    jks_sha256_hex(spki, (size_t)sl, p->spki);
    OPENSSL_free(spki);
}

static void pki_free(pki *p)
{
    EVP_PKEY_free(p->key);
    X509_free(p->cert);
    OPENSSL_free(p->der);
}

/* A growing text buffer fed by OpenSSL's PEM writers. */
typedef struct {
    char *s;
    size_t n;
} text;

static void add(text *t, const char *s, size_t n)
{
    t->s = realloc(t->s, t->n + n + 1);
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = 0;
}

static void adds(text *t, const char *s) { add(t, s, strlen(s)); }

static void add_bio(text *t, BIO *b)
{
    char *p;
    long n = BIO_get_mem_data(b, &p);
    add(t, p, (size_t)n);
    BIO_free(b);
}

static void add_cert(text *t, const pki *p)
{
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(b, p->cert);
    add_bio(t, b);
}

static void add_key(text *t, const pki *p) /* PKCS#8 "PRIVATE KEY" */
{
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(b, p->key, NULL, NULL, 0, NULL, NULL);
    add_bio(t, b);
}

static jks_store *read_text(const text *t, const char *storepass, jks_status *status,
                            jks_error *err)
{
    jks_read_opts o;
    jks_store *st = NULL;
    memset(&o, 0, sizeof(o));
    o.storepass = storepass;
    jks_error_clear(err);
    *status = jks_store_read((const uint8_t *)t->s, t->n, &o, &st, err);
    return st;
}

static const char *cert_sha(const jks_entry *e, size_t i, char out[65])
{
    jks_bytes c = jks_entry_cert(e, i);
    out[0] = 0;
    if (c.len)
        jks_sha256_hex(c.data, c.len, out);
    return out;
}

static const char *key_spki(const jks_entry *e, jks_key_info *ki)
{
    jks_bytes p = jks_entry_pkcs8(e);
    memset(ki, 0, sizeof(*ki));
    if (!p.len || jks_key_info_get(p.data, p.len, ki) != JKS_OK)
        return "";
    return ki->spki_sha256;
}

/* ---- tests ---- */

/* pem_certs_only (a version-2 field of jks_write_opts): certificates only;
 * a version-1 caller's struct has no such field, so it is not read there. */
static void test_certs_only_and_options_version(void)
{
    const pki *a = &leaf; /* the suite's fixture: an EC key and its certificate */
    text t = {0};
    add_key(&t, a);
    add_cert(&t, a);
    jks_status s;
    jks_error err;
    jks_store *st = read_text(&t, NULL, &s, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    for (int v = 1; v <= 2; v++) {
        jks_write_opts w = JKS_WRITE_OPTS_INIT;
        w.version = (unsigned)v;
        w.format = JKS_FORMAT_PEM;
        w.pem_certs_only = 1;
        uint8_t *out = NULL;
        size_t n = 0;
        CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &w, &out, &n, &err), JKS_OK);
        int has_key = memmem(out, n, "PRIVATE KEY", 11) != NULL;
        CU_ASSERT(memmem(out, n, "BEGIN CERTIFICATE", 17) != NULL);
        CU_ASSERT_EQUAL(has_key, v == 1); /* v1: the field is not there to read */
        jks_free(out);
    }
    jks_store_free(st);
    free(t.s);
}

static void test_bundle_out_of_order_pairs_key_and_orders_chain(void)
{
    text t = {0};
    jks_error err;
    jks_status s;
    char h[65];
    jks_key_info ki;
    adds(&t, "Bag Attributes\n    friendlyName: whatever\n");
    add_cert(&t, &inter);
    adds(&t, "subject=CN = junk between blocks\n\n");
    add_cert(&t, &root);
    add_key(&t, &leaf);
    adds(&t, "some trailing words -----\n");
    add_cert(&t, &other);
    add_cert(&t, &leaf);
    jks_store *st = read_text(&t, NULL, &s, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    CU_ASSERT_EQUAL(jks_store_format(st), JKS_FORMAT_PEM);
    CU_ASSERT_EQUAL(jks_store_integrity(st), JKS_INTEGRITY_NOT_CHECKED);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 2);
    const jks_entry *k = jks_store_entry(st, 0), *tr = jks_store_entry(st, 1);
    /* the key entry sits at the key block's position, before "other" */
    CU_ASSERT_EQUAL(jks_entry_kind_of(k), JKS_ENTRY_PRIVATE_KEY);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(k), "Leaf.Example.com");
    CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(k), 3);
    CU_ASSERT_STRING_EQUAL(cert_sha(k, 0, h), leaf.sha256);
    CU_ASSERT_STRING_EQUAL(cert_sha(k, 1, h), inter.sha256);
    CU_ASSERT_STRING_EQUAL(cert_sha(k, 2, h), root.sha256);
    CU_ASSERT_EQUAL(jks_entry_key_state(k), JKS_KEY_DECRYPTED);
    CU_ASSERT_STRING_EQUAL(key_spki(k, &ki), leaf.spki);
    CU_ASSERT_EQUAL(jks_entry_kind_of(tr), JKS_ENTRY_TRUSTED_CERT);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(tr), "Other CA");
    CU_ASSERT_STRING_EQUAL(cert_sha(tr, 0, h), other.sha256);
    jks_store_free(st);
    free(t.s);
}

static void test_crlf_line_ends_read_like_lf(void)
{
    text t = {0}, crlf = {0};
    jks_error err;
    jks_status s;
    char h[65];
    add_key(&t, &leaf);
    add_cert(&t, &leaf);
    add_cert(&t, &inter);
    for (size_t i = 0; i < t.n; i++) {
        if (t.s[i] == '\n')
            add(&crlf, "\r", 1);
        add(&crlf, t.s + i, 1);
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(crlf.s, "-----\r\n"));
    jks_store *st = read_text(&crlf, NULL, &s, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 1);
    CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(jks_store_entry(st, 0)), 2);
    CU_ASSERT_STRING_EQUAL(cert_sha(jks_store_entry(st, 0), 1, h), inter.sha256);
    jks_store_free(st);
    free(t.s);
    free(crlf.s);
}

static void test_trusted_certificate_aux_is_stripped(void)
{
    text t = {0};
    jks_error err;
    jks_status s;
    char h[65];
    X509 *x = X509_dup(other.cert);
    X509_add1_trust_object(x, OBJ_nid2obj(NID_server_auth));
    X509_alias_set1(x, (const unsigned char *)"aux-alias", -1);
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_X509_AUX(b, x);
    add_bio(&t, b);
    X509_free(x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(strstr(t.s, "BEGIN TRUSTED CERTIFICATE"));
    jks_store *st = read_text(&t, NULL, &s, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 1);
    const jks_entry *e = jks_store_entry(st, 0);
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_TRUSTED_CERT);
    CU_ASSERT_EQUAL(jks_entry_cert(e, 0).len, (size_t)other.der_len);
    CU_ASSERT_STRING_EQUAL(cert_sha(e, 0, h), other.sha256);
    jks_store_free(st);
    free(t.s);
}

static void test_traditional_rsa_and_ec_keys_become_pkcs8(void)
{
    text t = {0};
    jks_error err;
    jks_status s;
    jks_key_info ki;
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey_traditional(b, rsa.key, NULL, NULL, 0, NULL, NULL);
    add_bio(&t, b);
    b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey_traditional(b, leaf.key, NULL, NULL, 0, NULL, NULL);
    add_bio(&t, b);
    CU_ASSERT_PTR_NOT_NULL(strstr(t.s, "BEGIN RSA PRIVATE KEY"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t.s, "BEGIN EC PRIVATE KEY"));
    add_cert(&t, &leaf);
    add_cert(&t, &rsa);
    jks_store *st = read_text(&t, NULL, &s, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 2);
    const jks_entry *a = jks_store_entry(st, 0), *e = jks_store_entry(st, 1);
    CU_ASSERT_STRING_EQUAL(key_spki(a, &ki), rsa.spki);
    CU_ASSERT_STRING_EQUAL(ki.algorithm, "RSA");
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(a), "RSA Server");
    CU_ASSERT_EQUAL(jks_entry_chain_len(a), 1);
    CU_ASSERT_STRING_EQUAL(key_spki(e, &ki), leaf.spki);
    CU_ASSERT_STRING_EQUAL(ki.algorithm, "EC");
    CU_ASSERT_EQUAL(jks_entry_chain_len(e), 1);
    jks_store_free(st);
    free(t.s);
}

static void test_encrypted_pkcs8_opens_with_password_or_stays_encrypted(void)
{
    text t = {0};
    jks_error err;
    jks_status s;
    jks_key_info ki;
    char h[65];
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_PKCS8PrivateKey(b, leaf.key, EVP_aes_256_cbc(), NULL, 0, NULL, "s3cret");
    add_bio(&t, b);
    add_cert(&t, &other); /* a distractor first: pairing is by public key */
    add_cert(&t, &leaf);
    CU_ASSERT_PTR_NOT_NULL(strstr(t.s, "BEGIN ENCRYPTED PRIVATE KEY"));

    jks_store *st = read_text(&t, "s3cret", &s, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 2);
    const jks_entry *e = jks_store_entry(st, 0);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_protection(e), JKS_PROT_PKCS8_PBES2);
    CU_ASSERT_EQUAL(jks_entry_password_index(e), 0); /* the store password, no keypasses */
    CU_ASSERT_STRING_EQUAL(key_spki(e, &ki), leaf.spki);
    CU_ASSERT_STRING_EQUAL(cert_sha(e, 0, h), leaf.sha256);
    jks_store_free(st);

    /* no password: listed, not decrypted, protected bytes kept */
    st = read_text(&t, NULL, &s, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    e = jks_store_entry(st, 0);
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_PRIVATE_KEY);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_ENCRYPTED);
    CU_ASSERT(jks_entry_protected_key(e).len > 0);
    CU_ASSERT_EQUAL(jks_entry_pkcs8(e).len, 0);
    jks_store_free(st);

    st = read_text(&t, "wrong", &s, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_entry(st, 0)), JKS_KEY_WRONG_PASSWORD);
    jks_store_free(st);
    free(t.s);
}

/* A key no password opens has no public key to compare: it must not be
 * handed the certificate that happens to follow it (it did: "other" became
 * its chain). */
static void test_undecrypted_key_gets_no_guessed_chain(void)
{
    text t = {0};
    jks_error err;
    jks_status s;
    char h[65];
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_PKCS8PrivateKey(b, leaf.key, EVP_aes_256_cbc(), NULL, 0, NULL, "s3cret");
    add_bio(&t, b);
    add_cert(&t, &other); /* not the key's certificate */
    const char *pws[] = {"wrong", NULL};
    for (size_t k = 0; k < 2; k++) {
        jks_store *st = read_text(&t, pws[k], &s, &err);
        CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
        CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 2);
        const jks_entry *e = jks_store_entry(st, 0);
        CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_PRIVATE_KEY);
        CU_ASSERT_EQUAL(jks_entry_key_state(e),
                        pws[k] ? JKS_KEY_WRONG_PASSWORD : JKS_KEY_ENCRYPTED);
        CU_ASSERT_EQUAL(jks_entry_chain_len(e), 0);
        e = jks_store_entry(st, 1);
        CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_TRUSTED_CERT);
        CU_ASSERT_STRING_EQUAL(cert_sha(e, 0, h), other.sha256);
        jks_store_free(st);
    }
    free(t.s);
}

static void test_keypasses_tried_before_store_password(void)
{
    text t = {0};
    jks_error err;
    jks_store *st = NULL;
    jks_read_opts o;
    const char *kps[2] = {"nope", "kp2"};
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio_PKCS8PrivateKey(b, leaf.key, EVP_aes_256_cbc(), NULL, 0, NULL, "kp2");
    add_bio(&t, b);
    add_cert(&t, &leaf);
    memset(&o, 0, sizeof(o));
    o.storepass = "other";
    o.keypasses = kps;
    o.n_keypasses = 2;
    jks_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(jks_store_read((uint8_t *)t.s, t.n, &o, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_entry(st, 0)), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_password_index(jks_store_entry(st, 0)), 1);
    jks_store_free(st);
    free(t.s);
}

static void test_single_der_certificate_and_der_key(void)
{
    jks_error err;
    jks_store *st = NULL;
    char h[65];
    jks_key_info ki;
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_format_sniff(leaf.der, (size_t)leaf.der_len), JKS_FORMAT_PEM);
    CU_ASSERT_EQUAL_FATAL(jks_store_read(leaf.der, (size_t)leaf.der_len, NULL, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 1);
    CU_ASSERT_EQUAL(jks_entry_kind_of(jks_store_entry(st, 0)), JKS_ENTRY_TRUSTED_CERT);
    CU_ASSERT_STRING_EQUAL(cert_sha(jks_store_entry(st, 0), 0, h), leaf.sha256);
    jks_store_free(st);

    unsigned char *p8 = NULL;
    PKCS8_PRIV_KEY_INFO *pi = EVP_PKEY2PKCS8(leaf.key);
    int n = i2d_PKCS8_PRIV_KEY_INFO(pi, &p8);
    PKCS8_PRIV_KEY_INFO_free(pi);
    CU_ASSERT_EQUAL_FATAL(jks_store_read(p8, (size_t)n, NULL, &st, &err), JKS_OK);
    const jks_entry *e = jks_store_entry(st, 0);
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_PRIVATE_KEY);
    CU_ASSERT_EQUAL(jks_entry_chain_len(e), 0); /* a key without its certificate */
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(e), "key-1");
    CU_ASSERT_STRING_EQUAL(key_spki(e, &ki), leaf.spki);
    CU_ASSERT_EQUAL(jks_entry_pkcs8(e).len, (size_t)n);
    CU_ASSERT(memcmp(jks_entry_pkcs8(e).data, p8, (size_t)n) == 0);
    jks_store_free(st);

    /* trailing garbage after a DER certificate is not a certificate */
    unsigned char *junk = malloc((size_t)leaf.der_len + 3);
    memcpy(junk, leaf.der, (size_t)leaf.der_len);
    memcpy(junk + leaf.der_len, "xyz", 3);
    CU_ASSERT_EQUAL(jks_store_read(junk, (size_t)leaf.der_len + 3, NULL, &st, &err),
                    JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(st);
    free(junk);
    OPENSSL_clear_free(p8, (size_t)n);
}

static void test_two_keys_pair_by_public_key_not_by_position(void)
{
    text t = {0};
    jks_error err;
    jks_status s;
    char h[65];
    jks_key_info ki;
    add_key(&t, &leaf);
    add_key(&t, &leaf2);
    add_cert(&t, &inter);
    add_cert(&t, &leaf2);
    add_cert(&t, &leaf);
    jks_store *st = read_text(&t, NULL, &s, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 2);
    const jks_entry *a = jks_store_entry(st, 0), *b = jks_store_entry(st, 1);
    CU_ASSERT_STRING_EQUAL(key_spki(a, &ki), leaf.spki);
    CU_ASSERT_STRING_EQUAL(cert_sha(a, 0, h), leaf.sha256);
    CU_ASSERT_STRING_EQUAL(key_spki(b, &ki), leaf2.spki);
    CU_ASSERT_STRING_EQUAL(cert_sha(b, 0, h), leaf2.sha256);
    /* both chains share the one intermediate */
    CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(a), 2);
    CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(b), 2);
    CU_ASSERT_STRING_EQUAL(cert_sha(a, 1, h), inter.sha256);
    CU_ASSERT_STRING_EQUAL(cert_sha(b, 1, h), inter.sha256);
    /* same CN on both leaves: aliases made unique */
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(a), "Leaf.Example.com");
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(b), "Leaf.Example.com-2");
    jks_store_free(st);
    free(t.s);
}

static void test_writer_annotation_round_trips_aliases_and_chains(void)
{
    jks_error err;
    jks_store *st = jks_store_new(JKS_FORMAT_PEM), *back = NULL;
    jks_write_opts wo;
    uint8_t *out = NULL;
    size_t out_len = 0;
    char h[65];
    unsigned char *p8 = NULL;
    PKCS8_PRIV_KEY_INFO *pi = EVP_PKEY2PKCS8(leaf.key);
    int n = i2d_PKCS8_PRIV_KEY_INFO(pi, &p8);
    PKCS8_PRIV_KEY_INFO_free(pi);
    /* a chain that does not verify (other after leaf) must survive as written */
    jks_bytes chain[2] = {{leaf.der, (size_t)leaf.der_len}, {other.der, (size_t)other.der_len}};
    jks_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(jks_store_add_trusted_cert(st, "Zed \"q\" \\ x", 1700000000123LL,
                                                     root.der, (size_t)root.der_len, &err), JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_add_private_key(st, "srv", -1, p8, (size_t)n, chain, 2, &err),
                          JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_add_trusted_cert(st, "other-copy", -1, other.der,
                                                     (size_t)other.der_len, &err), JKS_OK);
    memset(&wo, 0, sizeof(wo));
    wo.format = JKS_FORMAT_PEM;
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &wo, &out, &out_len, &err), JKS_OK);
    CU_ASSERT_PTR_NULL(memchr(out, '\r', out_len));
    CU_ASSERT_PTR_NOT_NULL(HAS("# jkstool: alias=\"Zed \\\"q\\\" \\\\ x\" kind=trusted-cert"));
    /* every base64 line is at most 64 characters */
    size_t col = 0, maxcol = 0;
    for (size_t i = 0; i < out_len; i++) {
        if (out[i] == '\n') {
            col = 0;
            continue;
        }
        if (++col > maxcol && out[i - col + 1] != '#' && out[i - col + 1] != '-')
            maxcol = col;
    }
    CU_ASSERT_EQUAL(maxcol, 64);
    /* the key block holds the stored PKCS#8 bytes exactly */
    jks_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(jks_store_read(out, out_len, NULL, &back, &err), JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(back), 3);
    const jks_entry *t0 = jks_store_entry(back, 0), *k = jks_store_entry(back, 1),
                    *t2 = jks_store_entry(back, 2);
    int64_t ms = 0;
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(t0), "Zed \"q\" \\ x");
    CU_ASSERT(jks_entry_created(t0, &ms) && ms == 1700000000123LL);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(k), "srv");
    CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(k), 2);
    CU_ASSERT_STRING_EQUAL(cert_sha(k, 1, h), other.sha256);
    CU_ASSERT_EQUAL(jks_entry_pkcs8(k).len, (size_t)n);
    CU_ASSERT(memcmp(jks_entry_pkcs8(k).data, p8, (size_t)n) == 0);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(t2), "other-copy");
    CU_ASSERT_EQUAL(jks_entry_kind_of(t2), JKS_ENTRY_TRUSTED_CERT);
    jks_store_free(back);
    jks_buffer_free(out, out_len);

    /* encrypted output: PBES2, opens with the key password only */
    wo.pem_encrypt_keys = 1;
    wo.keypass = "kpw";
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &wo, &out, &out_len, &err), JKS_OK);
    CU_ASSERT_PTR_NOT_NULL(HAS("BEGIN ENCRYPTED PRIVATE KEY"));
    CU_ASSERT_PTR_NULL(HAS("BEGIN PRIVATE KEY"));
    jks_read_opts o;
    memset(&o, 0, sizeof(o));
    o.storepass = "kpw";
    CU_ASSERT_EQUAL_FATAL(jks_store_read(out, out_len, &o, &back, &err), JKS_OK);
    k = jks_store_entry(back, 1);
    CU_ASSERT_EQUAL(jks_entry_key_state(k), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_pkcs8(k).len, (size_t)n);
    CU_ASSERT(memcmp(jks_entry_pkcs8(k).data, p8, (size_t)n) == 0);
    jks_store_free(back);
    jks_buffer_free(out, out_len);
    OPENSSL_clear_free(p8, (size_t)n);
    jks_store_free(st);
}

static void test_secret_key_cannot_be_written_as_pem(void)
{
    jks_error err;
    jks_store *st = jks_store_new(JKS_FORMAT_JCEKS);
    jks_write_opts wo;
    uint8_t *out = NULL, key[16] = {1, 2, 3};
    size_t out_len = 0;
    jks_error_clear(&err);
    jks_store_add_trusted_cert(st, "ca", -1, root.der, (size_t)root.der_len, &err);
    jks_store_add_secret_key(st, "aeskey", -1, "AES", key, sizeof(key), &err);
    memset(&wo, 0, sizeof(wo));
    wo.format = JKS_FORMAT_PEM;
    CU_ASSERT_EQUAL(jks_store_write(st, &wo, &out, &out_len, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.alias, "aeskey");
    CU_ASSERT_PTR_NULL(out);
    jks_store_free(st);
}

static void expect_format_error(const char *pem, const char *needle)
{
    text t = {0};
    jks_error err;
    jks_status s;
    adds(&t, pem);
    jks_store *st = read_text(&t, NULL, &s, &err);
    CU_ASSERT_EQUAL(s, JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(st);
    if (!strstr(err.msg, needle))
        fprintf(stderr, "\n  message \"%s\" lacks \"%s\"\n", err.msg, needle);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
    jks_store_free(st);
    free(t.s);
}

static void test_bad_base64_names_its_line(void)
{
    text t = {0};
    add_cert(&t, &leaf);
    /* break line 4 of the file (third base64 line) */
    char *p = t.s;
    for (int i = 0; i < 3; i++)
        p = strchr(p, '\n') + 1;
    p[5] = '*';
    char *pem = malloc(t.n + 64);
    snprintf(pem, t.n + 64, "text line\n%s", t.s);
    expect_format_error(pem, "line 5: invalid base64 in CERTIFICATE block");
    free(pem);
    free(t.s);
    expect_format_error("-----BEGIN CERTIFICATE-----\nMIIB\n", "has no END");
    expect_format_error("-----BEGIN CERTIFICATE-----\nMII=B===\n-----END CERTIFICATE-----\n",
                        "line 2: invalid base64");
    expect_format_error("-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END PRIVATE KEY-----\n",
                        "does not match");
    expect_format_error("-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----\n",
                        "line 1: not an X.509 certificate");
    expect_format_error("just some text\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                        "no certificate or private key");
}

static void test_status_of_bad_base64_is_format(void)
{
    jks_store *st = NULL;
    jks_error err;
    static const char pem[] = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_read((const uint8_t *)pem, sizeof(pem) - 1, NULL, &st, &err), 4);
    CU_ASSERT_EQUAL(err.offset, 28); /* the offending line's first byte */
}

/* A certs-only PKCS#7 (.p7b) made by OpenSSL from the given certificates. */
static int p7b_der(const pki **certs, int n, unsigned char **der)
{
    PKCS7 *p7 = PKCS7_new();
    int len = -1;
    if (p7 && PKCS7_set_type(p7, NID_pkcs7_signed) &&
        PKCS7_content_new(p7, NID_pkcs7_data)) {
        int ok = 1;
        for (int i = 0; i < n && ok; i++)
            ok = PKCS7_add_certificate(p7, certs[i]->cert);
        if (ok)
            len = i2d_PKCS7(p7, der);
    }
    PKCS7_free(p7);
    return len;
}

/* .p7b as DER, as "BEGIN PKCS7" and as CERTIFICATE-armoured PKCS#7: every
 * certificate arrives, and a key beside the PEM form pairs with its leaf and
 * gets the chain in order. */
static void test_pkcs7_bundles_give_their_certificates(void)
{
    const pki *set[3] = {&root, &leaf, &inter}; /* any order */
    unsigned char *der = NULL;
    int dl = p7b_der(set, 3, &der);
    jks_error err;
    jks_status s;
    jks_store *st = NULL;
    char h[65];
    CU_ASSERT_FATAL(dl > 0);

    jks_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(jks_store_read(der, (size_t)dl, NULL, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_format(st), JKS_FORMAT_PEM);
    CU_ASSERT_EQUAL(jks_store_count(st), 3);
    int found = 0;
    for (size_t i = 0; i < jks_store_count(st); i++) {
        const char *x = cert_sha(jks_store_entry(st, i), 0, h);
        found += !strcmp(x, root.sha256) || !strcmp(x, inter.sha256) || !strcmp(x, leaf.sha256);
    }
    CU_ASSERT_EQUAL(found, 3);
    jks_store_free(st);

    static const char *labels[] = {"PKCS7", "CERTIFICATE"};
    for (int k = 0; k < 2; k++) {
        text t = {0};
        jks_key_info ki;
        add_key(&t, &leaf);
        BIO *b = BIO_new(BIO_s_mem());
        PEM_write_bio(b, labels[k], "", der, dl);
        add_bio(&t, b);
        st = read_text(&t, NULL, &s, &err);
        CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
        CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 1);
        const jks_entry *e = jks_store_entry(st, 0);
        CU_ASSERT_STRING_EQUAL(key_spki(e, &ki), leaf.spki);
        CU_ASSERT_EQUAL(jks_entry_chain_len(e), 3);
        CU_ASSERT_STRING_EQUAL(cert_sha(e, 0, h), leaf.sha256);
        CU_ASSERT_STRING_EQUAL(cert_sha(e, 1, h), inter.sha256);
        CU_ASSERT_STRING_EQUAL(cert_sha(e, 2, h), root.sha256);
        jks_store_free(st);
        free(t.s);
    }
    OPENSSL_free(der);

    /* a PKCS7 block that is not SignedData with certificates is an error */
    text t = {0};
    BIO *b = BIO_new(BIO_s_mem());
    PEM_write_bio(b, "PKCS7", "", (const unsigned char *)"\x30\x03\x02\x01\x01", 5);
    add_bio(&t, b);
    st = read_text(&t, NULL, &s, &err);
    CU_ASSERT_EQUAL(s, JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "PKCS#7"));
    jks_store_free(st);
    free(t.s);
}

/* RFC 1421 encrypted traditional keys as OpenSSL writes them (Proc-Type:
 * 4,ENCRYPTED + DEK-Info): they open with a keypass or the store password
 * into the same key; wrong or missing passwords are status 3. */
static void test_legacy_encrypted_pem_keys(void)
{
    const EVP_CIPHER *ciphers[3] = {EVP_aes_256_cbc(), EVP_des_ede3_cbc(), EVP_aes_128_cbc()};
    const pki *keys[3] = {&rsa, &leaf, &rsa};
    for (int i = 0; i < 3; i++) {
        text t = {0};
        jks_error err;
        jks_status s;
        jks_key_info ki;
        BIO *b = BIO_new(BIO_s_mem());
        PEM_write_bio_PrivateKey_traditional(b, keys[i]->key, ciphers[i], NULL, 0, NULL,
                                             (void *)"legacy-pw");
        add_bio(&t, b);
        CU_ASSERT_PTR_NOT_NULL(strstr(t.s, "Proc-Type: 4,ENCRYPTED"));
        CU_ASSERT_PTR_NOT_NULL(strstr(t.s, "DEK-Info: "));
        add_cert(&t, keys[i]);

        jks_store *st = read_text(&t, "legacy-pw", &s, &err);
        CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
        const jks_entry *e = jks_store_entry(st, 0);
        CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_PRIVATE_KEY);
        CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
        CU_ASSERT_STRING_EQUAL(key_spki(e, &ki), keys[i]->spki);
        jks_store_free(st);

        /* as a keypass, after a wrong one */
        jks_read_opts o;
        const char *kps[2] = {"nope", "legacy-pw"};
        memset(&o, 0, sizeof(o));
        o.keypasses = kps;
        o.n_keypasses = 2;
        st = NULL;
        jks_error_clear(&err);
        CU_ASSERT_EQUAL(jks_store_read((uint8_t *)t.s, t.n, &o, &st, &err), JKS_OK);
        jks_store_free(st);

        st = read_text(&t, "wrong", &s, &err);
        CU_ASSERT_EQUAL(s, JKS_ERR_PASSWORD);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "wrong password"));
        jks_store_free(st);
        st = read_text(&t, NULL, &s, &err);
        CU_ASSERT_EQUAL(s, JKS_ERR_PASSWORD);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "give its password"));
        jks_store_free(st);
        free(t.s);
    }
    expect_format_error("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                        "DEK-Info: NO-SUCH-CIPHER,00112233445566778899AABBCCDDEEFF\n\nAAAA\n"
                        "-----END RSA PRIVATE KEY-----\n",
                        "DEK-Info");
}

int main(void)
{
    fill(&root, "Test Root", EVP_EC_gen("P-256"), NULL, 1, 1);
    fill(&inter, "Test Intermediate", EVP_EC_gen("P-256"), &root, 1, 2);
    fill(&leaf, "Leaf.Example.com", EVP_EC_gen("P-256"), &inter, 0, 3);
    fill(&leaf2, "Leaf.Example.com", EVP_EC_gen("P-384"), &inter, 0, 4);
    fill(&other, "Other CA", EVP_EC_gen("P-256"), NULL, 1, 5);
    fill(&rsa, "RSA Server", EVP_RSA_gen(1024), NULL, 0, 6);
    static const test_case cases[] = {
        {"certs only, and a version-1 options struct", test_certs_only_and_options_version},
        {"bundle out of order pairs key and orders chain",
         test_bundle_out_of_order_pairs_key_and_orders_chain},
        {"CRLF line ends read like LF", test_crlf_line_ends_read_like_lf},
        {"TRUSTED CERTIFICATE aux data is stripped", test_trusted_certificate_aux_is_stripped},
        {"traditional RSA and EC keys become PKCS#8",
         test_traditional_rsa_and_ec_keys_become_pkcs8},
        {"encrypted PKCS#8 opens with password or stays encrypted",
         test_encrypted_pkcs8_opens_with_password_or_stays_encrypted},
        {"undecrypted key gets no guessed chain", test_undecrypted_key_gets_no_guessed_chain},
        {"keypasses tried before store password", test_keypasses_tried_before_store_password},
        {"single DER certificate and DER key", test_single_der_certificate_and_der_key},
        {"two keys pair by public key, not position",
         test_two_keys_pair_by_public_key_not_by_position},
        {"writer annotation round-trips aliases and chains",
         test_writer_annotation_round_trips_aliases_and_chains},
        {"secret key cannot be written as PEM", test_secret_key_cannot_be_written_as_pem},
        {"bad base64 and broken armour name the line", test_bad_base64_names_its_line},
        {"bad base64 is status 4 at the line's offset", test_status_of_bad_base64_is_format},
        {"PKCS#7 bundles give their certificates", test_pkcs7_bundles_give_their_certificates},
        {"legacy encrypted PEM keys (Proc-Type)", test_legacy_encrypted_pem_keys},
    };
    int rc = run_suite("pem", cases, sizeof(cases) / sizeof(cases[0]));
    pki_free(&root);
    pki_free(&inter);
    pki_free(&leaf);
    pki_free(&leaf2);
    pki_free(&other);
    pki_free(&rsa);
    return rc;
}
