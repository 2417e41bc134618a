/* The validator's driver: builds the check context (each distinct certificate
 * decoded once), infers the purpose, runs the rule groups, and owns the
 * finding list. Also the --at time parser and the table of finding ids. */
#include "check_int.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>
#include <time.h>

const jks_check_id jks_check_ids[] = {
    {"empty-keystore", JKS_SEV_ERROR, "the keystore holds no entry"},
    {"no-private-key", JKS_SEV_ERROR, "an identity keystore holds no PrivateKeyEntry"},
    {"no-trusted-certs", JKS_SEV_ERROR, "a truststore holds no trustedCertEntry"},
    {"multiple-private-keys", JKS_SEV_WARNING, "a client keystore holds several keys"},
    {"cert-reply-not-installed", JKS_SEV_ERROR,
     "a CA-signed reply was imported under a new alias instead of onto its key"},
    {"wrong-entry-type", JKS_SEV_ERROR, "a certificate sits in the wrong kind of entry"},
    {"key-cert-mismatch", JKS_SEV_ERROR, "a private key does not match its certificate"},
    {"key-without-certificate", JKS_SEV_ERROR, "a private key has no certificate chain"},
    {"key-not-decrypted", JKS_SEV_ERROR,
     "an encrypted PEM key no password opened: not paired with its certificate"},
    {"chain-incomplete", JKS_SEV_WARNING,
     "a chain reaches no root nor a certificate in the store (error for a client)"},
    {"chain-order", JKS_SEV_ERROR, "a chain is not in issuing order"},
    {"self-signed-identity", JKS_SEV_WARNING, "a key presents a self-signed certificate"},
    {"expired", JKS_SEV_ERROR, "a certificate has expired"},
    {"not-yet-valid", JKS_SEV_ERROR, "a certificate is not valid yet"},
    {"expires-soon", JKS_SEV_WARNING, "a certificate expires within 30 days"},
    {"missing-client-auth-eku", JKS_SEV_ERROR, "the client certificate does not allow clientAuth"},
    {"missing-server-auth-eku", JKS_SEV_ERROR, "the server certificate does not allow serverAuth"},
    {"missing-digital-signature", JKS_SEV_ERROR,
     "the client certificate's keyUsage lacks digitalSignature"},
    {"key-cannot-sign", JKS_SEV_ERROR, "an X25519/X448 key in an identity store cannot sign"},
    {"weak-key", JKS_SEV_WARNING, "RSA/DSA under 2048 bits or EC under 256 bits"},
    {"weak-signature", JKS_SEV_WARNING, "a certificate signed with MD5 or SHA-1"},
    {"key-password-differs", JKS_SEV_WARNING,
     "a key password differs from the store password (error when keys differ)"},
    {"alias-not-lowercase", JKS_SEV_WARNING, "an alias has capitals Java will not find"},
    {"file-name-not-lowercase", JKS_SEV_INFO, "the file name has capitals"},
    {"pkcs12-no-java-trust", JKS_SEV_ERROR, "PKCS#12 certificates Java ignores (no trust attribute)"},
    {"pkcs12-algorithms-legacy", JKS_SEV_WARNING, "PKCS#12 with weak legacy encryption (RC2-40)"},
    {"pkcs12-algorithms-new", JKS_SEV_INFO, "PKCS#12 algorithms that old JDK 8/11 cannot open"},
    {"pkcs12-mac-iterations-low", JKS_SEV_WARNING, "PKCS#12 MAC key derived with under 1,000 iterations"},
    {"pkcs12-key-not-encrypted", JKS_SEV_ERROR, "a private key in an unencrypted PKCS#12 keyBag"},
    {"integrity-not-checked", JKS_SEV_WARNING, "no password or MAC: tampering not excluded"},
    {"certs-not-checked", JKS_SEV_WARNING, "encrypted PKCS#12 certificates not readable without password"},
    {"duplicate-certificate", JKS_SEV_WARNING, "the same certificate under several trusted aliases"},
    {"bad-certificate", JKS_SEV_ERROR, "a certificate does not parse"},
    {NULL, JKS_SEV_INFO, NULL},
};

const char *jks_severity_name(jks_severity s)
{
    switch (s) {
    case JKS_SEV_ERROR: return "error";
    case JKS_SEV_WARNING: return "warning";
    default: return "info";
    }
}

const char *jks_purpose_name(jks_purpose p)
{
    switch (p) {
    case JKS_PURPOSE_CLIENT: return "client";
    case JKS_PURPOSE_SERVER: return "server";
    case JKS_PURPOSE_TRUSTSTORE: return "truststore";
    case JKS_PURPOSE_IDENTITY: return "identity";
    case JKS_PURPOSE_NONE: return "none";
    default: return "auto";
    }
}

