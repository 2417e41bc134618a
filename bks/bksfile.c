/* The BouncyCastle BKS codec (BcKeyStoreSpi, versions 1 and 2). No magic:
 *   u32 version (1, 2; BC also takes 0, read as 1), u32 salt length, salt,
 *   u32 iteration count, then entries, each
 *     u8 type (1 certificate, 2 key, 3 secret, 4 sealed; 0 ends the list),
 *     writeUTF alias, u64 date (ms), u32 chain length, chain certificates
 *     (writeUTF type "X.509", u32 length, DER), then by type: a certificate;
 *     a key in BC's encoding (u8 key type, UTF format, UTF algorithm, u32
 *     length, bytes); u32 length + bytes (secret: opaque, sealed: u32 salt
 *     length, salt, u32 iterations, PBEWithSHAAnd3-KeyTripleDES-CBC of a key
 *     in BC's encoding, crypto/bkscrypto.h);
 *   then HMAC-SHA1 (20 bytes) over the entries and the end byte, keyed by
 *   the PKCS#12 KDF (SHA-1, id 3) of the store password: 20 bytes in
 *   version 2, 2 bytes in version 1 (BC asks for "20 bits" there).
 * BC checks the MAC only when a non-empty password is given. Aliases are
 * case-sensitive; a repeated alias replaces the earlier entry.
 * UBER (BcKeyStoreSpi.BouncyCastleStore) is the same entries encrypted whole:
 *   u32 version (1), u32 salt length (20), salt, u32 iterations (at most
 *   65536), then PBEWithSHAAndTwofish-CBC (PKCS#12 KDF with SHA-1: 256-bit
 *   key, 128-bit IV; PKCS#7 padding) of the entries, the end byte and the
 *   SHA-1 of both. */
#include "bkscrypto.h"
#include "builder.h"
#include "cert.h"
#include "codec.h"
#include "cursor.h"
#include "digest.h"
#include "twofish.h"
#include "keys.h"
#include "protect.h"
#include "work.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define T_END 0
#define T_CERT 1
#define T_KEY 2
#define T_SECRET 3
#define T_SEALED 4
#define MAC_LEN 20
#define STORE_SALT 20
#define MIN_ITERATIONS 1024

static jks_status truncated(jks_error *err, const jks_cursor *c, const char *what)
{
    return jks_fail(err, JKS_ERR_FORMAT, (long long)jks_cursor_offset(c),
                    "truncated or corrupt BKS keystore: %s", what);
}

static jks_status read_cert(jks_cursor *c, jks_bytes *out, jks_error *err)
{
    jks_cursor t, der;
    size_t off = jks_cursor_offset(c);
    if (!jks_cursor_u16_prefixed(c, &t))
        return truncated(err, c, "certificate type");
    if (t.len != 5 || memcmp(t.p, "X.509", 5))
        return jks_fail(err, JKS_ERR_FORMAT, (long long)off,
                        "unsupported certificate type (only X.509)");
    if (!jks_cursor_u32_prefixed(c, &der))
        return truncated(err, c, "certificate length runs past the end of the file");
    out->data = der.p;
    out->len = der.len;
    return JKS_OK;
}

/* An unsealed key (type 2): a private key is kept decrypted, a secret key
 * too; a public key has no place in the model's kinds Java shows: it is
 * listed as a key entry Java would not show (java_visible false) that no
 * password opens. */
