/* Suite "check": the validator over in-memory stores built with
 * jks_store_add_*, certificates made at test time with OpenSSL (EC P-256
 * unless a test needs RSA), times fixed relative to T0 and passed as "at". */
#include "jks/check.h"
#include "store.h"
#include "testutil.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <time.h>

#define T0 1735689600LL /* 2025-01-01T00:00:00Z */
#define DAY 86400LL

typedef struct {
    unsigned char *der;
    size_t len;
} blob;

static blob cert_der(X509 *x)
{
    blob b = {NULL, 0};
    int n = i2d_X509(x, &b.der);
    b.len = n > 0 ? (size_t)n : 0;
    return b;
}

static blob key_der(EVP_PKEY *k)
{
    blob b = {NULL, 0};
    PKCS8_PRIV_KEY_INFO *p8 = EVP_PKEY2PKCS8(k);
    int n = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &b.der) : 0;
    b.len = n > 0 ? (size_t)n : 0;
    PKCS8_PRIV_KEY_INFO_free(p8);
    return b;
}

static void blob_free(blob *b)
{
    OPENSSL_free(b->der);
    b->der = NULL;
}

static EVP_PKEY *ec_key(void) { return EVP_EC_gen("P-256"); }

typedef struct {
    int ca;
    long long nb, na;   /* validity, seconds relative to T0 */
    const EVP_MD *md;   /* default SHA-256 */
    const char *eku;    /* e.g. "clientAuth"; NULL = no extension */
    const char *ku;     /* e.g. "keyEncipherment"; NULL = no extension */
} cert_spec;

static const cert_spec LEAF = {0, -365 * DAY, 365 * DAY, NULL, NULL, NULL};
static const cert_spec CA = {1, -3650 * DAY, 3650 * DAY, NULL, NULL, NULL};

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
    X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    X509_add_ext(x, e, -1);
    X509_EXTENSION_free(e);
}

/* A certificate for key with CN cn, issued by issuer/ikey (self-signed when NULL). */
static X509 *mk_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey,
                     const cert_spec *s)
{
    static long serial = 1;
    X509 *x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
    X509_NAME *n = X509_NAME_new();
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
    X509_set_subject_name(x, n);
    X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n);
    X509_NAME_free(n);
    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)(T0 + s->nb));
    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(T0 + s->na));
    X509_set_pubkey(x, key);
    if (s->ca)
        add_ext(x, issuer ? issuer : x, NID_basic_constraints, "critical,CA:TRUE");
    if (s->eku)
        add_ext(x, issuer ? issuer : x, NID_ext_key_usage, s->eku);
    if (s->ku)
        add_ext(x, issuer ? issuer : x, NID_key_usage, s->ku);
    EVP_PKEY *signer = issuer ? ikey : key;
    int ed = EVP_PKEY_get_base_id(signer) == EVP_PKEY_ED25519 ||
             EVP_PKEY_get_base_id(signer) == EVP_PKEY_ED448; /* EdDSA: no digest */
    CU_ASSERT_FATAL(X509_sign(x, signer, ed ? NULL : s->md ? s->md : EVP_sha256()) > 0);
    return x;
}

/* Sorted, comma-separated ids of a result ("-" when none). */
static const char *ids(const jks_findings *f)
{
    static char out[1024];
    const char *v[64];
    size_t n = 0;
    for (size_t i = 0; i < f->count && n < 64; i++) {
        size_t k;
        for (k = 0; k < n && strcmp(v[k], f->items[i].id); k++)
            ;
        if (k == n)
            v[n++] = f->items[i].id;
    }
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && strcmp(v[k - 1], v[k]) > 0; k--) {
            const char *t = v[k];
            v[k] = v[k - 1];
            v[k - 1] = t;
        }
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        strcat(out, i ? "," : "");
        strcat(out, v[i]);
    }
    return n ? out : "-";
}

static const jks_finding *find(const jks_findings *f, const char *id)
{
    for (size_t i = 0; i < f->count; i++)
        if (!strcmp(f->items[i].id, id))
            return &f->items[i];
    return NULL;
}

/* Run the check at T0 for a purpose and return the ids (result kept in *out). */
static const char *run_file; /* the file name run() passes (NULL: none) */

static const char *run(jks_store *st, jks_purpose p, jks_findings **out)
{
    jks_check_opts o;
    memset(&o, 0, sizeof(o));
    o.purpose = p;
    o.file_name = run_file;
    o.at = T0;
    o.at_set = 1;
    st->integrity = JKS_INTEGRITY_VERIFIED; /* as if read with the right password */
    st->has_storepass = 1;
    *out = NULL;
    CU_ASSERT_EQUAL_FATAL(jks_check_run(st, &o, out), JKS_OK);
    return ids(*out);
}

static const char *run_once(jks_store *st, jks_purpose p)
{
    static char keep[1024];
    jks_findings *f;
    snprintf(keep, sizeof(keep), "%s", run(st, p, &f));
    jks_findings_free(f);
    return keep;
}

