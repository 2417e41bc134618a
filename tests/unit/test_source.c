/* CUnit suite "source": a store's source facts (include/jks/source.h,
 * model/source.c) and the one answer to "can this protected key go into
 * format F" (crypto/protinfo.c), with keep_encryption as the writers apply
 * it: a PKCS#12 key whose password differs from the store password and is
 * not known goes into a new PKCS#12 byte for byte, and is refused (naming
 * the entry) by every format that cannot hold it. The PKCS#12 files with a
 * key password unlike the MAC password are built here with OpenSSL's API. */
#include "jks/jks.h"
#include "jks/source.h"
#include "testutil.h"

#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <string.h>

#define STOREPW "storepw"
#define KEYPW "keypw-other"

static EVP_PKEY *g_key;
static X509 *g_cert;
static uint8_t *g_p12, *g_p8, *g_cert_der;
static size_t g_p12_len, g_p8_len, g_cert_len;

static void fixtures(void)
{
    unsigned char *p = NULL;
    g_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    g_cert = X509_new();
    if (!g_key || !g_cert)
        exit(2);
    X509_set_version(g_cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(g_cert), 7);
    X509_gmtime_adj(X509_getm_notBefore(g_cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(g_cert), 86400L * 365);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(g_cert), "CN", MBSTRING_UTF8,
                               (const unsigned char *)"source leaf", -1, -1, 0);
    X509_set_issuer_name(g_cert, X509_get_subject_name(g_cert));
    X509_set_pubkey(g_cert, g_key);
    if (!X509_sign(g_cert, g_key, EVP_sha256()))
        exit(2);
    int n = i2d_X509(g_cert, &p);
    g_cert_der = malloc((size_t)n);
    memcpy(g_cert_der, p, (size_t)n);
    g_cert_len = (size_t)n;
    OPENSSL_free(p);
    p = NULL;
    PKCS8_PRIV_KEY_INFO *pi = EVP_PKEY2PKCS8(g_key);
    n = i2d_PKCS8_PRIV_KEY_INFO(pi, &p);
    PKCS8_PRIV_KEY_INFO_free(pi);
    g_p8 = malloc((size_t)n);
    memcpy(g_p8, p, (size_t)n);
    g_p8_len = (size_t)n;
    OPENSSL_free(p);

    /* key shrouded (PBES2 AES-256) with KEYPW, certificate in plain data, MAC
     * (SHA-256, 2048 iterations) over it all with STOREPW */
    PKCS12 *p12 = PKCS12_create(KEYPW, "leaf", g_key, g_cert, NULL, NID_aes_256_cbc, -1, 2048,
                                2048, 0);
    if (!p12 || !PKCS12_set_mac(p12, STOREPW, -1, NULL, 0, 2048, EVP_sha256()))
        exit(2);
    p = NULL;
    n = i2d_PKCS12(p12, &p);
    PKCS12_free(p12);
    g_p12 = malloc((size_t)n);
    memcpy(g_p12, p, (size_t)n);
    g_p12_len = (size_t)n;
    OPENSSL_free(p);
}

