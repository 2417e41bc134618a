/* CUnit suite "protect": the JKS KeyProtector (FORMATS.md 2), Sun's
 * PBEWithMD5AndTripleDES with its equal-salt-halves quirk (3.4), the PKCS#8
 * structures of jks/pkcs8.c and the EncryptedPrivateKeyInfo dispatch of
 * jks/protect.c. Known answers come from FORMATS.md 2.3 and from JDK 17's
 * javax.crypto.Cipher("PBEWithMD5AndTripleDES") (printed once, pasted here). */
#include "cursor.h"
#include "pkcs8.h"
#include "protect.h"
#include "testutil.h"

#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <string.h>

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (uint8_t)v;
    }
    return n;
}

/* FORMATS.md 2.3: the EC P-256 key, password "changeit". */
static const char ex_salt[] = "89850365f9206511604d2628171d326f66fc3abc";
static const char ex_cipher_prefix[] = "9c5fedbc7edbc576a65f788c3d8d6e851788863f13354e27ac99";
static const char ex_d1[] = "ac1eefbd7eebd670a175fec4f3b06c841180acb9";
static const char ex_check[] = "7f269c401098fd76603aea01772b5e46a341d9fc";
static const char ex_plain[] =
    "3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420"
    "7f56dc562c4bbccb503f49084319f66d44aa974269d3992c32343952ee6f11bc";
static const uint8_t changeit16[] = {0, 'c', 0, 'h', 0, 'a', 0, 'n', 0, 'g', 0, 'e', 0, 'i', 0, 't'};

static void sha1_2(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, uint8_t out[20])
{
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    EVP_DigestInit_ex(c, EVP_sha1(), NULL);
    EVP_DigestUpdate(c, a, an);
    EVP_DigestUpdate(c, b, bn);
    EVP_DigestFinal_ex(c, out, NULL);
    EVP_MD_CTX_free(c);
}

/* The 107-byte protected blob of 2.3, built here from the listed salt and
 * plaintext as FORMATS.md 2.2 describes (D_i = SHA1(P || D_i-1)). */
static size_t example_blob(uint8_t blob[107], uint8_t plain[67])
{
    uint8_t d[20];
    CU_ASSERT_EQUAL(unhex(ex_plain, plain), 67);
    CU_ASSERT_EQUAL(unhex(ex_salt, blob), 20);
    memcpy(d, blob, 20);
    for (size_t off = 0; off < 67; off += 20) {
        sha1_2(changeit16, sizeof(changeit16), d, 20, d);
        for (size_t i = 0; i < 20 && off + i < 67; i++)
            blob[20 + off + i] = plain[off + i] ^ d[i];
    }
    sha1_2(changeit16, sizeof(changeit16), plain, 67, blob + 87);
    return 107;
}

static void test_keyprotector_worked_example(void)
{
    uint8_t blob[107], plain[67], want[32], d1[20];
    uint8_t *out = NULL;
    size_t n = 0;
    example_blob(blob, plain);
    /* the intermediate values FORMATS.md lists */
    sha1_2(changeit16, sizeof(changeit16), blob, 20, d1);
    CU_ASSERT_EQUAL(unhex(ex_d1, want), 20);
    CU_ASSERT_EQUAL(memcmp(d1, want, 20), 0);
    CU_ASSERT_EQUAL(unhex(ex_cipher_prefix, want), 26);
    CU_ASSERT_EQUAL(memcmp(blob + 20, want, 26), 0);
    CU_ASSERT_EQUAL(unhex(ex_check, want), 20);
    CU_ASSERT_EQUAL(memcmp(blob + 87, want, 20), 0);

    CU_ASSERT_EQUAL_FATAL(jks_keyprotector_decrypt(blob, 107, changeit16, sizeof(changeit16), &out, &n),
                          JKS_OK);
    CU_ASSERT_EQUAL(n, 67);
    CU_ASSERT_EQUAL(memcmp(out, plain, 67), 0);
    free(out);
}

