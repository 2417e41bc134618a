/* Layer "model": the format-neutral keystore model: entries, accessors,
 * memory ownership, building. Reading and writing bytes is the codecs' work,
 * dispatched by the codec table (ops/codec.c). */
#include "mem.h"
#include "store.h"
#include "file.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

/* Memory the store keeps: secret bytes in blobs of their own (wiped at
 * free); other bytes carved from chunks that grow from 16 KiB to 4 MiB, so a
 * store of 100,000 certificates costs a few dozen allocations, not 100,000
 * headers. Chunks from 2 MiB on are 2 MiB-aligned and advised for huge
 * pages: copying 100 MB in takes a few hundred page faults, not 25,000. */
struct jks_blob {
    jks_blob *next;
    size_t len, used;
    int secret;
    uint8_t data[];
};

#define ARENA_FIRST ((size_t)16 << 10)
#define ARENA_LAST ((size_t)4 << 20)
#define HUGE_PAGE ((size_t)2 << 20)

const char *jks_entry_kind_name(jks_entry_kind k)
{
    switch (k) {
    case JKS_ENTRY_PRIVATE_KEY: return "private-key";
    case JKS_ENTRY_TRUSTED_CERT: return "trusted-cert";
    case JKS_ENTRY_SECRET_KEY: return "secret-key";
    }
    return "unknown";
}

jks_store *jks_store_new(jks_format f)
{
    jks_store *st = calloc(1, sizeof(*st));
    if (!st)
        return NULL;
    st->format = f == JKS_FORMAT_UNKNOWN ? JKS_FORMAT_JKS : f;
    st->version = 2;
    return st;
}

static void entry_free(jks_entry *e)
{
    if (!e)
        return;
    if (e->alias != e->alias_buf)
        free(e->alias);
    if (e->plain) {
        OPENSSL_cleanse(e->plain, e->plain_len);
        free(e->plain);
    }
    free(e->secret_alg);
    if (e->chain != &e->cert1)
        free(e->chain);
    free(e);
}

void jks_store_free(jks_store *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->n; i++)
        entry_free(st->entries[i]);
    free(st->entries);
    free(st->alias_tab);
    jks_store_java_index_clear(st);
    for (jks_blob *b = st->blobs, *nx; b; b = nx) {
        nx = b->next;
        if (b->secret)
            OPENSSL_cleanse(b->data, b->len);
        free(b);
    }
    free(st->input); /* a mapped input is detached before the read returns */
    free(st);
}

static jks_blob *blob_new(jks_store *st, size_t len, int secret)
{
    size_t size = sizeof(jks_blob) + (len ? len : 1);
    jks_blob *b;
    if (size >= HUGE_PAGE && size % HUGE_PAGE == 0) {
        void *m = NULL;
        if (posix_memalign(&m, HUGE_PAGE, size) != 0)
            return NULL;
        b = m;
#ifdef MADV_HUGEPAGE
        madvise(m, size, MADV_HUGEPAGE); /* advice only: failure changes nothing */
#endif
    } else if (!(b = malloc(size))) {
        return NULL;
    }
    b->len = len;
    b->used = 0;
    b->secret = secret;
    b->next = st->blobs;
    st->blobs = b;
    return b;
}

const uint8_t *jks_store_keep(jks_store *st, const void *p, size_t n, int secret)
{
    uint8_t *d;
    if (secret || n > ARENA_LAST / 4) {
        jks_blob *b = blob_new(st, n, secret);
        if (!b)
            return NULL;
        b->used = n;
        d = b->data;
    } else {
        jks_blob *a = st->arena;
        if (!a || a->len - a->used < n) {
            size_t next = a ? (a->len + sizeof(jks_blob)) * 2 : ARENA_FIRST;
            while (next - sizeof(jks_blob) < n) /* n <= ARENA_LAST / 4: ends */
                next *= 2;
            if (next > ARENA_LAST)
                next = ARENA_LAST;
            if (!(a = blob_new(st, next - sizeof(jks_blob), 0)))
                return NULL;
            st->arena = a;
        }
        d = a->data + a->used;
        a->used += (n + 7) & ~(size_t)7;
        if (a->used > a->len)
            a->used = a->len;
    }
    if (n && p)
        memcpy(d, p, n);
    return d;
}

