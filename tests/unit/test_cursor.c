/* CUnit suite "cursor": the bounds-checked reader (jks/cursor.c) and Java's
 * modified UTF-8 (FORMATS.md 0.1). */
#include "ber.h"
#include "jks/jks.h"
#include "cursor.h"
#include "testutil.h"

#include <stdint.h>
#include <string.h>

static void test_big_endian_integers(void)
{
    static const uint8_t d[] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x01, 0x02,
                                0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xff};
    jks_cursor c;
    uint8_t a;
    uint16_t b;
    uint32_t w;
    uint64_t q;
    jks_cursor_init(&c, d, sizeof(d));
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), sizeof(d));
    CU_ASSERT_TRUE(jks_cursor_u16(&c, &b));
    CU_ASSERT_EQUAL(b, 0x1234);
    CU_ASSERT_TRUE(jks_cursor_u32(&c, &w));
    CU_ASSERT_EQUAL(w, 0x56789abcu);
    CU_ASSERT_TRUE(jks_cursor_u8(&c, &a));
    CU_ASSERT_EQUAL(a, 0xde);
    CU_ASSERT_TRUE(jks_cursor_u8(&c, &a));
    CU_ASSERT_EQUAL(a, 0xf0);
    CU_ASSERT_TRUE(jks_cursor_u64(&c, &q));
    CU_ASSERT_EQUAL(q, 0x0102030405060708ull);
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 16);
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), 1);
    CU_ASSERT_TRUE(jks_cursor_u8(&c, &a));
    CU_ASSERT_EQUAL(a, 0xff);
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), 0);
    CU_ASSERT_FALSE(jks_cursor_u8(&c, &a));
}

/* Every getter fails at the end of the input and leaves the cursor where it was. */
static void test_failed_read_leaves_cursor_unchanged(void)
{
    static const uint8_t d[] = {1, 2, 3, 4, 5, 6, 7};
    jks_cursor c, child;
    uint16_t b;
    uint32_t w = 0xdeadbeef;
    uint64_t q = 42;
    const uint8_t *p = NULL;
    uint8_t buf[8];
    jks_cursor_init(&c, d, sizeof(d));
    CU_ASSERT_TRUE(jks_cursor_skip(&c, 4));
    jks_cursor save = c;
    CU_ASSERT_FALSE(jks_cursor_u64(&c, &q));
    CU_ASSERT_EQUAL(q, 42);
    CU_ASSERT_FALSE(jks_cursor_u32(&c, &w));
    CU_ASSERT_EQUAL(w, 0xdeadbeef);
    CU_ASSERT_FALSE(jks_cursor_skip(&c, 4));
    CU_ASSERT_FALSE(jks_cursor_view(&c, 4, &p));
    CU_ASSERT_PTR_NULL(p);
    CU_ASSERT_FALSE(jks_cursor_bytes(&c, 4, &child));
    CU_ASSERT_FALSE(jks_cursor_copy(&c, buf, 4));
    CU_ASSERT_FALSE(jks_cursor_peek(&c, 4, &p));
    CU_ASSERT_FALSE(jks_cursor_skip(&c, SIZE_MAX));
    CU_ASSERT_PTR_EQUAL(c.p, save.p);
    CU_ASSERT_EQUAL(c.len, save.len);
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 4);
    /* peek does not advance; a successful read does */
    CU_ASSERT_TRUE(jks_cursor_peek(&c, 3, &p));
    CU_ASSERT_EQUAL(p[0], 5);
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 4);
    CU_ASSERT_TRUE(jks_cursor_u16(&c, &b));
    CU_ASSERT_EQUAL(b, 0x0506);
}

/* A length prefix that claims more than remains fails before anything is
 * returned, and rewinds past the prefix it had already read. */
static void test_prefix_longer_than_input(void)
{
    static const uint8_t d16[] = {0x00, 0x05, 'a', 'b', 'c', 'd'};
    static const uint8_t d32[] = {0x7f, 0xff, 0xff, 0xff, 'a', 'b'};
    static const uint8_t dutf[] = {0x00, 0x03, 'a', 'b'};
    jks_cursor c, child;
    char *s = NULL;
    size_t n;
    jks_cursor_init(&c, d16, sizeof(d16));
    CU_ASSERT_FALSE(jks_cursor_u16_prefixed(&c, &child));
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 0);
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), sizeof(d16));
    jks_cursor_init(&c, d32, sizeof(d32));
    CU_ASSERT_FALSE(jks_cursor_u32_prefixed(&c, &child));
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 0);
    jks_cursor_init(&c, dutf, sizeof(dutf));
    CU_ASSERT_FALSE(jks_cursor_java_utf(&c, &s, &n));
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 0);
    /* a prefix cut in half */
    jks_cursor_init(&c, d32, 3);
    CU_ASSERT_FALSE(jks_cursor_u32_prefixed(&c, &child));
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), 3);
}

