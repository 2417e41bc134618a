/* Suite "ops": the operations layer (include/jks/ops.h): CA replies,
 * exports, Java alias lookups, names. Certificates are made here with
 * OpenSSL; results are compared as bytes. */
#include "jks/ops.h"
#include "jks/source.h"
#include "testutil.h"
#include "certutil.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>
#include <unistd.h>

static int same(jks_bytes a, jks_bytes b)
{
    return a.len == b.len && !memcmp(a.data, b.data, a.len);
}

static EVP_PKEY *rk, *ik, *lk, *ok_;
static jks_bytes root, inter, leaf, self, other, p8;

/* A store: key entry "Key" (self-signed), trusted "Root". */
static jks_store *reply_store(void)
{
    jks_error err;
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    CU_ASSERT_EQUAL(jks_store_add_private_key(st, "Key", 1, p8.data, p8.len, &self, 1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "Root", 1, root.data, root.len, &err), JKS_OK);
    return st;
}

static void test_install_reply_orders_and_completes_from_store(void)
{
    jks_error err;
    jks_reply_result res;
    jks_store *st = reply_store();
    jks_bytes reply[] = {inter, leaf}; /* out of order, root missing */
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 0, reply, 2, NULL, &res, &err), JKS_OK);
    CU_ASSERT_EQUAL(res.outcome, JKS_REPLY_INSTALLED);
    CU_ASSERT_EQUAL(res.chain_len, 3);
    CU_ASSERT(res.complete);
    const jks_entry *e = jks_store_entry(st, 0);
    CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(e), 3);
    CU_ASSERT(same(jks_entry_cert(e, 0), leaf));
    CU_ASSERT(same(jks_entry_cert(e, 1), inter));
    CU_ASSERT(same(jks_entry_cert(e, 2), root));
    CU_ASSERT(same(jks_entry_pkcs8(e), p8)); /* the key untouched */
    /* again: nothing to do */
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 0, reply, 2, NULL, &res, &err), JKS_OK);
    CU_ASSERT_EQUAL(res.outcome, JKS_REPLY_UNCHANGED);
    jks_store_free(st);
}

static void test_install_reply_refusals(void)
{
    jks_error err;
    jks_reply_result res;
    jks_store *st = reply_store();
    jks_reply_opts o = JKS_REPLY_OPTS_INIT;
    /* a certificate outside the chain */
    jks_bytes extra[] = {leaf, inter, other};
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 0, extra, 3, NULL, &res, &err), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(res.outcome, JKS_REPLY_EXTRA_CERTS);
    CU_ASSERT_EQUAL(res.unused, 1);
    CU_ASSERT_STRING_EQUAL(err.alias, "Key");
    CU_ASSERT_PTR_NULL(strstr(err.msg, "--"));
    CU_ASSERT(same(jks_entry_cert(jks_store_entry(st, 0), 0), self)); /* unchanged */
    o.allow_extra = 1;
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 0, extra, 3, &o, &res, &err), JKS_OK);
    CU_ASSERT_EQUAL(res.chain_len, 3);
    jks_store_free(st);

    /* not the key's certificate */
    st = reply_store();
    jks_bytes wrong[] = {inter};
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 0, wrong, 1, NULL, &res, &err), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(res.outcome, JKS_REPLY_NOT_FOR_KEY);
    /* a lone leaf whose issuer is nowhere */
    jks_bytes lone[] = {leaf};
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 0, lone, 1, NULL, &res, &err), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(res.outcome, JKS_REPLY_INCOMPLETE);
    CU_ASSERT_STRING_EQUAL(res.top.issuer, "CN=Inter");
    o.allow_extra = 0;
    o.allow_incomplete = 1;
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 0, lone, 1, &o, &res, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_entry_chain_len(jks_store_entry(st, 0)), 1);
    CU_ASSERT(same(jks_entry_cert(jks_store_entry(st, 0), 0), leaf));
    /* a trusted entry takes no reply */
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 1, lone, 1, NULL, &res, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(res.outcome, JKS_REPLY_NOT_A_KEY);
    jks_store_free(st);

    /* the extra CAs complete the chain */
    st = jks_store_new(JKS_FORMAT_JKS);
    jks_store *cas = jks_store_new(JKS_FORMAT_PEM);
    CU_ASSERT_EQUAL(jks_store_add_private_key(st, "k", 1, p8.data, p8.len, &self, 1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(cas, "i", 1, inter.data, inter.len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(cas, "r", 1, root.data, root.len, &err), JKS_OK);
    o.allow_incomplete = 0;
    o.extra_cas = cas;
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 0, lone, 1, &o, &res, &err), JKS_OK);
    CU_ASSERT_EQUAL(res.chain_len, 3);
    CU_ASSERT(same(jks_entry_cert(jks_store_entry(st, 0), 2), root));
    jks_store_free(cas);
    jks_store_free(st);
}

