/* The BouncyCastle BCFKS codec (BcFKSKeyStoreSpi), reading and writing:
 *   ObjectStore ::= SEQUENCE {
 *     storeData CHOICE { EncryptedObjectStoreData, ObjectStoreData },
 *     integrityCheck CHOICE { PbkdMacIntegrityCheck, [0] SignatureCheck } }
 *   EncryptedObjectStoreData ::= SEQUENCE { AlgorithmIdentifier (PBES2), OCTET STRING }
 *   ObjectStoreData ::= SEQUENCE { INTEGER version, AlgorithmIdentifier,
 *     GeneralizedTime created, GeneralizedTime modified,
 *     SEQUENCE OF ObjectData, UTF8String comment OPTIONAL }
 *   ObjectData ::= SEQUENCE { INTEGER type, UTF8String alias, GeneralizedTime
 *     created, GeneralizedTime modified, OCTET STRING data, UTF8String OPTIONAL }
 *   PbkdMacIntegrityCheck ::= SEQUENCE { macAlgorithm, KeyDerivationFunc, OCTET STRING mac }
 * type 0 certificate (data: its DER), 1 private key and 3 protected private
 * key (data: SEQUENCE { EncryptedPrivateKeyInfo, SEQUENCE OF Certificate }),
 * 2 secret key and 4 protected secret key (data: SEQUENCE {
 * AlgorithmIdentifier, OCTET STRING } of SEQUENCE { OID, OCTET STRING }).
 * The MAC is HMAC-SHA512 over the storeData element, keyed by PBKDF2 of the
 * password and "INTEGRITY_CHECK"; the store and each key are decrypted with
 * crypto/bcfkscrypto.h. Signature-checked stores are not read. Writing
 * (below) makes what BC's engineStore makes. */
#include "bcfkscrypto.h"
#include "builder.h"
#include "codec.h"
#include "cursor.h"
#include "keys.h"
#include "protect.h"
#include "work.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const uint8_t OID_HMAC_SHA512[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b};

static jks_status bad(jks_error *err, const jks_cursor *c, const char *what)
{
    return jks_fail(err, JKS_ERR_FORMAT, c ? (long long)jks_cursor_offset(c) : -1,
                    "malformed BCFKS keystore: %s", what);
}

/* GeneralizedTime "YYYYMMDDHHMMSS[.fff]Z" to ms since the epoch; 0 when odd. */
static int gen_time(jks_cursor t, int64_t *ms)
{
    struct tm tm;
    int v[6], len[6] = {4, 2, 2, 2, 2, 2};
    size_t i = 0;
    memset(&tm, 0, sizeof(tm));
    for (int f = 0; f < 6; f++) {
        v[f] = 0;
        for (int d = 0; d < len[f]; d++, i++) {
            if (i >= t.len || t.p[i] < '0' || t.p[i] > '9')
                return 0;
            v[f] = v[f] * 10 + (t.p[i] - '0');
        }
    }
    int frac = 0, scale = 1000;
    if (i < t.len && t.p[i] == '.')
        for (i++; i < t.len && t.p[i] >= '0' && t.p[i] <= '9'; i++)
            if (scale > 1)
                frac += (t.p[i] - '0') * (scale /= 10);
    if (i + 1 != t.len || t.p[i] != 'Z')
        return 0;
    tm.tm_year = v[0] - 1900, tm.tm_mon = v[1] - 1, tm.tm_mday = v[2];
    tm.tm_hour = v[3], tm.tm_min = v[4], tm.tm_sec = v[5];
    *ms = (int64_t)timegm(&tm) * 1000 + frac;
    return 1;
}

