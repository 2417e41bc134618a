/* CUnit suite "jks": the JKS and JCEKS reader and writer (jks/jksfile.c),
 * FORMATS.md 1 and 3. Stores are built in memory with the public API from a
 * key and certificate made here with OpenSSL; files in Java's layouts that
 * our writer never produces (version 1, duplicate aliases) are assembled by
 * hand, with the integrity digest computed here from FORMATS.md 1.5. */
#include "builder.h"
#include "jks/jks.h"
#include "store.h"
#include "testutil.h"
#include "jksraw.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <string.h>

#define SP "changeit"

static uint8_t *g_p8, *g_cert, *g_cert2;
static size_t g_p8_len, g_cert_len, g_cert2_len;

/* An EC P-256 key as PKCS#8 and a self-signed certificate for it. */
static void make_key_cert(const char *cn, uint8_t **p8, size_t *p8_len, uint8_t **der,
                          size_t *der_len)
{
    EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    X509 *x = X509_new();
    PKCS8_PRIV_KEY_INFO *pi = k ? EVP_PKEY2PKCS8(k) : NULL;
    unsigned char *p = NULL;
    int n;
    if (!k || !x || !pi) {
        fprintf(stderr, "key generation failed\n");
        exit(2);
    }
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 0x1234);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
    X509_NAME *nm = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0);
    X509_set_issuer_name(x, nm);
    X509_set_pubkey(x, k);
    if (!X509_sign(x, k, EVP_sha256()))
        exit(2);
    n = i2d_PKCS8_PRIV_KEY_INFO(pi, &p);
    *p8 = malloc((size_t)n);
    memcpy(*p8, p, (size_t)n);
    *p8_len = (size_t)n;
    OPENSSL_free(p);
    p = NULL;
    n = i2d_X509(x, &p);
    *der = malloc((size_t)n);
    memcpy(*der, p, (size_t)n);
    *der_len = (size_t)n;
    OPENSSL_free(p);
    PKCS8_PRIV_KEY_INFO_free(pi);
    X509_free(x);
    EVP_PKEY_free(k);
}

static void fixtures(void)
{
    uint8_t *p8b;
    size_t p8b_len;
    make_key_cert("libjks unit test", &g_p8, &g_p8_len, &g_cert, &g_cert_len);
    make_key_cert("second", &p8b, &p8b_len, &g_cert2, &g_cert2_len);
    free(p8b);
}

static jks_read_opts ropts(const char *sp)
{
    jks_read_opts o;
    memset(&o, 0, sizeof(o));
    o.storepass = sp;
    return o;
}

static jks_write_opts wopts(jks_format f, const char *sp, const char *kp, int keep)
{
    jks_write_opts o;
    memset(&o, 0, sizeof(o));
    o.format = f;
    o.storepass = sp;
    o.keypass = kp;
    o.keep_encryption = keep;
    return o;
}

/* A store: private key "MyKey" (chain of 1) and trusted cert "Root". */
static jks_store *small_store(void)
{
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    jks_error err;
    jks_bytes chain = {g_cert, g_cert_len};
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_EQUAL_FATAL(jks_store_add_private_key(st, "MyKey", 1700000000000LL, g_p8, g_p8_len,
                                                    &chain, 1, &err),
                          JKS_OK);
    CU_ASSERT_EQUAL_FATAL(
        jks_store_add_trusted_cert(st, "Root", 1700000001000LL, g_cert2, g_cert2_len, &err), JKS_OK);
    return st;
}

static uint8_t *write_store(const jks_store *st, jks_write_opts o, size_t *len)
{
    uint8_t *out = NULL;
    jks_error err;
    jks_error_clear(&err);
    jks_status s = jks_store_write(st, &o, &out, len, &err);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    return out;
}

static uint8_t *small_jks(size_t *len, jks_format f, const char *kp)
{
    jks_store *st = small_store();
    uint8_t *b = write_store(st, wopts(f, SP, kp, 0), len);
    jks_store_free(st);
    return b;
}

static jks_status rd(const uint8_t *d, size_t n, const jks_read_opts *o, jks_store **st,
                     jks_error *err)
{
    jks_error_clear(err);
    return jks_store_read(d, n, o, st, err);
}

/* ---- tests ---- */

static void test_empty_store(void)
{
    jks_format fs[] = {JKS_FORMAT_JKS, JKS_FORMAT_JCEKS};
    for (int i = 0; i < 2; i++) {
        jks_store *st = jks_store_new(fs[i]), *back = NULL;
        size_t n;
        jks_error err;
        uint8_t *b = write_store(st, wopts(fs[i], SP, NULL, 0), &n);
        static const uint8_t head_jks[] = {0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 0};
        static const uint8_t head_jceks[] = {0xce, 0xce, 0xce, 0xce, 0, 0, 0, 2, 0, 0, 0, 0};
        uint8_t dg[20];
        CU_ASSERT_EQUAL(n, 32);
        CU_ASSERT_EQUAL(memcmp(b, i ? head_jceks : head_jks, 12), 0);
        mighty_digest(SP, b, 12, dg);
        CU_ASSERT_EQUAL(memcmp(b + 12, dg, 20), 0);
        jks_read_opts o = ropts(SP);
        CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &back, &err), JKS_OK);
        CU_ASSERT_EQUAL(jks_store_count(back), 0);
        CU_ASSERT_EQUAL(jks_store_format(back), fs[i]);
        CU_ASSERT_EQUAL(jks_store_integrity(back), JKS_INTEGRITY_VERIFIED);
        jks_store_free(back);
        jks_store_free(st);
        free(b);
    }
}