static void test_keyprotector_rejects(void)
{
    uint8_t blob[107], plain[67];
    uint8_t *out = (uint8_t *)1;
    size_t n = 5;
    example_blob(blob, plain);
    static const uint8_t wrong16[] = {0, 'C', 0, 'h', 0, 'a', 0, 'n', 0, 'g', 0, 'e', 0, 'i', 0, 't'};
    CU_ASSERT_EQUAL(jks_keyprotector_decrypt(blob, 107, wrong16, sizeof(wrong16), &out, &n),
                    JKS_ERR_PASSWORD);
    CU_ASSERT_PTR_NULL(out);
    CU_ASSERT_EQUAL(n, 0);
    /* the ASCII password as single bytes is not Java's password */
    CU_ASSERT_EQUAL(jks_keyprotector_decrypt(blob, 107, (const uint8_t *)"changeit", 8, &out, &n),
                    JKS_ERR_PASSWORD);
    blob[50] ^= 0x80;
    CU_ASSERT_EQUAL(jks_keyprotector_decrypt(blob, 107, changeit16, sizeof(changeit16), &out, &n),
                    JKS_ERR_PASSWORD);
    blob[50] ^= 0x80;
    blob[106] ^= 0x01;
    CU_ASSERT_EQUAL(jks_keyprotector_decrypt(blob, 107, changeit16, sizeof(changeit16), &out, &n),
                    JKS_ERR_PASSWORD);
    /* salt + check and nothing else: too short */
    CU_ASSERT_EQUAL(jks_keyprotector_decrypt(blob, 40, changeit16, sizeof(changeit16), &out, &n),
                    JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(jks_keyprotector_decrypt(blob, 0, changeit16, sizeof(changeit16), &out, &n),
                    JKS_ERR_FORMAT);
}

static void test_keyprotector_round_trip_fresh_salt(void)
{
    uint8_t plain[67], blob[107];
    uint8_t *b1 = NULL, *b2 = NULL, *out = NULL;
    size_t n1, n2, n;
    uint8_t *pw16;
    size_t pw16_len;
    example_blob(blob, plain);
    CU_ASSERT_TRUE_FATAL(jks_utf8_to_utf16be("k\xc3\xa9ypass", &pw16, &pw16_len));
    CU_ASSERT_EQUAL(jks_keyprotector_encrypt(plain, 67, pw16, pw16_len, &b1, &n1), JKS_OK);
    CU_ASSERT_EQUAL(jks_keyprotector_encrypt(plain, 67, pw16, pw16_len, &b2, &n2), JKS_OK);
    CU_ASSERT_EQUAL(n1, 107);
    CU_ASSERT_NOT_EQUAL(memcmp(b1, b2, 20), 0);
    CU_ASSERT_EQUAL(memcmp(b1 + 87, b2 + 87, 20), 0); /* check depends on password and plaintext only */
    CU_ASSERT_EQUAL_FATAL(jks_keyprotector_decrypt(b2, n2, pw16, pw16_len, &out, &n), JKS_OK);
    CU_ASSERT_EQUAL(memcmp(out, plain, 67), 0);
    free(out);
    free(b1);
    free(b2);
    free(pw16);
}

/* ---- EncryptedPrivateKeyInfo through libtasn1 ---- */

static const uint8_t oid_kp[] = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x2a, 0x02, 0x11, 0x01, 0x01};

/* 30 L 30 0e|0c OID [05 00] 04 6b blob */
static size_t wrap(const uint8_t *blob, size_t bn, int with_null, uint8_t *out)
{
    size_t alg = sizeof(oid_kp) + (with_null ? 2 : 0);
    size_t inner = 2 + alg + 2 + bn;
    size_t k = 0;
    out[k++] = 0x30;
    out[k++] = (uint8_t)inner;
    out[k++] = 0x30;
    out[k++] = (uint8_t)alg;
    memcpy(out + k, oid_kp, sizeof(oid_kp));
    k += sizeof(oid_kp);
    if (with_null) {
        out[k++] = 0x05;
        out[k++] = 0x00;
    }
    out[k++] = 0x04;
    out[k++] = (uint8_t)bn;
    memcpy(out + k, blob, bn);
    return k + bn;
}

/* JDK 17 writes NULL parameters; JDK 21+ writes none. Both parse, and both
 * decrypt through jks_epki_decrypt to the example's PKCS#8. */
