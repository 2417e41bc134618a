/* The JKS (FEEDFEED) and JCEKS (CECECECE) codecs: FORMATS.md 1 and 3.
 * Decoding walks the file through the cursor and keeps views into it;
 * encoding writes keytool's layout (version 2) through the builder. */
#include "builder.h"
#include "cursor.h"
#include "digest.h"
#include "javaser.h"
#include "pkcs8.h"
#include "protect.h"
#include "codec.h"
#include "cert.h"
#include "keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAGIC_JKS 0xFEEDFEEDu
#define MAGIC_JCEKS 0xCECECECEu
#define TAG_KEY 1
#define TAG_CERT 2
#define TAG_SECRET 3
#define DIGEST_LEN 20

static const char whitener[] = "Mighty Aphrodite";

/* SHA1(UTF16BE(password) || "Mighty Aphrodite" || data) */
static int store_digest(const char *password, const uint8_t *data, size_t len,
                        uint8_t out[DIGEST_LEN])
{
    uint8_t *pw16;
    size_t pw16_len;
    jks_sha1_ctx ctx;
    if (!jks_utf8_to_utf16be(password, &pw16, &pw16_len))
        return 0;
    jks_sha1_init(&ctx);
    jks_sha1_update(&ctx, pw16, pw16_len);
    jks_sha1_update(&ctx, whitener, sizeof(whitener) - 1);
    jks_sha1_update(&ctx, data, len);
    int ok = jks_sha1_final(&ctx, out);
    OPENSSL_cleanse(pw16, pw16_len);
    free(pw16);
    return ok;
}

/* The same digest computed while parsing: the file is hashed in chunks as
 * the cursor passes them, and the pages behind are handed back to the kernel
 * (a mapped input is re-read from the page cache if touched again), so that
 * reading a 100 MB store does not keep 100 MB resident. */
typedef struct {
    jks_sha1_ctx ctx;
    int on; /* 0 when no password was given */
    size_t done;
} stream_digest;

#define DIGEST_CHUNK ((size_t)1 << 20)

static int digest_begin(stream_digest *d, const char *password)
{
    uint8_t *pw16;
    size_t pw16_len;
    d->on = 0;
    d->done = 0;
    if (!password)
        return 1;
    if (!jks_utf8_to_utf16be(password, &pw16, &pw16_len))
        return 0;
    d->on = 1;
    jks_sha1_init(&d->ctx);
    jks_sha1_update(&d->ctx, pw16, pw16_len);
    jks_sha1_update(&d->ctx, whitener, sizeof(whitener) - 1);
    OPENSSL_cleanse(pw16, pw16_len);
    free(pw16);
    return d->ctx.ok;
}

/* Hash data[done..upto) once at least a chunk is pending (or when final). */
static int digest_upto(stream_digest *d, const jks_store *st, const uint8_t *data, size_t upto,
                       int final)
{
    if (upto <= d->done || (!final && upto - d->done < DIGEST_CHUNK))
        return 1;
    if (d->on) {
        jks_sha1_update(&d->ctx, data + d->done, upto - d->done);
        if (!d->ctx.ok)
            return 0;
    }
    d->done = upto;
    jks_store_release_input(st, upto);
    return 1;
}

static void digest_free(stream_digest *d)
{
    if (d->on)
        jks_sha1_abort(&d->ctx);
    d->on = 0;
}

static jks_status truncated(jks_error *err, const jks_cursor *c, const char *what)
{
    return jks_fail(err, JKS_ERR_FORMAT, (long long)jks_cursor_offset(c),
                    "truncated or corrupt keystore: %s", what);
}

/* A certificate: v2 has a type string first; only X.509 exists in practice. */
static jks_status read_cert(jks_cursor *c, uint32_t version, jks_bytes *out, jks_error *err)
{
    jks_cursor der;
    if (version == 2) {
        jks_cursor t;
        size_t off = jks_cursor_offset(c);
        if (!jks_cursor_u16_prefixed(c, &t))
            return truncated(err, c, "certificate type");
        if (t.len != 5 || memcmp(t.p, "X.509", 5))
            return jks_fail(err, JKS_ERR_FORMAT, (long long)off,
                            "unsupported certificate type (only X.509)");
    }
    size_t off = jks_cursor_offset(c);
    if (!jks_cursor_u32_prefixed(c, &der))
        return truncated(err, c, "certificate length runs past the end of the file");
    if (der.len == 0) /* Java: CertificateException "Empty input" */
        return jks_fail(err, JKS_ERR_FORMAT, (long long)off, "empty certificate (length 0)");
    out->data = der.p;
    out->len = der.len;
    return JKS_OK;
}