static void test_write_read_round_trip(void)
{
    size_t n;
    uint8_t *b = small_jks(&n, JKS_FORMAT_JKS, NULL);
    jks_store *st = NULL;
    jks_error err;
    jks_read_opts o = ropts(SP);
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_format(st), JKS_FORMAT_JKS);
    CU_ASSERT_EQUAL(jks_store_version(st), 2);
    CU_ASSERT_EQUAL(jks_store_integrity(st), JKS_INTEGRITY_VERIFIED);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 2);
    const jks_entry *k = jks_store_entry(st, 0), *t = jks_store_entry(st, 1);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(k), "mykey"); /* writers lower-case */
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(t), "root");
    CU_ASSERT_EQUAL(jks_entry_kind_of(k), JKS_ENTRY_PRIVATE_KEY);
    CU_ASSERT_EQUAL(jks_entry_kind_of(t), JKS_ENTRY_TRUSTED_CERT);
    int64_t ms = 0;
    CU_ASSERT_TRUE(jks_entry_created(k, &ms));
    CU_ASSERT_EQUAL(ms, 1700000000000LL);
    CU_ASSERT_EQUAL(jks_entry_protection(k), JKS_PROT_JKS);
    CU_ASSERT_EQUAL(jks_entry_key_state(k), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_password_index(k), 0); /* the store password, no keypasses */
    jks_bytes p8 = jks_entry_pkcs8(k);
    CU_ASSERT_EQUAL_FATAL(p8.len, g_p8_len);
    CU_ASSERT_EQUAL(memcmp(p8.data, g_p8, g_p8_len), 0);
    CU_ASSERT_EQUAL(jks_entry_chain_len(k), 1);
    jks_bytes c = jks_entry_cert(k, 0);
    CU_ASSERT_EQUAL_FATAL(c.len, g_cert_len);
    CU_ASSERT_EQUAL(memcmp(c.data, g_cert, c.len), 0);
    c = jks_entry_cert(t, 0);
    CU_ASSERT_EQUAL_FATAL(c.len, g_cert2_len);
    CU_ASSERT_EQUAL(memcmp(c.data, g_cert2, c.len), 0);
    CU_ASSERT_EQUAL(jks_entry_cert(t, 1).len, 0);
    CU_ASSERT_PTR_EQUAL(jks_store_find(st, "MYKEY"), k);
    CU_ASSERT_PTR_NULL(jks_store_entry(st, 2));
    /* the stored protected key is the EPKI with the JKS OID */
    jks_bytes pk = jks_entry_protected_key(k);
    CU_ASSERT_EQUAL(pk.data[1], 0x81); /* 30 81 len 30 0e 06 0a OID 05 00 04 81 len */
    CU_ASSERT_EQUAL(pk.len, 3 + 16 + 3 + g_p8_len + 40);
    CU_ASSERT_EQUAL(memcmp(pk.data + 5, "\x06\x0a\x2b\x06\x01\x04\x01\x2a\x02\x11\x01\x01", 12), 0);

    /* keep_encryption: byte-identical output */
    size_t n2;
    jks_write_opts w = wopts(JKS_FORMAT_JKS, SP, NULL, 1);
    uint8_t *b2 = write_store(st, w, &n2);
    CU_ASSERT_EQUAL(n2, n);
    CU_ASSERT_EQUAL(memcmp(b, b2, n), 0);
    free(b2);
    /* re-encryption: fresh salts, same key */
    w.keep_encryption = 0;
    b2 = write_store(st, w, &n2);
    CU_ASSERT_EQUAL(n2, n);
    CU_ASSERT_NOT_EQUAL(memcmp(b, b2, n), 0);
    jks_store *st2 = NULL;
    CU_ASSERT_EQUAL_FATAL(rd(b2, n2, &o, &st2, &err), JKS_OK);
    jks_bytes pk2 = jks_entry_protected_key(jks_store_entry(st2, 0));
    CU_ASSERT_EQUAL(pk2.len, pk.len);
    CU_ASSERT_NOT_EQUAL(memcmp(pk2.data + 22, pk.data + 22, 20), 0); /* salts differ */
    p8 = jks_entry_pkcs8(jks_store_entry(st2, 0));
    CU_ASSERT_EQUAL_FATAL(p8.len, g_p8_len);
    CU_ASSERT_EQUAL(memcmp(p8.data, g_p8, g_p8_len), 0);
    jks_store_free(st2);
    free(b2);
    jks_store_free(st);
    free(b);
}

/* Cutting the file at any byte gives JKS_ERR_FORMAT, never a crash, with
 * and without a password (the digest must be present either way). */
