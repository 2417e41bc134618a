/* Secret key entries as keytool makes them: -genseckey (a random key from
 * Java's KeyGenerator rules, SunJCE of JDK 17) and -importpass (a password
 * kept as a PBE key). The bytes come from OpenSSL's RAND; every temporary
 * copy is wiped. */
#include "store.h"
#include "jks/ops.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Java's KeyGenerator names (SunJCE, JDK 17), the name its keys report
 * (Key.getAlgorithm), the default size (0: keytool asks for -keysize) and
 * whether JDK 17's PKCS12 keystore can store them (it needs an OID). */
enum { SZ_AES, SZ_DES, SZ_DESEDE, SZ_HMAC, SZ_ARCFOUR, SZ_RC2, SZ_BLOWFISH, SZ_CHACHA };
static const struct {
    const char *name, *java;
    int rule;
    unsigned def_bits;
    int p12;
} gens[] = {
    {"AES", "AES", SZ_AES, 0, 1},
    {"DES", "DES", SZ_DES, 56, 1},
    {"DESede", "DESede", SZ_DESEDE, 168, 1},
    {"TripleDES", "DESede", SZ_DESEDE, 168, 1},
    {"HmacMD5", "HmacMD5", SZ_HMAC, 0, 0},
    {"HmacSHA1", "HmacSHA1", SZ_HMAC, 0, 1},
    {"HmacSHA224", "HmacSHA224", SZ_HMAC, 0, 1},
    {"HmacSHA256", "HmacSHA256", SZ_HMAC, 0, 1},
    {"HmacSHA384", "HmacSHA384", SZ_HMAC, 0, 1},
    {"HmacSHA512", "HmacSHA512", SZ_HMAC, 0, 1},
    {"HmacSHA512/224", "HmacSHA512/224", SZ_HMAC, 0, 1},
    {"HmacSHA512/256", "HmacSHA512/256", SZ_HMAC, 0, 1},
    {"HmacSHA3-224", "HmacSHA3-224", SZ_HMAC, 0, 1},
    {"HmacSHA3-256", "HmacSHA3-256", SZ_HMAC, 0, 1},
    {"HmacSHA3-384", "HmacSHA3-384", SZ_HMAC, 0, 1},
    {"HmacSHA3-512", "HmacSHA3-512", SZ_HMAC, 0, 1},
    {"ARCFOUR", "ARCFOUR", SZ_ARCFOUR, 0, 1},
    {"RC4", "ARCFOUR", SZ_ARCFOUR, 0, 1},
    {"RC2", "RC2", SZ_RC2, 0, 0},
    {"Blowfish", "Blowfish", SZ_BLOWFISH, 0, 0},
    {"ChaCha20", "ChaCha20", SZ_CHACHA, 0, 0},
};

jks_status jks_secret_key_spec(const char *keyalg, unsigned bits, jks_secret_spec *spec,
                               jks_error *err)
{
    size_t i, n = sizeof(gens) / sizeof(gens[0]);
    if (!keyalg || !spec)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no key algorithm given");
    memset(spec, 0, sizeof(*spec));
    for (i = 0; i < n && strcasecmp(keyalg, gens[i].name); i++)
        ;
    if (i == n)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "%s KeyGenerator not available", keyalg);
    if (!bits)
        bits = gens[i].def_bits;
    if (!bits)
        return jks_fail(err, JKS_ERR_USAGE, -1, "Please provide -keysize for secret key generation");
    const char *bad = NULL;
    size_t len = (bits + 7) / 8;
    switch (gens[i].rule) {
    case SZ_AES:
        bad = bits == 128 || bits == 192 || bits == 256 ? NULL
                                                        : "Wrong keysize: must be equal to 128, 192 or 256";
        break;
    case SZ_DES:
        bad = bits == 56 ? NULL : "Wrong keysize: must be equal to 56";
        len = 8;
        break;
    case SZ_DESEDE:
        bad = bits == 112 || bits == 168 ? NULL : "Wrong keysize: must be equal to 112 or 168";
        len = 24;
        break;
    case SZ_HMAC:
        bad = bits >= 40 ? NULL : "Key length must be at least 40 bits";
        break;
    case SZ_ARCFOUR:
        bad = bits >= 40 && bits <= 1024 ? NULL : "Key length for ARCFOUR must be between 40 and 1024 bits";
        break;
    case SZ_RC2:
        bad = bits >= 40 && bits <= 1024 ? NULL : "Key length for RC2 must be between 40 and 1024 bits";
        break;
    case SZ_BLOWFISH:
        bad = bits % 8 == 0 && bits >= 32 && bits <= 448
                  ? NULL
                  : "Keysize must be multiple of 8, and can only range from 32 to 448 (inclusive)";
        break;
    case SZ_CHACHA:
        bad = bits == 256 ? NULL : "Key length for ChaCha20 must be 256 bits";
        break;
    }
    if (bad)
        return jks_fail(err, JKS_ERR_USAGE, -1, "%s", bad);
    if (bits > 65536)
        return jks_fail(err, JKS_ERR_USAGE, -1, "key size %u too large", bits);
    snprintf(spec->algorithm, sizeof(spec->algorithm), "%s", gens[i].java);
    spec->bits = bits;
    spec->key_len = len;
    spec->pkcs12 = gens[i].p12;
    return JKS_OK;
}

/* Odd parity in each byte, as Java's DES and DESede key generators set it. */
static void des_parity(uint8_t *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b = k[i] & 0xfe, ones = 0;
        for (int j = 1; j < 8; j++)
            ones += (b >> j) & 1;
        k[i] = (uint8_t)(b | ((ones & 1) ? 0 : 1));
    }
}

jks_status jks_store_generate_secret_key(jks_store *st, const char *alias, const char *keyalg,
                                         unsigned bits, int64_t created_ms, jks_error *err)
{
    jks_secret_spec sp;
    uint8_t key[8192];
    jks_status s = jks_secret_key_spec(keyalg, bits, &sp, err);
    if (s != JKS_OK)
        return s;
    if (!st || !alias)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no store or alias given");
    if (sp.key_len > sizeof(key))
        return jks_fail(err, JKS_ERR_USAGE, -1, "key size %u too large", sp.bits);
    if (RAND_bytes(key, (int)sp.key_len) != 1)
        return jks_fail(err, JKS_ERR_IO, -1, "cannot generate random bytes");
    if (!strcmp(sp.algorithm, "DES") || !strcmp(sp.algorithm, "DESede")) {
        des_parity(key, sp.key_len);
        if (sp.bits == 112) /* two-key triple DES: k3 = k1 */
            memcpy(key + 16, key, 8);
    }
    s = jks_store_add_secret_key(st, alias, created_ms, sp.algorithm, key, sp.key_len, err);
    OPENSSL_cleanse(key, sizeof(key));
    return s;
}

jks_status jks_store_add_password(jks_store *st, const char *alias, const char *password,
                                  int64_t created_ms, jks_error *err)
{
    if (!st || !alias || !password)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no store, alias or password given");
    for (const char *p = password; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
            return jks_fail(err, JKS_ERR_USAGE, -1, "Password is not ASCII");
    if (!*password)
        return jks_fail(err, JKS_ERR_USAGE, -1,
                        "empty password (Java cannot read such an entry back: \"Empty key\")");
    return jks_store_add_secret_key(st, alias, created_ms, JKS_PASSWORD_KEY_ALG,
                                    (const uint8_t *)password, strlen(password), err);
}