static jks_status read_entry(jks_store *st, jks_cursor *c, uint32_t version, int jceks,
                             jks_error *err)
{
    size_t off = jks_cursor_offset(c);
    uint32_t tag;
    uint64_t ts;
    char *alias = NULL;
    size_t alias_len;
    jks_status s = JKS_OK;
    jks_entry *e = NULL;

    if (!jks_cursor_u32(c, &tag))
        return truncated(err, c, "entry tag");
    if (tag != TAG_KEY && tag != TAG_CERT && !(tag == TAG_SECRET && jceks))
        return jks_fail(err, JKS_ERR_FORMAT, (long long)off, "unrecognized keystore entry tag %u%s",
                        tag, tag == TAG_SECRET ? " (secret keys exist only in JCEKS)" : "");
    if (!jks_cursor_java_utf(c, &alias, &alias_len))
        return truncated(err, c, "alias");
    if (!jks_cursor_u64(c, &ts)) {
        s = truncated(err, c, "creation time");
        goto out;
    }
    e = jks_store_append(st, tag == TAG_KEY    ? JKS_ENTRY_PRIVATE_KEY
                             : tag == TAG_CERT ? JKS_ENTRY_TRUSTED_CERT
                                               : JKS_ENTRY_SECRET_KEY,
                         alias);
    if (!e) {
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        goto out;
    }
    e->has_created = 1;
    e->created_ms = (int64_t)ts;
    if (tag == TAG_KEY) {
        jks_cursor key;
        uint32_t n;
        if (!jks_cursor_u32_prefixed(c, &key)) {
            s = truncated(err, c, "key length runs past the end of the file");
            goto out;
        }
        e->prot.data = key.p;
        e->prot.len = key.len;
        e->protection = jceks ? JKS_PROT_JCEKS_3DES : JKS_PROT_JKS;
        if (!jks_cursor_u32(c, &n)) {
            s = truncated(err, c, "chain length");
            goto out;
        }
        /* each certificate takes at least its length, one byte (Java refuses an
         * empty one) and in v2 its type "X.509": never allocate on a claim */
        size_t cert_min = 4 + 1 + (version == 2 ? 2 + 5 : 0);
        if (n > jks_cursor_remaining(c) / cert_min) {
            s = jks_fail(err, JKS_ERR_FORMAT, (long long)jks_cursor_offset(c),
                         "certificate chain of %u certificates cannot fit in the %zu bytes "
                         "left (each needs at least %zu)",
                         n, jks_cursor_remaining(c), cert_min);
            goto out;
        }
        if (!jks_entry_alloc_chain(e, n)) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            goto out;
        }
        for (uint32_t i = 0; i < n && s == JKS_OK; i++)
            s = read_cert(c, version, &e->chain[i], err);
    } else if (tag == TAG_CERT) {
        if (!jks_entry_alloc_chain(e, 1)) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            goto out;
        }
        s = read_cert(c, version, &e->chain[0], err);
    } else {
        jks_sealed sealed;
        const uint8_t *start = c->p;
        s = jks_sealed_parse(c, &sealed, err);
        if (s == JKS_OK) {
            e->prot.data = start;
            e->prot.len = (size_t)(c->p - start);
            e->protection = JKS_PROT_JCEKS_3DES;
        }
    }
    /* a low-memory read: the input is a mapping the store will not keep */
    if (s == JKS_OK && st->input_mapped && !jks_entry_own_views(st, e))
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
out:
    if (s != JKS_OK)
        jks_error_set_alias(err, alias);
    free(alias);
    return s;
}

