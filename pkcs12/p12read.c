/* PKCS#12 reader (FORMATS.md 4; RFC 7292): the PFX, MAC, safes and bags are
 * read with the cursor's DER getters (certificates stay views of the bytes);
 * OpenSSL decrypts safes and checks the MAC (PBMAC1 in pbmac1.c). Entries
 * follow Java (FORMATS.md 4.4, 4.5). Input the cursor path does not take
 * (BER, corruption) goes to the former OpenSSL-parsed path, p12_decode_openssl. */
#include "cursor.h"
#include "p12.h"
#include "keys.h"
#include "pair.h"
#include "protect.h"
#include "work.h"

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
    X509 *x;
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
    ASN1_OBJECT *trust_oid;
    jks_error *err;
} p12_ctx;

/* ---- DER walking (error offsets, exact certificate bytes) ---- */

/* One TLV header. Returns 0 when the header itself is cut short or uses a
 * form we do not walk (indefinite length: *indef set). *claimed is the
 * length the header announces. */
static int der_header(jks_cursor *c, uint8_t *tag, size_t *claimed, int *indef)
{
    jks_cursor save = *c;
    uint8_t t, l;
    *indef = 0;
    if (!jks_cursor_u8(c, &t))
        goto fail;
    if ((t & 0x1F) == 0x1F) { /* high tag number: skip its bytes */
        uint8_t b;
        do {
            if (!jks_cursor_u8(c, &b))
                goto fail;
        } while (b & 0x80);
    }
    if (!jks_cursor_u8(c, &l))
        goto fail;
    if (l < 0x80) {
        *claimed = l;
    } else if (l == 0x80) {
        *indef = 1;
        goto fail;
    } else {
        size_t n = l & 0x7F, v = 0;
        if (n > sizeof(size_t))
            goto fail;
        for (size_t i = 0; i < n; i++) {
            uint8_t b;
            if (!jks_cursor_u8(c, &b))
                goto fail;
            v = (v << 8) | b;
        }
        *claimed = v;
    }
    *tag = t;
    return 1;
fail:
    *c = save;
    return 0;
}

/* Offset of the deepest DER element whose header or length runs past its
 * parent, or -1 when the walk finds none (or meets BER it does not walk). */
static long long der_find_bad(jks_cursor *c, int depth)
{
    while (jks_cursor_remaining(c)) {
        size_t start = jks_cursor_offset(c), claimed;
        uint8_t tag;
        int indef, bad = 0;
        jks_cursor body;
        if (!der_header(c, &tag, &claimed, &indef))
            return indef ? -1 : (long long)start;
        size_t avail = jks_cursor_remaining(c);
        if (claimed > avail) {
            bad = 1;
            claimed = avail;
        }
        jks_cursor_bytes(c, claimed, &body);
        int descend = (tag & 0x20) || (bad && tag == 0x04 && body.len && body.p[0] == 0x30);
        if (descend && depth < 64) {
            long long r = der_find_bad(&body, depth + 1);
            if (r >= 0)
                return r;
        }
        if (bad)
            return (long long)start;
    }
    return -1;
}

/* Enter the next element, which must carry tag; body receives its content. */
static int der_enter(jks_cursor *c, uint8_t want, jks_cursor *body)
{
    uint8_t tag;
    size_t len;
    int indef;
    jks_cursor save = *c;
    if (!der_header(c, &tag, &len, &indef) || tag != want || !jks_cursor_bytes(c, len, body)) {
        *c = save;
        return 0;
    }
    return 1;
}

static int der_skip(jks_cursor *c)
{
    uint8_t tag;
    size_t len;
    int indef;
    return der_header(c, &tag, &len, &indef) && jks_cursor_skip(c, len);
}

/* The certificate octets of a certBag exactly as stored: SafeBag { OID,
 * [0] { CertBag { OID, [0] { OCTET STRING } } }, attrs }. */
static int cert_octets(p12_ctx *x, const PKCS12_SAFEBAG *bag, jks_bytes *out)
{
    unsigned char *der = NULL;
    int n = i2d_PKCS12_SAFEBAG(bag, &der);
    jks_cursor c, sb, v, cb, v2, os;
    int ok = 0;
    if (n <= 0)
        return 0;
    jks_cursor_init(&c, der, (size_t)n);
    if (der_enter(&c, 0x30, &sb) && der_skip(&sb) && der_enter(&sb, 0xA0, &v) &&
        der_enter(&v, 0x30, &cb) && der_skip(&cb) && der_enter(&cb, 0xA0, &v2) &&
        der_enter(&v2, 0x04, &os)) {
        out->data = jks_store_keep(x->st, os.p, os.len, 0);
        out->len = os.len;
        ok = out->data != NULL;
    }
    OPENSSL_free(der);
    return ok;
}

/* The authSafe content octets (what the MAC covers): PFX { INTEGER,
 * ContentInfo { OID, [0] { OCTET STRING } }, ... }, DER only. */
