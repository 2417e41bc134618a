/* PKCS#12 reader (FORMATS.md 4; RFC 7292): BER is normalised to DER at the
 * edge (base/ber.c: the file, and each opaque layer as it is opened), then
 * the PFX, MAC, safes and bags are read with the cursor's DER getters
 * (certificates stay views of the bytes); OpenSSL decrypts safes and keys
 * and computes the MAC (PBMAC1 in pbmac1.c). Entries follow Java (FORMATS.md
 * 4.4, 4.5). Malformed input is one error naming the part and, where the
 * bytes are the file's own, the offset. */
#include "mem.h"
#include "ber.h"
#include "cursor.h"
#include "digest.h"
#include "p12.h"
#include "keys.h"
#include "pair.h"
#include "pkcs8.h"
#include "protect.h"
#include "work.h"
#include "jks/source.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 8 /* safeContentsBag depth */

typedef struct {
    jks_bytes der;
    char *name;      /* friendlyName (UTF-8) or NULL */
    jks_bytes lkid;  /* localKeyID */
    int trusted;     /* Oracle trustedKeyUsage attribute present */
    int used;        /* part of some key's chain */
} p12_cert;

typedef struct {
    jks_entry *e;
    char *name;
    jks_bytes lkid;
} p12_key;

typedef struct {
    jks_store *st;
    const jks_read_opts *opts;
    uint32_t max_iter;
    const char *pass;   /* password for encrypted safes (NULL: none) */
    int pass_len;
    int skip_encrypted; /* no password: leave encrypted safes unread */
    size_t skipped, opened; /* encrypted safes left unread / decrypted */
    int soft_fail;      /* no password given: an encrypted safe that does not
                         * open with the empty one is skipped, not an error */
    p12_cert *certs;
    size_t n_certs, cap_certs;
    p12_key *keys;
    size_t n_keys, cap_keys;
    unsigned counter;   /* Java's names "1", "2", ... for bags without friendlyName */
    uint8_t (*seen)[JKS_SHA256_LEN]; /* SHA-256 of the certificates already found to be
                                      * X.509 (open addressing; all-zero = empty): a
                                      * repeated certificate is not decoded again */
    size_t seen_cap, n_seen;
    const uint8_t *file; /* the file's bytes as stored (NULL when BER was rewritten):
                          * errors in them carry file offsets */
    char where[48];     /* the layer being read, for errors outside the file's bytes */
    jks_error *err;
} p12_ctx;

/* ---- bags ---- */

static const uint8_t no_digest[JKS_SHA256_LEN];

/* Slot of digest d in x->seen (its own slot, or the empty one it would take). */
static size_t seen_slot(const p12_ctx *x, const uint8_t *d)
{
    size_t h;
    memcpy(&h, d, sizeof(h));
    for (h &= x->seen_cap - 1; memcmp(x->seen[h], no_digest, JKS_SHA256_LEN) &&
                               memcmp(x->seen[h], d, JKS_SHA256_LEN);
         h = (h + 1) & (x->seen_cap - 1))
        ;
    return h;
}

/* 1 when der is an X.509 certificate (d2i_X509, which costs about a million
 * instructions under OpenSSL 3): each distinct certificate is decoded once,
 * a repeat (20,000 bags of one certificate) is found by its digest. */
static int x509_cert_ok(p12_ctx *x, const uint8_t *der, size_t len, int *oom)
{
    uint8_t d[JKS_SHA256_LEN];
    *oom = 0;
    if (!jks_sha256(der, len, d) || !memcmp(d, no_digest, sizeof(d)))
        memset(d, 0, sizeof(d)); /* not remembered */
    else if (x->seen_cap && !memcmp(x->seen[seen_slot(x, d)], d, sizeof(d)))
        return 1;
    const unsigned char *p = der;
    X509 *xc = len <= LONG_MAX ? d2i_X509(NULL, &p, (long)len) : NULL;
    int ok = xc && p == der + len;
    X509_free(xc);
    if (!ok || !memcmp(d, no_digest, sizeof(d)))
        return ok;
    if ((x->n_seen + 1) * 2 > x->seen_cap) {
        size_t cap = x->seen_cap ? x->seen_cap * 2 : 64, oldcap = x->seen_cap;
        uint8_t(*old)[JKS_SHA256_LEN] = x->seen;
        if (!(x->seen = calloc(cap, JKS_SHA256_LEN))) {
            x->seen = old;
            *oom = 1;
            return 0;
        }
        x->seen_cap = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (memcmp(old[i], no_digest, JKS_SHA256_LEN))
                memcpy(x->seen[seen_slot(x, old[i])], old[i], JKS_SHA256_LEN);
        free(old);
    }
    memcpy(x->seen[seen_slot(x, d)], d, sizeof(d));
    x->n_seen++;
    return 1;
}

/* Java parses localKeyID "Time <ms>" back into the creation date. */
static void set_time(jks_entry *e, jks_bytes lkid)
{
    char buf[32];
    if (lkid.len < 6 || lkid.len >= sizeof(buf) || memcmp(lkid.data, "Time ", 5))
        return;
    memcpy(buf, lkid.data + 5, lkid.len - 5);
    buf[lkid.len - 5] = 0;
    char *end;
    if (buf[0] < '0' || buf[0] > '9')
        return;
    long long ms = strtoll(buf, &end, 10);
    if (*end || ms < 0)
        return;
    e->has_created = 1;
    e->created_ms = ms;
}

/* A unique alias: the friendlyName, or Java's counter name; "-2", "-3"...
 * appended when another entry has it already (Java compares lower-cased). */
static jks_entry *append_entry(p12_ctx *x, jks_entry_kind kind, const char *name)
{
    char base[32], *cand;
    if (!name) {
        snprintf(base, sizeof(base), "%u", ++x->counter);
        name = base;
    }
    if (!(cand = jks_store_unique_java_alias(x->st, name)))
        return NULL;
    jks_entry *e = jks_store_append(x->st, kind, cand);
    free(cand);
    return e;
}

static jks_status oom(p12_ctx *x)
{
    return jks_fail(x->err, JKS_ERR_IO, -1, "out of memory");
}

/* name: malloc'd friendlyName (taken over) or NULL; lkid: kept bytes. */
static jks_status add_key_named(p12_ctx *x, char *name, jks_bytes lkid, jks_entry_kind kind,
                                const uint8_t *prot, size_t prot_len,
                                const jks_cursor *plain)
{
    p12_key *nk = jks_array_grow(x->keys, &x->cap_keys, x->n_keys, sizeof(*nk), 8);
    if (!nk) {
        free(name);
        return oom(x);
    }
    x->keys = nk;
    jks_entry *e = append_entry(x, kind, name);
    if (!e) {
        free(name);
        return oom(x);
    }
    p12_key *k = &x->keys[x->n_keys++];
    k->e = e;
    k->name = name;
    k->lkid = lkid;
    e->local_key_id = k->lkid;
    set_time(e, k->lkid);
    if (prot) {
        e->prot.data = jks_store_keep(x->st, prot, prot_len, 0);
        e->prot.len = prot_len;
        e->protection = JKS_PROT_PKCS12;
        e->state = JKS_KEY_ENCRYPTED;
        if (!e->prot.data)
            return oom(x);
    } else if (plain) {
        if (!jks_entry_set_pkcs8(e, plain->p, plain->len))
            return oom(x);
        e->protection = JKS_PROT_NONE;
        e->state = JKS_KEY_DECRYPTED;
    } else {
        e->state = JKS_KEY_UNSUPPORTED;
    }
    return JKS_OK;
}

