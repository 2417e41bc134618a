/* Which client key Java's two key managers choose (JDK 17 sources:
 * sun.security.ssl.SunX509KeyManagerImpl and X509KeyManagerImpl), from the
 * order Java holds aliases in: JavaKeyStore/JceKeyStore's Hashtable,
 * PKCS12KeyStore's LinkedHashMap, SunX509's own HashMap of credentials.
 * String.hashCode runs over the alias's UTF-16 code units. */
#include "cert.h"
#include "error.h"
#include "store.h"
#include "jks/ops.h"
#include "jks/source.h"

#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* String.hashCode of a UTF-8 string: s[0]*31^(n-1) + ... over UTF-16 units
 * (a code point above U+FFFF counts as its two surrogates). Bytes that are no
 * UTF-8 count as U+FFFD, as Java's decoder makes them. */
static uint32_t java_hash(const char *utf8)
{
    const unsigned char *s = (const unsigned char *)utf8;
    uint32_t h = 0;
    while (*s) {
        uint32_t cp = 0xFFFD;
        size_t n = 1;
        if (s[0] < 0x80) {
            cp = s[0];
        } else if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
            cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
            n = 2;
        } else if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
            cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
            n = 3;
        } else if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
                   (s[3] & 0xC0) == 0x80) {
            cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
                 ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
            n = 4;
        }
        if (cp >= 0x10000) {
            cp -= 0x10000;
            h = 31 * h + (0xD800 + (cp >> 10));
            h = 31 * h + (0xDC00 + (cp & 0x3FF));
        } else {
            h = 31 * h + cp;
        }
        s += n;
    }
    return h;
}

/* The alias string Java keys the entry by: PKCS#12 lower-cases it, JKS and
 * JCEKS keep the file's spelling (JavaKeyStore.engineLoad puts it as read). */
static char *java_key(const jks_store *st, const jks_entry *e)
{
    const char *a = jks_entry_alias(e);
    if (jks_store_format(st) == JKS_FORMAT_PKCS12)
        return jks_alias_java_lower(a);
    char *c = malloc(strlen(a) + 1);
    if (c)
        strcpy(c, a);
    return c;
}

/* java.util.Hashtable(11, 0.75f): put() at the head of chain
 * (hash & 0x7FFFFFFF) % capacity, rehash to 2n+1 before adding when
 * count >= threshold (old buckets walked from the last, each chain from its
 * head, every entry pushed on its new chain's head); keys() enumerates from
 * the last bucket down. keys/hash are per input position; out gets positions. */
static int hashtable_order(char **keys, const uint32_t *hash, size_t n, size_t *out, size_t *n_out)
{
    size_t cap = 11, thr = 8, count = 0;
    size_t *head = malloc(cap * sizeof(*head)), *next = malloc((n ? n : 1) * sizeof(*next));
    int ok = head && next;
    for (size_t b = 0; ok && b < cap; b++)
        head[b] = SIZE_MAX;
    for (size_t i = 0; ok && i < n; i++) {
        size_t idx = (hash[i] & 0x7FFFFFFFu) % cap, e;
        for (e = head[idx]; e != SIZE_MAX; e = next[e])
            if (hash[e] == hash[i] && !strcmp(keys[e], keys[i]))
                break;
        if (e != SIZE_MAX)
            continue; /* an alias met again replaces the value in place */
        if (count >= thr) {
            size_t ncap = 2 * cap + 1;
            size_t *nh = malloc(ncap * sizeof(*nh));
            if (!nh) {
                ok = 0;
                break;
            }
            for (size_t b = 0; b < ncap; b++)
                nh[b] = SIZE_MAX;
            for (size_t b = cap; b-- > 0;) {
                for (size_t o = head[b]; o != SIZE_MAX;) {
                    size_t x = o, ni = (hash[x] & 0x7FFFFFFFu) % ncap;
                    o = next[o];
                    next[x] = nh[ni];
                    nh[ni] = x;
                }
            }
            free(head);
            head = nh;
            cap = ncap;
            thr = (size_t)((float)cap * 0.75f);
            idx = (hash[i] & 0x7FFFFFFFu) % cap;
        }
        next[i] = head[idx];
        head[idx] = i;
        count++;
    }
    size_t k = 0;
    for (size_t b = cap; ok && b-- > 0;)
        for (size_t e = head[b]; e != SIZE_MAX; e = next[e])
            out[k++] = e;
    *n_out = k;
    free(head);
    free(next);
    return ok;
}