static void test_export_cert_chain_and_key(void)
{
    jks_error err;
    uint8_t *out;
    size_t len;
    char *pem;
    size_t pl;
    jks_store *st = reply_store();
    jks_bytes reply[] = {leaf, inter};
    CU_ASSERT_EQUAL(jks_store_install_reply(st, 0, reply, 2, NULL, NULL, &err), JKS_OK);
    const jks_entry *e = jks_store_entry(st, 0);
    jks_export_opts o = JKS_EXPORT_OPTS_INIT;

    /* certificate: PEM is the armoured leaf, DER the leaf */
    CU_ASSERT_EQUAL_FATAL(jks_entry_export(e, JKS_EXPORT_CERT, NULL, &out, &len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_pem_armor("CERTIFICATE", leaf.data, leaf.len, &pem, &pl, &err), JKS_OK);
    CU_ASSERT(len == pl && !memcmp(out, pem, pl));
    jks_buffer_free(out, len);
    o.der = 1;
    CU_ASSERT_EQUAL_FATAL(jks_entry_export(e, JKS_EXPORT_CERT, &o, &out, &len, &err), JKS_OK);
    CU_ASSERT(same((jks_bytes){out, len}, leaf));
    jks_buffer_free(out, len);
    /* chain: three blocks, leaf first; not as DER */
    CU_ASSERT_EQUAL(jks_entry_export(e, JKS_EXPORT_CHAIN, &o, &out, &len, &err), JKS_ERR_USAGE);
    o.der = 0;
    CU_ASSERT_EQUAL_FATAL(jks_entry_export(e, JKS_EXPORT_CHAIN, &o, &out, &len, &err), JKS_OK);
    CU_ASSERT(len > pl && !memcmp(out, pem, pl));
    BIO *b = BIO_new_mem_buf(out, (int)len);
    X509 *x;
    int nx = 0;
    const jks_bytes want[] = {leaf, inter, root};
    while ((x = PEM_read_bio_X509(b, NULL, NULL, NULL))) {
        unsigned char *d = NULL;
        int dl = i2d_X509(x, &d);
        CU_ASSERT(nx < 3 && same((jks_bytes){d, (size_t)dl}, want[nx]));
        OPENSSL_free(d);
        X509_free(x);
        nx++;
    }
    CU_ASSERT_EQUAL(nx, 3);
    BIO_free(b);
    jks_buffer_free(out, len);
    free(pem);

    /* key: DER is the PKCS#8; encrypted PEM opens with the password to the same key */
    o.der = 1;
    CU_ASSERT_EQUAL_FATAL(jks_entry_export(e, JKS_EXPORT_KEY, &o, &out, &len, &err), JKS_OK);
    CU_ASSERT(same((jks_bytes){out, len}, p8));
    jks_buffer_free(out, len);
    o.der = 0;
    o.password = "pw";
    CU_ASSERT_EQUAL_FATAL(jks_entry_export(e, JKS_EXPORT_KEY, &o, &out, &len, &err), JKS_OK);
    CU_ASSERT_PTR_NOT_NULL(memmem(out, len, "BEGIN ENCRYPTED PRIVATE KEY", 27));
    b = BIO_new_mem_buf(out, (int)len);
    EVP_PKEY *k = PEM_read_bio_PrivateKey(b, NULL, NULL, (void *)"pw");
    CU_ASSERT_PTR_NOT_NULL(k);
    CU_ASSERT_EQUAL(k ? EVP_PKEY_eq(k, lk) : 0, 1);
    EVP_PKEY_free(k);
    BIO_free(b);
    jks_buffer_free(out, len);
    o.password = NULL;
    CU_ASSERT_EQUAL_FATAL(jks_entry_export(e, JKS_EXPORT_KEY, &o, &out, &len, &err), JKS_OK);
    CU_ASSERT_PTR_NOT_NULL(memmem(out, len, "BEGIN PRIVATE KEY", 17));
    jks_buffer_free(out, len);
    /* a trusted entry has no key */
    CU_ASSERT_EQUAL(jks_entry_export(jks_store_entry(st, 1), JKS_EXPORT_KEY, &o, &out, &len, &err),
                    JKS_ERR_USAGE);
    jks_store_free(st);
}

static void test_java_alias_lookup_and_positions(void)
{
    jks_store *st = reply_store();
    CU_ASSERT_PTR_EQUAL(jks_store_find_java(st, "KEY"), jks_store_entry(st, 0));
    CU_ASSERT_PTR_EQUAL(jks_store_find_java(st, "root"), jks_store_entry(st, 1));
    CU_ASSERT_PTR_NULL(jks_store_find_java(st, "nope"));
    CU_ASSERT(jks_alias_java_equal("MyKey", "mykey"));
    CU_ASSERT(!jks_alias_java_equal("MyKey", "mykey2"));
    CU_ASSERT_EQUAL(jks_store_index_of(st, jks_store_entry(st, 1)), 1);
    CU_ASSERT_EQUAL(jks_store_index_of(st, NULL), SIZE_MAX);
    /* a decrypted key forgets its protection; a trusted entry has none */
    CU_ASSERT_EQUAL(jks_store_forget_protection(st, 0), 1);
    CU_ASSERT_EQUAL(jks_store_forget_protection(st, 1), 0);
    CU_ASSERT_EQUAL(jks_store_p12_algorithms(st), JKS_P12_MODERN);
    jks_store_free(st);
}

static void test_name_format_is_keytools(void)
{
    X509_NAME *n = X509_NAME_new();
    X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"Org", -1, -1, 0);
    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8, (const unsigned char *)"J\xc3\xb6rg", -1, -1, 0);
    unsigned char *d = NULL;
    int dl = i2d_X509_NAME(n, &d);
    char out[64];
    CU_ASSERT_EQUAL(jks_name_format(d, (size_t)dl, out, sizeof(out)), 1);
    CU_ASSERT_STRING_EQUAL(out, "CN=J\xc3\xb6rg, O=Org");
    CU_ASSERT_EQUAL(jks_name_format(d, 3, out, sizeof(out)), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
    OPENSSL_free(d);
    X509_NAME_free(n);
}

