/* The PEM/DER codec (FORMATS.md 5): PEM bundles (certificates, PKCS#7
 * certificate bundles, PKCS#8 and traditional keys, encrypted PKCS#8 and
 * RFC 1421 "Proc-Type: 4,ENCRYPTED" keys) or one DER certificate, .p7b or key
 * decode into the model, pairing keys with certificates by public key; the
 * writer emits one bundle with a "# jkstool:" comment before each entry
 * (RFC 7468 text). */
#include "mem.h"
#include "builder.h"
#include "cursor.h"
#include "p12crypto.h"
#include "pkcs8.h"
#include "protect.h"
#include "codec.h"
#include "keys.h"
#include "pair.h"
#include "cert.h"

#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PEM_MAX_CHAIN 16
#define PEM_PBKDF2_ITERATIONS 100000
#define ANNOT_PREFIX "# jkstool:"

/* One decoded block: a certificate or a private key. */
typedef struct {
    int is_key;
    long line;                 /* line of its BEGIN (1 for DER input) */
    jks_bytes der;             /* certificate DER (store-owned) */
    uint8_t *plain;            /* keys: PrivateKeyInfo (owned, wiped) */
    size_t plain_len;
    jks_bytes prot;            /* keys: EncryptedPrivateKeyInfo (store-owned) */
    jks_protection protection;
    jks_key_state state;
    int pw_index;
    int group;                 /* annotation index, -1 when none */
    int used;                  /* taken by an entry */
    int chained;               /* in some entry's chain (reusable, never a trusted entry) */
    long dup_of;               /* certificates: an earlier block with the same DER, -1 none */
} pblock;

/* One "# jkstool: alias=... kind=... certs=N created=..." line. */
typedef struct {
    char *alias;
    int key;                   /* kind=private-key (else trusted-cert) */
    long certs;                /* -1 when not given */
    int has_created;
    int64_t created_ms;
    size_t members;            /* blocks assigned so far */
} pannot;

/* An entry under construction. */
typedef struct {
    size_t pos;                /* index of its first block: file order */
    int is_key;
    size_t key;                /* block index of the key */
    size_t chain[PEM_MAX_CHAIN];
    size_t n_chain;
    char *alias;
    int fixed;                 /* alias from an annotation */
    int has_created;
    int64_t created_ms;
} pentry;

typedef struct {
    jks_store *st;
    const jks_read_opts *opts;
    pblock *b;
    size_t nb, capb;
    pannot *a;
    size_t na, capa;
    int cur;                   /* open annotation group, -1 none */
    size_t *dtab;              /* certificate blocks by DER bytes (open addressing, +1):
                                * a repeated certificate is decoded and kept once */
    size_t dcap, ndistinct;
} pctx;

static void ctx_free(pctx *c)
{
    for (size_t i = 0; i < c->nb; i++)
        if (c->b[i].plain) {
            OPENSSL_cleanse(c->b[i].plain, c->b[i].plain_len);
            free(c->b[i].plain);
        }
    for (size_t i = 0; i < c->na; i++)
        free(c->a[i].alias);
    free(c->b);
    free(c->a);
    free(c->dtab);
}

static pblock *new_block(pctx *c, int is_key, long line)
{
    pblock *nb = jks_array_grow(c->b, &c->capb, c->nb, sizeof(*nb), 16);
    if (!nb)
        return NULL;
    c->b = nb;
    pblock *b = &c->b[c->nb++];
    memset(b, 0, sizeof(*b));
    b->is_key = is_key;
    b->line = line;
    b->pw_index = -1;
    b->group = -1;
    b->dup_of = -1;
    /* attach to the open annotation group while it has room */
    if (c->cur >= 0) {
        pannot *a = &c->a[c->cur];
        size_t cap = !a->key ? 1 : a->certs >= 0 ? (size_t)a->certs + 1 : (size_t)-1;
        if (a->members < cap) {
            b->group = c->cur;
            a->members++;
        }
        if (a->members >= cap)
            c->cur = -1;
    }
    return b;
}

/* ---- DER helpers ---- */

/* Total length of the DER element at the start of d (0 when malformed). */
static size_t der_tlv_len(const uint8_t *d, size_t n)
{
    jks_cursor c, content;
    uint8_t tag;
    jks_cursor_init(&c, d, n);
    return jks_cursor_der(&c, &tag, &content) ? n - jks_cursor_remaining(&c) : 0;
}

static int is_certificate(const uint8_t *d, size_t n)
{
    const unsigned char *p = d;
    if (n > LONG_MAX)
        return 0;
    X509 *x = d2i_X509(NULL, &p, (long)n);
    int ok = x && (size_t)(p - d) == n;
    X509_free(x);
    return ok;
}

static size_t der_hash(const uint8_t *d, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ d[i]) * 1099511628211ULL;
    return (size_t)(h ^ (h >> 29));
}

/* Slot of d in the dedupe table: its block index + 1 there, or an empty slot. */
static size_t dtab_slot(const pctx *c, const uint8_t *d, size_t n)
{
    size_t h = der_hash(d, n) & (c->dcap - 1);
    for (; c->dtab[h]; h = (h + 1) & (c->dcap - 1)) {
        const jks_bytes *o = &c->b[c->dtab[h] - 1].der;
        if (o->len == n && !memcmp(o->data, d, n))
            break;
    }
    return h;
}

static int dtab_grow(pctx *c)
{
    size_t cap = c->dcap ? c->dcap * 2 : 64, *old = c->dtab, oldcap = c->dcap;
    if (!(c->dtab = calloc(cap, sizeof(size_t)))) {
        c->dtab = old;
        return 0;
    }
    c->dcap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i]) {
            const jks_bytes *o = &c->b[old[i] - 1].der;
            c->dtab[dtab_slot(c, o->data, o->len)] = old[i];
        }
    free(old);
    return 1;
}

/* 1 when a certificate with these DER bytes was read already. */
static int cert_seen(const pctx *c, const uint8_t *d, size_t n)
{
    return c->dcap && c->dtab[dtab_slot(c, d, n)] != 0;
}

