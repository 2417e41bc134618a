/* CUnit suite "alias": Java's alias lower-casing (jks/alias.c, FORMATS.md
 * 1.2). The expected bytes are what JDK 17 prints for
 * s.toLowerCase(Locale.ENGLISH).getBytes("UTF-8") (run once, pasted here). */
#include "store.h"
#include "testutil.h"

#include <string.h>

static size_t unhex(const char *h, char *out)
{
    size_t n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (char)v;
    }
    out[n] = 0;
    return n;
}

static const struct {
    const char *in, *want, *what;
} java[] = {
    {"4d6978656443617365", "6d6978656463617365", "ASCII"},
    {"c384726765722de282ac", "c3a4726765722de282ac", "Latin-1 letter"},
    {"f09d849e2d436c6566", "f09d849e2d636c6566", "supplementary kept, ASCII lowered"},
    {"55505045522e5472757374", "75707065722e7472757374", "dots"},
    {"c4b07374616e62756c", "69cc877374616e62756c", "U+0130 -> i U+0307"},
    {"cea3ce91cea3", "cf83ceb1cf82", "final sigma"},
    {"e284a6686d", "cf89686d", "OHM SIGN 3 -> 2 bytes"},
    {"e284aa656c76696e", "6b656c76696e", "KELVIN SIGN 3 -> 1 byte"},
    {"f090908078", "f09090a878", "Deseret (4 bytes)"},
    {"e1ba9e", "c39f", "capital sharp s"},
    {"c785", "c786", "titlecase Dz"},
    {"49", "69", "I in English"},
    {"c39f", "c39f", "sharp s unchanged"},
    {"d080d0af", "d190d18f", "Cyrillic"},
    {"efbca1efbca2", "efbd81efbd82", "fullwidth"},
};

static void test_matches_java_to_lower_case_english(void)
{
    for (size_t i = 0; i < sizeof(java) / sizeof(java[0]); i++) {
        char in[64], want[64];
        unhex(java[i].in, in);
        unhex(java[i].want, want);
        char *got = jks_alias_java_lower(in);
        CU_ASSERT_PTR_NOT_NULL_FATAL(got);
        if (strcmp(got, want))
            fprintf(stderr, "\n  %s: %s gave a different result\n", java[i].what, java[i].in);
        CU_ASSERT_STRING_EQUAL(got, want);
        free(got);
    }
}

/* Our U+0000 (C0 80), lone surrogates and bytes that are not UTF-8 are
 * passed through unchanged; the empty alias stays empty. */
static void test_passes_through_what_is_not_a_letter(void)
{
    static const char *same[] = {"", ("a\xc0\x80" "b"), "\xed\xa0\xb4", "\xff\xfe", "123-_.", "\xc3"};
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        char *got = jks_alias_java_lower(same[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(got);
        CU_ASSERT_STRING_EQUAL(got, same[i]);
        free(got);
    }
    char *got = jks_alias_java_lower("A\xc0\x80" "B\xff" "C");
    CU_ASSERT_STRING_EQUAL(got, "a\xc0\x80" "b\xff" "c");
    free(got);
}

static void test_compare_after_lowering(void)
{
    CU_ASSERT_EQUAL(jks_alias_java_cmp("MyKey", "mykey"), 0);
    CU_ASSERT_EQUAL(jks_alias_java_cmp("\xc3\x84rger", "\xc3\xa4rger"), 0);
    CU_ASSERT_NOT_EQUAL(jks_alias_java_cmp("a", "b"), 0);
    CU_ASSERT_NOT_EQUAL(jks_alias_java_cmp("", "a"), 0);
    CU_ASSERT_EQUAL(jks_alias_java_cmp("", ""), 0);
}

/* Long aliases: every byte is lowered, nothing is cut. */
static void test_long_alias(void)
{
    size_t n = 65535;
    char *s = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)('A' + i % 26);
    s[n] = 0;
    char *got = jks_alias_java_lower(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_EQUAL(strlen(got), n);
    CU_ASSERT_EQUAL(got[0], 'a');
    CU_ASSERT_EQUAL(got[n - 1], 'a' + (n - 1) % 26);
    free(got);
    /* the one mapping that grows, many times over */
    char *t = malloc(2 * 1000 + 1);
    for (int i = 0; i < 1000; i++)
        memcpy(t + 2 * i, "\xc4\xb0", 2);
    t[2000] = 0;
    got = jks_alias_java_lower(t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    CU_ASSERT_EQUAL(strlen(got), 3000);
    CU_ASSERT_EQUAL(memcmp(got + 2997, "i\xcc\x87", 3), 0);
    free(got);
    free(t);
    free(s);
}

int main(void)
{
    static const test_case cases[] = {
        {"matches Java toLowerCase(Locale.ENGLISH)", test_matches_java_to_lower_case_english},
        {"passes through what is not a letter", test_passes_through_what_is_not_a_letter},
        {"compares after lowering", test_compare_after_lowering},
        {"long aliases", test_long_alias},
    };
    return run_suite("alias", cases, sizeof(cases) / sizeof(cases[0]));
}
