/* BouncyCastle BKS codec (bks/bksfile.c, crypto/bkscrypto.c): a version-1
 * store built here byte by byte (BC 1.72's keytool writes only version 2),
 * with its MAC keyed as BcKeyStoreSpi does (PKCS#12 KDF, "20 bits" = 2
 * bytes) computed with OpenSSL directly; sniffing; write/read round trips of
 * every kind; wrong password vs corruption. */
#include "certutil.h"
#include "testutil.h"

#include "jks/jks.h"
#include "jks/source.h"

#include "twofish.h"

#include <openssl/hmac.h>
#include <openssl/pkcs12.h>
#include <stdint.h>

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* A BKS store holding one trusted certificate "ca", MAC'd with password
 * "pw" (BC's password bytes: UTF-16BE + 00 00) and a key of key_len bytes. */
static uint8_t *hand_store(uint32_t version, size_t key_len, jks_bytes cert, size_t *len)
{
    static const uint8_t salt[20] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
    static const uint8_t pw[] = {0, 'p', 0, 'w', 0, 0};
    size_t n = 4 + 4 + 20 + 4 + 1 + 2 + 2 + 8 + 4 + 7 + 4 + cert.len + 1 + 20, i = 0;
    uint8_t *b = calloc(1, n), key[20];
    put32(b, version), i += 4;
    put32(b + i, 20), i += 4;
    memcpy(b + i, salt, 20), i += 20;
    put32(b + i, 1024), i += 4;
    size_t start = i;
    b[i++] = 1; /* certificate */
    b[i++] = 0, b[i++] = 2, b[i++] = 'c', b[i++] = 'a';
    put32(b + i, 0), put32(b + i + 4, 1000), i += 8; /* date 1000 ms */
    put32(b + i, 0), i += 4;                         /* no chain */
    memcpy(b + i, "\0\5X.509", 7), i += 7;
    put32(b + i, (uint32_t)cert.len), i += 4;
    memcpy(b + i, cert.data, cert.len), i += cert.len;
    b[i++] = 0; /* end */
    unsigned int ml = 0;
    PKCS12_key_gen_uni((unsigned char *)pw, sizeof(pw), (unsigned char *)salt, 20, 3, 1024,
                       (int)key_len, key, EVP_sha1());
    HMAC(EVP_sha1(), key, (int)key_len, b + start, i - start, b + i, &ml);
    *len = i + ml;
    return b;
}

static jks_bytes test_cert(EVP_PKEY **k)
{
    *k = ec_key();
    return make_cert("ca", *k, "ca", *k, 7);
}

static jks_status read_pw(const uint8_t *d, size_t n, const char *pw, jks_store **st)
{
    jks_read_opts o = JKS_READ_OPTS_INIT;
    o.storepass = pw;
    return jks_store_read(d, n, &o, st, NULL);
}

static void test_v1_mac_key_quirk(void)
{
    EVP_PKEY *k;
    jks_bytes c = test_cert(&k);
    size_t n;
    uint8_t *v1 = hand_store(1, 2, c, &n);
    jks_store *st = NULL;
    CU_ASSERT_EQUAL(jks_format_sniff(v1, n), JKS_FORMAT_BKS);
    CU_ASSERT_EQUAL_FATAL(read_pw(v1, n, "pw", &st), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_format(st), JKS_FORMAT_BKS);
    CU_ASSERT_EQUAL(jks_store_version(st), 1);
    CU_ASSERT_EQUAL(jks_store_integrity(st), JKS_INTEGRITY_VERIFIED);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(st), 1);
    const jks_entry *e = jks_store_entry(st, 0);
    CU_ASSERT_STRING_EQUAL(jks_entry_alias(e), "ca");
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_TRUSTED_CERT);
    CU_ASSERT_EQUAL(jks_entry_cert(e, 0).len, c.len);
    jks_store_free(st);
    st = NULL;
    CU_ASSERT_EQUAL(read_pw(v1, n, "other", &st), JKS_ERR_PASSWORD);
    /* the same bytes as version 2 need the 20-byte key: the 2-byte MAC fails */
    put32(v1, 2);
    CU_ASSERT_EQUAL(read_pw(v1, n, "pw", &st), JKS_ERR_PASSWORD);
    free(v1);
    uint8_t *v2 = hand_store(2, 20, c, &n);
    CU_ASSERT_EQUAL(read_pw(v2, n, "pw", &st), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_version(st), 2);
    jks_store_free(st);
    st = NULL;
    /* no password, or the empty one (BC checks no MAC then): listed, not checked */
    CU_ASSERT_EQUAL(read_pw(v2, n, "", &st), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_integrity(st), JKS_INTEGRITY_NOT_CHECKED);
    jks_store_free(st);
    st = NULL;
    /* truncated: malformed (4), with or without a password */
    CU_ASSERT_EQUAL(read_pw(v2, n - 21, "pw", &st), JKS_ERR_FORMAT);
    CU_ASSERT_EQUAL(read_pw(v2, n / 2, NULL, &st), JKS_ERR_FORMAT);
    /* a byte of the certificate's signature flipped: corrupt, not a wrong password */
    v2[n - 20 - 1 - 3] ^= 1;
    CU_ASSERT_EQUAL(read_pw(v2, n, "pw", &st), JKS_ERR_FORMAT);
    /* an unknown entry type */
    v2[n - 20 - 1 - 3] ^= 1;
    v2[32] = 9;
    CU_ASSERT_EQUAL(read_pw(v2, n, "pw", &st), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NULL(st);
    free(v2);
    free((void *)c.data);
    EVP_PKEY_free(k);
}

