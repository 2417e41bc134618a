/* CUnit suite "javaser": the bounded Java serialization subset of JCEKS
 * secret-key entries (jks/javaser.c, FORMATS.md 3.2 and 3.3). The two key
 * streams below were written by JDK 17's ObjectOutputStream (a SecretKeySpec
 * for AES and a DESede key, which serializes as a KeyRep). */
#include "javaser.h"
#include "testutil.h"

#include <string.h>

static const char java_aes[] =
    "aced00057372001f6a617661782e63727970746f2e737065632e5365637265744b6579537065635b470b66e230614d"
    "0200024c0009616c676f726974686d7400124c6a6176612f6c616e672f537472696e673b5b00036b6579740002"
    "5b427870740003414553757200025b42acf317f8060854e0020000787000000010000102030405060708090a0b0c"
    "0d0e0f";
static const char java_desede[] =
    "aced0005737200146a6176612e73656375726974792e4b6579526570bdf94fb3889aa5430200044c0009616c676f"
    "726974686d7400124c6a6176612f6c616e672f537472696e673b5b0007656e636f6465647400025b424c0006666f"
    "726d617471007e00014c00047479706574001b4c6a6176612f73656375726974792f4b657952657024547970653b"
    "7870740006444553656465757200025b42acf317f8060854e00200007870000000180123456789abcdeffedcba98"
    "7654321089abcdef012345677400035241577e7200196a6176612e73656375726974792e4b657952657024547970"
    "6500000000000000001200007872000e6a6176612e6c616e672e456e756d0000000000000000120000787074000653"
    "4543524554";

static uint8_t *unhex(const char *h, size_t *n)
{
    size_t l = strlen(h) / 2;
    uint8_t *o = malloc(l);
    for (size_t i = 0; i < l; i++) {
        unsigned v;
        sscanf(h + 2 * i, "%2x", &v);
        o[i] = (uint8_t)v;
    }
    *n = l;
    return o;
}