static jks_status plain_key(jks_entry *e, jks_cursor *c, jks_error *err)
{
    size_t off = jks_cursor_offset(c);
    const uint8_t *start = c->p;
    uint8_t t;
    char *fmt = NULL, *alg = NULL;
    size_t l;
    jks_cursor enc;
    if (!jks_cursor_u8(c, &t) || !jks_cursor_java_utf(c, &fmt, &l) ||
        !jks_cursor_java_utf(c, &alg, &l) || !jks_cursor_u32_prefixed(c, &enc)) {
        free(fmt);
        free(alg);
        return truncated(err, c, "key");
    }
    jks_status s = JKS_OK;
    e->prot.data = start;
    e->prot.len = (size_t)(c->p - start);
    e->protection = JKS_PROT_NONE;
    if (t == JKS_BKS_KEY_PRIVATE && (!strcmp(fmt, "PKCS#8") || !strcmp(fmt, "PKCS8"))) {
        e->kind = JKS_ENTRY_PRIVATE_KEY;
        if (!jks_entry_set_pkcs8(e, enc.p, enc.len))
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        e->state = JKS_KEY_DECRYPTED;
        e->prot.len = 0;
    } else if (t == JKS_BKS_KEY_SECRET && !strcmp(fmt, "RAW")) {
        e->kind = JKS_ENTRY_SECRET_KEY;
        e->secret_alg = alg;
        alg = NULL;
        if (!jks_entry_set_plain(e, enc.p, enc.len))
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        e->state = JKS_KEY_DECRYPTED;
        e->prot.len = 0;
    } else if (t == JKS_BKS_KEY_PUBLIC) {
        e->java_ignores = 1;
        e->state = JKS_KEY_UNSUPPORTED;
    } else {
        s = jks_fail(err, JKS_ERR_FORMAT, (long long)off, "unsupported BKS key (type %u, format %s)",
                     t, fmt);
    }
    free(fmt);
    free(alg);
    return s;
}

static jks_status read_entry(jks_store *st, jks_cursor *c, uint8_t type, jks_error *err)
{
    size_t off = jks_cursor_offset(c) - 1;
    uint64_t ts;
    uint32_t n;
    char *alias = NULL;
    size_t alias_len;
    jks_status s = JKS_OK;
    jks_bytes *chain = NULL;
    jks_entry *e;

    if (type > T_SEALED)
        return jks_fail(err, JKS_ERR_FORMAT, (long long)off, "unknown BKS entry type %u", type);
    if (!jks_cursor_java_utf(c, &alias, &alias_len))
        return truncated(err, c, "alias");
    if (!jks_cursor_u64(c, &ts) || !jks_cursor_u32(c, &n)) {
        s = truncated(err, c, "entry header");
        goto out;
    }
    /* each certificate takes at least 6 bytes: never allocate on a claim */
    if (n > jks_cursor_remaining(c) / 6) {
        s = truncated(err, c, "certificate chain longer than the file");
        goto out;
    }
    if (n && !(chain = calloc(n, sizeof(*chain)))) {
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        goto out;
    }
    for (uint32_t i = 0; i < n && s == JKS_OK; i++)
        s = read_cert(c, &chain[i], err);
    if (s != JKS_OK)
        goto out;
    e = jks_store_append(st, type == T_CERT ? JKS_ENTRY_TRUSTED_CERT
                             : n        ? JKS_ENTRY_PRIVATE_KEY
                                        : JKS_ENTRY_SECRET_KEY,
                         alias);
    if (!e) {
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        goto out;
    }
    e->has_created = 1;
    e->created_ms = (int64_t)ts;
    if (type == T_CERT) {
        if (!jks_entry_alloc_chain(e, 1)) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            goto out;
        }
        s = read_cert(c, &e->chain[0], err);
    } else {
        if (n) {
            if (!jks_entry_alloc_chain(e, n)) {
                s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
                goto out;
            }
            memcpy(e->chain, chain, n * sizeof(*chain));
        }
        if (type == T_KEY) {
            s = plain_key(e, c, err);
        } else {
            jks_cursor b;
            if (!jks_cursor_u32_prefixed(c, &b)) {
                s = truncated(err, c, "key length runs past the end of the file");
                goto out;
            }
            e->prot.data = b.p;
            e->prot.len = b.len;
            if (type == T_SEALED) {
                uint32_t it;
                e->protection = JKS_PROT_BKS_3DES;
                if (!jks_bks_sealed_params(b.p, b.len, &it))
                    s = jks_fail(err, JKS_ERR_FORMAT, (long long)jks_cursor_offset(c),
                                 "malformed BKS sealed key");
            } else { /* opaque bytes given to KeyStore.setKeyEntry(byte[]) */
                e->protection = JKS_PROT_NONE;
                e->state = JKS_KEY_UNSUPPORTED;
            }
        }
    }