static void test_sniff_and_names(void)
{
    EVP_PKEY *k;
    jks_bytes c = test_cert(&k);
    /* a DER certificate is still PEM/DER, never BCFKS */
    CU_ASSERT_EQUAL(jks_format_sniff(c.data, c.len), JKS_FORMAT_PEM);
    /* BCFKS: SEQUENCE { SEQUENCE { INTEGER 1, AlgorithmIdentifier, GeneralizedTime ... */
    static const uint8_t bcfks[] = {0x30, 0x10, 0x30, 0x0e, 0x02, 0x01, 0x01, 0x30, 0x03, 0x06,
                                    0x01, 0x01, 0x18, 0x04, '2', '0', '2', '6'};
    CU_ASSERT_EQUAL(jks_format_sniff(bcfks, sizeof(bcfks)), JKS_FORMAT_BCFKS);
    /* UBER: version 1, 20-byte salt, iterations, whole 16-byte blocks */
    uint8_t uber[32 + 48] = {0, 0, 0, 1, 0, 0, 0, 20};
    put32(uber + 28, 1500);
    memset(uber + 32, 0xA5, 48);
    CU_ASSERT_EQUAL(jks_format_sniff(uber, sizeof(uber)), JKS_FORMAT_UBER);
    jks_store *st = NULL;
    jks_error err;
    /* encrypted whole: no password, nothing to list; a wrong one fails the padding */
    CU_ASSERT_EQUAL(jks_store_read(uber, sizeof(uber), NULL, &st, &err), JKS_ERR_PASSWORD);
    CU_ASSERT_EQUAL(read_pw(uber, sizeof(uber), "x", &st), JKS_ERR_PASSWORD);
    CU_ASSERT_EQUAL(read_pw(uber, sizeof(uber) - 8, "x", &st), JKS_ERR_FORMAT); /* not whole blocks */
    CU_ASSERT_EQUAL(jks_store_read(bcfks, sizeof(bcfks), NULL, &st, &err), JKS_ERR_FORMAT);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "malformed BCFKS keystore"));
    /* small integers that are not a store stay unknown */
    static const uint8_t zeros[16] = {0};
    CU_ASSERT_EQUAL(jks_format_sniff(zeros, sizeof(zeros)), JKS_FORMAT_UNKNOWN);
    CU_ASSERT_STRING_EQUAL(jks_format_name(JKS_FORMAT_BKS), "bks");
    CU_ASSERT_STRING_EQUAL(jks_format_name(JKS_FORMAT_UBER), "uber");
    CU_ASSERT_STRING_EQUAL(jks_format_name(JKS_FORMAT_BCFKS), "bcfks");
    CU_ASSERT_EQUAL(jks_format_from_name("BKS"), JKS_FORMAT_BKS);
    free((void *)c.data);
    EVP_PKEY_free(k);
}