static jks_status cert_added(p12_ctx *x);

static int grow_certs(p12_ctx *x)
{
    p12_cert *nc = jks_array_grow(x->certs, &x->cap_certs, x->n_certs, sizeof(*nc), 8);
    if (!nc)
        return 0;
    x->certs = nc;
    return 1;
}

/* The certificate just filled in at x->certs[x->n_certs]: count it and give
 * a trusted one its entry. */
static jks_status cert_added(p12_ctx *x)
{
    p12_cert *c = &x->certs[x->n_certs];
    x->n_certs++;
    if (c->trusted) {
        jks_entry *e = append_entry(x, JKS_ENTRY_TRUSTED_CERT, c->name);
        if (!e || !jks_entry_alloc_chain(e, 1))
            return oom(x);
        e->chain[0] = c->der;
        e->local_key_id = c->lkid;
        set_time(e, c->lkid);
    }
    return JKS_OK;
}

static void note_alg(char *field, size_t n, const X509_ALGOR *alg)
{
    if (!field[0])
        jks_p12_alg_name(alg, field, n);
}

/* ---- chains ---- */

/* The key's leaf as PKCS12KeyStore.findMatchedCertificate picks it: the
 * certificate with its localKeyID and its name (ignoring case); else the last
 * one with its localKeyID (Java's "Time <ms>" ids repeat when entries are
 * made in the same millisecond); else the one holding its public key (THE
 * pairing, cert/pair.c), else the one with its name. */
static long find_leaf(const p12_ctx *x, const jks_cert_pool *pool, const p12_key *k)
{
    long id_match = -1;
    for (size_t i = 0; k->lkid.len && i < x->n_certs; i++) {
        if (x->certs[i].lkid.len != k->lkid.len ||
            memcmp(x->certs[i].lkid.data, k->lkid.data, k->lkid.len))
            continue;
        id_match = (long)i;
        if (k->name && x->certs[i].name && !jks_alias_java_cmp(k->name, x->certs[i].name))
            return id_match;
    }
    if (id_match >= 0)
        return id_match;
    if (k->e->state == JKS_KEY_DECRYPTED && k->e->plain) {
        long i = jks_cert_pool_find_key(pool, k->e->plain, k->e->plain_len, NULL);
        if (i >= 0)
            return i;
    }
    if (k->name)
        for (size_t i = 0; i < x->n_certs; i++)
            if (x->certs[i].name && !strcmp(x->certs[i].name, k->name))
                return (long)i;
    return -1;
}

/* The key's chain as Java links it (THE chain builder, cert/chain.c). */
static jks_status build_chain(p12_ctx *x, const jks_cert_pool *pool, p12_key *k)
{
    long leaf = find_leaf(x, pool, k);
    if (leaf < 0)
        return JKS_OK; /* Java shows such a key with an empty chain */
    size_t *idx = malloc(x->n_certs * sizeof(*idx)), n = 1;
    if (!idx)
        return oom(x);
    idx[0] = (size_t)leaf;
    n += jks_cert_pool_chain_java(pool, x->certs[leaf].der, NULL, idx + 1, x->n_certs - 1);
    if (!jks_entry_alloc_chain(k->e, n)) {
        free(idx);
        return oom(x);
    }
    for (size_t i = 0; i < n; i++) {
        k->e->chain[i] = x->certs[idx[i]].der;
        x->certs[idx[i]].used = 1;
    }
    free(idx);
    return JKS_OK;
}

/* The certificates a chain or a trusted entry already shows, indexed by
 * their DER bytes (open addressing, index + 1), so that finding a second
 * copy costs O(1) (was a scan of every certificate for each: quadratic). */
typedef struct {
    size_t *tab, cap;
} listed_index;

static size_t der_hash(jks_bytes d)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < d.len; i++)
        h = (h ^ d.data[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

static int listed_build(const p12_ctx *x, listed_index *li)
{
    size_t n = 0;
    for (size_t i = 0; i < x->n_certs; i++)
        n += x->certs[i].used || x->certs[i].trusted;
    li->cap = 16;
    while (li->cap < 2 * n)
        li->cap *= 2;
    if (!(li->tab = calloc(li->cap, sizeof(size_t))))
        return 0;
    for (size_t i = 0; i < x->n_certs; i++)
        if (x->certs[i].used || x->certs[i].trusted) {
            size_t h = der_hash(x->certs[i].der) & (li->cap - 1);
            while (li->tab[h])
                h = (h + 1) & (li->cap - 1);
            li->tab[h] = i + 1;
        }
    return 1;
}

/* A second copy of a certificate that a chain or a trusted entry already
 * shows (Java writes the root of a chain and the trusted root separately). */
static int duplicate_of_listed(const p12_ctx *x, const listed_index *li, size_t i)
{
    const p12_cert *c = &x->certs[i];
    for (size_t h = der_hash(c->der) & (li->cap - 1); li->tab[h]; h = (h + 1) & (li->cap - 1)) {
        size_t j = li->tab[h] - 1;
        const p12_cert *d = &x->certs[j];
        if (j != i && d->der.len == c->der.len && !memcmp(d->der.data, c->der.data, c->der.len))
            return 1;
    }
    return 0;
}

/* A key that the empty password did not open: try zero password bytes, as
 * old OpenSSL wrote for NULL passwords. */
static void retry_null_password(jks_store *st)
{
    for (size_t i = 0; i < st->n; i++) {
        jks_entry *e = st->entries[i];
        if (e->kind != JKS_ENTRY_PRIVATE_KEY || e->protection != JKS_PROT_PKCS12 ||
            e->state != JKS_KEY_WRONG_PASSWORD)
            continue;
        const unsigned char *p = e->prot.data;
        X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)e->prot.len);
        PKCS8_PRIV_KEY_INFO *p8 = sig ? PKCS8_decrypt(sig, NULL, 0) : NULL;
        unsigned char *der = NULL;
        int n = p8 ? i2d_PKCS8_PRIV_KEY_INFO(p8, &der) : 0;
        if (n > 0 && jks_entry_set_pkcs8(e, der, (size_t)n))
            e->state = JKS_KEY_DECRYPTED;
        if (der)
            OPENSSL_clear_free(der, (size_t)n);
        PKCS8_PRIV_KEY_INFO_free(p8);
        X509_SIG_free(sig);
        ERR_clear_error();
    }
}