out:
    if (s != JKS_OK)
        jks_error_set_alias(err, alias);
    free(chain);
    free(alias);
    return s;
}

/* Entries up to and including the end byte. */
static jks_status read_entries(jks_store *st, jks_cursor *c, jks_error *err)
{
    for (;;) {
        uint8_t type;
        jks_status s;
        if (!jks_cursor_u8(c, &type))
            return truncated(err, c, "entry list has no end");
        if (type == T_END)
            return JKS_OK;
        if ((s = read_entry(st, c, type, err)) != JKS_OK)
            return s;
    }
}

/* HMAC-SHA1 of data under the store password's key (version 1: 2 bytes). */
static int store_mac(const char *pw, uint32_t version, const uint8_t *salt, size_t salt_len,
                     uint32_t iter, const uint8_t *data, size_t len, uint8_t out[MAC_LEN])
{
    uint8_t key[MAC_LEN];
    size_t key_len = version == 2 ? MAC_LEN : MAC_LEN / 8;
    unsigned int ol = 0;
    int ok = jks_bks_kdf(pw, salt, salt_len, iter, 3, key_len, key) &&
             HMAC(EVP_sha1(), key, (int)key_len, data, len, out, &ol) && ol == MAC_LEN;
    OPENSSL_cleanse(key, sizeof(key));
    return ok;
}

/* After a MAC mismatch: a certificate OpenSSL cannot decode (or a
 * self-signed one whose signature fails) makes the file corrupt, else the
 * password is wrong. */
static int find_corruption(const jks_store *st, const char **alias)
{
    size_t certs = 0;
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        *alias = e->alias;
        for (size_t j = 0; j < e->n_chain && certs < 1024; j++, certs++)
            if (jks_cert_der_broken(e->chain[j], 1))
                return 1;
    }
    return 0;
}

static jks_status bks_decode(jks_store *st, const uint8_t *data, size_t len,
                             const jks_read_opts *opts, jks_error *err)
{
    jks_cursor c, salt;
    uint32_t version, iter;
    jks_status s;
    uint32_t max_iter = opts && opts->max_iterations ? opts->max_iterations
                                                     : JKS_DEFAULT_MAX_ITERATIONS;
    jks_cursor_init(&c, data, len);
    st->format = JKS_FORMAT_BKS;
    if (!jks_cursor_u32(&c, &version))
        return truncated(err, &c, "header");
    if (version > 2)
        return jks_fail(err, JKS_ERR_FORMAT, 0, "unsupported BKS keystore version %u", version);
    st->version = version ? version : 1;
    if (!jks_cursor_u32_prefixed(&c, &salt) || salt.len == 0)
        return truncated(err, &c, "salt");
    if (!jks_cursor_u32(&c, &iter))
        return truncated(err, &c, "iteration count");
    size_t mac_start = jks_cursor_offset(&c);
    if ((s = read_entries(st, &c, err)) != JKS_OK)
        return s;
    size_t mac_end = jks_cursor_offset(&c);
    const uint8_t *have;
    if (!jks_cursor_view(&c, MAC_LEN, &have))
        return jks_fail(err, JKS_ERR_FORMAT, (long long)mac_end,
                        "truncated BKS keystore: the 20-byte integrity MAC is missing");
    jks_store_dedupe_keep_last(st); /* Java's Hashtable keeps the last of an alias (case-sensitive) */
    st->integrity = JKS_INTEGRITY_NOT_CHECKED;
    if (opts && opts->storepass && opts->storepass[0]) {
        uint8_t want[MAC_LEN];
        if (iter == 0 || iter > max_iter)
            return jks_fail(err, JKS_ERR_FORMAT, 4 + 4 + (long long)salt.len,
                            "BKS iteration count %u is outside 1..%u", iter, max_iter);
        if ((s = jks_work_charge(st, jks_kdf_work(EVP_sha1(), iter, MAC_LEN), err)) != JKS_OK)
            return s;
        if (!store_mac(opts->storepass, st->version, salt.p, salt.len, iter, data + mac_start,
                       mac_end - mac_start, want))
            return jks_fail(err, JKS_ERR_IO, -1, "MAC computation failed");
        if (CRYPTO_memcmp(want, have, MAC_LEN) != 0) {
            const char *alias = NULL;
            int corrupt = find_corruption(st, &alias);
            return jks_integrity_mismatch(corrupt, alias, (long long)mac_end, err);
        }
        st->integrity = JKS_INTEGRITY_VERIFIED;
    }
    if (!opts || !opts->no_decrypt)
        jks_store_decrypt_keys(st, opts);
    return JKS_OK;
}