static void test_truncation_at_every_byte(void)
{
    jks_format fs[] = {JKS_FORMAT_JKS, JKS_FORMAT_JCEKS};
    for (int f = 0; f < 2; f++) {
        size_t n;
        uint8_t *b = small_jks(&n, fs[f], NULL);
        jks_read_opts with = ropts(SP), without = ropts(NULL);
        size_t bad = 0;
        for (size_t cut = 0; cut < n; cut++) {
            /* an exact-size copy so ASan sees any overrun */
            uint8_t *t = malloc(cut ? cut : 1);
            memcpy(t, b, cut);
            for (int p = 0; p < 2; p++) {
                jks_store *st = NULL;
                jks_error err;
                jks_status s = rd(t, cut, p ? &with : &without, &st, &err);
                if (s != JKS_ERR_FORMAT || st != NULL || err.status != JKS_ERR_FORMAT) {
                    if (bad++ < 5)
                        fprintf(stderr, "cut at %zu (%s password): status %d\n", cut,
                                p ? "with" : "without", (int)s);
                }
                jks_store_free(st);
            }
            free(t);
        }
        CU_ASSERT_EQUAL(bad, 0);
        free(b);
    }
}

static void test_wrong_store_password(void)
{
    size_t n;
    uint8_t *b = small_jks(&n, JKS_FORMAT_JKS, NULL);
    jks_store *st = (jks_store *)1;
    jks_error err;
    jks_read_opts o = ropts("changeiT");
    CU_ASSERT_EQUAL(rd(b, n, &o, &st, &err), JKS_ERR_PASSWORD);
    CU_ASSERT_PTR_NULL(st);
    CU_ASSERT_EQUAL(err.status, JKS_ERR_PASSWORD);
    CU_ASSERT_EQUAL(err.offset, (long long)(n - 20)); /* where the digest is */
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "password"));
    /* empty password is a password too */
    o = ropts("");
    CU_ASSERT_EQUAL(rd(b, n, &o, &st, &err), JKS_ERR_PASSWORD);
    /* a corrupted digest byte is indistinguishable from a wrong password */
    b[n - 1] ^= 1;
    o = ropts(SP);
    CU_ASSERT_EQUAL(rd(b, n, &o, &st, &err), JKS_ERR_PASSWORD);
    free(b);
}

/* A flipped byte inside a certificate, with the right password, is reported
 * as corruption (exit 4) naming the entry, not as a wrong password. */
static void test_corrupt_certificate_byte(void)
{
    size_t n;
    uint8_t *b = small_jks(&n, JKS_FORMAT_JKS, NULL);
    jks_read_opts o = ropts(SP);
    /* the trusted cert is the last thing before the digest: its signature
     * value ends at n-20; flip a byte inside it, then a byte of its name */
    size_t at[] = {n - 20 - 5, n - 20 - g_cert2_len + 40};
    for (int i = 0; i < 2; i++) {
        uint8_t *c = malloc(n);
        memcpy(c, b, n);
        CU_ASSERT_EQUAL(memcmp(c + n - 20 - g_cert2_len, g_cert2, g_cert2_len), 0);
        c[at[i]] ^= 0x01;
        jks_store *st = NULL;
        jks_error err;
        CU_ASSERT_EQUAL(rd(c, n, &o, &st, &err), JKS_ERR_FORMAT);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "corrupt"));
        CU_ASSERT_STRING_EQUAL(err.alias, "root");
        /* without a password the listing still works (nothing is checked) */
        jks_read_opts none = ropts(NULL);
        CU_ASSERT_EQUAL(rd(c, n, &none, &st, &err), JKS_OK);
        CU_ASSERT_EQUAL(jks_store_integrity(st), JKS_INTEGRITY_NOT_CHECKED);
        jks_store_free(st);
        free(c);
    }
    /* the DER tag of the certificate: does not parse at all */
    uint8_t *c = malloc(n);
    memcpy(c, b, n);
    c[n - 20 - g_cert2_len] = 0x31;
    jks_store *st = NULL;
    jks_error err;
    CU_ASSERT_EQUAL(rd(c, n, &o, &st, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "corrupt"));
    free(c);
    free(b);
}

/* More certificates than the reader fully checks after a digest mismatch
 * (jksfile.c FULL_CHECKS, 256): entries "cert-000".."cert-299", each the
 * second fixture certificate, the last one replaced by last when given. */
#define BIG_N 300

static uint8_t *big_jks(const uint8_t *last, size_t last_len, size_t *len)
{
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    jks_error err;
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    for (int i = 0; i < BIG_N; i++) {
        char alias[32];
        snprintf(alias, sizeof(alias), "cert-%03d", i);
        int mine = i == BIG_N - 1 && last;
        CU_ASSERT_EQUAL_FATAL(jks_store_add_trusted_cert(st, alias, 1700000000000LL + i,
                                                         mine ? last : g_cert2,
                                                         mine ? last_len : g_cert2_len, &err),
                              JKS_OK);
    }
    uint8_t *b = write_store(st, wopts(JKS_FORMAT_JKS, SP, NULL, 0), len);
    jks_store_free(st);
    return b;
}

