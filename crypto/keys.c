/* Opening the keys of a store: each key is tried with every --keypass given,
 * then with the store password (the order keytool users expect). */
#include "bcfkscrypto.h"
#include "bkscrypto.h"
#include "cursor.h"
#include "javaser.h"
#include "pkcs8.h"
#include "protect.h"
#include "store.h"
#include "keys.h"
#include "p12crypto.h"
#include "work.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

/* Unseal a JCEKS secret key (FORMATS.md 3.2-3.4) with one password. */
static jks_status open_sealed(jks_store *st, jks_entry *e, const char *pw, uint32_t max_iter,
                              jks_error *err)
{
    jks_cursor c;
    jks_sealed sealed;
    uint8_t salt[8], *inner = NULL, *key = NULL;
    size_t sl, inner_len, key_len;
    uint32_t it;
    char *alg = NULL;
    jks_status s;
    jks_cursor_init(&c, e->prot.data, e->prot.len);
    if ((s = jks_sealed_parse(&c, &sealed, err)) != JKS_OK)
        return s;
    if (strcmp(sealed.seal_alg, "PBEWithMD5AndTripleDES"))
        return jks_fail(err, JKS_ERR_FORMAT, -1, "unsupported seal algorithm %s", sealed.seal_alg);
    if (!jks_pbe_param_parse(sealed.params.data, sealed.params.len, salt, sizeof(salt), &sl, &it) ||
        sl != 8)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed sealed-key parameters");
    if (it > max_iter)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "PBE iteration count %u exceeds the limit %u", it,
                        max_iter);
    if ((s = jks_work_charge(st, jks_jceks_work(it, salt), err)) != JKS_OK)
        return s;
    int tries = memcmp(salt, salt + 4, 4) ? 1 : 2;
    s = JKS_ERR_PASSWORD;
    for (int legacy = 0; legacy < tries && s != JKS_OK; legacy++) {
        s = jks_pbe3des_crypt(0, sealed.content.data, sealed.content.len, (const uint8_t *)pw,
                              strlen(pw), salt, it, legacy, &inner, &inner_len);
        if (s == JKS_OK) {
            jks_error tmp;
            jks_error_clear(&tmp);
            s = jks_secretkey_parse(inner, inner_len, &alg, &key, &key_len, &tmp);
            OPENSSL_cleanse(inner, inner_len);
            free(inner);
            inner = NULL;
            if (s != JKS_OK)
                s = JKS_ERR_PASSWORD; /* padding passed by chance */
        } else if (s != JKS_ERR_PASSWORD) {
            return jks_fail(err, s, -1, "cannot unseal secret key");
        }
    }
    if (s != JKS_OK)
        return jks_fail(err, JKS_ERR_PASSWORD, -1, "cannot recover secret key: wrong password");
    free(e->secret_alg);
    e->secret_alg = alg;
    int ok = jks_entry_set_plain(e, key, key_len);
    OPENSSL_cleanse(key, key_len);
    free(key);
    return ok ? JKS_OK : jks_fail(err, JKS_ERR_IO, -1, "out of memory");
}

/* Open a BKS sealed key (crypto/bkscrypto.h) with one password: a private
 * key entry must hold a PKCS#8 private key, a secret key entry a RAW one. */