jks_purpose jks_purpose_from_name(const char *name)
{
    if (!name)
        return JKS_PURPOSE_AUTO;
    if (!strcmp(name, "client"))
        return JKS_PURPOSE_CLIENT;
    if (!strcmp(name, "server"))
        return JKS_PURPOSE_SERVER;
    if (!strcmp(name, "truststore"))
        return JKS_PURPOSE_TRUSTSTORE;
    if (!strcmp(name, "identity"))
        return JKS_PURPOSE_IDENTITY;
    return JKS_PURPOSE_AUTO;
}

/* ---- the finding list ---- */

/* The strings of a list live in an arena of chunks (no allocation per
 * finding: a million findings cost about 100 MB less). */
typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    char data[];
} arena_chunk;

#define ARENA_CHUNK ((size_t)1024 * 1024)

static char *arena_put(void **head, const void *s, size_t n)
{
    arena_chunk *a = *head;
    if (!a || a->cap - a->used < n) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        arena_chunk *b = malloc(sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->next = a;
        b->used = 0;
        b->cap = cap;
        *head = a = b;
    }
    char *p = a->data + a->used;
    memcpy(p, s, n);
    a->used += n;
    return p;
}

static char *arena_dup(jks_findings *f, const char *s, size_t n)
{
    return arena_put(&f->strings_, s, n);
}

static void arena_free(void *head)
{
    for (arena_chunk *a = head, *n; a; a = n) {
        n = a->next;
        free(a);
    }
}

void jks_findings_free(jks_findings *f)
{
    if (!f)
        return;
    arena_free(f->strings_);
    free(f->items);
    free(f);
}

int jks_findings_failed(const jks_findings *f, int strict)
{
    return f && (f->errors > 0 || (strict && f->warnings > 0));
}

/* A PEM file has no store password: its fixes name the key's password when a
 * key of it is encrypted, else no password at all. */
static char *pem_fix(const chk_ctx *c, const char *fix)
{
    static const char sp[] = " --storepass env:STOREPASS";
    const char *with = c->pem_keys_encrypted ? " --keypass env:KEYPASS" : "";
    size_t n = 0, ls = strlen(sp), lw = strlen(with);
    if (c->format != JKS_FORMAT_PEM)
        return strdup(fix);
    for (const char *p = fix; (p = strstr(p, sp)) != NULL; p += ls)
        n++;
    char *o = malloc(strlen(fix) + n * lw + 1), *q = o;
    if (!o)
        return NULL;
    for (const char *p = fix;;) {
        const char *h = strstr(p, sp);
        size_t k = h ? (size_t)(h - p) : strlen(p);
        memcpy(q, p, k);
        q += k;
        if (!h)
            break;
        memcpy(q, with, lw);
        q += lw;
        p = h + ls;
    }
    *q = 0;
    return o;
}

/* msg's copy in the list's arena, shared by every finding with that text. */
static const char *intern_msg(chk_ctx *c, const char *msg)
{
    size_t lm = strlen(msg) + 1;
    if (2 * (c->n_msg + 1) > c->msg_cap) {
        size_t cap = c->msg_cap ? 2 * c->msg_cap : 64;
        const char **t = calloc(cap, sizeof(*t));
        if (!t)
            return NULL;
        for (size_t i = 0; i < c->msg_cap; i++)
            if (c->msg_tab[i]) {
                size_t h = chk_hash(c->msg_tab[i], strlen(c->msg_tab[i])) & (cap - 1);
                while (t[h])
                    h = (h + 1) & (cap - 1);
                t[h] = c->msg_tab[i];
            }
        free(c->msg_tab);
        c->msg_tab = t;
        c->msg_cap = cap;
    }
    size_t h = chk_hash(msg, lm - 1) & (c->msg_cap - 1);
    for (; c->msg_tab[h]; h = (h + 1) & (c->msg_cap - 1))
        if (!strcmp(c->msg_tab[h], msg))
            return c->msg_tab[h];
    const char *p = arena_dup(c->out, msg, lm);
    if (p) {
        c->msg_tab[h] = p;
        c->n_msg++;
    }
    return p;
}

/* fx with each occurrence of qa replaced by the byte 1 (malloc'd); NULL when
 * fx holds that byte already (kept as it is) or memory runs out (*oom). */
static char *fix_template(const char *fx, const char *qa, int *oom)
{
    size_t lq = strlen(qa), n = 0;
    if (strchr(fx, 1) || !lq)
        return NULL;
    char *o = malloc(strlen(fx) + 1), *q = o;
    if (!o) {
        *oom = 1;
        return NULL;
    }
    for (const char *p = fx;;) {
        const char *h = strstr(p, qa);
        size_t k = h ? (size_t)(h - p) : strlen(p);
        memcpy(q, p, k);
        q += k;
        if (!h)
            break;
        *q++ = 1;
        n++;
        p = h + lq;
    }
    *q = 0;
    return o;
}

static unsigned char id_index(const char *id)
{
    for (unsigned char i = 0; jks_check_ids[i].id; i++)
        if (jks_check_ids[i].id == id || !strcmp(jks_check_ids[i].id, id))
            return i;
    return 0; /* every id chk_add gets is in the table (tests/unit check it) */
}