static void test_epki_null_and_absent_params(void)
{
    uint8_t blob[107], plain[67], der[140];
    example_blob(blob, plain);
    for (int with_null = 1; with_null >= 0; with_null--) {
        size_t n = wrap(blob, 107, with_null, der);
        CU_ASSERT_EQUAL(n, with_null ? 127 : 125);
        jks_epki e;
        CU_ASSERT_TRUE_FATAL(jks_epki_parse(der, n, &e));
        CU_ASSERT_STRING_EQUAL(e.oid, JKS_OID_KEYPROTECTOR);
        CU_ASSERT_EQUAL(e.data_len, 107);
        CU_ASSERT_EQUAL(memcmp(e.data, blob, 107), 0);
        if (with_null) {
            CU_ASSERT_EQUAL(e.params_len, 2);
            CU_ASSERT_TRUE(e.params && !memcmp(e.params, "\x05\x00", 2));
        } else {
            CU_ASSERT_PTR_NULL(e.params);
            CU_ASSERT_EQUAL(e.params_len, 0);
        }
        jks_epki_clear(&e);
        CU_ASSERT_PTR_NULL(e.data);

        uint8_t *out = NULL;
        size_t on = 0;
        jks_protection prot = JKS_PROT_NONE;
        jks_error err;
        jks_error_clear(&err);
        CU_ASSERT_EQUAL_FATAL(jks_epki_decrypt(der, n, "changeit", 0, &out, &on, &prot, &err), JKS_OK);
        CU_ASSERT_EQUAL(prot, JKS_PROT_JKS);
        CU_ASSERT_EQUAL(on, 67);
        CU_ASSERT_EQUAL(memcmp(out, plain, 67), 0);
        free(out);
        CU_ASSERT_EQUAL(jks_epki_decrypt(der, n, "changeiT", 0, &out, &on, &prot, &err),
                        JKS_ERR_PASSWORD);
        CU_ASSERT_PTR_NULL(out);

        /* the builder writes the same two shapes */
        uint8_t *b = NULL;
        size_t bn = 0;
        CU_ASSERT_TRUE_FATAL(jks_epki_build(JKS_OID_KEYPROTECTOR, with_null ? (const uint8_t *)"\x05\x00" : NULL,
                                            with_null ? 2 : 0, blob, 107, &b, &bn));
        CU_ASSERT_EQUAL(bn, n);
        CU_ASSERT_EQUAL(memcmp(b, der, n), 0);
        free(b);
    }
}

static void test_epki_rejects_malformed(void)
{
    uint8_t blob[107], plain[67], der[200];
    jks_epki e;
    example_blob(blob, plain);
    size_t n = wrap(blob, 107, 1, der);
    der[n] = 0;
    CU_ASSERT_FALSE(jks_epki_parse(der, n + 1, &e)); /* trailing byte */
    CU_ASSERT_FALSE(jks_epki_parse(der, n - 1, &e)); /* truncated */
    CU_ASSERT_FALSE(jks_epki_parse(der, 0, &e));
    for (size_t cut = 0; cut < n; cut++)
        CU_ASSERT_FALSE(jks_epki_parse(der, cut, &e));
    /* wrong outer tag */
    der[0] = 0x31;
    CU_ASSERT_FALSE(jks_epki_parse(der, n, &e));
    der[0] = 0x30;
    /* jks_epki_decrypt reports FORMAT, not PASSWORD */
    uint8_t *out = NULL;
    size_t on;
    jks_protection prot;
    jks_error err;
    jks_error_clear(&err);
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, n - 1, "changeit", 0, &out, &on, &prot, &err), JKS_ERR_FORMAT);
    /* a blob shorter than salt + check */
    size_t m = wrap(blob, 40, 1, der);
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, m, "changeit", 0, &out, &on, &prot, &err), JKS_ERR_FORMAT);
}