/* A certificate block. A repeat of an earlier one (same DER bytes) is not
 * decoded again and shares its kept bytes: 50,000 copies of one certificate
 * cost one decode. */
static jks_status add_cert(pctx *c, const uint8_t *d, size_t n, long line, long long off,
                           jks_error *err)
{
    jks_cert_info ci;
    if ((c->ndistinct + 1) * 2 > c->dcap && !dtab_grow(c))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    size_t slot = dtab_slot(c, d, n);
    size_t seen = c->dtab[slot];
    if (!seen && (!is_certificate(d, n) || jks_cert_info_get(d, n, &ci) != JKS_OK))
        return jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: not an X.509 certificate", line);
    pblock *b = new_block(c, 0, line);
    if (!b)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    if (seen) {
        b->der = c->b[seen - 1].der;
        b->dup_of = (long)(seen - 1);
        return JKS_OK;
    }
    b->der.data = jks_store_keep(c->st, d, n, 0);
    b->der.len = n;
    if (!b->der.data)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    c->dtab[slot] = c->nb;
    c->ndistinct++;
    return JKS_OK;
}

/* A plaintext PrivateKeyInfo (copied). */
static jks_status add_plain_key(pctx *c, const uint8_t *d, size_t n, long line, long long off,
                                jks_error *err)
{
    if (!jks_pkcs8_valid(d, n))
        return jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: not a PKCS#8 PrivateKeyInfo", line);
    pblock *b = new_block(c, 1, line);
    if (!b || !(b->plain = malloc(n ? n : 1)))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    memcpy(b->plain, d, n);
    b->plain_len = n;
    b->state = JKS_KEY_DECRYPTED;
    b->protection = JKS_PROT_NONE;
    return JKS_OK;
}

typedef struct {
    const uint8_t *d;
    size_t n;
    uint32_t max_iter;
    pblock *b;
} epki_ctx;

static jks_status epki_attempt(void *ctx, const char *pw, jks_error *err)
{
    epki_ctx *c = ctx;
    jks_protection prot;
    return jks_epki_decrypt(c->d, c->n, pw, c->max_iter, &c->b->plain, &c->b->plain_len, &prot,
                            err);
}

/* An EncryptedPrivateKeyInfo: kept as stored; opened by the password loop
 * (each key password, then the store password). */
static jks_status add_encrypted_key(pctx *c, const uint8_t *d, size_t n, long line,
                                    long long off, jks_error *err)
{
    jks_epki ep;
        const jks_read_opts *o = c->opts;
    if (!jks_epki_parse(d, n, &ep))
        return jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: not a PKCS#8 EncryptedPrivateKeyInfo",
                        line);
    jks_epki_clear(&ep);
    pblock *b = new_block(c, 1, line);
    if (!b)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    b->prot.data = jks_store_keep(c->st, d, n, 0);
    b->prot.len = n;
    if (!b->prot.data)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    b->protection = JKS_PROT_PKCS8_PBES2;
    b->state = JKS_KEY_ENCRYPTED;
    if ((o && o->no_decrypt) || (!o || (!o->n_keypasses && !o->storepass)))
        return JKS_OK;
    jks_error e2;
    epki_ctx ec = {d, n, o->max_iterations, b};
    jks_status s = jks_passwords_try(o, epki_attempt, &ec, &b->pw_index, NULL, &e2);
    b->state = s == JKS_OK ? JKS_KEY_DECRYPTED
               : s == JKS_ERR_PASSWORD ? JKS_KEY_WRONG_PASSWORD : JKS_KEY_UNSUPPORTED;
    return JKS_OK;
}

/* PKCS#1 RSAPrivateKey / RFC 5915 ECPrivateKey / DSA: re-encode as PKCS#8. */
static jks_status add_traditional_key(pctx *c, int type, const uint8_t *d, size_t n, long line,
                                      long long off, jks_error *err)
{
    const unsigned char *p = d;
    unsigned char *der = NULL;
    int dl = -1;
    jks_status s;
    EVP_PKEY *k = n <= LONG_MAX ? d2i_PrivateKey(type, NULL, &p, (long)n) : NULL;
    PKCS8_PRIV_KEY_INFO *p8 = k ? EVP_PKEY2PKCS8(k) : NULL;
    if (p8)
        dl = i2d_PKCS8_PRIV_KEY_INFO(p8, &der);
    if (dl > 0)
        s = add_plain_key(c, der, (size_t)dl, line, off, err);
    else
        s = jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: malformed %s private key", line,
                     type == EVP_PKEY_RSA ? "RSA" : type == EVP_PKEY_EC ? "EC" : "DSA");
    if (der)
        OPENSSL_clear_free(der, (size_t)dl);
    PKCS8_PRIV_KEY_INFO_free(p8);
    EVP_PKEY_free(k);
    return s;
}

/* ---- the "# jkstool:" annotation ---- */

