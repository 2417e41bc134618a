/* The BouncyCastle BCFKS codec (BcFKSKeyStoreSpi), reading only:
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
 * crypto/bcfkscrypto.h. Signature-checked stores are not read. */
#include "bcfkscrypto.h"
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

static jks_status bcfks_encode(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                               size_t *out_len, jks_error *err)
{
    (void)st;
    (void)opts;
    (void)out;
    (void)out_len;
    return jks_fail(err, JKS_ERR_USAGE, -1, "writing BCFKS is not supported yet");
}

const jks_codec jks_codec_bcfks = {bcfks_decode, bcfks_encode, NULL};
