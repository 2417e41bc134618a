/* Layer "ops": the codec table, the one place that knows every codec. Format
 * names and sniffing, and reading/writing a store through the codec of its
 * format: conversion is decode with one codec, encode with another. */
#include "codec.h"
#include "file.h"
#include "work.h"

#include <stddef.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

static const struct {
    jks_format format;
    const jks_codec *codec;
} codecs[] = {
    {JKS_FORMAT_JKS, &jks_codec_jks},
    {JKS_FORMAT_JCEKS, &jks_codec_jks},
    {JKS_FORMAT_PKCS12, &jks_codec_pkcs12},
    {JKS_FORMAT_PEM, &jks_codec_pem},
    {JKS_FORMAT_BKS, &jks_codec_bks},
    {JKS_FORMAT_UBER, &jks_codec_uber},
    {JKS_FORMAT_BCFKS, &jks_codec_bcfks},
};

static const jks_codec *codec_for(jks_format f)
{
    for (size_t i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++)
        if (codecs[i].format == f)
            return codecs[i].codec;
    return NULL;
}

const char *jks_format_name(jks_format f)
{
    switch (f) {
    case JKS_FORMAT_JKS: return "jks";
    case JKS_FORMAT_JCEKS: return "jceks";
    case JKS_FORMAT_PKCS12: return "pkcs12";
    case JKS_FORMAT_PEM: return "pem";
    case JKS_FORMAT_BKS: return "bks";
    case JKS_FORMAT_UBER: return "uber";
    case JKS_FORMAT_BCFKS: return "bcfks";
    default: return "unknown";
    }
}

jks_format jks_format_from_name(const char *name)
{
    static const struct { const char *n; jks_format f; } t[] = {
        {"jks", JKS_FORMAT_JKS},       {"jceks", JKS_FORMAT_JCEKS}, {"pkcs12", JKS_FORMAT_PKCS12},
        {"p12", JKS_FORMAT_PKCS12},    {"pfx", JKS_FORMAT_PKCS12},  {"pem", JKS_FORMAT_PEM},
        {"der", JKS_FORMAT_PEM},       {"crt", JKS_FORMAT_PEM},     {"cer", JKS_FORMAT_PEM},
        {"key", JKS_FORMAT_PEM},       {"bks", JKS_FORMAT_BKS},     {"uber", JKS_FORMAT_UBER},
        {"bcfks", JKS_FORMAT_BCFKS},
    };
    if (!name)
        return JKS_FORMAT_UNKNOWN;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!strcasecmp(name, t[i].n))
            return t[i].f;
    return JKS_FORMAT_UNKNOWN;
}

int jks_format_java_lowercases(jks_format f)
{
    /* BouncyCastle's KeyStoreSpi keys its Hashtable/HashMap by the alias as
     * given; the JDK's JKS, JCEKS and PKCS12 stores lower-case it */
    return f != JKS_FORMAT_BKS && f != JKS_FORMAT_UBER && f != JKS_FORMAT_BCFKS;
}

static uint32_t be32(const uint8_t *d)
{
    return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 | (uint32_t)d[2] << 8 | d[3];
}

/* BouncyCastle BKS/UBER (bks/bksfile.c): no magic, so the shape decides.
 * Both start u32 version (0..2), u32 salt length, salt, u32 iterations.
 * BKS follows with plain entries: walked here (type byte, alias, date,
 * chain of "X.509" certificates, body) to the end byte and a 20-byte MAC;
 * UBER with ciphertext (Twofish, 16-byte blocks) after a 20-byte salt. */