static int authsafe_octets(const uint8_t *data, size_t len, jks_cursor *out)
{
    jks_cursor c, pfx, ci, e0;
    jks_cursor_init(&c, data, len);
    return der_enter(&c, 0x30, &pfx) && der_skip(&pfx) && der_enter(&pfx, 0x30, &ci) &&
           der_skip(&ci) && der_enter(&ci, 0xA0, &e0) && der_enter(&e0, 0x04, out);
}

/* ---- bags ---- */

static jks_bytes attr_octets(p12_ctx *x, const PKCS12_SAFEBAG *bag, int nid)
{
    jks_bytes b = {NULL, 0};
    const ASN1_TYPE *t = PKCS12_SAFEBAG_get0_attr(bag, nid);
    if (t && t->type == V_ASN1_OCTET_STRING && ASN1_STRING_length(t->value.octet_string) > 0) {
        const ASN1_OCTET_STRING *o = t->value.octet_string;
        b.len = (size_t)ASN1_STRING_length(o);
        b.data = jks_store_keep(x->st, ASN1_STRING_get0_data(o), b.len, 0);
        if (!b.data)
            b.len = 0;
    }
    return b;
}

static int has_trust_attr(const p12_ctx *x, const PKCS12_SAFEBAG *bag)
{
    const STACK_OF(X509_ATTRIBUTE) *attrs = PKCS12_SAFEBAG_get0_attrs(bag);
    for (int i = 0; i < sk_X509_ATTRIBUTE_num(attrs); i++)
        if (!OBJ_cmp(X509_ATTRIBUTE_get0_object(sk_X509_ATTRIBUTE_value(attrs, i)), x->trust_oid))
            return 1;
    return 0;
}

/* friendlyName as UTF-8 (malloc'd; NULL when absent). Our own UTF-16BE
 * decoding: OpenSSL 3.0's fails on a 3-byte character at the end of the name
 * ("...€"). Surrogate pairs join; a lone surrogate keeps its 3-byte form. */
static char *friendly_name(const PKCS12_SAFEBAG *bag)
{
    const ASN1_TYPE *t = PKCS12_SAFEBAG_get0_attr(bag, NID_friendlyName);
    if (!t || t->type != V_ASN1_BMPSTRING)
        return NULL;
    const uint8_t *u = ASN1_STRING_get0_data(t->value.bmpstring);
    size_t n = (size_t)ASN1_STRING_length(t->value.bmpstring) / 2, o = 0;
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = (uint32_t)u[2 * i] << 8 | u[2 * i + 1];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
            uint32_t d = (uint32_t)u[2 * i + 2] << 8 | u[2 * i + 3];
            if (d >= 0xDC00 && d < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i++;
            }
        }
        if (c == 0)
            break; /* a terminating NUL some writers add */
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | c >> 6);
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | c >> 12);
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | c >> 18);
            out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = 0;
    return out;
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
                                const PKCS8_PRIV_KEY_INFO *plain)
{
    if (x->n_keys == x->cap_keys) {
        size_t cap = x->cap_keys ? x->cap_keys * 2 : 8;
        p12_key *nk = realloc(x->keys, cap * sizeof(*nk));
        if (!nk) {
            free(name);
            return oom(x);
        }
        x->keys = nk;
        x->cap_keys = cap;
    }
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
        unsigned char *der = NULL;
        int n = i2d_PKCS8_PRIV_KEY_INFO(plain, &der);
        if (n <= 0)
            return jks_fail(x->err, JKS_ERR_FORMAT, -1, "malformed unencrypted key bag");
        int ok = jks_entry_set_pkcs8(e, der, (size_t)n);
        OPENSSL_clear_free(der, (size_t)n);
        if (!ok)
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
    if (x->n_certs == x->cap_certs) {
        size_t cap = x->cap_certs ? x->cap_certs * 2 : 8;
        p12_cert *nc = realloc(x->certs, cap * sizeof(*nc));
        if (!nc)
            return 0;
        x->certs = nc;
        x->cap_certs = cap;
    }
    return 1;
}

static jks_status add_key(p12_ctx *x, const PKCS12_SAFEBAG *bag, jks_entry_kind kind,
                          const uint8_t *prot, size_t prot_len, const PKCS8_PRIV_KEY_INFO *plain)
{
    char *name = friendly_name(bag);
    return add_key_named(x, name, attr_octets(x, bag, NID_localKeyID), kind, prot, prot_len,
                         plain);
}