/* The reading context and the store's PKCS#12 facts, reset. */
static void p12_begin(p12_ctx *x, jks_store *st, const jks_read_opts *opts, jks_error *err)
{
    memset(x, 0, sizeof(*x));
    x->st = st;
    x->opts = opts;
    x->err = err;
    x->max_iter = opts && opts->max_iterations ? opts->max_iterations : JKS_DEFAULT_MAX_ITERATIONS;
    st->format = JKS_FORMAT_PKCS12;
    st->version = 3;
    st->integrity = JKS_INTEGRITY_NOT_CHECKED;
    memset(&st->p12, 0, sizeof(st->p12));
}


/* After the bags are read: decrypt keys, build chains, list the leftover
 * certificates, free the context. */
static jks_status p12_finish(p12_ctx *x_, jks_status s, const char *storepass)
{
    p12_ctx x = *x_;
    jks_store *st = x.st;
    const jks_read_opts *opts = x.opts;
    if (s == JKS_OK && !storepass && !x.skipped &&
        (st->integrity == JKS_INTEGRITY_VERIFIED || x.opened))
        st->has_storepass = 1; /* the empty password opened everything */
    if (s == JKS_OK && x.n_certs && !st->p12.cert_alg[0])
        snprintf(st->p12.cert_alg, sizeof(st->p12.cert_alg), "none");

    if (s == JKS_OK && (!opts || !opts->no_decrypt)) {
        jks_read_opts o;
        memset(&o, 0, sizeof(o));
        if (opts)
            o = *opts;
        if (!o.storepass && st->integrity == JKS_INTEGRITY_VERIFIED)
            o.storepass = ""; /* the empty password verified the MAC */
        jks_store_decrypt_keys(st, &o);
        if (o.storepass && !*o.storepass)
            retry_null_password(st);
    }
    jks_cert_pool *pool = NULL;
    jks_bytes *ders = NULL; /* the pool borrows this array */
    size_t n_priv = 0;
    for (size_t i = 0; i < x.n_keys; i++)
        n_priv += x.keys[i].e->kind == JKS_ENTRY_PRIVATE_KEY;
    if (s == JKS_OK && n_priv && x.n_certs) { /* decoded once, for every key */
        ders = malloc(x.n_certs * sizeof(*ders));
        for (size_t i = 0; ders && i < x.n_certs; i++)
            ders[i] = x.certs[i].der;
        pool = ders ? jks_cert_pool_new(ders, x.n_certs) : NULL;
        if (!pool)
            s = oom(&x);
    }
    for (size_t i = 0; s == JKS_OK && pool && i < x.n_keys; i++)
        if (x.keys[i].e->kind == JKS_ENTRY_PRIVATE_KEY)
            s = build_chain(&x, pool, &x.keys[i]);
    jks_cert_pool_free(pool);
    free(ders);
    /* certificates in no chain and without Java's trust attribute: Java
     * ignores them; we list them, marked, so check and convert can act */
    listed_index li = {NULL, 0};
    if (s == JKS_OK && x.n_certs && !listed_build(&x, &li))
        s = oom(&x);
    for (size_t i = 0; s == JKS_OK && i < x.n_certs; i++) {
        p12_cert *c = &x.certs[i];
        if (c->used || c->trusted || duplicate_of_listed(&x, &li, i))
            continue;
        jks_entry *e = append_entry(&x, JKS_ENTRY_TRUSTED_CERT, c->name);
        if (!e || !jks_entry_alloc_chain(e, 1)) {
            s = oom(&x);
            break;
        }
        e->chain[0] = c->der;
        e->java_ignores = 1;
        e->local_key_id = c->lkid;
        st->p12.certs_without_trust++;
    }
    free(li.tab);

    for (size_t i = 0; i < x.n_certs; i++)
        free(x.certs[i].name);
    for (size_t i = 0; i < x.n_keys; i++)
        free(x.keys[i].name);
    free(x.certs);
    free(x.keys);
    free(x.seen);
    ERR_clear_error();
    return s;
}

const jks_codec jks_codec_pkcs12 = {jks_p12_decode, jks_p12_encode, NULL}; /* no visit: read whole */

/* ---- the reader (FORMATS.md 4.1; RFC 7292) ----
 * Phase 1 walks PFX, MAC, AuthenticatedSafe, SafeContents and SafeBags with
 * the cursor's DER getters, decrypting encrypted safes, into bag records
 * without touching the entries; phase 2 turns the records into entries. */

enum { BAG_SHROUDED, BAG_PLAIN, BAG_SECRET_ENC, BAG_SECRET_OTHER, BAG_CERT };

typedef struct {
    int kind;
    jks_cursor val;          /* protected key bytes, the PrivateKeyInfo, or the certificate */
    jks_cursor attrs;        /* contents of bagAttributes (empty when absent) */
} p12_bag;

typedef struct {
    p12_bag *v;
    size_t n, cap;
} p12_bags;

static const uint8_t OID_DATA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01};
static const uint8_t OID_ENCDATA[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06};
static const uint8_t OID_BAG[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x0c, 0x0a, 0x01}; /* + n */
static const uint8_t OID_X509CERT[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x01};
static const uint8_t OID_SDSICERT[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x16, 0x02};
static const uint8_t OID_X509CRL[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x17, 0x01};
static const uint8_t OID_FRIENDLY[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x14};
static const uint8_t OID_LKID[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x15};
static const uint8_t OID_TRUST[] = {0x60, 0x86, 0x48, 0x01, 0x86, 0xf9, 0x66, 0xad, 0xca, 0x7b, 0x01, 0x01};

static int oid_eq(jks_cursor oid, const uint8_t *want, size_t n)
{
    const uint8_t *p;
    return oid.len == n && jks_cursor_peek(&oid, n, &p) && !memcmp(p, want, n);
}

/* bagId 1.2.840.113549.1.12.10.1.n: n, else 0. */
static int bag_type(jks_cursor oid)
{
    const uint8_t *p;
    uint8_t n;
    if (oid.len != sizeof(OID_BAG) + 1 || !jks_cursor_peek(&oid, sizeof(OID_BAG), &p) ||
        memcmp(p, OID_BAG, sizeof(OID_BAG)) || !jks_cursor_skip(&oid, sizeof(OID_BAG)) ||
        !jks_cursor_u8(&oid, &n))
        return 0;
    return n >= 1 && n <= 6 ? n : 0;
}

/* Malformed input: what is wrong, and where (the file offset when at reads
 * the file's own bytes, else the layer being read). */
static jks_status bad(p12_ctx *x, const jks_cursor *at, const char *what)
{
    long long off = at && x->file && at->base == x->file ? (long long)jks_cursor_offset(at) : -1;
    if (x->where[0])
        return jks_fail(x->err, JKS_ERR_FORMAT, off, "malformed PKCS#12: %s (%s)", what, x->where);
    return jks_fail(x->err, JKS_ERR_FORMAT, off, "malformed PKCS#12: %s", what);
}