static jks_format sniff_bc(const uint8_t *d, size_t len)
{
    if (len < 12 || be32(d) > 2)
        return JKS_FORMAT_UNKNOWN;
    uint32_t salt = be32(d + 4);
    if (salt == 0 || salt > 1024 || len < 12 + (size_t)salt)
        return JKS_FORMAT_UNKNOWN;
    size_t i = 8 + salt;
    uint32_t iter = be32(d + i);
    if (iter == 0 || iter > (1u << 24))
        return JKS_FORMAT_UNKNOWN;
    size_t start = i += 4;
    for (;;) { /* BKS entries */
        if (i >= len)
            break;
        uint8_t t = d[i++];
        if (t == 0) {
            if (len - i >= 20)
                return JKS_FORMAT_BKS;
            break;
        }
        if (t > 4 || len - i < 2)
            break;
        size_t n = (size_t)d[i] << 8 | d[i + 1]; /* alias */
        if (len - i < 2 + n + 12)
            break;
        i += 2 + n + 8;
        uint32_t certs = be32(d + i);
        i += 4;
        if (t == 1)
            certs++;
        uint32_t k = 0;
        for (; k < certs; k++) {
            if (len - i < 11 || memcmp(d + i, "\0\5X.509", 7))
                break;
            uint32_t cl = be32(d + i + 7);
            if (cl > len - i - 11)
                break;
            i += 11 + cl;
        }
        if (k < certs)
            break;
        if (t == 2) { /* key: type, format, algorithm, u32-prefixed bytes */
            if (len - i < 1)
                break;
            i++;
            for (int u = 0; u < 2; u++) {
                if (len - i < 2 || (size_t)(d[i] << 8 | d[i + 1]) > len - i - 2)
                    goto not_bks;
                i += 2 + (size_t)(d[i] << 8 | d[i + 1]);
            }
        }
        if (t >= 2) {
            if (len - i < 4 || be32(d + i) > len - i - 4)
                break;
            i += 4 + be32(d + i);
        }
    }
not_bks:
    if (salt == 20 && be32(d) <= 1 && len > start && (len - start) % 16 == 0)
        return JKS_FORMAT_UBER;
    return JKS_FORMAT_UNKNOWN;
}

/* BCFKS (DER ObjectStore): SEQUENCE { ObjectStoreData | EncryptedObjectStoreData,
 * integrity check }. ObjectStoreData starts INTEGER version, AlgorithmIdentifier,
 * GeneralizedTime; EncryptedObjectStoreData starts with an AlgorithmIdentifier
 * (a third SEQUENCE in a row, which no certificate or PKCS#8 key has). */
static int der_skip_header(const uint8_t *d, size_t len, size_t *i, uint8_t tag, size_t *content)
{
    if (*i + 2 > len || d[*i] != tag)
        return 0;
    size_t n = d[*i + 1], h = 2;
    if (n & 0x80) {
        size_t k = n & 0x7f;
        if (k == 0 || k > 4 || *i + 2 + k > len)
            return 0;
        n = 0;
        for (size_t j = 0; j < k; j++)
            n = n << 8 | d[*i + 2 + j];
        h += k;
    }
    *i += h;
    *content = n;
    return 1;
}

static int sniff_bcfks(const uint8_t *d, size_t len)
{
    size_t i = 0, n;
    if (!der_skip_header(d, len, &i, 0x30, &n) || !der_skip_header(d, len, &i, 0x30, &n))
        return 0;
    if (i < len && d[i] == 0x30)
        return 1;
    if (!der_skip_header(d, len, &i, 0x02, &n) || n > 4 || (i += n) > len)
        return 0;
    if (!der_skip_header(d, len, &i, 0x30, &n) || (i += n) > len)
        return 0;
    return i < len && d[i] == 0x18;
}