static void test_merge_conflict_policies(void)
{
    jks_error err;
    jks_merge_result res;
    jks_merge_opts o = JKS_MERGE_OPTS_INIT;
    jks_store *src = jks_store_new(JKS_FORMAT_PKCS12);
    CU_ASSERT_EQUAL(jks_store_add_private_key(src, "key", 5, p8.data, p8.len, &leaf, 1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(src, "other", 6, other.data, other.len, &err), JKS_OK);

    /* FAIL: "key" is "Key" to Java; nothing added after the conflict */
    jks_store *dst = reply_store();
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_merge(dst, src, NULL, &res, &err), JKS_ERR_USAGE);
    CU_ASSERT_PTR_EQUAL(res.existing, jks_store_entry(dst, 0));
    CU_ASSERT_STRING_EQUAL(err.alias, "Key");
    CU_ASSERT_EQUAL(jks_store_count(dst), 2);
    /* SKIP keeps the destination's entry */
    o.on_conflict = JKS_CONFLICT_SKIP;
    CU_ASSERT_EQUAL(jks_store_merge(dst, src, &o, &res, &err), JKS_OK);
    CU_ASSERT_EQUAL(res.skipped, 1);
    CU_ASSERT_EQUAL(res.added, 1);
    CU_ASSERT_EQUAL(jks_store_count(dst), 3);
    CU_ASSERT(same(jks_entry_cert(jks_store_find_java(dst, "key"), 0), self));
    jks_store_free(dst);
    /* OVERWRITE replaces it: the source's certificate and creation time */
    dst = reply_store();
    o.on_conflict = JKS_CONFLICT_OVERWRITE;
    CU_ASSERT_EQUAL(jks_store_merge(dst, src, &o, &res, &err), JKS_OK);
    CU_ASSERT_EQUAL(res.replaced, 1);
    CU_ASSERT_EQUAL(jks_store_count(dst), 3);
    const jks_entry *e = jks_store_find_java(dst, "KEY");
    int64_t ms = 0;
    CU_ASSERT(same(jks_entry_cert(e, 0), leaf));
    CU_ASSERT(same(jks_entry_pkcs8(e), p8));
    CU_ASSERT(jks_entry_created(e, &ms) && ms == 5);
    jks_store_free(dst);
    /* RENAME adds "key-2" */
    dst = reply_store();
    o.on_conflict = JKS_CONFLICT_RENAME;
    CU_ASSERT_EQUAL(jks_store_merge(dst, src, &o, &res, &err), JKS_OK);
    CU_ASSERT_EQUAL(res.renamed, 1);
    CU_ASSERT_EQUAL(jks_store_count(dst), 4);
    CU_ASSERT(same(jks_entry_cert(jks_store_find(dst, "key-2"), 0), leaf));
    CU_ASSERT(same(jks_entry_cert(jks_store_find(dst, "Key"), 0), self));
    jks_store_free(dst);
    /* a selection, renamed; an unknown alias */
    dst = jks_store_new(JKS_FORMAT_JKS);
    const char *pick[] = {"other"};
    o.aliases = pick;
    o.n_aliases = 1;
    o.rename_to = "ca";
    CU_ASSERT_EQUAL(jks_store_merge(dst, src, &o, &res, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_count(dst), 1);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(jks_store_entry(dst, 0)), "ca");
    const char *none[] = {"nope"};
    o.aliases = none;
    CU_ASSERT_EQUAL(jks_store_merge(dst, src, &o, &res, &err), JKS_ERR_USAGE);
    jks_store_free(dst);
    jks_store_free(src);
}