static jks_status read_object(jks_store *st, jks_cursor *objs, jks_error *err)
{
    jks_cursor od, alias, created, modified, data;
    int64_t type;
    jks_status s = JKS_OK;
    if (!jks_cursor_der_expect(objs, 0x30, &od) || !jks_cursor_der_int64(&od, &type) ||
        !jks_cursor_der_expect(&od, 0x0c, &alias) || !jks_cursor_der_expect(&od, 0x18, &created) ||
        !jks_cursor_der_expect(&od, 0x18, &modified) || !jks_cursor_der_expect(&od, 0x04, &data))
        return bad(err, objs, "object data");
    char *name = malloc(alias.len + 1);
    if (!name)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    memcpy(name, alias.p, alias.len);
    name[alias.len] = 0;
    if (memchr(alias.p, 0, alias.len)) {
        free(name);
        return bad(err, &od, "alias with a NUL character");
    }
    jks_entry *e = jks_store_append(st, type == 0                ? JKS_ENTRY_TRUSTED_CERT
                                        : type == 1 || type == 3 ? JKS_ENTRY_PRIVATE_KEY
                                                                 : JKS_ENTRY_SECRET_KEY,
                                    name);
    if (!e) {
        free(name);
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    }
    int64_t ms;
    if (gen_time(created, &ms)) {
        e->has_created = 1;
        e->created_ms = ms;
    }
    if (type == 0) {
        if (!jks_entry_alloc_chain(e, 1))
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        else
            e->chain[0] = (jks_bytes){data.p, data.len};
    } else if (type == 1 || type == 3) {
        jks_cursor seq, epki, certs, c;
        size_t n = 0;
        if (!jks_cursor_der_expect(&data, 0x30, &seq) || !jks_cursor_der_element(&seq, NULL, &epki) ||
            !jks_cursor_der_expect(&seq, 0x30, &certs)) {
            s = bad(err, &data, "private key data");
        } else {
            for (c = certs; jks_cursor_remaining(&c); n++) {
                jks_cursor one;
                if (!jks_cursor_der_element(&c, NULL, &one)) {
                    s = bad(err, &c, "certificate chain");
                    break;
                }
            }
            if (s == JKS_OK && !jks_entry_alloc_chain(e, n))
                s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            for (size_t i = 0; s == JKS_OK && i < n; i++) {
                jks_cursor one;
                jks_cursor_der_element(&certs, NULL, &one);
                e->chain[i] = (jks_bytes){one.p, one.len};
            }
            e->prot = (jks_bytes){epki.p, epki.len};
            e->protection = JKS_PROT_BCFKS;
        }
    } else if (type == 2 || type == 4) {
        e->prot = (jks_bytes){data.p, data.len};
        e->protection = JKS_PROT_BCFKS;
    } else {
        s = jks_fail(err, JKS_ERR_FORMAT, (long long)jks_cursor_offset(objs),
                     "unknown BCFKS object type %lld", (long long)type);
    }
    if (s != JKS_OK)
        jks_error_set_alias(err, name);
    free(name);
    return s;
}

static jks_status read_store_data(jks_store *st, const uint8_t *d, size_t n, jks_error *err)
{
    jks_cursor c, osd, alg, t1, t2, objs;
    int64_t version;
    jks_status s;
    jks_cursor_init(&c, d, n);
    if (!jks_cursor_der_expect(&c, 0x30, &osd) || !jks_cursor_der_int64(&osd, &version) ||
        !jks_cursor_der_expect(&osd, 0x30, &alg) || !jks_cursor_der_expect(&osd, 0x18, &t1) ||
        !jks_cursor_der_expect(&osd, 0x18, &t2) || !jks_cursor_der_expect(&osd, 0x30, &objs))
        return bad(err, &c, "object store data");
    st->version = (uint32_t)version;
    while (jks_cursor_remaining(&objs))
        if ((s = read_object(st, &objs, err)) != JKS_OK)
            return s;
    return JKS_OK;
}