static int parse_iso_ms(const char *s, size_t n, int64_t *ms)
{
    char buf[40];
    struct tm tm;
    int msec = 0, used = 0;
    if (n >= sizeof(buf))
        return 0;
    memcpy(buf, s, n);
    buf[n] = 0;
    memset(&tm, 0, sizeof(tm));
    if (sscanf(buf, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 6)
        return 0;
    if (buf[used] == '.') {
        if (sscanf(buf + used, ".%3dZ", &msec) != 1)
            return 0;
    } else if (strcmp(buf + used, "Z")) {
        return 0;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    *ms = (int64_t)timegm(&tm) * 1000 + msec;
    return 1;
}

/* Parse an annotation line (after the prefix); 0 when it is not one of ours. */
static int parse_annotation(pctx *c, const uint8_t *s, size_t n)
{
    pannot a;
    size_t i = 0;
    int have_alias = 0, have_kind = 0;
    memset(&a, 0, sizeof(a));
    a.certs = -1;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        size_t k0 = i;
        while (i < n && s[i] != '=' && s[i] != ' ')
            i++;
        if (i >= n || s[i] != '=')
            goto bad;
        size_t klen = i - k0;
        const char *key = (const char *)s + k0;
        i++;
        if (klen == 5 && !memcmp(key, "alias", 5)) {
            if (i >= n || s[i] != '"' || have_alias)
                goto bad;
            i++;
            char *v = malloc(n - i + 1);
            size_t vl = 0;
            if (!v)
                goto bad;
            while (i < n && s[i] != '"') {
                uint8_t ch = s[i++];
                if (ch == '\\' && i < n) {
                    uint8_t e = s[i++];
                    if (e == 'n')
                        ch = '\n';
                    else if (e == 'r')
                        ch = '\r';
                    else if (e == 't')
                        ch = '\t';
                    else if (e == 'x' && i + 2 <= n) {
                        unsigned hv;
                        char h[3] = {(char)s[i], (char)s[i + 1], 0};
                        if (sscanf(h, "%2x", &hv) != 1) {
                            free(v);
                            goto bad;
                        }
                        ch = (uint8_t)hv;
                        i += 2;
                    } else
                        ch = e;
                }
                v[vl++] = (char)ch;
            }
            v[vl] = 0;
            if (i >= n || memchr(v, 0, vl)) {
                free(v);
                goto bad;
            }
            i++;
            a.alias = v;
            have_alias = 1;
        } else {
            size_t v0 = i;
            while (i < n && s[i] != ' ')
                i++;
            const char *v = (const char *)s + v0;
            size_t vl = i - v0;
            if (klen == 4 && !memcmp(key, "kind", 4)) {
                if (vl == 11 && !memcmp(v, "private-key", 11))
                    a.key = 1;
                else if (!(vl == 12 && !memcmp(v, "trusted-cert", 12)))
                    goto bad;
                have_kind = 1;
            } else if (klen == 5 && !memcmp(key, "certs", 5)) {
                long cnt = 0;
                if (!vl || vl > 3)
                    goto bad;
                for (size_t j = 0; j < vl; j++) {
                    if (v[j] < '0' || v[j] > '9')
                        goto bad;
                    cnt = cnt * 10 + (v[j] - '0');
                }
                a.certs = cnt;
            } else if (klen == 7 && !memcmp(key, "created", 7)) {
                a.has_created = parse_iso_ms(v, vl, &a.created_ms);
            } /* unknown keys: ignored (newer writers) */
        }
    }
    if (!have_alias || !have_kind)
        goto bad;
    pannot *na = jks_array_grow(c->a, &c->capa, c->na, sizeof(*na), 16);
    if (!na)
        goto bad;
    c->a = na;
    c->a[c->na] = a;
    c->cur = (int)c->na++;
    return 1;
bad:
    free(a.alias);
    return 0;
}

/* ---- PEM armour ---- */

/* The next line (without its line end and surrounding blanks). */
static int next_line(jks_cursor *c, const uint8_t **line, size_t *n, long long *off)
{
    size_t rem = jks_cursor_remaining(c);
    const uint8_t *p, *nl;
    if (!rem)
        return 0;
    *off = (long long)jks_cursor_offset(c);
    jks_cursor_peek(c, rem, &p);
    nl = memchr(p, '\n', rem);
    size_t take = nl ? (size_t)(nl - p) + 1 : rem;
    jks_cursor_view(c, take, &p);
    while (take && (p[take - 1] == '\n' || p[take - 1] == '\r' || p[take - 1] == ' ' ||
                    p[take - 1] == '\t'))
        take--;
    while (take && (p[0] == ' ' || p[0] == '\t')) {
        p++;
        take--;
    }
    *line = p;
    *n = take;
    return 1;
}

static int starts(const uint8_t *l, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && !memcmp(l, s, k);
}

/* "-----BEGIN X-----" / "-----END X-----": the label X. */
static int armour_label(const uint8_t *l, size_t n, const char *what, char *label, size_t cap)
{
    size_t k = strlen(what);
    if (n < k + 5 || !starts(l, n, what) || memcmp(l + n - 5, "-----", 5))
        return 0;
    size_t ll = n - k - 5;
    if (ll >= cap)
        return 0;
    memcpy(label, l + k, ll);
    label[ll] = 0;
    return 1;
}

static int b64_char(uint8_t ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '+' || ch == '/';
}

/* A PKCS#7 SignedData holding certificates only (.p7b, "BEGIN PKCS7"), as
 * CAs and Windows send chains. OpenSSL decodes it (such files are often BER,
 * with indefinite lengths); each certificate becomes a block of its own and
 * pairs like any other. pkcs7_bundle: the decoded bundle, NULL when d is not
 * one; add_pkcs7 takes it (NULL: reports that) and adds its certificates. */
static PKCS7 *pkcs7_bundle(const uint8_t *d, size_t n)
{
    const unsigned char *p = d;
    PKCS7 *p7 = n <= LONG_MAX ? d2i_PKCS7(NULL, &p, (long)n) : NULL;
    if (p7 && (size_t)(p - d) == n && PKCS7_type_is_signed(p7) && p7->d.sign)
        return p7;
    PKCS7_free(p7);
    return NULL;
}

static jks_status add_pkcs7(pctx *c, PKCS7 *p7, long line, long long off, jks_error *err)
{
    STACK_OF(X509) *certs = p7 ? p7->d.sign->cert : NULL;
    jks_status s = JKS_OK;
    if (!p7)
        s = jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: not a PKCS#7 certificate bundle", line);
    else if (sk_X509_num(certs) <= 0)
        s = jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: PKCS#7 bundle holds no certificate", line);
    for (int i = 0; s == JKS_OK && i < sk_X509_num(certs); i++) {
        unsigned char *der = NULL;
        int dl = i2d_X509(sk_X509_value(certs, i), &der);
        s = dl > 0 ? add_cert(c, der, (size_t)dl, line, off, err)
                   : jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: PKCS#7 certificate %d does not encode",
                              line, i + 1);
        OPENSSL_free(der);
    }
    PKCS7_free(p7);
    return s;
}

typedef struct {
    EVP_CIPHER *ciph;
    EVP_CIPHER_CTX *ctx;
    const uint8_t *iv;
    int type;
    const uint8_t *in;
    size_t n;
    uint8_t *buf;              /* room for n + 64 bytes */
    size_t out_len;
} legacy_ctx;