/* An object identifier in dotted form, for messages. */
static void oid_text(jks_cursor oid, char *out, size_t n)
{
    size_t o = 0;
    uint64_t v = 0;
    int first = 1;
    uint8_t b;
    out[0] = 0;
    while (o + 24 < n && jks_cursor_u8(&oid, &b)) {
        if (v >> 56)
            break;
        v = v << 7 | (b & 0x7F);
        if (b & 0x80)
            continue;
        if (first)
            o += (size_t)snprintf(out + o, n - o, "%u.%" PRIu64, v < 80 ? (unsigned)(v / 40) : 2u,
                                  v < 80 ? v % 40 : v - 80);
        else
            o += (size_t)snprintf(out + o, n - o, ".%" PRIu64, v);
        first = 0;
        v = 0;
    }
    if (!out[0])
        snprintf(out, n, "(empty)");
}

/* Opaque bytes opened as ASN.1 (authSafe content, a data safe, a decrypted
 * safe): BER normalised to DER, the DER copy kept in store memory (secret:
 * wiped when the store goes). *c reads the result; 0 after an error. */
static jks_status open_layer(p12_ctx *x, jks_cursor in, int secret, const char *what,
                             jks_cursor *c)
{
    uint8_t *der = NULL;
    size_t der_len = 0, off = 0;
    int r = jks_ber_to_der(in.p, in.len, &der, &der_len, &off);
    if (r < 0)
        return oom(x);
    if (r == 0) {
        jks_cursor here = in;
        jks_cursor_skip(&here, off);
        return bad(x, &here, what);
    }
    if (!der) {
        *c = in;
        return JKS_OK;
    }
    const uint8_t *kept = jks_store_keep(x->st, der, der_len, secret);
    jks_buffer_free(der, der_len);
    if (!kept)
        return oom(x);
    jks_cursor_init(c, kept, der_len);
    return JKS_OK;
}

/* SET OF Attribute { OID, SET OF ANY }: well formed? */
static int attrs_valid(jks_cursor a)
{
    while (jks_cursor_remaining(&a)) {
        jks_cursor at, oid, set, v;
        uint8_t t;
        if (!jks_cursor_der_expect(&a, 0x30, &at) || !jks_cursor_der_expect(&at, 0x06, &oid) ||
            !oid.len || !jks_cursor_der_expect(&at, 0x31, &set) || jks_cursor_remaining(&at))
            return 0;
        while (jks_cursor_remaining(&set))
            if (!jks_cursor_der(&set, &t, &v))
                return 0;
    }
    return 1;
}

/* The first attribute with this OID (as PKCS12_SAFEBAG_get0_attr finds it):
 * 1 when present; *tag and *val its first value (*tag 0 when it has none). */
static int attr_get(jks_cursor a, const uint8_t *oid_want, size_t n, uint8_t *tag, jks_cursor *val)
{
    while (jks_cursor_remaining(&a)) {
        jks_cursor at, oid, set;
        if (!jks_cursor_der_expect(&a, 0x30, &at) || !jks_cursor_der_expect(&at, 0x06, &oid) ||
            !jks_cursor_der_expect(&at, 0x31, &set))
            return 0;
        if (!oid_eq(oid, oid_want, n))
            continue;
        *tag = 0;
        if (jks_cursor_remaining(&set) && !jks_cursor_der(&set, tag, val))
            *tag = 0;
        return 1;
    }
    return 0;
}

static char *rec_friendly_name(const p12_bag *r)
{
    uint8_t t;
    jks_cursor v;
    if (!attr_get(r->attrs, OID_FRIENDLY, sizeof(OID_FRIENDLY), &t, &v) || t != 0x1E)
        return NULL;
    size_t n = v.len / 2, o = 0;
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        uint16_t c16, d16;
        if (!jks_cursor_u16(&v, &c16))
            break;
        uint32_t c = c16;
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
            jks_cursor save = v;
            if (jks_cursor_u16(&v, &d16) && d16 >= 0xDC00 && d16 < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + ((uint32_t)d16 - 0xDC00);
                i++;
            } else {
                v = save;
            }
        }
        if (c == 0)
            break;
        o += jks_utf8_put((uint8_t *)out + o, c);
    }
    out[o] = 0;
    return out;
}

static jks_bytes rec_lkid(const p12_bag *r)
{
    jks_bytes b = {NULL, 0};
    uint8_t t;
    jks_cursor v;
    if (attr_get(r->attrs, OID_LKID, sizeof(OID_LKID), &t, &v) && t == 0x04 && v.len > 0) {
        b.data = v.p; /* a view into store memory */
        b.len = v.len;
    }
    return b;
}

static int push_bag(p12_bags *b, const p12_bag *r)
{
    p12_bag *nv = jks_array_grow(b->v, &b->cap, b->n, sizeof(*nv), 16);
    if (!nv)
        return 0;
    b->v = nv;
    b->v[b->n++] = *r;
    return 1;
}

/* One element filling the whole of c: *el the element. */
static int only_element(jks_cursor c, uint8_t want, jks_cursor *el)
{
    uint8_t t;
    return jks_cursor_der_element(&c, &t, el) && t == want && !jks_cursor_remaining(&c);
}

static int only_content(jks_cursor c, uint8_t want, jks_cursor *content)
{
    return jks_cursor_der_expect(&c, want, content) && !jks_cursor_remaining(&c);
}

/* PKCS12_BAGS { typeId OID, [0] EXPLICIT value }: *type, *value (contents of [0]). */
static int bag_pair(jks_cursor val, jks_cursor *type, jks_cursor *value)
{
    jks_cursor seq;
    return only_content(val, 0x30, &seq) && jks_cursor_der_expect(&seq, 0x06, type) &&
           jks_cursor_der_expect(&seq, 0xA0, value) && !jks_cursor_remaining(&seq);
}