static void test_write_read_round_trip(void)
{
    EVP_PKEY *k;
    jks_bytes c = test_cert(&k), p8 = pkcs8_of(k);
    static const uint8_t aes[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
    jks_store *st = jks_store_new(JKS_FORMAT_BKS), *back = NULL;
    CU_ASSERT_EQUAL(jks_store_add_private_key(st, "Key-ä", 5000, p8.data, p8.len, &c, 1, NULL), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "CA", 6000, c.data, c.len, NULL), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_secret_key(st, "aes", 7000, "AES", aes, sizeof(aes), NULL), JKS_OK);
    jks_write_opts w = JKS_WRITE_OPTS_INIT;
    w.format = JKS_FORMAT_BKS;
    w.storepass = "störe";
    uint8_t *out = NULL;
    size_t n = 0;
    jks_error err;
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &w, &out, &n, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_format_sniff(out, n), JKS_FORMAT_BKS);
    /* as BC writes: version 2, 20-byte salt, 1024..2047 iterations */
    CU_ASSERT(out[3] == 2 && out[7] == 20);
    uint32_t it = (uint32_t)out[28] << 24 | (uint32_t)out[29] << 16 | (uint32_t)out[30] << 8 | out[31];
    CU_ASSERT(it >= 1024 && it < 2048);
    CU_ASSERT_EQUAL_FATAL(read_pw(out, n, "störe", &back), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_integrity(back), JKS_INTEGRITY_VERIFIED);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(back), 3);
    const jks_entry *e = jks_store_find(back, "Key-ä"); /* case kept */
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_protection(e), JKS_PROT_BKS_3DES);
    CU_ASSERT(jks_entry_pkcs8(e).len == p8.len && !memcmp(jks_entry_pkcs8(e).data, p8.data, p8.len));
    char name[64];
    CU_ASSERT_STRING_EQUAL(jks_entry_protection_name(e, name, sizeof(name)), "bks-pbe-sha1-3des");
    e = jks_store_find(back, "aes");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_SECRET_KEY);
    CU_ASSERT_STRING_EQUAL(jks_entry_secret_algorithm(e), "AES");
    CU_ASSERT(jks_entry_secret(e).len == 16 && !memcmp(jks_entry_secret(e).data, aes, 16));
    int64_t ms = 0;
    CU_ASSERT(jks_entry_created(jks_store_find(back, "CA"), &ms) && ms == 6000);
    /* keep_encryption copies the sealed bytes as they are */
    jks_write_opts w2 = w;
    w2.keep_encryption = 1;
    uint8_t *out2 = NULL;
    size_t n2 = 0;
    jks_store *again = NULL;
    CU_ASSERT_EQUAL_FATAL(jks_store_write(back, &w2, &out2, &n2, &err), JKS_OK);
    CU_ASSERT_EQUAL_FATAL(read_pw(out2, n2, "störe", &again), JKS_OK);
    jks_bytes p1 = jks_entry_protected_key(jks_store_find(back, "Key-ä"));
    jks_bytes p2 = jks_entry_protected_key(jks_store_find(again, "Key-ä"));
    CU_ASSERT(p1.len == p2.len && !memcmp(p1.data, p2.data, p1.len));
    jks_store_free(again);
    jks_store_free(back);
    back = NULL;
    /* the key under another password than the store's stays listed, unopened */
    CU_ASSERT_EQUAL(read_pw(out, n, "wrong", &back), JKS_ERR_PASSWORD);
    jks_free(out);
    jks_free(out2);
    jks_store_free(st);
    free((void *)c.data);
    free((void *)p8.data);
    EVP_PKEY_free(k);
}

/* BCFKS written as BC's engineStore writes it reads back identically: every
 * kind, the alias's case, times to the millisecond, key bytes; the MAC
 * verified, a wrong password JKS_ERR_PASSWORD; keep_encryption copies the
 * encrypted keys; a secret key BC cannot name is refused by alias. */