/* PBEParameter: FORMATS.md 3.4's 200000 iterations = 02 03 03 0d 40. */
static void test_pbe_param(void)
{
    static const uint8_t salt[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t *d = NULL, s[16];
    size_t n = 0, sl;
    uint32_t it;
    CU_ASSERT_TRUE_FATAL(jks_pbe_param_build(salt, 8, 200000, &d, &n));
    CU_ASSERT_EQUAL(n, 17);
    CU_ASSERT_EQUAL(memcmp(d, "\x30\x0f\x04\x08\x01\x02\x03\x04\x05\x06\x07\x08\x02\x03\x03\x0d\x40", 17), 0);
    CU_ASSERT_TRUE(jks_pbe_param_parse(d, n, s, sizeof(s), &sl, &it));
    CU_ASSERT_EQUAL(sl, 8);
    CU_ASSERT_EQUAL(it, 200000);
    free(d);
    /* 128 needs a leading zero; 0xffffffff needs five bytes */
    CU_ASSERT_TRUE_FATAL(jks_pbe_param_build(salt, 8, 128, &d, &n));
    CU_ASSERT_EQUAL(memcmp(d + 12, "\x02\x02\x00\x80", 4), 0);
    free(d);
    CU_ASSERT_TRUE_FATAL(jks_pbe_param_build(salt, 8, 0xffffffffu, &d, &n));
    CU_ASSERT_EQUAL(memcmp(d + 12, "\x02\x05\x00\xff\xff\xff\xff", 7), 0);
    CU_ASSERT_TRUE(jks_pbe_param_parse(d, n, s, sizeof(s), &sl, &it));
    CU_ASSERT_EQUAL(it, 0xffffffffu);
    free(d);
    /* negative, and longer than 32 bits */
    static const uint8_t neg[] = {0x30, 0x0d, 0x04, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x02, 0x01, 0xff};
    CU_ASSERT_FALSE(jks_pbe_param_parse(neg, sizeof(neg), s, sizeof(s), &sl, &it));
    static const uint8_t big[] = {0x30, 0x11, 0x04, 0x08, 1, 2, 3, 4, 5, 6, 7, 8,
                                  0x02, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00};
    CU_ASSERT_FALSE(jks_pbe_param_parse(big, sizeof(big), s, sizeof(s), &sl, &it));
    /* a salt larger than the caller's room */
    CU_ASSERT_TRUE_FATAL(jks_pbe_param_build(s, 16, 1000, &d, &n));
    uint8_t small[8];
    CU_ASSERT_FALSE(jks_pbe_param_parse(d, n, small, sizeof(small), &sl, &it));
    free(d);
}

/* ---- PBEWithMD5AndTripleDES ---- */

/* JDK 17: Cipher "PBEWithMD5AndTripleDES", password "changeit", 1000
 * iterations, plaintext = the 2.3 example's PKCS#8. */
static const char kat_salt_plain[] = "0011223344556677";
static const char kat_ct_plain[] =
    "0e1a88f8ea62bda88a9e5aefa3939e403e3f50568b7ce39d8740f95f5996e62e9136b0933a1067b17a59c24a5956b4"
    "9126bc2d31e370598f621d95868689386b493ae9c7a41392d2";
static const char kat_salt_equal[] = "0102030401020304";
static const char kat_ct_equal[] =
    "f91b00dfb9795d8446487547e95e7a8d92fb71c4fc2dd40e21c469252bff5fdf0b5fc7970d06966e0cdc711d4c7647"
    "7ccad010b266949f806f88d68926b7567991c014249068083e";

static void check_kat(const char *salt_hex, const char *ct_hex)
{
    uint8_t salt[8], ct[80], plain[67];
    uint8_t *out = NULL;
    size_t n = 0;
    unhex(salt_hex, salt);
    size_t ctn = unhex(ct_hex, ct);
    unhex(ex_plain, plain);
    CU_ASSERT_EQUAL(ctn, 72);
    CU_ASSERT_EQUAL_FATAL(jks_pbe3des_crypt(1, plain, 67, (const uint8_t *)"changeit", 8, salt, 1000, 0,
                                            &out, &n),
                          JKS_OK);
    CU_ASSERT_EQUAL(n, 72);
    CU_ASSERT_EQUAL(memcmp(out, ct, 72), 0);
    free(out);
    CU_ASSERT_EQUAL_FATAL(jks_pbe3des_crypt(0, ct, 72, (const uint8_t *)"changeit", 8, salt, 1000, 0,
                                            &out, &n),
                          JKS_OK);
    CU_ASSERT_EQUAL(n, 67);
    CU_ASSERT_EQUAL(memcmp(out, plain, 67), 0);
    free(out);
}

static void test_pbe3des_java_known_answer(void) { check_kat(kat_salt_plain, kat_ct_plain); }

/* Equal salt halves: the modern (JDK 17/25) reversal of the first half. */
static void test_pbe3des_equal_halves_modern(void) { check_kat(kat_salt_equal, kat_ct_equal); }

/* Our own derivation of the legacy form (a b c d -> d a b d, FORMATS.md 3.4)
 * to check jks_pbe3des_crypt(legacy=1) against. */
static void legacy_encrypt(const uint8_t *in, size_t n, const char *pw, const uint8_t salt[8],
                           uint32_t it, uint8_t *out, int *outl)
{
    uint8_t s[8], kiv[32];
    memcpy(s, salt, 8);
    s[0] = salt[3];
    s[1] = salt[0];
    s[2] = salt[1];
    s[3] = salt[3];
    for (int h = 0; h < 2; h++) {
        uint8_t d[16];
        unsigned dl = 4;
        memcpy(d, s + 4 * h, 4);
        for (uint32_t i = 0; i < it; i++) {
            EVP_MD_CTX *c = EVP_MD_CTX_new();
            EVP_DigestInit_ex(c, EVP_md5(), NULL);
            EVP_DigestUpdate(c, d, dl);
            EVP_DigestUpdate(c, pw, strlen(pw));
            EVP_DigestFinal_ex(c, d, NULL);
            EVP_MD_CTX_free(c);
            dl = 16;
        }
        memcpy(kiv + 16 * h, d, 16);
    }
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    int l1 = 0, l2 = 0;
    EVP_EncryptInit_ex(c, EVP_des_ede3_cbc(), NULL, kiv, kiv + 24);
    EVP_EncryptUpdate(c, out, &l1, in, (int)n);
    EVP_EncryptFinal_ex(c, out + l1, &l2);
    EVP_CIPHER_CTX_free(c);
    *outl = l1 + l2;
}

/* An EncryptedPrivateKeyInfo with the 3DES OID and a PBEParameter. */
static void wrap_3des(const uint8_t salt[8], uint32_t it, const uint8_t *ct, size_t ctn,
                      uint8_t **der, size_t *dn)
{
    uint8_t *p = NULL;
    size_t pn = 0;
    CU_ASSERT_TRUE_FATAL(jks_pbe_param_build(salt, 8, it, &p, &pn));
    CU_ASSERT_TRUE_FATAL(jks_epki_build(JKS_OID_PBE_MD5_3DES, p, pn, ct, ctn, der, dn));
    free(p);
}

static void test_pbe3des_equal_halves_legacy(void)
{
    uint8_t salt[8], plain[67], ours[80], modern_ct[80];
    uint8_t *out = NULL, *der = NULL;
    size_t n = 0, dn = 0;
    int ol = 0;
    unhex(kat_salt_equal, salt);
    unhex(ex_plain, plain);
    unhex(kat_ct_equal, modern_ct);
    legacy_encrypt(plain, 67, "changeit", salt, 1000, ours, &ol);
    CU_ASSERT_EQUAL(ol, 72);
    CU_ASSERT_EQUAL_FATAL(jks_pbe3des_crypt(1, plain, 67, (const uint8_t *)"changeit", 8, salt, 1000, 1,
                                            &out, &n),
                          JKS_OK);
    CU_ASSERT_EQUAL(n, 72);
    CU_ASSERT_EQUAL(memcmp(out, ours, 72), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(out, modern_ct, 72), 0);
    free(out);
    /* the reader tries modern first, then legacy: both open */
    for (int legacy = 0; legacy < 2; legacy++) {
        jks_protection prot = JKS_PROT_NONE;
        jks_error err;
        jks_error_clear(&err);
        wrap_3des(salt, 1000, legacy ? ours : modern_ct, 72, &der, &dn);
        CU_ASSERT_EQUAL_FATAL(jks_epki_decrypt(der, dn, "changeit", 0, &out, &n, &prot, &err), JKS_OK);
        CU_ASSERT_EQUAL(prot, JKS_PROT_JCEKS_3DES);
        CU_ASSERT_EQUAL(n, 67);
        CU_ASSERT_EQUAL(memcmp(out, plain, 67), 0);
        free(out);
        free(der);
    }
    /* unequal halves: legacy and modern are the same algorithm */
    uint8_t s2[8], *a = NULL, *b = NULL;
    size_t an, bn;
    unhex(kat_salt_plain, s2);
    CU_ASSERT_EQUAL(jks_pbe3des_crypt(1, plain, 67, (const uint8_t *)"x", 1, s2, 10, 0, &a, &an), JKS_OK);
    CU_ASSERT_EQUAL(jks_pbe3des_crypt(1, plain, 67, (const uint8_t *)"x", 1, s2, 10, 1, &b, &bn), JKS_OK);
    CU_ASSERT_TRUE(a && b && an == bn && !memcmp(a, b, an));
    free(a);
    free(b);
}

static void test_pbe3des_rejects(void)
{
    uint8_t salt[8], ct[80], plain[67];
    uint8_t *out = NULL, *der = NULL;
    size_t n, dn;
    unhex(kat_salt_plain, salt);
    unhex(kat_ct_plain, ct);
    unhex(ex_plain, plain);
    /* not a whole number of blocks, or empty */
    CU_ASSERT_EQUAL(jks_pbe3des_crypt(0, ct, 71, (const uint8_t *)"changeit", 8, salt, 1000, 0, &out, &n),
                    JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(jks_pbe3des_crypt(0, ct, 0, (const uint8_t *)"changeit", 8, salt, 1000, 0, &out, &n),
                    JKS_ERR_FORMAT);
    /* zero iterations is malformed input, not an I/O error */
    CU_ASSERT_EQUAL(jks_pbe3des_crypt(0, ct, 72, (const uint8_t *)"changeit", 8, salt, 0, 0, &out, &n),
                    JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(out);
    /* wrong password through the EPKI: PASSWORD (padding or PKCS#8 check) */
    jks_protection prot;
    jks_error err;
    jks_error_clear(&err);
    wrap_3des(salt, 1000, ct, 72, &der, &dn);
    const char *wrong[] = {"changeiT", "", "changeit ", "a", "b", "c", "d", "e", "f", "g"};
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        CU_ASSERT_EQUAL(jks_epki_decrypt(der, dn, wrong[i], 0, &out, &n, &prot, &err), JKS_ERR_PASSWORD);
        CU_ASSERT_PTR_NULL(out);
    }
    /* the iteration cap applies before any derivation */
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, dn, "changeit", 999, &out, &n, &prot, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "iteration"));
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, dn, "changeit", 1000, &out, &n, &prot, &err), JKS_OK);
    free(out);
    free(der);
    /* the 3DES OID without parameters (or with NULL) is malformed */
    CU_ASSERT_TRUE_FATAL(jks_epki_build(JKS_OID_PBE_MD5_3DES, NULL, 0, ct, 72, &der, &dn));
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, dn, "changeit", 0, &out, &n, &prot, &err), JKS_ERR_FORMAT);
    free(der);
    CU_ASSERT_TRUE_FATAL(jks_epki_build(JKS_OID_PBE_MD5_3DES, (const uint8_t *)"\x05\x00", 2, ct, 72, &der, &dn));
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, dn, "changeit", 0, &out, &n, &prot, &err), JKS_ERR_FORMAT);
    free(der);
    /* decrypts, but the plaintext is not PKCS#8: a wrong password by chance */
    uint8_t *junk = NULL;
    size_t jn;
    CU_ASSERT_EQUAL(jks_pbe3des_crypt(1, (const uint8_t *)"not a key", 9, (const uint8_t *)"changeit", 8, salt,
                                      1000, 0, &junk, &jn),
                    JKS_OK);
    wrap_3des(salt, 1000, junk, jn, &der, &dn);
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, dn, "changeit", 0, &out, &n, &prot, &err), JKS_ERR_PASSWORD);
    free(der);
    free(junk);
}