/* ---- encoding (version 2, as BC's BKS writes it) ---- */

static void write_cert(jks_builder *b, jks_bytes cert)
{
    jks_builder_java_utf(b, "X.509");
    jks_builder_u32(b, (uint32_t)cert.len);
    jks_builder_bytes(b, cert.data, cert.len);
}

/* The sealed bytes of a key entry: kept as read, or sealed afresh. */
static jks_status sealed_bytes(const jks_entry *e, int keep, const char *kp, uint8_t **out,
                               size_t *out_len, jks_error *err)
{
    jks_bks_key k;
    jks_key_info info;
    if (keep) {
        if (!(*out = malloc(e->prot.len ? e->prot.len : 1)))
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        memcpy(*out, e->prot.data, e->prot.len);
        *out_len = e->prot.len;
        return JKS_OK;
    }
    memset(&k, 0, sizeof(k));
    k.enc = e->plain;
    k.enc_len = e->plain_len;
    if (e->kind == JKS_ENTRY_PRIVATE_KEY) {
        k.type = JKS_BKS_KEY_PRIVATE;
        k.format = "PKCS#8";
        k.algorithm = jks_key_info_get(e->plain, e->plain_len, &info) == JKS_OK ? info.algorithm
                                                                               : "PKCS#8";
    } else {
        k.type = JKS_BKS_KEY_SECRET;
        k.format = "RAW";
        k.algorithm = e->secret_alg ? e->secret_alg : "RAW";
    }
    return jks_bks_seal(&k, kp, out, out_len, err);
}

/* Refuse what BKS cannot hold before any byte is written. */
static jks_status check_writable(const jks_store *st, const jks_write_opts *opts, const char *fmt,
                                 jks_error *err)
{
    jks_status s;
    if (!opts->storepass)
        return jks_fail(err, JKS_ERR_USAGE, -1, "a store password is needed to write %s", fmt);
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        int keep;
        if ((s = jks_key_write_mode(e, opts, &keep, err)) != JKS_OK)
            return s;
        if (e->kind == JKS_ENTRY_PRIVATE_KEY && e->n_chain == 0) {
            jks_fail(err, JKS_ERR_USAGE, -1, "private key without a certificate cannot be stored in %s",
                     fmt);
            jks_error_set_alias(err, e->alias);
            return JKS_ERR_USAGE;
        }
        if (e->kind == JKS_ENTRY_TRUSTED_CERT && e->n_chain != 1) {
            jks_fail(err, JKS_ERR_FORMAT, -1, "trusted certificate entry without a certificate");
            jks_error_set_alias(err, e->alias);
            return JKS_ERR_FORMAT;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(st->entries[j]->alias, e->alias)) {
                jks_fail(err, JKS_ERR_USAGE, -1, "two entries have this alias");
                jks_error_set_alias(err, e->alias);
                return JKS_ERR_USAGE;
            }
    }
    return JKS_OK;
}