jks_status jks_store_java_alias_order(const jks_store *st, size_t *order, size_t *n, jks_error *err)
{
    size_t count = jks_store_count(st), m = 0;
    *n = 0;
    size_t *vis = malloc((count ? count : 1) * sizeof(*vis));
    if (!vis)
        return jks_fail(err, JKS_ERR_IO, -1, "out of memory");
    for (size_t i = 0; i < count; i++)
        if (jks_entry_java_visible(jks_store_entry(st, i)))
            vis[m++] = i;
    jks_format f = jks_store_format(st);
    if (f != JKS_FORMAT_JKS && f != JKS_FORMAT_JCEKS) {
        memcpy(order, vis, m * sizeof(*vis)); /* LinkedHashMap: insertion order */
        *n = m;
        free(vis);
        return JKS_OK;
    }
    char **keys = calloc(m ? m : 1, sizeof(*keys));
    uint32_t *hash = malloc((m ? m : 1) * sizeof(*hash));
    size_t *pos = malloc((m ? m : 1) * sizeof(*pos));
    int ok = keys && hash && pos;
    for (size_t i = 0; ok && i < m; i++) {
        keys[i] = java_key(st, jks_store_entry(st, vis[i]));
        ok = keys[i] != NULL;
        if (ok)
            hash[i] = java_hash(keys[i]);
    }
    size_t k = 0;
    ok = ok && hashtable_order(keys, hash, m, pos, &k);
    for (size_t i = 0; ok && i < k; i++)
        order[i] = vis[pos[i]];
    if (ok)
        *n = k;
    for (size_t i = 0; keys && i < m; i++)
        jks_free(keys[i]);
    free(keys);
    free(hash);
    free(pos);
    free(vis);
    return ok ? JKS_OK : jks_fail(err, JKS_ERR_IO, -1, "out of memory");
}

/* One key entry as both key managers see it. */
typedef struct {
    size_t index;          /* in the store */
    char *key;             /* the alias Java hashes */
    uint32_t hash;
    char alg[16];          /* leaf public key as Key.getAlgorithm names it */
    int issuer_ok;         /* a chain certificate issued by an accepted name */
    jks_key_fit fit;
} candidate;

static void java_key_algorithm(const char *facts_name, char *out, size_t cap)
{
    if (!strcmp(facts_name, "Ed25519") || !strcmp(facts_name, "Ed448"))
        facts_name = "EdDSA";
    else if (!strcmp(facts_name, "X25519") || !strcmp(facts_name, "X448"))
        facts_name = "XDH";
    snprintf(out, cap, "%s", facts_name);
}

/* X509KeyManagerImpl.CheckType.CLIENT.check on the leaf. */
static jks_key_fit client_fit(const jks_cert_info *ci, const char *alg, int64_t now)
{
    if (ci->has_eku && !ci->eku_client_auth)
        return JKS_KEY_FIT_EXTENSION_MISMATCH;
    if (ci->has_key_usage && !(ci->key_usage & 1u) &&
        (!strcmp(alg, "RSA") || !strcmp(alg, "DSA") || !strcmp(alg, "EC")))
        return JKS_KEY_FIT_EXTENSION_MISMATCH;
    if (now < ci->not_before || now > ci->not_after)
        return JKS_KEY_FIT_EXPIRED;
    return JKS_KEY_FIT_OK;
}

static int issuer_accepted(const jks_entry *e, X509_NAME *const *names, size_t n)
{
    if (!n)
        return 1;
    size_t m = jks_entry_chain_len(e);
    for (size_t c = 0; c < m; c++) {
        jks_bytes b = jks_entry_cert(e, c);
        const unsigned char *p = b.data;
        X509 *x = d2i_X509(NULL, &p, (long)b.len);
        int hit = 0;
        for (size_t i = 0; x && i < n && !hit; i++)
            hit = X509_NAME_cmp(X509_get_issuer_name(x), names[i]) == 0;
        X509_free(x);
        if (hit)
            return 1;
    }
    return 0;
}