/* Bytes in the DER header (tag and length) of the element at p. */
static size_t der_header_len(const uint8_t *p)
{
    return p[1] < 0x80 ? 2 : 2 + (size_t)(p[1] & 0x7f);
}

/* Read b with a byte flipped at `at` (or none when at is 0) and password pw. */
static jks_status read_flipped(const uint8_t *b, size_t n, size_t at, const char *pw,
                               jks_error *err)
{
    uint8_t *c = malloc(n);
    jks_store *st = NULL;
    memcpy(c, b, n);
    if (at)
        c[at] ^= 0x01;
    jks_read_opts o = ropts(pw);
    jks_status s = rd(c, n, &o, &st, err);
    CU_ASSERT_EQUAL(st != NULL, s == JKS_OK);
    jks_store_free(st);
    free(c);
    return s;
}

/* A wrong password on a valid store of many certificates is a wrong
 * password, also when a certificate past the full checks is encoded in a way
 * DER forbids but OpenSSL accepts (here a length with a leading zero byte). */
static void test_wrong_password_many_certificates(void)
{
    size_t n, hl = der_header_len(g_cert2);
    uint8_t *b = big_jks(NULL, 0, &n);
    jks_error err;
    CU_ASSERT_EQUAL(read_flipped(b, n, 0, "changeiT", &err), JKS_ERR_PASSWORD);
    CU_ASSERT_EQUAL(err.offset, (long long)(n - 20));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "password"));
    free(b);

    /* 30 82 HH LL ... becomes 30 83 00 HH LL ... (BER, not DER) */
    CU_ASSERT_EQUAL_FATAL(hl, 4);
    uint8_t *odd = malloc(g_cert2_len + 1);
    memcpy(odd, g_cert2, 2);
    odd[1] = 0x83;
    odd[2] = 0x00;
    memcpy(odd + 3, g_cert2 + 2, g_cert2_len - 2);
    const unsigned char *p = odd;
    X509 *x = d2i_X509(NULL, &p, (long)g_cert2_len + 1);
    CU_ASSERT_PTR_NOT_NULL(x); /* OpenSSL accepts it, so it is not corruption */
    X509_free(x);
    b = big_jks(odd, g_cert2_len + 1, &n);
    CU_ASSERT_EQUAL(read_flipped(b, n, 0, "changeiT", &err), JKS_ERR_PASSWORD);
    CU_ASSERT_EQUAL(read_flipped(b, n, 0, SP, &err), JKS_OK);
    free(b);
    free(odd);
}

/* Past the full checks a broken tag or length is still found, with the right
 * password or a wrong one, and the entry is named; a changed signature byte
 * there reads as a wrong password (the cost trade-off in find_corruption),
 * while in the first certificate it is found. */
static void test_corrupt_certificate_many_certificates(void)
{
    size_t n, hl = der_header_len(g_cert2);
    uint8_t *b = big_jks(NULL, 0, &n);
    jks_error err;
    size_t last = n - 20 - g_cert2_len;
    CU_ASSERT_EQUAL_FATAL(memcmp(b + last, g_cert2, g_cert2_len), 0);
    const uint8_t *first = memmem(b, n, g_cert2, g_cert2_len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(first);
    /* the certificate's length, the TBSCertificate's tag, its length */
    size_t at[] = {last + hl - 1, last + hl, last + hl + der_header_len(g_cert2 + hl) - 1};
    const char *pw[] = {SP, "changeiT"};
    for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++)
        for (int p = 0; p < 2; p++) {
            CU_ASSERT_EQUAL(read_flipped(b, n, at[i], pw[p], &err), JKS_ERR_FORMAT);
            CU_ASSERT_EQUAL(err.status, JKS_ERR_FORMAT);
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "corrupt"));
            CU_ASSERT_STRING_EQUAL(err.alias, "cert-299");
        }
    /* the last byte of each certificate is inside its signature value */
    CU_ASSERT_EQUAL(read_flipped(b, n, n - 21, SP, &err), JKS_ERR_PASSWORD);
    CU_ASSERT_EQUAL(read_flipped(b, n, (size_t)(first - b) + g_cert2_len - 1, SP, &err),
                    JKS_ERR_FORMAT);
    CU_ASSERT_STRING_EQUAL(err.alias, "cert-000");
    free(b);
}

