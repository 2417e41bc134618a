/* Java's alias rules (FORMATS.md 1.2): keytool and the JKS API lower-case
 * aliases with String.toLowerCase(Locale.ENGLISH): every code point through
 * the Unicode simple lower-case mapping, plus Java's two special cases for
 * English (U+0130 becomes "i" U+0307; a final capital sigma becomes U+03C2). */
#include "cursor.h"
#include "store.h"

#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* One C.UTF-8 locale for the process, made once and never changed after
 * (the *_l functions only read it, from any thread). A locale per thread
 * was lost with each thread that ended: a host running many short threads
 * leaked one per thread. */
static locale_t g_utf8;
static pthread_once_t g_utf8_once = PTHREAD_ONCE_INIT;

static void utf8_locale_init(void) { g_utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0); }

static locale_t utf8_locale(void)
{
    pthread_once(&g_utf8_once, utf8_locale_init);
    return g_utf8;
}

/* One code point of s (len > 0); 0 bytes used means "not UTF-8 here": the
 * caller copies one byte unchanged. C0 80 (our U+0000) and CESU-style lone
 * surrogates are passed through by the same rule. */
static size_t next_cp(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char a = s[0];
    if (a < 0x80) {
        *cp = a;
        return 1;
    }
    if (a >= 0xC2 && a <= 0xDF && len >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(a & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((a & 0xF0) == 0xE0 && len >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        uint32_t v = ((uint32_t)(a & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v;
        return 3;
    }
    if (a >= 0xF0 && a <= 0xF4 && len >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        (s[3] & 0xC0) == 0x80) {
        uint32_t v = ((uint32_t)(a & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
                     ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

static int is_cased(uint32_t cp, locale_t loc)
{
    return loc && (iswupper_l((wint_t)cp, loc) || iswlower_l((wint_t)cp, loc));
}

/* Java's final-sigma test, simplified: a cased letter before, none after
 * (case-ignorable characters in between are not skipped). */
static int final_sigma(const unsigned char *s, size_t n, size_t i, size_t k, int prev_cased,
                       locale_t loc)
{
    uint32_t nx;
    if (!prev_cased)
        return 0;
    if (i + k >= n)
        return 1;
    size_t m = next_cp(s + i + k, n - i - k, &nx);
    return !m || !is_cased(nx, loc);
}

char *jks_alias_java_lower(const char *alias)
{
    if (!alias)
        return NULL;
    size_t n = strlen(alias);
    /* growth: only U+0130 (2 bytes) -> "i" U+0307 (3 bytes); any simple
     * mapping changes a code point's length by at most one byte per byte */
    char *o = malloc(2 * n + 1);
    locale_t loc = utf8_locale();
    const unsigned char *s = (const unsigned char *)alias;
    size_t i = 0, k = 0;
    int prev_cased = 0;
    if (!o)
        return NULL;
    while (i < n) {
        uint32_t cp, lo;
        size_t m = next_cp(s + i, n - i, &cp);
        if (!m) {
            o[k++] = (char)s[i++];
            prev_cased = 0;
            continue;
        }
        if (cp < 0x80)
            lo = cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        else if (cp == 0x130) {
            k += jks_utf8_put((uint8_t *)o + k, 'i');
            lo = 0x307;
        } else if (cp == 0x3A3 && final_sigma(s, n, i, m, prev_cased, loc))
            lo = 0x3C2;
        else
            lo = loc ? (uint32_t)towlower_l((wint_t)cp, loc) : cp;
        if (lo == 0 || lo > 0x10FFFF || (lo >= 0xD800 && lo <= 0xDFFF))
            lo = cp;
        prev_cased = cp < 0x80 ? ((cp | 32) >= 'a' && (cp | 32) <= 'z') : is_cased(cp, loc);
        k += jks_utf8_put((uint8_t *)o + k, lo);
        i += m;
    }
    o[k] = 0;
    return o;
}

int jks_alias_java_cmp(const char *a, const char *b)
{
    if (!a || !b) /* NULL sorts first */
        return (a != NULL) - (b != NULL);
    char *la = jks_alias_java_lower(a), *lb = jks_alias_java_lower(b);
    int r = (la && lb) ? strcmp(la, lb) : strcmp(a, b);
    free(la);
    free(lb);
    return r;
}

jks_status jks_store_check_java_aliases(const jks_store *st, jks_error *err)
{
    char **low = calloc(st->n ? st->n : 1, sizeof(*low));
    size_t i, j;
    jks_status s = JKS_OK;
    if (!low)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    for (i = 0; i < st->n && s == JKS_OK; i++)
        if (!(low[i] = jks_alias_java_lower(st->entries[i]->alias)))
            s = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    if (s == JKS_OK && jks_strings_find_dup((const char *const *)low, st->n, &i, &j)) {
        s = jks_fail(err, JKS_ERR_USAGE, -1,
                     "alias collides with \"%.60s\" once lower-cased as Java does",
                     st->entries[i]->alias);
        jks_error_set_alias(err, st->entries[j]->alias);
    }
    for (i = 0; i < st->n; i++)
        free(low[i]);
    free(low);
    return s;
}

/* The lower-cased aliases of entries[0..java_indexed), hashed: lets readers
 * that invent aliases (PKCS#12 without friendlyName, PEM) keep them unique
 * in O(1) per entry instead of comparing with every entry. */
static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

static void java_index_free(jks_store *st)
{
    for (size_t i = 0; i < st->java_indexed; i++)
        free(st->java_low[i]);
    free(st->java_low);
    free(st->java_tab);
    st->java_low = NULL;
    st->java_tab = NULL;
    st->java_cap = st->java_indexed = st->java_low_cap = 0;
    jks_alias_set_free(st->java_bases);
    st->java_bases = NULL;
}

void jks_store_java_index_clear(jks_store *st) { java_index_free(st); }

static int java_index_catch_up(jks_store *st)
{
    /* removals and reorders clear the index (jks_store_remove, dedupe) */
    if (st->java_indexed > st->n)
        java_index_free(st);
    if (st->java_low_cap < st->n) {
        size_t cap = st->java_low_cap ? st->java_low_cap : 16;
        while (cap < st->n)
            cap *= 2;
        char **nl = realloc(st->java_low, cap * sizeof(*nl));
        if (!nl)
            return 0;
        st->java_low = nl;
        st->java_low_cap = cap;
    }
    if (2 * (st->n + 1) > st->java_cap) {
        size_t cap = st->java_cap ? st->java_cap : 64;
        while (cap < 2 * (st->n + 1))
            cap *= 2;
        size_t *t = malloc(cap * sizeof(*t));
        if (!t)
            return 0;
        free(st->java_tab);
        st->java_tab = t;
        st->java_cap = cap;
        for (size_t i = 0; i < cap; i++)
            t[i] = SIZE_MAX;
        for (size_t i = 0; i < st->java_indexed; i++) {
            size_t h = (size_t)hash_str(st->java_low[i]) & (cap - 1);
            while (t[h] != SIZE_MAX)
                h = (h + 1) & (cap - 1);
            t[h] = i;
        }
    }
    for (; st->java_indexed < st->n; st->java_indexed++) {
        char *low = jks_alias_java_lower(st->entries[st->java_indexed]->alias);
        if (!low)
            return 0;
        st->java_low[st->java_indexed] = low;
        size_t h = (size_t)hash_str(low) & (st->java_cap - 1);
        while (st->java_tab[h] != SIZE_MAX)
            h = (h + 1) & (st->java_cap - 1);
        st->java_tab[h] = st->java_indexed;
    }
    return 1;
}

int jks_store_has_java_alias(jks_store *st, const char *alias)
{
    char *low = jks_alias_java_lower(alias);
    int found = 0;
    if (low && java_index_catch_up(st)) {
        size_t h = (size_t)hash_str(low) & (st->java_cap - 1);
        for (; st->java_tab[h] != SIZE_MAX && !found; h = (h + 1) & (st->java_cap - 1))
            found = !strcmp(st->java_low[st->java_tab[h]], low);
    } else { /* out of memory: compare with every entry */
        for (size_t i = 0; i < st->n && !found; i++)
            found = !jks_alias_java_cmp(st->entries[i]->alias, alias);
    }
    free(low);
    return found;
}

/* ---- a set of Java-lower-cased names, with per-base counters ---- */

typedef struct {
    char *key; /* Java-lower-cased, malloc'd; NULL = empty slot */
    unsigned val;
} amap_slot;

struct jks_alias_set {
    amap_slot *names, *bases; /* names taken; base -> next counter to try */
    size_t names_cap, names_n, bases_cap, bases_n;
};

static amap_slot *amap_find(amap_slot *t, size_t cap, const char *low)
{
    if (!cap)
        return NULL;
    size_t h = (size_t)hash_str(low) & (cap - 1);
    for (; t[h].key; h = (h + 1) & (cap - 1))
        if (!strcmp(t[h].key, low))
            return &t[h];
    return &t[h];
}

/* Insert low (taken over) with val, growing at half full. 0 on OOM. */
static int amap_put(amap_slot **t, size_t *cap, size_t *n, char *low, unsigned val)
{
    if (2 * (*n + 1) > *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        amap_slot *nt = calloc(nc, sizeof(*nt));
        if (!nt) {
            free(low);
            return 0;
        }
        for (size_t i = 0; i < *cap; i++)
            if ((*t)[i].key)
                *amap_find(nt, nc, (*t)[i].key) = (*t)[i];
        free(*t);
        *t = nt;
        *cap = nc;
    }
    amap_slot *s = amap_find(*t, *cap, low);
    if (s->key) {
        free(low);
        s->val = val;
        return 1;
    }
    s->key = low;
    s->val = val;
    (*n)++;
    return 1;
}

jks_alias_set *jks_alias_set_new(void) { return calloc(1, sizeof(jks_alias_set)); }

void jks_alias_set_free(jks_alias_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->names_cap; i++)
        free(s->names[i].key);
    for (size_t i = 0; i < s->bases_cap; i++)
        free(s->bases[i].key);
    free(s->names);
    free(s->bases);
    free(s);
}

int jks_alias_set_has(const jks_alias_set *s, const char *alias)
{
    char *low = jks_alias_java_lower(alias);
    amap_slot *f = low ? amap_find(s->names, s->names_cap, low) : NULL;
    int r = f && f->key;
    free(low);
    return r;
}

int jks_alias_set_add(jks_alias_set *s, const char *alias)
{
    char *low = jks_alias_java_lower(alias);
    return low && amap_put(&s->names, &s->names_cap, &s->names_n, low, 1);
}

/* The first free one of base, base-2, base-3, ... (Java's order): each base
 * remembers the counter it reached, so n equal names cost O(n), not O(n^2).
 * Names are never removed from the set, so every counter below the one
 * remembered is still taken. */
char *jks_alias_set_unique(jks_alias_set *s, const char *base)
{
    size_t bl = strlen(base);
    char *cand = malloc(bl + 16), *blow = jks_alias_java_lower(base);
    if (!cand || !blow) {
        free(cand);
        free(blow);
        return NULL;
    }
    amap_slot *hint = amap_find(s->bases, s->bases_cap, blow);
    unsigned k = hint && hint->key ? hint->val : 1; /* 1: base itself */
    for (;; k++) {
        memcpy(cand, base, bl + 1);
        if (k > 1)
            snprintf(cand + bl, 16, "-%u", k);
        if (!jks_alias_set_has(s, cand))
            break;
    }
    if (!amap_put(&s->bases, &s->bases_cap, &s->bases_n, blow, k + 1) ||
        !jks_alias_set_add(s, cand)) {
        free(cand);
        return NULL;
    }
    return cand;
}

char *jks_store_unique_java_alias(jks_store *st, const char *base)
{
    size_t bl = strlen(base);
    char *cand = malloc(bl + 16), *blow = jks_alias_java_lower(base);
    if (!st->java_bases)
        st->java_bases = jks_alias_set_new();
    if (!cand || !blow || !st->java_bases) {
        free(cand);
        free(blow);
        return NULL;
    }
    jks_alias_set *b = st->java_bases;
    amap_slot *hint = amap_find(b->bases, b->bases_cap, blow);
    unsigned k = hint && hint->key ? hint->val : 1; /* 1: base itself */
    for (;; k++) {
        memcpy(cand, base, bl + 1);
        if (k > 1)
            snprintf(cand + bl, 16, "-%u", k);
        if (!jks_store_has_java_alias(st, cand))
            break;
    }
    if (!amap_put(&b->bases, &b->bases_cap, &b->bases_n, blow, k + 1)) {
        free(cand);
        return NULL;
    }
    return cand;
}