jks_format jks_format_sniff(const uint8_t *d, size_t len)
{
    if (!d)
        return JKS_FORMAT_UNKNOWN;
    if (len >= 4 && d[0] == 0xFE && d[1] == 0xED && d[2] == 0xFE && d[3] == 0xED)
        return JKS_FORMAT_JKS;
    if (len >= 4 && d[0] == 0xCE && d[1] == 0xCE && d[2] == 0xCE && d[3] == 0xCE)
        return JKS_FORMAT_JCEKS;
    if (len >= 2 && d[0] == 0x30) {
        /* PKCS#12 starts SEQUENCE { INTEGER 3, ...: read in BER (indefinite
         * or longer-than-needed lengths, as NSS and Windows write them) */
        size_t i = d[1] < 0x80 ? 2 : 2 + (size_t)(d[1] & 0x7F), n = 0;
        if (len > i + 1 && d[i] == 0x02) {
            i++;
            if (d[i] < 0x80) {
                n = d[i++];
            } else {
                size_t k = d[i++] & 0x7F;
                for (; k && i < len && n < 16; k--)
                    n = n << 8 | d[i++];
                if (k)
                    n = 0;
            }
            while (n > 1 && i < len && d[i] == 0) /* leading zero octets */
                n--, i++;
            if (n == 1 && i < len && d[i] == 0x03)
                return JKS_FORMAT_PKCS12;
        }
        if (sniff_bcfks(d, len))
            return JKS_FORMAT_BCFKS;
        return JKS_FORMAT_PEM; /* DER certificate or key */
    }
    if (len >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] <= 2) {
        jks_format f = sniff_bc(d, len);
        if (f != JKS_FORMAT_UNKNOWN)
            return f;
    }
    /* PEM: a "-----BEGIN " line anywhere in the first 64 KiB */
    size_t lim = len < 65536 ? len : 65536;
    for (size_t i = 0; i + 11 <= lim; i++)
        if (d[i] == '-' && !memcmp(d + i, "-----BEGIN ", 11))
            return JKS_FORMAT_PEM;
    return JKS_FORMAT_UNKNOWN;
}

/* The format a read decodes as: forced or sniffed. Java's
 * keystore.type.compat (FORMATS.md 1.3): type JKS also loads PKCS#12 files
 * and PKCS12 loads JKS files (JCEKS loads JKS by magic). */
static jks_format read_format(const uint8_t *d, size_t len, const jks_read_opts *opts)
{
    jks_format sniffed = jks_format_sniff(d, len);
    jks_format f = opts && opts->force_format ? opts->force_format : sniffed;
    if ((f == JKS_FORMAT_JKS && sniffed == JKS_FORMAT_PKCS12) ||
        (f == JKS_FORMAT_PKCS12 && sniffed == JKS_FORMAT_JKS))
        f = sniffed;
    return f;
}

static jks_status decode_into(jks_store *st, const jks_read_opts *opts, jks_error *err)
{
    jks_format f = read_format(st->input, st->input_len, opts);
    st->format = f;
    st->has_storepass = opts && opts->storepass;
    st->work_max = opts && opts->version >= 2 ? opts->max_work : 0;
    st->work_used = 0;
    st->work_over = 0;
    const jks_codec *c = codec_for(f);
    if (c) {
        jks_status s = c->decode(st, st->input, st->input_len, opts, err);
        /* a refused derivation fails the read, whatever the codec made of it */
        if (st->work_over) {
            jks_error_clear(err);
            s = jks_work_fail(st, err);
        }
        return s;
    }
    {
        if (st->input_len == 0)
            return jks_fail(err, JKS_ERR_FORMAT, 0, "empty file, not a keystore");
        return jks_fail(err, JKS_ERR_FORMAT, 0,
                        "not a keystore: no JKS, JCEKS, PKCS#12, BKS, PEM or DER signature");
    }
}

/* The same password text in another encoding a writer may have used, or
 * NULL when it is the same: which 0 takes each UTF-8 byte of p as one
 * Latin-1 character (a tool that read the password bytes as ISO-8859-1);
 * which 1 the reverse (p's characters, all below U+0100, are the bytes of
 * the real UTF-8 text). malloc'd. */