static jks_status bcfks_decode(jks_store *st, const uint8_t *data, size_t len,
                               const jks_read_opts *opts, jks_error *err)
{
    jks_cursor c, store, sd, integrity, sd_body, enc_alg = {0}, ct = {0}, mac_seq, mac_alg, mac_oid, mac;
    uint8_t sd_tag, i_tag;
    jks_status s;
    uint32_t max_iter = opts && opts->max_iterations ? opts->max_iterations
                                                     : JKS_DEFAULT_MAX_ITERATIONS;
    const char *pw = opts ? opts->storepass : NULL;
    st->format = JKS_FORMAT_BCFKS;
    jks_cursor_init(&c, data, len);
    if (!jks_cursor_der_expect(&c, 0x30, &store) || !jks_cursor_der_element(&store, &sd_tag, &sd) ||
        sd_tag != 0x30 || !jks_cursor_der_element(&store, &i_tag, &integrity))
        return bad(err, &c, "object store");
    if (i_tag != 0x30)
        return jks_fail(err, JKS_ERR_FORMAT, -1,
                        "BCFKS keystores checked by a signature are not supported");
    jks_cursor tmp = sd;
    uint8_t first;
    if (!jks_cursor_der_expect(&tmp, 0x30, &sd_body) || !jks_cursor_der_peek_tag(&sd_body, &first))
        return bad(err, &c, "store data");
    int encrypted = first == 0x30;
    if (encrypted && (!jks_cursor_der_element(&sd_body, NULL, &enc_alg) ||
                      !jks_cursor_der_expect(&sd_body, 0x04, &ct)))
        return bad(err, &sd_body, "encrypted store data");
    jks_cursor ic = integrity;
    jks_bcfks_kdf kdf;
    if (!jks_cursor_der_expect(&ic, 0x30, &mac_seq) || !jks_cursor_der_expect(&mac_seq, 0x30, &mac_alg) ||
        !jks_cursor_der_expect(&mac_alg, 0x06, &mac_oid) || !jks_bcfks_kdf_parse(&mac_seq, &kdf) ||
        !jks_cursor_der_expect(&mac_seq, 0x04, &mac))
        return jks_fail(err, JKS_ERR_FORMAT, -1,
                        "unsupported BCFKS integrity check (only HMAC-SHA512 keyed by PBKDF2-HMAC-SHA512)");
    if (mac_oid.len != sizeof(OID_HMAC_SHA512) || memcmp(mac_oid.p, OID_HMAC_SHA512, mac_oid.len) ||
        mac.len != 64)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "unsupported BCFKS MAC (only HMAC-SHA512)");
    st->integrity = JKS_INTEGRITY_NOT_CHECKED;
    st->bcfks_iterations = kdf.iterations;
    if (!pw) {
        if (encrypted)
            return jks_fail(err, JKS_ERR_PASSWORD, -1,
                            "this BCFKS keystore is encrypted whole: its store password is needed to read it");
        return read_store_data(st, sd.p, sd.len, err);
    }
    if (kdf.iterations > max_iter)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "PBE iteration count %u exceeds the limit %u",
                        kdf.iterations, max_iter);
    size_t kl = kdf.key_len ? kdf.key_len : 64;
    uint8_t key[1024], want[64];
    unsigned int ml = 0;
    if ((s = jks_work_charge(st, jks_bcfks_work(&kdf, kl), err)) != JKS_OK)
        return s;
    int ok = jks_bcfks_derive(&kdf, pw, "INTEGRITY_CHECK", key, kl) &&
             HMAC(EVP_sha512(), key, (int)kl, sd.p, sd.len, want, &ml) && ml == 64;
    OPENSSL_cleanse(key, kl);
    if (!ok)
        return jks_fail(err, JKS_ERR_IO, -1, "MAC computation failed");
    if (CRYPTO_memcmp(want, mac.p, 64) != 0)
        return jks_fail(err, JKS_ERR_PASSWORD, -1,
                        "keystore password is incorrect (integrity check failed)");
    st->integrity = JKS_INTEGRITY_VERIFIED;
    if (encrypted) {
        uint8_t *plain;
        size_t plain_len;
        if ((s = jks_bcfks_decrypt(st, enc_alg.p, enc_alg.len, ct.p, ct.len, pw, "STORE_ENCRYPTION",
                                   max_iter, &plain, &plain_len, err)) != JKS_OK) {
            if (s == JKS_ERR_PASSWORD) /* the MAC held: the content is corrupt */
                return jks_fail(err, JKS_ERR_FORMAT, -1,
                                "corrupt BCFKS keystore: its MAC holds and its content does not decrypt");
            return s;
        }
        const uint8_t *kept = jks_store_keep(st, plain, plain_len, 1);
        OPENSSL_cleanse(plain, plain_len);
        free(plain);
        if (!kept)
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        s = read_store_data(st, kept, plain_len, err);
    } else {
        s = read_store_data(st, sd.p, sd.len, err);
    }
    if (s != JKS_OK)
        return s;
    jks_store_dedupe_keep_last(st); /* Java's Hashtable keeps the last of an alias (case-sensitive) */
    if (!opts->no_decrypt)
        jks_store_decrypt_keys(st, opts);
    return JKS_OK;
}