static void test_bcfks_write_read_round_trip(void)
{
    EVP_PKEY *k;
    jks_bytes c = test_cert(&k), p8 = pkcs8_of(k);
    static const uint8_t aes[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
    static const uint8_t mac[32] = {1, 2, 3};
    jks_store *st = jks_store_new(JKS_FORMAT_BCFKS), *back = NULL;
    CU_ASSERT_EQUAL(jks_store_add_private_key(st, "Key-ä 𝄞", 5123, p8.data, p8.len, &c, 1, NULL), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_trusted_cert(st, "CA", 6000, c.data, c.len, NULL), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_secret_key(st, "aes", 7010, "AES", aes, sizeof(aes), NULL), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_add_secret_key(st, "mac", 8000, "HmacSHA256", mac, sizeof(mac), NULL), JKS_OK);
    jks_write_opts w = JKS_WRITE_OPTS_INIT;
    w.format = JKS_FORMAT_BCFKS;
    w.storepass = "störe";
    uint8_t *out = NULL;
    size_t n = 0;
    jks_error err;
    CU_ASSERT_EQUAL_FATAL(jks_store_write(st, &w, &out, &n, &err), JKS_OK);
    CU_ASSERT_EQUAL(jks_format_sniff(out, n), JKS_FORMAT_BCFKS);
    /* the store is encrypted whole: no alias in the clear; BC's 51200
     * iterations (INTEGER 0xC800) and AES-256-CCM (2.16.840.1.101.3.4.1.47) */
    static const uint8_t iter[] = {0x02, 0x03, 0x00, 0xc8, 0x00};
    static const uint8_t ccm[] = {0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2f};
    CU_ASSERT_PTR_NULL(memmem(out, n, "Key-", 4));
    CU_ASSERT_PTR_NOT_NULL(memmem(out, n, iter, sizeof(iter)));
    CU_ASSERT_PTR_NOT_NULL(memmem(out, n, ccm, sizeof(ccm)));
    CU_ASSERT_EQUAL_FATAL(read_pw(out, n, "störe", &back), JKS_OK);
    CU_ASSERT_EQUAL(jks_store_format(back), JKS_FORMAT_BCFKS);
    CU_ASSERT_EQUAL(jks_store_integrity(back), JKS_INTEGRITY_VERIFIED);
    CU_ASSERT_EQUAL_FATAL(jks_store_count(back), 4);
    const jks_entry *e = jks_store_find(back, "Key-ä 𝄞");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(jks_entry_key_state(e), JKS_KEY_DECRYPTED);
    CU_ASSERT_EQUAL(jks_entry_protection(e), JKS_PROT_BCFKS);
    CU_ASSERT(jks_entry_pkcs8(e).len == p8.len && !memcmp(jks_entry_pkcs8(e).data, p8.data, p8.len));
    CU_ASSERT(jks_entry_chain_len(e) == 1 && jks_entry_cert(e, 0).len == c.len &&
              !memcmp(jks_entry_cert(e, 0).data, c.data, c.len));
    int64_t ms = 0;
    CU_ASSERT(jks_entry_created(e, &ms) && ms == 5123);
    e = jks_store_find(back, "CA");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_EQUAL(jks_entry_kind_of(e), JKS_ENTRY_TRUSTED_CERT);
    CU_ASSERT(jks_entry_created(e, &ms) && ms == 6000);
    e = jks_store_find(back, "aes");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(jks_entry_secret_algorithm(e), "AES");
    CU_ASSERT(jks_entry_secret(e).len == 16 && !memcmp(jks_entry_secret(e).data, aes, 16));
    CU_ASSERT(jks_entry_created(e, &ms) && ms == 7010);
    e = jks_store_find(back, "mac");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(jks_entry_secret_algorithm(e), "HmacSHA256");
    CU_ASSERT(jks_entry_secret(e).len == 32 && !memcmp(jks_entry_secret(e).data, mac, 32));
    /* keep_encryption copies the encrypted keys as they are */
    jks_write_opts w2 = w;
    w2.keep_encryption = 1;
    uint8_t *out2 = NULL;
    size_t n2 = 0;
    jks_store *again = NULL;
    CU_ASSERT_EQUAL_FATAL(jks_store_write(back, &w2, &out2, &n2, &err), JKS_OK);
    CU_ASSERT_EQUAL_FATAL(read_pw(out2, n2, "störe", &again), JKS_OK);
    const char *names[] = {"Key-ä 𝄞", "aes", "mac"};
    for (size_t i = 0; i < 3; i++) {
        jks_bytes p1 = jks_entry_protected_key(jks_store_find(back, names[i]));
        jks_bytes p2 = jks_entry_protected_key(jks_store_find(again, names[i]));
        CU_ASSERT(p1.len > 0 && p1.len == p2.len && !memcmp(p1.data, p2.data, p1.len));
    }
    jks_store_free(again);
    jks_store_free(back);
    back = NULL;
    CU_ASSERT_EQUAL(read_pw(out, n, "wrong", &back), JKS_ERR_PASSWORD);
    jks_store_free(back);
    /* BC names AES, DESede and HMAC secret keys only */
    CU_ASSERT_EQUAL(jks_store_add_secret_key(st, "bf", 1, "Blowfish", aes, 16, NULL), JKS_OK);
    uint8_t *out3 = NULL;
    size_t n3 = 0;
    CU_ASSERT_EQUAL(jks_store_write(st, &w, &out3, &n3, &err), JKS_ERR_USAGE);
    CU_ASSERT_STRING_EQUAL(err.alias, "bf");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "Blowfish"));
    CU_ASSERT_PTR_NULL(out3);
    jks_free(out);
    jks_free(out2);
    jks_store_free(st);
    free((void *)c.data);
    free((void *)p8.data);
    EVP_PKEY_free(k);
}