/* A CA, a client key with its CA-signed certificate: the pieces of most tests. */
typedef struct {
    EVP_PKEY *cak, *k;
    X509 *ca, *leaf;
    blob cad, leafd, kd;
} pki;

static void pki_make(pki *p, const cert_spec *leaf_spec)
{
    p->cak = ec_key();
    p->k = ec_key();
    CU_ASSERT_PTR_NOT_NULL_FATAL(p->cak);
    CU_ASSERT_PTR_NOT_NULL_FATAL(p->k);
    p->ca = mk_cert("Test CA", p->cak, NULL, NULL, &CA);
    p->leaf = mk_cert("client", p->k, p->ca, p->cak, leaf_spec ? leaf_spec : &LEAF);
    p->cad = cert_der(p->ca);
    p->leafd = cert_der(p->leaf);
    p->kd = key_der(p->k);
}

static void pki_free(pki *p)
{
    EVP_PKEY_free(p->cak);
    EVP_PKEY_free(p->k);
    X509_free(p->ca);
    X509_free(p->leaf);
    blob_free(&p->cad);
    blob_free(&p->leafd);
    blob_free(&p->kd);
}

static void add_key(jks_store *st, const char *alias, const blob *k, const blob *const *chain,
                    size_t n)
{
    jks_bytes c[8];
    jks_error err;
    for (size_t i = 0; i < n; i++) {
        c[i].data = chain[i]->der;
        c[i].len = chain[i]->len;
    }
    CU_ASSERT_EQUAL_FATAL(jks_store_add_private_key(st, alias, 0, k->der, k->len, c, n, &err),
                          JKS_OK);
}

static void add_trusted(jks_store *st, const char *alias, const blob *c)
{
    jks_error err;
    CU_ASSERT_EQUAL_FATAL(jks_store_add_trusted_cert(st, alias, 0, c->der, c->len, &err), JKS_OK);
}

/* ---- tests ---- */

static void test_clean_client_keystore_has_no_finding(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "client", &p.kd, chain, 2);
    add_trusted(st, "ca", &p.cad);
    jks_findings *f;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f), "-");
    CU_ASSERT_EQUAL(f->purpose, JKS_PURPOSE_CLIENT);
    CU_ASSERT_FALSE(f->inferred);
    CU_ASSERT_FALSE(jks_findings_failed(f, 1));
    jks_findings_free(f);
    /* inferred: an identity store */
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "-");
    CU_ASSERT_EQUAL(f->purpose, JKS_PURPOSE_IDENTITY);
    CU_ASSERT_TRUE(f->inferred);
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

static void test_validity_is_judged_at_the_given_time(void)
{
    pki p;
    cert_spec soon = LEAF;
    soon.na = 10 * DAY;
    pki_make(&p, &soon);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "client", &p.kd, chain, 2);
    add_trusted(st, "ca", &p.cad);
    jks_findings *f;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f), "expires-soon");
    CU_ASSERT_EQUAL(find(f, "expires-soon")->severity, JKS_SEV_WARNING);
    CU_ASSERT_STRING_EQUAL(find(f, "expires-soon")->alias, "client");
    jks_findings_free(f);

    jks_check_opts o;
    memset(&o, 0, sizeof(o));
    o.purpose = JKS_PURPOSE_CLIENT;
    o.at_set = 1;
    o.at = T0 + 11 * DAY;
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "expired");
    CU_ASSERT_EQUAL(find(f, "expired")->severity, JKS_SEV_ERROR);
    CU_ASSERT_TRUE(jks_findings_failed(f, 0));
    jks_findings_free(f);
    o.at = T0 - 366 * DAY;
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "not-yet-valid");
    jks_findings_free(f);
    o.at = T0;
    o.expiry_warn_days = 5; /* a narrower window: 10 days left is fine */
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "-");
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

static void test_expired_trust_anchor_is_a_warning(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    add_trusted(st, "ca", &p.cad);
    jks_check_opts o;
    memset(&o, 0, sizeof(o));
    o.at_set = 1;
    o.at = T0 + 4000 * DAY;
    o.file_name = "truststore.jks";
    jks_findings *f;
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "expired,integrity-not-checked");
    CU_ASSERT_EQUAL(find(f, "expired")->severity, JKS_SEV_WARNING);
    CU_ASSERT_EQUAL(f->purpose, JKS_PURPOSE_TRUSTSTORE);
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

static void test_key_not_matching_its_certificate(void)
{
    pki p;
    pki_make(&p, NULL);
    EVP_PKEY *other = ec_key();
    blob od = key_der(other);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "client", &od, chain, 2);
    add_trusted(st, "ca", &p.cad);
    jks_findings *f;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f), "key-cert-mismatch");
    CU_ASSERT_EQUAL(find(f, "key-cert-mismatch")->severity, JKS_SEV_ERROR);
    jks_findings_free(f);
    /* not decrypted: nothing to compare */
    st->entries[0]->state = JKS_KEY_ENCRYPTED;
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_CLIENT), "-");
    jks_store_free(st);
    blob_free(&od);
    EVP_PKEY_free(other);
    pki_free(&p);
}