/* ---- encoding (as BcFKSKeyStoreSpi.engineStore writes) ----
 * ObjectStore { EncryptedObjectStoreData (AES-256-CCM under
 * "STORE_ENCRYPTION") of ObjectStoreData { 1, hmacWithSHA512, created,
 * modified, objects }, PbkdMacIntegrityCheck over the encrypted data }.
 * Objects as engineSetCertificateEntry/engineSetKeyEntry make them: type 0
 * a certificate's DER; type 1 (PRIVATE_KEY, which BC also uses for the
 * encrypted keys it makes) SEQUENCE { EncryptedPrivateKeyInfo, SEQUENCE OF
 * Certificate } with the PKCS#8 under "PRIVATE_KEY_ENCRYPTION"; type 2
 * (SECRET_KEY) EncryptedSecretKeyData of SecretKeyData { OID, key } under
 * "SECRET_KEY_ENCRYPTION". Each entry's created and modified times are its
 * creation time (BC shows the modified one). */

#define T_CERT 0
#define T_PRIVATE 1
#define T_SECRET 2

/* The secret-key algorithms BC names when it stores a key (its oidMap, AES
 * matched anywhere in the name as BC does); it refuses any other. */
static const struct {
    const char *name; /* upper case, as BC compares */
    uint8_t oid[10];  /* DER content */
    size_t len;
} secret_oids[] = {
    {"DESEDE", {0x2b, 0x0e, 0x03, 0x02, 0x11}, 5},
    {"TRIPLEDES", {0x2b, 0x0e, 0x03, 0x02, 0x11}, 5},
    {"TDEA", {0x2b, 0x0e, 0x03, 0x02, 0x11}, 5},
    {"HMACSHA1", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x07}, 8},
    {"HMACSHA224", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x08}, 8},
    {"HMACSHA256", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x09}, 8},
    {"HMACSHA384", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0a}, 8},
    {"HMACSHA512", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0b}, 8},
    {"HMACSHA512/224", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0c}, 8},
    {"HMACSHA512/256", {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x0d}, 8},
    {"HMACSHA3-224", {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0d}, 9},
    {"HMACSHA3-256", {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0e}, 9},
    {"HMACSHA3-384", {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0f}, 9},
    {"HMACSHA3-512", {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x10}, 9},
};
static const uint8_t OID_AES[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01};

/* The DER content of the OID BC stores a secret key of algorithm alg under;
 * 0 when BC would refuse the key. */
static int secret_oid(const char *alg, const uint8_t **oid, size_t *len)
{
    char up[32];
    size_t n = alg ? strlen(alg) : 0;
    if (n == 0 || n >= sizeof(up))
        return 0;
    for (size_t i = 0; i <= n; i++)
        up[i] = (char)(alg[i] >= 'a' && alg[i] <= 'z' ? alg[i] - 'a' + 'A' : alg[i]);
    if (strstr(up, "AES")) {
        *oid = OID_AES, *len = sizeof(OID_AES);
        return 1;
    }
    for (size_t i = 0; i < sizeof(secret_oids) / sizeof(secret_oids[0]); i++)
        if (!strcmp(up, secret_oids[i].name)) {
            *oid = secret_oids[i].oid, *len = secret_oids[i].len;
            return 1;
        }
    return 0;
}

/* GeneralizedTime of ms since the epoch: "YYYYMMDDHHMMSS[.fff]Z", the
 * fraction without trailing zeros (DER), none for whole seconds. */