static char *alt_password(const char *p, int which)
{
    size_t n = strlen(p), k = 0;
    char *o = malloc(2 * n + 1);
    const unsigned char *s = (const unsigned char *)p;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (which == 0) {
            if (s[i] < 0x80)
                o[k++] = (char)s[i];
            else {
                o[k++] = (char)(0xC0 | (s[i] >> 6));
                o[k++] = (char)(0x80 | (s[i] & 0x3F));
            }
        } else if (s[i] < 0x80) {
            o[k++] = (char)s[i];
        } else if ((s[i] == 0xC2 || s[i] == 0xC3) && i + 1 < n && (s[i + 1] & 0xC0) == 0x80) {
            o[k++] = (char)(((s[i] & 0x03) << 6) | (s[i + 1] & 0x3F));
            i++;
        } else {
            free(o);
            return NULL;
        }
    }
    o[k] = 0;
    if (which == 1) { /* the bytes must be UTF-8 text themselves */
        for (size_t i = 0; i < k;) {
            unsigned char c = (unsigned char)o[i];
            size_t m = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 && c >= 0xC2 ? 2 : (c & 0xF0) == 0xE0 ? 3
                     : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            if (!m || i + m > k) {
                free(o);
                return NULL;
            }
            for (size_t j = 1; j < m; j++)
                if (((unsigned char)o[i + j] & 0xC0) != 0x80) {
                    free(o);
                    return NULL;
                }
            i += m;
        }
    }
    if (!strcmp(o, p)) {
        free(o);
        return NULL;
    }
    return o;
}

/* After a failed integrity check with a non-ASCII store password: read the
 * same bytes again with the other encodings of the text (alt_password) and,
 * when one verifies, say so in err's message (the status stays
 * JKS_ERR_PASSWORD). */
static void password_encoding_hint(const uint8_t *buf, size_t len, const jks_read_opts *opts,
                                   jks_error *err)
{
    static const char *const what[] = {
        "each UTF-8 byte of it taken as one Latin-1 character (the store was written by a tool "
        "that read the password as ISO-8859-1)",
        "its characters taken as the UTF-8 bytes of the real text (the password was given "
        "decoded as Latin-1)",
    };
    const char *p = opts ? opts->storepass : NULL;
    int ascii = 1;
    for (const char *c = p; c && *c; c++)
        ascii &= (unsigned char)*c < 0x80;
    if (!p || ascii || err->alias[0])
        return;
    for (int w = 0; w < 2; w++) {
        char *alt = alt_password(p, w);
        if (!alt)
            continue;
        jks_read_opts o;
        memset(&o, 0, sizeof(o));
        memcpy(&o, opts, opts->version >= 2 ? sizeof(o) : offsetof(jks_read_opts, max_work));
        o.storepass = alt;
        o.no_decrypt = 1; /* the integrity check is enough */
        o.keypasses = NULL;
        o.n_keypasses = 0;
        jks_store *t = jks_store_new(JKS_FORMAT_UNKNOWN);
        jks_error e2;
        int ok = 0;
        if (t) {
            t->input = (uint8_t *)buf;
            t->input_len = len;
            ok = decode_into(t, &o, &e2) == JKS_OK && t->integrity == JKS_INTEGRITY_VERIFIED;
            t->input = NULL; /* the caller's */
            t->input_len = 0;
            jks_store_free(t);
        }
        jks_buffer_free((uint8_t *)alt, strlen(alt));
        if (ok) {
            size_t l = strlen(err->msg);
            snprintf(err->msg + l, sizeof(err->msg) - l, "; hint: the same password verifies with %s",
                     what[w]);
            return;
        }
    }
}

/* Decode buf (len bytes) into a new store. A heap buf (m NULL or not
 * mapped) becomes the store's own copy. A mapped one is decoded by a codec
 * that copies what it keeps, then unmapped here: when this returns, nothing
 * points into the mapping, so a later truncation of the file cannot fault. */