/* The SafeBags of one SafeContents, in order, into records. */
static jks_status parse_bags(p12_ctx *x, p12_bags *b, jks_cursor sc, int depth)
{
    while (jks_cursor_remaining(&sc)) {
        jks_cursor at = sc, bag, oid, val, el, type, inner;
        p12_bag r;
        uint8_t t;
        memset(&r, 0, sizeof(r));
        if (!jks_cursor_der_expect(&sc, 0x30, &bag) || !jks_cursor_der_expect(&bag, 0x06, &oid) ||
            !oid.len || !jks_cursor_der_expect(&bag, 0xA0, &val))
            return bad(x, &at, "a SafeBag is not SEQUENCE { bagId, [0] bagValue, ... }");
        if (jks_cursor_remaining(&bag) &&
            (!jks_cursor_der_expect(&bag, 0x31, &r.attrs) || jks_cursor_remaining(&bag) ||
             !attrs_valid(r.attrs)))
            return bad(x, &at, "a SafeBag's attributes are not a SET OF Attribute");
        switch (bag_type(oid)) {
        case 2: { /* pkcs8ShroudedKeyBag: EncryptedPrivateKeyInfo, exact bytes */
            jks_cursor epki, algel, data;
            if (!only_element(val, 0x30, &el) || !only_content(el, 0x30, &epki) ||
                !jks_cursor_der_element(&epki, &t, &algel) || t != 0x30 ||
                !jks_cursor_der_expect(&epki, 0x04, &data) || jks_cursor_remaining(&epki))
                return bad(x, &val, "a shrouded key bag does not hold an EncryptedPrivateKeyInfo");
            const unsigned char *p = algel.p;
            X509_ALGOR *alg = d2i_X509_ALGOR(NULL, &p, (long)algel.len);
            if (!alg || p != algel.p + algel.len) {
                X509_ALGOR_free(alg);
                ERR_clear_error();
                return bad(x, &algel, "a shrouded key bag's encryption algorithm is malformed");
            }
            note_alg(x->st->p12.key_alg, sizeof(x->st->p12.key_alg), alg);
            X509_ALGOR_free(alg);
            r.kind = BAG_SHROUDED;
            r.val = el;
            break;
        }
        case 1: { /* keyBag: PrivateKeyInfo */
            if (!only_element(val, 0x30, &el))
                return bad(x, &val, "a key bag does not hold a PrivateKeyInfo");
            if (!jks_pkcs8_valid(el.p, el.len))
                return bad(x, &el, "a key bag's PrivateKeyInfo is malformed");
            r.kind = BAG_PLAIN;
            r.val = el;
            break;
        }
        case 5: /* secretBag */
            if (!bag_pair(val, &type, &inner) || !jks_cursor_der_element(&inner, &t, &el) ||
                jks_cursor_remaining(&inner))
                return bad(x, &val, "a secret bag is not SEQUENCE { secretTypeId, [0] value }");
            r.kind = BAG_SECRET_OTHER;
            if (bag_type(type) == 2 && t == 0x04) {
                jks_cursor os = el;
                jks_cursor_der(&os, &t, &r.val);
                const unsigned char *p = r.val.p;
                X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)r.val.len);
                if (sig) {
                    const X509_ALGOR *alg;
                    X509_SIG_get0(sig, &alg, NULL);
                    note_alg(x->st->p12.key_alg, sizeof(x->st->p12.key_alg), alg);
                    X509_SIG_free(sig);
                }
                ERR_clear_error();
                r.kind = BAG_SECRET_ENC;
            }
            break;
        case 3: /* certBag */
        case 4: /* crlBag */
            if (!bag_pair(val, &type, &inner) || !jks_cursor_der_element(&inner, &t, &el) ||
                jks_cursor_remaining(&inner))
                return bad(x, &val, "a certificate bag is not SEQUENCE { certId, [0] certValue }");
            if ((oid_eq(type, OID_X509CERT, sizeof(OID_X509CERT)) ||
                 oid_eq(type, OID_X509CRL, sizeof(OID_X509CRL))) && t != 0x04)
                return bad(x, &inner, "an X.509 certificate bag's value is not an OCTET STRING");
            if (oid_eq(type, OID_SDSICERT, sizeof(OID_SDSICERT)) && t != 0x16)
                return bad(x, &inner, "an SDSI certificate bag's value is not an IA5String");
            if (bag_type(oid) == 4 || !oid_eq(type, OID_X509CERT, sizeof(OID_X509CERT)))
                continue; /* CRLs, SDSI certificates: Java skips them too */
            jks_cursor_der(&el, &t, &r.val); /* the certificate: a view, no copy */
            {
                int oom_ = 0;
                int ok = x509_cert_ok(x, r.val.p, r.val.len, &oom_);
                if (oom_)
                    return oom(x);
                if (!ok) {
                    ERR_clear_error();
                    return bad(x, &r.val, "a certificate bag does not hold an X.509 certificate");
                }
            }
            r.kind = BAG_CERT;
            break;
        case 6: /* safeContentsBag */
            if (depth >= MAX_NESTING)
                return bad(x, &at, "safe contents bags nested too deeply");
            if (!only_content(val, 0x30, &inner))
                return bad(x, &val, "a safe contents bag does not hold a SEQUENCE of SafeBags");
            {
                jks_status s = parse_bags(x, b, inner, depth + 1);
                if (s != JKS_OK)
                    return s;
            }
            continue;
        default: /* CRL-like and unknown bags: one value of any type; Java skips them */
            if (!jks_cursor_der(&val, &t, &el) || jks_cursor_remaining(&val))
                return bad(x, &val, "a SafeBag's value is not one element");
            continue;
        }
        if (!push_bag(b, &r))
            return oom(x);
    }
    return JKS_OK;
}

/* A decrypted safe: valid BER holding one SEQUENCE that fills it? (A wrong
 * password passes the padding check now and then; this tells it apart.) */
static int plain_is_safecontents(const unsigned char *out, int outlen)
{
    uint8_t *der = NULL;
    size_t der_len = 0, off;
    jks_cursor c, sc;
    if (!out || outlen <= 0 || jks_ber_to_der(out, (size_t)outlen, &der, &der_len, &off) != 1)
        return 0;
    jks_cursor_init(&c, der ? der : out, der ? der_len : (size_t)outlen);
    int ok = only_content(c, 0x30, &sc);
    jks_buffer_free(der, der_len);
    return ok;
}

static unsigned char *pbe_decrypt(const X509_ALGOR *alg, const char *pass, int pass_len,
                                  const uint8_t *enc, size_t enc_len, int *outlen,
                                  OSSL_LIB_CTX *libctx)
{
    unsigned char *out = NULL;
    *outlen = 0;
    if (enc_len > INT_MAX)
        return NULL;
    if (!PKCS12_pbe_crypt_ex(alg, pass, pass_len, enc, (int)enc_len, &out, outlen, 0, libctx,
                             NULL))
        return NULL;
    if (!plain_is_safecontents(out, *outlen)) {
        OPENSSL_clear_free(out, (size_t)*outlen);
        return NULL;
    }
    return out;
}

/* encryptedContent [0] IMPLICIT OCTET STRING: primitive, or (BER) constructed
 * of OCTET STRING chunks, which are joined into *joined (caller frees). */
static int enc_content(jks_cursor *eci, jks_cursor *enc, uint8_t **joined)
{
    uint8_t t;
    jks_cursor v;
    *joined = NULL;
    if (!jks_cursor_der(eci, &t, &v))
        return 0;
    if (t == 0x80) {
        *enc = v;
        return 1;
    }
    if (t != 0xA0)
        return 0;
    size_t total = 0;
    jks_cursor w = v, chunk;
    while (jks_cursor_remaining(&w)) {
        if (!jks_cursor_der_expect(&w, 0x04, &chunk))
            return 0;
        total += chunk.len;
    }
    if (!(*joined = malloc(total ? total : 1)))
        return 0;
    size_t o = 0;
    while (jks_cursor_remaining(&v)) {
        jks_cursor_der_expect(&v, 0x04, &chunk);
        memcpy(*joined + o, chunk.p, chunk.len);
        o += chunk.len;
    }
    jks_cursor_init(enc, *joined, total);
    return 1;
}