static void test_merge_refuses_undecrypted_keys(void)
{
    jks_error err;
    jks_merge_result res;
    jks_store *src = reply_store(), *dst = jks_store_new(JKS_FORMAT_JKS), *enc = NULL;
    jks_write_opts wo;
    jks_read_opts ro;
    uint8_t *buf;
    size_t len;
    memset(&wo, 0, sizeof(wo));
    memset(&ro, 0, sizeof(ro));
    wo.format = JKS_FORMAT_JKS;
    wo.storepass = wo.keypass = "changeit";
    CU_ASSERT_EQUAL_FATAL(jks_store_write(src, &wo, &buf, &len, &err), JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_read(buf, len, &ro, &enc, &err), JKS_OK); /* no password */
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_merge(dst, enc, NULL, &res, &err), JKS_ERR_PASSWORD);
    CU_ASSERT_PTR_EQUAL(res.failed, jks_store_entry(enc, 0));
    CU_ASSERT_STRING_EQUAL(err.alias, "key"); /* JKS lower-cases */
    CU_ASSERT_EQUAL(jks_store_count(dst), 0);
    jks_buffer_free(buf, len);
    jks_store_free(enc);
    jks_store_free(dst);
    jks_store_free(src);
}

/* keytool -importkeystore into JKS/JCEKS: each key keeps the password it is
 * given, while the other keys keep theirs; JKS refuses a secret key. */