jks_entry *jks_store_append(jks_store *st, jks_entry_kind kind, const char *alias)
{
    jks_entry **ne = jks_array_grow(st->entries, &st->cap, st->n, sizeof(*ne), 16);
    if (!ne)
        return NULL;
    st->entries = ne;
    size_t al = strlen(alias ? alias : "");
    jks_entry *e = calloc(1, sizeof(*e) + al + 1);
    if (!e)
        return NULL;
    e->alias = e->alias_buf;
    memcpy(e->alias_buf, alias ? alias : "", al);
    e->kind = kind;
    e->pw_index = -1;
    st->entries[st->n++] = e;
    return e;
}

int jks_entry_alloc_chain(jks_entry *e, size_t n)
{
    if (e->chain != &e->cert1)
        free(e->chain);
    memset(&e->cert1, 0, sizeof(e->cert1));
    e->chain = n == 1 ? &e->cert1 : n ? calloc(n, sizeof(*e->chain)) : NULL;
    e->n_chain = e->chain ? n : 0;
    return n == 0 || e->chain != NULL;
}

int jks_entry_set_plain(jks_entry *e, const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    if (!c)
        return 0;
    if (n)
        memcpy(c, p, n);
    if (e->plain) {
        OPENSSL_cleanse(e->plain, e->plain_len);
        free(e->plain);
    }
    e->plain = c;
    e->plain_len = n;
    return 1;
}

void jks_store_remove(jks_store *st, size_t i)
{
    if (!st || i >= st->n)
        return;
    entry_free(st->entries[i]);
    memmove(st->entries + i, st->entries + i + 1, (st->n - i - 1) * sizeof(*st->entries));
    st->n--;
    st->alias_indexed = 0;
    jks_store_java_index_clear(st);
}

/* Open-addressing table of string indexes, FNV-1a hashed: duplicate checks
 * in O(n) so that stores of 100,000 entries read and write in linear time. */
static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

int jks_alias_dedupe_same(const char *a, const char *b) { return !strcmp(a, b); }

int jks_strings_find_dup(const char *const *s, size_t n, size_t *first, size_t *second)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    size_t *t = malloc(cap * sizeof(*t));
    int found = 0;
    if (!t) /* fall back to the quadratic scan rather than fail */
        cap = 0;
    for (size_t i = 0; i < cap; i++)
        t[i] = SIZE_MAX;
    for (size_t j = 0; j < n && !found; j++) {
        if (!cap) {
            for (size_t i = 0; i < j && !found; i++)
                if (!strcmp(s[i], s[j]))
                    *first = i, *second = j, found = 1;
            continue;
        }
        size_t h = (size_t)fnv1a(s[j]) & (cap - 1);
        while (t[h] != SIZE_MAX && strcmp(s[t[h]], s[j]))
            h = (h + 1) & (cap - 1);
        if (t[h] != SIZE_MAX)
            *first = t[h], *second = j, found = 1;
        else
            t[h] = j;
    }
    free(t);
    return found;
}

jks_status jks_integrity_mismatch(int corrupt, const char *alias, long long off, jks_error *err)
{
    if (corrupt) {
        jks_fail(err, JKS_ERR_FORMAT, -1,
                 "keystore is corrupt: integrity check failed and this entry's data does not parse or verify");
        jks_error_set_alias(err, alias);
        return JKS_ERR_FORMAT;
    }
    return jks_fail(err, JKS_ERR_PASSWORD, off,
                    "keystore password is incorrect (integrity check failed; no corrupt data found)");
}