static jks_status parse_encrypted_safe(p12_ctx *x, p12_bags *b, jks_cursor e0, int i)
{
    jks_cursor ed, ver, eci, ctype, algel, enc;
    uint8_t t, *joined = NULL;
    X509_ALGOR *alg = NULL;
    jks_status s = JKS_OK;
    if (!only_content(e0, 0x30, &ed) || !jks_cursor_der_expect(&ed, 0x02, &ver) ||
        !jks_cursor_der_expect(&ed, 0x30, &eci) || jks_cursor_remaining(&ed) ||
        !jks_cursor_der_expect(&eci, 0x06, &ctype) || !jks_cursor_der_element(&eci, &t, &algel) ||
        t != 0x30)
        return bad(x, &e0, "an encrypted safe is not EncryptedData { version, "
                           "EncryptedContentInfo { type, algorithm, [0] content } }");
    if (!jks_cursor_remaining(&eci)) {
        enc.p = NULL; /* no content: nothing to decrypt (RFC 5652 allows it) */
        enc.len = 0;
        enc.base = NULL;
    } else if (!enc_content(&eci, &enc, &joined) || jks_cursor_remaining(&eci)) {
        free(joined);
        return bad(x, &eci, "an encrypted safe's content is not an [0] OCTET STRING");
    }
    const unsigned char *p = algel.p;
    alg = d2i_X509_ALGOR(NULL, &p, (long)algel.len);
    if (!alg || p != algel.p + algel.len) {
        ERR_clear_error();
        s = bad(x, &algel, "an encrypted safe's algorithm is malformed");
        goto done;
    }
    char name[64];
    jks_p12_alg_name(alg, name, sizeof(name));
    if (!x->st->p12.cert_alg[0] || !strcmp(x->st->p12.cert_alg, "none"))
        snprintf(x->st->p12.cert_alg, sizeof(x->st->p12.cert_alg), "%s", name);
    if (x->skip_encrypted) {
        x->skipped++;
        goto done; /* Java's load(null) skips them the same way */
    }
    uint64_t it = jks_algor_iterations(alg);
    if (it > x->max_iter) {
        s = jks_fail(x->err, JKS_ERR_FORMAT, -1,
                     "encrypted safe iteration count %" PRIu64 " exceeds the limit %u", it,
                     x->max_iter);
        goto done;
    }
    if ((s = jks_work_charge(x->st, jks_algor_work(alg), x->err)) != JKS_OK)
        goto done;
    int outlen = 0;
    unsigned char *out = pbe_decrypt(alg, x->pass, x->pass_len, enc.p, enc.len, &outlen, NULL);
    if (!out && !strncmp(name, "pbe-sha1-rc", 11) && jks_p12_legacy_provider()) {
        /* RC2/RC4: decrypted in the library's private legacy context */
        ERR_clear_error();
        out = pbe_decrypt(alg, x->pass, x->pass_len, enc.p, enc.len, &outlen,
                          jks_crypto_legacy_ctx());
    }
    if (!out && x->soft_fail) {
        ERR_clear_error();
        x->skipped++;
        goto done; /* no password given: leave it unread, as Java does */
    }
    if (!out) {
        ERR_clear_error();
        if (!strncmp(name, "pbe-sha1-rc", 11) && !jks_p12_legacy_provider())
            s = jks_fail(x->err, JKS_ERR_FORMAT, -1,
                         "encrypted safe uses %s, which needs OpenSSL's legacy provider (not available)",
                         name);
        else
            s = jks_fail(x->err, JKS_ERR_PASSWORD, -1,
                         "keystore password was incorrect (cannot decrypt the %s safe)", name);
        goto done;
    }
    /* the plaintext stays in store memory (wiped with it): certificates are
     * views into it */
    jks_cursor plain, c, sc;
    const uint8_t *kept = jks_store_keep(x->st, out, (size_t)outlen, 1);
    OPENSSL_clear_free(out, (size_t)outlen);
    if (!kept) {
        s = oom(x);
        goto done;
    }
    x->opened++;
    snprintf(x->where, sizeof(x->where), "in safe %d, decrypted", i + 1);
    jks_cursor_init(&plain, kept, (size_t)outlen);
    s = open_layer(x, plain, 1, "the decrypted safe is not valid BER", &c);
    if (s == JKS_OK && !only_content(c, 0x30, &sc))
        s = bad(x, &c, "the decrypted safe is not one SEQUENCE of SafeBags");
    if (s == JKS_OK)
        s = parse_bags(x, b, sc, 0);
    x->where[0] = 0;
done:
    free(joined);
    X509_ALGOR_free(alg);
    return s;
}

/* AuthenticatedSafe: SEQUENCE OF ContentInfo, each data or encryptedData. */
static jks_status parse_safes(p12_ctx *x, p12_bags *b, jks_cursor content)
{
    jks_cursor as, seq;
    jks_status s = open_layer(x, content, 0, "the authenticated safe is not valid BER", &as);
    if (s != JKS_OK)
        return s;
    if (!only_content(as, 0x30, &seq))
        return bad(x, &as, "the authenticated safe is not one SEQUENCE of ContentInfo");
    for (int i = 0; jks_cursor_remaining(&seq); i++) {
        jks_cursor at = seq, ci, oid, e0, os, data, sc;
        if (!jks_cursor_der_expect(&seq, 0x30, &ci) || !jks_cursor_der_expect(&ci, 0x06, &oid) ||
            !jks_cursor_der_expect(&ci, 0xA0, &e0) || jks_cursor_remaining(&ci))
            return bad(x, &at, "a safe is not ContentInfo { contentType, [0] content }");
        if (oid_eq(oid, OID_DATA, sizeof(OID_DATA))) {
            if (!only_content(e0, 0x04, &os))
                return bad(x, &e0, "a data safe's content is not an OCTET STRING");
            snprintf(x->where, sizeof(x->where), "in safe %d", i + 1);
            s = open_layer(x, os, 0, "a data safe is not valid BER", &data);
            if (s == JKS_OK && !only_content(data, 0x30, &sc))
                s = bad(x, &data, "a data safe is not one SEQUENCE of SafeBags");
            if (s == JKS_OK)
                s = parse_bags(x, b, sc, 0);
            x->where[0] = 0;
        } else if (oid_eq(oid, OID_ENCDATA, sizeof(OID_ENCDATA))) {
            s = parse_encrypted_safe(x, b, e0, i);
        } else {
            char txt[96];
            oid_text(oid, txt, sizeof(txt));
            return jks_fail(x->err, JKS_ERR_FORMAT, -1,
                            "unsupported content type %s in safe %d of the authenticated safe "
                            "(public-key privacy mode?)", txt, i + 1);
        }
        if (s != JKS_OK)
            return s;
    }
    return JKS_OK;
}