static jks_status open_bks(jks_store *st, jks_entry *e, const char *pw, uint32_t max_iter,
                           jks_error *err)
{
    uint32_t it;
    jks_bks_key k;
    jks_status s;
    if (!jks_bks_sealed_params(e->prot.data, e->prot.len, &it))
        return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed BKS sealed key");
    if (it > max_iter)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "PBE iteration count %u exceeds the limit %u", it,
                        max_iter);
    if ((s = jks_work_charge(st, jks_bks_sealed_work(it), err)) != JKS_OK)
        return s;
    if ((s = jks_bks_unseal(e->prot.data, e->prot.len, pw, max_iter, &k, err)) != JKS_OK)
        return s;
    int ok;
    if (k.type == JKS_BKS_KEY_PUBLIC) { /* opens, but holds no key the model keeps */
        jks_bks_key_clear(&k);
        e->java_ignores = 1;
        return jks_fail(err, JKS_ERR_FORMAT, -1, "BKS sealed public key: not kept");
    }
    if (e->kind == JKS_ENTRY_PRIVATE_KEY) {
        if (k.type != JKS_BKS_KEY_PRIVATE || (strcmp(k.format, "PKCS#8") && strcmp(k.format, "PKCS8"))) {
            jks_bks_key_clear(&k);
            return jks_fail(err, JKS_ERR_FORMAT, -1, "BKS sealed key with a chain holds no PKCS#8 private key");
        }
        ok = jks_entry_set_pkcs8(e, k.enc, k.enc_len);
    } else {
        if (k.type != JKS_BKS_KEY_SECRET || strcmp(k.format, "RAW")) {
            jks_bks_key_clear(&k);
            return jks_fail(err, JKS_ERR_FORMAT, -1,
                            "BKS sealed key without a chain holds no RAW secret key (a public key?)");
        }
        free(e->secret_alg);
        e->secret_alg = k.algorithm;
        k.algorithm = NULL;
        ok = jks_entry_set_plain(e, k.enc, k.enc_len);
    }
    jks_bks_key_clear(&k);
    return ok ? JKS_OK : jks_fail(err, JKS_ERR_IO, -1, "out of memory");
}

/* Open a BCFKS key (crypto/bcfkscrypto.h) with one password: a private key
 * is an EncryptedPrivateKeyInfo, a secret key SEQUENCE { AlgorithmIdentifier,
 * OCTET STRING } of SEQUENCE { OID, OCTET STRING }. */
static jks_status open_bcfks(jks_store *st, jks_entry *e, const char *pw, uint32_t max_iter,
                             jks_error *err)
{
    jks_cursor c, seq, alg, ct;
    uint8_t *plain;
    size_t plain_len;
    jks_status s;
    jks_cursor_init(&c, e->prot.data, e->prot.len);
    if (!jks_cursor_der_expect(&c, 0x30, &seq) || !jks_cursor_der_element(&seq, NULL, &alg) ||
        !jks_cursor_der_expect(&seq, 0x04, &ct))
        return jks_fail(err, JKS_ERR_FORMAT, -1, "malformed BCFKS key");
    int priv = e->kind == JKS_ENTRY_PRIVATE_KEY;
    if ((s = jks_bcfks_decrypt(st, alg.p, alg.len, ct.p, ct.len, pw,
                               priv ? "PRIVATE_KEY_ENCRYPTION" : "SECRET_KEY_ENCRYPTION", max_iter,
                               &plain, &plain_len, err)) != JKS_OK)
        return s;
    int ok = 0;
    if (priv) {
        ok = jks_entry_set_pkcs8(e, plain, plain_len);
    } else {
        jks_cursor p, skd, oid, key;
        jks_cursor_init(&p, plain, plain_len);
        if (jks_cursor_der_expect(&p, 0x30, &skd) && jks_cursor_der_element(&skd, NULL, &oid) &&
            jks_cursor_der_expect(&skd, 0x04, &key)) {
            static const uint8_t aes[] = {0x06, 0x08, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01};
            const unsigned char *op = oid.p;
            ASN1_OBJECT *o = oid.len == sizeof(aes) && !memcmp(oid.p, aes, sizeof(aes))
                                 ? NULL
                                 : d2i_ASN1_OBJECT(NULL, &op, (long)oid.len);
            char *name = o ? jks_p12_secret_alg_name(o) : strdup("AES");
            ASN1_OBJECT_free(o);
            if (name) {
                free(e->secret_alg);
                e->secret_alg = name;
                ok = jks_entry_set_plain(e, key.p, key.len);
            }
        } else {
            OPENSSL_cleanse(plain, plain_len);
            free(plain);
            return jks_fail(err, JKS_ERR_PASSWORD, -1, "BCFKS secret key does not decode");
        }
    }
    OPENSSL_cleanse(plain, plain_len);
    free(plain);
    return ok ? JKS_OK : jks_fail(err, JKS_ERR_IO, -1, "out of memory");
}