/* A child view cannot read into the bytes after its part, and its offsets
 * are offsets in the whole input. */
static void test_prefixed_child_is_fenced(void)
{
    static const uint8_t d[] = {0xAA, 0x00, 0x03, 'x', 'y', 'z', 0x00, 0x00, 0x00, 0x02, 'p', 'q', 'E'};
    jks_cursor c, child, inner;
    uint8_t a;
    uint32_t w;
    jks_cursor_init(&c, d, sizeof(d));
    CU_ASSERT_TRUE(jks_cursor_u8(&c, &a));
    CU_ASSERT_TRUE(jks_cursor_u16_prefixed(&c, &child));
    CU_ASSERT_EQUAL(jks_cursor_remaining(&child), 3);
    CU_ASSERT_EQUAL(jks_cursor_offset(&child), 3);
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 6);
    CU_ASSERT_FALSE(jks_cursor_u32(&child, &w)); /* would need 'x','y','z' + the next byte */
    CU_ASSERT_FALSE(jks_cursor_skip(&child, 4));
    CU_ASSERT_TRUE(jks_cursor_skip(&child, 3));
    CU_ASSERT_FALSE(jks_cursor_u8(&child, &a));
    CU_ASSERT_EQUAL(jks_cursor_offset(&child), 6);
    CU_ASSERT_TRUE(jks_cursor_u32_prefixed(&c, &child));
    CU_ASSERT_EQUAL(child.len, 2);
    CU_ASSERT_EQUAL(child.p[0], 'p');
    /* a nested prefix inside the child may not escape it */
    jks_cursor_init(&c, d, sizeof(d));
    CU_ASSERT_TRUE(jks_cursor_skip(&c, 6));
    CU_ASSERT_TRUE(jks_cursor_bytes(&c, 4, &child)); /* 00 00 00 02 only */
    CU_ASSERT_FALSE(jks_cursor_u32_prefixed(&child, &inner));
    CU_ASSERT_EQUAL(jks_cursor_remaining(&child), 4);
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), 3);
}

static void test_null_input_is_empty(void)
{
    jks_cursor c;
    uint8_t a;
    jks_cursor_init(&c, NULL, 100);
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), 0);
    CU_ASSERT_FALSE(jks_cursor_u8(&c, &a));
    CU_ASSERT_TRUE(jks_cursor_skip(&c, 0));
}

/* ---- modified UTF-8 ---- */

/* FORMATS.md 0.1: "ärger" U+0000 "€" U+1D11E as Java writes it. */
static const uint8_t worked[] = {0x00, 0x11, 0xc3, 0xa4, 0x72, 0x67, 0x65, 0x72, 0xc0, 0x80,
                                 0xe2, 0x82, 0xac, 0xed, 0xa0, 0xb4, 0xed, 0xb4, 0x9e};
/* As our UTF-8 (U+0000 kept as C0 80 so the alias stays a C string). */
static const char worked_utf8[] = "\xc3\xa4rger\xc0\x80\xe2\x82\xac\xf0\x9d\x84\x9e";

static void test_mutf8_worked_example_decodes(void)
{
    jks_cursor c;
    char *s = NULL;
    size_t n = 0;
    jks_cursor_init(&c, worked, sizeof(worked));
    CU_ASSERT_TRUE_FATAL(jks_cursor_java_utf(&c, &s, &n));
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), 0);
    CU_ASSERT_EQUAL(n, sizeof(worked_utf8) - 1);
    CU_ASSERT_EQUAL(strlen(s), n);
    CU_ASSERT_EQUAL(memcmp(s, worked_utf8, n), 0);
    free(s);
}

static void test_mutf8_worked_example_encodes(void)
{
    uint8_t *m = NULL;
    size_t n = 0;
    CU_ASSERT_TRUE_FATAL(jks_mutf8_encode(worked_utf8, strlen(worked_utf8), &m, &n));
    CU_ASSERT_EQUAL(n, 17);
    CU_ASSERT_EQUAL(memcmp(m, worked + 2, 17), 0);
    free(m);
}