/* ---- after a digest mismatch: corrupt bytes, or a wrong password? ----
 * Every certificate gets a cheap check: its DER is walked through the
 * cursor, microseconds a certificate, so a changed tag or length is found
 * in any store. The first FULL_CHECKS certificates also get the expensive
 * check: OpenSSL decodes each one and verifies the signature of a
 * self-signed one. That costs about 100 us a certificate (12 s for a
 * 100,000-certificate store, all for a mistyped password), so it is bounded
 * by a count, which keeps the verdict the same from run to run (a time
 * limit would not). The trade-off: past the budget, a changed byte that
 * leaves the DER well formed (inside a name, key or signature) is reported
 * as a wrong password, whose message says that no corrupt data was found.
 * Stores of up to FULL_CHECKS certificates (cacerts holds about 150) are
 * checked as fully as ever.
 * A certificate the walk rejects is corrupt only if OpenSSL cannot decode
 * it either, so a valid store read with a wrong password is never called
 * corrupt for an odd but accepted encoding (BER lengths, deep nesting). */
#define FULL_CHECKS 256
#define DER_MAX_DEPTH 16
#define DER_BOOLEAN 0x01
#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_NULL 0x05
#define DER_OID 0x06
#define DER_SEQUENCE 0x30
#define DER_CONSTRUCTED 0x20

/* The contents of one DER element: a constructed one is a run of elements
 * filling it exactly (to a bounded depth); the primitive types below follow
 * the X.690 rules that OpenSSL's decoder enforces as well. */
static int der_valid(uint8_t tag, jks_cursor body, int depth)
{
    size_t n = jks_cursor_remaining(&body);
    uint8_t a, b;
    int ended = 1;
    if (tag & DER_CONSTRUCTED) {
        jks_cursor inner;
        if (depth >= DER_MAX_DEPTH)
            return 0;
        while (jks_cursor_remaining(&body))
            if (!jks_cursor_der(&body, &tag, &inner) || !der_valid(tag, inner, depth + 1))
                return 0;
        return 1;
    }
    switch (tag) {
    case DER_BOOLEAN:
        return n == 1;
    case DER_INTEGER: /* not empty, no redundant leading 00 or FF */
        if (!jks_cursor_u8(&body, &a))
            return 0;
        return !jks_cursor_u8(&body, &b) || ((a != 0x00 || b >= 0x80) && (a != 0xff || b < 0x80));
    case DER_BIT_STRING: /* the unused-bits count, 0 when there are no bits */
        return jks_cursor_u8(&body, &a) && a <= 7 && (n > 1 || a == 0);
    case DER_NULL:
        return n == 0;
    case DER_OID: /* base-128 subidentifiers: no leading 0x80, the last one ended */
        while (jks_cursor_u8(&body, &a)) {
            if (ended && a == 0x80)
                return 0;
            ended = !(a & 0x80);
        }
        return n > 0 && ended;
    default:
        return 1;
    }
}

/* Certificate ::= SEQUENCE { TBSCertificate, AlgorithmIdentifier, BIT STRING }
 * (RFC 5280 4.1), exactly filling der, the TBSCertificate fields in their
 * order, and every element inside well formed. */
static int cert_well_formed(jks_bytes der)
{
    jks_cursor c, cert, tbs, f;
    uint8_t t, prev = 0;
    if (!jks_cert_der_shaped(der, &tbs))
        return 0;
    jks_cursor_init(&c, der.data, der.len);
    if (!jks_cursor_der(&c, &t, &cert) || !der_valid(t, cert, 0))
        return 0;
    /* [0] version OPTIONAL, serialNumber, then signature, issuer, validity,
     * subject and subjectPublicKeyInfo, all SEQUENCEs */
    if (!jks_cursor_der(&tbs, &t, &f) || (t == 0xa0 && !jks_cursor_der(&tbs, &t, &f)) ||
        t != DER_INTEGER)
        return 0;
    for (int i = 0; i < 5; i++)
        if (!jks_cursor_der(&tbs, &t, &f) || t != DER_SEQUENCE)
            return 0;
    /* [1] issuerUniqueID, [2] subjectUniqueID, [3] extensions: optional, in order */
    while (jks_cursor_remaining(&tbs)) {
        if (!jks_cursor_der(&tbs, &t, &f) || (t != 0x81 && t != 0x82 && t != 0xa3) || t <= prev)
            return 0;
        prev = t;
    }
    return 1;
}

/* 1 when OpenSSL cannot decode der as exactly one certificate, or (with
 * verify) when it is self-signed and its signature does not verify. */
/* 1 with *alias set when an entry's bytes are found corrupt: a key blob that
 * is not an EncryptedPrivateKeyInfo, or a certificate as described above.
 * The views point into the store's own memory (a low-memory read copied
 * them while parsing), never into a mapping. */