/* jks_epki_encrypt for both formats opens again with jks_epki_decrypt;
 * the JCEKS salt never has equal halves and uses 200000 iterations. */
static void test_epki_encrypt_round_trip(void)
{
    uint8_t plain[67];
    unhex(ex_plain, plain);
    jks_protection ps[] = {JKS_PROT_JKS, JKS_PROT_JCEKS_3DES};
    for (int i = 0; i < 2; i++) {
        uint8_t *der = NULL, *out = NULL;
        size_t dn, n;
        jks_protection prot = JKS_PROT_NONE;
        jks_error err;
        jks_error_clear(&err);
        CU_ASSERT_EQUAL_FATAL(jks_epki_encrypt(ps[i], plain, 67, "pw", &der, &dn, &err), JKS_OK);
        jks_epki e;
        CU_ASSERT_TRUE_FATAL(jks_epki_parse(der, dn, &e));
        if (i == 1) {
            uint8_t salt[8];
            size_t sl;
            uint32_t it;
            CU_ASSERT_STRING_EQUAL(e.oid, JKS_OID_PBE_MD5_3DES);
            CU_ASSERT_TRUE(jks_pbe_param_parse(e.params, e.params_len, salt, 8, &sl, &it));
            CU_ASSERT_EQUAL(it, 200000);
            CU_ASSERT_NOT_EQUAL(memcmp(salt, salt + 4, 4), 0);
            CU_ASSERT_EQUAL(e.data_len, 72);
        } else {
            CU_ASSERT_STRING_EQUAL(e.oid, JKS_OID_KEYPROTECTOR);
            CU_ASSERT_EQUAL(e.data_len, 107);
        }
        jks_epki_clear(&e);
        CU_ASSERT_EQUAL_FATAL(jks_epki_decrypt(der, dn, "pw", 0, &out, &n, &prot, &err), JKS_OK);
        CU_ASSERT_EQUAL(prot, ps[i]);
        CU_ASSERT_EQUAL(n, 67);
        CU_ASSERT_EQUAL(memcmp(out, plain, 67), 0);
        free(out);
        free(der);
    }
    uint8_t *der = NULL;
    size_t dn;
    jks_error err;
    CU_ASSERT_EQUAL(jks_epki_encrypt(JKS_PROT_PKCS12, plain, 67, "pw", &der, &dn, &err), JKS_ERR_USAGE);
}