/* One password for an RFC 1421 key: right when the padding checks and the
 * result parses as a key of the block's type. */
static jks_status legacy_attempt(void *ctx, const char *pw, jks_error *err)
{
    legacy_ctx *l = ctx;
    uint8_t key[EVP_MAX_KEY_LENGTH];
    int l1 = 0, l2 = 0, found = 0;
    (void)err;
    if (EVP_BytesToKey(l->ciph, EVP_md5(), l->iv, (const unsigned char *)pw, (int)strlen(pw), 1,
                       key, NULL) > 0 &&
        EVP_DecryptInit_ex2(l->ctx, l->ciph, key, l->iv, NULL) &&
        EVP_DecryptUpdate(l->ctx, l->buf, &l1, l->in, (int)l->n) &&
        EVP_DecryptFinal_ex(l->ctx, l->buf + l1, &l2)) {
        const unsigned char *p = l->buf;
        EVP_PKEY *pk = d2i_PrivateKey(l->type, NULL, &p, (long)(l1 + l2));
        found = pk && p == l->buf + l1 + l2;
        EVP_PKEY_free(pk);
        if (found)
            l->out_len = (size_t)(l1 + l2);
    }
    OPENSSL_cleanse(key, sizeof(key));
    EVP_CIPHER_CTX_reset(l->ctx);
    return found ? JKS_OK : JKS_ERR_PASSWORD;
}

/* RFC 1421 encryption of a traditional key, as OpenSSL 1.x (and -traditional)
 * writes it: DEK-Info "CIPHER,IV-HEX"; key = EVP_BytesToKey(CIPHER, MD5,
 * salt = the IV's first 8 bytes, password, 1 round), opened by the password
 * loop (legacy_attempt). */
static jks_status legacy_decrypt(pctx *c, const char *dek, int type, const uint8_t *in, size_t n,
                                 uint8_t **out, size_t *out_len, long line, long long off,
                                 jks_error *err)
{
    char name[32];
    uint8_t iv[EVP_MAX_IV_LENGTH];
    const char *comma = strchr(dek, ',');
    size_t nl = comma ? (size_t)(comma - dek) : 0;
    *out = NULL;
    *out_len = 0;
    if (!comma || nl == 0 || nl >= sizeof(name))
        return jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: malformed DEK-Info header", line);
    memcpy(name, dek, nl);
    name[nl] = 0;
    EVP_CIPHER *ciph = EVP_CIPHER_fetch(NULL, name, NULL);
    if (!ciph && jks_p12_legacy_provider()) /* DES-CBC and friends: the private legacy context */
        ciph = EVP_CIPHER_fetch(jks_crypto_legacy_ctx(), name, NULL);
    int ivl = ciph ? EVP_CIPHER_get_iv_length(ciph) : 0;
    const char *hex = comma + 1;
    long hl = 0;
    unsigned char *ivb = ciph ? OPENSSL_hexstr2buf(hex, &hl) : NULL;
    if (!ciph || EVP_CIPHER_get_mode(ciph) != EVP_CIPH_CBC_MODE || ivl < 8 ||
        ivl > (int)sizeof(iv) || !ivb || hl != ivl) {
        EVP_CIPHER_free(ciph);
        OPENSSL_free(ivb);
        return jks_fail(err, JKS_ERR_FORMAT, off,
                        "line %ld: legacy encrypted PEM key: unsupported or malformed DEK-Info \"%s\"",
                        line, dek);
    }
    memcpy(iv, ivb, (size_t)ivl);
    OPENSSL_free(ivb);
    uint8_t *buf = n <= INT32_MAX - 64 ? malloc(n + 64) : NULL;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    legacy_ctx lc = {ciph, ctx, iv, type, in, n, buf, 0};
    int tried = 0, idx;
    jks_error e2;
    jks_status s = buf && ctx ? jks_passwords_try(c->opts, legacy_attempt, &lc, &idx, &tried, &e2)
                              : JKS_ERR_IO;
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(ciph);
    if (s == JKS_OK) {
        *out = buf;
        *out_len = lc.out_len;
        return JKS_OK;
    }
    if (buf) {
        OPENSSL_cleanse(buf, n + 64);
        free(buf);
    }
    if (s == JKS_ERR_IO)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    if (!tried)
        return jks_fail(err, JKS_ERR_PASSWORD, off,
                        "line %ld: legacy encrypted PEM key (%s): give its password (a key "
                        "password or the store password)",
                        line, name);
    return jks_fail(err, JKS_ERR_PASSWORD, off,
                    "line %ld: legacy encrypted PEM key (%s): wrong password (tried %d)", line, name,
                    tried);
}

static int traditional_type(const char *label)
{
    if (!strcmp(label, "RSA PRIVATE KEY"))
        return EVP_PKEY_RSA;
    if (!strcmp(label, "EC PRIVATE KEY"))
        return EVP_PKEY_EC;
    if (!strcmp(label, "DSA PRIVATE KEY"))
        return EVP_PKEY_DSA;
    return EVP_PKEY_NONE;
}

static jks_status decode_block(pctx *c, const char *label, const uint8_t *der, size_t n,
                               long line, long long off, jks_error *err)
{
    if (!strcmp(label, "CERTIFICATE") || !strcmp(label, "X509 CERTIFICATE")) {
        /* some CAs armour a .p7b chain as CERTIFICATE; a repeat of a
         * certificate already read is not decoded again (add_cert) */
        PKCS7 *p7 = cert_seen(c, der, n) || is_certificate(der, n) ? NULL : pkcs7_bundle(der, n);
        if (p7)
            return add_pkcs7(c, p7, line, off, err);
        return add_cert(c, der, n, line, off, err);
    }
    if (!strcmp(label, "PKCS7") || !strcmp(label, "PKCS #7 SIGNED DATA"))
        return add_pkcs7(c, pkcs7_bundle(der, n), line, off, err);
    if (!strcmp(label, "TRUSTED CERTIFICATE")) {
        /* OpenSSL appends its aux trust settings after the certificate */
        size_t cl = der_tlv_len(der, n);
        if (!cl)
            return jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: not an X.509 certificate", line);
        return add_cert(c, der, cl, line, off, err);
    }
    if (!strcmp(label, "PRIVATE KEY"))
        return add_plain_key(c, der, n, line, off, err);
    if (!strcmp(label, "ENCRYPTED PRIVATE KEY"))
        return add_encrypted_key(c, der, n, line, off, err);
    if (traditional_type(label) != EVP_PKEY_NONE)
        return add_traditional_key(c, traditional_type(label), der, n, line, off, err);
    return JKS_OK; /* other labels (EC PARAMETERS, CERTIFICATE REQUEST, ...) are skipped */
}