static int find_corruption(const jks_store *st, const char **alias)
{
    size_t certs = 0;
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        *alias = e->alias;
        if (e->kind == JKS_ENTRY_PRIVATE_KEY) {
            jks_epki ep;
            if (!jks_epki_parse(e->prot.data, e->prot.len, &ep))
                return 1;
            jks_epki_clear(&ep);
        }
        for (size_t j = 0; j < e->n_chain; j++, certs++) {
            if (certs < FULL_CHECKS ? jks_cert_der_broken(e->chain[j], 1)
                                    : !cert_well_formed(e->chain[j]) && jks_cert_der_broken(e->chain[j], 0))
                return 1;
        }
    }
    return 0;
}

/* magic, version, entry count (FORMATS.md 1.1). */
static jks_status read_header(jks_store *st, jks_cursor *c, const jks_read_opts *opts,
                              uint32_t *version, uint32_t *count, int *jceks, jks_error *err)
{
    uint32_t magic;
    if (!jks_cursor_u32(c, &magic) || (magic != MAGIC_JKS && magic != MAGIC_JCEKS))
        return jks_fail(err, JKS_ERR_FORMAT, 0, "not a JKS or JCEKS keystore (bad magic)");
    if (opts && opts->force_format == JKS_FORMAT_JKS && magic == MAGIC_JCEKS)
        return jks_fail(err, JKS_ERR_FORMAT, 0, "invalid keystore format: JCEKS file read as JKS");
    *jceks = magic == MAGIC_JCEKS;
    st->format = *jceks ? JKS_FORMAT_JCEKS : JKS_FORMAT_JKS;
    if (!jks_cursor_u32(c, version))
        return truncated(err, c, "header");
    if (*version != 1 && *version != 2)
        return jks_fail(err, JKS_ERR_FORMAT, 4, "unsupported keystore version %u", *version);
    st->version = *version;
    if (!jks_cursor_u32(c, count))
        return truncated(err, c, "header");
    return JKS_OK;
}

static jks_status jks_jks_decode(jks_store *st, const uint8_t *data, size_t len,
                          const jks_read_opts *opts, jks_error *err)
{
    jks_cursor c;
    uint32_t version, count;
    int jceks;
    jks_status s;
    jks_cursor_init(&c, data, len);
    if ((s = read_header(st, &c, opts, &version, &count, &jceks, err)) != JKS_OK)
        return s;
    stream_digest dg;
    if (!digest_begin(&dg, opts ? opts->storepass : NULL)) {
        digest_free(&dg);
        return jks_fail(err, JKS_ERR_IO, -1, "digest computation failed");
    }
    for (uint32_t i = 0; i < count; i++) {
        if ((s = read_entry(st, &c, version, jceks, err)) != JKS_OK ||
            (!digest_upto(&dg, st, data, jks_cursor_offset(&c), 0) &&
             (s = jks_fail(err, JKS_ERR_IO, -1, "digest computation failed")))) {
            digest_free(&dg);
            return s;
        }
    }
    jks_store_dedupe_keep_last(st); /* Java keeps the last of duplicate aliases */

    st->integrity = JKS_INTEGRITY_NOT_CHECKED;
    /* The digest must be there even when it is not checked: a file cut
     * short is malformed, password or not (Java would not notice). */
    size_t off = jks_cursor_offset(&c);
    const uint8_t *have;
    if (!jks_cursor_view(&c, DIGEST_LEN, &have)) {
        digest_free(&dg);
        return jks_fail(err, JKS_ERR_FORMAT, (long long)off,
                        "truncated keystore: the %zu-byte integrity digest is missing (%zu bytes left)",
                        (size_t)DIGEST_LEN, jks_cursor_remaining(&c));
    }
    if (opts && opts->storepass) {
        uint8_t want[DIGEST_LEN];
        int ok = digest_upto(&dg, st, data, off, 1) && dg.on && jks_sha1_final(&dg.ctx, want);
        dg.on = 0;
        if (!ok)
            return jks_fail(err, JKS_ERR_IO, -1, "digest computation failed");
        if (CRYPTO_memcmp(want, have, DIGEST_LEN) != 0) {
            const char *alias = NULL;
            int corrupt = find_corruption(st, &alias);
            return jks_integrity_mismatch(corrupt, alias, (long long)off, err);
        }
        st->integrity = JKS_INTEGRITY_VERIFIED;
    }
    digest_free(&dg);
    if (!opts || !opts->no_decrypt)
        jks_store_decrypt_keys(st, opts);
    return JKS_OK;
}

