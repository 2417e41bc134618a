/* PKCS#12 helpers shared by the reader and writer: algorithm names, the
 * OpenSSL legacy provider, and Java's secret-key bags (FORMATS.md 4.1: a
 * secretBag whose value is an EncryptedPrivateKeyInfo of a PrivateKeyInfo-
 * shaped SEQUENCE { 0, AlgorithmIdentifier(key algorithm), OCTET STRING key }). */
#include "p12crypto.h"
#include "protect.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/provider.h>
#include <pthread.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The legacy algorithms live in a library context of our own, never in
 * OpenSSL's default one: the host program's OpenSSL keeps exactly the
 * providers it chose. Created once, on first need (pthread_once, so any
 * thread may be first), and kept for the life of the process: it stays
 * reachable from these statics, so leak checkers do not count it, and no
 * atexit handler races OpenSSL's own clean-up. */
static pthread_once_t legacy_once = PTHREAD_ONCE_INIT;
static OSSL_LIB_CTX *legacy_ctx;
static OSSL_PROVIDER *prov_default, *prov_legacy;

static void load_legacy(void)
{
    OSSL_LIB_CTX *ctx = OSSL_LIB_CTX_new();
    if (!ctx)
        return;
    /* the default provider too: PBEs mix legacy ciphers with SHA-1 and HMAC */
    prov_default = OSSL_PROVIDER_load(ctx, "default");
    prov_legacy = prov_default ? OSSL_PROVIDER_load(ctx, "legacy") : NULL;
    if (!prov_legacy) {
        OSSL_PROVIDER_unload(prov_default);
        prov_default = NULL;
        OSSL_LIB_CTX_free(ctx);
        ERR_clear_error();
        return;
    }
    legacy_ctx = ctx;
    ERR_clear_error();
}

OSSL_LIB_CTX *jks_crypto_legacy_ctx(void)
{
    pthread_once(&legacy_once, load_legacy);
    return legacy_ctx;
}

int jks_p12_legacy_provider(void)
{
    return jks_crypto_legacy_ctx() != NULL;
}

static void lower_copy(char *out, size_t n, const char *prefix, const char *s)
{
    snprintf(out, n, "%s%s", prefix, s ? s : "unknown");
    for (char *p = out; *p; p++)
        *p = (char)tolower((unsigned char)*p);
}

void jks_p12_alg_name(const X509_ALGOR *alg, char *out, size_t n)
{
    const ASN1_OBJECT *oid;
    int ptype;
    const void *pval;
    char txt[80];
    X509_ALGOR_get0(&oid, &ptype, &pval, alg);
    int nid = OBJ_obj2nid(oid);
    switch (nid) {
    case NID_pbe_WithSHA1And3_Key_TripleDES_CBC: snprintf(out, n, "pbe-sha1-3des"); return;
    case NID_pbe_WithSHA1And2_Key_TripleDES_CBC: snprintf(out, n, "pbe-sha1-2des"); return;
    case NID_pbe_WithSHA1And40BitRC2_CBC: snprintf(out, n, "pbe-sha1-rc2-40"); return;
    case NID_pbe_WithSHA1And128BitRC2_CBC: snprintf(out, n, "pbe-sha1-rc2-128"); return;
    case NID_pbe_WithSHA1And40BitRC4: snprintf(out, n, "pbe-sha1-rc4-40"); return;
    case NID_pbe_WithSHA1And128BitRC4: snprintf(out, n, "pbe-sha1-rc4-128"); return;
    case NID_pbes2: break;
    default:
        if (nid != NID_undef) {
            lower_copy(out, n, "", OBJ_nid2sn(nid));
        } else {
            OBJ_obj2txt(txt, sizeof(txt), oid, 1);
            snprintf(out, n, "%s", txt);
        }
        return;
    }
    PBE2PARAM *p2 = ptype == V_ASN1_SEQUENCE && pval
                        ? ASN1_item_unpack(pval, ASN1_ITEM_rptr(PBE2PARAM))
                        : NULL;
    if (!p2) {
        snprintf(out, n, "pbes2");
        return;
    }
    int cnid = OBJ_obj2nid(p2->encryption->algorithm);
    if (cnid != NID_undef)
        lower_copy(out, n, "pbes2-", OBJ_nid2sn(cnid));
    else {
        OBJ_obj2txt(txt, sizeof(txt), p2->encryption->algorithm, 1);
        snprintf(out, n, "pbes2-%s", txt);
    }
    PBE2PARAM_free(p2);
}

/* Java names (sun.security.util.KnownOIDs) of the secret-key algorithms
 * keytool can put in a PKCS#12 store. */