static void test_key_password_differs(void)
{
    size_t n;
    uint8_t *b = small_jks(&n, JKS_FORMAT_JKS, "key-pw");
    jks_store *st = NULL;
    jks_error err;
    jks_read_opts o = ropts(SP);
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    const jks_entry *e = jks_store_entry(st, 0);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_WRONG_PASSWORD);
    CU_ASSERT_EQUAL(jks_entry_pkcs8(e).len, 0);
    CU_ASSERT_EQUAL(jks_entry_password_index(e), -1);
    CU_ASSERT_EQUAL(jks_store_integrity(st), JKS_INTEGRITY_VERIFIED);
    jks_store_free(st);

    const char *kps[] = {"nope", "key-pw"};
    o.keypasses = kps;
    o.n_keypasses = 2;
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    e = jks_store_entry(st, 0);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_password_index(e), 1);
    CU_ASSERT_EQUAL(jks_entry_pkcs8(e).len, g_p8_len);
    CU_ASSERT_EQUAL(memcmp(jks_entry_pkcs8(e).data, g_p8, g_p8_len), 0);
    jks_store_free(st);

    /* keypass only, no store password: the key opens, integrity unchecked */
    o.storepass = NULL;
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_entry(st, 0)), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_store_integrity(st), JKS_INTEGRITY_NOT_CHECKED);
    jks_store_free(st);

    /* no password at all: keys stay encrypted */
    o = ropts(NULL);
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_entry(st, 0)), JKS_KEY_ENCRYPTED);
    CU_ASSERT_EQUAL(jks_store_count(st), 2);
    jks_store_free(st);

    /* writing needs every key decrypted unless kept */
    o = ropts(SP);
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    uint8_t *out = NULL;
    size_t on;
    jks_write_opts w = wopts(JKS_FORMAT_JKS, SP, NULL, 0);
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_write(st, &w, &out, &on, &err), JKS_ERR_PASSWORD);
    CU_ASSERT_STRING_EQUAL(err.alias, "mykey");
    CU_ASSERT_PTR_NULL(out);
    w.keep_encryption = 1;
    CU_ASSERT_EQUAL(jks_store_write(st, &w, &out, &on, &err), JKS_OK);
    CU_ASSERT_EQUAL(on, n);
    CU_ASSERT_EQUAL(memcmp(out, b, n), 0);
    jks_buffer_free(out, on);
    jks_store_free(st);
    free(b);
}

/* Version 1 (no "X.509" type strings), assembled by hand. */
static void test_version1_read(void)
{
    size_t n;
    uint8_t *b = small_jks(&n, JKS_FORMAT_JKS, NULL);
    jks_store *st = NULL, *v1 = NULL;
    jks_error err;
    jks_read_opts o = ropts(SP);
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    jks_bytes pk = jks_entry_protected_key(jks_store_entry(st, 0));
    jks_builder w;
    jks_builder_init(&w, 0);
    jks_builder_u32(&w, 0xFEEDFEED);
    jks_builder_u32(&w, 1);
    jks_builder_u32(&w, 2);
    jks_builder_u32(&w, 1);
    jks_builder_java_utf(&w, "k");
    jks_builder_u64(&w, 1);
    jks_builder_u32(&w, (uint32_t)pk.len);
    jks_builder_bytes(&w, pk.data, pk.len);
    jks_builder_u32(&w, 1);
    jks_builder_u32(&w, (uint32_t)g_cert_len);
    jks_builder_bytes(&w, g_cert, g_cert_len);
    jks_builder_u32(&w, 2);
    jks_builder_java_utf(&w, "t");
    jks_builder_u64(&w, 2);
    jks_builder_u32(&w, (uint32_t)g_cert2_len);
    jks_builder_bytes(&w, g_cert2, g_cert2_len);
    size_t vn;
    uint8_t *v = finish_with_digest(&w, SP, &vn);
    CU_ASSERT_EQUAL_FATAL(rd(v, vn, &o, &v1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_version(v1), 1);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(v1), 2);
    const jks_entry *k = jks_store_entry(v1, 0);
    CU_ASSERT_EQUAL(jks_entry_key_state(k), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(memcmp(jks_entry_pkcs8(k).data, g_p8, g_p8_len), 0);
    CU_ASSERT_EQUAL(jks_entry_cert(k, 0).len, g_cert_len);
    CU_ASSERT_EQUAL(memcmp(jks_entry_cert(jks_store_entry(v1, 1), 0).data, g_cert2, g_cert2_len), 0);
    /* kept encryption keeps the version: identical bytes */
    uint8_t *out = NULL;
    size_t on;
    jks_write_opts wo = wopts(JKS_FORMAT_JKS, SP, NULL, 1);
    CU_ASSERT_EQUAL(jks_store_write(v1, &wo, &out, &on, &err), JKS_OK);
    CU_ASSERT_EQUAL(on, vn);
    CU_ASSERT_EQUAL(memcmp(out, v, vn), 0);
    jks_buffer_free(out, on);
    /* read as version 2 the same bytes are malformed */
    v[7] = 2;
    jks_store *bad = NULL;
    jks_read_opts none = ropts(NULL);
    CU_ASSERT_EQUAL(rd(v, vn, &none, &bad, &err), JKS_ERR_FORMAT);
    v[7] = 3;
    CU_ASSERT_EQUAL(rd(v, vn, &none, &bad, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "version"));
    jks_store_free(v1);
    jks_store_free(st);
    free(v);
    free(b);
}

/* Duplicate aliases: Java keeps the last one read. */
static void test_duplicate_aliases_keep_last(void)
{
    jks_builder w;
    jks_builder_init(&w, 0);
    jks_builder_u32(&w, 0xFEEDFEED);
    jks_builder_u32(&w, 2);
    jks_builder_u32(&w, 3);
    const uint8_t *certs[] = {g_cert, g_cert2, g_cert};
    size_t lens[] = {g_cert_len, g_cert2_len, g_cert_len};
    const char *aliases[] = {"dup", "dup", "other"};
    for (int i = 0; i < 3; i++) {
        jks_builder_u32(&w, 2);
        jks_builder_java_utf(&w, aliases[i]);
        jks_builder_u64(&w, (uint64_t)i);
        jks_builder_java_utf(&w, "X.509");
        jks_builder_u32(&w, (uint32_t)lens[i]);
        jks_builder_bytes(&w, certs[i], lens[i]);
    }
    size_t n;
    uint8_t *b = finish_with_digest(&w, SP, &n);
    jks_store *st = NULL;
    jks_error err;
    jks_read_opts o = ropts(SP);
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 2);
    const jks_entry *d = jks_store_find(st, "dup");
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    int64_t ms;
    CU_ASSERT_TRUE(jks_entry_created(d, &ms));
    CU_ASSERT_EQUAL(ms, 1);
    CU_ASSERT_EQUAL(jks_entry_cert(d, 0).len, g_cert2_len);
    CU_ASSERT_EQUAL(memcmp(jks_entry_cert(d, 0).data, g_cert2, g_cert2_len), 0);
    jks_store_free(st);
    free(b);
}