static void test_chain_order_and_completeness(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    const blob *reversed[] = {&p.cad, &p.leafd};
    add_key(st, "client", &p.kd, reversed, 2);
    {
        jks_findings *f;
        CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f),
                               "chain-order,key-cert-mismatch,self-signed-identity");
        jks_findings_free(f);
    }
    jks_store_free(st);

    st = jks_store_new(JKS_FORMAT_JKS);
    const blob *leaf_only[] = {&p.leafd};
    add_key(st, "client", &p.kd, leaf_only, 1);
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_CLIENT), "chain-incomplete");
    /* the issuer as a trusted entry completes it */
    add_trusted(st, "ca", &p.cad);
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_CLIENT), "-");
    jks_store_free(st);
    pki_free(&p);
}

static void test_reply_imported_under_a_new_alias(void)
{
    pki p;
    pki_make(&p, NULL);
    X509 *self = mk_cert("client", p.k, NULL, NULL, &LEAF);
    blob sd = cert_der(self);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&sd};
    add_key(st, "mykey", &p.kd, chain, 1);
    add_trusted(st, "ca", &p.cad);
    add_trusted(st, "reply", &p.leafd);
    jks_findings *f;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f),
                           "cert-reply-not-installed,self-signed-identity");
    const jks_finding *r = find(f, "cert-reply-not-installed");
    CU_ASSERT_STRING_EQUAL(r->alias, "mykey");
    CU_ASSERT_PTR_NOT_NULL(strstr(r->fix, "--file reply.pem --alias mykey "));
    CU_ASSERT_PTR_NOT_NULL(strstr(r->message, "\"reply\""));
    jks_findings_free(f);
    /* the self-signed certificate itself also trusted: a duplicate, not a reply */
    jks_store_remove(st, 2);
    add_trusted(st, "me", &sd);
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_CLIENT), "self-signed-identity");
    jks_store_free(st);
    blob_free(&sd);
    X509_free(self);
    pki_free(&p);
}

static void test_purpose_presence_rules(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_AUTO), "empty-keystore");
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_TRUSTSTORE), "empty-keystore");
    add_trusted(st, "ca", &p.cad);
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_CLIENT), "no-private-key");
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_TRUSTSTORE), "-");
    jks_store_free(st);

    st = jks_store_new(JKS_FORMAT_JCEKS);
    jks_error err;
    static const uint8_t aes[16] = {1, 2, 3};
    CU_ASSERT_EQUAL(jks_store_add_secret_key(st, "aes", 0, "AES", aes, 16, &err), JKS_OK);
    jks_findings *f;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "-");
    CU_ASSERT_EQUAL(f->purpose, JKS_PURPOSE_NONE);
    jks_findings_free(f);
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_TRUSTSTORE), "no-trusted-certs");
    jks_store_free(st);

    /* two keys: a problem for a client only */
    st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "one", &p.kd, chain, 2);
    add_key(st, "two", &p.kd, chain, 2);
    add_trusted(st, "ca", &p.cad);
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_CLIENT), "multiple-private-keys");
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_SERVER), "-");
    /* a key in a truststore */
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_TRUSTSTORE, &f), "wrong-entry-type");
    CU_ASSERT_EQUAL(find(f, "wrong-entry-type")->severity, JKS_SEV_WARNING);
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

static void test_ca_only_inside_a_key_entry(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "client", &p.kd, chain, 2);
    jks_findings *f;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f), "wrong-entry-type");
    CU_ASSERT_EQUAL(find(f, "wrong-entry-type")->severity, JKS_SEV_INFO);
    jks_findings_free(f);
    /* as a truststore: the CA is not trusted (error) and there is no trusted entry */
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_TRUSTSTORE, &f), "no-trusted-certs,wrong-entry-type");
    size_t errors = 0;
    for (size_t i = 0; i < f->count; i++)
        errors += !strcmp(f->items[i].id, "wrong-entry-type") &&
                  f->items[i].severity == JKS_SEV_ERROR;
    CU_ASSERT_EQUAL(errors, 1);
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

static void test_extended_key_usage_for_client_and_server(void)
{
    pki p;
    cert_spec s = LEAF;
    s.eku = "serverAuth";
    pki_make(&p, &s);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "k", &p.kd, chain, 2);
    add_trusted(st, "ca", &p.cad);
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_CLIENT), "missing-client-auth-eku");
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_SERVER), "-");
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_AUTO), "-");
    jks_store_free(st);
    pki_free(&p);
    s.eku = "clientAuth";
    pki_make(&p, &s);
    st = jks_store_new(JKS_FORMAT_JKS);
    add_key(st, "k", &p.kd, chain, 2);
    add_trusted(st, "ca", &p.cad);
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_SERVER), "missing-server-auth-eku");
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_CLIENT), "-");
    jks_store_free(st);
    pki_free(&p);
}