/* ---- encoding ---- */

/* keep_encryption: the stored bytes go out as they are when the one answer
 * (jks_entry_protection_reusable) says JKS/JCEKS holds them. */
static int keep_key(const jks_entry *e, const jks_write_opts *opts, int jceks)
{
    return opts->keep_encryption &&
           jks_entry_protection_reusable(e, jceks ? JKS_FORMAT_JCEKS : JKS_FORMAT_JKS);
}

static void write_cert(jks_builder *b, jks_bytes cert)
{
    jks_builder_java_utf(b, "X.509");
    jks_builder_u32(b, (uint32_t)cert.len);
    jks_builder_bytes(b, cert.data, cert.len);
}

static jks_status write_secret(jks_builder *b, const jks_entry *e, const char *pw,
                               jks_error *err)
{
    uint8_t *inner = NULL, *ct = NULL, *params = NULL, salt[8];
    size_t inner_len, ct_len, params_len;
    jks_status s = JKS_ERR_IO;
    if (!jks_secretkey_build(e->secret_alg, e->plain, e->plain_len, &inner, &inner_len))
        return jks_fail(err, JKS_ERR_IO, -1, "cannot serialize secret key");
    do {
        if (RAND_bytes(salt, sizeof(salt)) != 1)
            goto out;
    } while (!memcmp(salt, salt + 4, 4));
    s = jks_pbe3des_crypt(1, inner, inner_len, (const uint8_t *)pw, strlen(pw), salt,
                          JKS_JCEKS_ITERATIONS, 0, &ct, &ct_len);
    if (s == JKS_OK && !jks_pbe_param_build(salt, 8, JKS_JCEKS_ITERATIONS, &params, &params_len))
        s = JKS_ERR_IO;
    if (s == JKS_OK)
        jks_sealed_build(b, params, params_len, ct, ct_len);
out:
    if (inner) {
        OPENSSL_cleanse(inner, inner_len);
        free(inner);
    }
    free(ct);
    free(params);
    if (s != JKS_OK)
        return jks_fail(err, s, -1, "cannot seal secret key");
    return JKS_OK;
}