/* The Twofish paper's known answers (ECB_TBL.TXT, first row of each key
 * size: zero key and block; and the 192/256-bit keys of its examples), then
 * CBC both ways. */
static void test_twofish_known_answers(void)
{
    static const struct { size_t kl; const char *key, *ct; } kat[] = {
        {16, "00000000000000000000000000000000", "9F589F5CF6122C32B6BFEC2F2AE8C35A"},
        {24, "000000000000000000000000000000000000000000000000", "EFA71F788965BD4453F860178FC19101"},
        {32, "0000000000000000000000000000000000000000000000000000000000000000",
         "57FF739D4DC92C1BD7FC01700CC8216F"},
        {24, "0123456789ABCDEFFEDCBA98765432100011223344556677", "CFD1D2E5A9BE9CDF501F13B892BD2248"},
        {32, "0123456789ABCDEFFEDCBA987654321000112233445566778899AABBCCDDEEFF",
         "37527BE0052334B89F0CFCCAE87CFA20"},
    };
    for (size_t i = 0; i < sizeof(kat) / sizeof(kat[0]); i++) {
        uint8_t key[32], want[16], zero[16] = {0}, got[16], back[16];
        for (size_t j = 0; j < kat[i].kl; j++)
            sscanf(kat[i].key + 2 * j, "%2hhx", &key[j]);
        for (size_t j = 0; j < 16; j++)
            sscanf(kat[i].ct + 2 * j, "%2hhx", &want[j]);
        jks_twofish t;
        CU_ASSERT_FATAL(jks_twofish_init(&t, key, kat[i].kl));
        jks_twofish_encrypt(&t, zero, got);
        CU_ASSERT(!memcmp(got, want, 16));
        jks_twofish_decrypt(&t, got, back);
        CU_ASSERT(!memcmp(back, zero, 16));
    }
    jks_twofish t;
    uint8_t key[32] = {1}, iv[16] = {2}, iv2[16] = {2}, msg[48], ct[48], pt[48];
    for (int i = 0; i < 48; i++)
        msg[i] = (uint8_t)i;
    CU_ASSERT_FATAL(jks_twofish_init(&t, key, 32));
    CU_ASSERT_FALSE(jks_twofish_init(&t, key, 20));
    CU_ASSERT_FATAL(jks_twofish_init(&t, key, 32));
    jks_twofish_cbc(&t, 1, iv, msg, ct, 48);
    jks_twofish_cbc(&t, 0, iv2, ct, pt, 48);
    CU_ASSERT(!memcmp(pt, msg, 48));
    CU_ASSERT(!memcmp(ct + 16, ct, 16) == 0); /* chained: blocks differ */
}

int main(void)
{
    static const test_case cases[] = {
        {"BKS v1: 2-byte MAC key, wrong password 3, corrupt 4", test_v1_mac_key_quirk},
        {"sniffing BKS/UBER/BCFKS and format names", test_sniff_and_names},
        {"BKS write and read back, every kind", test_write_read_round_trip},
        {"BCFKS write and read back, every kind", test_bcfks_write_read_round_trip},
        {"Twofish known answers and CBC", test_twofish_known_answers},
    };
    return run_suite("bks", cases, sizeof(cases) / sizeof(cases[0]));
}