/* The entries and the end byte, as BC's saveStore writes them. */
static jks_status write_entries(jks_builder *b, const jks_store *st, const jks_write_opts *opts,
                                jks_error *err)
{
    const char *kp = opts->keypass ? opts->keypass : opts->storepass;
    int64_t now = (int64_t)time(NULL) * 1000;
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        int keep = 0;
        jks_builder_u8(b, e->kind == JKS_ENTRY_TRUSTED_CERT ? T_CERT : T_SEALED);
        jks_builder_java_utf(b, e->alias);
        jks_builder_u64(b, (uint64_t)(e->has_created ? e->created_ms : now));
        if (e->kind == JKS_ENTRY_TRUSTED_CERT) {
            jks_builder_u32(b, 0);
            write_cert(b, e->chain[0]);
            continue;
        }
        jks_builder_u32(b, (uint32_t)e->n_chain);
        for (size_t j = 0; j < e->n_chain; j++)
            write_cert(b, e->chain[j]);
        uint8_t *sealed;
        size_t sealed_len;
        jks_key_write_mode(e, opts, &keep, NULL);
        jks_status s = sealed_bytes(e, keep, kp, &sealed, &sealed_len, err);
        if (s != JKS_OK) {
            jks_error_set_alias(err, e->alias);
            return s;
        }
        jks_builder_u32(b, (uint32_t)sealed_len);
        jks_builder_bytes(b, sealed, sealed_len);
        OPENSSL_cleanse(sealed, sealed_len);
        free(sealed);
    }
    jks_builder_u8(b, T_END);
    if (!jks_builder_ok(b))
        return jks_fail(err, JKS_ERR_USAGE, -1, "entry too large for the format (alias over 65535 bytes?)");
    return JKS_OK;
}

/* version, 20-byte random salt, 1024 + random(0..1023) iterations. */
static int write_header(jks_builder *b, uint32_t version, uint8_t salt[STORE_SALT], uint32_t *iter)
{
    uint8_t r[2];
    if (RAND_bytes(salt, STORE_SALT) != 1 || RAND_bytes(r, sizeof(r)) != 1)
        return 0;
    *iter = MIN_ITERATIONS + (((uint32_t)r[0] << 8 | r[1]) & 0x3ff);
    jks_builder_u32(b, version);
    jks_builder_u32(b, STORE_SALT);
    jks_builder_bytes(b, salt, STORE_SALT);
    jks_builder_u32(b, *iter);
    return 1;
}

static jks_status bks_encode(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                             size_t *out_len, jks_error *err)
{
    jks_builder b;
    uint8_t salt[STORE_SALT], mac[MAC_LEN];
    uint32_t iter;
    jks_status s = check_writable(st, opts, "BKS", err);
    if (s != JKS_OK)
        return s;
    jks_builder_init(&b, 4096);
    if (!write_header(&b, 2, salt, &iter)) {
        jks_builder_cleanup(&b);
        return jks_fail(err, JKS_ERR_IO, -1, "no random bytes");
    }
    size_t mac_start = b.len;
    if ((s = write_entries(&b, st, opts, err)) != JKS_OK) {
        jks_builder_cleanup(&b);
        return s;
    }
    if (!store_mac(opts->storepass, 2, salt, sizeof(salt), iter, b.buf + mac_start,
                   b.len - mac_start, mac)) {
        jks_builder_cleanup(&b);
        return jks_fail(err, JKS_ERR_IO, -1, "MAC computation failed");
    }
    jks_builder_bytes(&b, mac, MAC_LEN);
    if (!jks_builder_finish(&b, out, out_len))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    return JKS_OK;
}

/* ---- UBER ---- */

#define UBER_MAX_ITERATIONS (MIN_ITERATIONS << 6) /* BC refuses more */
#define TF_KEY 32
#define TF_IV 16