static void put_time(jks_builder *b, int64_t ms)
{
    char t[32];
    struct tm tm;
    int64_t s = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
    int frac = (int)(ms - s * 1000);
    time_t tt = (time_t)s;
    if (!gmtime_r(&tt, &tm) || tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999) {
        jks_builder_der(b, 0x18, "19700101000000Z", 15);
        return;
    }
    size_t n = (size_t)snprintf(t, sizeof(t), "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (frac) {
        n += (size_t)snprintf(t + n, sizeof(t) - n, ".%03d", frac);
        while (t[n - 1] == '0')
            n--;
    }
    t[n++] = 'Z';
    jks_builder_der(b, 0x18, t, n);
}

/* Refuse what BCFKS (or BC storing it) cannot hold before any byte is
 * written; the error names the entry. */
static jks_status check_writable(const jks_store *st, const jks_write_opts *opts, jks_error *err)
{
    if (!opts->storepass)
        return jks_fail(err, JKS_ERR_USAGE, -1, "a store password is needed to write BCFKS");
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        const uint8_t *oid;
        size_t oid_len;
        int keep;
        jks_status s = jks_key_write_mode(e, opts, &keep, err);
        if (s == JKS_OK && e->kind == JKS_ENTRY_PRIVATE_KEY && e->n_chain == 0)
            s = jks_fail(err, JKS_ERR_USAGE, -1,
                         "private key without a certificate cannot be stored in BCFKS");
        else if (s == JKS_OK && e->kind == JKS_ENTRY_TRUSTED_CERT && e->n_chain != 1)
            s = jks_fail(err, JKS_ERR_FORMAT, -1, "trusted certificate entry without a certificate");
        else if (s == JKS_OK && e->kind == JKS_ENTRY_SECRET_KEY && !keep &&
                 !secret_oid(e->secret_alg, &oid, &oid_len))
            s = jks_fail(err, JKS_ERR_USAGE, -1,
                         "BCFKS cannot hold a secret key of algorithm %s (BouncyCastle names AES, "
                         "DESede and HMAC keys only)",
                         e->secret_alg ? e->secret_alg : "(none)");
        for (size_t j = 0; s == JKS_OK && j < i; j++)
            if (!strcmp(st->entries[j]->alias, e->alias))
                s = jks_fail(err, JKS_ERR_USAGE, -1, "two entries have this alias");
        if (s != JKS_OK) {
            jks_error_set_alias(err, e->alias);
            return s;
        }
    }
    return JKS_OK;
}

/* The data of one key object: kept as read, or encrypted afresh. */
static jks_status key_data(jks_builder *b, const jks_entry *e, const jks_write_opts *opts,
                           jks_error *err)
{
    const char *kp = opts->keypass ? opts->keypass : opts->storepass;
    int keep = 0;
    jks_status s;
    jks_key_write_mode(e, opts, &keep, NULL);
    if (e->kind == JKS_ENTRY_PRIVATE_KEY) {
        size_t m = jks_builder_der_open(b, 0x30);
        if (keep)
            jks_builder_bytes(b, e->prot.data, e->prot.len);
        else if ((s = jks_bcfks_encrypt(b, e->plain, e->plain_len, kp, "PRIVATE_KEY_ENCRYPTION",
                                        JKS_BCFKS_ITERATIONS, err)) != JKS_OK)
            return s;
        size_t c = jks_builder_der_open(b, 0x30);
        for (size_t j = 0; j < e->n_chain; j++)
            jks_builder_bytes(b, e->chain[j].data, e->chain[j].len);
        jks_builder_der_close(b, c);
        jks_builder_der_close(b, m);
        return JKS_OK;
    }
    if (keep) {
        jks_builder_bytes(b, e->prot.data, e->prot.len);
        return JKS_OK;
    }
    const uint8_t *oid = NULL;
    size_t oid_len = 0;
    jks_builder skd;
    secret_oid(e->secret_alg, &oid, &oid_len);
    jks_builder_init(&skd, e->plain_len + 32);
    size_t m = jks_builder_der_open(&skd, 0x30);
    jks_builder_der(&skd, 0x06, oid, oid_len);
    jks_builder_der(&skd, 0x04, e->plain, e->plain_len);
    jks_builder_der_close(&skd, m);
    s = jks_builder_ok(&skd) ? jks_bcfks_encrypt(b, skd.buf, skd.len, kp, "SECRET_KEY_ENCRYPTION",
                                                 JKS_BCFKS_ITERATIONS, err)
                             : jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    jks_builder_cleanup(&skd); /* wipes the key */
    return s;
}

