/* jks/digest.c: SHA-1 and SHA-256 against the FIPS 180-2 example vectors,
 * streaming equal to one-shot at every split, and the EVP path's answers. */
#include "digest.h"
#include "testutil.h"

#include <openssl/evp.h>
#include <string.h>

static void hex(const uint8_t *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void test_sha1_fips180_vectors(void)
{
    uint8_t d[JKS_SHA1_LEN];
    char h[2 * JKS_SHA1_LEN + 1];
    CU_ASSERT_EQUAL(jks_sha1("abc", 3, d), 1);
    hex(d, sizeof(d), h);
    CU_ASSERT_STRING_EQUAL(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CU_ASSERT_EQUAL(jks_sha1(m, strlen(m), d), 1);
    hex(d, sizeof(d), h);
    CU_ASSERT_STRING_EQUAL(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    CU_ASSERT_EQUAL(jks_sha1("", 0, d), 1);
    hex(d, sizeof(d), h);
    CU_ASSERT_STRING_EQUAL(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

static void test_sha256_fips180_vectors(void)
{
    uint8_t d[JKS_SHA256_LEN];
    char h[2 * JKS_SHA256_LEN + 1];
    CU_ASSERT_EQUAL(jks_sha256("abc", 3, d), 1);
    hex(d, sizeof(d), h);
    CU_ASSERT_STRING_EQUAL(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CU_ASSERT_EQUAL(jks_sha256(m, strlen(m), d), 1);
    hex(d, sizeof(d), h);
    CU_ASSERT_STRING_EQUAL(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* the store digest is fed in pieces (password, whitener, 4 MB chunks) */
static void test_sha1_streaming_equals_oneshot_at_every_split(void)
{
    uint8_t buf[300], one[JKS_SHA1_LEN], two[JKS_SHA1_LEN];
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    CU_ASSERT_EQUAL(jks_sha1(buf, sizeof(buf), one), 1);
    int all = 1;
    for (size_t a = 0; a <= sizeof(buf); a += 13)
        for (size_t b = a; b <= sizeof(buf); b += 29) {
            jks_sha1_ctx c;
            jks_sha1_init(&c);
            jks_sha1_update(&c, buf, a);
            jks_sha1_update(&c, buf + a, b - a);
            jks_sha1_update(&c, buf + b, sizeof(buf) - b);
            if (!jks_sha1_final(&c, two) || memcmp(one, two, sizeof(one)))
                all = 0;
        }
    CU_ASSERT_TRUE(all);
}

/* whichever implementation digest.c picked, EVP must agree on a large input */
static void test_agrees_with_evp_on_a_megabyte(void)
{
    size_t n = 1 << 20;
    uint8_t *buf = malloc(n), a1[20], b1[20], a2[32], b2[32];
    unsigned l1 = 0, l2 = 0;
    CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
    for (size_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(i ^ (i >> 8));
    CU_ASSERT_EQUAL(jks_sha1(buf, n, a1), 1);
    CU_ASSERT_EQUAL(jks_sha256(buf, n, a2), 1);
    CU_ASSERT_EQUAL(EVP_Digest(buf, n, b1, &l1, EVP_sha1(), NULL), 1);
    CU_ASSERT_EQUAL(EVP_Digest(buf, n, b2, &l2, EVP_sha256(), NULL), 1);
    CU_ASSERT_EQUAL(l1, 20);
    CU_ASSERT_EQUAL(l2, 32);
    CU_ASSERT_EQUAL(memcmp(a1, b1, 20), 0);
    CU_ASSERT_EQUAL(memcmp(a2, b2, 32), 0);
    free(buf);
}

/* abort after init, and final twice, must neither leak nor report success */
static void test_abort_and_double_final_are_safe(void)
{
    jks_sha1_ctx c;
    uint8_t d[JKS_SHA1_LEN];
    jks_sha1_init(&c);
    jks_sha1_update(&c, "x", 1);
    jks_sha1_abort(&c);
    jks_sha1_abort(&c);
    jks_sha1_init(&c);
    CU_ASSERT_EQUAL(jks_sha1_final(&c, d), 1);
    CU_ASSERT_EQUAL(jks_sha1_final(&c, d), 0);
    uint8_t zero[JKS_SHA1_LEN] = {0};
    CU_ASSERT_EQUAL(memcmp(d, zero, sizeof(d)), 0);
}

int main(void)
{
    static const test_case cases[] = {
        {"sha1_fips180_vectors", test_sha1_fips180_vectors},
        {"sha256_fips180_vectors", test_sha256_fips180_vectors},
        {"sha1_streaming_equals_oneshot_at_every_split", test_sha1_streaming_equals_oneshot_at_every_split},
        {"agrees_with_evp_on_a_megabyte", test_agrees_with_evp_on_a_megabyte},
        {"abort_and_double_final_are_safe", test_abort_and_double_final_are_safe},
    };
    return run_suite("digest", cases, sizeof(cases) / sizeof(cases[0]));
}