static const struct {
    const char *name;
    const char *oid;
} secret_algs[] = {
    {"AES", "2.16.840.1.101.3.4.1"},
    {"DESede", "1.3.14.3.2.17"},     /* what keytool writes */
    {"DESede", "1.2.840.113549.3.7"}, /* des-ede3-cbc, read only */
    /* desCBC: Java names a secretBag with this OID (what keytool writes for a
     * DES key) "DES/CBC" when it reads it back (KnownOIDs); a DES key is
     * written with it */
    {"DES/CBC", "1.3.14.3.2.7"},
    {"DES", "1.3.14.3.2.7"},
    {"HmacSHA1", "1.2.840.113549.2.7"},
    {"HmacSHA224", "1.2.840.113549.2.8"},
    {"HmacSHA256", "1.2.840.113549.2.9"},
    {"HmacSHA384", "1.2.840.113549.2.10"},
    {"HmacSHA512", "1.2.840.113549.2.11"},
    {"HmacSHA512/224", "1.2.840.113549.2.12"},
    {"HmacSHA512/256", "1.2.840.113549.2.13"},
    {"HmacSHA3-224", "2.16.840.1.101.3.4.2.13"},
    {"HmacSHA3-256", "2.16.840.1.101.3.4.2.14"},
    {"HmacSHA3-384", "2.16.840.1.101.3.4.2.15"},
    {"HmacSHA3-512", "2.16.840.1.101.3.4.2.16"},
    {"RC2", "1.2.840.113549.3.2"},
    {"ARCFOUR", "1.2.840.113549.3.4"},
    {"Blowfish", "1.3.6.1.4.1.3029.1.2"},
    {"ChaCha20-Poly1305", "1.2.840.113549.1.9.16.3.18"},
    /* password keys (keytool -importpass) */
    {"PBEWithMD5AndDES", "1.2.840.113549.1.5.3"},
    {"PBEWithMD5AndRC2", "1.2.840.113549.1.5.6"},
    {"PBEWithSHA1AndDES", "1.2.840.113549.1.5.10"},
    {"PBEWithSHA1AndRC2", "1.2.840.113549.1.5.11"},
    {"PBEWithSHA1AndRC4_128", "1.2.840.113549.1.12.1.1"},
    {"PBEWithSHA1AndRC4_40", "1.2.840.113549.1.12.1.2"},
    {"PBEWithSHA1AndDESede", "1.2.840.113549.1.12.1.3"},
    {"PBEWithSHA1AndRC2_128", "1.2.840.113549.1.12.1.5"},
    {"PBEWithSHA1AndRC2_40", "1.2.840.113549.1.12.1.6"},
    {"PBKDF2WithHmacSHA1", "1.2.840.113549.1.5.12"},
    {"PBES2", "1.2.840.113549.1.5.13"},
};

char *jks_p12_secret_alg_name(const ASN1_OBJECT *oid)
{
    char txt[128];
    if (OBJ_obj2txt(txt, sizeof(txt), oid, 1) <= 0)
        return NULL;
    for (size_t i = 0; i < sizeof(secret_algs) / sizeof(secret_algs[0]); i++)
        if (!strcmp(txt, secret_algs[i].oid))
            return strdup(secret_algs[i].name);
    return strdup(txt);
}

ASN1_OBJECT *jks_p12_secret_alg_oid(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof(secret_algs) / sizeof(secret_algs[0]); i++)
        if (!strcasecmp(name, secret_algs[i].name))
            return OBJ_txt2obj(secret_algs[i].oid, 1);
    /* a dotted OID, as read back from a store with an algorithm we do not name */
    if (!*name || strspn(name, "0123456789.") != strlen(name))
        return NULL;
    return OBJ_txt2obj(name, 1);
}

jks_status jks_p12_secret_decrypt(jks_entry *e, const char *password, uint32_t max_iterations,
                                  jks_error *err)
{
    uint8_t *plain = NULL;
    size_t plain_len = 0;
    jks_protection prot;
    jks_status s = jks_epki_decrypt(e->prot.data, e->prot.len, password, max_iterations, &plain,
                                    &plain_len, &prot, err);
    if (s != JKS_OK)
        return s;
    const unsigned char *p = plain;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)plain_len);
    const ASN1_OBJECT *oid;
    const unsigned char *key;
    int key_len;
    char *alg = NULL;
    s = JKS_OK;
    if (!p8 || p != plain + plain_len || !PKCS8_pkey_get0(&oid, &key, &key_len, NULL, p8)) {
        s = jks_fail(err, JKS_ERR_FORMAT, -1, "decrypted secret key is not a Java secret-key structure");
    } else if (!(alg = jks_p12_secret_alg_name(oid)) || !jks_entry_set_plain(e, key, (size_t)key_len)) {
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    } else {
        free(e->secret_alg);
        e->secret_alg = alg;
        alg = NULL;
    }
    free(alg);
    PKCS8_PRIV_KEY_INFO_free(p8); /* wipes the key octets */
    OPENSSL_cleanse(plain, plain_len);
    free(plain);
    return s;
}