static jks_status read_owned(uint8_t *buf, size_t len, jks_file_mapping *m,
                             const jks_read_opts *opts, jks_store **out, jks_error *err)
{
    jks_store *st = jks_store_new(JKS_FORMAT_UNKNOWN);
    int mapped = m && m->mapped;
    jks_error_clear(err);
    *out = NULL;
    if (!st) {
        if (m)
            jks_file_unmap(m, buf, len);
        else
            free(buf);
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    }
    st->input = buf;
    st->input_len = len;
    st->input_mapped = mapped;
    jks_status s = decode_into(st, opts, err);
    if (s == JKS_ERR_PASSWORD && !mapped)
        password_encoding_hint(st->input, st->input_len, opts, err);
    if (mapped) {
        if (s == JKS_OK)
            s = jks_file_map_unchanged(m, err);
        jks_file_unmap(m, st->input, st->input_len);
        st->input = NULL;
        st->input_len = 0;
        st->input_mapped = 0;
    } else if (m) {
        jks_file_unmap(m, NULL, 0); /* closes the descriptor; buf is the store's */
    }
    if (s != JKS_OK) {
        jks_store_free(st);
        return s;
    }
    *out = st;
    return JKS_OK;
}

/* Option structs newer than this library are refused (jks.h "Options"). */
static jks_status opts_version_ok(unsigned int v, unsigned int current, const char *what,
                                  jks_error *err)
{
    if (v > current)
        return jks_fail(err, JKS_ERR_USAGE, -1, "%s version %u is newer than this library's (%u)",
                        what, v, current);
    return JKS_OK;
}