/* U+0000 is C0 80, never a raw 00; a supplementary character is 6 bytes. */
static void test_mutf8_nul_and_supplementary(void)
{
    uint8_t *m = NULL;
    size_t n = 0;
    static const char nul_in[] = "a\xc0\x80" "b";
    CU_ASSERT_TRUE_FATAL(jks_mutf8_encode(nul_in, 4, &m, &n));
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(memcmp(m, "a\xc0\x80" "b", 4), 0);
    CU_ASSERT_PTR_NULL(memchr(m, 0, n));
    free(m);
    /* U+10FFFF -> DBFF DFFF */
    CU_ASSERT_TRUE_FATAL(jks_mutf8_encode("\xf4\x8f\xbf\xbf", 4, &m, &n));
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_EQUAL(memcmp(m, "\xed\xaf\xbf\xed\xbf\xbf", 6), 0);
    free(m);
    /* U+10000 -> D800 DC00 */
    CU_ASSERT_TRUE_FATAL(jks_mutf8_encode("\xf0\x90\x80\x80", 4, &m, &n));
    CU_ASSERT_EQUAL(n, 6);
    CU_ASSERT_EQUAL(memcmp(m, "\xed\xa0\x80\xed\xb0\x80", 6), 0);
    free(m);
}

static void test_mutf8_round_trip(void)
{
    static const char *samples[] = {
        "", "plain ascii", "\xc3\x84rger-\xe2\x82\xac", "\xf0\x9d\x84\x9e-clef",
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "x\xc0\x80y\xc0\x80", "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf",
        "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf",
    };
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        uint8_t *m = NULL;
        char *back = NULL;
        size_t n, bn;
        const char *s = samples[i];
        CU_ASSERT_TRUE_FATAL(jks_mutf8_encode(s, strlen(s), &m, &n));
        CU_ASSERT_TRUE_FATAL(jks_mutf8_decode(m, n, &back, &bn));
        CU_ASSERT_EQUAL(bn, strlen(s));
        CU_ASSERT_STRING_EQUAL(back, s);
        free(m);
        free(back);
    }
}

/* Byte sequences Java's readUTF rejects are rejected; a raw NUL (which
 * DataInputStream accepts) decodes to U+0000. */
static void test_mutf8_malformed(void)
{
    static const struct {
        const char *b;
        size_t n;
    } bad[] = {
        {"\x80", 1}, {"\xc3", 1}, {"a\xc3", 2}, {"\xe2\x82", 2}, {"\xe2\x82\x41", 3},
        {"\xc3\x41", 2}, {"\xf0\x9d\x84\x9e", 4}, {"\xff", 1}, {"\xf8\x80\x80\x80\x80", 5},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *s = (char *)1;
        size_t n = 99;
        CU_ASSERT_FALSE(jks_mutf8_decode((const uint8_t *)bad[i].b, bad[i].n, &s, &n));
    }
    char *s = NULL;
    size_t n = 0;
    CU_ASSERT_TRUE_FATAL(jks_mutf8_decode((const uint8_t *)"a\0b", 3, &s, &n));
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(memcmp(s, "a\xc0\x80" "b", 4), 0);
    free(s);
    /* a failed decode leaves the cursor at the length prefix */
    static const uint8_t d[] = {0x00, 0x02, 0xc3, 0x41, 0x99};
    jks_cursor c;
    jks_cursor_init(&c, d, sizeof(d));
    s = NULL;
    CU_ASSERT_FALSE(jks_cursor_java_utf(&c, &s, &n));
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 0);
}

/* Encoding refuses what is not UTF-8 (so no alias is silently altered). */
static void test_mutf8_encode_rejects_invalid_utf8(void)
{
    static const char *bad[] = {"\xff", "\xc3", "\xc1\xbf", "\xe0\x80\x80", "\xf5\x80\x80\x80",
                                "\xf0\x80\x80\x80", "\x80"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t *m = NULL;
        size_t n;
        CU_ASSERT_FALSE(jks_mutf8_encode(bad[i], strlen(bad[i]), &m, &n));
    }
}

/* A lone surrogate decodes to its 3-byte form and encodes back unchanged. */
static void test_mutf8_lone_surrogate_survives(void)
{
    static const uint8_t lone[] = {'a', 0xed, 0xa0, 0xb4, 'b'};
    char *s = NULL;
    size_t n;
    uint8_t *m = NULL;
    size_t mn;
    CU_ASSERT_TRUE_FATAL(jks_mutf8_decode(lone, sizeof(lone), &s, &n));
    CU_ASSERT_EQUAL(n, 5);
    CU_ASSERT_TRUE_FATAL(jks_mutf8_encode(s, n, &m, &mn));
    CU_ASSERT_EQUAL(mn, sizeof(lone));
    CU_ASSERT_EQUAL(memcmp(m, lone, sizeof(lone)), 0);
    free(s);
    free(m);
}