/* What Java's PKCS8Key.getEncoded and OpenSSL give for the key: the [0]
 * attributes (e.g. the Microsoft key usage of openssl -keysig) dropped. */
int jks_entry_set_pkcs8(jks_entry *e, const uint8_t *der, size_t len)
{
    uint8_t *bare;
    size_t bare_len;
    if (!jks_pkcs8_without_attributes(der, len, &bare, &bare_len))
        return jks_entry_set_plain(e, der, len);
    int ok = jks_entry_set_plain(e, bare, bare_len);
    jks_buffer_free(bare, bare_len);
    return ok;
}

typedef struct {
    jks_store *st; /* charged for each derivation (crypto/work.h) */
    jks_entry *e;
    uint32_t max_iter;
    jks_epki_key *key; /* a private key's EncryptedPrivateKeyInfo, parsed once */
    jks_status open_status;
    jks_error open_err;
} open_ctx;

static jks_status try_one(void *ctx, const char *pw, jks_error *err)
{
    open_ctx *o = ctx;
    jks_entry *e = o->e;
    if (e->protection == JKS_PROT_BKS_3DES)
        return open_bks(o->st, e, pw, o->max_iter, err);
    if (e->protection == JKS_PROT_BCFKS)
        return open_bcfks(o->st, e, pw, o->max_iter, err);
    if (e->kind == JKS_ENTRY_SECRET_KEY && e->protection == JKS_PROT_NONE)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "key stored in a form no password opens");
    if (e->kind == JKS_ENTRY_SECRET_KEY) {
        if (e->protection == JKS_PROT_PKCS12) {
            jks_epki_key *k = NULL;
            if (jks_epki_open(e->prot.data, e->prot.len, o->max_iter, &k, NULL) == JKS_OK) {
                jks_status s = jks_work_charge(o->st, jks_epki_work(k), err);
                jks_epki_close(k);
                if (s != JKS_OK)
                    return s;
            }
            return jks_p12_secret_decrypt(e, pw, o->max_iter, err);
        }
        return open_sealed(o->st, e, pw, o->max_iter, err);
    }
    uint8_t *plain;
    size_t plain_len;
    if (!o->key && o->open_status == JKS_OK) /* first password: parse it, once */
        o->open_status = jks_epki_open(e->prot.data, e->prot.len, o->max_iter, &o->key, &o->open_err);
    if (o->open_status != JKS_OK) {
        if (err)
            *err = o->open_err;
        return o->open_status;
    }
    jks_status s = jks_work_charge(o->st, jks_epki_work(o->key), err);
    if (s != JKS_OK)
        return s;
    s = jks_epki_try(o->key, pw, &plain, &plain_len, err);
    if (s != JKS_OK)
        return s;
    int ok = jks_entry_set_pkcs8(e, plain, plain_len);
    OPENSSL_cleanse(plain, plain_len);
    free(plain);
    return ok ? JKS_OK : jks_fail(err, JKS_ERR_IO, -1, "out of memory");
}

jks_status jks_passwords_try(const jks_read_opts *opts, jks_password_attempt attempt, void *ctx,
                             int *index, int *tried, jks_error *err)
{
    size_t nk = opts ? opts->n_keypasses : 0;
    const char *sp = opts ? opts->storepass : NULL;
    jks_status s = JKS_ERR_PASSWORD;
    int n = 0;
    *index = -1;
    for (size_t k = 0; k <= nk; k++) {
        const char *pw = k < nk ? opts->keypasses[k] : sp;
        if (!pw)
            continue;
        n++;
        jks_error_clear(err);
        s = attempt(ctx, pw, err);
        if (s == JKS_OK)
            *index = (int)k;
        if (s != JKS_ERR_PASSWORD)
            break;
    }
    if (tried)
        *tried = n;
    return s;
}