static jks_store *read_p12(const uint8_t *d, size_t n, const char *sp, const char *kp)
{
    jks_read_opts ro;
    jks_error err;
    jks_store *st = NULL;
    const char *kps[1] = {kp};
    memset(&ro, 0, sizeof(ro));
    ro.storepass = sp;
    ro.keypasses = kp ? kps : NULL;
    ro.n_keypasses = kp ? 1 : 0;
    jks_status s = jks_store_read(d, n, &ro, &st, &err);
    if (s != JKS_OK)
        fprintf(stderr, "read: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    return st;
}

static jks_write_opts wopts(jks_format f, const char *sp, int keep)
{
    jks_write_opts o;
    memset(&o, 0, sizeof(o));
    o.format = f;
    o.storepass = sp;
    o.keep_encryption = keep;
    return o;
}

static int same_bytes(jks_bytes a, jks_bytes b)
{
    return a.len == b.len && a.len && !memcmp(a.data, b.data, a.len);
}

static void test_pkcs12_source_facts(void)
{
    jks_store *st = read_p12(g_p12, g_p12_len, STOREPW, NULL);
    char name[64];
    CU_ASSERT_EQUAL(jks_store_integrity(st), JKS_INTEGRITY_VERIFIED);
    CU_ASSERT_EQUAL(jks_store_storepass_given(st), 1);
    CU_ASSERT_EQUAL(jks_store_mac_present(st), 1);
    CU_ASSERT_STRING_EQUAL(jks_store_mac_algorithm(st), "sha256");
    CU_ASSERT_EQUAL(jks_store_mac_iterations(st), 2048);
    CU_ASSERT_STRING_EQUAL(jks_store_key_encryption(st), "pbes2-aes-256-cbc");
    CU_ASSERT_STRING_EQUAL(jks_store_cert_encryption(st), "none");
    CU_ASSERT_EQUAL(jks_store_hidden_cert_count(st), 0);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 1);
    const jks_entry *e = jks_store_entry(st, 0);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_WRONG_PASSWORD);
    CU_ASSERT_EQUAL(jks_entry_protection(e), JKS_PROT_PKCS12);
    CU_ASSERT_STRING_EQUAL(jks_entry_protection_name(e, name, sizeof(name)), "pbes2-aes-256-cbc");
    /* PKCS12_create gives key and certificate the SHA-1 of the certificate as id */
    uint8_t md[20];
    unsigned mdl = 0;
    X509_digest(g_cert, EVP_sha1(), md, &mdl);
    jks_bytes id = jks_entry_local_key_id(e);
    CU_ASSERT(id.len == 20 && !memcmp(id.data, md, 20));
    jks_store_free(st);

    /* read without a password: nothing verified, nothing given */
    st = read_p12(g_p12, g_p12_len, NULL, NULL);
    CU_ASSERT_EQUAL(jks_store_storepass_given(st), 0);
    CU_ASSERT_EQUAL(jks_store_integrity(st), JKS_INTEGRITY_NOT_CHECKED);
    jks_store_free(st);
}

static void test_jks_source_facts(void)
{
    jks_store *st = jks_store_new(JKS_FORMAT_JKS);
    jks_error err;
    jks_bytes chain = {g_cert_der, g_cert_len};
    char name[64];
    CU_ASSERT_FATAL(jks_store_add_private_key(st, "k", 1, g_p8, g_p8_len, &chain, 1, &err) == JKS_OK);
    CU_ASSERT_FATAL(jks_store_add_trusted_cert(st, "t", 1, g_cert_der, g_cert_len, &err) == JKS_OK);
    /* a key built in memory has no stored protection */
    const jks_entry *k = jks_store_find(st, "k");
    CU_ASSERT_STRING_EQUAL(jks_entry_protection_name(k, name, sizeof(name)), "none");
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(k, JKS_FORMAT_JKS), 0);
    jks_write_opts wo = wopts(JKS_FORMAT_JKS, "changeit", 0);
    uint8_t *der = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &wo, &der, &len, &err), JKS_OK);
    jks_store_free(st);

    jks_read_opts ro;
    memset(&ro, 0, sizeof(ro));
    ro.storepass = "changeit";
    CU_ASSERT_EQUAL_FATAL(jks_store_read(der, len, &ro, &st, &err), JKS_OK);
    jks_buffer_free(der, len);
    CU_ASSERT_EQUAL(jks_store_version(st), 2);
    CU_ASSERT_EQUAL(jks_store_storepass_given(st), 1);
    CU_ASSERT_EQUAL(jks_store_mac_present(st), 0);
    CU_ASSERT_STRING_EQUAL(jks_store_mac_algorithm(st), "");
    CU_ASSERT_EQUAL(jks_store_mac_iterations(st), 0);
    CU_ASSERT_STRING_EQUAL(jks_store_key_encryption(st), "");
    CU_ASSERT_STRING_EQUAL(jks_store_cert_encryption(st), "");
    k = jks_store_find(st, "k");
    const jks_entry *t = jks_store_find(st, "t");
    CU_ASSERT_FATAL(k && t);
    CU_ASSERT_STRING_EQUAL(jks_entry_protection_name(k, name, sizeof(name)), "jks-keyprotector");
    CU_ASSERT_STRING_EQUAL(jks_entry_protection_name(t, name, sizeof(name)), "");
    CU_ASSERT_EQUAL(jks_entry_local_key_id(k).len, 0);
    /* the Sun KeyProtector goes into JKS and JCEKS, nowhere else */
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(k, JKS_FORMAT_JKS), 1);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(k, JKS_FORMAT_JCEKS), 1);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(k, JKS_FORMAT_PKCS12), 0);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(k, JKS_FORMAT_PEM), 0);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(t, JKS_FORMAT_JKS), 0);
    /* forgetting it: the next write encrypts afresh */
    CU_ASSERT_EQUAL(jks_store_forget_protection(st, 0), 1);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(k, JKS_FORMAT_JKS), 0);
    CU_ASSERT_EQUAL(jks_store_forget_protection(st, 1), 0); /* a certificate */
    jks_store_free(st);
}

