/* CUnit suite "builder": the growing output buffer (jks/builder.c) with
 * deferred length prefixes, writeUTF and its sticky failure flag. */
#include "builder.h"
#include "cursor.h"
#include "testutil.h"

#include <openssl/asn1.h>
#include <string.h>

static void test_big_endian_output(void)
{
    jks_builder b;
    uint8_t *out = NULL;
    size_t n = 0;
    static const uint8_t want[] = {0xab, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03,
                                   0x04, 0x05, 0x06, 0x07, 0x08, 'h', 'i'};
    jks_builder_init(&b, 1); /* forces several reallocations */
    jks_builder_u8(&b, 0xab);
    jks_builder_u16(&b, 0x1234);
    jks_builder_u32(&b, 0xdeadbeef);
    jks_builder_u64(&b, 0x0102030405060708ull);
    jks_builder_bytes(&b, "hi", 2);
    jks_builder_bytes(&b, NULL, 0);
    CU_ASSERT_TRUE(jks_builder_ok(&b));
    CU_ASSERT_TRUE_FATAL(jks_builder_finish(&b, &out, &n));
    CU_ASSERT_EQUAL(n, sizeof(want));
    CU_ASSERT_EQUAL(memcmp(out, want, n), 0);
    CU_ASSERT_PTR_NULL(b.buf);
    free(out);
}

/* The failure flag is sticky: later appends do nothing. */
static void test_failure_is_sticky(void)
{
    jks_builder b;
    jks_builder_init(&b, 16);
    b.failed = 1;
    jks_builder_u32(&b, 1);
    jks_builder_java_utf(&b, "abc");
    CU_ASSERT_EQUAL(b.len, 0);
    CU_ASSERT_FALSE(jks_builder_ok(&b));
    jks_builder_cleanup(&b);
    CU_ASSERT_PTR_NULL(b.buf);
    jks_builder_cleanup(&b); /* twice is harmless */
}

static void test_java_utf_writes_modified_utf8(void)
{
    jks_builder b;
    uint8_t *out = NULL;
    size_t n = 0;
    static const uint8_t want[] = {0x00, 0x11, 0xc3, 0xa4, 0x72, 0x67, 0x65, 0x72, 0xc0, 0x80,
                                   0xe2, 0x82, 0xac, 0xed, 0xa0, 0xb4, 0xed, 0xb4, 0x9e};
    jks_builder_init(&b, 0);
    jks_builder_java_utf(&b, "\xc3\xa4rger\xc0\x80\xe2\x82\xac\xf0\x9d\x84\x9e");
    jks_builder_java_utf(&b, "");
    CU_ASSERT_TRUE_FATAL(jks_builder_finish(&b, &out, &n));
    CU_ASSERT_EQUAL(n, sizeof(want) + 2);
    CU_ASSERT_EQUAL(memcmp(out, want, sizeof(want)), 0);
    CU_ASSERT_EQUAL(out[sizeof(want)], 0);
    CU_ASSERT_EQUAL(out[sizeof(want) + 1], 0);
    free(out);
}

/* writeUTF refuses more than 65535 encoded bytes (Java's
 * UTFDataFormatException), counting the encoded, not the UTF-8, length. */