static jks_status jks_jks_encode(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                          size_t *out_len, jks_error *err)
{
    jks_builder b;
    int jceks = opts->format == JKS_FORMAT_JCEKS;
    const char *kp = opts->keypass ? opts->keypass : opts->storepass;
    jks_status s = JKS_OK;
    uint8_t digest[DIGEST_LEN];
    int64_t now = (int64_t)time(NULL) * 1000;
    uint32_t version = (opts->keep_encryption && st->version == 1 &&
                        (st->format == JKS_FORMAT_JKS || st->format == JKS_FORMAT_JCEKS))
                           ? 1
                           : 2;

    if (!opts->storepass)
        return jks_fail(err, JKS_ERR_USAGE, -1, "a store password is needed to write %s",
                        jceks ? "JCEKS" : "JKS");
    /* validate first so no half-built output is ever produced */
    if ((s = jks_store_check_java_aliases(st, err)) != JKS_OK)
        return s;
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        if (e->kind == JKS_ENTRY_SECRET_KEY && !jceks) {
            jks_fail(err, JKS_ERR_USAGE, -1, "JKS cannot hold secret keys (use JCEKS or PKCS#12)");
            jks_error_set_alias(err, e->alias);
            return JKS_ERR_USAGE;
        }
        int keep;
        jks_write_opts o = *opts;
        o.format = jceks ? JKS_FORMAT_JCEKS : JKS_FORMAT_JKS;
        if ((s = jks_key_write_mode(e, &o, &keep, err)) != JKS_OK)
            return s;
        if (e->kind == JKS_ENTRY_PRIVATE_KEY && e->n_chain == 0) {
            jks_fail(err, JKS_ERR_USAGE, -1, "private key without a certificate cannot be stored in %s",
                     jceks ? "JCEKS" : "JKS");
            jks_error_set_alias(err, e->alias);
            return JKS_ERR_USAGE;
        }
        if (e->kind == JKS_ENTRY_TRUSTED_CERT && e->n_chain != 1) {
            jks_fail(err, JKS_ERR_FORMAT, -1, "trusted certificate entry without a certificate");
            jks_error_set_alias(err, e->alias);
            return JKS_ERR_FORMAT;
        }
    }

    size_t est = 64;
    for (size_t i = 0; i < st->n; i++) {
        est += 64 + strlen(st->entries[i]->alias) * 2 + st->entries[i]->prot.len + 128;
        for (size_t j = 0; j < st->entries[i]->n_chain; j++)
            est += st->entries[i]->chain[j].len + 16;
    }
    jks_builder_init(&b, est);
    jks_builder_u32(&b, jceks ? MAGIC_JCEKS : MAGIC_JKS);
    jks_builder_u32(&b, version);
    jks_builder_u32(&b, (uint32_t)st->n);
    for (size_t i = 0; i < st->n && s == JKS_OK; i++) {
        const jks_entry *e = st->entries[i];
        char *alias = jks_alias_java_lower(e->alias);
        if (!alias) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            break;
        }
        jks_builder_u32(&b, e->kind == JKS_ENTRY_PRIVATE_KEY    ? TAG_KEY
                            : e->kind == JKS_ENTRY_TRUSTED_CERT ? TAG_CERT
                                                                : TAG_SECRET);
        jks_builder_java_utf(&b, alias);
        free(alias);
        jks_builder_u64(&b, (uint64_t)(e->has_created ? e->created_ms : now));
        if (e->kind == JKS_ENTRY_PRIVATE_KEY) {
            if (keep_key(e, opts, jceks)) {
                jks_builder_u32(&b, (uint32_t)e->prot.len);
                jks_builder_bytes(&b, e->prot.data, e->prot.len);
            } else {
                uint8_t *epki;
                size_t epki_len;
                s = jks_epki_encrypt(jceks ? JKS_PROT_JCEKS_3DES : JKS_PROT_JKS, e->plain,
                                     e->plain_len, kp, &epki, &epki_len, err);
                if (s != JKS_OK) {
                    jks_error_set_alias(err, e->alias);
                    break;
                }
                jks_builder_u32(&b, (uint32_t)epki_len);
                jks_builder_bytes(&b, epki, epki_len);
                free(epki);
            }
            jks_builder_u32(&b, (uint32_t)e->n_chain);
            for (size_t j = 0; j < e->n_chain; j++)
                if (version == 2)
                    write_cert(&b, e->chain[j]);
                else {
                    jks_builder_u32(&b, (uint32_t)e->chain[j].len);
                    jks_builder_bytes(&b, e->chain[j].data, e->chain[j].len);
                }
        } else if (e->kind == JKS_ENTRY_TRUSTED_CERT) {
            if (version == 2)
                write_cert(&b, e->chain[0]);
            else {
                jks_builder_u32(&b, (uint32_t)e->chain[0].len);
                jks_builder_bytes(&b, e->chain[0].data, e->chain[0].len);
            }
        } else if (keep_key(e, opts, jceks)) {
            jks_builder_bytes(&b, e->prot.data, e->prot.len);
        } else {
            s = write_secret(&b, e, kp, err);
            if (s != JKS_OK)
                jks_error_set_alias(err, e->alias);
        }
    }
    if (s != JKS_OK) {
        jks_builder_cleanup(&b);
        return s;
    }
    if (!jks_builder_ok(&b)) {
        jks_builder_cleanup(&b);
        return jks_fail(err, JKS_ERR_USAGE, -1, "entry too large for the format (alias over 65535 bytes?)");
    }
    if (!store_digest(opts->storepass, b.buf, b.len, digest)) {
        jks_builder_cleanup(&b);
        return jks_fail(err, JKS_ERR_IO, -1, "digest computation failed");
    }
    jks_builder_bytes(&b, digest, DIGEST_LEN);
    if (!jks_builder_finish(&b, out, out_len))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    return JKS_OK;
}

/* ---- visiting (codec.h): memory-flat, two passes through a file window ----
 * Pass 1 parses every entry (and drops it), hashes the file for the
 * integrity digest and notes each alias's hash and offset; duplicate aliases
 * are then found by sorting those notes (Java keeps the last). Pass 2 parses
 * again and hands each kept entry to the visitor. Any fault in pass 1 is
 * left to a whole read (*whole), which reports it exactly as decode does. */

#define HEADER_LEN 12
#define ENTRY_MIN 18 /* tag, alias length, date, one length or count */

typedef struct {
    uint64_t hash;
    size_t index;
} alias_note;