jks_status jks_store_read(const uint8_t *data, size_t len, const jks_read_opts *opts,
                          jks_store **out, jks_error *err)
{
    jks_error_clear(err);
    if (!out)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no place for the store (out is NULL)");
    *out = NULL;
    if (opts && opts_version_ok(opts->version, JKS_READ_OPTS_VERSION, "jks_read_opts", err))
        return JKS_ERR_USAGE;
    if (!data && len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no input bytes");
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    if (len)
        memcpy(buf, data, len);
    return read_owned(buf, len, NULL, opts, out, err);
}

/* JKS_READ_LOW_MEMORY: map the file; a JKS or JCEKS file is decoded from
 * the mapping (the codec copies each entry's bytes and hands the pages it
 * passed back); any other format is copied into the heap and read as usual. */
static jks_status read_file_mapped(const char *path, const jks_read_opts *opts, jks_store **out,
                                   jks_error *err)
{
    jks_file_mapping m;
    uint8_t *buf;
    size_t len;
    jks_status s = jks_file_map(path, &m, &buf, &len, err);
    if (s != JKS_OK)
        return s;
    if (m.mapped && codec_for(read_format(buf, len, opts)) != &jks_codec_jks) {
        uint8_t *copy = malloc(len);
        if (!copy) {
            jks_file_unmap(&m, buf, len);
            return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        }
        memcpy(copy, buf, len);
        s = jks_file_map_unchanged(&m, err);
        jks_file_unmap(&m, buf, len);
        if (s != JKS_OK) {
            free(copy);
            return s;
        }
        return read_owned(copy, len, NULL, opts, out, err);
    }
    return read_owned(buf, len, &m, opts, out, err);
}

jks_status jks_store_read_file(const char *path, const jks_read_opts *opts, jks_store **out,
                               jks_error *err)
{
    uint8_t *buf;
    size_t len;
    jks_status s;
    jks_error_clear(err);
    if (!out)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no place for the store (out is NULL)");
    *out = NULL;
    if (opts && opts_version_ok(opts->version, JKS_READ_OPTS_VERSION, "jks_read_opts", err))
        return JKS_ERR_USAGE;
    if (!path)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no file name");
    if (opts && (opts->flags & JKS_READ_LOW_MEMORY))
        return read_file_mapped(path, opts, out, err);
    /* read, not mapped: the store owns its bytes (a file rewritten later
     * cannot change or fault what the store holds) */
    if ((s = jks_file_read(path, &buf, &len, err)) != JKS_OK)
        return s;
    return read_owned(buf, len, NULL, opts, out, err);
}

#define VISIT_WHOLE_MAX ((size_t)8 << 20)

jks_status jks_store_visit_file(const char *path, const jks_read_opts *opts,
                                jks_entry_visitor fn, void *ctx, jks_error *err)
{
    jks_file_window w;
    jks_store *st;
    jks_error_clear(err);
    if (opts && opts_version_ok(opts->version, JKS_READ_OPTS_VERSION, "jks_read_opts", err))
        return JKS_ERR_USAGE;
    if (!path || !fn)
        return jks_fail(err, JKS_ERR_USAGE, -1, path ? "no visitor function" : "no file name");
    jks_status s = jks_file_window_open(path, &w, err);
    if (s == JKS_OK) {
        const uint8_t *p;
        size_t avail;
        const jks_codec *c = NULL;
        if (!jks_file_window_get(&w, 65536, &p, &avail)) {
            jks_file_window_close(&w);
            return jks_fail(err, JKS_ERR_IO, -1, "cannot read: %s", strerror(errno));
        }
        jks_format f = read_format(p, avail, opts);
        c = codec_for(f);
        /* small files are read whole (one pass; the memory is small anyway)
         * unless JKS_READ_LOW_MEMORY asks never to hold the file */
        int stream = w.size > VISIT_WHOLE_MAX || (opts && (opts->flags & JKS_READ_LOW_MEMORY));
        if (c && c->visit && stream) {
            int whole = 0;
            if (!(st = jks_store_new(f))) {
                jks_file_window_close(&w);
                return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            }
            st->has_storepass = opts && opts->storepass;
            s = c->visit(st, &w, opts, fn, ctx, &whole, err);
            if (s == JKS_OK)
                s = jks_file_window_unchanged(&w, err);
            jks_store_free(st);
            jks_file_window_close(&w);
            if (!whole)
                return s;
            jks_error_clear(err); /* the whole read below says what is wrong */
        } else {
            jks_file_window_close(&w);
        }
    } else if (s != JKS_ERR_USAGE) {
        return s;
    }
    /* another format, a pipe or device, or a fault to report as a read does */
    if ((s = jks_store_read_file(path, opts, &st, err)) != JKS_OK)
        return s;
    size_t n = jks_store_count(st), i;
    for (i = 0; i < n; i++)
        if (fn(st, jks_store_entry(st, i), i, n, ctx))
            break;
    if (i == n)
        fn(st, NULL, n, n, ctx);
    jks_store_free(st);
    return JKS_OK;
}

jks_status jks_store_write(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                           size_t *out_len, jks_error *err)
{
    static const jks_write_opts defaults = JKS_WRITE_OPTS_INIT;
    jks_error_clear(err);
    if (!out || !out_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no place for the bytes (out is NULL)");
    *out = NULL;
    *out_len = 0;
    if (!opts) /* the store's own format, no passwords */
        opts = &defaults;
    if (opts_version_ok(opts->version, JKS_WRITE_OPTS_VERSION, "jks_write_opts", err))
        return JKS_ERR_USAGE;
    if (!st)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no store");
    jks_format f = opts->format ? opts->format : st->format;
    const jks_codec *c = codec_for(f);
    if (!c)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no output format given");
    /* the codec sees the resolved format: a JCEKS store written with no
     * format given stays JCEKS (the JKS/JCEKS codec reads opts->format) */
    /* a version-1 caller's struct ends before pem_certs_only: copy only what
     * it has (jks.h "Options") */
    jks_write_opts o;
    memset(&o, 0, sizeof(o));
    memcpy(&o, opts, opts->version >= 2 ? sizeof(o) : offsetof(jks_write_opts, pem_certs_only));
    o.version = JKS_WRITE_OPTS_VERSION;
    o.format = f;
    return c->encode(st, &o, out, out_len, err);
}