/* Anything else goes through OpenSSL: PBES2, with the iteration cap
 * checked before OpenSSL derives. */
static void test_epki_pbes2_through_openssl(void)
{
    uint8_t plain[67];
    unhex(ex_plain, plain);
    const unsigned char *p = plain;
    PKCS8_PRIV_KEY_INFO *pi = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, 67);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pi);
    X509_SIG *sig = PKCS8_encrypt(-1, EVP_aes_256_cbc(), "pw", 2, NULL, 0, 2048, pi);
    CU_ASSERT_PTR_NOT_NULL_FATAL(sig);
    unsigned char *der = NULL;
    int dn = i2d_X509_SIG(sig, &der);
    const X509_ALGOR *alg;
    X509_SIG_get0(sig, &alg, NULL);
    CU_ASSERT_EQUAL(jks_algor_iterations(alg), 2048);
    uint8_t *out = NULL;
    size_t n;
    jks_protection prot = JKS_PROT_NONE;
    jks_error err;
    jks_error_clear(&err);
    CU_ASSERT_EQUAL_FATAL(jks_epki_decrypt(der, (size_t)dn, "pw", 0, &out, &n, &prot, &err), JKS_OK);
    CU_ASSERT_EQUAL(prot, JKS_PROT_PKCS8_PBES2);
    CU_ASSERT_EQUAL(n, 67);
    CU_ASSERT_EQUAL(memcmp(out, plain, 67), 0);
    free(out);
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, (size_t)dn, "wrong", 0, &out, &n, &prot, &err), JKS_ERR_PASSWORD);
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, (size_t)dn, "pw", 2047, &out, &n, &prot, &err), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(jks_epki_decrypt(der, (size_t)dn - 1, "pw", 0, &out, &n, &prot, &err), JKS_ERR_FORMAT);
    OPENSSL_free(der);
    X509_SIG_free(sig);
    PKCS8_PRIV_KEY_INFO_free(pi);
}