static void test_import_entry_keeps_each_key_password(void)
{
    jks_error err;
    jks_store *src = jks_store_new(JKS_FORMAT_JCEKS);
    const uint8_t aes[16] = {1, 2, 3};
    CU_ASSERT_EQUAL(jks_store_add_private_key(src, "a", 5, p8.data, p8.len, &self, 1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_private_key(src, "b", 5, p8.data, p8.len, &self, 1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_secret_key(src, "s", 5, "AES", aes, sizeof(aes), &err), JKS_OK);
    for (int f = 0; f < 2; f++) {
        jks_format fmt = f ? JKS_FORMAT_JCEKS : JKS_FORMAT_JKS;
        jks_store *dst = jks_store_new(fmt), *back = NULL;
        CU_ASSERT_EQUAL(jks_store_import_entry(dst, src, 0, NULL, "apass1", -1, &err), JKS_OK);
        CU_ASSERT_EQUAL(jks_store_import_entry(dst, src, 1, "B2", "bpass1", -1, &err), JKS_OK);
        jks_error_clear(&err);
        jks_status s = jks_store_import_entry(dst, src, 2, NULL, "spass1", -1, &err);
        CU_ASSERT_EQUAL(s, f ? JKS_OK : JKS_ERR_USAGE);
        if (!f) {
            CU_ASSERT_STRING_EQUAL(err.msg, "Cannot store non-PrivateKeys");
            CU_ASSERT_STRING_EQUAL(err.alias, "s");
        }
        /* again under the same alias (ignoring case): replaced, not added */
        CU_ASSERT_EQUAL(jks_store_import_entry(dst, src, 1, "b2", "bpass1", -1, &err), JKS_OK);
        CU_ASSERT_EQUAL(jks_store_count(dst), f ? 3u : 2u);
        jks_write_opts wo = JKS_WRITE_OPTS_INIT;
        wo.format = fmt;
        wo.storepass = wo.keypass = "storepw";
        wo.keep_encryption = 1;
        uint8_t *buf = NULL;
        size_t len = 0;
        CU_ASSERT_EQUAL_FATAL(jks_store_write(dst, &wo, &buf, &len, &err), JKS_OK);
        const char *kp[] = {"bpass1"};
        jks_read_opts ro;
        memset(&ro, 0, sizeof(ro));
        ro.storepass = "storepw";
        ro.keypasses = kp;
        ro.n_keypasses = 1;
        CU_ASSERT_EQUAL_FATAL(jks_store_read(buf, len, &ro, &back, &err), JKS_OK);
        const jks_entry *a = jks_store_find_java(back, "a"), *b = jks_store_find_java(back, "b2");
        CU_ASSERT_NOT_EQUAL(jks_entry_key_state(a), JKS_KEY_DECRYPTED); /* apass1 only */
        CU_ASSERT_EQUAL(jks_entry_key_state(b), JKS_KEY_DECRYPTED);
        CU_ASSERT_EQUAL(jks_entry_password_index(b), 0);
        CU_ASSERT(same(jks_entry_pkcs8(b), p8));
        jks_store_free(back);
        kp[0] = "apass1";
        back = NULL;
        CU_ASSERT_EQUAL_FATAL(jks_store_read(buf, len, &ro, &back, &err), JKS_OK);
        CU_ASSERT_EQUAL(jks_entry_key_state(jks_store_find_java(back, "a")), JKS_KEY_DECRYPTED);
        if (f)
            CU_ASSERT_NOT_EQUAL(jks_entry_key_state(jks_store_find_java(back, "s")), JKS_KEY_DECRYPTED);
        jks_store_free(back);
        jks_buffer_free(buf, len);
        jks_store_free(dst);
    }
    jks_store_free(src);
}

static void test_rename_follows_java_alias_rules(void)
{
    jks_error err;
    jks_store *st = reply_store();
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_rename(st, 0, "ROOT", &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.alias, "Root");
    CU_ASSERT_EQUAL(jks_store_rename(st, 0, "", &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_store_rename(st, 0, "KEY", &err), JKS_OK); /* its own alias, recased */
    CU_ASSERT_EQUAL(jks_store_rename(st, 0, "server", &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(jks_store_entry(st, 0)), "server");
    CU_ASSERT_PTR_EQUAL(jks_store_find(st, "server"), jks_store_entry(st, 0));
    CU_ASSERT(same(jks_entry_cert(jks_store_entry(st, 0), 0), self));
    /* the old alias is free again for adds; the new one is taken */
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "KEY", 1, other.data, other.len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "server", 1, other.data, other.len, &err),
                    JKS_ERR_USAGE);
    jks_store_free(st);
}

/* jks_store_find matches as Java does (exact, then Java's lower-casing);
 * jks_store_java_view names every entry as Java names it */
static void test_java_view_and_find(void)
{
    jks_error err;
    size_t n = 99;
    jks_store *st = reply_store();
    CU_ASSERT_PTR_EQUAL(jks_store_find(st, "ROOT"), jks_store_find(st, "Root"));
    CU_ASSERT_PTR_NOT_NULL(jks_store_find(st, "root"));
    CU_ASSERT_PTR_NULL(jks_store_find(st, "roo"));
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_java_view(st, 0, &n, &err), JKS_OK);
    CU_ASSERT_EQUAL(n, 0); /* nothing hidden in a built store */
    for (size_t i = 0; i < jks_store_count(st); i++) {
        char *low = jks_alias_java_lower(jks_entry_alias(jks_store_entry(st, i)));
        CU_ASSERT_STRING_EQUAL(jks_entry_alias(jks_store_entry(st, i)), low);
        jks_free(low);
    }
    CU_ASSERT_PTR_NOT_NULL(jks_store_find(st, "root"));
    CU_ASSERT_EQUAL(jks_store_java_view(NULL, 0, &n, &err), JKS_ERR_USAGE);
    jks_store_free(st);
    /* BouncyCastle's stores keep the stored spelling: Java lists "Root" */
    st = jks_store_new(JKS_FORMAT_BKS);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "Root", 1, root.data, root.len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_java_view(st, 0, &n, &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(jks_store_entry(st, 0)), "Root");
    CU_ASSERT_FALSE(jks_format_java_lowercases(JKS_FORMAT_BKS));
    CU_ASSERT_FALSE(jks_format_java_lowercases(JKS_FORMAT_BCFKS));
    CU_ASSERT_TRUE(jks_format_java_lowercases(JKS_FORMAT_PKCS12));
    jks_store_free(st);
}

/* java.util.Hashtable's keys() for these puts, as JDK 17 printed it
 * (Hashtable<String,Object>, 14 puts: one rehash 11 -> 23). */
static void test_java_alias_order_is_hashtables(void)
{
    static const char *const put[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta",
                                      "theta", "iota", "kappa", "lambda", "mu",
                                      "\xc3\xbcn\xc3\xaf", "\xf0\x9d\x84\x9e" "clef"};
    static const char *const java[] = {"\xc3\xbcn\xc3\xaf", "iota", "theta", "gamma", "alpha", "eta",
                                       "lambda", "kappa", "zeta", "\xf0\x9d\x84\x9e" "clef", "beta",
                                       "delta", "epsilon", "mu"};
    const size_t n = sizeof(put) / sizeof(put[0]);
    jks_error err;
    size_t order[16], got = 0;
    jks_store *st = jks_store_new(JKS_FORMAT_JKS), *p12 = jks_store_new(JKS_FORMAT_PKCS12);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, put[i], 1, root.data, root.len, &err), JKS_OK);
        CU_ASSERT_EQUAL(jks_store_add_trusted_cert(p12, put[i], 1, root.data, root.len, &err), JKS_OK);
    }
    CU_ASSERT_EQUAL(jks_store_java_alias_order(st, order, &got, &err), JKS_OK);
    CU_ASSERT_EQUAL(got, n);
    for (size_t i = 0; i < got && i < n; i++)
        CU_ASSERT_STRING_EQUAL(jks_entry_alias(jks_store_entry(st, order[i])), java[i]);
    /* PKCS12KeyStore: a LinkedHashMap, insertion order */
    CU_ASSERT_EQUAL(jks_store_java_alias_order(p12, order, &got, &err), JKS_OK);
    CU_ASSERT_EQUAL(got, n);
    for (size_t i = 0; i < got && i < n; i++)
        CU_ASSERT_EQUAL(order[i], i);
    jks_store_free(st);
    jks_store_free(p12);
}