/* "", non-ASCII (with U+0000 and a supplementary character), the maximum of
 * 65535 encoded bytes; 65536 is refused by the writer. */
static void test_alias_edge_cases(void)
{
    const char *names[] = {"", "\xc3\xa4rger\xc0\x80\xe2\x82\xac\xf0\x9d\x84\x9e"};
    for (int i = 0; i < 2; i++) {
        jks_store *st = jks_store_new(JKS_FORMAT_JKS), *back = NULL;
        jks_error err;
        CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, names[i], 0, g_cert, g_cert_len, &err), JKS_OK);
        size_t n;
        uint8_t *b = write_store(st, wopts(JKS_FORMAT_JKS, SP, NULL, 0), &n);
        jks_read_opts o = ropts(SP);
        CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &back, &err), JKS_OK);
        CU_ASSERT_STRING_EQUAL(jks_entry_alias(jks_store_entry(back, 0)), names[i]);
        if (i == 1) { /* bytes as in FORMATS.md 0.1 */
            CU_ASSERT_EQUAL(memcmp(b + 16, "\x00\x11\xc3\xa4rger\xc0\x80\xe2\x82\xac\xed\xa0\xb4\xed\xb4\x9e", 19), 0);
        } else {
            CU_ASSERT_EQUAL(memcmp(b + 16, "\x00\x00", 2), 0);
        }
        jks_store_free(back);
        jks_store_free(st);
        free(b);
    }
    /* 65535 bytes: 21845 x U+00E4 ("a umlaut", 2 bytes) would be 43690; use
     * 21845 x U+20AC (3 bytes) = 65535 encoded bytes */
    char *big = malloc(3 * 21846 + 1);
    for (int i = 0; i < 21845; i++)
        memcpy(big + 3 * i, "\xe2\x82\xac", 3);
    big[3 * 21845] = 0;
    jks_store *st = jks_store_new(JKS_FORMAT_JKS), *back = NULL;
    jks_error err;
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, big, 0, g_cert, g_cert_len, &err), JKS_OK);
    size_t n;
    uint8_t *b = write_store(st, wopts(JKS_FORMAT_JKS, SP, NULL, 0), &n);
    CU_ASSERT_EQUAL(b[16], 0xff);
    CU_ASSERT_EQUAL(b[17], 0xff);
    jks_read_opts o = ropts(SP);
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &back, &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(jks_store_entry(back, 0)), big);
    jks_store_free(back);
    jks_store_free(st);
    free(b);
    /* one more ASCII byte: 65536, refused */
    memcpy(big + 3 * 21845, "x", 2);
    st = jks_store_new(JKS_FORMAT_JKS);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, big, 0, g_cert, g_cert_len, &err), JKS_OK);
    uint8_t *out = NULL;
    jks_write_opts w = wopts(JKS_FORMAT_JKS, SP, NULL, 0);
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_write(st, &w, &out, &n, &err), JKS_ERR_USAGE);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "65535"));
    jks_store_free(st);
    free(big);
}

/* Aliases that collide once lower-cased cannot both be written. */
static void test_writer_refuses_case_collisions(void)
{
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    jks_error err;
    uint8_t *out = NULL;
    size_t n;
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "Root", 0, g_cert, g_cert_len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "root", 0, g_cert2, g_cert2_len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "root", 0, g_cert2, g_cert2_len, &err),
                    JKS_ERR_USAGE);
    jks_write_opts w = wopts(JKS_FORMAT_JKS, SP, NULL, 0);
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_write(st, &w, &out, &n, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.alias, "root");
    w.storepass = NULL;
    jks_store_remove(st, 1);
    CU_ASSERT_EQUAL(jks_store_write(st, &w, &out, &n, &err), JKS_ERR_USAGE); /* no password */
    jks_store_free(st);
}