static void test_pkcs8_valid(void)
{
    uint8_t plain[67];
    unhex(ex_plain, plain);
    CU_ASSERT_TRUE(jks_pkcs8_valid(plain, 67));
    CU_ASSERT_FALSE(jks_pkcs8_valid(plain, 66));
    CU_ASSERT_FALSE(jks_pkcs8_valid((const uint8_t *)"\x30\x00", 2));
    CU_ASSERT_FALSE(jks_pkcs8_valid(NULL, 0));
}

/* Java's getEncoded and OpenSSL drop a PrivateKeyInfo's [0] attributes (the
 * key usage openssl pkcs12 -keysig writes); a [1] public key stays. */
static void test_pkcs8_without_attributes(void)
{
    static const uint8_t attr[] = {0xa0, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x1d, 0x0f,
                                   0x31, 0x04, 0x03, 0x02, 0x07, 0x80};
    static const uint8_t pub[] = {0x81, 0x03, 0x00, 0xaa, 0xbb};
    uint8_t plain[67], in[2 + 65 + sizeof(attr) + sizeof(pub)], *out = NULL;
    size_t n = 0;
    unhex(ex_plain, plain);
    CU_ASSERT_FALSE(jks_pkcs8_without_attributes(plain, 67, &out, &n)); /* none to drop */
    in[0] = 0x30;
    in[1] = 65 + sizeof(attr);
    memcpy(in + 2, plain + 2, 65);
    memcpy(in + 67, attr, sizeof(attr));
    CU_ASSERT_TRUE(jks_pkcs8_valid(in, 67 + sizeof(attr)));
    CU_ASSERT_TRUE_FATAL(jks_pkcs8_without_attributes(in, 67 + sizeof(attr), &out, &n));
    CU_ASSERT_TRUE(n == 67 && !memcmp(out, plain, 67));
    jks_buffer_free(out, n);
    in[1] = 65 + sizeof(attr) + sizeof(pub);
    memcpy(in + 67 + sizeof(attr), pub, sizeof(pub));
    CU_ASSERT_TRUE_FATAL(jks_pkcs8_without_attributes(in, sizeof(in), &out, &n));
    CU_ASSERT_EQUAL_FATAL(n, 67 + sizeof(pub));
    CU_ASSERT_EQUAL(out[1], 65 + sizeof(pub));
    CU_ASSERT_TRUE(!memcmp(out + 2, plain + 2, 65) && !memcmp(out + 67, pub, sizeof(pub)));
    jks_buffer_free(out, n);
    CU_ASSERT_FALSE(jks_pkcs8_without_attributes(in, sizeof(in) - 1, &out, &n)); /* cut */
    CU_ASSERT_FALSE(jks_pkcs8_without_attributes(attr, sizeof(attr), &out, &n));
    CU_ASSERT_FALSE(jks_pkcs8_without_attributes(NULL, 0, &out, &n));
}