static jks_status add_cert(p12_ctx *x, const PKCS12_SAFEBAG *bag)
{
    if (PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate)
        return JKS_OK; /* SDSI certificates: Java ignores them too */
    if (!grow_certs(x))
        return oom(x);
    p12_cert *c = &x->certs[x->n_certs];
    memset(c, 0, sizeof(*c));
    if (!cert_octets(x, bag, &c->der))
        return jks_fail(x->err, JKS_ERR_FORMAT, -1, "malformed certificate bag");
    const unsigned char *p = c->der.data;
    c->x = d2i_X509(NULL, &p, (long)c->der.len);
    if (!c->x || p != c->der.data + c->der.len) {
        X509_free(c->x);
        return jks_fail(x->err, JKS_ERR_FORMAT, -1, "certificate bag %zu does not hold an X.509 certificate",
                        x->n_certs + 1);
    }
    c->name = friendly_name(bag);
    c->lkid = attr_octets(x, bag, NID_localKeyID);
    c->trusted = has_trust_attr(x, bag);
    return cert_added(x);
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

static jks_status read_bags(p12_ctx *x, const STACK_OF(PKCS12_SAFEBAG) *bags, int depth)
{
    jks_status s = JKS_OK;
    for (int i = 0; i < sk_PKCS12_SAFEBAG_num(bags) && s == JKS_OK; i++) {
        const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, i);
        switch (PKCS12_SAFEBAG_get_nid(bag)) {
        case NID_pkcs8ShroudedKeyBag: {
            const X509_SIG *sig = PKCS12_SAFEBAG_get0_pkcs8(bag);
            const X509_ALGOR *alg;
            unsigned char *der = NULL;
            X509_SIG_get0(sig, &alg, NULL);
            note_alg(x->st->p12.key_alg, sizeof(x->st->p12.key_alg), alg);
            int n = i2d_X509_SIG(sig, &der);
            if (n <= 0)
                return jks_fail(x->err, JKS_ERR_FORMAT, -1, "malformed shrouded key bag");
            s = add_key(x, bag, JKS_ENTRY_PRIVATE_KEY, der, (size_t)n, NULL);
            OPENSSL_free(der);
            break;
        }
        case NID_keyBag:
            /* an unencrypted key (openssl -keypbe NONE): Java reads only shrouded
             * key bags and skips this one ("Unsupported PKCS12 bag type"), so its
             * entry is listed marked; convert still takes the key */
            s = add_key(x, bag, JKS_ENTRY_PRIVATE_KEY, NULL, 0, PKCS12_SAFEBAG_get0_p8inf(bag));
            if (s == JKS_OK)
                x->keys[x->n_keys - 1].e->java_ignores = 1;
            break;
        case NID_secretBag: {
            const ASN1_TYPE *v = PKCS12_SAFEBAG_get0_bag_obj(bag);
            if (PKCS12_SAFEBAG_get_bag_nid(bag) == NID_pkcs8ShroudedKeyBag && v &&
                v->type == V_ASN1_OCTET_STRING) {
                const ASN1_OCTET_STRING *o = v->value.octet_string;
                const unsigned char *p = ASN1_STRING_get0_data(o);
                X509_SIG *sig = d2i_X509_SIG(NULL, &p, ASN1_STRING_length(o));
                if (sig) {
                    const X509_ALGOR *alg;
                    X509_SIG_get0(sig, &alg, NULL);
                    note_alg(x->st->p12.key_alg, sizeof(x->st->p12.key_alg), alg);
                    X509_SIG_free(sig);
                }
                s = add_key(x, bag, JKS_ENTRY_SECRET_KEY, ASN1_STRING_get0_data(o),
                            (size_t)ASN1_STRING_length(o), NULL);
            } else {
                s = add_key(x, bag, JKS_ENTRY_SECRET_KEY, NULL, 0, NULL); /* unknown kind */
            }
            break;
        }
        case NID_certBag:
            s = add_cert(x, bag);
            break;
        case NID_safeContentsBag:
            if (depth >= MAX_NESTING)
                return jks_fail(x->err, JKS_ERR_FORMAT, -1, "safe contents nested too deeply");
            s = read_bags(x, PKCS12_SAFEBAG_get0_safes(bag), depth + 1);
            break;
        default:
            break; /* CRL bags and unknown bags: Java skips them as well */
        }
    }
    return s;
}