static jks_status parse_pem(pctx *c, const uint8_t *data, size_t len, jks_error *err)
{
    jks_cursor cur;
    const uint8_t *l;
    size_t n;
    long long off;
    long lineno = 0;
    char label[80], endlabel[80];
    jks_status s = JKS_OK;
    /* base64 text of one block is never longer than the input */
    char *b64 = malloc(len + 1);
    if (!b64)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    jks_cursor_init(&cur, data, len);
    while (s == JKS_OK && next_line(&cur, &l, &n, &off)) {
        lineno++;
        if (starts(l, n, ANNOT_PREFIX)) {
            parse_annotation(c, l + strlen(ANNOT_PREFIX), n - strlen(ANNOT_PREFIX));
            continue;
        }
        if (!starts(l, n, "-----BEGIN "))
            continue; /* text between blocks */
        if (!armour_label(l, n, "-----BEGIN ", label, sizeof(label))) {
            s = jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: malformed BEGIN line", lineno);
            break;
        }
        long begin_line = lineno;
        long long begin_off = off;
        uint8_t *der = NULL;
        size_t bl = 0, pad = 0;
        int ended = 0, in_headers = 1, proc_encrypted = 0;
        char dek[128] = "";
        while (next_line(&cur, &l, &n, &off)) {
            lineno++;
            if (starts(l, n, "-----END ")) {
                if (!armour_label(l, n, "-----END ", endlabel, sizeof(endlabel)) ||
                    strcmp(label, endlabel))
                    s = jks_fail(err, JKS_ERR_FORMAT, off,
                                 "line %ld: END line does not match BEGIN %s at line %ld", lineno,
                                 label, begin_line);
                ended = 1;
                break;
            }
            if (starts(l, n, "-----BEGIN ")) {
                s = jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: BEGIN %s at line %ld has no END",
                             lineno, label, begin_line);
                break;
            }
            if (in_headers && memchr(l, ':', n)) { /* RFC 1421 headers */
                size_t t = n;
                while (t && (l[t - 1] == '\r' || l[t - 1] == ' ' || l[t - 1] == '\t'))
                    t--;
                if (starts(l, t, "Proc-Type:") && t >= 9 && !memcmp(l + t - 9, "ENCRYPTED", 9))
                    proc_encrypted = 1;
                if (starts(l, t, "DEK-Info:")) {
                    size_t v = 9;
                    while (v < t && (l[v] == ' ' || l[v] == '\t'))
                        v++;
                    if (t - v >= sizeof(dek)) {
                        s = jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: DEK-Info header too long",
                                     lineno);
                        break;
                    }
                    memcpy(dek, l + v, t - v);
                    dek[t - v] = 0;
                }
                continue;
            }
            if (n)
                in_headers = 0;
            for (size_t i = 0; i < n && s == JKS_OK; i++) {
                uint8_t ch = l[i];
                if (ch == ' ' || ch == '\t' || ch == '\r')
                    continue;
                if (ch == '=' && pad < 2)
                    pad++;
                else if (pad || !b64_char(ch))
                    s = jks_fail(err, JKS_ERR_FORMAT, off, "line %ld: invalid base64 in %s block",
                                 lineno, label);
                b64[bl++] = (char)ch;
            }
            if (s != JKS_OK)
                break;
        }
        if (s == JKS_OK && !ended)
            s = jks_fail(err, JKS_ERR_FORMAT, begin_off, "line %ld: BEGIN %s has no END line",
                         begin_line, label);
        if (s == JKS_OK && (bl % 4 || bl == 0))
            s = jks_fail(err, JKS_ERR_FORMAT, begin_off,
                         "line %ld: invalid base64 in %s block (truncated)", begin_line, label);
        if (s == JKS_OK && !(der = malloc(bl / 4 * 3 + 1)))
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        if (s == JKS_OK) {
            int dl = EVP_DecodeBlock(der, (const unsigned char *)b64, (int)bl);
            if (dl < 0 || (size_t)dl < pad) {
                s = jks_fail(err, JKS_ERR_FORMAT, begin_off, "line %ld: invalid base64 in %s block",
                             begin_line, label);
            } else if (proc_encrypted) {
                uint8_t *plain = NULL;
                size_t pl = 0;
                if (traditional_type(label) == EVP_PKEY_NONE || !dek[0])
                    s = jks_fail(err, JKS_ERR_FORMAT, begin_off,
                                 "line %ld: encrypted %s block without a DEK-Info header or of an "
                                 "unknown key type",
                                 begin_line, label);
                else
                    s = legacy_decrypt(c, dek, traditional_type(label), der, (size_t)dl - pad,
                                       &plain, &pl, begin_line, begin_off, err);
                if (s == JKS_OK)
                    s = decode_block(c, label, plain, pl, begin_line, begin_off, err);
                if (plain) {
                    OPENSSL_cleanse(plain, pl);
                    free(plain);
                }
            } else {
                s = decode_block(c, label, der, (size_t)dl - pad, begin_line, begin_off, err);
            }
            OPENSSL_cleanse(der, bl / 4 * 3 + 1);
        }
        OPENSSL_cleanse(b64, bl);
        free(der);
    }
    free(b64);
    return s;
}

/* A file without PEM armour: one DER certificate, PKCS#7 bundle (.p7b),
 * PKCS#8 or encrypted PKCS#8. */