/* The Twofish key schedule and IV of PBEWithSHAAndTwofish-CBC. */
static int uber_cipher(const char *pw, const uint8_t *salt, size_t salt_len, uint32_t iter,
                       jks_twofish *tf, uint8_t iv[TF_IV])
{
    uint8_t key[TF_KEY];
    int ok = jks_bks_kdf(pw, salt, salt_len, iter, 1, TF_KEY, key) &&
             jks_bks_kdf(pw, salt, salt_len, iter, 2, TF_IV, iv) &&
             jks_twofish_init(tf, key, TF_KEY);
    OPENSSL_cleanse(key, sizeof(key));
    return ok;
}

static jks_status uber_decode(jks_store *st, const uint8_t *data, size_t len,
                              const jks_read_opts *opts, jks_error *err)
{
    jks_cursor c, salt;
    uint32_t version, iter;
    jks_twofish tf;
    uint8_t iv[TF_IV];
    jks_status s;
    uint32_t max_iter = opts && opts->max_iterations ? opts->max_iterations
                                                     : JKS_DEFAULT_MAX_ITERATIONS;
    jks_cursor_init(&c, data, len);
    st->format = JKS_FORMAT_UBER;
    if (!jks_cursor_u32(&c, &version))
        return truncated(err, &c, "header");
    if (version != 1 && version != 2)
        return jks_fail(err, JKS_ERR_FORMAT, 0, "unsupported UBER keystore version %u", version);
    st->version = version;
    if (!jks_cursor_u32_prefixed(&c, &salt) || salt.len != STORE_SALT || !jks_cursor_u32(&c, &iter))
        return truncated(err, &c, "header (UBER has a 20-byte salt)");
    if (iter == 0 || iter > UBER_MAX_ITERATIONS || iter > max_iter)
        return jks_fail(err, JKS_ERR_FORMAT, 28, "UBER iteration count %u is outside 1..%u", iter,
                        max_iter < UBER_MAX_ITERATIONS ? max_iter : UBER_MAX_ITERATIONS);
    size_t ct_off = jks_cursor_offset(&c), n = jks_cursor_remaining(&c);
    if (n == 0 || n % 16)
        return jks_fail(err, JKS_ERR_FORMAT, (long long)ct_off,
                        "truncated or corrupt UBER keystore: %zu encrypted bytes, not whole 16-byte blocks", n);
    if (!opts || !opts->storepass)
        return jks_fail(err, JKS_ERR_PASSWORD, -1,
                        "an UBER keystore is encrypted whole: its store password is needed to read it");
    if ((s = jks_work_charge(st, jks_kdf_work(EVP_sha1(), iter, TF_KEY) +
                                     jks_kdf_work(EVP_sha1(), iter, TF_IV), err)) != JKS_OK)
        return s;
    uint8_t *plain = (uint8_t *)jks_store_keep(st, NULL, n, 1);
    if (!plain)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    if (!uber_cipher(opts->storepass, salt.p, salt.len, iter, &tf, iv))
        return jks_fail(err, JKS_ERR_IO, -1, "key derivation failed");
    jks_twofish_cbc(&tf, 0, iv, c.p, plain, n);
    jks_twofish_clear(&tf);
    uint8_t pad = plain[n - 1];
    int pad_ok = pad >= 1 && pad <= 16;
    for (size_t i = 0; pad_ok && i < pad; i++)
        pad_ok = plain[n - 1 - i] == pad;
    if (!pad_ok) {
        /* what a wrong password gives 255 times in 256, and a file cut at
         * a block boundary: with the right password its first entry still
         * decrypts into a well-formed one (random bytes almost never do) */
        jks_store *probe = jks_store_new(JKS_FORMAT_UBER);
        jks_cursor p;
        uint8_t t;
        jks_cursor_init(&p, plain, n);
        int cut = probe && jks_cursor_u8(&p, &t) && t >= T_CERT && t <= T_SEALED &&
                  read_entry(probe, &p, t, NULL) == JKS_OK;
        jks_store_free(probe);
        if (cut)
            return jks_fail(err, JKS_ERR_FORMAT, (long long)len,
                            "truncated or corrupt UBER keystore: its entries decrypt, its end does not");
        return jks_fail(err, JKS_ERR_PASSWORD, -1,
                        "keystore password is incorrect (UBER decryption fails its padding check)");
    }
    n -= pad;
    /* now the entries, in the decrypted bytes the store keeps */
    jks_cursor p;
    jks_cursor_init(&p, plain, n);
    if ((s = read_entries(st, &p, err)) != JKS_OK) {
        if (err) {
            jks_error tmp = *err;
            jks_fail(err, s, -1, "corrupt UBER keystore (its decrypted content: %.180s)", tmp.msg);
            jks_error_set_alias(err, tmp.alias[0] ? tmp.alias : NULL);
        }
        return s;
    }
    size_t end = jks_cursor_offset(&p);
    uint8_t want[JKS_SHA1_LEN];
    const uint8_t *have;
    if (!jks_cursor_view(&p, JKS_SHA1_LEN, &have))
        return jks_fail(err, JKS_ERR_FORMAT, -1, "corrupt UBER keystore: its SHA-1 digest is missing");
    if (!jks_sha1(plain, end, want))
        return jks_fail(err, JKS_ERR_IO, -1, "digest computation failed");
    if (CRYPTO_memcmp(want, have, JKS_SHA1_LEN) != 0)
        return jks_fail(err, JKS_ERR_FORMAT, -1,
                        "corrupt UBER keystore: the SHA-1 digest of its decrypted content does not match");
    jks_store_dedupe_keep_last(st); /* Java's Hashtable keeps the last of an alias (case-sensitive) */
    st->integrity = JKS_INTEGRITY_VERIFIED;
    if (!opts->no_decrypt)
        jks_store_decrypt_keys(st, opts);
    return JKS_OK;
}