void jks_store_dedupe_keep_last(jks_store *st)
{
    /* One backward pass over a hash table marks every entry whose alias
     * appears again later, one compaction removes them: linear even when a
     * hostile file repeats one alias 100,000 times. */
    size_t cap = 16, w = 0;
    while (cap < 2 * st->n)
        cap *= 2;
    /* 32-bit slots: half the memory at the peak of reading a 100,000-entry store */
    uint32_t *t = st->n < UINT32_MAX ? malloc(cap * sizeof(*t)) : NULL;
    unsigned char *drop = calloc(st->n ? st->n : 1, 1);
    if (!t || !drop) { /* out of memory: fall back to pairwise removal */
        size_t i, j;
        const char **names = malloc((st->n ? st->n : 1) * sizeof(*names));
        free(t);
        free(drop);
        if (!names)
            return;
        for (;;) {
            for (size_t k = 0; k < st->n; k++)
                names[k] = st->entries[k]->alias;
            if (!jks_strings_find_dup(names, st->n, &i, &j))
                break;
            jks_store_remove(st, i);
        }
        free(names);
        return;
    }
    for (size_t i = 0; i < cap; i++)
        t[i] = UINT32_MAX;
    for (size_t j = st->n; j-- > 0;) {
        const char *a = st->entries[j]->alias;
        size_t h = (size_t)fnv1a(a) & (cap - 1);
        while (t[h] != UINT32_MAX && !jks_alias_dedupe_same(st->entries[t[h]]->alias, a))
            h = (h + 1) & (cap - 1);
        if (t[h] != UINT32_MAX)
            drop[j] = 1;
        else
            t[h] = (uint32_t)j;
    }
    for (size_t j = 0; j < st->n; j++) {
        if (drop[j])
            entry_free(st->entries[j]);
        else
            st->entries[w++] = st->entries[j];
    }
    if (w != st->n) { /* entries moved: the indexes are stale */
        st->alias_indexed = 0;
        jks_store_java_index_clear(st);
    }
    st->n = w;
    free(t);
    free(drop);
}

/* Accessors: NULL stores and entries, and indexes out of range, give the
 * empty answer (jks.h "Arguments"). */
jks_format jks_store_format(const jks_store *st) { return st ? st->format : JKS_FORMAT_UNKNOWN; }
uint32_t jks_store_version(const jks_store *st) { return st ? st->version : 0; }
jks_integrity jks_store_integrity(const jks_store *st)
{
    return st ? st->integrity : JKS_INTEGRITY_NOT_CHECKED;
}
size_t jks_store_count(const jks_store *st) { return st ? st->n : 0; }

const jks_entry *jks_store_entry(const jks_store *st, size_t i)
{
    return st && i < st->n ? st->entries[i] : NULL;
}

const jks_entry *jks_store_find(const jks_store *st, const char *alias)
{
    if (!st || !alias)
        return NULL;
    for (size_t i = 0; i < st->n; i++)
        if (!strcmp(st->entries[i]->alias, alias))
            return st->entries[i];
    /* then as Java finds it: both lower-cased with toLowerCase(Locale.ENGLISH) */
    for (size_t i = 0; i < st->n; i++)
        if (!jks_alias_java_cmp(st->entries[i]->alias, alias))
            return st->entries[i];
    return NULL;
}

jks_entry_kind jks_entry_kind_of(const jks_entry *e) { return e ? e->kind : JKS_ENTRY_TRUSTED_CERT; }
const char *jks_entry_alias(const jks_entry *e) { return e ? e->alias : ""; }

int jks_entry_created(const jks_entry *e, int64_t *ms)
{
    if (!e || !e->has_created)
        return 0;
    if (ms)
        *ms = e->created_ms;
    return 1;
}

size_t jks_entry_chain_len(const jks_entry *e) { return e ? e->n_chain : 0; }

jks_bytes jks_entry_cert(const jks_entry *e, size_t i)
{
    jks_bytes none = {NULL, 0};
    return e && i < e->n_chain ? e->chain[i] : none;
}

jks_key_state jks_entry_key_state(const jks_entry *e) { return e ? e->state : JKS_KEY_UNSUPPORTED; }
jks_protection jks_entry_protection(const jks_entry *e) { return e ? e->protection : JKS_PROT_NONE; }