static void test_generate_key_adds_a_matching_entry(void)
{
    jks_error err;
    jks_gen_params gp;
    jks_cert_info ci;
    memset(&gp, 0, sizeof(gp));
    gp.dname = "CN=gen, O=Acme";
    jks_store *st = reply_store();
    CU_ASSERT_EQUAL_FATAL(jks_store_generate_key(st, "gen", "EC", 256, &gp, 7, &err), JKS_OK);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 3);
    const jks_entry *e = jks_store_entry(st, 2);
    jks_bytes c = jks_entry_cert(e, 0), k = jks_entry_pkcs8(e);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(e), "gen");
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_key_find_cert(k.data, k.len, &c, 1), 0); /* the certificate is the key's */
    CU_ASSERT_EQUAL(jks_cert_info_get(c.data, c.len, &ci), JKS_OK);
    CU_ASSERT_STRING_EQUAL(ci.subject, "CN=gen, O=Acme");
    CU_ASSERT(ci.self_signed);
    /* a taken alias and a bad name are refused, nothing added */
    CU_ASSERT_EQUAL(jks_store_generate_key(st, "gen", "EC", 256, &gp, 7, &err), JKS_ERR_USAGE);
    gp.dname = "nonsense";
    CU_ASSERT_EQUAL(jks_store_generate_key(st, "gen2", "EC", 256, &gp, 7, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_store_count(st), 3);
    jks_store_free(st);
}