static int alias_note_cmp(const void *a, const void *b)
{
    const alias_note *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The next entry from the window, appended to st; *len its size. The window
 * grows until the entry fits or the file ends. */
static jks_status window_entry(jks_store *st, jks_file_window *w, uint32_t version, int jceks,
                               size_t *len, jks_error *err)
{
    size_t want = (size_t)64 << 10;
    for (;;) {
        const uint8_t *p;
        size_t avail, before = st->n;
        jks_cursor c;
        if (!jks_file_window_get(w, want, &p, &avail))
            return jks_fail(err, JKS_ERR_IO, -1, "cannot read the file (changed while read?)");
        jks_cursor_init(&c, p, avail);
        jks_status s = read_entry(st, &c, version, jceks, err);
        if (s == JKS_OK) {
            *len = jks_cursor_offset(&c);
            return JKS_OK;
        }
        while (st->n > before)
            jks_store_remove(st, st->n - 1);
        if (jks_file_window_offset(w) + avail >= w->size)
            return s; /* the rest of the file was there: a real fault */
        want = avail * 2;
    }
}

/* The alias of the entry at file offset off (malloc'd; NULL on failure). */
static char *alias_at(const jks_file_window *w, size_t off)
{
    uint8_t len2[2];
    char *alias = NULL;
    size_t alias_len;
    jks_cursor c;
    if (jks_file_window_read_at(w, off + 4, len2, 2) != 2)
        return NULL;
    size_t n = 2 + ((size_t)len2[0] << 8 | len2[1]);
    uint8_t *head = malloc(n);
    if (head && jks_file_window_read_at(w, off + 4, head, n) == n) {
        jks_cursor_init(&c, head, n);
        if (!jks_cursor_java_utf(&c, &alias, &alias_len))
            alias = NULL;
    }
    free(head);
    return alias;
}

/* A hash of an alias nobody can make collide on purpose (SHA-256), so that
 * a group of equal hashes is one alias repeated, compared exactly below. */
static uint64_t alias_hash(const char *alias)
{
    uint8_t md[JKS_SHA256_LEN];
    uint64_t h = 0;
    jks_sha256(alias, strlen(alias), md);
    for (int i = 0; i < 8; i++)
        h = h << 8 | md[i];
    return h;
}

/* skip[i] = 1 for each entry whose alias a later entry repeats (the rule of
 * jks_store_dedupe_keep_last: jks_alias_dedupe_same). Linear but for the
 * sort: in a group of equal hashes, each member is compared with the
 * distinct aliases met later in the group, in practice one. */
static int mark_duplicates(const jks_file_window *w, alias_note *notes, const size_t *offs,
                           size_t n, uint8_t *skip)
{
    char **seen = NULL;
    size_t n_seen = 0, cap_seen = 0;
    int ok = 1;
    if (n > 1)
        qsort(notes, n, sizeof(*notes), alias_note_cmp);
    for (size_t i = 0; i < n && ok;) {
        size_t j = i + 1;
        while (j < n && notes[j].hash == notes[i].hash)
            j++;
        for (size_t k = j; k-- > i && ok && j - i > 1;) { /* last in the file first */
            char *x = alias_at(w, offs[notes[k].index]);
            size_t d = 0;
            if (!x) {
                ok = 0;
                break;
            }
            while (d < n_seen && !jks_alias_dedupe_same(seen[d], x))
                d++;
            if (d < n_seen) {
                skip[notes[k].index] = 1;
                free(x);
                continue;
            }
            if (n_seen == cap_seen) {
                char **ns = realloc(seen, (cap_seen ? cap_seen * 2 : 4) * sizeof(*ns));
                if (!ns) {
                    free(x);
                    ok = 0;
                    break;
                }
                seen = ns;
                cap_seen = cap_seen ? cap_seen * 2 : 4;
            }
            seen[n_seen++] = x;
        }
        while (n_seen)
            free(seen[--n_seen]);
        i = j;
    }
    free(seen);
    return ok;
}

static jks_status jks_jks_visit(jks_store *st, jks_file_window *w, const jks_read_opts *opts,
                                jks_entry_visitor fn, void *ctx, int *whole, jks_error *err)
{
    const uint8_t *p;
    size_t avail, n = 0, cap = 0, len;
    uint32_t version, count;
    int jceks;
    jks_cursor c;
    jks_status s;
    alias_note *notes = NULL;
    size_t *offs = NULL;
    uint8_t *skip = NULL;
    stream_digest dg;
    *whole = 1;
    if (!digest_begin(&dg, opts ? opts->storepass : NULL)) {
        digest_free(&dg);
        return jks_fail(err, JKS_ERR_IO, -1, "digest computation failed");
    }
    /* pass 1 */
    if (!jks_file_window_get(w, HEADER_LEN, &p, &avail)) {
        s = jks_fail(err, JKS_ERR_IO, -1, "cannot read the file");
        goto out;
    }
    jks_cursor_init(&c, p, avail);
    if ((s = read_header(st, &c, opts, &version, &count, &jceks, err)) != JKS_OK)
        goto out;
    if (dg.on)
        jks_sha1_update(&dg.ctx, p, HEADER_LEN);
    jks_file_window_advance(w, HEADER_LEN);
    if (count > (w->size - HEADER_LEN) / ENTRY_MIN) {
        s = JKS_ERR_FORMAT; /* more entries than the file can hold: decode says which */
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        size_t off = jks_file_window_offset(w);
        if ((s = window_entry(st, w, version, jceks, &len, err)) != JKS_OK)
            goto out;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            alias_note *nn = realloc(notes, nc * sizeof(*nn));
            size_t *no = nn ? realloc(offs, nc * sizeof(*no)) : NULL;
            if (nn)
                notes = nn;
            if (no)
                offs = no;
            if (!nn || !no) {
                s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
                goto out;
            }
            cap = nc;
        }
        notes[n].hash = alias_hash(st->entries[st->n - 1]->alias);
        notes[n].index = n;
        offs[n++] = off;
        jks_store_remove(st, st->n - 1);
        jks_file_window_get(w, len, &p, &avail); /* the entry's bytes, still in the window */
        if (dg.on)
            jks_sha1_update(&dg.ctx, p, len);
        jks_file_window_advance(w, len);
    }
    if (!jks_file_window_get(w, DIGEST_LEN, &p, &avail) || avail < DIGEST_LEN) {
        s = JKS_ERR_FORMAT; /* the digest is missing: decode names it */
        goto out;
    }
    st->integrity = JKS_INTEGRITY_NOT_CHECKED;
    if (dg.on) {
        uint8_t want[DIGEST_LEN];
        int ok = jks_sha1_final(&dg.ctx, want);
        dg.on = 0;
        if (!ok) {
            s = jks_fail(err, JKS_ERR_IO, -1, "digest computation failed");
            goto out;
        }
        if (CRYPTO_memcmp(want, p, DIGEST_LEN) != 0) {
            s = JKS_ERR_PASSWORD; /* a wrong password or corruption: decode tells which */
            goto out;
        }
        st->integrity = JKS_INTEGRITY_VERIFIED;
    }
    if (!(skip = calloc(n ? n : 1, 1)) || !mark_duplicates(w, notes, offs, n, skip)) {
        s = jks_fail(err, JKS_ERR_IO, -1, "out of memory, or the file changed while read");
        goto out;
    }
    free(notes);
    free(offs);
    notes = NULL;
    offs = NULL;
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += !skip[i];

    /* pass 2: nothing the whole read would refuse is left */
    *whole = 0;
    jks_file_window_rewind(w);
    jks_file_window_get(w, HEADER_LEN, &p, &avail);
    jks_file_window_advance(w, HEADER_LEN);
    for (size_t i = 0, k = 0; i < n; i++) {
        if ((s = window_entry(st, w, version, jceks, &len, err)) != JKS_OK) {
            s = jks_fail(err, JKS_ERR_IO, -1, "file changed while it was being read");
            goto out;
        }
        jks_file_window_advance(w, len);
        int stop = 0;
        if (!skip[i]) {
            if (!opts || !opts->no_decrypt)
                jks_store_decrypt_keys(st, opts);
            stop = fn(st, st->entries[st->n - 1], k++, total, ctx);
        }
        jks_store_remove(st, st->n - 1);
        if (stop)
            goto done;
    }
    fn(st, NULL, total, total, ctx);
done:
    s = JKS_OK;
out:
    digest_free(&dg);
    free(notes);
    free(offs);
    free(skip);
    return s;
}

const jks_codec jks_codec_jks = {jks_jks_decode, jks_jks_encode, jks_jks_visit};