static int classic_mac_ok(const EVP_MD *md, uint64_t iter, jks_cursor salt, jks_cursor digest,
                          jks_cursor content, const char *pass, int pass_len)
{
    unsigned char key[EVP_MAX_MD_SIZE], out[EVP_MAX_MD_SIZE];
    unsigned int outlen = 0;
    int mdsize = EVP_MD_get_size(md), ok = 0;
    if (mdsize <= 0 || salt.len > INT_MAX || iter > INT_MAX)
        return 0;
    if (PKCS12_key_gen_utf8_ex((char *)pass, pass_len, (unsigned char *)salt.p, (int)salt.len,
                               PKCS12_MAC_ID, (int)iter, mdsize, key, md, NULL, NULL) &&
        HMAC(md, key, mdsize, content.p, content.len, out, &outlen))
        ok = outlen == digest.len && !CRYPTO_memcmp(out, digest.p, outlen);
    OPENSSL_cleanse(key, sizeof(key));
    return ok;
}

/* MacData { DigestInfo { AlgId, digest }, macSalt, iterations DEFAULT 1 }. */
static jks_status check_mac(p12_ctx *x, jks_cursor macdata,
                                   jks_cursor content, const char *storepass)
{
    jks_cursor md_, di, algel, digest, salt, iterel = {NULL, 0, NULL};
    uint8_t t;
    jks_store *st = x->st;
    if (!only_content(macdata, 0x30, &md_) || !jks_cursor_der_expect(&md_, 0x30, &di) ||
        !jks_cursor_der_element(&di, &t, &algel) || t != 0x30 ||
        !jks_cursor_der_expect(&di, 0x04, &digest) || jks_cursor_remaining(&di) ||
        !jks_cursor_der_expect(&md_, 0x04, &salt))
        return bad(x, &macdata, "MacData is not { DigestInfo { algorithm, digest }, salt, iterations }");
    if (jks_cursor_remaining(&md_) &&
        (!jks_cursor_der_element(&md_, &t, &iterel) || t != 0x02 || jks_cursor_remaining(&md_)))
        return bad(x, &md_, "the MAC iteration count is not one INTEGER");
    const unsigned char *p = algel.p;
    X509_ALGOR *macalg = d2i_X509_ALGOR(NULL, &p, (long)algel.len);
    ASN1_INTEGER *iter = NULL;
    jks_status s = JKS_OK;
    if (!macalg || p != algel.p + algel.len) {
        ERR_clear_error();
        s = bad(x, &algel, "the MAC algorithm is malformed");
        goto done;
    }
    if (iterel.p) {
        p = iterel.p;
        iter = d2i_ASN1_INTEGER(NULL, &p, (long)iterel.len);
        if (!iter || p != iterel.p + iterel.len) {
            ERR_clear_error();
            s = bad(x, &iterel, "malformed MAC iteration count");
            goto done;
        }
    }
    st->p12.has_mac = 1;
    const ASN1_OBJECT *oid;
    X509_ALGOR_get0(&oid, NULL, NULL, macalg);
    ASN1_OBJECT *pbmac1 = OBJ_txt2obj(JKS_OID_PBMAC1, 1);
    int is_pbmac1 = pbmac1 && !OBJ_cmp(oid, pbmac1);
    ASN1_OBJECT_free(pbmac1);

    if (is_pbmac1) {
        uint32_t it = 0;
        ASN1_OCTET_STRING *mac = ASN1_OCTET_STRING_new();
        if (!mac || digest.len > INT_MAX ||
            !ASN1_OCTET_STRING_set(mac, digest.p, (int)digest.len)) {
            ASN1_OCTET_STRING_free(mac);
            s = oom(x);
            goto done;
        }
        /* facts and parameter checks first, even without a password */
        s = jks_pbmac1_verify(macalg, mac, content.p, content.len, NULL, x->max_iter, NULL,
                              st->p12.mac_alg, sizeof(st->p12.mac_alg), &it, x->err);
        st->p12.mac_iterations = it;
        if (s == JKS_OK) {
            const char *pw = storepass ? storepass : "";
            s = jks_pbmac1_verify(macalg, mac, content.p, content.len, pw, x->max_iter, st,
                                  st->p12.mac_alg, sizeof(st->p12.mac_alg), &it, x->err);
            if (s == JKS_OK) {
                x->pass = pw;
                x->pass_len = (int)strlen(pw);
                st->integrity = JKS_INTEGRITY_VERIFIED;
            } else if (s == JKS_ERR_PASSWORD && !storepass) {
                x->skip_encrypted = 1;
                s = JKS_OK;
            } else if (s == JKS_ERR_PASSWORD) {
                s = jks_fail(x->err, JKS_ERR_PASSWORD, -1,
                             "keystore password was incorrect (PBMAC1 integrity check failed)");
            }
        }
        ASN1_OCTET_STRING_free(mac);
        goto done;
    }

    uint64_t it = 1;
    if (iter && !ASN1_INTEGER_get_uint64(&it, iter)) {
        s = jks_fail(x->err, JKS_ERR_FORMAT, -1, "malformed MAC iteration count");
        goto done;
    }
    int md_nid = OBJ_obj2nid(oid);
    const EVP_MD *md = md_nid != NID_undef ? EVP_get_digestbynid(md_nid) : NULL;
    char txt[sizeof(st->p12.mac_alg)];
    OBJ_obj2txt(txt, sizeof(txt), oid, 0);
    memcpy(st->p12.mac_alg, txt, sizeof(txt));
    for (char *c = st->p12.mac_alg; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    st->p12.mac_iterations = it > UINT32_MAX ? UINT32_MAX : (uint32_t)it;
    if (!md) {
        s = jks_fail(x->err, JKS_ERR_FORMAT, -1, "unsupported MAC digest algorithm %s", txt);
        goto done;
    }
    if (it < 1 || it > x->max_iter) {
        s = jks_fail(x->err, JKS_ERR_FORMAT, -1, "MAC iteration count %" PRIu64 " is outside 1..%u",
                     it, x->max_iter);
        goto done;
    }
    if (storepass && *storepass && (s = jks_work_charge(st, jks_kdf_work(md, it, 0), x->err)) != JKS_OK)
        goto done;
    if (storepass && *storepass) {
        if (classic_mac_ok(md, it, salt, digest, content, storepass, -1)) {
            x->pass = storepass;
            x->pass_len = (int)strlen(storepass);
            st->integrity = JKS_INTEGRITY_VERIFIED;
        } else {
            ERR_clear_error();
            s = jks_fail(x->err, JKS_ERR_PASSWORD, -1, "keystore password was incorrect");
        }
        goto done;
    }
    /* empty or no password: "" as BMPString 00 00, then zero bytes */
    if (classic_mac_ok(md, it, salt, digest, content, "", 0)) {
        x->pass = "";
        x->pass_len = 0;
    } else if (classic_mac_ok(md, it, salt, digest, content, NULL, 0)) {
        x->pass = NULL;
        x->pass_len = 0;
    } else {
        ERR_clear_error();
        if (storepass)
            s = jks_fail(x->err, JKS_ERR_PASSWORD, -1, "keystore password was incorrect");
        else
            x->skip_encrypted = 1; /* Java's load(null): read what is not encrypted */
        goto done;
    }
    st->integrity = JKS_INTEGRITY_VERIFIED;
done:
    ASN1_INTEGER_free(iter);
    X509_ALGOR_free(macalg);
    return s;
}

/* Phase 2: the records, in file order, become entries. */
static jks_status add_records(p12_ctx *x, p12_bags *b)
{
    jks_status s = JKS_OK;
    for (size_t i = 0; i < b->n && s == JKS_OK; i++) {
        p12_bag *r = &b->v[i];
        switch (r->kind) {
        case BAG_SHROUDED:
            s = add_key_named(x, rec_friendly_name(r), rec_lkid(r), JKS_ENTRY_PRIVATE_KEY, r->val.p,
                              r->val.len, NULL);
            break;
        case BAG_PLAIN:
            s = add_key_named(x, rec_friendly_name(r), rec_lkid(r), JKS_ENTRY_PRIVATE_KEY, NULL, 0,
                              &r->val);
            if (s == JKS_OK)
                x->keys[x->n_keys - 1].e->java_ignores = 1;
            break;
        case BAG_SECRET_ENC:
            s = add_key_named(x, rec_friendly_name(r), rec_lkid(r), JKS_ENTRY_SECRET_KEY, r->val.p,
                              r->val.len, NULL);
            break;
        case BAG_SECRET_OTHER:
            s = add_key_named(x, rec_friendly_name(r), rec_lkid(r), JKS_ENTRY_SECRET_KEY, NULL, 0,
                              NULL);
            break;
        case BAG_CERT: {
            if (!grow_certs(x))
                return oom(x);
            p12_cert *c = &x->certs[x->n_certs];
            uint8_t t;
            jks_cursor v;
            memset(c, 0, sizeof(*c));
            c->der.data = r->val.p;
            c->der.len = r->val.len;
            c->name = rec_friendly_name(r);
            c->lkid = rec_lkid(r);
            c->trusted = attr_get(r->attrs, OID_TRUST, sizeof(OID_TRUST), &t, &v);
            s = cert_added(x);
            break;
        }
        }
    }
    return s;
}

static void free_bags(p12_bags *b)
{
    free(b->v);
}

jks_status jks_p12_decode(jks_store *st, const uint8_t *data, size_t len,
                          const jks_read_opts *opts, jks_error *err)
{
    p12_ctx x;
    p12_bags b;
    jks_status s;
    memset(&b, 0, sizeof(b));
    p12_begin(&x, st, opts, err);
    const char *storepass = opts ? opts->storepass : NULL;

    /* BER (indefinite lengths, OCTET STRINGs in chunks) becomes DER here */
    uint8_t *der = NULL;
    size_t der_len = 0, off = 0;
    int r = len ? jks_ber_to_der(data, len, &der, &der_len, &off) : 0;
    if (r < 0)
        return oom(&x);
    size_t whole;
    if (r == 0 && jks_ber_element_size(data, len, &whole)) /* one PFX, then more */
        return jks_fail(err, JKS_ERR_FORMAT, (long long)whole,
                        "%zu bytes of trailing data after the PKCS#12 structure", len - whole);
    if (r == 0)
        return jks_fail(err, JKS_ERR_FORMAT, len ? (long long)off : -1,
                        len ? "truncated or corrupt PKCS#12: an ASN.1 element is cut short or malformed"
                            : "empty file: not a PKCS#12 (PFX) structure");
    const uint8_t *kept = jks_store_keep(st, der ? der : data, der ? der_len : len, 0);
    if (der)
        jks_buffer_free(der, der_len);
    else
        x.file = kept; /* the bytes as stored: errors carry file offsets */
    if (!kept)
        return oom(&x);

    /* PFX { version, authSafe ContentInfo { data, [0] { OCTET STRING } }, macData? } */
    jks_cursor c, pfx, first, ver, ci, oid, e0, content, macdata = {NULL, 0, NULL};
    jks_cursor_init(&c, kept, der ? der_len : len);
    first = c;
    if (!jks_cursor_der_expect(&c, 0x30, &pfx))
        return bad(&x, &first, "not a PFX: the file does not start with a SEQUENCE");
    if (jks_cursor_remaining(&c))
        return jks_fail(err, JKS_ERR_FORMAT, x.file ? (long long)jks_cursor_offset(&c) : -1,
                        "%zu bytes of trailing data after the PKCS#12 structure",
                        jks_cursor_remaining(&c));
    jks_cursor at = pfx;
    if (!jks_cursor_der_expect(&pfx, 0x02, &ver))
        return bad(&x, &at, "the PFX does not start with its version");
    at = pfx;
    if (!jks_cursor_der_expect(&pfx, 0x30, &ci) || !jks_cursor_der_expect(&ci, 0x06, &oid))
        return bad(&x, &at, "the PFX's authSafe is not a ContentInfo");
    if (!oid_eq(oid, OID_DATA, sizeof(OID_DATA))) {
        char txt[96];
        oid_text(oid, txt, sizeof(txt));
        return jks_fail(err, JKS_ERR_FORMAT, x.file ? (long long)jks_cursor_offset(&oid) : -1,
                        "unsupported PKCS#12 authSafe content type %s (public-key integrity "
                        "mode?)", txt);
    }
    if (!jks_cursor_remaining(&ci)) {
        /* an authSafe without content (OpenJDK's EmptyAuthSafeTest): an empty
         * store, as newer JDKs load it; a MAC is checked over no bytes */
        content.p = ci.p;
        content.len = 0;
        content.base = ci.base;
    } else if (!jks_cursor_der_expect(&ci, 0xA0, &e0) || jks_cursor_remaining(&ci) ||
               !only_content(e0, 0x04, &content)) {
        return bad(&x, &at, "the PFX's authSafe content is not [0] { OCTET STRING }");
    }
    at = pfx;
    if ((jks_cursor_remaining(&pfx) && !jks_cursor_der_element(&pfx, NULL, &macdata)) ||
        jks_cursor_remaining(&pfx))
        return bad(&x, &at, "the PFX has more than version, authSafe and macData");

    if (macdata.p) {
        s = check_mac(&x, macdata, content, storepass);
    } else {
        x.pass = storepass ? storepass : "";
        x.pass_len = (int)strlen(x.pass);
        x.soft_fail = !storepass;
        s = JKS_OK;
    }
    if (s == JKS_OK && content.len)
        s = parse_safes(&x, &b, content);
    if (s == JKS_OK)
        s = add_records(&x, &b);
    free_bags(&b);
    return p12_finish(&x, s, storepass);
}
