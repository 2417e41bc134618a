/* Suite "secret": secret keys as keytool -genseckey and -importpass make
 * them (ops/secret.c): Java's KeyGenerator names, sizes and messages, DES
 * parity, password keys, and the JCEKS/PKCS#12 round trip of each. */
#include "jks/ops.h"
#include "testutil.h"

#include <string.h>

static void test_spec_follows_javas_keygenerators(void)
{
    jks_secret_spec sp;
    jks_error err;
    CU_ASSERT_EQUAL(jks_secret_key_spec("aes", 192, &sp, &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(sp.algorithm, "AES");
    CU_ASSERT_EQUAL(sp.key_len, 24);
    CU_ASSERT_EQUAL(jks_secret_key_spec("DES", 0, &sp, &err), JKS_OK);
    CU_ASSERT(sp.bits == 56 && sp.key_len == 8);
    CU_ASSERT_EQUAL(jks_secret_key_spec("TripleDES", 0, &sp, &err), JKS_OK);
    CU_ASSERT(sp.bits == 168 && sp.key_len == 24 && !strcmp(sp.algorithm, "DESede"));
    CU_ASSERT_EQUAL(jks_secret_key_spec("HmacSHA256", 100, &sp, &err), JKS_OK);
    CU_ASSERT(sp.key_len == 13 && sp.pkcs12);
    CU_ASSERT_EQUAL(jks_secret_key_spec("RC4", 40, &sp, &err), JKS_OK);
    CU_ASSERT_STRING_EQUAL(sp.algorithm, "ARCFOUR");
    CU_ASSERT_EQUAL(jks_secret_key_spec("Blowfish", 128, &sp, &err), JKS_OK);
    CU_ASSERT_EQUAL(sp.pkcs12, 0);
    /* Java's refusals, with its words */
    CU_ASSERT_EQUAL(jks_secret_key_spec("AES", 64, &sp, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.msg, "Wrong keysize: must be equal to 128, 192 or 256");
    CU_ASSERT_EQUAL(jks_secret_key_spec("AES", 0, &sp, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.msg, "Please provide -keysize for secret key generation");
    CU_ASSERT_EQUAL(jks_secret_key_spec("HmacSHA1", 39, &sp, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_secret_key_spec("Blowfish", 36, &sp, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_secret_key_spec("FOO", 128, &sp, &err), JKS_ERR_FORMAT);
    CU_ASSERT_STRING_EQUAL(err.msg, "FOO KeyGenerator not available");
    CU_ASSERT_EQUAL(jks_secret_key_spec(NULL, 128, &sp, &err), JKS_ERR_USAGE);
}

static int odd_parity(const uint8_t *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ones = 0;
        for (int b = 0; b < 8; b++)
            ones += (k[i] >> b) & 1;
        if (!(ones & 1))
            return 0;
    }
    return 1;
}

/* Write st as format f and read it back: the secret keys as written. */
static jks_store *round_trip(jks_store *st, jks_format f)
{
    jks_write_opts wo = JKS_WRITE_OPTS_INIT;
    jks_read_opts ro;
    jks_error err;
    uint8_t *buf = NULL;
    size_t len = 0;
    jks_store *back = NULL;
    wo.format = f;
    wo.storepass = "changeit";
    memset(&ro, 0, sizeof(ro));
    ro.storepass = "changeit";
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &wo, &buf, &len, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_read(buf, len, &ro, &back, &err), JKS_OK);
    jks_buffer_free(buf, len);
    return back;
}

static void test_generated_keys_round_trip(void)
{
    jks_error err;
    jks_store *st = jks_store_new(JKS_FORMAT_JCEKS);
    CU_ASSERT_EQUAL(jks_store_generate_secret_key(st, "a", "AES", 256, 1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_generate_secret_key(st, "d", "DESede", 112, 1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_generate_secret_key(st, "h", "HmacSHA512", 1024, 1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_generate_secret_key(st, "x", "AES", 100, 1, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_store_generate_secret_key(st, "a", "AES", 128, 1, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_store_count(st), 3);
    const jks_entry *d = jks_store_find(st, "d");
    jks_bytes k = jks_entry_secret(d);
    CU_ASSERT(k.len == 24 && odd_parity(k.data, 24) && !memcmp(k.data, k.data + 16, 8));
    CU_ASSERT(memcmp(jks_entry_secret(jks_store_find(st, "a")).data, k.data, 24) != 0);
    for (int f = 0; f < 2; f++) {
        jks_store *back = round_trip(st, f ? JKS_FORMAT_PKCS12 : JKS_FORMAT_JCEKS);
        CU_ASSERT_FATAL(back != NULL);
        for (size_t i = 0; i < jks_store_count(st); i++) {
            const jks_entry *e = jks_store_entry(st, i);
            const jks_entry *b = jks_store_find(back, jks_entry_alias(e));
            CU_ASSERT_FATAL(b != NULL);
            CU_ASSERT_STRING_EQUAL(jks_entry_secret_algorithm(b), jks_entry_secret_algorithm(e));
            jks_bytes x = jks_entry_secret(e), y = jks_entry_secret(b);
            CU_ASSERT(x.len == y.len && !memcmp(x.data, y.data, x.len));
        }
        jks_store_free(back);
    }
    /* JKS cannot hold secret keys */
    jks_write_opts wo = JKS_WRITE_OPTS_INIT;
    uint8_t *buf = NULL;
    size_t len = 0;
    wo.format = JKS_FORMAT_JKS;
    wo.storepass = "changeit";
    CU_ASSERT_NOT_EQUAL(jks_store_write(st, &wo, &buf, &len, &err), JKS_OK);
    jks_buffer_free(buf, len);
    jks_store_free(st);
}

static void test_password_entries(void)
{
    jks_error err;
    jks_store *st = jks_store_new(JKS_FORMAT_JCEKS);
    CU_ASSERT_EQUAL(jks_store_add_password(st, "pw", "Secret-1 x~", 1, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_password(st, "e", "", 1, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_store_add_password(st, "n", "s\xc3\xa9", 1, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.msg, "Password is not ASCII");
    CU_ASSERT_EQUAL(jks_store_add_password(st, "t", "a\tb", 1, &err), JKS_ERR_USAGE);
    CU_ASSERT_EQUAL(jks_store_count(st), 1);
    for (int f = 0; f < 2; f++) {
        jks_store *back = round_trip(st, f ? JKS_FORMAT_PKCS12 : JKS_FORMAT_JCEKS);
        CU_ASSERT_FATAL(back != NULL);
        const jks_entry *b = jks_store_find(back, "pw");
        CU_ASSERT_FATAL(b != NULL);
        CU_ASSERT_STRING_EQUAL(jks_entry_secret_algorithm(b), JKS_PASSWORD_KEY_ALG);
        jks_bytes y = jks_entry_secret(b);
        CU_ASSERT(y.len == 11 && !memcmp(y.data, "Secret-1 x~", 11));
        jks_store_free(back);
    }
    jks_store_free(st);
}

int main(void)
{
    static const test_case cases[] = {
        {"sizes and names as Java's KeyGenerators", test_spec_follows_javas_keygenerators},
        {"generated keys: parity, JCEKS and PKCS#12 round trip, not JKS",
         test_generated_keys_round_trip},
        {"password entries: printable ASCII, PBE key in JCEKS and PKCS#12",
         test_password_entries},
    };
    return run_suite("secret", cases, sizeof(cases) / sizeof(cases[0]));
}