static jks_status read_safes(p12_ctx *x, PKCS12 *p12)
{
    STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
    jks_status s = JKS_OK;
    if (!safes)
        return jks_fail(x->err, JKS_ERR_FORMAT, -1, "malformed PKCS#12 authenticated safe");
    for (int i = 0; i < sk_PKCS7_num(safes) && s == JKS_OK; i++) {
        PKCS7 *p7 = sk_PKCS7_value(safes, i);
        STACK_OF(PKCS12_SAFEBAG) *bags = NULL;
        int nid = OBJ_obj2nid(p7->type);
        if (nid == NID_pkcs7_data) {
            bags = PKCS12_unpack_p7data(p7);
            if (!bags) {
                s = jks_fail(x->err, JKS_ERR_FORMAT, -1, "malformed safe contents %d", i + 1);
                break;
            }
        } else if (nid == NID_pkcs7_encrypted) {
            if (!p7->d.encrypted || !p7->d.encrypted->enc_data ||
                !p7->d.encrypted->enc_data->algorithm) {
                s = jks_fail(x->err, JKS_ERR_FORMAT, -1, "malformed encrypted safe %d", i + 1);
                break;
            }
            const X509_ALGOR *alg = p7->d.encrypted->enc_data->algorithm;
            char name[64];
            jks_p12_alg_name(alg, name, sizeof(name));
            if (!x->st->p12.cert_alg[0] || !strcmp(x->st->p12.cert_alg, "none"))
                snprintf(x->st->p12.cert_alg, sizeof(x->st->p12.cert_alg), "%s", name);
            if (x->skip_encrypted) {
                x->skipped++;
                continue; /* Java's load(null) skips them the same way */
            }
            uint64_t it = jks_algor_iterations(alg);
            if (it > x->max_iter) {
                s = jks_fail(x->err, JKS_ERR_FORMAT, -1,
                             "encrypted safe iteration count %" PRIu64 " exceeds the limit %u", it,
                             x->max_iter);
                break;
            }
            if ((s = jks_work_charge(x->st, jks_algor_work(alg), x->err)) != JKS_OK)
                break;
            bags = PKCS12_unpack_p7encdata(p7, x->pass, x->pass_len);
            if (!bags && !strncmp(name, "pbe-sha1-rc", 11) && jks_p12_legacy_provider()) {
                /* RC2/RC4: decrypted in the library's private legacy context */
                ERR_clear_error();
                bags = PKCS12_item_decrypt_d2i_ex(alg, ASN1_ITEM_rptr(PKCS12_SAFEBAGS), x->pass,
                                                  x->pass_len, p7->d.encrypted->enc_data->enc_data,
                                                  1, jks_crypto_legacy_ctx(), NULL);
            }
            if (!bags && x->soft_fail) {
                ERR_clear_error();
                x->skipped++;
                continue; /* no password given: leave it unread, as Java does */
            }
            if (!bags) {
                ERR_clear_error();
                if (!strncmp(name, "pbe-sha1-rc", 11) && !jks_p12_legacy_provider())
                    s = jks_fail(x->err, JKS_ERR_FORMAT, -1,
                                 "encrypted safe uses %s, which needs OpenSSL's legacy provider (not available)",
                                 name);
                else
                    s = jks_fail(x->err, JKS_ERR_PASSWORD, -1,
                                 "keystore password was incorrect (cannot decrypt the %s safe)", name);
                break;
            }
            x->opened++;
        } else {
            s = jks_fail(x->err, JKS_ERR_FORMAT, -1,
                         "unsupported content type %s in the authenticated safe (public-key privacy mode?)",
                         OBJ_nid2sn(nid));
            break;
        }
        s = read_bags(x, bags, 0);
        sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
    }
    sk_PKCS7_pop_free(safes, PKCS7_free);
    return s;
}

/* ---- chains ---- */

/* The key's leaf: the certificate with its localKeyID, else the one holding
 * its public key (THE pairing, cert/pair.c), else the one with its name. */