/* A finding of a streamed check: texts interned, the fix as a template of
 * the alias (one copy for a million "delete this alias" fixes). alias is the
 * entry's copy in the list's arena (or a literal): not copied again. */
static void add_item(chk_ctx *c, const char *id, jks_severity sev, const char *al, const char *fx,
                     const char *msg)
{
    if (c->n_items == c->cap_items) {
        size_t cap = c->cap_items ? c->cap_items * 2 : 16;
        chk_item *n = realloc(c->items, cap * sizeof(*n));
        if (!n) {
            c->oom = 1;
            return;
        }
        c->items = n;
        c->cap_items = cap;
    }
    char *qa = chk_shell_quote(al);
    char *t = qa ? fix_template(fx, qa, &c->oom) : NULL;
    free(qa);
    if (!qa)
        c->oom = 1;
    const char *pm = c->oom ? NULL : intern_msg(c, msg);
    const char *px = pm ? intern_msg(c, t ? t : fx) : NULL;
    chk_item *it = &c->items[c->n_items];
    it->tmpl = t != NULL;
    free(t);
    if (!px) {
        c->oom = 1;
        return;
    }
    it->alias = al;
    it->message = pm;
    it->fix = px;
    it->id = id_index(id);
    it->severity = (unsigned char)sev;
    c->n_items++;
}

void chk_add(chk_ctx *c, const char *id, jks_severity sev, const char *alias, const char *fix,
             const char *fmt, ...)
{
    jks_findings *f = c->out;
    char msg[1024];
    va_list ap;
    if (c->oom)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    const char *al = alias ? alias : "";
    if (c->streamed) {
        char *pf = c->format == JKS_FORMAT_PEM ? pem_fix(c, fix ? fix : "") : NULL;
        if (c->format == JKS_FORMAT_PEM && !pf) {
            c->oom = 1;
            return;
        }
        add_item(c, id, sev, al, pf ? pf : fix ? fix : "", msg);
        free(pf);
        if (c->oom)
            return;
    } else {
        if (f->count == f->cap) {
            size_t cap = f->cap ? f->cap * 2 : 16;
            jks_finding *n = realloc(f->items, cap * sizeof(*n));
            if (!n) {
                c->oom = 1;
                return;
            }
            f->items = n;
            f->cap = cap;
        }
        jks_finding *it = &f->items[f->count];
        it->id = id; /* ids are string literals */
        it->severity = sev;
        /* the strings go to the list's arena, the message interned (a million
         * findings with one text keep one copy) */
        char *pf = c->format == JKS_FORMAT_PEM ? pem_fix(c, fix ? fix : "") : NULL;
        const char *fx = pf ? pf : fix ? fix : "";
        const char *pa = (c->format != JKS_FORMAT_PEM || pf) ? arena_dup(f, al, strlen(al) + 1) : NULL;
        const char *pm = pa ? intern_msg(c, msg) : NULL;
        const char *px = pm ? arena_dup(f, fx, strlen(fx) + 1) : NULL;
        free(pf);
        if (!px) {
            c->oom = 1;
            return;
        }
        it->alias = pa;
        it->message = pm;
        it->fix = px;
    }
    f->count++;
    if (sev == JKS_SEV_ERROR)
        f->errors++;
    else if (sev == JKS_SEV_WARNING)
        f->warnings++;
    else
        f->infos++;
}

const char *chk_fmt(chk_ctx *c, const char *fmt, ...)
{
    static __thread char buf[2048]; /* per thread: no shared mutable state */
    va_list ap;
    (void)c;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return buf;
}

char *chk_shell_quote(const char *s)
{
    size_t n = 0, extra = 0;
    int plain = *s != 0;
    for (const char *p = s; *p; p++, n++) {
        unsigned char ch = (unsigned char)*p;
        if (!(ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || strchr("-_./:@%+=,", ch)))
            plain = 0;
        if (ch == '\'')
            extra += 3;
    }
    if (plain)
        return strdup(s);
    char *o = malloc(n + extra + 3), *q = o;
    if (!o)
        return NULL;
    *q++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(q, "'\\''", 4);
            q += 4;
        } else {
            *q++ = *p;
        }
    }
    *q++ = '\'';
    *q = 0;
    return o;
}

int chk_self_signed(const chk_cert *r)
{
    /* a self-issued certificate whose signature this build cannot check (an
     * ML-DSA root with OpenSSL before 3.5) counts as self-signed: its issuer
     * is itself, there is no missing CA to report (Java checks no trust
     * anchor's own signature either) */
    return r->x && r->info.self_issued && jks_cert_self_signature(r->x) != 0;
}

int chk_issued(const chk_cert *a, const chk_cert *b)
{
    return jks_cert_issued(a->x, b->x);
}

/* ---- the context ---- */