static void test_weak_keys_and_signatures(void)
{
    EVP_PKEY *rsa1024 = EVP_RSA_gen(1024), *rsa512 = EVP_RSA_gen(512);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rsa1024);
    CU_ASSERT_PTR_NOT_NULL_FATAL(rsa512);
    X509 *a = mk_cert("weak", rsa1024, NULL, NULL, &CA);
    X509 *b = mk_cert("broken", rsa512, NULL, NULL, &CA);
    blob ad = cert_der(a), bd = cert_der(b);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    add_trusted(st, "weak", &ad);
    jks_findings *f;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_TRUSTSTORE, &f), "weak-key");
    CU_ASSERT_EQUAL(find(f, "weak-key")->severity, JKS_SEV_WARNING);
    jks_findings_free(f);
    jks_store_remove(st, 0);
    add_trusted(st, "broken", &bd);
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_TRUSTSTORE, &f), "weak-key");
    CU_ASSERT_EQUAL(find(f, "weak-key")->severity, JKS_SEV_ERROR);
    jks_findings_free(f);
    jks_store_free(st);

    /* SHA-1: a warning on an issued certificate, nothing on a self-signed root */
    pki p;
    cert_spec s = LEAF;
    s.md = EVP_sha1();
    pki_make(&p, &s);
    cert_spec rs = CA;
    rs.md = EVP_sha1();
    X509 *root1 = mk_cert("Old Root", p.cak, NULL, NULL, &rs);
    blob rd = cert_der(root1);
    st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "k", &p.kd, chain, 2);
    add_trusted(st, "ca", &p.cad);
    add_trusted(st, "old-root", &rd);
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f), "weak-signature");
    CU_ASSERT_STRING_EQUAL(find(f, "weak-signature")->alias, "k");
    CU_ASSERT_EQUAL(find(f, "weak-signature")->severity, JKS_SEV_WARNING);
    jks_findings_free(f);
    jks_store_free(st);
    blob_free(&rd);
    X509_free(root1);
    pki_free(&p);
    blob_free(&ad);
    blob_free(&bd);
    X509_free(a);
    X509_free(b);
    EVP_PKEY_free(rsa1024);
    EVP_PKEY_free(rsa512);
}

static void test_passwords_aliases_and_duplicates(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "client", &p.kd, chain, 2);
    add_trusted(st, "ca", &p.cad);
    add_trusted(st, "Ca-Copy", &p.cad);
    jks_findings *f;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f),
                           "alias-not-lowercase,duplicate-certificate");
    CU_ASSERT_STRING_EQUAL(find(f, "duplicate-certificate")->alias, "Ca-Copy");
    CU_ASSERT_EQUAL(find(f, "alias-not-lowercase")->severity, JKS_SEV_WARNING);
    jks_findings_free(f);
    jks_store_remove(st, 2);

    /* the key opened with keypass 0 */
    const char *kps[] = {"other", "changeit"};
    jks_check_opts o;
    memset(&o, 0, sizeof(o));
    o.purpose = JKS_PURPOSE_CLIENT;
    o.at_set = 1;
    o.at = T0;
    o.storepass = "changeit";
    o.keypasses = kps;
    o.n_keypasses = 2;
    o.file_name = "dir/Client.JKS";
    st->entries[0]->pw_index = 0;
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "file-name-not-lowercase,key-password-differs");
    CU_ASSERT_PTR_NOT_NULL(strstr(find(f, "file-name-not-lowercase")->fix, "dir/client.jks"));
    jks_findings_free(f);
    st->entries[0]->pw_index = 1; /* a keypass equal to the store password */
    o.file_name = "dir/client.jks";
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "-");
    jks_findings_free(f);
    st->entries[0]->pw_index = 2; /* the store password */
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "-");
    jks_findings_free(f);
    st->entries[0]->state = JKS_KEY_WRONG_PASSWORD; /* nothing opened it */
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "key-password-differs");
    /* one key, one separate password: a working setup (issue 16) */
    CU_ASSERT_EQUAL(find(f, "key-password-differs")->severity, JKS_SEV_WARNING);
    CU_ASSERT_PTR_NOT_NULL(strstr(find(f, "key-password-differs")->fix, "jkstool passwd "));
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