static void test_ca_bundle_names_from_cn_and_skips_duplicates(void)
{
    jks_error err;
    jks_bundle_item it[4];
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    jks_bytes other2 = make_cert("Other", rk, "Other", rk, 9); /* same CN, new DER */
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "mine", 1, root.data, root.len, &err), JKS_OK);
    jks_bytes b[] = {root, other, other2, other}; /* root held; other repeated */
    CU_ASSERT_EQUAL_FATAL(jks_store_add_ca_bundle(st, b, 4, 5, it, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_count(st), 3);
    CU_ASSERT(!it[0].added);
    CU_ASSERT_STRING_EQUAL(it[0].alias, "mine");
    CU_ASSERT(it[1].added);
    CU_ASSERT_STRING_EQUAL(it[1].alias, "other"); /* CN lower-cased */
    CU_ASSERT(it[2].added);
    CU_ASSERT_STRING_EQUAL(it[2].alias, "other-2"); /* made unique */
    CU_ASSERT(!it[3].added);
    CU_ASSERT_STRING_EQUAL(it[3].alias, "other");
    CU_ASSERT_EQUAL(jks_entry_kind_of(jks_store_find(st, "other-2")), JKS_ENTRY_TRUSTED_CERT);
    jks_bytes junk = {(const uint8_t *)"junk", 4};
    CU_ASSERT_EQUAL(jks_store_add_ca_bundle(st, &junk, 1, 5, NULL, &err), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(jks_store_add_ca_bundle(NULL, b, 1, 5, NULL, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_store_count(st), 3);
    jks_store_free(st);
    free((void *)other2.data);
}

static char *pem_of(const char *label, jks_bytes der)
{
    char *t = NULL;
    size_t n = 0;
    jks_error err;
    CU_ASSERT_EQUAL(jks_pem_armor(label, der.data, der.len, &t, &n, &err), JKS_OK);
    return t;
}

static void test_read_parts_pairs_key_and_chain_across_files(void)
{
    jks_error err;
    jks_store *st = NULL;
    size_t bad = 0;
    char *k = pem_of("PRIVATE KEY", p8), *l = pem_of("CERTIFICATE", leaf),
         *i = pem_of("CERTIFICATE", inter), *r = pem_of("CERTIFICATE", root);
    size_t n = strlen(l) + strlen(i) + strlen(r) + 16;
    char *chain = malloc(n);
    snprintf(chain, n, "%s%s\r\nnotes\r\n%s", r, i, l); /* wrong order, text between */
    jks_bytes parts[] = {{(const uint8_t *)k, strlen(k)}, {(const uint8_t *)chain, strlen(chain)}};
    CU_ASSERT_EQUAL_FATAL(jks_store_read_parts(parts, 2, NULL, &bad, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_private_key_count(st), 1);
    const jks_entry *e = NULL;
    for (size_t x = 0; x < jks_store_count(st); x++)
        if (jks_entry_kind_of(jks_store_entry(st, x)) == JKS_ENTRY_PRIVATE_KEY)
            e = jks_store_entry(st, x);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL_FATAL(jks_entry_chain_len(e), 3);
    CU_ASSERT(same(jks_entry_cert(e, 0), leaf));
    CU_ASSERT(same(jks_entry_cert(e, 2), root));
    jks_store_free(st);
    st = NULL;
    /* a binary part is refused, named by its index */
    parts[1] = root;
    CU_ASSERT_EQUAL(jks_store_read_parts(parts, 2, NULL, &bad, &st, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(bad, 1);
    CU_ASSERT_PTR_NULL(st);
    /* one part: read as it is (DER) */
    CU_ASSERT_EQUAL(jks_store_read_parts(&root, 1, NULL, &bad, &st, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_count(st), 1);
    jks_store_free(st);
    free(chain);
    jks_free(k);
    jks_free(l);
    jks_free(i);
    jks_free(r);
}

static void test_fd_read_is_bounded_and_binary_safe(void)
{
    int p[2];
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_error err;
    static const uint8_t bytes[] = {0xfe, 0xed, 0, 0xfe, '\r', '\n', 0};
    CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
    CU_ASSERT_EQUAL(write(p[1], bytes, sizeof bytes), (ssize_t)sizeof bytes);
    close(p[1]);
    CU_ASSERT_EQUAL(jks_fd_read(p[0], &buf, &len, &err), JKS_OK);
    CU_ASSERT_EQUAL(len, sizeof bytes);
    CU_ASSERT(buf && !memcmp(buf, bytes, sizeof bytes));
    jks_free(buf);
    close(p[0]);
    CU_ASSERT_EQUAL(jks_fd_read(-1, &buf, &len, &err), JKS_ERR_USAGE);
}

/* jks_store_gencert: a request signed by a generated CA entry; honored=
 * copies requested extensions; altered requests, non-CA certificates, bad
 * indexes and newer option versions are refused. */
static void test_gencert_signs_requests_as_keytool(void)
{
    jks_error err;
    jks_gen_params gp = JKS_GEN_PARAMS_INIT;
    const char *ca_ext[] = {"bc:c"}, *leaf_ext[] = {"bc=ca:false"}, *req_ext[] = {"san=dns:r.example"};
    jks_store *st = jks_store_new(JKS_FORMAT_PKCS12);
    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    gp.dname = "CN=Unit CA";
    gp.exts = ca_ext;
    gp.n_exts = 1;
    CU_ASSERT_EQUAL_FATAL(jks_store_generate_key(st, "ca", "EC", 256, &gp, 7, &err), JKS_OK);
    gp.dname = "CN=not a CA";
    gp.exts = leaf_ext;
    CU_ASSERT_EQUAL_FATAL(jks_store_generate_key(st, "leaf", "EC", 256, &gp, 7, &err), JKS_OK);
    uint8_t *key = NULL, *csr = NULL, *out = NULL;
    size_t key_len = 0, csr_len = 0, out_len = 0;
    CU_ASSERT_EQUAL_FATAL(jks_key_generate("RSA", 2048, &key, &key_len, &err), JKS_OK);
    gp.dname = "CN=requester";
    gp.exts = req_ext;
    CU_ASSERT_EQUAL_FATAL(jks_csr_create(key, key_len, NULL, 0, &gp, &csr, &csr_len, &err), JKS_OK);

    jks_gencert_opts go = JKS_GENCERT_OPTS_INIT;
    jks_gencert_result res;
    CU_ASSERT_EQUAL_FATAL(jks_store_gencert(st, 0, csr, csr_len, &go, &res, &out, &out_len, &err), JKS_OK);
    CU_ASSERT_EQUAL(res.ca, JKS_GENCERT_IS_CA);
    CU_ASSERT_EQUAL(res.n_certs, 1); /* the CA is self-signed: not appended */
    CU_ASSERT_STRING_EQUAL(res.cert.subject, "CN=requester");
    CU_ASSERT_STRING_EQUAL(res.cert.issuer, "CN=Unit CA");
    CU_ASSERT_EQUAL(res.cert.not_after - res.cert.not_before, 90 * 86400);
    CU_ASSERT_STRING_EQUAL(res.cert.san, ""); /* requested, not honored */
    jks_bytes ca = jks_entry_cert(jks_store_entry(st, 0), 0);
    jks_cert_info cai;
    CU_ASSERT_EQUAL(jks_cert_info_get(ca.data, ca.len, &cai), JKS_OK);
    CU_ASSERT_STRING_EQUAL(res.cert.aki, cai.ski);
    const unsigned char *q = out, *qc = ca.data;
    X509 *x = d2i_X509(NULL, &q, (long)out_len), *cx = d2i_X509(NULL, &qc, (long)ca.len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(x);
    CU_ASSERT_EQUAL(X509_verify(x, X509_get0_pubkey(cx)), 1);
    X509_free(x);
    X509_free(cx);
    jks_buffer_free(out, out_len);

    /* honored=all copies the SAN; PEM output */
    const char *honored[] = {"honored=all"};
    go.exts = honored;
    go.n_exts = 1;
    go.output = JKS_GENCERT_PEM;
    CU_ASSERT_EQUAL(jks_store_gencert(st, 0, csr, csr_len, &go, &res, &out, &out_len, &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(res.cert.san, "DNS:r.example\n");
    CU_ASSERT(out_len > 28 && !memcmp(out, "-----BEGIN CERTIFICATE-----\n", 28));
    jks_buffer_free(out, out_len);
    go.n_exts = 0;
    go.output = JKS_GENCERT_DER;

    /* an altered request: its signature does not verify */
    uint8_t *bad = malloc(csr_len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(bad);
    memcpy(bad, csr, csr_len);
    uint8_t *at = memmem(bad, csr_len, "requester", 9);
    CU_ASSERT_PTR_NOT_NULL_FATAL(at);
    *at ^= 1;
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_gencert(st, 0, bad, csr_len, &go, &res, &out, &out_len, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "signature does not verify"));
    CU_ASSERT_PTR_NULL(out);
    free(bad);
    CU_ASSERT_EQUAL(jks_store_gencert(st, 0, (const uint8_t *)"junk", 4, &go, &res, &out, &out_len, &err),
                    JKS_ERR_FORMAT);

    /* a certificate saying cA false: refused unless allowed */
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_store_gencert(st, 1, csr, csr_len, &go, &res, &out, &out_len, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(res.ca, JKS_GENCERT_NOT_CA);
    CU_ASSERT_STRING_EQUAL(err.alias, "leaf");
    go.allow_non_ca = 1;
    CU_ASSERT_EQUAL(jks_store_gencert(st, 1, csr, csr_len, &go, &res, &out, &out_len, &err), JKS_OK);
    jks_buffer_free(out, out_len);
    /* no such entry; a newer options version */
    CU_ASSERT_EQUAL(jks_store_gencert(st, 9, csr, csr_len, &go, &res, &out, &out_len, &err), JKS_ERR_USAGE);
    go.version = JKS_GENCERT_OPTS_VERSION + 1;
    CU_ASSERT_EQUAL(jks_store_gencert(st, 0, csr, csr_len, &go, &res, &out, &out_len, &err), JKS_ERR_USAGE);
    jks_buffer_free(csr, csr_len);
    jks_buffer_free(key, key_len);
    jks_store_free(st);
}

int main(void)
{
    rk = ec_key();
    ik = ec_key();
    lk = ec_key();
    ok_ = ec_key();
    root = make_cert("Root", rk, "Root", rk, 1);
    inter = make_cert("Inter", ik, "Root", rk, 2);
    leaf = make_cert("Leaf", lk, "Inter", ik, 3);
    self = make_cert("Leaf", lk, "Leaf", lk, 4);
    other = make_cert("Other", ok_, "Other", ok_, 5);
    p8 = pkcs8_of(lk);
    static const test_case cases[] = {
        {"install reply orders and completes from the store",
         test_install_reply_orders_and_completes_from_store},
        {"install reply refusals and their overrides", test_install_reply_refusals},
        {"export certificate, chain and key", test_export_cert_chain_and_key},
        {"Java alias lookup and positions", test_java_alias_lookup_and_positions},
        {"names formatted as keytool prints them", test_name_format_is_keytools},
        {"merge: fail, skip, overwrite, rename, selection", test_merge_conflict_policies},
        {"merge refuses keys not decrypted", test_merge_refuses_undecrypted_keys},
        {"import_entry keeps each key's password", test_import_entry_keeps_each_key_password},
        {"rename follows Java's alias rules", test_rename_follows_java_alias_rules},
        {"find and java_view follow Java's alias rules", test_java_view_and_find},
        {"Java's alias order: JKS Hashtable, PKCS#12 insertion", test_java_alias_order_is_hashtables},
        {"generated key entry holds a matching certificate",
         test_generate_key_adds_a_matching_entry},
        {"CA bundle: aliases from CN, unique, duplicates skipped",
         test_ca_bundle_names_from_cn_and_skips_duplicates},
        {"several PEM parts read as one store", test_read_parts_pairs_key_and_chain_across_files},
        {"jks_fd_read reads a pipe byte for byte", test_fd_read_is_bounded_and_binary_safe},
        {"gencert signs requests as keytool -gencert", test_gencert_signs_requests_as_keytool},
    };
    int rc = run_suite("ops", cases, sizeof(cases) / sizeof(cases[0]));
    jks_bytes all[] = {root, inter, leaf, self, other, p8};
    free_all(all, 6);
    EVP_PKEY_free(rk);
    EVP_PKEY_free(ik);
    EVP_PKEY_free(lk);
    EVP_PKEY_free(ok_);
    return rc;
}