/* The acceptance case: PKCS#12 to PKCS#12 with keep_encryption and an
 * unknown key password keeps the key bytes. */
static void test_pkcs12_keep_unknown_key_password(void)
{
    jks_store *st = read_p12(g_p12, g_p12_len, STOREPW, NULL);
    const jks_entry *e = jks_store_entry(st, 0);
    jks_bytes before = jks_entry_protected_key(e);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_WRONG_PASSWORD);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(e, JKS_FORMAT_PKCS12), 1);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(e, JKS_FORMAT_PEM), 1);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(e, JKS_FORMAT_JKS), 0);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(e, JKS_FORMAT_JCEKS), 0);

    jks_write_opts wo = wopts(JKS_FORMAT_PKCS12, "newstorepw", 1);
    jks_error err;
    uint8_t *der = NULL;
    size_t len = 0;
    jks_status s = jks_store_write(st, &wo, &der, &len, &err);
    if (s != JKS_OK)
        fprintf(stderr, "write: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);

    /* the new file: MAC and certificates under the new store password, the
     * key bag's EncryptedPrivateKeyInfo byte for byte the old one */
    jks_store *back = read_p12(der, len, "newstorepw", NULL);
    CU_ASSERT_EQUAL(jks_store_integrity(back), JKS_INTEGRITY_VERIFIED);
    const jks_entry *b = jks_store_entry(back, 0);
    CU_ASSERT_FATAL(b != NULL);
    CU_ASSERT(same_bytes(jks_entry_protected_key(b), before));
    CU_ASSERT_EQUAL(jks_entry_chain_len(b), 1);
    CU_ASSERT_EQUAL(jks_entry_key_state(b), JKS_KEY_WRONG_PASSWORD);
    jks_store_free(back);
    /* ... and the key opens with its own password */
    back = read_p12(der, len, "newstorepw", KEYPW);
    b = jks_store_entry(back, 0);
    CU_ASSERT_EQUAL(jks_entry_key_state(b), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_password_index(b), 0);
    jks_bytes p8 = jks_entry_pkcs8(b);
    CU_ASSERT(p8.len == g_p8_len && !memcmp(p8.data, g_p8, g_p8_len));
    jks_store_free(back);
    jks_buffer_free(der, len);

    /* OpenSSL agrees: the key bag decrypts with KEYPW, the MAC with the new password */
    const unsigned char *q = NULL;
    jks_write_opts wo2 = wopts(JKS_FORMAT_PKCS12, "newstorepw", 1);
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &wo2, &der, &len, &err), JKS_OK);
    q = der;
    PKCS12 *p12 = d2i_PKCS12(NULL, &q, (long)len);
    CU_ASSERT_FATAL(p12 != NULL);
    CU_ASSERT_EQUAL(PKCS12_verify_mac(p12, "newstorepw", -1), 1);
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    int opened = 0;
    for (int i = 0; safes && i < sk_PKCS7_num(safes); i++) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        STACK_OF(PKCS12_SAFEBAG) *bags = PKCS7_type_is_data(p7)
                                             ? PKCS12_unpack_p7data(p7)
                                             : PKCS12_unpack_p7encdata(p7, "newstorepw", -1);
        for (int j = 0; bags && j < sk_PKCS12_SAFEBAG_num(bags); j++) {
            const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, j);
            if (PKCS12_SAFEBAG_get_nid(bag) != NID_pkcs8ShroudedKeyBag)
                continue;
            PKCS8_PRIV_KEY_INFO *p = PKCS12_decrypt_skey(bag, KEYPW, -1);
            opened += p != NULL;
            PKCS8_PRIV_KEY_INFO_free(p);
            CU_ASSERT_EQUAL(PKCS12_decrypt_skey(bag, "newstorepw", -1), NULL);
        }
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    CU_ASSERT_EQUAL(opened, 1);
    sk_PKCS7_pop_free(safes, PKCS7_free);
    PKCS12_free(p12);
    jks_buffer_free(der, len);
    jks_store_free(st);
}