static long find_leaf(const p12_ctx *x, const jks_cert_pool *pool, const p12_key *k)
{
    if (k->lkid.len)
        for (size_t i = 0; i < x->n_certs; i++)
            if (x->certs[i].lkid.len == k->lkid.len &&
                !memcmp(x->certs[i].lkid.data, k->lkid.data, k->lkid.len))
                return (long)i;
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

/* A second copy of a certificate that a chain or a trusted entry already
 * shows (Java writes the root of a chain and the trusted root separately). */
static int duplicate_of_listed(const p12_ctx *x, size_t i)
{
    const p12_cert *c = &x->certs[i];
    for (size_t j = 0; j < x->n_certs; j++) {
        const p12_cert *d = &x->certs[j];
        if (j != i && (d->used || d->trusted) && d->der.len == c->der.len &&
            !memcmp(d->der.data, c->der.data, c->der.len))
            return 1;
    }
    return 0;
}

/* ---- MAC ---- */

static jks_status check_mac(p12_ctx *x, PKCS12 *p12, const uint8_t *data, size_t len,
                            const char *storepass)
{
    const ASN1_OCTET_STRING *mac, *salt;
    const X509_ALGOR *macalg;
    const ASN1_INTEGER *iter;
    jks_store *st = x->st;
    PKCS12_get0_mac(&mac, &macalg, &salt, &iter, p12);
    st->p12.has_mac = 1;
    const ASN1_OBJECT *oid;
    X509_ALGOR_get0(&oid, NULL, NULL, macalg);
    ASN1_OBJECT *pbmac1 = OBJ_txt2obj(JKS_OID_PBMAC1, 1);
    int is_pbmac1 = pbmac1 && !OBJ_cmp(oid, pbmac1);
    ASN1_OBJECT_free(pbmac1);

    if (is_pbmac1) {
        jks_cursor content;
        uint32_t it = 0;
        if (!authsafe_octets(data, len, &content))
            return jks_fail(x->err, JKS_ERR_FORMAT, -1,
                            "PBMAC1 MAC over a non-DER authenticated safe is not supported");
        /* facts and parameter checks first, even without a password */
        jks_status s = jks_pbmac1_verify(macalg, mac, content.p, content.len, NULL, x->max_iter, NULL,
                                         st->p12.mac_alg, sizeof(st->p12.mac_alg), &it, x->err);
        st->p12.mac_iterations = it;
        if (s != JKS_OK)
            return s;
        const char *pw = storepass ? storepass : "";
        s = jks_pbmac1_verify(macalg, mac, content.p, content.len, pw, x->max_iter, st,
                              st->p12.mac_alg, sizeof(st->p12.mac_alg), &it, x->err);
        if (s == JKS_OK) {
            x->pass = pw;
            x->pass_len = (int)strlen(pw);
            st->integrity = JKS_INTEGRITY_VERIFIED;
            return JKS_OK;
        }
        if (s != JKS_ERR_PASSWORD)
            return s;
        if (!storepass) {
            x->skip_encrypted = 1;
            return JKS_OK;
        }
        return jks_fail(x->err, JKS_ERR_PASSWORD, -1,
                        "keystore password was incorrect (PBMAC1 integrity check failed)");
    }

    uint64_t it = 1;
    if (iter && !ASN1_INTEGER_get_uint64(&it, iter))
        return jks_fail(x->err, JKS_ERR_FORMAT, -1, "malformed MAC iteration count");
    int md_nid = OBJ_obj2nid(oid);
    const EVP_MD *md = md_nid != NID_undef ? EVP_get_digestbynid(md_nid) : NULL;
    char txt[sizeof(st->p12.mac_alg)];
    OBJ_obj2txt(txt, sizeof(txt), oid, 0);
    memcpy(st->p12.mac_alg, txt, sizeof(txt));
    for (char *c = st->p12.mac_alg; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    st->p12.mac_iterations = it > UINT32_MAX ? UINT32_MAX : (uint32_t)it;
    if (!md)
        return jks_fail(x->err, JKS_ERR_FORMAT, -1, "unsupported MAC digest algorithm %s", txt);
    if (it < 1 || it > x->max_iter)
        return jks_fail(x->err, JKS_ERR_FORMAT, -1,
                        "MAC iteration count %" PRIu64 " is outside 1..%u", it, x->max_iter);
    if (storepass && *storepass) {
        jks_status ws = jks_work_charge(st, jks_kdf_work(md, it, 0), x->err);
        if (ws != JKS_OK)
            return ws;
        if (PKCS12_verify_mac(p12, storepass, -1) == 1) {
            x->pass = storepass;
            x->pass_len = (int)strlen(storepass);
            st->integrity = JKS_INTEGRITY_VERIFIED;
            return JKS_OK;
        }
        ERR_clear_error();
        return jks_fail(x->err, JKS_ERR_PASSWORD, -1, "keystore password was incorrect");
    }
    /* empty or no password: "" as BMPString 00 00, then zero bytes (old
     * OpenSSL wrote NULL passwords that way) */
    if (PKCS12_verify_mac(p12, "", 0) == 1) {
        x->pass = "";
        x->pass_len = 0;
    } else if (PKCS12_verify_mac(p12, NULL, 0) == 1) {
        x->pass = NULL;
        x->pass_len = 0;
    } else {
        ERR_clear_error();
        if (storepass)
            return jks_fail(x->err, JKS_ERR_PASSWORD, -1, "keystore password was incorrect");
        x->skip_encrypted = 1; /* Java's load(null): read what is not encrypted */
        return JKS_OK;
    }
    st->integrity = JKS_INTEGRITY_VERIFIED;
    return JKS_OK;
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

/* The reading context and the store's PKCS#12 facts, reset: the start
 * shared by the cursor reader and the OpenSSL fallback. */
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


static jks_status p12_finish(p12_ctx *x, jks_status s, const char *storepass);

/* The former reader: OpenSSL's PKCS12 API parses the structure. Kept as the
 * fallback for input the cursor reader does not take (BER, and corrupt or
 * unusual input, whose errors this path reports). */
static jks_status p12_decode_openssl(jks_store *st, const uint8_t *data, size_t len,
                                     const jks_read_opts *opts, jks_error *err)
{
    p12_ctx x;
    jks_status s;
    const unsigned char *p = data;
    p12_begin(&x, st, opts, err);
    const char *storepass = opts ? opts->storepass : NULL;

    if (len > LONG_MAX)
        return jks_fail(err, JKS_ERR_FORMAT, -1, "file too large");
    PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
    if (!p12) {
        jks_cursor c;
        ERR_clear_error();
        jks_cursor_init(&c, data, len);
        long long off = der_find_bad(&c, 0);
        if (off >= 0)
            return jks_fail(err, JKS_ERR_FORMAT, off,
                            "truncated or corrupt PKCS#12: DER element runs past its container");
        return jks_fail(err, JKS_ERR_FORMAT, -1, "not a valid PKCS#12 (PFX) structure");
    }
    if (p != data + len) {
        PKCS12_free(p12);
        return jks_fail(err, JKS_ERR_FORMAT, (long long)(p - data),
                        "%zu bytes of trailing data after the PKCS#12 structure",
                        (size_t)(data + len - p));
    }
    if (!(x.trust_oid = OBJ_txt2obj(JKS_OID_ORACLE_TRUST, 1))) {
        PKCS12_free(p12);
        return oom(&x);
    }

    if (PKCS12_mac_present(p12)) {
        s = check_mac(&x, p12, data, len, storepass);
    } else {
        /* no MAC: nothing to check; encrypted safes open with the password
         * given (or the empty one) */
        x.pass = storepass ? storepass : "";
        x.pass_len = (int)strlen(x.pass);
        x.soft_fail = !storepass;
        s = JKS_OK;
    }
    if (s == JKS_OK)
        s = read_safes(&x, p12);
    s = p12_finish(&x, s, storepass);
    PKCS12_free(p12);
    return s;
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
    for (size_t i = 0; s == JKS_OK && i < x.n_certs; i++) {
        p12_cert *c = &x.certs[i];
        if (c->used || c->trusted || duplicate_of_listed(&x, i))
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

    for (size_t i = 0; i < x.n_certs; i++) {
        X509_free(x.certs[i].x);
        free(x.certs[i].name);
    }
    for (size_t i = 0; i < x.n_keys; i++)
        free(x.keys[i].name);
    free(x.certs);
    free(x.keys);
    ASN1_OBJECT_free(x.trust_oid);
    ERR_clear_error();
    return s;
}

const jks_codec jks_codec_pkcs12 = {jks_p12_decode, jks_p12_encode};

/* ---- the cursor reader (FORMATS.md 4.1; RFC 7292) ----
 * Phase 1 walks PFX, MAC, AuthenticatedSafe, SafeContents and SafeBags with
 * the cursor's DER getters, decrypting encrypted safes, into bag records
 * without touching the entries; phase 2 turns the records into entries. Any
 * input phase 1 does not take (BER, corruption) goes to p12_decode_openssl,
 * which still reports those errors, byte offsets included. */

enum { BAG_SHROUDED, BAG_PLAIN, BAG_SECRET_ENC, BAG_SECRET_OTHER, BAG_CERT };

typedef struct {
    int kind;
    jks_cursor val;          /* protected key bytes, or the certificate octets */
    PKCS8_PRIV_KEY_INFO *p8; /* BAG_PLAIN */
    X509 *xc;                /* BAG_CERT */
    jks_cursor attrs;        /* contents of bagAttributes (empty when absent) */
} p12_bag;

typedef struct {
    p12_bag *v;
    size_t n, cap;
    int fallback; /* phase 1 met input it leaves to the OpenSSL path */
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

static int fall(p12_bags *b)
{
    b->fallback = 1;
    return JKS_ERR_FORMAT;
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
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        p12_bag *nv = realloc(b->v, cap * sizeof(*nv));
        if (!nv)
            return 0;
        b->v = nv;
        b->cap = cap;
    }
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

static jks_status parse_bags(p12_ctx *x, p12_bags *b, jks_cursor sc, int depth)
{
    while (jks_cursor_remaining(&sc)) {
        jks_cursor bag, oid, val, el, type, inner;
        p12_bag r;
        uint8_t t;
        memset(&r, 0, sizeof(r));
        if (!jks_cursor_der_expect(&sc, 0x30, &bag) || !jks_cursor_der_expect(&bag, 0x06, &oid) ||
            !oid.len || !jks_cursor_der_expect(&bag, 0xA0, &val))
            return fall(b);
        if (jks_cursor_remaining(&bag) &&
            (!jks_cursor_der_expect(&bag, 0x31, &r.attrs) || jks_cursor_remaining(&bag) ||
             !attrs_valid(r.attrs)))
            return fall(b);
        switch (bag_type(oid)) {
        case 2: { /* pkcs8ShroudedKeyBag: EncryptedPrivateKeyInfo, exact bytes */
            if (!only_element(val, 0x30, &el))
                return fall(b);
            const unsigned char *p = el.p;
            X509_SIG *sig = d2i_X509_SIG(NULL, &p, (long)el.len);
            if (!sig || p != el.p + el.len) {
                X509_SIG_free(sig);
                return fall(b);
            }
            const X509_ALGOR *alg;
            X509_SIG_get0(sig, &alg, NULL);
            note_alg(x->st->p12.key_alg, sizeof(x->st->p12.key_alg), alg);
            X509_SIG_free(sig);
            r.kind = BAG_SHROUDED;
            r.val = el;
            break;
        }
        case 1: { /* keyBag: PrivateKeyInfo */
            if (!only_element(val, 0x30, &el))
                return fall(b);
            const unsigned char *p = el.p;
            r.p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)el.len);
            if (!r.p8 || p != el.p + el.len) {
                PKCS8_PRIV_KEY_INFO_free(r.p8);
                return fall(b);
            }
            r.kind = BAG_PLAIN;
            break;
        }
        case 5: /* secretBag */
            if (!bag_pair(val, &type, &inner) || !jks_cursor_der_element(&inner, &t, &el) ||
                jks_cursor_remaining(&inner))
                return fall(b);
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
                return fall(b);
            if ((oid_eq(type, OID_X509CERT, sizeof(OID_X509CERT)) ||
                 oid_eq(type, OID_X509CRL, sizeof(OID_X509CRL))) && t != 0x04)
                return fall(b);
            if (oid_eq(type, OID_SDSICERT, sizeof(OID_SDSICERT)) && t != 0x16)
                return fall(b);
            if (bag_type(oid) == 4 || !oid_eq(type, OID_X509CERT, sizeof(OID_X509CERT)))
                continue; /* CRLs, SDSI certificates: Java skips them too */
            jks_cursor_der(&el, &t, &r.val); /* the certificate: a view, no copy */
            {
                const unsigned char *p = r.val.p;
                r.xc = d2i_X509(NULL, &p, (long)r.val.len);
                if (!r.xc || p != r.val.p + r.val.len) {
                    X509_free(r.xc);
                    return fall(b);
                }
            }
            r.kind = BAG_CERT;
            break;
        case 6: /* safeContentsBag */
            if (depth >= MAX_NESTING || !only_content(val, 0x30, &inner))
                return fall(b);
            {
                jks_status s = parse_bags(x, b, inner, depth + 1);
                if (s != JKS_OK)
                    return s;
            }
            continue;
        default: /* CRL-like and unknown bags: one value of any type; Java skips them */
            if (!jks_cursor_der(&val, &t, &el) || jks_cursor_remaining(&val))
                return fall(b);
            continue;
        }
        if (!push_bag(b, &r)) {
            PKCS8_PRIV_KEY_INFO_free(r.p8);
            X509_free(r.xc);
            return oom(x);
        }
    }
    return JKS_OK;
}

/* A decrypted safe: one SEQUENCE filling the plaintext? */
static int plain_is_safecontents(const unsigned char *out, int outlen)
{
    jks_cursor c, sc;
    if (!out || outlen <= 0)
        return 0;
    jks_cursor_init(&c, out, (size_t)outlen);
    return only_content(c, 0x30, &sc);
}

static unsigned char *pbe_decrypt(const X509_ALGOR *alg, const char *pass, int pass_len,
                                  jks_cursor enc, int *outlen, OSSL_LIB_CTX *libctx)
{
    unsigned char *out = NULL;
    *outlen = 0;
    if (enc.len > INT_MAX)
        return NULL;
    if (!PKCS12_pbe_crypt_ex(alg, pass, pass_len, enc.p, (int)enc.len, &out, outlen, 0, libctx,
                             NULL))
        return NULL;
    if (!plain_is_safecontents(out, *outlen)) {
        OPENSSL_clear_free(out, (size_t)*outlen);
        return NULL;
    }
    return out;
}

static jks_status parse_encrypted_safe(p12_ctx *x, p12_bags *b, jks_cursor e0, int i)
{
    jks_cursor ed, ver, eci, ctype, algel, enc;
    uint8_t t;
    if (!only_content(e0, 0x30, &ed) || !jks_cursor_der_expect(&ed, 0x02, &ver) ||
        !jks_cursor_der_expect(&ed, 0x30, &eci) || jks_cursor_remaining(&ed) ||
        !jks_cursor_der_expect(&eci, 0x06, &ctype) || !jks_cursor_der_element(&eci, &t, &algel) ||
        t != 0x30 || !jks_cursor_der_expect(&eci, 0x80, &enc) || jks_cursor_remaining(&eci))
        return fall(b);
    const unsigned char *p = algel.p;
    X509_ALGOR *alg = d2i_X509_ALGOR(NULL, &p, (long)algel.len);
    if (!alg || p != algel.p + algel.len) {
        X509_ALGOR_free(alg);
        return fall(b);
    }
    jks_status s = JKS_OK;
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
    unsigned char *out = pbe_decrypt(alg, x->pass, x->pass_len, enc, &outlen, NULL);
    if (!out && !strncmp(name, "pbe-sha1-rc", 11) && jks_p12_legacy_provider()) {
        /* RC2/RC4: decrypted in the library's private legacy context */
        ERR_clear_error();
        out = pbe_decrypt(alg, x->pass, x->pass_len, enc, &outlen, jks_crypto_legacy_ctx());
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
    /* the plaintext stays in store memory: certificates are views into it */
    const uint8_t *kept = jks_store_keep(x->st, out, (size_t)outlen, 1);
    OPENSSL_clear_free(out, (size_t)outlen);
    if (!kept) {
        s = oom(x);
        goto done;
    }
    x->opened++;
    jks_cursor c, sc;
    jks_cursor_init(&c, kept, (size_t)outlen);
    if (!only_content(c, 0x30, &sc))
        s = fall(b);
    else
        s = parse_bags(x, b, sc, 0);
done:
    (void)i;
    X509_ALGOR_free(alg);
    return s;
}

static jks_status parse_safes(p12_ctx *x, p12_bags *b, jks_cursor as)
{
    jks_cursor seq;
    if (!only_content(as, 0x30, &seq))
        return fall(b);
    for (int i = 0; jks_cursor_remaining(&seq); i++) {
        jks_cursor ci, oid, e0, os, sc;
        jks_status s;
        if (!jks_cursor_der_expect(&seq, 0x30, &ci) || !jks_cursor_der_expect(&ci, 0x06, &oid) ||
            !jks_cursor_der_expect(&ci, 0xA0, &e0) || jks_cursor_remaining(&ci))
            return fall(b);
        if (oid_eq(oid, OID_DATA, sizeof(OID_DATA))) {
            if (!only_content(e0, 0x04, &os) || !only_content(os, 0x30, &sc))
                return fall(b);
            s = parse_bags(x, b, sc, 0);
        } else if (oid_eq(oid, OID_ENCDATA, sizeof(OID_ENCDATA))) {
            s = parse_encrypted_safe(x, b, e0, i);
        } else {
            return fall(b); /* the OpenSSL path names the content type */
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
static jks_status cursor_check_mac(p12_ctx *x, p12_bags *b, jks_cursor macdata,
                                   jks_cursor content, const char *storepass)
{
    jks_cursor md_, di, algel, digest, salt, iterel = {NULL, 0, NULL};
    uint8_t t;
    jks_store *st = x->st;
    if (!only_content(macdata, 0x30, &md_) || !jks_cursor_der_expect(&md_, 0x30, &di) ||
        !jks_cursor_der_element(&di, &t, &algel) || t != 0x30 ||
        !jks_cursor_der_expect(&di, 0x04, &digest) || jks_cursor_remaining(&di) ||
        !jks_cursor_der_expect(&md_, 0x04, &salt))
        return fall(b);
    if (jks_cursor_remaining(&md_) &&
        (!jks_cursor_der_element(&md_, &t, &iterel) || t != 0x02 || jks_cursor_remaining(&md_)))
        return fall(b);
    const unsigned char *p = algel.p;
    X509_ALGOR *macalg = d2i_X509_ALGOR(NULL, &p, (long)algel.len);
    ASN1_INTEGER *iter = NULL;
    jks_status s = JKS_OK;
    if (!macalg || p != algel.p + algel.len) {
        s = fall(b);
        goto done;
    }
    if (iterel.p) {
        p = iterel.p;
        iter = d2i_ASN1_INTEGER(NULL, &p, (long)iterel.len);
        if (!iter || p != iterel.p + iterel.len) {
            s = fall(b);
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
                              r->p8);
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
            c->x = r->xc;
            r->xc = NULL;
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
    for (size_t i = 0; i < b->n; i++) {
        PKCS8_PRIV_KEY_INFO_free(b->v[i].p8);
        X509_free(b->v[i].xc);
    }
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

    /* PFX { version, authSafe ContentInfo { data, [0] { OCTET STRING } }, macData? } */
    jks_cursor c, pfx, ver, ci, oid, e0, content, macdata = {NULL, 0, NULL};
    const uint8_t *kept = len ? jks_store_keep(st, data, len, 0) : NULL;
    if (!kept)
        return p12_decode_openssl(st, data, len, opts, err);
    jks_cursor_init(&c, kept, len);
    if (!jks_cursor_der_expect(&c, 0x30, &pfx) || jks_cursor_remaining(&c) ||
        !jks_cursor_der_expect(&pfx, 0x02, &ver) || !jks_cursor_der_expect(&pfx, 0x30, &ci) ||
        !jks_cursor_der_expect(&ci, 0x06, &oid) || !oid_eq(oid, OID_DATA, sizeof(OID_DATA)) ||
        !jks_cursor_der_expect(&ci, 0xA0, &e0) || jks_cursor_remaining(&ci) ||
        !only_content(e0, 0x04, &content) ||
        (jks_cursor_remaining(&pfx) && !jks_cursor_der_element(&pfx, NULL, &macdata)) ||
        jks_cursor_remaining(&pfx))
        return p12_decode_openssl(st, data, len, opts, err);

    if (macdata.p) {
        s = cursor_check_mac(&x, &b, macdata, content, storepass);
    } else {
        x.pass = storepass ? storepass : "";
        x.pass_len = (int)strlen(x.pass);
        x.soft_fail = !storepass;
        s = JKS_OK;
    }
    if (s == JKS_OK)
        s = parse_safes(&x, &b, content);
    if (b.fallback) {
        free_bags(&b);
        ERR_clear_error();
        return p12_decode_openssl(st, data, len, opts, err);
    }
    if (s == JKS_OK)
        s = add_records(&x, &b);
    free_bags(&b);
    return p12_finish(&x, s, storepass);
}