static jks_status parse_der(pctx *c, const uint8_t *d, size_t n, jks_error *err)
{
    jks_epki ep;
    if (is_certificate(d, n))
        return add_cert(c, d, n, 1, 0, err);
    PKCS7 *p7 = pkcs7_bundle(d, n);
    if (p7)
        return add_pkcs7(c, p7, 1, 0, err);
    if (jks_pkcs8_valid(d, n))
        return add_plain_key(c, d, n, 1, 0, err);
    if (jks_epki_parse(d, n, &ep)) {
        jks_epki_clear(&ep);
        return add_encrypted_key(c, d, n, 1, 0, err);
    }
    return jks_fail(err, JKS_ERR_FORMAT, 0,
                    "not PEM, and not a DER certificate, PKCS#7 bundle or PKCS#8 private key");
}

/* ---- pairing keys with certificates ---- */

static void entry_add_chain(pctx *c, pentry *e, size_t bi)
{
    if (e->n_chain < PEM_MAX_CHAIN) {
        e->chain[e->n_chain++] = bi;
        c->b[bi].used = 1;
        c->b[bi].chained = 1;
    }
}

/* How much a certificate is wanted for a key or a chain: unused ones first,
 * then ones already in another chain (two keys under one intermediate may
 * share it); never a key, never a certificate another entry holds alone. */
static void rank_blocks(const pctx *c, int *rank, int chain)
{
    for (size_t i = 0; i < c->nb; i++) {
        const pblock *b = &c->b[i];
        rank[i] = b->is_key ? -1 : !b->used ? 2 : b->chained ? 1 : chain ? 0 : -1;
    }
}

/* Extend the chain from its leaf with THE chain builder (cert/chain.c). */
static void build_chain(pctx *c, const jks_cert_pool *pool, int *rank, pentry *e)
{
    if (e->n_chain == 0 || e->n_chain >= PEM_MAX_CHAIN)
        return;
    rank_blocks(c, rank, 1);
    size_t picked[PEM_MAX_CHAIN];
    size_t n = jks_cert_pool_chain(pool, c->b[e->chain[e->n_chain - 1]].der, rank, picked,
                                   PEM_MAX_CHAIN - e->n_chain);
    for (size_t i = 0; i < n; i++)
        entry_add_chain(c, e, picked[i]);
}

/* The leaf of a decrypted key: the certificate with its public key (THE key
 * pairing, cert/pair.c). A key that is not decrypted has no public key to
 * compare, so it gets no certificate: guessing one by position paired keys
 * with the wrong certificates. */
static long find_leaf(const pctx *c, const jks_cert_pool *pool, int *rank, size_t ki)
{
    const pblock *k = &c->b[ki];
    if (!k->plain)
        return -1;
    rank_blocks(c, rank, 0);
    return jks_cert_pool_find_key(pool, k->plain, k->plain_len, rank);
}

/* Give entry i the alias base, or base-2, base-3, ... when taken (names
 * holds every alias given so far: O(1) per entry). */
static int set_alias(jks_alias_set *names, pentry *ents, size_t i, const char *base)
{
    return (ents[i].alias = jks_alias_set_unique(names, base)) != NULL;
}