/* Without keep_encryption, or into a format that cannot hold the protected
 * bytes, an undecrypted key is refused, naming the entry: never encrypted
 * afresh with a password that did not open it. */
static void test_undecrypted_key_refused(void)
{
    jks_store *st = read_p12(g_p12, g_p12_len, STOREPW, NULL);
    jks_format fs[] = {JKS_FORMAT_PKCS12, JKS_FORMAT_JKS, JKS_FORMAT_JCEKS};
    for (size_t i = 0; i < 3; i++)
        for (int keep = 0; keep < 2; keep++) {
            if (fs[i] == JKS_FORMAT_PKCS12 && keep)
                continue; /* the case that works */
            jks_write_opts wo = wopts(fs[i], STOREPW, keep);
            jks_error err;
            uint8_t *der = NULL;
            size_t len = 0;
            jks_error_clear(&err);
            CU_ASSERT_EQUAL(jks_store_write(st, &wo, &der, &len, &err), JKS_ERR_PASSWORD);
            CU_ASSERT_PTR_NULL(der);
            CU_ASSERT_STRING_EQUAL(err.alias, "leaf");
            CU_ASSERT(strstr(err.msg, "not decrypted") != NULL);
            CU_ASSERT(!keep || strstr(err.msg, "cannot hold its protection") != NULL);
            CU_ASSERT(strstr(err.msg, "--") == NULL); /* the library names no CLI flag */
        }
    jks_store_free(st);
}

/* A decrypted key is kept too under keep_encryption; once its protection is
 * forgotten (its password changes), it is encrypted afresh under the store
 * password. A secret key's bag is kept the same way. */