static jks_status bcfks_encode(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                               size_t *out_len, jks_error *err)
{
    jks_builder osd, sd, ic, b;
    jks_status s = check_writable(st, opts, err);
    if (s != JKS_OK)
        return s;
    /* BC keeps a loaded store's MAC iteration count (within what we read) */
    uint32_t iter = st->bcfks_iterations && st->bcfks_iterations <= JKS_DEFAULT_MAX_ITERATIONS
                        ? st->bcfks_iterations
                        : JKS_BCFKS_ITERATIONS;
    int64_t now = (int64_t)time(NULL) * 1000;
    /* ObjectStoreData, in the clear: wiped when done (it holds no plain
     * key, but BC's store encryption hides the aliases and certificates) */
    jks_builder_init(&osd, 4096);
    size_t m = jks_builder_der_open(&osd, 0x30);
    jks_builder_der_uint(&osd, 1);
    jks_bcfks_hmac_alg_append(&osd);
    put_time(&osd, now);
    put_time(&osd, now);
    size_t objs = jks_builder_der_open(&osd, 0x30);
    for (size_t i = 0; i < st->n && s == JKS_OK; i++) {
        const jks_entry *e = st->entries[i];
        int64_t t = e->has_created ? e->created_ms : now;
        size_t od = jks_builder_der_open(&osd, 0x30);
        jks_builder_der_uint(&osd, e->kind == JKS_ENTRY_TRUSTED_CERT  ? T_CERT
                                   : e->kind == JKS_ENTRY_PRIVATE_KEY ? T_PRIVATE
                                                                      : T_SECRET);
        jks_builder_der(&osd, 0x0c, e->alias, strlen(e->alias));
        put_time(&osd, t);
        put_time(&osd, t);
        if (e->kind == JKS_ENTRY_TRUSTED_CERT) {
            jks_builder_der(&osd, 0x04, e->chain[0].data, e->chain[0].len);
        } else {
            size_t data = jks_builder_der_open(&osd, 0x04);
            if ((s = key_data(&osd, e, opts, err)) != JKS_OK)
                jks_error_set_alias(err, e->alias);
            jks_builder_der_close(&osd, data);
        }
        jks_builder_der_close(&osd, od);
    }
    jks_builder_der_close(&osd, objs);
    jks_builder_der_close(&osd, m);
    if (s != JKS_OK) {
        jks_builder_cleanup(&osd);
        return s;
    }
    if (!jks_builder_ok(&osd)) {
        jks_builder_cleanup(&osd);
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    }
    /* EncryptedObjectStoreData, then the MAC over it */
    jks_builder_init(&sd, osd.len + 256);
    s = jks_bcfks_encrypt(&sd, osd.buf, osd.len, opts->storepass, "STORE_ENCRYPTION", iter, err);
    jks_builder_cleanup(&osd);
    if (s != JKS_OK) {
        jks_builder_cleanup(&sd);
        return s;
    }
    jks_builder_init(&ic, 256);
    if (!jks_bcfks_mac_append(&ic, sd.buf, sd.len, opts->storepass, iter)) {
        jks_builder_cleanup(&sd);
        jks_builder_cleanup(&ic);
        return jks_fail(err, JKS_ERR_IO, -1, "MAC computation failed");
    }
    jks_builder_init(&b, sd.len + ic.len + 8);
    jks_builder_der_header(&b, 0x30, sd.len + ic.len);
    jks_builder_bytes(&b, sd.buf, sd.len);
    jks_builder_bytes(&b, ic.buf, ic.len);
    jks_builder_cleanup(&sd);
    jks_builder_cleanup(&ic);
    if (!jks_builder_finish(&b, out, out_len))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    return JKS_OK;
}

const jks_codec jks_codec_bcfks = {bcfks_decode, bcfks_encode, NULL};