void jks_store_decrypt_keys(jks_store *st, const jks_read_opts *opts)
{
    size_t nk = opts ? opts->n_keypasses : 0;
    open_ctx o = {st, NULL, opts && opts->max_iterations ? opts->max_iterations
                                                    : JKS_DEFAULT_MAX_ITERATIONS,
                  NULL, JKS_OK, {0}};
    const char *sp = opts ? opts->storepass : NULL;
    if (!nk && !sp)
        return; /* no password: keys stay encrypted (keytool's behaviour) and cost nothing */
    /* Every key is tried at least once: when that alone is more work than
     * the budget has left, refuse now instead of after doing the part that
     * fits (the tries themselves are charged as they happen). */
    uint64_t least = 0, left = (st->work_max ? st->work_max : JKS_DEFAULT_MAX_WORK) - st->work_used;
    for (size_t i = 0; i < st->n && least <= left; i++) {
        jks_entry *e = st->entries[i];
        jks_epki_key *k = NULL;
        uint32_t it;
        if (e->protection == JKS_PROT_BCFKS)
            continue; /* charged as each derivation starts */
        if (e->kind != JKS_ENTRY_TRUSTED_CERT && e->state != JKS_KEY_DECRYPTED &&
            e->protection == JKS_PROT_BKS_3DES) {
            if (jks_bks_sealed_params(e->prot.data, e->prot.len, &it) && it <= o.max_iter) {
                uint64_t w = jks_bks_sealed_work(it);
                least = w > UINT64_MAX - least ? UINT64_MAX : least + w;
            }
            continue;
        }
        if (e->kind == JKS_ENTRY_TRUSTED_CERT || e->state == JKS_KEY_DECRYPTED || !e->prot.len ||
            (e->kind == JKS_ENTRY_SECRET_KEY && e->protection != JKS_PROT_PKCS12))
            continue;
        if (jks_epki_open(e->prot.data, e->prot.len, o.max_iter, &k, NULL) == JKS_OK) {
            uint64_t w = jks_epki_work(k);
            least = w > UINT64_MAX - least ? UINT64_MAX : least + w;
        }
        jks_epki_close(k);
    }
    if (least > left) {
        st->work_over = 1;
        return;
    }
    for (size_t i = 0; i < st->n; i++) {
        jks_entry *e = st->entries[i];
        if (e->kind == JKS_ENTRY_TRUSTED_CERT || e->state == JKS_KEY_DECRYPTED || !e->prot.len)
            continue;
        jks_error err;
        int k;
        o.e = e;
        o.key = NULL;
        o.open_status = JKS_OK;
        jks_status s = jks_passwords_try(opts, try_one, &o, &k, NULL, &err);
        jks_epki_close(o.key);
        e->state = s == JKS_OK ? JKS_KEY_DECRYPTED
                   : s == JKS_ERR_PASSWORD ? JKS_KEY_WRONG_PASSWORD : JKS_KEY_UNSUPPORTED;
        if (s == JKS_OK)
            e->pw_index = k;
    }
}

/* The same parameters the PEM writer uses (pem/pem.c). */
#define PKCS8_PBKDF2_ITERATIONS 100000

jks_status jks_pkcs8_encrypt(const uint8_t *pkcs8, size_t len, const char *password,
                             uint8_t **out, size_t *out_len, jks_error *err)
{
    const unsigned char *p = pkcs8;
    unsigned char *der = NULL;
    X509_SIG *sig = NULL;
    *out = NULL;
    *out_len = 0;
    if (len > (size_t)INT32_MAX)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "private key too large");
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len);
    if (!p8)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "private key is not a PKCS#8 PrivateKeyInfo");
    X509_ALGOR *alg = PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), PKCS8_PBKDF2_ITERATIONS, NULL, 0, NULL,
                                        NID_hmacWithSHA256);
    if (alg && !(sig = PKCS8_set0_pbe(password, (int)strlen(password), p8, alg)))
        X509_ALGOR_free(alg);
    int n = sig ? i2d_X509_SIG(sig, &der) : -1;
    X509_SIG_free(sig);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (n <= 0 || !(*out = malloc((size_t)n))) {
        OPENSSL_free(der);
        return jks_fail(err, JKS_ERR_IO, -1, "cannot encrypt the private key");
    }
    memcpy(*out, der, (size_t)n);
    *out_len = (size_t)n;
    OPENSSL_free(der);
    return JKS_OK;
}