jks_bytes jks_entry_pkcs8(const jks_entry *e)
{
    jks_bytes b = {NULL, 0};
    if (e && e->kind == JKS_ENTRY_PRIVATE_KEY && e->state == JKS_KEY_DECRYPTED) {
        b.data = e->plain;
        b.len = e->plain_len;
    }
    return b;
}

jks_bytes jks_entry_protected_key(const jks_entry *e)
{
    jks_bytes none = {NULL, 0};
    return e ? e->prot : none;
}
const char *jks_entry_secret_algorithm(const jks_entry *e) { return e ? e->secret_alg : ""; }

jks_bytes jks_entry_secret(const jks_entry *e)
{
    jks_bytes b = {NULL, 0};
    if (e && e->kind == JKS_ENTRY_SECRET_KEY && e->state == JKS_KEY_DECRYPTED) {
        b.data = e->plain;
        b.len = e->plain_len;
    }
    return b;
}

int jks_entry_password_index(const jks_entry *e) { return e ? e->pw_index : -1; }
int jks_entry_java_visible(const jks_entry *e) { return e && !e->java_ignores; }

/* ---- building ---- */

/* Lazily maintained alias index so that building a store of n entries costs
 * O(n), not O(n^2); removals invalidate it (alias_indexed = 0). */
static int alias_index_catch_up(jks_store *st)
{
    if (st->alias_indexed > st->n)
        st->alias_indexed = 0;
    if (2 * (st->n + 1) > st->alias_cap) {
        size_t cap = st->alias_cap ? st->alias_cap : 64;
        while (cap < 2 * (st->n + 1))
            cap *= 2;
        size_t *t = malloc(cap * sizeof(*t));
        if (!t)
            return 0;
        free(st->alias_tab);
        st->alias_tab = t;
        st->alias_cap = cap;
        st->alias_indexed = 0;
    }
    if (st->alias_indexed == 0)
        for (size_t i = 0; i < st->alias_cap; i++)
            st->alias_tab[i] = SIZE_MAX;
    for (; st->alias_indexed < st->n; st->alias_indexed++) {
        size_t h = (size_t)fnv1a(st->entries[st->alias_indexed]->alias) & (st->alias_cap - 1);
        while (st->alias_tab[h] != SIZE_MAX)
            h = (h + 1) & (st->alias_cap - 1);
        st->alias_tab[h] = st->alias_indexed;
    }
    return 1;
}

static jks_status check_new_alias(jks_store *st, const char *alias, jks_error *err)
{
    int dup = 0;
    if (alias_index_catch_up(st)) {
        size_t h = (size_t)fnv1a(alias) & (st->alias_cap - 1);
        for (; st->alias_tab[h] != SIZE_MAX && !dup; h = (h + 1) & (st->alias_cap - 1))
            dup = !strcmp(st->entries[st->alias_tab[h]]->alias, alias);
    } else {
        for (size_t i = 0; i < st->n && !dup; i++)
            dup = !strcmp(st->entries[i]->alias, alias);
    }
    if (dup) {
        jks_fail(err, JKS_ERR_USAGE, -1, "alias already exists");
        jks_error_set_alias(err, alias);
        return JKS_ERR_USAGE;
    }
    return JKS_OK;
}

static void set_created(jks_entry *e, int64_t ms)
{
    if (ms >= 0) {
        e->has_created = 1;
        e->created_ms = ms;
    }
}