static int type_rank(const char *alg, const char *const *types, size_t n)
{
    for (size_t j = 0; j < n; j++)
        if (!strcmp(alg, types[j]))
            return (int)j;
    return -1;
}

typedef struct {
    size_t bucket, pos;
} slot;

static int slot_cmp(const void *x, const void *y)
{
    const slot *a = x, *b = y;
    if (a->bucket != b->bucket)
        return a->bucket < b->bucket ? -1 : 1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static uint32_t spread(uint32_t h) { return h ^ (h >> 16); }

/* SunX509: its credentials HashMap's iteration order - buckets in index
 * order, insertion order within a bucket (a resize splits each bucket
 * keeping that order). The table starts at 16 (threshold 12) and doubles when
 * size passes the threshold, or when a bucket reaches 9 keys while the table
 * is under 64 (treeifyBin). Writes candidate positions to out, SIZE_MAX
 * after the last. Returns 1, 0 when a bucket would have become a tree (its
 * order is then not modelled), -1 when out of memory. */
static int hashmap_order(const candidate *c, size_t n, size_t *out)
{
    size_t cap = 16, thr = 12, size = 0, nu = 0;
    size_t *u = malloc((n ? n : 1) * sizeof(*u)), *bins = calloc(cap, sizeof(*bins));
    slot *sl = malloc((n ? n : 1) * sizeof(*sl));
    int exact = 1;
    if (!u || !bins || !sl) {
        exact = -1;
        goto out;
    }
    for (size_t i = 0; i < n; i++) { /* a key met again keeps its first place */
        int dup = 0;
        for (size_t j = 0; j < nu && !dup; j++)
            dup = c[u[j]].hash == c[i].hash && !strcmp(c[u[j]].key, c[i].key);
        if (!dup)
            u[nu++] = i;
    }
    for (size_t t = 0; t < nu; t++) {
        size_t before = bins[spread(c[u[t]].hash) & (cap - 1)]++;
        int grows = 0;
        if (before >= 8) { /* binCount >= TREEIFY_THRESHOLD - 1 */
            if (cap < 64)
                grows = 1;
            else
                exact = 0;
        }
        for (int step = 0; step < 2; step++) {
            if (step == 1)
                grows = ++size > thr;
            if (!grows)
                continue;
            size_t *nb = calloc(cap * 2, sizeof(*nb));
            if (!nb) {
                exact = -1;
                goto out;
            }
            free(bins);
            bins = nb;
            cap *= 2;
            thr *= 2;
            for (size_t j = 0; j <= t; j++)
                bins[spread(c[u[j]].hash) & (cap - 1)]++;
        }
    }
    for (size_t t = 0; t < nu; t++) {
        sl[t].bucket = spread(c[u[t]].hash) & (cap - 1);
        sl[t].pos = t;
    }
    qsort(sl, nu, sizeof(*sl), slot_cmp);
    for (size_t t = 0; t < n; t++)
        out[t] = t < nu ? u[sl[t].pos] : SIZE_MAX;
out:
    free(u);
    free(bins);
    free(sl);
    return exact;
}

jks_status jks_client_key_choice(const jks_store *st, const jks_key_choice_opts *opts,
                                 jks_key_choice *out, jks_error *err)
{
    static const char *const dflt_types[] = {"RSA", "EC"};
    jks_key_choice_opts o = JKS_KEY_CHOICE_OPTS_INIT;
    if (opts)
        o = *opts;
    const char *const *types = o.key_types ? o.key_types : dflt_types;
    size_t nt = o.key_types ? o.n_key_types : 2;
    int64_t now = o.now ? o.now : (int64_t)time(NULL);
    out->sunx509 = out->pkix = SIZE_MAX;
    out->pkix_fit = JKS_KEY_FIT_OK;
    out->qualifying = 0;
    out->order_exact = 1;

    size_t count = jks_store_count(st), n_order = 0, nc = 0;
    jks_status rc = JKS_OK;
    X509_NAME **names = calloc(o.n_issuers ? o.n_issuers : 1, sizeof(*names));
    size_t *order = malloc((count ? count : 1) * sizeof(*order));
    candidate *c = calloc(count ? count : 1, sizeof(*c));
    size_t *hm = malloc((count ? count : 1) * sizeof(*hm));
    if (!names || !order || !c || !hm) {
        rc = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < o.n_issuers; i++) {
        const unsigned char *p = o.issuers[i].data;
        names[i] = d2i_X509_NAME(NULL, &p, (long)o.issuers[i].len);
        if (!names[i]) {
            rc = jks_fail(err, JKS_ERR_USAGE, -1, "issuer name %zu is no DER Name", i + 1);
            goto done;
        }
    }
    if ((rc = jks_store_java_alias_order(st, order, &n_order, err)) != JKS_OK)
        goto done;

    /* key entries with an X.509 chain, in KeyStore.aliases() order */
    for (size_t i = 0; i < n_order; i++) {
        const jks_entry *e = jks_store_entry(st, order[i]);
        jks_cert_info ci;
        if (jks_entry_kind_of(e) != JKS_ENTRY_PRIVATE_KEY || jks_entry_chain_len(e) == 0)
            continue;
        jks_bytes leaf = jks_entry_cert(e, 0);
        if (jks_cert_facts_get(leaf.data, leaf.len, &ci) != JKS_OK)
            continue;
        candidate *k = &c[nc];
        k->index = order[i];
        k->key = java_key(st, e);
        if (!k->key) {
            rc = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
            goto done;
        }
        k->hash = java_hash(k->key);
        java_key_algorithm(ci.key_algorithm, k->alg, sizeof(k->alg));
        k->issuer_ok = issuer_accepted(e, names, o.n_issuers);
        k->fit = client_fit(&ci, k->alg, now);
        nc++;
        if (k->issuer_ok && type_rank(k->alg, types, nt) >= 0)
            out->qualifying++;
    }

    /* SunX509KeyManagerImpl.chooseClientAlias: key type by key type, the
     * first fitting alias in HashMap order */
    int exact = hashmap_order(c, nc, hm);
    if (exact < 0) {
        rc = jks_fail(err, JKS_ERR_IO, -1, "out of memory");
        goto done;
    }
    out->order_exact = exact;
    for (size_t t = 0; t < nt && out->sunx509 == SIZE_MAX; t++)
        for (size_t i = 0; i < nc && hm[i] != SIZE_MAX; i++) {
            const candidate *k = &c[hm[i]];
            if (k->issuer_ok && !strcmp(k->alg, types[t])) {
                out->sunx509 = k->index;
                break;
            }
        }

    /* X509KeyManagerImpl.chooseAlias (JDK 17): the first OK match of the
     * first key type returns at once; else the first match if it is OK;
     * else the best after a stable sort by (check result, key type rank) */
    const candidate *first = NULL, *best = NULL;
    int best_rank = 0;
    for (size_t i = 0; i < nc; i++) {
        const candidate *k = &c[i];
        int r = type_rank(k->alg, types, nt);
        if (r < 0 || !k->issuer_ok)
            continue;
        if (k->fit == JKS_KEY_FIT_OK && r == 0) {
            first = best = k;
            break;
        }
        if (!first)
            first = k;
        if (!best || k->fit < best->fit || (k->fit == best->fit && r < best_rank)) {
            best = k;
            best_rank = r;
        }
    }
    if (first && first->fit == JKS_KEY_FIT_OK)
        best = first;
    if (best) {
        out->pkix = best->index;
        out->pkix_fit = best->fit;
    }
done:
    for (size_t i = 0; names && i < o.n_issuers; i++)
        X509_NAME_free(names[i]);
    for (size_t i = 0; c && i < nc; i++)
        jks_free(c[i].key);
    free(names);
    free(order);
    free(c);
    free(hm);
    return rc;
}