static const uint8_t aes_key[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
static const uint8_t des3_key[24] = {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
                                     0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
                                     0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67};

static jks_status parse_key(const uint8_t *p, size_t n, char **alg, uint8_t **key, size_t *kl,
                            jks_error *err)
{
    jks_error_clear(err);
    return jks_secretkey_parse(p, n, alg, key, kl, err);
}

static void test_parse_java_streams(void)
{
    const char *streams[] = {java_aes, java_desede};
    const char *algs[] = {"AES", "DESede"};
    const uint8_t *keys[] = {aes_key, des3_key};
    size_t lens[] = {16, 24};
    for (int i = 0; i < 2; i++) {
        size_t n, kl = 0;
        uint8_t *s = unhex(streams[i], &n), *key = NULL;
        char *alg = NULL;
        jks_error err;
        CU_ASSERT_EQUAL_FATAL(parse_key(s, n, &alg, &key, &kl, &err), JKS_OK);
        CU_ASSERT_STRING_EQUAL(alg, algs[i]);
        CU_ASSERT_EQUAL(kl, lens[i]);
        CU_ASSERT_EQUAL(memcmp(key, keys[i], kl), 0);
        free(alg);
        free(key);
        free(s);
    }
}

/* Our writer produces exactly Java's bytes. */
static void test_build_matches_java(void)
{
    size_t n, bn;
    uint8_t *want = unhex(java_aes, &n), *b = NULL;
    CU_ASSERT_TRUE_FATAL(jks_secretkey_build("AES", aes_key, 16, &b, &bn));
    CU_ASSERT_EQUAL(bn, n);
    CU_ASSERT_EQUAL(memcmp(b, want, n), 0);
    free(b);
    free(want);
    want = unhex(java_desede, &n);
    CU_ASSERT_TRUE_FATAL(jks_secretkey_build("DESede", des3_key, 24, &b, &bn));
    CU_ASSERT_EQUAL(bn, n);
    CU_ASSERT_EQUAL(memcmp(b, want, n), 0);
    free(b);
    free(want);
    /* HmacSHA256 is a SecretKeySpec too, and reads back */
    uint8_t h[32], *key = NULL;
    size_t kl;
    char *alg = NULL;
    jks_error err;
    memset(h, 0x5a, sizeof(h));
    CU_ASSERT_TRUE_FATAL(jks_secretkey_build("HmacSHA256", h, 32, &b, &bn));
    CU_ASSERT_EQUAL(memcmp(b, "\xac\xed\x00\x05\x73\x72\x00\x1f", 8), 0);
    CU_ASSERT_EQUAL_FATAL(parse_key(b, bn, &alg, &key, &kl, &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(alg, "HmacSHA256");
    CU_ASSERT_EQUAL(kl, 32);
    CU_ASSERT_EQUAL(memcmp(key, h, 32), 0);
    free(alg);
    free(key);
    free(b);
}

/* Cut anywhere: FORMAT, never a crash, nothing returned. */
static void test_truncated_streams(void)
{
    const char *streams[] = {java_aes, java_desede};
    for (int i = 0; i < 2; i++) {
        size_t n;
        uint8_t *s = unhex(streams[i], &n);
        size_t bad = 0;
        for (size_t cut = 0; cut < n; cut++) {
            uint8_t *t = malloc(cut ? cut : 1), *key = (uint8_t *)1;
            char *alg = (char *)1;
            size_t kl;
            jks_error err;
            memcpy(t, s, cut);
            if (parse_key(t, cut, &alg, &key, &kl, &err) != JKS_ERR_FORMAT || alg || key)
                bad++;
            free(t);
        }
        CU_ASSERT_EQUAL(bad, 0);
        free(s);
    }
}

/* Replace the first occurrence of a same-length string. */
static int patchn(uint8_t *s, size_t n, const char *from, const char *to, size_t l)
{
    for (size_t i = 0; i + l <= n; i++)
        if (!memcmp(s + i, from, l)) {
            memcpy(s + i, to, l);
            return 1;
        }
    return 0;
}

static int patch(uint8_t *s, size_t n, const char *from, const char *to)
{
    return patchn(s, n, from, to, strlen(from));
}

/* Only the classes of the JCEKS filter are accepted. */
static void test_rejects_other_classes(void)
{
    static const struct {
        const char *src, *from, *to, *why;
    } cases[] = {
        {java_aes, "javax.crypto.spec.SecretKeySpec", "javax.crypto.spec.SecretKeySpeX", "not allowed"},
        {java_aes, "javax.crypto.spec.SecretKeySpec", "java.util.concurrent.ConcurrentM", "not allowed"},
        {java_desede, "java.lang.Enum", "java.lang.Enuz", "not allowed"},
        {java_desede, "SECRET", "PUBLIC", "KeyRep"},
        {java_desede, "RAW", "X.5", "KeyRep"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n, kl;
        uint8_t *s = unhex(cases[i].src, &n), *key = NULL;
        char *alg = NULL;
        jks_error err;
        CU_ASSERT_TRUE_FATAL(patch(s, n, cases[i].from, cases[i].to));
        CU_ASSERT_EQUAL(parse_key(s, n, &alg, &key, &kl, &err), JKS_ERR_FORMAT);
        CU_ASSERT_PTR_NULL(alg);
        if (cases[i].why)
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[i].why));
        free(s);
    }
    /* the byte[] class descriptor turned into char[] */
    {
        size_t n, kl;
        uint8_t *s = unhex(java_aes, &n), *key = NULL;
        char *alg = NULL;
        jks_error err;
        CU_ASSERT_TRUE_FATAL(patchn(s, n, "\x72\x00\x02[B", "\x72\x00\x02[C", 5));
        CU_ASSERT_EQUAL(parse_key(s, n, &alg, &key, &kl, &err), JKS_ERR_FORMAT);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "not allowed"));
        free(s);
    }
    /* a sealed object is not a key, and a key is not a sealed object */
    size_t n;
    uint8_t *s = unhex(java_aes, &n);
    jks_cursor c;
    jks_sealed sealed;
    jks_error err;
    jks_cursor_init(&c, s, n);
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_sealed_parse(&c, &sealed, &err), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 0);
    free(s);
    /* custom serialization (SC_WRITE_METHOD) is refused */
    s = unhex(java_aes, &n);
    CU_ASSERT_EQUAL(s[47], 0x02);
    s[47] = 0x03;
    char *alg = NULL;
    uint8_t *key = NULL;
    size_t kl;
    CU_ASSERT_EQUAL(parse_key(s, n, &alg, &key, &kl, &err), JKS_ERR_FORMAT);
    /* a reference to a handle that does not exist */
    s[47] = 0x02;
    CU_ASSERT_TRUE_FATAL(patchn(s, n, "\x74\x00\x02\x5b\x42", "\x71\x00\x7e\x00\x09", 5));
    CU_ASSERT_EQUAL(parse_key(s, n, &alg, &key, &kl, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "handle"));
    free(s);
    /* wrong stream magic */
    s = unhex(java_aes, &n);
    s[1] = 0xee;
    CU_ASSERT_EQUAL(parse_key(s, n, &alg, &key, &kl, &err), JKS_ERR_FORMAT);
    free(s);
}