static void test_pkcs12_facts(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_PKCS12);
    add_trusted(st, "1", &p.cad);
    st->entries[0]->java_ignores = 1;
    snprintf(st->p12.cert_alg, sizeof(st->p12.cert_alg), "pbes2-aes-256-cbc");
    snprintf(st->p12.key_alg, sizeof(st->p12.key_alg), "pbes2-aes-256-cbc");
    snprintf(st->p12.mac_alg, sizeof(st->p12.mac_alg), "sha256");
    st->p12.has_mac = 1;
    st->p12.certs_without_trust = 1;
    jks_findings *f;
    run_file = "truststore.p12";
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "pkcs12-algorithms-new,pkcs12-no-java-trust");
    CU_ASSERT_EQUAL(f->purpose, JKS_PURPOSE_TRUSTSTORE);
    CU_ASSERT_EQUAL(find(f, "pkcs12-no-java-trust")->severity, JKS_SEV_ERROR);
    CU_ASSERT_EQUAL(find(f, "pkcs12-algorithms-new")->severity, JKS_SEV_INFO);
    jks_findings_free(f);

    snprintf(st->p12.cert_alg, sizeof(st->p12.cert_alg), "pbe-sha1-rc2-40");
    snprintf(st->p12.key_alg, sizeof(st->p12.key_alg), "pbe-sha1-3des");
    snprintf(st->p12.mac_alg, sizeof(st->p12.mac_alg), "sha1");
    st->entries[0]->java_ignores = 0;
    st->p12.certs_without_trust = 0;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "pkcs12-algorithms-legacy");
    jks_findings_free(f);
    st->p12.mac_iterations = 1; /* openssl -nomaciter */
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f),
                           "pkcs12-algorithms-legacy,pkcs12-mac-iterations-low");
    CU_ASSERT_EQUAL(find(f, "pkcs12-mac-iterations-low")->severity, JKS_SEV_WARNING);
    jks_findings_free(f);
    st->p12.mac_iterations = 1000;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "pkcs12-algorithms-legacy");
    jks_findings_free(f);

    /* read without a password: the encrypted certificates were not seen */
    jks_store_remove(st, 0);
    jks_check_opts o;
    memset(&o, 0, sizeof(o));
    o.at_set = 1;
    o.at = T0;
    st->has_storepass = 0;
    st->integrity = JKS_INTEGRITY_NOT_CHECKED;
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "certs-not-checked,integrity-not-checked,pkcs12-algorithms-legacy");
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

/* keytool -keyalg Ed25519 / Ed448 / RSASSA-PSS and openssl genpkey: each key
 * matches its certificate (no false key-cert-mismatch), sizes are Java's
 * (255, 448: keytool's "255-bit Ed25519 key"), and none is a weak key. */
static void test_eddsa_and_pss_keys_match_their_certificates(void)
{
    static const struct {
        const char *alg, *name, *java, *curve; /* java: the key's Key.getAlgorithm */
        int bits;
    } k[] = {{"ED25519", "Ed25519", "EdDSA", "Ed25519", 255},
             {"ED448", "Ed448", "EdDSA", "Ed448", 448},
             {"RSA-PSS", "RSASSA-PSS", "RSASSA-PSS", "", 2048}};
    for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
        EVP_PKEY *key = NULL;
        EVP_PKEY_CTX *kc = EVP_PKEY_CTX_new_from_name(NULL, k[i].alg, NULL);
        CU_ASSERT_FATAL(kc && EVP_PKEY_keygen_init(kc) > 0);
        if (!strcmp(k[i].alg, "RSA-PSS"))
            CU_ASSERT_FATAL(EVP_PKEY_CTX_set_rsa_keygen_bits(kc, 2048) > 0);
        CU_ASSERT_FATAL(EVP_PKEY_keygen(kc, &key) > 0);
        EVP_PKEY_CTX_free(kc);
        X509 *x = mk_cert("id", key, NULL, NULL, &LEAF);
        blob c = cert_der(x), kd = key_der(key);
        jks_key_info ki;
        jks_cert_info ci;
        CU_ASSERT_EQUAL(jks_key_info_get(kd.der, kd.len, &ki), JKS_OK);
        CU_ASSERT_EQUAL(jks_cert_info_get(c.der, c.len, &ci), JKS_OK);
        CU_ASSERT_STRING_EQUAL(ki.algorithm, k[i].java);
        CU_ASSERT_STRING_EQUAL(ki.curve, k[i].curve);
        CU_ASSERT_STRING_EQUAL(ci.key_algorithm, k[i].name);
        CU_ASSERT_EQUAL(ki.bits, k[i].bits);
        CU_ASSERT_EQUAL(ci.key_bits, k[i].bits);
        CU_ASSERT_STRING_EQUAL(ki.spki_sha256, ci.spki_sha256);
        CU_ASSERT_TRUE(ci.self_signed);
        jks_store *st = jks_store_new(JKS_FORMAT_JKS);
        const blob *chain[] = {&c};
        add_key(st, "id", &kd, chain, 1);
        CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_AUTO), "self-signed-identity");
        jks_store_free(st);
        blob_free(&c);
        blob_free(&kd);
        X509_free(x);
        EVP_PKEY_free(key);
    }
}

/* Keys Java cannot use: one with no certificate (openssl pkcs12 -nocerts) and
 * one in an unencrypted PKCS#12 keyBag (openssl -keypbe NONE), which Java
 * does not even list. */