static void test_jceks_secret_keys(void)
{
    static const uint8_t aes[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    static const uint8_t des3[24] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                     0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
                                     0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67};
    uint8_t hmac[32];
    memset(hmac, 0xa5, sizeof(hmac));
    jks_store *st = jks_store_new(JKS_FORMAT_JCEKS), *back = NULL;
    jks_error err;
    CU_ASSERT_EQUAL(jks_store_add_secret_key(st, "aes", 5, "AES", aes, 16, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_secret_key(st, "des3", 6, "DESede", des3, 24, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_secret_key(st, "Hmac", 7, "HmacSHA256", hmac, 32, &err), JKS_OK);
    jks_bytes chain = {g_cert, g_cert_len};
    CU_ASSERT_EQUAL(jks_store_add_private_key(st, "pk", 8, g_p8, g_p8_len, &chain, 1, &err), JKS_OK);
    size_t n;
    uint8_t *b = write_store(st, wopts(JKS_FORMAT_JCEKS, SP, "secret-pw", 0), &n);
    CU_ASSERT_EQUAL(memcmp(b, "\xce\xce\xce\xce", 4), 0);
    const char *kps[] = {"secret-pw"};
    jks_read_opts o = ropts(SP);
    o.keypasses = kps;
    o.n_keypasses = 1;
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &back, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_format(back), JKS_FORMAT_JCEKS);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(back), 4);
    const struct {
        const char *alias, *alg;
        const uint8_t *key;
        size_t len;
    } want[] = {{"aes", "AES", aes, 16}, {"des3", "DESede", des3, 24}, {"hmac", "HmacSHA256", hmac, 32}};
    for (int i = 0; i < 3; i++) {
        const jks_entry *e = jks_store_entry(back, (size_t)i);
        CU_ASSERT_STRING_EQUAL(jks_entry_alias(e), want[i].alias);
        CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_SECRET_KEY);
        CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
        CU_ASSERT_EQUAL(jks_entry_password_index(e), 0);
        CU_ASSERT_STRING_EQUAL(jks_entry_secret_algorithm(e), want[i].alg);
        jks_bytes s = jks_entry_secret(e);
        CU_ASSERT_EQUAL_FATAL(s.len, want[i].len);
        CU_ASSERT_EQUAL(memcmp(s.data, want[i].key, s.len), 0);
        CU_ASSERT_EQUAL(jks_entry_chain_len(e), 0);
        /* the sealed object as Java writes it (FORMATS.md 3.2) */
        jks_bytes p = jks_entry_protected_key(e);
        CU_ASSERT_EQUAL(memcmp(p.data, "\xac\xed\x00\x05\x73\x72\x00\x33", 8), 0);
    }
    const jks_entry *pk = jks_store_entry(back, 3);
    CU_ASSERT_EQUAL(jks_entry_protection(pk), JKS_PROT_JCEKS_3DES);
    CU_ASSERT_EQUAL(jks_entry_key_state(pk), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(memcmp(jks_entry_pkcs8(pk).data, g_p8, g_p8_len), 0);
    jks_store_free(back);

    /* the store password alone opens none of them */
    o.n_keypasses = 0;
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &back, &err), JKS_OK);
    for (size_t i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_entry(back, i)), JKS_KEY_WRONG_PASSWORD);
    CU_ASSERT_EQUAL(jks_entry_secret(jks_store_entry(back, 0)).len, 0);
    CU_ASSERT_PTR_NULL(jks_entry_secret_algorithm(jks_store_entry(back, 0)));
    /* an iteration cap below 200000 refuses to derive */
    jks_store_free(back);
    o.keypasses = kps;
    o.n_keypasses = 1;
    o.max_iterations = 1000;
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &back, &err), JKS_OK);
    for (size_t i = 0; i < 4; i++)
        CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_entry(back, i)), JKS_KEY_UNSUPPORTED);
    jks_store_free(back);
    /* kept encryption: identical bytes */
    o.max_iterations = 0;
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &back, &err), JKS_OK);
    uint8_t *b2 = write_store(back, wopts(JKS_FORMAT_JCEKS, SP, NULL, 1), &n);
    CU_ASSERT_EQUAL(memcmp(b, b2, n), 0);
    free(b2);
    /* JKS cannot hold secret keys */
    uint8_t *out = NULL;
    jks_write_opts w = wopts(JKS_FORMAT_JKS, SP, NULL, 0);
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_write(back, &w, &out, &n, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.alias, "aes");
    jks_store_free(back);
    jks_store_free(st);
    free(b);
}