static int by_pos(const void *x, const void *y)
{
    const pentry *a = x, *b = y;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static jks_status make_entries(pctx *c, jks_error *err)
{
    pentry *ents = calloc(c->nb ? c->nb : 1, sizeof(*ents));
    jks_bytes *ders = calloc(c->nb ? c->nb : 1, sizeof(*ders));
    int *rank = calloc(c->nb ? c->nb : 1, sizeof(*rank));
    size_t ne = 0, nkey = 0, ncert = 0;
    jks_status s = JKS_OK;
    for (size_t i = 0; ders && i < c->nb; i++)
        ders[i] = c->b[i].der; /* keys: empty, never picked */
    /* the blocks of each annotated group, in order (one pass, not one per group) */
    size_t *gstart = calloc(c->na + 1, sizeof(*gstart));
    size_t *gidx = calloc(c->nb ? c->nb : 1, sizeof(*gidx));
    jks_alias_set *names = jks_alias_set_new();
    jks_cert_pool *pool = NULL; /* made for the first key that needs pairing */
    char **cn = calloc(c->nb ? c->nb : 1, sizeof(*cn)); /* per distinct certificate */
    unsigned char *cn_done = calloc(c->nb ? c->nb : 1, 1);
    if (!ents || !ders || !rank || !gstart || !gidx || !names || !cn || !cn_done) {
        free(cn);
        free(cn_done);
        free(ents);
        free(ders);
        free(rank);
        free(gstart);
        free(gidx);
        jks_alias_set_free(names);
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    }
    for (size_t i = 0; i < c->nb; i++)
        if (c->b[i].group >= 0 && (size_t)c->b[i].group < c->na)
            gstart[c->b[i].group + 1]++;
    for (size_t g = 0; g < c->na; g++)
        gstart[g + 1] += gstart[g];
    {
        size_t *fill = calloc(c->na + 1, sizeof(*fill));
        if (!fill) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < c->nb; i++)
            if (c->b[i].group >= 0 && (size_t)c->b[i].group < c->na) {
                size_t g = (size_t)c->b[i].group;
                gidx[gstart[g] + fill[g]++] = i;
            }
        free(fill);
    }

    /* 1. groups our writer annotated: the key, then its chain as written */
    for (size_t g = 0; g < c->na; g++) {
        const pannot *a = &c->a[g];
        size_t idx[PEM_MAX_CHAIN + 1], cnt = 0, certs = 0;
        int ok = 1;
        for (size_t gi = gstart[g]; gi < gstart[g + 1]; gi++) {
            size_t i = gidx[gi];
            if (cnt > PEM_MAX_CHAIN)
                ok = 0;
            else
                idx[cnt++] = i;
            certs += !c->b[i].is_key;
        }
        if (a->key)
            ok = ok && cnt >= 1 && c->b[idx[0]].is_key && certs == cnt - 1 &&
                 (a->certs < 0 || (size_t)a->certs == certs);
        else
            ok = ok && cnt == 1 && !c->b[idx[0]].is_key;
        if (!ok) {
            for (size_t gi = gstart[g]; gi < gstart[g + 1]; gi++)
                c->b[gidx[gi]].group = -1;
            continue;
        }
        pentry *e = &ents[ne++];
        e->pos = idx[0];
        e->is_key = a->key;
        e->fixed = 1;
        e->has_created = a->has_created;
        e->created_ms = a->created_ms;
        if (a->key) {
            e->key = idx[0];
            c->b[idx[0]].used = 1;
            for (size_t i = 1; i < cnt; i++)
                entry_add_chain(c, e, idx[i]);
        } else {
            e->chain[e->n_chain++] = idx[0];
            c->b[idx[0]].used = 1;
        }
        if (!set_alias(names, ents, ne - 1, a->alias)) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            goto out;
        }
    }

    /* 2. other keys: decrypted ones by public key; the rest without chain */
    for (size_t i = 0; i < c->nb; i++) {
        pblock *b = &c->b[i];
        if (!b->is_key || b->used)
            continue;
        pentry *e = &ents[ne++];
        e->pos = i;
        e->is_key = 1;
        e->key = i;
        b->used = 1;
        if (!pool && !(pool = jks_cert_pool_new(ders, c->nb))) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            goto out;
        }
        long leaf = find_leaf(c, pool, rank, i);
        if (leaf >= 0) {
            entry_add_chain(c, e, (size_t)leaf);
            build_chain(c, pool, rank, e);
        }
    }

    /* 3. certificates in no chain become trusted certificates */
    for (size_t i = 0; i < c->nb; i++)
        if (!c->b[i].is_key && !c->b[i].used) {
            pentry *e = &ents[ne++];
            e->pos = i;
            e->chain[e->n_chain++] = i;
            c->b[i].used = 1;
        }

    qsort(ents, ne, sizeof(*ents), by_pos);
    for (size_t i = 0; i < ne; i++) {
        char base[32];
        const char *name = NULL;
        if (ents[i].alias)
            continue;
        if (ents[i].n_chain) {
            size_t bi = ents[i].chain[0];
            if (c->b[bi].dup_of >= 0)
                bi = (size_t)c->b[bi].dup_of;
            if (!cn_done[bi]) {
                cn[bi] = jks_cert_name_base(c->b[bi].der);
                cn_done[bi] = 1;
            }
            name = cn[bi];
        }
        if (!name)
            snprintf(base, sizeof(base), "%s-%zu", ents[i].is_key ? "key" : "cert",
                     ents[i].is_key ? ++nkey : ++ncert);
        int ok = set_alias(names, ents, i, name ? name : base);
        if (!ok) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            goto out;
        }
    }

    for (size_t i = 0; i < ne; i++) {
        pentry *pe = &ents[i];
        jks_entry *e = jks_store_append(c->st, pe->is_key ? JKS_ENTRY_PRIVATE_KEY
                                                          : JKS_ENTRY_TRUSTED_CERT, pe->alias);
        if (!e || !jks_entry_alloc_chain(e, pe->n_chain)) {
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            goto out;
        }
        e->has_created = pe->has_created;
        e->created_ms = pe->created_ms;
        for (size_t j = 0; j < pe->n_chain; j++)
            e->chain[j] = c->b[pe->chain[j]].der;
        if (pe->is_key) {
            const pblock *k = &c->b[pe->key];
            if (k->plain && !jks_entry_set_pkcs8(e, k->plain, k->plain_len)) {
                s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
                goto out;
            }
            e->prot = k->prot;
            e->protection = k->protection;
            e->state = k->state;
            e->pw_index = k->pw_index;
        }
    }
out:
    for (size_t i = 0; i < ne; i++)
        free(ents[i].alias);
    free(ents);
    free(gstart);
    free(gidx);
    jks_alias_set_free(names);
    jks_cert_pool_free(pool);
    for (size_t i = 0; i < c->nb; i++)
        free(cn[i]);
    free(cn);
    free(cn_done);
    free(ders);
    free(rank);
    return s;
}

static jks_status jks_pem_decode(jks_store *st, const uint8_t *data, size_t len,
                          const jks_read_opts *opts, jks_error *err)
{
    pctx c;
    jks_status s;
    memset(&c, 0, sizeof(c));
    c.st = st;
    c.opts = opts;
    c.cur = -1;
    st->format = JKS_FORMAT_PEM;
    st->integrity = JKS_INTEGRITY_NOT_CHECKED;
    if (memmem(data, len, "-----BEGIN ", 11))
        s = parse_pem(&c, data, len, err);
    else
        s = parse_der(&c, data, len, err);
    if (s == JKS_OK && c.nb == 0)
        s = jks_fail(err, JKS_ERR_FORMAT, 0, "no certificate or private key found in PEM input");
    if (s == JKS_OK)
        s = make_entries(&c, err);
    ctx_free(&c);
    return s;
}

/* ---- writing ---- */

static void put(jks_builder *b, const char *s)
{
    jks_builder_bytes(b, s, strlen(s));
}

/* RFC 7468 block: 64-character base64 lines, LF line ends. */
static void put_block(jks_builder *b, const char *label, const uint8_t *d, size_t n)
{
    unsigned char line[72];
    put(b, "-----BEGIN ");
    put(b, label);
    put(b, "-----\n");
    for (size_t i = 0; i < n; i += 48) {
        int l = EVP_EncodeBlock(line, d + i, (int)(n - i < 48 ? n - i : 48));
        jks_builder_bytes(b, line, (size_t)l);
        jks_builder_u8(b, '\n');
    }
    OPENSSL_cleanse(line, sizeof(line));
    put(b, "-----END ");
    put(b, label);
    put(b, "-----\n");
}