static void test_pkcs12_keep_decrypted_and_forget(void)
{
    jks_store *st = read_p12(g_p12, g_p12_len, STOREPW, KEYPW);
    const jks_entry *e = jks_store_entry(st, 0);
    jks_bytes before = jks_entry_protected_key(e);
    CU_ASSERT_EQUAL_FATAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
    jks_write_opts wo = wopts(JKS_FORMAT_PKCS12, STOREPW, 1);
    jks_error err;
    uint8_t *der = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &wo, &der, &len, &err), JKS_OK);
    jks_store *back = read_p12(der, len, STOREPW, NULL);
    CU_ASSERT(same_bytes(jks_entry_protected_key(jks_store_entry(back, 0)), before));
    jks_store_free(back);
    jks_buffer_free(der, len);

    CU_ASSERT_EQUAL(jks_store_forget_protection(st, 0), 1);
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &wo, &der, &len, &err), JKS_OK);
    back = read_p12(der, len, STOREPW, NULL);
    const jks_entry *b = jks_store_entry(back, 0);
    CU_ASSERT(!same_bytes(jks_entry_protected_key(b), before));
    CU_ASSERT_EQUAL(jks_entry_key_state(b), JKS_KEY_DECRYPTED); /* now under the store password */
    jks_store_free(back);
    jks_buffer_free(der, len);
    jks_store_free(st);

    /* a secret key: written under KEYPW, kept while the store password changes */
    static const uint8_t aes[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
    st = jks_store_new(JKS_FORMAT_PKCS12);
    CU_ASSERT_FATAL(jks_store_add_secret_key(st, "aes", 5, "AES", aes, sizeof(aes), &err) == JKS_OK);
    jks_write_opts w1 = wopts(JKS_FORMAT_PKCS12, KEYPW, 0);
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &w1, &der, &len, &err), JKS_OK);
    jks_store_free(st);
    st = read_p12(der, len, KEYPW, NULL);
    jks_buffer_free(der, len);
    jks_write_opts w2 = wopts(JKS_FORMAT_PKCS12, STOREPW, 1);
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &w2, &der, &len, &err), JKS_OK);
    jks_bytes sb = jks_entry_protected_key(jks_store_entry(st, 0));
    back = read_p12(der, len, STOREPW, NULL);
    b = jks_store_entry(back, 0);
    CU_ASSERT_EQUAL(jks_entry_kind_of(b), JKS_ENTRY_SECRET_KEY);
    CU_ASSERT_EQUAL(jks_entry_key_state(b), JKS_KEY_WRONG_PASSWORD);
    CU_ASSERT(same_bytes(jks_entry_protected_key(b), sb));
    /* undecrypted, it still goes on as it is */
    jks_buffer_free(der, len);
    CU_ASSERT_EQUAL(jks_store_write(back, &w2, &der, &len, &err), JKS_OK);
    jks_store_free(back);
    back = read_p12(der, len, STOREPW, KEYPW);
    b = jks_store_entry(back, 0);
    CU_ASSERT_EQUAL(jks_entry_key_state(b), JKS_KEY_DECRYPTED);
    jks_bytes sec = jks_entry_secret(b);
    CU_ASSERT(sec.len == sizeof(aes) && !memcmp(sec.data, aes, sizeof(aes)));
    CU_ASSERT_STRING_EQUAL(jks_entry_secret_algorithm(b), "AES");
    jks_store_free(back);
    jks_buffer_free(der, len);
    jks_store_free(st);
}

static jks_store *reread(jks_store *st, const jks_write_opts *wo, const char *sp, const char *kp)
{
    jks_error err;
    uint8_t *der = NULL;
    size_t len = 0;
    jks_status s = jks_store_write(st, wo, &der, &len, &err);
    if (s != JKS_OK)
        fprintf(stderr, "write: %s\n", err.msg);
    CU_ASSERT_EQUAL_FATAL(s, JKS_OK);
    jks_store *back = read_p12(der, len, sp, kp);
    jks_buffer_free(der, len);
    return back;
}

/* JCEKS: PBEWithMD5AndTripleDES keys and sealed secret keys stay in JCEKS */
static void test_jceks_protections(void)
{
    static const uint8_t aes[16] = {1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 121, 98, 219};
    jks_store *st = jks_store_new(JKS_FORMAT_JCEKS);
    jks_error err;
    jks_bytes chain = {g_cert_der, g_cert_len};
    char name[64];
    CU_ASSERT_FATAL(jks_store_add_private_key(st, "k", 1, g_p8, g_p8_len, &chain, 1, &err) == JKS_OK);
    CU_ASSERT_FATAL(jks_store_add_secret_key(st, "s", 1, "AES", aes, sizeof(aes), &err) == JKS_OK);
    jks_write_opts wo = wopts(JKS_FORMAT_JCEKS, "changeit", 0);
    jks_store *back = reread(st, &wo, "changeit", NULL);
    jks_store_free(st);
    const jks_entry *k = jks_store_find(back, "k"), *sk = jks_store_find(back, "s");
    CU_ASSERT_FATAL(k && sk);
    CU_ASSERT_STRING_EQUAL(jks_entry_protection_name(k, name, sizeof(name)), "pbe-md5-3des");
    CU_ASSERT_STRING_EQUAL(jks_entry_protection_name(sk, name, sizeof(name)), "pbe-md5-3des");
    jks_format fs[] = {JKS_FORMAT_JKS, JKS_FORMAT_JCEKS, JKS_FORMAT_PKCS12, JKS_FORMAT_PEM};
    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(jks_entry_protection_reusable(k, fs[i]), fs[i] == JKS_FORMAT_JCEKS);
        CU_ASSERT_EQUAL(jks_entry_protection_reusable(sk, fs[i]), fs[i] == JKS_FORMAT_JCEKS);
    }
    /* a name cut to the buffer, and a zero-sized buffer left alone */
    CU_ASSERT_STRING_EQUAL(jks_entry_protection_name(k, name, 4), "pbe");
    CU_ASSERT_PTR_EQUAL(jks_entry_protection_name(k, name, 0), name);
    jks_store_free(back);
}

