/* cert/chain.c and cert/pair.c: THE chain builder and THE key pairing, through
 * their public wrappers (jks_chain_build, jks_key_find_cert) and the pool. */
#include "chain.h"
#include "pair.h"
#include "jks/ops.h"
#include "testutil.h"
#include "certutil.h"

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <string.h>

static void test_chain_orders_shuffled_pool_leaf_to_root(void)
{
    EVP_PKEY *rk = ec_key(), *ik = ec_key(), *lk = ec_key(), *ok = ec_key();
    jks_bytes root = make_cert("Root", rk, "Root", rk, 1);
    jks_bytes inter = make_cert("Inter", ik, "Root", rk, 2);
    jks_bytes leaf = make_cert("Leaf", lk, "Inter", ik, 3);
    jks_bytes other = make_cert("Other", ok, "Other", ok, 4);
    jks_bytes pool[] = {other, root, leaf, inter};
    size_t picked[8], n = 99;
    jks_error err;
    CU_ASSERT_EQUAL(jks_chain_build(leaf.data, leaf.len, pool, 4, picked, 8, &n, &err), JKS_OK);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(picked[0], 3);
    CU_ASSERT_EQUAL(picked[1], 1);
    /* cap bounds the output */
    CU_ASSERT_EQUAL(jks_chain_build(leaf.data, leaf.len, pool, 4, picked, 1, &n, &err), JKS_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(picked[0], 3);
    /* a rank below zero keeps a candidate out */
    jks_cert_pool *p = jks_cert_pool_new(pool, 4);
    int rank[] = {0, 0, 0, -1};
    CU_ASSERT_EQUAL(jks_cert_pool_chain(p, leaf, rank, picked, 8), 0);
    jks_cert_pool_free(p);
    free_all(pool, 4);
    EVP_PKEY_free(rk);
    EVP_PKEY_free(ik);
    EVP_PKEY_free(lk);
    EVP_PKEY_free(ok);
}

/* Java's PKCS12KeyStore links by name: an issuer whose key does not verify
 * (a CA re-keyed under the same name) still follows in Java mode, never in
 * the verifying mode; and Java's chain ends at a self-issued certificate even
 * when another same-name certificate could sign it. */
static void test_chain_java_mode_links_by_name(void)
{
    EVP_PKEY *ck = ec_key(), *ck2 = ec_key(), *lk = ec_key();
    jks_bytes leaf = make_cert("Leaf", lk, "CA", ck, 1);
    jks_bytes rekeyed = make_cert("CA", ck2, "CA", ck2, 2); /* same name, other key */
    jks_bytes ca = make_cert("CA", ck, "CA", ck, 3);
    jks_bytes pool1[] = {rekeyed};
    size_t picked[4];
    jks_cert_pool *p = jks_cert_pool_new(pool1, 1);
    CU_ASSERT_EQUAL(jks_cert_pool_chain(p, leaf, NULL, picked, 4), 0);
    CU_ASSERT_EQUAL(jks_cert_pool_chain_java(p, leaf, NULL, picked, 4), 1);
    CU_ASSERT_EQUAL(picked[0], 0);
    jks_cert_pool_free(p);
    /* both present: the one that verifies wins in both modes, and the
     * self-issued CA ends Java's chain (the re-keyed one is not appended) */
    jks_bytes pool2[] = {rekeyed, ca};
    p = jks_cert_pool_new(pool2, 2);
    CU_ASSERT_EQUAL(jks_cert_pool_chain(p, leaf, NULL, picked, 4), 1);
    CU_ASSERT_EQUAL(picked[0], 1);
    CU_ASSERT_EQUAL(jks_cert_pool_chain_java(p, leaf, NULL, picked, 4), 1);
    CU_ASSERT_EQUAL(picked[0], 1);
    jks_cert_pool_free(p);
    free_all(pool2, 2);
    free((void *)leaf.data);
    EVP_PKEY_free(ck);
    EVP_PKEY_free(ck2);
    EVP_PKEY_free(lk);
}

static void test_chain_same_name_issuer_chosen_by_signature(void)
{
    EVP_PKEY *k1 = ec_key(), *k2 = ec_key(), *lk = ec_key();
    jks_bytes ca1 = make_cert("CA", k1, "CA", k1, 1);
    jks_bytes ca2 = make_cert("CA", k2, "CA", k2, 2);
    jks_bytes leaf = make_cert("Leaf", lk, "CA", k2, 3);
    jks_bytes pool[] = {ca1, ca2};
    size_t picked[4], n = 0;
    jks_error err;
    CU_ASSERT_EQUAL(jks_chain_build(leaf.data, leaf.len, pool, 2, picked, 4, &n, &err), JKS_OK);
    CU_ASSERT_EQUAL(n, 1);
    CU_ASSERT_EQUAL(picked[0], 1);
    free_all(pool, 2);
    free((void *)leaf.data);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
    EVP_PKEY_free(lk);
}

static void test_chain_cross_signed_loop_terminates(void)
{
    EVP_PKEY *ka = ec_key(), *kb = ec_key(), *lk = ec_key();
    jks_bytes a = make_cert("A", ka, "B", kb, 1);  /* A issued by B */
    jks_bytes b = make_cert("B", kb, "A", ka, 2);  /* B issued by A */
    jks_bytes leaf = make_cert("Leaf", lk, "A", ka, 3);
    jks_bytes pool[] = {a, b, leaf};
    size_t picked[16], n = 0;
    jks_error err;
    CU_ASSERT_EQUAL(jks_chain_build(leaf.data, leaf.len, pool, 3, picked, 16, &n, &err), JKS_OK);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(picked[0], 0);
    CU_ASSERT_EQUAL(picked[1], 1);
    free_all(pool, 3);
    EVP_PKEY_free(ka);
    EVP_PKEY_free(kb);
    EVP_PKEY_free(lk);
}

static void test_chain_garbage_leaf_and_pool(void)
{
    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
    jks_bytes pool[] = {{junk, sizeof(junk)}};
    size_t picked[2], n = 7;
    jks_error err;
    CU_ASSERT_EQUAL(jks_chain_build(junk, sizeof(junk), pool, 1, picked, 2, &n, &err), JKS_OK);
    CU_ASSERT_EQUAL(n, 0);
    CU_ASSERT_EQUAL(jks_key_find_cert(junk, sizeof(junk), pool, 1), -1);
}

static void test_pair_finds_the_certificate_of_the_key(void)
{
    EVP_PKEY *k1 = ec_key(), *k2 = ec_key(), *k3 = ec_key();
    jks_bytes c1 = make_cert("One", k1, "One", k1, 1);
    jks_bytes c2 = make_cert("Two", k2, "One", k1, 2);
    jks_bytes certs[] = {c1, c2};
    jks_bytes p2 = pkcs8_of(k2), p3 = pkcs8_of(k3);
    CU_ASSERT_EQUAL(jks_key_find_cert(p2.data, p2.len, certs, 2), 1);
    CU_ASSERT_EQUAL(jks_key_find_cert(p3.data, p3.len, certs, 2), -1);
    /* the rank prefers, and a negative rank refuses */
    jks_bytes dup[] = {c2, c1, c2};
    jks_cert_pool *p = jks_cert_pool_new(dup, 3);
    int prefer_last[] = {1, 0, 2}, refuse[] = {-1, 0, -1};
    CU_ASSERT_EQUAL(jks_cert_pool_find_key(p, p2.data, p2.len, NULL), 0);
    CU_ASSERT_EQUAL(jks_cert_pool_find_key(p, p2.data, p2.len, prefer_last), 2);
    CU_ASSERT_EQUAL(jks_cert_pool_find_key(p, p2.data, p2.len, refuse), -1);
    jks_cert_pool_free(p);
    free_all(certs, 2);
    free((void *)p2.data);
    free((void *)p3.data);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
    EVP_PKEY_free(k3);
}

int main(void)
{
    static const test_case cases[] = {
        {"chain orders a shuffled pool leaf to root", test_chain_orders_shuffled_pool_leaf_to_root},
        {"same-name issuers: the signature decides", test_chain_same_name_issuer_chosen_by_signature},
        {"Java mode links by name, ends at self-issued", test_chain_java_mode_links_by_name},
        {"cross-signed loop terminates", test_chain_cross_signed_loop_terminates},
        {"garbage leaf and pool give nothing", test_chain_garbage_leaf_and_pool},
        {"pairing finds the key's certificate", test_pair_finds_the_certificate_of_the_key},
    };
    return run_suite("chain", cases, sizeof(cases) / sizeof(cases[0]));
}