static void test_keys_java_cannot_use(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    add_key(st, "keyonly", &p.kd, NULL, 0);
    jks_findings *f;
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "key-without-certificate");
    CU_ASSERT_EQUAL(f->purpose, JKS_PURPOSE_IDENTITY);
    CU_ASSERT_EQUAL(find(f, "key-without-certificate")->severity, JKS_SEV_ERROR);
    CU_ASSERT_STRING_EQUAL(find(f, "key-without-certificate")->alias, "keyonly");
    jks_findings_free(f);
    jks_store_free(st);

    /* a PKCS#12 read without its password: the encrypted certificates were not
     * seen, so an empty chain says nothing */
    st = jks_store_new(JKS_FORMAT_PKCS12);
    add_key(st, "leaf", &p.kd, NULL, 0);
    snprintf(st->p12.cert_alg, sizeof(st->p12.cert_alg), "pbe-sha1-3des");
    snprintf(st->p12.key_alg, sizeof(st->p12.key_alg), "pbe-sha1-3des");
    jks_check_opts o;
    memset(&o, 0, sizeof(o));
    o.at_set = 1;
    o.at = T0;
    st->has_storepass = 0;
    st->integrity = JKS_INTEGRITY_NOT_CHECKED;
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "certs-not-checked,integrity-not-checked");
    jks_findings_free(f);
    jks_store_free(st);
    run_file = NULL;

    st = jks_store_new(JKS_FORMAT_PKCS12);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "plain", &p.kd, chain, 2);
    st->entries[0]->java_ignores = 1; /* as the reader marks a plain keyBag */
    snprintf(st->p12.mac_alg, sizeof(st->p12.mac_alg), "sha1");
    st->p12.has_mac = 1;
    /* the key is there, unencrypted: not a false no-private-key (issue 13) */
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "pkcs12-key-not-encrypted");
    CU_ASSERT_EQUAL(f->purpose, JKS_PURPOSE_IDENTITY); /* not a truststore */
    CU_ASSERT_EQUAL(find(f, "pkcs12-key-not-encrypted")->severity, JKS_SEV_ERROR);
    CU_ASSERT_STRING_EQUAL(find(f, "pkcs12-key-not-encrypted")->alias, "plain");
    jks_findings_free(f);
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_TRUSTSTORE, &f), "no-trusted-certs,pkcs12-key-not-encrypted");
    CU_ASSERT_EQUAL(find(f, "pkcs12-key-not-encrypted")->severity, JKS_SEV_WARNING);
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

static void test_parse_time(void)
{
    int64_t t = 0;
    CU_ASSERT_EQUAL(jks_check_parse_time("2025-01-01", &t), 0);
    CU_ASSERT_EQUAL(t, T0);
    CU_ASSERT_EQUAL(jks_check_parse_time("2025-01-01T01:02:03Z", &t), 0);
    CU_ASSERT_EQUAL(t, T0 + 3723);
    CU_ASSERT_EQUAL(jks_check_parse_time("2025-01-01 01:02", &t), 0);
    CU_ASSERT_EQUAL(t, T0 + 3720);
    CU_ASSERT_EQUAL(jks_check_parse_time("2025-01-01T02:00:00+02:00", &t), 0);
    CU_ASSERT_EQUAL(t, T0);
    CU_ASSERT_EQUAL(jks_check_parse_time("2024-12-31T22:30:00.250-01:30", &t), 0);
    CU_ASSERT_EQUAL(t, T0);
    CU_ASSERT_EQUAL(jks_check_parse_time("@1735689600", &t), 0);
    CU_ASSERT_EQUAL(t, T0);
    CU_ASSERT_EQUAL(jks_check_parse_time("@-5", &t), 0);
    CU_ASSERT_EQUAL(t, -5);
    const char *bad[] = {"", "@", "@12x", "2025-1-01", "2025-02-30", "2025-13-01",
                         "2025-01-01T25:00", "2025-01-01T", "tomorrow", "2025-01-01Z"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        CU_ASSERT_EQUAL(jks_check_parse_time(bad[i], &t), -1);
}

/* Speed is measured by `make bench`, never here: this proves that checking
 * is repeatable and that many unrelated trust anchors add no finding. */
static void test_repeated_checks_and_many_anchors_stay_clean(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    const blob *chain[] = {&p.leafd, &p.cad};
    add_key(st, "client", &p.kd, chain, 2);
    add_trusted(st, "ca", &p.cad);
    jks_findings *f;
    for (int i = 0; i < 3; i++) {
        CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f), "-");
        jks_findings_free(f);
    }
    for (int i = 0; i < 20; i++) {
        char a[16];
        EVP_PKEY *k = ec_key();
        X509 *x = mk_cert("other CA", k, NULL, NULL, &CA);
        blob d = cert_der(x);
        snprintf(a, sizeof(a), "ca%d", i);
        add_trusted(st, a, &d);
        blob_free(&d);
        X509_free(x);
        EVP_PKEY_free(k);
    }
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f), "-");
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

/* Issue 13: a store holding only certificates is a truststore only when its
 * name says so; otherwise an identity store lacking its key (an error). */