/* A PEM ENCRYPTED PRIVATE KEY is a standard EncryptedPrivateKeyInfo: PKCS#12
 * takes it as it is, under its own password. */
static void test_pem_epki_into_pkcs12(void)
{
    jks_store *st = jks_store_new(JKS_FORMAT_PEM);
    jks_error err;
    jks_bytes chain = {g_cert_der, g_cert_len};
    char name[64];
    CU_ASSERT_FATAL(jks_store_add_private_key(st, "k", -1, g_p8, g_p8_len, &chain, 1, &err) == JKS_OK);
    jks_write_opts wo = wopts(JKS_FORMAT_PEM, NULL, 0);
    wo.keypass = "pem-password";
    wo.pem_encrypt_keys = 1;
    jks_store *pem = reread(st, &wo, NULL, NULL);
    jks_store_free(st);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(pem), 1);
    const jks_entry *e = jks_store_entry(pem, 0);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_ENCRYPTED);
    CU_ASSERT_EQUAL(jks_entry_protection(e), JKS_PROT_PKCS8_PBES2);
    CU_ASSERT_STRING_EQUAL(jks_entry_protection_name(e, name, sizeof(name)), "pbes2-aes-256-cbc");
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(e, JKS_FORMAT_PEM), 1);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(e, JKS_FORMAT_PKCS12), 1);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(e, JKS_FORMAT_JKS), 0);
    CU_ASSERT_EQUAL(jks_entry_protection_reusable(e, JKS_FORMAT_JCEKS), 0);
    jks_write_opts w2 = wopts(JKS_FORMAT_PKCS12, STOREPW, 1);
    jks_store *p12 = reread(pem, &w2, STOREPW, "pem-password");
    const jks_entry *b = jks_store_entry(p12, 0);
    CU_ASSERT_FATAL(b != NULL);
    CU_ASSERT(same_bytes(jks_entry_protected_key(b), jks_entry_protected_key(e)));
    CU_ASSERT_EQUAL(jks_entry_key_state(b), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_password_index(b), 0); /* the PEM password, not the store's */
    jks_store_free(p12);
    jks_store_free(pem);
}

static void test_java_alias_compare(void)
{
    char *low = jks_alias_java_lower("Server-KEY \xC3\x84");
    CU_ASSERT_PTR_NOT_NULL_FATAL(low);
    CU_ASSERT_STRING_EQUAL(low, "server-key \xC3\xA4");
    free(low);
    CU_ASSERT_EQUAL(jks_alias_java_cmp("MyCA", "myca"), 0);
    CU_ASSERT_EQUAL(jks_alias_java_cmp("\xC3\x84rger", "\xC3\xA4rger"), 0);
    CU_ASSERT_NOT_EQUAL(jks_alias_java_cmp("a", "b"), 0);
}

int main(void)
{
    fixtures();
    static const test_case cases[] = {
        {"pkcs12 source facts", test_pkcs12_source_facts},
        {"jks source facts and reusable protections", test_jks_source_facts},
        {"pkcs12 keep_encryption keeps a key of unknown password", test_pkcs12_keep_unknown_key_password},
        {"undecrypted key refused naming the entry", test_undecrypted_key_refused},
        {"pkcs12 keep of decrypted and secret keys, forget re-encrypts", test_pkcs12_keep_decrypted_and_forget},
        {"jceks protections stay in jceks", test_jceks_protections},
        {"pem encrypted key into pkcs12 as it is", test_pem_epki_into_pkcs12},
        {"java alias lower-casing", test_java_alias_compare},
    };
    int rc = run_suite("source", cases, sizeof(cases) / sizeof(cases[0]));
    EVP_PKEY_free(g_key);
    X509_free(g_cert);
    free(g_p12);
    free(g_p8);
    free(g_cert_der);
    return rc;
}