/* Java password bytes: UTF-16BE code units (FORMATS.md 0.3). */
static void test_utf16be_passwords(void)
{
    uint8_t *o = NULL;
    size_t n;
    CU_ASSERT_TRUE_FATAL(jks_utf8_to_utf16be("ab", &o, &n));
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(memcmp(o, "\x00\x61\x00\x62", 4), 0);
    free(o);
    CU_ASSERT_TRUE_FATAL(jks_utf8_to_utf16be("st\xc3\xb6r", &o, &n));
    CU_ASSERT_EQUAL(n, 8);
    CU_ASSERT_EQUAL(memcmp(o, "\x00s\x00t\x00\xf6\x00r", 8), 0);
    free(o);
    CU_ASSERT_TRUE_FATAL(jks_utf8_to_utf16be("\xf0\x9d\x84\x9e", &o, &n));
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(memcmp(o, "\xd8\x34\xdd\x1e", 4), 0);
    free(o);
    CU_ASSERT_TRUE_FATAL(jks_utf8_to_utf16be("", &o, &n));
    CU_ASSERT_EQUAL(n, 0);
    free(o);
    /* not UTF-8: each byte taken as Latin-1 */
    CU_ASSERT_TRUE_FATAL(jks_utf8_to_utf16be("\xf6x", &o, &n));
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(memcmp(o, "\x00\xf6\x00x", 4), 0);
    free(o);
}

/* DER elements: short and long lengths read; non-minimal, indefinite,
 * high-tag and overlong forms refused without moving the cursor. */
static void test_der_elements(void)
{
    static const uint8_t ok1[] = {0x30, 0x03, 0x02, 0x01, 0x05, 0xAA};
    jks_cursor c, in;
    uint8_t tag = 0;
    jks_cursor_init(&c, ok1, sizeof(ok1));
    CU_ASSERT_TRUE(jks_cursor_der(&c, &tag, &in));
    CU_ASSERT_EQUAL(tag, 0x30);
    CU_ASSERT_EQUAL(jks_cursor_remaining(&in), 3);
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), 1);
    uint8_t big[3 + 200] = {0x04, 0x81, 200};
    jks_cursor_init(&c, big, sizeof(big));
    CU_ASSERT_TRUE(jks_cursor_der(&c, &tag, &in));
    CU_ASSERT_EQUAL(jks_cursor_remaining(&in), 200);
    static const uint8_t bad[][6] = {
        {0x04, 0x81, 0x05, 1, 2, 3},    /* long form for a short length */
        {0x04, 0x82, 0x00, 0x85, 1, 2}, /* leading zero length octet */
        {0x30, 0x80, 0x00, 0x00, 0, 0}, /* indefinite */
        {0x1F, 0x01, 0x00, 0, 0, 0},    /* high tag number */
        {0x04, 0x85, 1, 0, 0, 0},       /* five length octets */
        {0x04, 0x05, 1, 2, 3, 4},       /* longer than what remains */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        jks_cursor_init(&c, bad[i], sizeof(bad[i]));
        CU_ASSERT_FALSE(jks_cursor_der(&c, &tag, &in));
        CU_ASSERT_EQUAL(jks_cursor_remaining(&c), sizeof(bad[i]));
    }
}