/* Headers, tags and counts that are wrong or hostile. */
static void test_malformed_headers(void)
{
    size_t n;
    uint8_t *b = small_jks(&n, JKS_FORMAT_JKS, NULL);
    jks_store *st = NULL;
    jks_error err;
    jks_read_opts none = ropts(NULL);
    uint8_t *c = malloc(n + 100);
    /* entry count far beyond the file */
    memcpy(c, b, n);
    memcpy(c + 8, "\x7f\xff\xff\xff", 4);
    CU_ASSERT_EQUAL(rd(c, n, &none, &st, &err), JKS_ERR_FORMAT);
    /* unknown tag 7 and tag 3 (secret) in a JKS */
    memcpy(c, b, n);
    c[15] = 7;
    CU_ASSERT_EQUAL(rd(c, n, &none, &st, &err), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(err.offset, 12);
    c[15] = 3;
    CU_ASSERT_EQUAL(rd(c, n, &none, &st, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "JCEKS"));
    /* certificate chain count of 2^32-1 */
    memcpy(c, b, n);
    jks_read_opts o = ropts(SP);
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    size_t keylen = jks_entry_protected_key(jks_store_entry(st, 0)).len;
    jks_store_free(st);
    size_t chain_at = 12 + 4 + 2 + 5 + 8 + 4 + keylen;
    CU_ASSERT_EQUAL(memcmp(c + chain_at, "\x00\x00\x00\x01", 4), 0);
    memcpy(c + chain_at, "\xff\xff\xff\xff", 4);
    CU_ASSERT_EQUAL(rd(c, n, &none, &st, &err), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(err.offset, (long long)chain_at + 4);
    CU_ASSERT_STRING_EQUAL(err.alias, "mykey");
    /* a certificate type other than X.509 */
    memcpy(c, b, n);
    memcpy(c + chain_at + 6, "X.510", 5);
    CU_ASSERT_EQUAL(rd(c, n, &none, &st, &err), JKS_ERR_FORMAT);
    /* bad magic */
    memcpy(c, b, n);
    c[0] = 0xFF;
    CU_ASSERT_EQUAL(rd(c, n, &none, &st, &err), JKS_ERR_FORMAT);
    /* bytes after the digest are ignored, as Java does */
    memcpy(c, b, n);
    memset(c + n, 0x41, 100);
    CU_ASSERT_EQUAL(rd(c, n + 100, &o, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_count(st), 2);
    jks_store_free(st);
    free(c);
    free(b);
    /* a JCEKS forced to be read as JKS */
    b = small_jks(&n, JKS_FORMAT_JCEKS, NULL);
    none.force_format = JKS_FORMAT_JKS;
    CU_ASSERT_EQUAL(rd(b, n, &none, &st, &err), JKS_ERR_FORMAT);
    free(b);
}

/* A JKS-protected key inside a JCEKS (Java accepts it) still opens. */
static void test_jks_protector_inside_jceks(void)
{
    size_t n;
    uint8_t *b = small_jks(&n, JKS_FORMAT_JKS, NULL);
    jks_store *st = NULL;
    jks_error err;
    jks_read_opts o = ropts(SP);
    uint8_t dg[20];
    memcpy(b, "\xce\xce\xce\xce", 4);
    mighty_digest(SP, b, n - 20, dg);
    memcpy(b + n - 20, dg, 20);
    CU_ASSERT_EQUAL_FATAL(rd(b, n, &o, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_format(st), JKS_FORMAT_JCEKS);
    CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_entry(st, 0)), JKS_KEY_DECRYPTED);
    jks_store_free(st);
    free(b);
}

static void test_error_format_line(void)
{
    jks_error err;
    char buf[512];
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(err.offset, -1);
    jks_fail(&err, JKS_ERR_FORMAT, 42, "bad %s", "thing");
    jks_error_set_alias(&err, "a");
    jks_error_set_alias(&err, "b"); /* the first alias stays */
    CU_ASSERT_STRING_EQUAL(jks_error_format(&err, buf, sizeof(buf)), "entry \"a\" at byte 42: bad thing");
    err.offset = -1;
    CU_ASSERT_STRING_EQUAL(jks_error_format(&err, buf, sizeof(buf)), "entry \"a\": bad thing");
}

int main(void)
{
    static const test_case cases[] = {
        {"empty store writes 32 bytes and reads back", test_empty_store},
        {"JKS write -> read round trip (kept bytes identical, fresh salts)", test_write_read_round_trip},
        {"truncation at every byte gives FORMAT", test_truncation_at_every_byte},
        {"wrong store password gives PASSWORD", test_wrong_store_password},
        {"corrupt certificate byte gives FORMAT", test_corrupt_certificate_byte},
        {"wrong password on 300 certificates gives PASSWORD", test_wrong_password_many_certificates},
        {"corrupt tag or length past the full checks gives FORMAT", test_corrupt_certificate_many_certificates},
        {"different key password: WRONG_PASSWORD, then DECRYPTED", test_key_password_differs},
        {"version 1 JKS reads", test_version1_read},
        {"duplicate aliases keep the last", test_duplicate_aliases_keep_last},
        {"empty, non-ASCII and 65535-byte aliases", test_alias_edge_cases},
        {"writer refuses aliases colliding after lower-casing", test_writer_refuses_case_collisions},
        {"JCEKS secret key write -> read", test_jceks_secret_keys},
        {"malformed headers, tags and counts", test_malformed_headers},
        {"JKS protector inside JCEKS", test_jks_protector_inside_jceks},
        {"error line format", test_error_format_line},
    };
    fixtures();
    int rc = run_suite("jks", cases, sizeof(cases) / sizeof(cases[0]));
    free(g_p8);
    free(g_cert);
    free(g_cert2);
    return rc;
}