uint64_t chk_hash(const void *p, size_t n)
{
    /* eight bytes a step (certificates are hashed whole: byte-wise FNV-1a
     * was a fifth of checking 64,000 of them), the tail as FNV-1a; only
     * equality of keys matters to the indexes (ties go by file order) */
    const unsigned char *b = p;
    uint64_t h = 1469598103934665603ULL ^ n, w;
    for (; n >= 8; b += 8, n -= 8) {
        memcpy(&w, b, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 32;
    }
    for (; n; n--)
        h = (h ^ *b++) * 1099511628211ULL;
    return h ^ (h >> 29);
}

/* The one copy of an algorithm name (a store has a handful); NULL on OOM. */
static const char *intern(chk_ctx *c, const char *s)
{
    for (size_t i = 0; i < c->n_names; i++)
        if (!strcmp(c->names[i], s))
            return c->names[i];
    if (c->n_names == c->cap_names) {
        size_t cap = c->cap_names ? c->cap_names * 2 : 8;
        char **n = realloc(c->names, cap * sizeof(*n));
        if (!n)
            return NULL;
        c->names = n;
        c->cap_names = cap;
    }
    char *d = strdup(s);
    if (d)
        c->names[c->n_names++] = d;
    return d;
}

static int facts_from(chk_ctx *c, chk_facts *f, const jks_cert_info *ci)
{
    snprintf(f->spki_sha256, sizeof(f->spki_sha256), "%s", ci->spki_sha256);
    f->key_algorithm = intern(c, ci->key_algorithm);
    f->sig_algorithm = intern(c, ci->sig_algorithm);
    f->md_name = intern(c, ci->md_name);
    f->subject = strdup(ci->subject);
    f->issuer = f->subject && strcmp(ci->subject, ci->issuer) ? strdup(ci->issuer) : f->subject;
    f->not_before = ci->not_before;
    f->not_after = ci->not_after;
    f->key_bits = ci->key_bits;
    f->self_issued = ci->self_issued != 0;
    f->is_ca = ci->is_ca != 0;
    f->eku_client_auth = ci->eku_client_auth != 0;
    f->eku_server_auth = ci->eku_server_auth != 0;
    f->has_key_usage = ci->has_key_usage != 0;
    f->key_usage = (unsigned)ci->key_usage;
    return f->key_algorithm && f->sig_algorithm && f->md_name && f->subject && f->issuer;
}

static void facts_free(chk_facts *f)
{
    if (f->issuer != f->subject)
        free(f->issuer);
    free(f->subject);
}

static int cert_tab_grow(chk_ctx *c)
{
    size_t cap = c->cert_tab_cap ? c->cert_tab_cap * 2 : 64;
    size_t *t = calloc(cap, sizeof(size_t));
    if (!t)
        return 0;
    for (size_t i = 0; i < c->n_certs; i++) {
        size_t h = (size_t)chk_hash(c->certs[i].der.data, c->certs[i].der.len) & (cap - 1);
        while (t[h])
            h = (h + 1) & (cap - 1);
        t[h] = i + 1;
    }
    free(c->cert_tab);
    c->cert_tab = t;
    c->cert_tab_cap = cap;
    return 1;
}

/* The index of der among the distinct certificates, added (and decoded)
 * when new; (size_t)-1 when memory runs out. */
static size_t cert_index(chk_ctx *c, jks_bytes der, const chk_entry *e, size_t pos)
{
    if ((c->n_certs + 1) * 2 > c->cert_tab_cap && !cert_tab_grow(c))
        return (size_t)-1;
    size_t h = (size_t)chk_hash(der.data, der.len) & (c->cert_tab_cap - 1);
    for (; c->cert_tab[h]; h = (h + 1) & (c->cert_tab_cap - 1)) {
        const chk_cert *r = &c->certs[c->cert_tab[h] - 1];
        if (r->der.len == der.len && !memcmp(r->der.data, der.data, der.len))
            return c->cert_tab[h] - 1;
    }
    if (c->n_certs == c->cap_certs) {
        size_t cap = c->cap_certs ? c->cap_certs * 2 : 16;
        chk_cert *n = realloc(c->certs, cap * sizeof(*n));
        if (!n)
            return (size_t)-1;
        c->certs = n;
        c->cap_certs = cap;
    }
    if (c->streamed) { /* the entry's bytes go when its visit ends */
        uint8_t *d = (uint8_t *)arena_put(&c->bytes_, der.data, der.len ? der.len : 1);
        if (!d)
            return (size_t)-1;
        der.data = d;
    }
    chk_cert *r = &c->certs[c->n_certs];
    jks_cert_info ci;
    memset(r, 0, sizeof(*r));
    r->der = der;
    r->alias = e->alias;
    r->pos = pos;
    r->kind = ce_kind(e);
    /* r->x NULL: does not parse (ci zeroed); a view: the store (or the
     * streamed copy) outlives the run */
    if (jks_cert_decode_view(der.data, der.len, &ci, &r->x) != JKS_OK)
        memset(&ci, 0, sizeof(ci));
    if (!facts_from(c, &r->info, &ci)) {
        facts_free(&r->info);
        jks_cert_free(r->x);
        return (size_t)-1;
    }
    c->cert_tab[h] = c->n_certs + 1;
    return c->n_certs++;
}

/* Which password opened each private key: do the keys of the store need
 * different passwords? (A key that opens with none given differs from one
 * that opens with the store password; its password is otherwise unknown.) */
static void key_passwords(chk_ctx *c)
{
    const jks_check_opts *o = c->opts;
    const char *seen = NULL;
    int by_store = 0, unopened = 0;
    for (size_t i = 0; i < c->n_entries; i++) {
        const chk_entry *e = &c->entries[i];
        if (ce_kind(e) != JKS_ENTRY_PRIVATE_KEY || !ce_visible(e))
            continue;
        c->n_keys_opened += e->ki != NULL;
        if (ce_key_state(e) == JKS_KEY_WRONG_PASSWORD) {
            unopened = 1;
            continue;
        }
        int ix = ce_pw_index(e);
        if (ce_key_state(e) != JKS_KEY_DECRYPTED || ix < 0)
            continue;
        const char *pw = (size_t)ix < o->n_keypasses && o->keypasses ? o->keypasses[ix]
                                                                     : o->storepass;
        if (!pw)
            continue;
        if (o->storepass && !strcmp(pw, o->storepass))
            by_store = 1;
        if (seen && strcmp(seen, pw))
            c->key_passwords_differ = 1;
        seen = seen ? seen : pw;
    }
    if (by_store && unopened)
        c->key_passwords_differ = 1;
}

/* The store-level facts (any store of the run: a streamed visit's facts
 * answer them too). */
static int ctx_facts(chk_ctx *c, const jks_store *st)
{
    chk_store_facts *f = &c->sf;
    c->format = jks_store_format(st);
    f->integrity = jks_store_integrity(st);
    f->storepass_given = jks_store_storepass_given(st);
    f->mac_present = jks_store_mac_present(st);
    f->mac_iterations = jks_store_mac_iterations(st);
    f->hidden_certs = jks_store_hidden_cert_count(st);
    free(f->key_enc);
    free(f->cert_enc);
    free(f->mac_alg);
    f->key_enc = strdup(jks_store_key_encryption(st));
    f->cert_enc = strdup(jks_store_cert_encryption(st));
    f->mac_alg = strdup(jks_store_mac_algorithm(st));
    return f->key_enc && f->cert_enc && f->mac_alg;
}

/* Room for n entries (their count is known from the first visit). */
static int ctx_alloc(chk_ctx *c, size_t n)
{
    c->n_entries = n;
    c->entries = calloc(n ? n : 1, sizeof(*c->entries));
    return c->entries != NULL;
}

/* Add entry e as the next one (file order): its facts, its certificates
 * (each distinct one decoded once), its key facts. */
static int ctx_add(chk_ctx *c, const jks_entry *e)
{
    if (c->n_added >= c->n_entries)
        return 0;
    chk_entry *ce = &c->entries[c->n_added++];
    size_t n = jks_entry_chain_len(e);
    const char *alias = jks_entry_alias(e);
    if (c->streamed && !(alias = arena_dup(c->out, alias, strlen(alias) + 1)))
        return 0;
    ce->alias = alias;
    ce->kind = (unsigned char)jks_entry_kind_of(e);
    ce->visible = jks_entry_java_visible(e) != 0;
    ce->key_state = (unsigned char)jks_entry_key_state(e);
    ce->pw_index = jks_entry_password_index(e);
    if (n > UINT32_MAX)
        return 0;
    ce->n_chain = (uint32_t)n;
    if (c->n_chain_ix + n > c->cap_chain_ix) {
        size_t cap = c->cap_chain_ix ? c->cap_chain_ix : 16;
        while (cap < c->n_chain_ix + n)
            cap *= 2;
        size_t *t = realloc(c->chain_ix, cap * sizeof(size_t));
        if (!t)
            return 0;
        c->chain_ix = t;
        c->cap_chain_ix = cap;
    }
    for (size_t k = 0; k < n; k++) {
        size_t ix = cert_index(c, jks_entry_cert(e, k), ce, k);
        if (ix == (size_t)-1)
            return 0;
        c->chain_ix[c->n_chain_ix++] = ix;
        if (ce_kind(ce) == JKS_ENTRY_TRUSTED_CERT && ce->visible && !c->certs[ix].trusted) {
            c->certs[ix].trusted = 1;
            c->certs[ix].trusted_alias = ce->alias;
        }
    }
    jks_bytes key = jks_entry_pkcs8(e);
    if (ce_kind(ce) == JKS_ENTRY_PRIVATE_KEY &&
        (ce_key_state(ce) != JKS_KEY_DECRYPTED || ce->pw_index >= 0))
        c->pem_keys_encrypted = 1;
    if (ce_kind(ce) == JKS_ENTRY_PRIVATE_KEY && key.len) {
        jks_key_info ki;
        if (jks_key_info_get(key.data, key.len, &ki) == JKS_OK) {
            if (!(ce->ki = malloc(sizeof(ki))))
                return 0;
            *ce->ki = ki;
        }
    }
    if (!ce->visible && ce_kind(ce) == JKS_ENTRY_PRIVATE_KEY)
        c->n_plain_keys++;
    else if (!ce->visible)
        c->n_ignored++;
    else if (ce_kind(ce) == JKS_ENTRY_PRIVATE_KEY)
        c->n_private++;
    else if (ce_kind(ce) == JKS_ENTRY_TRUSTED_CERT)
        c->n_trusted++;
    else
        c->n_secret++;
    return 1;
}

/* Once every entry is in: chain slices, key passwords, store-level counts. */
static int ctx_finish(chk_ctx *c)
{
    if (c->n_added != c->n_entries)
        return 0;
    size_t used = 0;
    for (size_t i = 0; i < c->n_entries; i++) {
        c->entries[i].certs = c->chain_ix + used;
        used += c->entries[i].n_chain;
    }
    free(c->cert_tab); /* the dedupe index is done with */
    c->cert_tab = NULL;
    c->cert_tab_cap = 0;
    key_passwords(c);
    if (c->sf.hidden_certs > c->n_ignored)
        c->n_ignored = c->sf.hidden_certs;
    const char *cert_enc = c->sf.cert_enc;
    if (c->format == JKS_FORMAT_PKCS12 && !c->sf.storepass_given && cert_enc[0] &&
        strcmp(cert_enc, "none"))
        c->certs_unread = 1;
    return 1;
}

static int ctx_build(chk_ctx *c, const jks_store *st)
{
    size_t n = jks_store_count(st);
    if (!ctx_facts(c, st) || !ctx_alloc(c, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!ctx_add(c, jks_store_entry(st, i)))
            return 0;
    return ctx_finish(c);
}

static void ctx_free(chk_ctx *c)
{
    for (size_t i = 0; i < c->n_certs; i++) {
        jks_cert_free(c->certs[i].x);
        facts_free(&c->certs[i].info);
    }
    free(c->certs);
    free(c->cert_tab);
    if (c->entries)
        for (size_t i = 0; i < c->n_entries; i++)
            free(c->entries[i].ki);
    free(c->entries);
    free(c->chain_ix);
    for (size_t i = 0; i < c->n_names; i++)
        free(c->names[i]);
    free(c->names);
    free(c->subj_tab);
    free(c->subj_next);
    free(c->reply_ix);
    free(c->low_hash_reply);
    free(c->low_hash);
    free(c->low_ix);
    free(c->msg_tab);
    free(c->ks_owned);
    free(c->sf.key_enc);
    free(c->sf.cert_enc);
    free(c->sf.mac_alg);
    arena_free(c->bytes_);
    free(c->items);
}

int jks_check_name_says_truststore(const char *file_name)
{
    const char *base, *p;
    if (!file_name)
        return 0;
    base = strrchr(file_name, '/');
    base = base ? base + 1 : file_name;
    for (p = base; *p; p++) {
        if (!strncasecmp(p, "trust", 5) || !strncasecmp(p, "cacerts", 7))
            return 1;
        /* "ca" as a word: no letter on either side (ca.jks, my-ca.p12, ca2.pem) */
        if (!strncasecmp(p, "ca", 2) && (p == base || !isalpha((unsigned char)p[-1])) &&
            !isalpha((unsigned char)p[2]))
            return 1;
    }
    return 0;
}

static jks_purpose infer(const chk_ctx *c, const char **why)
{
    if (c->n_private || c->n_plain_keys) {
        *why = "it holds a private key; --for client|server checks more";
        return JKS_PURPOSE_IDENTITY;
    }
    if (c->n_trusted || c->n_ignored) {
        if (jks_check_name_says_truststore(c->opts->file_name)) {
            *why = "it holds only certificates and its name says truststore";
            return JKS_PURPOSE_TRUSTSTORE;
        }
        *why = "it holds no private key and its name does not say truststore; "
               "--for truststore if it is one";
        return JKS_PURPOSE_IDENTITY;
    }
    if (c->certs_unread && !c->n_secret) {
        *why = "its certificates are encrypted and no store password was given";
        return JKS_PURPOSE_NONE;
    }
    *why = c->n_secret ? "it holds only secret keys" : "it holds no private key and no certificate";
    return JKS_PURPOSE_NONE;
}

/* Start a run: options, time, the list, the quoted file name. */
static int run_start(chk_ctx *c, const jks_check_opts *opts)
{
    memset(c, 0, sizeof(*c));
    c->opts = opts;
    c->now = opts->at_set ? opts->at : (int64_t)time(NULL);
    c->out = calloc(1, sizeof(*c->out));
    c->ks_owned = chk_shell_quote(opts->file_name ? opts->file_name : "KEYSTORE");
    c->ks = c->ks_owned;
    return c->out && c->ks;
}

/* The purpose, then the rule groups in their order. */
static void run_rules(chk_ctx *c)
{
    const jks_check_opts *opts = c->opts;
    c->out->inferred_from = "";
    c->purpose = opts->purpose == JKS_PURPOSE_AUTO ? infer(c, &c->out->inferred_from)
                                                   : opts->purpose;
    c->out->purpose = c->purpose;
    c->out->inferred = opts->purpose == JKS_PURPOSE_AUTO;

    chk_store_rules(c);
    chk_entry_rules(c);
    chk_cert_rules(c);
}

jks_status jks_check_run(const jks_store *st, const jks_check_opts *opts, jks_findings **out)
{
    static const jks_check_opts none;
    chk_ctx c;
    if (!out)
        return JKS_ERR_USAGE;
    *out = NULL;
    if (!st)
        return JKS_ERR_USAGE;
    if (!opts)
        opts = &none;
    if (opts->version > JKS_CHECK_OPTS_VERSION)
        return JKS_ERR_USAGE;
    if (!run_start(&c, opts) || !ctx_build(&c, st)) {
        ctx_free(&c);
        jks_findings_free(c.out);
        return JKS_ERR_IO;
    }
    run_rules(&c);
    ctx_free(&c);
    if (c.oom) {
        jks_findings_free(c.out);
        return JKS_ERR_IO;
    }
    *out = c.out;
    return JKS_OK;
}

/* ---- report order ---- */

/* Findings in report order: groups by alias (the store first), groups with
 * errors before the others, and within a group errors, warnings, then info.
 * Sorted passes (a store of a million entries has a million groups): by
 * alias to find each group's worst severity and first finding, then by
 * (worst, first, severity, index). */
typedef struct {     /* 16 bytes: a million findings sort in 32 MB (qsort's copy included) */
    const char *alias;
    uint32_t i;      /* the finding */
    uint32_t first : 28; /* its group's first finding (n < 2^28, else no sort) */
    uint32_t sev : 2, worst : 2; /* its severity, its group's worst */
} order_key;

static int by_alias(const void *x, const void *y)
{
    const order_key *a = x, *b = y;
    int d = strcmp(a->alias, b->alias);
    return d ? d : (a->i > b->i) - (a->i < b->i);
}

static int by_output(const void *x, const void *y)
{
    const order_key *a = x, *b = y;
    if (a->worst != b->worst)
        return (int)a->worst - (int)b->worst;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    if (a->sev != b->sev)
        return (int)a->sev - (int)b->sev;
    return (a->i > b->i) - (a->i < b->i);
}

/* k[0..n) holds alias, i and sev of each finding: sorted into report order. */
static void order_keys(order_key *k, size_t n)
{
    qsort(k, n, sizeof(*k), by_alias);
    for (size_t g = 0, e; g < n; g = e) {
        unsigned w = JKS_SEV_INFO;
        for (e = g; e < n && !strcmp(k[e].alias, k[g].alias); e++)
            if (k[e].sev < w)
                w = k[e].sev;
        for (size_t i = g; i < e; i++) {
            k[i].first = k[g].i;
            k[i].worst = w;
        }
    }
    qsort(k, n, sizeof(*k), by_output);
}

size_t *jks_findings_report_order(const jks_findings *f)
{
    size_t n = f ? f->count : 0;
    if (!f || n >= (1u << 28)) /* beyond order_key's fields */
        return NULL;
    size_t *ix = malloc((n ? n : 1) * sizeof(size_t));
    order_key *k = malloc((n ? n : 1) * sizeof(order_key));
    if (!ix || !k) {
        free(ix);
        free(k);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        k[i] = (order_key){f->items[i].alias, (uint32_t)i, 0, (uint32_t)f->items[i].severity, 0};
    order_keys(k, n);
    for (size_t i = 0; i < n; i++)
        ix[i] = k[i].i;
    free(k);
    return ix;
}

/* ---- the streamed check ---- */

static jks_status fail(jks_error *err, jks_status s, const char *msg)
{
    if (err) {
        jks_error_clear(err);
        err->status = s;
        snprintf(err->msg, sizeof(err->msg), "%s", msg);
    }
    return s;
}

typedef struct {
    chk_ctx *c;
    int failed;
} visit_ctx;

static int check_visit(const jks_store *facts, const jks_entry *e, size_t index, size_t total,
                       void *arg)
{
    visit_ctx *v = arg;
    chk_ctx *c = v->c;
    if (index == 0 && !c->entries && (!ctx_facts(c, facts) || !ctx_alloc(c, total))) {
        v->failed = 1;
        return 1;
    }
    if (!e) /* after the last entry: the facts are final (integrity verified) */
        v->failed = !ctx_facts(c, facts);
    else
        v->failed = !ctx_add(c, e);
    return v->failed;
}

/* it's fix with the byte 1 replaced by the quoted alias, into *buf. */
static const char *expand_fix(const chk_item *it, char **buf, size_t *cap)
{
    if (!it->tmpl)
        return it->fix;
    char *qa = chk_shell_quote(it->alias);
    if (!qa)
        return NULL;
    size_t lq = strlen(qa), n = 1;
    for (const char *p = it->fix; *p; p++)
        n += *p == 1 ? lq : 1;
    if (n > *cap) {
        char *b = realloc(*buf, n);
        if (!b) {
            free(qa);
            return NULL;
        }
        *buf = b;
        *cap = n;
    }
    char *q = *buf;
    for (const char *p = it->fix; *p; p++) {
        if (*p == 1) {
            memcpy(q, qa, lq);
            q += lq;
        } else {
            *q++ = *p;
        }
    }
    *q = 0;
    free(qa);
    return *buf;
}

jks_status jks_check_file(const char *path, const jks_read_opts *ro, const jks_check_opts *opts,
                          jks_finding_visitor fn, void *arg, jks_error *err)
{
    static const jks_check_opts none;
    chk_ctx c;
    jks_error_clear(err);
    if (!path || !fn)
        return fail(err, JKS_ERR_USAGE, path ? "no visitor function" : "no file name");
    if (!opts)
        opts = &none;
    if (opts->version > JKS_CHECK_OPTS_VERSION)
        return fail(err, JKS_ERR_USAGE, "jks_check_opts is newer than this library");
    /* a JKS/JCEKS file of any size through the window: read whole, a file
     * just under the visit's 8 MiB would hold its store (~4x the file) */
    jks_read_opts o = JKS_READ_OPTS_INIT;
    if (ro) {
        if (ro->version > JKS_READ_OPTS_VERSION)
            return fail(err, JKS_ERR_USAGE, "jks_read_opts is newer than this library");
        /* a version-1 caller's struct ends before max_work */
        memcpy(&o, ro, ro->version >= 2 ? sizeof(o) : offsetof(jks_read_opts, max_work));
        o.version = ro->version >= 2 ? ro->version : 1;
    }
    o.flags |= JKS_READ_LOW_MEMORY;
    if (!run_start(&c, opts)) {
        ctx_free(&c);
        jks_findings_free(c.out);
        return fail(err, JKS_ERR_IO, "out of memory");
    }
    c.streamed = 1;
    visit_ctx v = {&c, 0};
    jks_status s = jks_store_visit_file(path, &o, check_visit, &v, err);
    if (s == JKS_OK && (v.failed || !ctx_finish(&c)))
        s = fail(err, JKS_ERR_IO, "out of memory");
    if (s != JKS_OK) {
        ctx_free(&c);
        jks_findings_free(c.out);
        return s;
    }
    run_rules(&c);
    jks_format format = c.format;
    chk_item *items = c.items;
    size_t n = c.n_items;
    c.items = NULL; /* the findings outlive the context (their texts are in c.out's arena) */
    int oom = c.oom;
    ctx_free(&c);
    order_key *k = NULL;
    if (!oom && n < (1u << 28) && (k = malloc((n ? n : 1) * sizeof(*k)))) {
        for (size_t i = 0; i < n; i++)
            k[i] = (order_key){items[i].alias, (uint32_t)i, 0, items[i].severity, 0};
        order_keys(k, n);
    }
    if (!k) {
        free(items);
        jks_findings_free(c.out);
        return fail(err, JKS_ERR_IO, "out of memory");
    }
    char *buf = NULL;
    size_t cap = 0;
    s = JKS_OK;
    if (!fn(c.out, format, NULL, arg)) {
        for (size_t j = 0; j < n; j++) {
            const chk_item *it = &items[k[j].i];
            jks_finding f = {jks_check_ids[it->id].id, (jks_severity)it->severity, it->alias,
                             it->message, expand_fix(it, &buf, &cap)};
            if (!f.fix) {
                s = fail(err, JKS_ERR_IO, "out of memory");
                break;
            }
            if (fn(c.out, format, &f, arg))
                break;
        }
    }
    free(buf);
    free(k);
    free(items);
    jks_findings_free(c.out);
    return s;
}

/* ---- --at ---- */

static int digits(const char **p, int n, int *v)
{
    int r = 0;
    for (int i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9')
            return 0;
        r = r * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *v = r;
    return 1;
}

int jks_check_parse_time(const char *text, int64_t *secs)
{
    const char *p = text;
    struct tm tm;
    int y, mo, d, h = 0, mi = 0, s = 0, off = 0;
    if (!text || !*text || !secs)
        return -1;
    if (*p == '@') {
        char *end;
        long long v;
        p++;
        if (!*p)
            return -1;
        v = strtoll(p, &end, 10);
        if (*end)
            return -1;
        *secs = (int64_t)v;
        return 0;
    }
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d))
        return -1;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
            return -1;
        if (*p == ':') {
            p++;
            if (!digits(&p, 2, &s))
                return -1;
            if (*p == '.') /* fractions of a second are dropped */
                for (p++; *p >= '0' && *p <= '9'; p++)
                    ;
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
            if (!digits(&p, 2, &oh))
                return -1;
            if (*p == ':')
                p++;
            if (*p && !digits(&p, 2, &om))
                return -1;
            if (oh > 23 || om > 59)
                return -1;
            off = sign * (oh * 3600 + om * 60);
        }
    }
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return -1;
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    time_t t = timegm(&tm);
    if (tm.tm_mday != d) /* 2025-02-30 normalised into March */
        return -1;
    *secs = (int64_t)t - off;
    return 0;
}