int main(void)
{
    static const test_case cases[] = {
        {"KeyProtector: FORMATS 2.3 worked example", test_keyprotector_worked_example},
        {"KeyProtector: wrong password, tampering, short blob", test_keyprotector_rejects},
        {"KeyProtector: round trip with a fresh salt", test_keyprotector_round_trip_fresh_salt},
        {"EPKI: NULL and absent parameters", test_epki_null_and_absent_params},
        {"EPKI: malformed DER rejected", test_epki_rejects_malformed},
        {"PBEParameter build and parse", test_pbe_param},
        {"PBEWithMD5AndTripleDES: JDK 17 known answer", test_pbe3des_java_known_answer},
        {"PBEWithMD5AndTripleDES: equal salt halves, modern (JDK 17)", test_pbe3des_equal_halves_modern},
        {"PBEWithMD5AndTripleDES: equal salt halves, legacy", test_pbe3des_equal_halves_legacy},
        {"PBEWithMD5AndTripleDES: bad input and passwords", test_pbe3des_rejects},
        {"EPKI encrypt -> decrypt for JKS and JCEKS", test_epki_encrypt_round_trip},
        {"EPKI PBES2 through OpenSSL", test_epki_pbes2_through_openssl},
        {"PrivateKeyInfo check", test_pkcs8_valid},
        {"PrivateKeyInfo without attributes", test_pkcs8_without_attributes},
    };
    return run_suite("protect", cases, sizeof(cases) / sizeof(cases[0]));
}