/* A chain of superclass descriptors deeper than the bound, and a class
 * that names itself as its superclass, fail cleanly. */
static void test_depth_bounds(void)
{
    for (int depth = 1; depth <= 40; depth++) {
        jks_builder b;
        uint8_t *s = NULL;
        size_t n, kl;
        jks_builder_init(&b, 0);
        jks_builder_u16(&b, 0xACED);
        jks_builder_u16(&b, 5);
        jks_builder_u8(&b, 0x73);
        for (int i = 0; i < depth; i++) {
            jks_builder_u8(&b, 0x72);
            jks_builder_java_utf(&b, "javax.crypto.spec.SecretKeySpec");
            jks_builder_u64(&b, 0x5b470b66e230614dull);
            jks_builder_u8(&b, 0x02);
            jks_builder_u16(&b, 0);
            jks_builder_u8(&b, 0x78);
        }
        jks_builder_u8(&b, 0x70);
        CU_ASSERT_TRUE_FATAL(jks_builder_finish(&b, &s, &n));
        char *alg = NULL;
        uint8_t *key = NULL;
        jks_error err;
        /* never OK (no fields), and from some depth on "too deep" */
        CU_ASSERT_EQUAL(parse_key(s, n, &alg, &key, &kl, &err), JKS_ERR_FORMAT);
        if (depth > 10)
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "deep"));
        free(s);
    }
    /* self-referencing superclass: handle 0x7e0000 is the descriptor itself */
    jks_builder b;
    uint8_t *s = NULL;
    size_t n, kl;
    jks_builder_init(&b, 0);
    jks_builder_u16(&b, 0xACED);
    jks_builder_u16(&b, 5);
    jks_builder_u8(&b, 0x73);
    jks_builder_u8(&b, 0x72);
    jks_builder_java_utf(&b, "javax.crypto.spec.SecretKeySpec");
    jks_builder_u64(&b, 0);
    jks_builder_u8(&b, 0x02);
    jks_builder_u16(&b, 1);
    jks_builder_u8(&b, 'I');
    jks_builder_java_utf(&b, "x");
    jks_builder_u8(&b, 0x78);
    jks_builder_u8(&b, 0x71);
    jks_builder_u32(&b, 0x7e0000);
    for (int i = 0; i < 64; i++)
        jks_builder_u32(&b, 0);
    CU_ASSERT_TRUE_FATAL(jks_builder_finish(&b, &s, &n));
    char *alg = NULL;
    uint8_t *key = NULL;
    jks_error err;
    CU_ASSERT_EQUAL(parse_key(s, n, &alg, &key, &kl, &err), JKS_ERR_FORMAT);
    free(s);
    /* a stream of nested objects, each a field of the one before */
    jks_builder_init(&b, 0);
    jks_builder_u16(&b, 0xACED);
    jks_builder_u16(&b, 5);
    for (int i = 0; i < 200; i++) {
        jks_builder_u8(&b, 0x73);
        if (i == 0) {
            jks_builder_u8(&b, 0x72);
            jks_builder_java_utf(&b, "javax.crypto.spec.SecretKeySpec");
            jks_builder_u64(&b, 0);
            jks_builder_u8(&b, 0x02);
            jks_builder_u16(&b, 1);
            jks_builder_u8(&b, 'L');
            jks_builder_java_utf(&b, "key");
            jks_builder_u8(&b, 0x74);
            jks_builder_java_utf(&b, "Ljava/lang/Object;");
            jks_builder_u8(&b, 0x78);
            jks_builder_u8(&b, 0x70);
        } else {
            jks_builder_u8(&b, 0x71);
            jks_builder_u32(&b, 0x7e0000);
        }
    }
    CU_ASSERT_TRUE_FATAL(jks_builder_finish(&b, &s, &n));
    CU_ASSERT_EQUAL(parse_key(s, n, &alg, &key, &kl, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "deep"));
    free(s);
}