static void test_der_typed(void)
{
    /* [0] {INTEGER 2}, INTEGER -129, INTEGER 0x7f, BOOLEAN TRUE, BOOLEAN 0x01 (not DER),
     * INTEGER 00 7f (not minimal) */
    static const uint8_t d[] = {0xA0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x02, 0xFF, 0x7F, 0x02, 0x01,
                                0x7F, 0x01, 0x01, 0xFF, 0x01, 0x01, 0x01, 0x02, 0x02, 0x00, 0x7F};
    jks_cursor c, v;
    int present = -1, b = -1;
    int64_t i = 0;
    uint8_t tag = 0;
    jks_cursor_init(&c, d, sizeof d);
    CU_ASSERT(jks_cursor_der_peek_tag(&c, &tag));
    CU_ASSERT_EQUAL(tag, 0xA0);
    CU_ASSERT(jks_cursor_der_optional(&c, 0xA1, &v, &present));
    CU_ASSERT_EQUAL(present, 0);
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), 0);
    CU_ASSERT(jks_cursor_der_optional(&c, 0xA0, &v, &present));
    CU_ASSERT_EQUAL(present, 1);
    CU_ASSERT(jks_cursor_der_int64(&v, &i));
    CU_ASSERT_EQUAL(i, 2);
    CU_ASSERT(jks_cursor_der_int64(&c, &i));
    CU_ASSERT_EQUAL(i, -129);
    CU_ASSERT(!jks_cursor_der_bool(&c, &b)); /* an INTEGER: refused, cursor unchanged */
    CU_ASSERT(jks_cursor_der_int64(&c, &i));
    CU_ASSERT_EQUAL(i, 127);
    CU_ASSERT(jks_cursor_der_bool(&c, &b));
    CU_ASSERT_EQUAL(b, 1);
    size_t at = jks_cursor_offset(&c);
    CU_ASSERT(!jks_cursor_der_bool(&c, &b));
    CU_ASSERT_EQUAL(jks_cursor_offset(&c), at);
    CU_ASSERT(jks_cursor_skip(&c, 3));
    CU_ASSERT(!jks_cursor_der_int64(&c, &i));
    CU_ASSERT_EQUAL(jks_cursor_remaining(&c), 4);
    jks_cursor_init(&c, d, 0);
    CU_ASSERT(!jks_cursor_der_peek_tag(&c, &tag));
}

/* BER to DER: each BER form DER forbids becomes its DER form; DER input is
 * not copied; input the walker does not take names the element at fault. */