static void test_inferred_purpose_of_a_certificate_only_store(void)
{
    pki p;
    pki_make(&p, NULL);
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    add_trusted(st, "ca", &p.cad);
    jks_findings *f;
    run_file = "onlyca.jks";
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "no-private-key");
    CU_ASSERT_EQUAL(f->purpose, JKS_PURPOSE_IDENTITY);
    CU_ASSERT(f->inferred);
    CU_ASSERT_PTR_NOT_NULL(strstr(f->inferred_from, "does not say truststore"));
    CU_ASSERT_EQUAL(find(f, "no-private-key")->severity, JKS_SEV_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(find(f, "no-private-key")->message, "holds no private key"));
    CU_ASSERT_STRING_EQUAL(find(f, "no-private-key")->fix,
                           "jkstool import onlyca.jks --file key-and-chain.pem --alias NAME "
                           "--storepass env:STOREPASS  # the private key with its certificate "
                           "chain, PEM or PKCS#12; if it is a truststore: jkstool check "
                           "onlyca.jks --for truststore");
    jks_findings_free(f);
    run_file = "/etc/app/truststore.jks";
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "-");
    CU_ASSERT_EQUAL(f->purpose, JKS_PURPOSE_TRUSTSTORE);
    CU_ASSERT_PTR_NOT_NULL(strstr(f->inferred_from, "name says truststore"));
    jks_findings_free(f);
    run_file = NULL; /* no name: not clearly a truststore */
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_AUTO), "no-private-key");
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_TRUSTSTORE, &f), "-");
    CU_ASSERT(!f->inferred);
    CU_ASSERT_STRING_EQUAL(f->inferred_from, "");
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);

    static const char *yes[] = {"truststore.jks", "TrustStore.p12", "cacerts", "ca.jks",
                                "dir/my-ca.p12", "ca_bundle.pem", "CA2.pem", "client-trust.jks"};
    static const char *no[] = {"onlyca.jks", "client.jks", "local.jks", "cache.p12",
                               "ca/server.jks", "", NULL};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
        CU_ASSERT_EQUAL(jks_check_name_says_truststore(yes[i]), 1);
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
        CU_ASSERT_EQUAL(jks_check_name_says_truststore(no[i]), 0);
}

/* Issue 16 item 5 and issue 13 defects 4 and 7: key passwords shared or
 * different, a same-name CA that did not sign, a client chain that stops
 * short, key usage without digitalSignature, key-agreement keys, and a
 * password-less PKCS#12. */