/* The sealed object keytool writes (FORMATS.md 3.2): our writer's bytes,
 * parsed back, and the cursor left exactly at the end of the stream. */
static void test_sealed_build_and_parse(void)
{
    static const uint8_t params[17] = {0x30, 0x0f, 0x04, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x02, 0x03, 0x03, 0x0d, 0x40};
    uint8_t content[40];
    memset(content, 0xc3, sizeof(content));
    jks_builder b;
    uint8_t *s = NULL;
    size_t n;
    jks_builder_init(&b, 0);
    jks_sealed_build(&b, params, sizeof(params), content, sizeof(content));
    jks_builder_u32(&b, 0x00000002); /* the next entry's tag */
    CU_ASSERT_TRUE_FATAL(jks_builder_finish(&b, &s, &n));
    static const uint8_t head[] = {0xac, 0xed, 0x00, 0x05, 0x73, 0x72, 0x00, 0x33};
    CU_ASSERT_EQUAL(memcmp(s, head, sizeof(head)), 0);
    CU_ASSERT_EQUAL(memcmp(s + 8, "com.sun.crypto.provider.SealedObjectForKeyProtector", 0x33), 0);
    CU_ASSERT_EQUAL(memcmp(s + 8 + 0x33, "\xcd\x57\xca\x59\xe7\x30\xbb\x53\x02\x00\x00\x78\x72\x00\x19", 15), 0);
    jks_cursor c;
    jks_sealed sealed;
    jks_error err;
    jks_error_clear(&err);
    jks_cursor_init(&c, s, n);
    CU_ASSERT_EQUAL_FATAL(jks_sealed_parse(&c, &sealed, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), 4);
    CU_ASSERT_EQUAL(sealed.params.len, sizeof(params));
    CU_ASSERT_EQUAL(memcmp(sealed.params.data, params, sizeof(params)), 0);
    CU_ASSERT_EQUAL(sealed.content.len, sizeof(content));
    CU_ASSERT_EQUAL(memcmp(sealed.content.data, content, sizeof(content)), 0);
    CU_ASSERT_STRING_EQUAL(sealed.seal_alg, "PBEWithMD5AndTripleDES");
    CU_ASSERT_STRING_EQUAL(sealed.params_alg, "PBEWithMD5AndTripleDES");
    /* truncated at every byte: FORMAT, cursor unchanged */
    size_t bad = 0;
    for (size_t cut = 0; cut < n - 4; cut++) {
        uint8_t *t = malloc(cut ? cut : 1);
        memcpy(t, s, cut);
        jks_cursor_init(&c, t, cut);
        jks_error_clear(&err);
        if (jks_sealed_parse(&c, &sealed, &err) != JKS_ERR_FORMAT || jks_cursor_offset(&c) != 0)
            bad++;
        free(t);
    }
    CU_ASSERT_EQUAL(bad, 0);
    /* the sealAlg given as a reference to the paramsAlg string also parses */
    free(s);
}

int main(void)
{
    static const test_case cases[] = {
        {"parses Java's SecretKeySpec and KeyRep streams", test_parse_java_streams},
        {"builds Java's exact bytes", test_build_matches_java},
        {"truncated streams give FORMAT", test_truncated_streams},
        {"rejects other classes and shapes", test_rejects_other_classes},
        {"depth bounds", test_depth_bounds},
        {"sealed object build and parse", test_sealed_build_and_parse},
    };
    return run_suite("javaser", cases, sizeof(cases) / sizeof(cases[0]));
}