static void test_java_utf_refuses_over_65535_bytes(void)
{
    jks_builder b;
    uint8_t *out = NULL;
    size_t n = 0;
    char *s = malloc(65537);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    memset(s, 'a', 65535);
    s[65535] = 0;
    jks_builder_init(&b, 0);
    jks_builder_java_utf(&b, s);
    CU_ASSERT_TRUE_FATAL(jks_builder_finish(&b, &out, &n));
    CU_ASSERT_EQUAL(n, 65537);
    free(out);
    s[65535] = 'a';
    s[65536] = 0;
    jks_builder_init(&b, 0);
    jks_builder_java_utf(&b, s);
    CU_ASSERT_FALSE(jks_builder_ok(&b));
    CU_ASSERT_FALSE(jks_builder_finish(&b, &out, &n));
    /* 43690 supplementary-free 3-byte chars = 131070 bytes UTF-8 > limit;
     * 16384 4-byte chars = 65536 UTF-8 bytes but 98304 encoded: refused */
    char *t = malloc(4 * 16384 + 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    for (int i = 0; i < 16384; i++)
        memcpy(t + 4 * i, "\xf0\x9d\x84\x9e", 4);
    t[4 * 16384] = 0;
    jks_builder_init(&b, 0);
    jks_builder_java_utf(&b, t);
    CU_ASSERT_FALSE(jks_builder_ok(&b));
    jks_builder_cleanup(&b);
    /* 10922 of them = 65532 encoded bytes: accepted */
    t[4 * 10922] = 0;
    jks_builder_init(&b, 0);
    jks_builder_java_utf(&b, t);
    CU_ASSERT_TRUE(jks_builder_ok(&b));
    CU_ASSERT_EQUAL(b.len, 2 + 6 * 10922);
    jks_builder_cleanup(&b);
    /* invalid UTF-8 is refused too */
    jks_builder_init(&b, 0);
    jks_builder_java_utf(&b, "\xff");
    CU_ASSERT_FALSE(jks_builder_ok(&b));
    jks_builder_cleanup(&b);
    free(s);
    free(t);
}

/* DER lengths at every boundary, nested open/close against known-length
 * headers, both read back by OpenSSL's ASN1_get_object (the oracle). */
static void test_der_lengths_read_back_by_openssl(void)
{
    static const size_t sizes[] = {0, 1, 127, 128, 255, 256, 65535, 65536, 70000};
    int all = 1;
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        size_t n = sizes[i];
        uint8_t *content = malloc(n + 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(content);
        memset(content, 0x5A, n);
        jks_builder b;
        jks_builder_init(&b, 0);
        size_t outer = jks_builder_der_open(&b, 0x30);
        size_t inner = jks_builder_der_open(&b, 0x04);
        jks_builder_bytes(&b, content, n);
        jks_builder_der_close(&b, inner);
        jks_builder_der(&b, 0x04, content, n);
        jks_builder_der_close(&b, outer);
        CU_ASSERT_TRUE(jks_builder_ok(&b));
        CU_ASSERT_EQUAL(b.len, jks_der_size(2 * jks_der_size(n)));
        const unsigned char *p = b.buf;
        long len = 0;
        int tag = 0, cls = 0;
        int r = ASN1_get_object(&p, &len, &tag, &cls, (long)b.len);
        if (r != V_ASN1_CONSTRUCTED || tag != V_ASN1_SEQUENCE || (size_t)len != 2 * jks_der_size(n) ||
            (size_t)(p - b.buf) + (size_t)len != b.len)
            all = 0;
        for (int k = 0; k < 2 && all; k++) {
            r = ASN1_get_object(&p, &len, &tag, &cls, (long)(b.len - (size_t)(p - b.buf)));
            if (r != 0 || tag != V_ASN1_OCTET_STRING || (size_t)len != n || memcmp(p, content, n))
                all = 0;
            p += len;
        }
        /* DER: the shortest length form */
        if (jks_der_size(n) != 2 + n + (n < 128 ? 0 : n < 256 ? 1 : n < 65536 ? 2 : 3))
            all = 0;
        jks_builder_cleanup(&b);
        free(content);
    }
    CU_ASSERT_TRUE(all);
}

static void test_der_uint_matches_openssl(void)
{
    static const uint64_t vals[] = {0, 1, 127, 128, 255, 256, 10000, 100000, 0x7FFFFFFF, 0xFFFFFFFFu};
    int all = 1;
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        jks_builder b;
        jks_builder_init(&b, 0);
        jks_builder_der_uint(&b, vals[i]);
        ASN1_INTEGER *a = ASN1_INTEGER_new();
        unsigned char *der = NULL;
        int n = a && ASN1_INTEGER_set_uint64(a, vals[i]) ? i2d_ASN1_INTEGER(a, &der) : -1;
        if (!jks_builder_ok(&b) || n <= 0 || (size_t)n != b.len || memcmp(der, b.buf, b.len))
            all = 0;
        OPENSSL_free(der);
        ASN1_INTEGER_free(a);
        jks_builder_cleanup(&b);
    }
    CU_ASSERT_TRUE(all);
}

int main(void)
{
    static const test_case cases[] = {
        {"big-endian output", test_big_endian_output},
        {"failure is sticky", test_failure_is_sticky},
        {"writeUTF writes modified UTF-8", test_java_utf_writes_modified_utf8},
        {"writeUTF refuses over 65535 encoded bytes", test_java_utf_refuses_over_65535_bytes},
        {"DER lengths read back by OpenSSL", test_der_lengths_read_back_by_openssl},
        {"DER INTEGER matches OpenSSL's", test_der_uint_matches_openssl},
    };
    return run_suite("builder", cases, sizeof(cases) / sizeof(cases[0]));
}