static jks_status uber_encode(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                              size_t *out_len, jks_error *err)
{
    jks_builder b, body;
    uint8_t salt[STORE_SALT], iv[TF_IV], dg[JKS_SHA1_LEN];
    uint32_t iter;
    jks_twofish tf;
    jks_status s = check_writable(st, opts, "UBER", err);
    if (s != JKS_OK)
        return s;
    jks_builder_init(&body, 4096);
    if ((s = write_entries(&body, st, opts, err)) != JKS_OK) {
        jks_builder_cleanup(&body);
        return s;
    }
    if (!jks_sha1(body.buf, body.len, dg)) {
        jks_builder_cleanup(&body);
        return jks_fail(err, JKS_ERR_IO, -1, "digest computation failed");
    }
    jks_builder_bytes(&body, dg, sizeof(dg));
    uint8_t pad = (uint8_t)(16 - body.len % 16);
    for (uint8_t i = 0; i < pad; i++)
        jks_builder_u8(&body, pad);
    jks_builder_init(&b, body.len + 64);
    if (!jks_builder_ok(&body) || !write_header(&b, 1, salt, &iter) ||
        !uber_cipher(opts->storepass, salt, sizeof(salt), iter, &tf, iv)) {
        jks_builder_cleanup(&body);
        jks_builder_cleanup(&b);
        return jks_fail(err, JKS_ERR_IO, -1, "cannot encrypt the store");
    }
    uint8_t *ct = jks_builder_space(&b, body.len);
    if (ct)
        jks_twofish_cbc(&tf, 1, iv, body.buf, ct, body.len);
    jks_twofish_clear(&tf);
    jks_builder_cleanup(&body);
    if (!jks_builder_finish(&b, out, out_len))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    return JKS_OK;
}

const jks_codec jks_codec_bks = {bks_decode, bks_encode, NULL};
const jks_codec jks_codec_uber = {uber_decode, uber_encode, NULL};