jks_status jks_store_add_private_key(jks_store *st, const char *alias, int64_t created_ms,
                                     const uint8_t *pkcs8, size_t pkcs8_len,
                                     const jks_bytes *certs, size_t n_certs, jks_error *err)
{
    if (!st || !alias || !pkcs8 || !pkcs8_len || (!certs && n_certs))
        return jks_fail(err, JKS_ERR_USAGE, -1, "no store, alias, key or certificates given");
    for (size_t i = 0; i < n_certs; i++)
        if (!certs[i].data || !certs[i].len)
            return jks_fail(err, JKS_ERR_USAGE, -1, "certificate %zu is empty", i + 1);
    if (check_new_alias(st, alias, err))
        return JKS_ERR_USAGE;
    jks_entry *e = jks_store_append(st, JKS_ENTRY_PRIVATE_KEY, alias);
    if (!e || !jks_entry_set_plain(e, pkcs8, pkcs8_len) || !jks_entry_alloc_chain(e, n_certs))
        goto oom;
    e->state = JKS_KEY_DECRYPTED;
    set_created(e, created_ms);
    for (size_t i = 0; i < n_certs; i++) {
        e->chain[i].data = jks_store_keep(st, certs[i].data, certs[i].len, 0);
        e->chain[i].len = certs[i].len;
        if (!e->chain[i].data)
            goto oom;
    }
    return JKS_OK;
oom:
    if (e)
        jks_store_remove(st, st->n - 1);
    return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
}

jks_status jks_store_add_trusted_cert(jks_store *st, const char *alias, int64_t created_ms,
                                      const uint8_t *der, size_t der_len, jks_error *err)
{
    if (!st || !alias || !der || !der_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no store, alias or certificate given");
    if (check_new_alias(st, alias, err))
        return JKS_ERR_USAGE;
    jks_entry *e = jks_store_append(st, JKS_ENTRY_TRUSTED_CERT, alias);
    if (!e || !jks_entry_alloc_chain(e, 1))
        goto oom;
    set_created(e, created_ms);
    e->chain[0].data = jks_store_keep(st, der, der_len, 0);
    e->chain[0].len = der_len;
    if (!e->chain[0].data)
        goto oom;
    return JKS_OK;
oom:
    if (e)
        jks_store_remove(st, st->n - 1);
    return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
}

jks_status jks_store_add_secret_key(jks_store *st, const char *alias, int64_t created_ms,
                                    const char *algorithm, const uint8_t *key, size_t key_len,
                                    jks_error *err)
{
    if (!st || !alias || !algorithm || !key || !key_len)
        return jks_fail(err, JKS_ERR_USAGE, -1, "no store, alias, algorithm or key given");
    if (check_new_alias(st, alias, err))
        return JKS_ERR_USAGE;
    jks_entry *e = jks_store_append(st, JKS_ENTRY_SECRET_KEY, alias);
    if (!e || !jks_entry_set_plain(e, key, key_len) || !(e->secret_alg = strdup(algorithm)))
        goto oom;
    e->state = JKS_KEY_DECRYPTED;
    set_created(e, created_ms);
    return JKS_OK;
oom:
    if (e)
        jks_store_remove(st, st->n - 1);
    return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
}

int jks_entry_own_views(jks_store *st, jks_entry *e)
{
    size_t total = e->prot.len;
    for (size_t i = 0; i < e->n_chain; i++)
        total += e->chain[i].len;
    if (!total)
        return 1;
    /* one allocation per entry: the key and its chain side by side */
    uint8_t *p = (uint8_t *)jks_store_keep(st, NULL, total, 0);
    if (!p)
        return 0;
    if (e->prot.len) {
        memcpy(p, e->prot.data, e->prot.len);
        e->prot.data = p;
        p += e->prot.len;
    }
    for (size_t i = 0; i < e->n_chain; i++) {
        if (e->chain[i].len)
            memcpy(p, e->chain[i].data, e->chain[i].len);
        e->chain[i].data = p;
        p += e->chain[i].len;
    }
    return 1;
}

void jks_store_release_input(const jks_store *st, size_t upto)
{
    if (!st->input_mapped || upto > st->input_len)
        return;
    long ps = sysconf(_SC_PAGESIZE);
    size_t n = ps > 0 ? upto - upto % (size_t)ps : 0;
    if (n)
        madvise(st->input, n, MADV_DONTNEED); /* private, never written: re-read on access */
}

void jks_store_release_memory(jks_store *st)
{
    if (st)
        jks_store_release_input(st, st->input_len);
}