static void ber_case(const uint8_t *in, size_t n, const uint8_t *want, size_t want_n)
{
    uint8_t *out = NULL;
    size_t out_len = 0, bad = 99;
    CU_ASSERT_EQUAL_FATAL(jks_ber_to_der(in, n, &out, &out_len, &bad), 1);
    if (!want) {
        CU_ASSERT_PTR_NULL(out);
        return;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    CU_ASSERT_EQUAL(out_len, want_n);
    CU_ASSERT_EQUAL(memcmp(out, want, want_n < out_len ? want_n : out_len), 0);
    /* the copy is DER: a second pass leaves it alone */
    uint8_t *again = NULL;
    size_t again_len = 0;
    CU_ASSERT_EQUAL(jks_ber_to_der(out, out_len, &again, &again_len, &bad), 1);
    CU_ASSERT_PTR_NULL(again);
    jks_buffer_free(out, out_len);
}

static void test_ber_to_der(void)
{
#define B(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
    /* DER already (an OCTET STRING's BER-looking contents stay opaque) */
    ber_case(B(0x30, 0x03, 0x02, 0x01, 0x05), NULL, 0);
    ber_case(B(0x04, 0x04, 0x30, 0x80, 0x00, 0x00), NULL, 0);
    /* indefinite length */
    ber_case(B(0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00), B(0x30, 0x03, 0x02, 0x01, 0x05));
    /* constructed OCTET STRING, definite and nested indefinite chunks */
    ber_case(B(0x24, 0x08, 0x04, 0x02, 0xAA, 0xBB, 0x04, 0x02, 0xCC, 0xDD),
             B(0x04, 0x04, 0xAA, 0xBB, 0xCC, 0xDD));
    ber_case(B(0x30, 0x80, 0x24, 0x80, 0x04, 0x01, 0xAA, 0x24, 0x80, 0x04, 0x01, 0xBB, 0x00,
               0x00, 0x00, 0x00, 0x00, 0x00),
             B(0x30, 0x04, 0x04, 0x02, 0xAA, 0xBB));
    /* BMPString in chunks; context-specific constructed [0] stays constructed */
    ber_case(B(0x3E, 0x80, 0x1E, 0x02, 0x00, 0x41, 0x00, 0x00), B(0x1E, 0x02, 0x00, 0x41));
    ber_case(B(0xA0, 0x80, 0x04, 0x01, 0x01, 0x00, 0x00), B(0xA0, 0x03, 0x04, 0x01, 0x01));
    /* lengths longer than needed */
    ber_case(B(0x04, 0x81, 0x02, 0xAA, 0xBB), B(0x04, 0x02, 0xAA, 0xBB));
    ber_case(B(0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05), B(0x30, 0x03, 0x02, 0x01, 0x05));
    /* an indefinite element whose DER length needs two octets */
    uint8_t in[2 + 4 + 300 + 2], want[4 + 4 + 300];
    memset(in, 0x5A, sizeof(in));
    memcpy(in, (uint8_t[]){0x30, 0x80, 0x04, 0x82, 0x01, 0x2C}, 6);
    in[sizeof(in) - 2] = 0, in[sizeof(in) - 1] = 0;
    memset(want, 0x5A, sizeof(want));
    memcpy(want, (uint8_t[]){0x30, 0x82, 0x01, 0x30, 0x04, 0x82, 0x01, 0x2C}, 8);
    ber_case(in, sizeof(in), want, sizeof(want));

    static const struct {
        uint8_t b[8];
        size_t n, at;
    } bad[] = {
        {{0x00, 0x00}, 2, 0},                               /* end-of-contents at the top */
        {{0x30, 0x05, 0x02, 0x01, 0x05}, 5, 0},             /* cut short */
        {{0x30, 0x80, 0x02, 0x01, 0x05}, 5, 5},             /* no end-of-contents: where it ends */
        {{0x04, 0x80, 0x00, 0x00}, 4, 0},                   /* primitive, indefinite */
        {{0x24, 0x80, 0x0C, 0x01, 0x41, 0x00, 0x00}, 7, 2}, /* chunk of another type */
        {{0x30, 0x03, 0x1F, 0x01, 0x00}, 5, 2},             /* high tag number */
        {{0x30, 0x03, 0x02, 0x05, 0x00}, 5, 2},             /* child past its parent */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint8_t *out = (uint8_t *)1;
        size_t out_len = 1, at = 99;
        CU_ASSERT_EQUAL(jks_ber_to_der(bad[i].b, bad[i].n, &out, &out_len, &at), 0);
        CU_ASSERT_PTR_NULL(out);
        CU_ASSERT_EQUAL(at, bad[i].at);
    }
    /* nesting is bounded: 100 indefinite SEQUENCEs */
    uint8_t deep[400];
    for (size_t i = 0; i < 100; i++)
        deep[2 * i] = 0x30, deep[2 * i + 1] = 0x80;
    memset(deep + 200, 0, 200);
    uint8_t *out = NULL;
    size_t out_len = 0, at = 0;
    CU_ASSERT_EQUAL(jks_ber_to_der(deep, sizeof(deep), &out, &out_len, &at), 0);
    CU_ASSERT(at > 0 && at < 200);
    /* the size of the first whole element, whatever follows it */
    size_t size = 0;
    CU_ASSERT_TRUE(jks_ber_element_size(B(0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0x78, 0x79), &size));
    CU_ASSERT_EQUAL(size, 7);
    CU_ASSERT_TRUE(jks_ber_element_size(B(0x04, 0x01, 0xAA), &size));
    CU_ASSERT_EQUAL(size, 3);
    CU_ASSERT_FALSE(jks_ber_element_size(B(0x30, 0x80, 0x02, 0x01, 0x05, 0x00), &size));
#undef B
}

int main(void)
{
    static const test_case cases[] = {
        {"big-endian integers", test_big_endian_integers},
        {"failed read leaves cursor unchanged", test_failed_read_leaves_cursor_unchanged},
        {"length prefix longer than input fails and rewinds", test_prefix_longer_than_input},
        {"prefixed child cannot read past its part", test_prefixed_child_is_fenced},
        {"NULL input is empty", test_null_input_is_empty},
        {"mutf8: FORMATS 0.1 worked example decodes", test_mutf8_worked_example_decodes},
        {"mutf8: FORMATS 0.1 worked example encodes", test_mutf8_worked_example_encodes},
        {"mutf8: U+0000 as C0 80, supplementary as 6 bytes", test_mutf8_nul_and_supplementary},
        {"mutf8: encode/decode round trip", test_mutf8_round_trip},
        {"mutf8: malformed input rejected", test_mutf8_malformed},
        {"mutf8: encode rejects invalid UTF-8", test_mutf8_encode_rejects_invalid_utf8},
        {"mutf8: lone surrogate survives a round trip", test_mutf8_lone_surrogate_survives},
        {"UTF-16BE password bytes", test_utf16be_passwords},
        {"DER elements: DER lengths only", test_der_elements},
        {"DER typed getters: optional, INTEGER, BOOLEAN", test_der_typed},
        {"BER to DER at the edge", test_ber_to_der},
    };
    return run_suite("cursor", cases, sizeof(cases) / sizeof(cases[0]));
}