static void put_annotation(jks_builder *b, const jks_entry *e)
{
    char tmp[96];
    put(b, ANNOT_PREFIX " alias=\"");
    for (const unsigned char *p = (const unsigned char *)e->alias; *p; p++) {
        if (*p == '"' || *p == '\\') {
            jks_builder_u8(b, '\\');
            jks_builder_u8(b, *p);
        } else if (*p == '\n') {
            put(b, "\\n");
        } else if (*p < 0x20 || *p == 0x7F) {
            snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
            put(b, tmp);
        } else {
            jks_builder_u8(b, *p);
        }
    }
    if (e->kind == JKS_ENTRY_PRIVATE_KEY)
        snprintf(tmp, sizeof(tmp), "\" kind=private-key certs=%zu", e->n_chain);
    else
        snprintf(tmp, sizeof(tmp), "\" kind=trusted-cert");
    put(b, tmp);
    if (e->has_created) {
        /* floor division and remainder that cannot overflow at INT64_MIN */
        int64_t ms = e->created_ms, secs = ms / 1000 - (ms % 1000 < 0);
        int millis = (int)(ms % 1000) + (ms % 1000 < 0 ? 1000 : 0);
        time_t t = (time_t)secs;
        struct tm tm;
        char ts[48];
        if (gmtime_r(&t, &tm) && strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm)) {
            snprintf(tmp, sizeof(tmp), " created=%s.%03dZ", ts, millis);
            put(b, tmp);
        }
    }
    jks_builder_u8(b, '\n');
}

/* PBES2: AES-256-CBC with PBKDF2-HMAC-SHA256. *out from OpenSSL (free with
 * OPENSSL_free). */
static jks_status encrypt_key(const uint8_t *plain, size_t n, const char *pw, uint8_t **out,
                              int *out_len, jks_error *err)
{
    const unsigned char *p = plain;
    X509_SIG *sig = NULL;
    *out = NULL;
    PKCS8_PRIV_KEY_INFO *p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)n);
    X509_ALGOR *alg = p8 ? PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), PEM_PBKDF2_ITERATIONS, NULL, 0,
                                             NULL, NID_hmacWithSHA256)
                         : NULL;
    if (alg) {
        sig = PKCS8_set0_pbe(pw, (int)strlen(pw), p8, alg);
        if (!sig)
            X509_ALGOR_free(alg);
    }
    *out_len = sig ? i2d_X509_SIG(sig, out) : -1;
    X509_SIG_free(sig);
    PKCS8_PRIV_KEY_INFO_free(p8);
    if (*out_len <= 0)
        return jks_fail(err, JKS_ERR_IO, -1, "cannot encrypt private key for PEM");
    return JKS_OK;
}

/* keep_encryption: an EncryptedPrivateKeyInfo goes out as stored when the
 * one answer (jks_entry_protection_reusable) says PEM holds it. */
static int keep_key(const jks_entry *e, const jks_write_opts *opts)
{
    return opts->keep_encryption && jks_entry_protection_reusable(e, JKS_FORMAT_PEM);
}

static jks_status jks_pem_encode(const jks_store *st, const jks_write_opts *opts, uint8_t **out,
                          size_t *out_len, jks_error *err)
{
    jks_builder b;
    const char *kp = opts->keypass ? opts->keypass : opts->storepass;
    jks_status s = JKS_OK;
    size_t est = 64;
    /* validate first: nothing is built for a store that cannot be written */
    for (size_t i = 0; i < st->n; i++) {
        const jks_entry *e = st->entries[i];
        jks_status fs = JKS_OK;
        if (opts->pem_certs_only) {
            for (size_t j = 0; j < e->n_chain; j++)
                est += e->chain[j].len * 2 + 64;
            continue; /* keys are left out: nothing to decrypt or refuse */
        }
        if (e->kind == JKS_ENTRY_SECRET_KEY)
            fs = jks_fail(err, JKS_ERR_USAGE, -1,
                          "a secret key has no PEM form (keep it in JCEKS or PKCS#12)");
        else if (e->kind == JKS_ENTRY_PRIVATE_KEY) {
            jks_write_opts o = *opts;
            int keep;
            o.format = JKS_FORMAT_PEM;
            fs = jks_key_write_mode(e, &o, &keep, err);
        }
        if (fs == JKS_OK && e->kind == JKS_ENTRY_PRIVATE_KEY && !keep_key(e, opts) &&
            opts->pem_encrypt_keys && !kp)
            fs = jks_fail(err, JKS_ERR_USAGE, -1, "a password is needed to encrypt PEM keys");
        else if (e->kind == JKS_ENTRY_TRUSTED_CERT && e->n_chain != 1)
            fs = jks_fail(err, JKS_ERR_FORMAT, -1, "trusted certificate entry without a certificate");
        if (fs != JKS_OK) {
            jks_error_set_alias(err, e->alias);
            return fs;
        }
        est += 128 + strlen(e->alias) + (e->prot.len + e->plain_len) * 2;
        for (size_t j = 0; j < e->n_chain; j++)
            est += e->chain[j].len * 2 + 64;
    }
    jks_builder_init(&b, est);
    for (size_t i = 0; i < st->n && s == JKS_OK; i++) {
        const jks_entry *e = st->entries[i];
        if (opts->pem_certs_only && !e->n_chain)
            continue; /* a secret key, or a key without certificates */
        if (!opts->pem_no_comments)
            put_annotation(&b, e);
        if (e->kind == JKS_ENTRY_PRIVATE_KEY && !opts->pem_certs_only) {
            if (keep_key(e, opts)) {
                put_block(&b, "ENCRYPTED PRIVATE KEY", e->prot.data, e->prot.len);
            } else if (opts->pem_encrypt_keys) {
                uint8_t *enc;
                int el;
                s = encrypt_key(e->plain, e->plain_len, kp, &enc, &el, err);
                if (s != JKS_OK) {
                    jks_error_set_alias(err, e->alias);
                    break;
                }
                put_block(&b, "ENCRYPTED PRIVATE KEY", enc, (size_t)el);
                OPENSSL_free(enc);
            } else {
                put_block(&b, "PRIVATE KEY", e->plain, e->plain_len);
            }
        }
        for (size_t j = 0; j < e->n_chain; j++)
            put_block(&b, "CERTIFICATE", e->chain[j].data, e->chain[j].len);
    }
    if (s != JKS_OK) {
        jks_builder_cleanup(&b);
        return s;
    }
    if (!jks_builder_finish(&b, out, out_len))
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    return JKS_OK;
}

const jks_codec jks_codec_pem = {jks_pem_decode, jks_pem_encode, NULL}; /* no visit: read whole */