static void test_real_world_store_rules(void)
{
    pki p;
    pki_make(&p, NULL);
    const blob *chain[] = {&p.leafd, &p.cad};
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    add_key(st, "one", &p.kd, chain, 2);
    add_key(st, "two", &p.kd, chain, 2);
    add_trusted(st, "ca", &p.cad);
    const char *kps[] = {"keypw", "keypw2"};
    jks_check_opts o;
    memset(&o, 0, sizeof(o));
    o.purpose = JKS_PURPOSE_SERVER;
    o.at_set = 1;
    o.at = T0;
    o.storepass = "changeit";
    o.keypasses = kps;
    o.n_keypasses = 2;
    st->integrity = JKS_INTEGRITY_VERIFIED;
    st->has_storepass = 1;
    jks_findings *f;
    st->entries[0]->pw_index = 0; /* both keys open with "keypw" */
    st->entries[1]->pw_index = 0;
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_EQUAL(f->errors, 0);
    CU_ASSERT_EQUAL(find(f, "key-password-differs")->severity, JKS_SEV_WARNING);
    jks_findings_free(f);
    st->entries[1]->pw_index = 1; /* "keypw2": keys of one store differ */
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_EQUAL(find(f, "key-password-differs")->severity, JKS_SEV_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(find(f, "key-password-differs")->message, "different passwords"));
    jks_findings_free(f);
    st->entries[1]->pw_index = 2; /* the store password, the other key "keypw" */
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_EQUAL(find(f, "key-password-differs")->severity, JKS_SEV_ERROR);
    jks_findings_free(f);
    jks_store_free(st);

    /* a CA certificate of the same name that did not sign the leaf */
    EVP_PKEY *k2 = ec_key();
    X509 *ca2 = mk_cert("Test CA", k2, NULL, NULL, &CA);
    blob ca2d = cert_der(ca2);
    const blob *wrong[] = {&p.leafd, &ca2d};
    st = jks_store_new(JKS_FORMAT_JKS);
    add_key(st, "client", &p.kd, wrong, 2);
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_IDENTITY, &f), "chain-order");
    CU_ASSERT_PTR_NOT_NULL(strstr(find(f, "chain-order")->message, "wrong issuer certificate"));
    CU_ASSERT_PTR_NULL(strstr(find(f, "chain-order")->message, "reorder"));
    jks_findings_free(f);
    jks_store_free(st);
    X509_free(ca2);
    blob_free(&ca2d);
    EVP_PKEY_free(k2);

    /* the chain stops at the leaf: an error for a client, naming the issuer */
    const blob *leaf_only[] = {&p.leafd};
    st = jks_store_new(JKS_FORMAT_JKS);
    add_key(st, "client", &p.kd, leaf_only, 1);
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_CLIENT, &f), "chain-incomplete");
    CU_ASSERT_EQUAL(find(f, "chain-incomplete")->severity, JKS_SEV_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(find(f, "chain-incomplete")->message, "issuer \"CN=Test CA\" is missing"));
    CU_ASSERT_PTR_NOT_NULL(strstr(find(f, "chain-incomplete")->fix, "jkstool import "));
    jks_findings_free(f);
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_SERVER, &f), "chain-incomplete");
    CU_ASSERT_EQUAL(find(f, "chain-incomplete")->severity, JKS_SEV_WARNING);
    jks_findings_free(f);
    jks_store_free(st);

    /* key usage without digitalSignature on a client certificate */
    static const cert_spec KU = {0, -365 * DAY, 365 * DAY, NULL, NULL, "keyEncipherment"};
    static const cert_spec KU_OK = {0, -365 * DAY, 365 * DAY, NULL, NULL,
                                    "digitalSignature,keyEncipherment"};
    for (int ok = 0; ok < 2; ok++) {
        X509 *l = mk_cert("client", p.k, p.ca, p.cak, ok ? &KU_OK : &KU);
        blob ld = cert_der(l);
        const blob *c2[] = {&ld, &p.cad};
        st = jks_store_new(JKS_FORMAT_JKS);
        add_key(st, "client", &p.kd, c2, 2);
        add_trusted(st, "ca", &p.cad);
        CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_CLIENT), ok ? "-" : "missing-digital-signature");
        CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_SERVER), "-");
        jks_store_free(st);
        X509_free(l);
        blob_free(&ld);
    }

    /* an X25519 key in an identity store cannot sign */
    EVP_PKEY *xk = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
    CU_ASSERT_PTR_NOT_NULL_FATAL(xk);
    X509 *xl = mk_cert("xdh", xk, p.ca, p.cak, &LEAF);
    blob xd = cert_der(xl), xkd = key_der(xk);
    const blob *xc[] = {&xd, &p.cad};
    st = jks_store_new(JKS_FORMAT_PKCS12);
    add_key(st, "xdh", &xkd, xc, 2);
    add_trusted(st, "ca", &p.cad);
    CU_ASSERT_STRING_EQUAL(run(st, JKS_PURPOSE_AUTO, &f), "key-cannot-sign");
    CU_ASSERT_EQUAL(find(f, "key-cannot-sign")->severity, JKS_SEV_ERROR);
    jks_findings_free(f);
    run_file = "truststore.p12";
    CU_ASSERT_STRING_EQUAL(run_once(st, JKS_PURPOSE_TRUSTSTORE), "wrong-entry-type");
    run_file = NULL;
    jks_store_free(st);
    X509_free(xl);
    blob_free(&xd);
    blob_free(&xkd);
    EVP_PKEY_free(xk);

    /* a password-less PKCS#12 (no MAC): no --storepass advice */
    st = jks_store_new(JKS_FORMAT_PKCS12);
    add_trusted(st, "ca", &p.cad);
    memset(&o, 0, sizeof(o));
    o.purpose = JKS_PURPOSE_TRUSTSTORE;
    o.at_set = 1;
    o.at = T0;
    CU_ASSERT_EQUAL(jks_check_run(st, &o, &f), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ids(f), "integrity-not-checked");
    CU_ASSERT_PTR_NULL(strstr(find(f, "integrity-not-checked")->fix, "jkstool check"));
    CU_ASSERT_PTR_NOT_NULL(strstr(find(f, "integrity-not-checked")->message, "password-less"));
    jks_findings_free(f);
    jks_store_free(st);
    pki_free(&p);
}

int main(void)
{
    static const test_case cases[] = {
        {"clean client keystore has no finding", test_clean_client_keystore_has_no_finding},
        {"validity is judged at the given time", test_validity_is_judged_at_the_given_time},
        {"expired trust anchor is a warning", test_expired_trust_anchor_is_a_warning},
        {"key not matching its certificate", test_key_not_matching_its_certificate},
        {"chain order and completeness", test_chain_order_and_completeness},
        {"reply imported under a new alias", test_reply_imported_under_a_new_alias},
        {"purpose presence rules", test_purpose_presence_rules},
        {"CA only inside a key entry", test_ca_only_inside_a_key_entry},
        {"extended key usage for client and server", test_extended_key_usage_for_client_and_server},
        {"weak keys and signatures", test_weak_keys_and_signatures},
        {"passwords, aliases and duplicates", test_passwords_aliases_and_duplicates},
        {"PKCS#12 facts", test_pkcs12_facts},
        {"EdDSA and RSASSA-PSS keys match their certificates",
         test_eddsa_and_pss_keys_match_their_certificates},
        {"keys Java cannot use", test_keys_java_cannot_use},
        {"parse --at times", test_parse_time},
        {"real-world store rules", test_real_world_store_rules},
        {"inferred purpose of a certificate-only store", test_inferred_purpose_of_a_certificate_only_store},
        {"repeated checks and many anchors stay clean", test_repeated_checks_and_many_anchors_stay_clean},
    };
    return run_suite("check", cases, sizeof(cases) / sizeof(cases[0]));
}
